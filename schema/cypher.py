"""Write and count statements built from the model (golden-tested in tests/).

With the DDL (:mod:`.ddl`) these are the only Cypher strings not kept in
``govgraph/queries`` (tests/test_house.py keeps statements out of every other module's
hands: only backends/ run them): they are derived mechanically from the specs, so one
builder serves every label and type. Labels and types come from the enums, values always
go in as ``$rows``.
"""

from __future__ import annotations

from .ddl import quote
from .model import Label, Rel, RelSpec, node_spec, rel_spec

__all__ = [
    "ANY_NODE_NEO4J",
    "MARK_RESIDUE",
    "READ_DATA_DAY",
    "READ_KEY_FINGERPRINT",
    "READ_MODEL_VERSION",
    "READ_RESIDUE",
    "RECORD_DATA_DAY",
    "RECORD_KEY_FINGERPRINT",
    "RECORD_MODEL_VERSION",
    "STORE_LABEL",
    "area_nodes",
    "area_relationships",
    "count_nodes",
    "count_relationships",
    "fetch_nodes",
    "fetch_relationships",
    "fetch_relationships_of_one",
    "merge_nodes",
    "merge_nodes_embedded",
    "merge_relationships",
    "merge_relationships_embedded",
    "node_ids",
    "relationship_keys",
    "update_nodes",
    "update_relationships",
]


#: Neo4j only, in an auto-commit transaction: everything deleted in batches of 10,000
#: (one transaction for a county would exhaust the server's transaction memory)
CLEAR_NEO4J = "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"

#: the one node recording which model version wrote the store: outside the model (never
#: counted, exported or copied as data), the same on both engines
STORE_LABEL = "GovgraphStore"
READ_MODEL_VERSION = (
    f"MATCH (s:{STORE_LABEL} {{key: 'model'}}) "
    "RETURN s.model_version AS version, s.release AS release"
)
RECORD_MODEL_VERSION = (
    f"MERGE (s:{STORE_LABEL} {{key: 'model'}}) SET s.model_version = $version, s.release = $release"
)
READ_KEY_FINGERPRINT = (
    f"MATCH (s:{STORE_LABEL} {{key: 'model'}}) RETURN s.key_fingerprint AS fingerprint"
)
RECORD_KEY_FINGERPRINT = (
    f"MERGE (s:{STORE_LABEL} {{key: 'model'}}) SET s.key_fingerprint = $fingerprint"
)
#: the day a generated scenario's data is as of (questions default to it); none for real data
READ_DATA_DAY = f"MATCH (s:{STORE_LABEL} {{key: 'model'}}) RETURN s.data_day AS day"
RECORD_DATA_DAY = f"MERGE (s:{STORE_LABEL} {{key: 'model'}}) SET s.data_day = $day"
#: embedded: whether freed pages of the store file may still hold plain personal data
READ_RESIDUE = f"MATCH (s:{STORE_LABEL} {{key: 'model'}}) RETURN s.residue AS residue"
MARK_RESIDUE = f"MATCH (s:{STORE_LABEL} {{key: 'model'}}) SET s.residue = true"
#: Neo4j: does the database hold anything (a store from before versions were recorded)?
ANY_NODE_NEO4J = "MATCH (n) RETURN count(n) > 0 AS any"


def merge_nodes(label: Label) -> str:
    """``UNWIND $rows`` upsert of nodes of one label, keyed on ``id`` (Neo4j)."""
    spec = node_spec(label)
    sets = ", ".join(f"n.{p} = r.{p}" for p in spec.prop_names if p != "id")
    return f"UNWIND $rows AS r MERGE (n:{quote(spec.label)} {{id: r.id}}) SET {sets}"


def merge_relationships(rel: Rel, source: Label, target: Label) -> str:
    """``UNWIND $rows`` upsert of relationships between two labels (Neo4j).

    Rows carry ``source`` and ``target`` ids plus the type's properties; the
    relationship is identified by its endpoints and the type's key properties.
    """
    spec = _pair(rel, source, target)
    key = ", ".join(f"{k}: r.{k}" for k in spec.key)
    key = f" {{{key}}}" if key else ""
    rest = [p for p in spec.prop_names if p not in spec.key]
    sets = (" SET " + ", ".join(f"e.{p} = r.{p}" for p in rest)) if rest else ""
    return (
        f"UNWIND $rows AS r MATCH (a:{quote(source)} {{id: r.source}}), "
        f"(b:{quote(target)} {{id: r.target}}) "
        f"MERGE (a)-[e:{quote(spec.type)}{key}]->(b){sets}"
    )


