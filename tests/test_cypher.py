"""An analyst's own Cypher: rows back, personal data masked, and every kind of write refused
by the engine itself (a read-only transaction), with nothing changed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from govgraph.backends.embedded import EmbeddedBackend
from govgraph.cli import cli
from govgraph.errors import QueryFailed
from govgraph.loaders.load import load_scenario
from govgraph.schema.model import Label, node_spec

#: one of each kind of write, as LadybugDB writes them (COPY reads a real file)
WRITES = [
    "CREATE (:Grid {id: 'GX'})",
    "MERGE (g:Grid {id: 'GY'})",
    "MATCH (p:Person) SET p.name = 'x'",
    "MATCH (p:Person) SET p.phone = NULL",
    "MATCH ()-[v:VISITED]->() DELETE v",
    "MATCH (h:Household) DETACH DELETE h",
    "COPY Grid FROM '{csv}'",
    "CREATE NODE TABLE Extra(id STRING, PRIMARY KEY(id))",
    "ALTER TABLE Grid ADD note STRING",
    "DROP TABLE VISITED",
    "MATCH (n) RETURN count(n); CREATE (:Grid {id: 'GZ'})",
]


@pytest.fixture(scope="module")
def qingping(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = tmp_path_factory.mktemp("cypher") / "store"
    backend = EmbeddedBackend(path)
    scenario, _ = load_scenario(backend, "qingping")
    yield backend, path, scenario
    backend.close()


def test_a_read_answers_with_rows_a_table_and_masked_personal_data(qingping: Any) -> None:
    backend, _, scenario = qingping
    area = scenario.spec.area
    result = backend.query(
        "MATCH (p:Person)-[:MEMBER_OF]->(h:Household) WHERE h.division_code STARTS WITH $area "
        "RETURN p.id AS id, p.id_number AS idn, p.phone AS called_anything, p AS person "
        "ORDER BY id LIMIT 5",
        area=area,
    )
    assert result.columns == ["id", "idn", "called_anything", "person"] and len(result) == 5
    row = result.rows[0]
    assert "*" in row["idn"] and "*" in row["called_anything"]  # masked, whatever the alias
    assert "*" in row["person"]["id_number"] and "*" in row["person"]["phone"]
    full = backend.query("MATCH (p:Person {id: $id}) RETURN p.id_number AS idn", {"id": row["id"]},
                         unmasked=True)  # fmt: skip
    assert full.rows[0]["idn"] == row["idn"]  # the store itself holds it masked
    # what the rows carry from elsewhere is masked too, unless asked for as it is
    given = backend.query("RETURN $x AS anything", x="11010519491231002X")
    assert given.rows[0]["anything"] == "1101**********002X"
    assert backend.query("RETURN $x AS anything", x="11010519491231002X",
                         unmasked=True).rows[0]["anything"] == "11010519491231002X"  # fmt: skip
    table = result.to_arrow()
    assert table.num_rows == 5 and table.column_names == result.columns


@pytest.mark.parametrize("statement", WRITES)
def test_every_kind_of_write_is_refused_and_nothing_changes(
    qingping: Any, statement: str, tmp_path: Path
) -> None:
    backend, _, _ = qingping
    csv = tmp_path / "grids.csv"  # a well-formed row for the Grid table
    csv.write_text(",".join(["GNEW"] + ["1"] * (len(node_spec(Label.GRID).props) - 1)) + "\n")
    before = backend.counts()
    with pytest.raises(QueryFailed, match=r"read-only transaction|multiple statements"):
        backend.query(statement.replace("{csv}", str(csv)))
    assert backend.counts() == before


def test_govgraph_cypher_prints_a_table_json_and_csv_and_refuses_writes(qingping: Any) -> None:
    _, path, scenario = qingping
    run = CliRunner()
    statement = (
        "MATCH (g:Grid)<-[:IN_GRID]-(h:Household) WHERE g.division_code STARTS WITH $area "
        "RETURN g.id AS grid, count(h) AS households ORDER BY households DESC, grid LIMIT 3"
    )
    area = ["--param", f"area={scenario.spec.area}"]
    as_json = run.invoke(cli, ["--store", str(path), "cypher", statement, *area, "--json"])
    assert as_json.exit_code == 0, as_json.output
    rows = json.loads(as_json.output)
    assert len(rows) == 3 and rows[0]["households"] >= rows[1]["households"]
    as_csv = run.invoke(cli, ["--store", str(path), "cypher", statement, *area, "--csv"])
    assert as_csv.output.splitlines()[0] == "grid,households"
    assert as_csv.output.splitlines()[1] == f"{rows[0]['grid']},{rows[0]['households']}"
    table = run.invoke(cli, ["--store", str(path), "cypher", statement, *area])
    assert rows[0]["grid"] in table.output
    refused = run.invoke(cli, ["--store", str(path), "cypher", "CREATE (:Grid {id: 'GX'})"])
    assert refused.exit_code == 1 and "read-only" in refused.output
    bad = run.invoke(cli, ["--store", str(path), "cypher", "RETURN 1", "--param", "nope"])
    assert bad.exit_code == 2 and "NAME=VALUE" in bad.output
    limited = run.invoke(cli, ["--store", str(path), "cypher",
                               "MATCH (h:Household) RETURN h.id AS id LIMIT $n", "-p", "n:=2",
                               "--json"])  # fmt: skip
    assert limited.exit_code == 0 and len(json.loads(limited.output)) == 2


def test_a_query_as_a_frame_keeps_codes_and_ids_as_text(qingping: Any) -> None:
    import datetime as dt

    backend, _, scenario = qingping
    frame = backend.query(
        "MATCH (p:Person)-[m:MEMBER_OF]->(h:Household) WHERE h.division_code STARTS WITH $a "
        "RETURN h.division_code AS code, p.id_number AS idn, h.id AS household, "
        "p.birth_year AS born ORDER BY household LIMIT 20",
        a=scenario.spec.area,
        unmasked=True,
    ).to_frame()
    assert list(frame.columns) == ["code", "idn", "household", "born"] and len(frame) == 20
    assert all(isinstance(v, str) and v.startswith("621123109") for v in frame["code"])
    assert all(isinstance(v, str) and len(v) == 18 for v in frame["idn"])  # never a number
    assert str(frame["born"].dtype) == "int64"
    visits = backend.query(
        "MATCH (p:Person)-[v:VISITED]->(h:Household) RETURN v.date AS day LIMIT 3"
    ).to_frame()
    assert all(isinstance(d, dt.date) for d in visits["day"])
