from __future__ import annotations

from govgraph.schema import NODES, RELATIONSHIPS, Label, Rel, node_spec, rel_spec
from govgraph.schema.cypher import (
    merge_nodes,
    merge_relationships,
    relationship_keys,
    update_nodes,
    update_relationships,
)
from govgraph.schema.ddl import embedded_schema, neo4j_schema


def test_every_label_and_type_has_exactly_one_spec() -> None:
    assert [n.label for n in NODES] == list(Label)
    assert [r.type for r in RELATIONSHIPS] == list(Rel)
    for n in NODES:
        assert n.prop_names[0] == "id", n.label
        assert len(set(n.prop_names)) == len(n.prop_names)


def test_time_varying_links_carry_a_validity_period() -> None:
    for rel in (
        Rel.GRID_WORKER_OF,
        Rel.GRID_HEAD_OF,
        Rel.VOLUNTEER_OF,
        Rel.SUNK_CADRE_OF,
        Rel.LINKS_HOUSEHOLD,
        Rel.IN_GRID,
        Rel.LEADER_OF,
    ):
        assert {"valid_from", "valid_to"} <= set(rel_spec(rel).prop_names)
        assert rel_spec(rel).key == ("valid_from",)
    assert rel_spec(Rel.MEMBER_OF).key == ()


def test_sensitive_fields_are_marked() -> None:
    sensitive = {p.name for p in node_spec(Label.PERSON).props if p.sensitive}
    assert sensitive == {"id_number", "phone"}


def test_embedded_ddl_is_generated_from_the_model() -> None:
    ddl = embedded_schema()
    assert len(ddl) == len(NODES) + len(RELATIONSHIPS)
    assert ddl[0] == (
        "CREATE NODE TABLE IF NOT EXISTS `Province`(id STRING, code STRING, "
        "name STRING, kind STRING, PRIMARY KEY(id))"
    )
    assert (
        "CREATE REL TABLE IF NOT EXISTS `PART_OF`(FROM `Prefecture` TO `Province`, "
        "FROM `County` TO `Prefecture`, FROM `Township` TO `County`, "
        "FROM `Village` TO `Township`)"
    ) in ddl
    assert any(s.startswith("CREATE NODE TABLE IF NOT EXISTS `Case`(") for s in ddl)


def test_neo4j_ddl_has_a_unique_id_per_label_and_the_marked_indexes() -> None:
    ddl = neo4j_schema()
    for label in Label:
        assert (
            f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS "
            f"FOR (n:`{label}`) REQUIRE n.id IS UNIQUE"
        ) in ddl
    assert (
        "CREATE INDEX household_division_code IF NOT EXISTS "
        "FOR (n:`Household`) ON (n.division_code)"
    ) in ddl


def test_write_statements_golden() -> None:
    assert merge_nodes(Label.GRID) == (
        "UNWIND $rows AS r MERGE (n:`Grid` {id: r.id}) "
        "SET n.name = r.name, n.level = r.level, n.division_code = r.division_code"
    )
    assert merge_relationships(Rel.LINKS_HOUSEHOLD, Label.PERSON, Label.HOUSEHOLD) == (
        "UNWIND $rows AS r MATCH (a:`Person` {id: r.source}), (b:`Household` {id: r.target}) "
        "MERGE (a)-[e:`LINKS_HOUSEHOLD` {valid_from: r.valid_from}]->(b) "
        "SET e.valid_to = r.valid_to"
    )
    assert merge_relationships(Rel.LOCATED_IN, Label.HOUSEHOLD, Label.VILLAGE).endswith(
        "MERGE (a)-[e:`LOCATED_IN`]->(b)"
    )
    assert update_nodes(Label.GRID) == (
        "LOAD FROM rows MATCH (n:`Grid` {id: id}) "
        "SET n.name = name, n.level = level, n.division_code = division_code"
    )
    assert update_relationships(Rel.LOCATED_IN, Label.HOUSEHOLD, Label.VILLAGE) is None
    assert relationship_keys(Rel.IN_GRID, Label.HOUSEHOLD, Label.GRID) == (
        "MATCH (a:`Household`)-[e:`IN_GRID`]->(b:`Grid`) "
        "RETURN a.id AS source, b.id AS target, e.valid_from AS valid_from"
    )


def test_a_relationship_between_labels_it_does_not_join_is_refused() -> None:
    import pytest

    with pytest.raises(ValueError, match="does not join"):
        merge_relationships(Rel.IN_GRID, Label.PERSON, Label.GRID)


def test_the_embedded_engine_accepts_the_schema_twice(store) -> None:  # type: ignore[no-untyped-def]
    store.apply_schema()  # already applied by the fixture: must be a no-op
    counts = store.counts()
    assert set(counts["nodes"]) == {label.value for label in Label}
    assert set(counts["relationships"]) == {rel.value for rel in Rel}
    assert all(n == 0 for n in counts["nodes"].values())