def _typed(spec_props: dict[str, str], name: str) -> str:
    """``r.name`` cast to the property's engine type: LadybugDB types a parameter from its
    value, and a null alone would bind as a string."""
    kind = spec_props[name]
    return f"r.{name}" if kind == "STRING" else f"CAST(r.{name} AS {kind})"


def merge_nodes_embedded(label: Label) -> str:
    """LadybugDB: ``UNWIND $rows`` upsert of a few nodes (a field write), values cast to
    their types; a bulk load takes ``COPY`` instead."""
    spec = node_spec(label)
    types = {p.name: p.type.value for p in spec.props}
    sets = ", ".join(f"n.{p} = {_typed(types, p)}" for p in spec.prop_names if p != "id")
    return f"UNWIND $rows AS r MERGE (n:{quote(spec.label)} {{id: r.id}}) SET {sets}"


def merge_relationships_embedded(rel: Rel, source: Label, target: Label) -> str:
    """LadybugDB: ``UNWIND $rows`` upsert of a few relationships, values cast to their types."""
    spec = _pair(rel, source, target)
    types = {p.name: p.type.value for p in spec.props}
    key = ", ".join(f"{k}: {_typed(types, k)}" for k in spec.key)
    key = f" {{{key}}}" if key else ""
    rest = [p for p in spec.prop_names if p not in spec.key]
    sets = (" SET " + ", ".join(f"e.{p} = {_typed(types, p)}" for p in rest)) if rest else ""
    # two MATCH clauses, not one with a comma: LadybugDB 0.22 plans the comma as a cross
    # product (600 ms for one visit on 镇原县's 81,000 visits; 2 ms chained, measured)
    return (
        f"UNWIND $rows AS r MATCH (a:{quote(source)} {{id: r.source}}) "
        f"MATCH (b:{quote(target)} {{id: r.target}}) "
        f"MERGE (a)-[e:{quote(spec.type)}{key}]->(b){sets}"
    )


def node_ids(label: Label) -> str:
    """Every id of a label (the embedded upsert splits rows into new and known)."""
    return f"MATCH (n:{quote(Label(label))}) RETURN n.id AS id"


def relationship_keys(rel: Rel, source: Label, target: Label) -> str:
    """The identifying columns of every relationship between two labels."""
    spec = _pair(rel, source, target)
    keys = "".join(f", e.{k} AS {k}" for k in spec.key)
    return (
        f"MATCH (a:{quote(source)})-[e:{quote(spec.type)}]->(b:{quote(target)}) "
        f"RETURN a.id AS source, b.id AS target{keys}"
    )


def update_nodes(label: Label) -> str:
    """LadybugDB: set the properties of known nodes from an Arrow table named ``rows``."""
    spec = node_spec(label)
    sets = ", ".join(f"n.{p} = {p}" for p in spec.prop_names if p != "id")
    return f"LOAD FROM rows MATCH (n:{quote(spec.label)} {{id: id}}) SET {sets}"


def update_relationships(rel: Rel, source: Label, target: Label) -> str | None:
    """LadybugDB: set the non-key properties of known relationships from ``rows``;
    None when the type has nothing but its key."""
    spec = _pair(rel, source, target)
    rest = [p for p in spec.prop_names if p not in spec.key]
    if not rest:
        return None
    key = ", ".join(f"{k}: {k}" for k in spec.key)
    key = f" {{{key}}}" if key else ""
    sets = ", ".join(f"e.{p} = {p}" for p in rest)
    return (
        f"LOAD FROM rows MATCH (a:{quote(source)} {{id: source}})"
        f"-[e:{quote(spec.type)}{key}]->(b:{quote(target)} {{id: target}}) SET {sets}"
    )


def _pair(rel: Rel, source: Label, target: Label) -> RelSpec:
    spec = rel_spec(rel)
    if (Label(source), Label(target)) not in spec.pairs:
        raise ValueError(f"{rel} does not join {source} to {target}")
    return spec


def export_nodes(label: Label) -> str:
    """Every node of a label with all its properties (for the networkx export)."""
    spec = node_spec(label)
    cols = ", ".join(f"n.{p} AS {p}" for p in spec.prop_names)
    return f"MATCH (n:{quote(spec.label)}) RETURN {cols}"


def export_relationships(rel: Rel, source: Label, target: Label) -> str:
    """Every relationship between two labels with its endpoints' ids and its properties."""
    spec = _pair(rel, source, target)
    cols = "".join(f", e.{p} AS {p}" for p in spec.prop_names)
    return (
        f"MATCH (a:{quote(source)})-[e:{quote(spec.type)}]->(b:{quote(target)}) "
        f"RETURN a.id AS source, b.id AS target{cols}"
    )


def count_nodes(label: Label) -> str:
    return f"MATCH (n:{quote(Label(label))}) RETURN count(n) AS n"


def count_relationships(rel: Rel) -> str:
    return f"MATCH ()-[e:{quote(Rel(rel))}]->() RETURN count(e) AS n"


def fetch_nodes(label: Label) -> str:
    """The stored nodes among ``$ids``, with all their properties (both engines).

    LadybugDB could scan the ids from an Arrow table (``LOAD FROM``), but joined to
    relationships that scan kept about 4 MB of the buffer pool per call until the pool
    was full (0.22.0, measured: 240 calls); ``UNWIND $ids`` is as fast and keeps nothing.
    """
    spec = node_spec(label)
    cols = ", ".join(f"n.{p} AS {p}" for p in spec.prop_names)
    return f"UNWIND $ids AS id MATCH (n:{quote(spec.label)} {{id: id}}) RETURN {cols}"


def fetch_relationships(rel: Rel, source: Label, target: Label, *, by_target: bool = False) -> str:
    """The stored relationships leaving the source ids ``$ids`` (or, ``by_target``,
    arriving at those target ids); see :func:`fetch_nodes`."""
    return "UNWIND $ids AS id " + _relationships_of(rel, source, target, "id", by_target)


def fetch_relationships_of_one(
    rel: Rel, source: Label, target: Label, *, by_target: bool = False
) -> str:
    """:func:`fetch_relationships` for one id ``$id``, found by its key.

    On LadybugDB 0.22 the list of :func:`fetch_relationships` is the slowest road for one
    id, a filter (``WHERE a.id IN $ids``) scans every relationship of the type, and the key
    is the quickest by far: a worker's 381 visits on 镇原县 in 37 ms, 9.8 and 2.0 (measured);
    the backend reads a handful of ids one by one this way.
    """
    return _relationships_of(rel, source, target, "$id", by_target)


def _relationships_of(rel: Rel, source: Label, target: Label, key: str, by_target: bool) -> str:
    """The relationships of the source (or, ``by_target``, the target) whose id is ``key``,
    with every property."""
    spec = _pair(rel, source, target)
    cols = "".join(f", e.{p} AS {p}" for p in spec.prop_names)
    a, b = ("", f" {{id: {key}}}") if by_target else (f" {{id: {key}}}", "")
    return (
        f"MATCH (a:{quote(source)}{a})-[e:{quote(spec.type)}]->(b:{quote(target)}{b}) "
        f"RETURN a.id AS source, b.id AS target{cols}"
    )


def area_relationships(rel: Rel, source: Label, target: Label, *, by_target: bool = False) -> str:
    """The relationships leaving nodes whose ``division_code`` starts with ``$area`` (arriving
    at such nodes, with ``by_target``). Same text for both engines. Reads from the area's side
    by traversal: a list of ids instead (:func:`fetch_relationships`) joins against every
    relationship of the type, which on a million households exhausts the embedded page cache."""
    spec = _pair(rel, source, target)
    side = node_spec(target if by_target else source)
    if "division_code" not in side.prop_names:
        raise ValueError(f"{side.label} has no division_code to select an area by")
    cols = "".join(f", e.{p} AS {p}" for p in spec.prop_names)
    where = "b" if by_target else "a"
    return (
        f"MATCH (a:{quote(source)})-[e:{quote(spec.type)}]->(b:{quote(target)}) "
        f"WHERE {where}.division_code STARTS WITH $area "
        f"RETURN a.id AS source, b.id AS target{cols}"
    )


def area_nodes(label: Label) -> str:
    """The nodes of a label whose ``division_code`` starts with ``$area``, all properties."""
    spec = node_spec(label)
    cols = ", ".join(f"n.{p} AS {p}" for p in spec.prop_names)
    # an administrative unit's id is its code
    where = "division_code" if "division_code" in spec.prop_names else "id"
    return (
        f"MATCH (n:{quote(spec.label)}) WHERE n.{where} STARTS WITH $area "
        f"RETURN {cols} ORDER BY n.id"
    )
