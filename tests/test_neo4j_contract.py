"""The Neo4j backend against a real Neo4j 5 (the ``neo4j_server`` fixture): one started by
tools/neo4j-test-server for the session wherever Java and Maven are, or the server named by
``GOVGRAPH_TEST_NEO4J_URI`` (with ``GOVGRAPH_NEO4J_PASSWORD``)::

    GOVGRAPH_TEST_NEO4J_URI=bolt://localhost:7687 GOVGRAPH_NEO4J_PASSWORD=govgraph-dev pytest \\
        tests/test_neo4j_contract.py
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from govgraph.errors import QueryFailed
from govgraph.figures import check_figures
from govgraph.loaders.load import load_scenario

pytestmark = pytest.mark.slow


SCENARIOS = ["qingping", "wucheng", "zhenyuan", "yuqing", "horqin"]


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_scenario_loads_as_on_embedded_and_holds_its_figures(  # type: ignore[no-untyped-def]
    neo4j, loaded, name
) -> None:
    scenario, _ = load_scenario(neo4j, name)
    assert neo4j.counts() == loaded(name).backend.counts()
    figures = check_figures(neo4j, scenario.spec)
    assert figures and all(c.holds for c in figures), [c for c in figures if not c.holds]


def test_loading_twice_changes_no_count(neo4j) -> None:  # type: ignore[no-untyped-def]
    load_scenario(neo4j, "wucheng")
    first = neo4j.counts()
    load_scenario(neo4j, "wucheng")
    assert neo4j.counts() == first


def test_errors_are_translated(neo4j) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(QueryFailed):
        neo4j._run("MATCH (n RETURN n", {})


@pytest.mark.parametrize("name", ["qingping", "wucheng", "horqin"])
def test_the_questions_answer_the_same_on_both_engines(neo4j, loaded, name) -> None:  # type: ignore[no-untyped-def]
    """Every question, on sampled households and on every case that went to a center."""
    import random

    from govgraph import questions as q
    from govgraph.responsibility import anchored_rows
    from govgraph.schema.model import Label, Rel

    scenario, _ = load_scenario(neo4j, name)
    store = loaded(name).backend
    area, as_of = scenario.spec.area, scenario.spec.as_of
    assert q.uncovered(neo4j, area, as_of=as_of) == q.uncovered(store, area, as_of=as_of)
    neo4j.columnar_reads = True  # the embedded engine's column statements, on Neo4j
    try:
        assert q.uncovered(neo4j, area, as_of=as_of) == q.uncovered(store, area, as_of=as_of)
    finally:
        del neo4j.columnar_reads
    assert q.worker_loads(neo4j, area, as_of=as_of) == q.worker_loads(store, area, as_of=as_of)
    assert q.overloaded(neo4j, area, as_of=as_of) == q.overloaded(store, area, as_of=as_of)
    few = {"max_linked": 5}  # members named by key: linking_people on both engines
    members = q.overloaded(store, area, as_of=as_of, **few)
    assert q.overloaded(neo4j, area, as_of=as_of, **few) == members
    assert q.overdue(neo4j, as_of=as_of, area=area) == q.overdue(store, as_of=as_of, area=area)
    assert q.area_summary(neo4j, area, as_of=as_of) == q.area_summary(store, area, as_of=as_of)
    households = [r["id"] for r in store.read("sample_households", {"area": area, "limit": 10**6})]

    def rows(found: list[dict[str, object]]) -> list[tuple[object, ...]]:
        return sorted({tuple(str(r[k] or "") for k in ("role", "id", "name", "via", "detail"))
                       for r in found})  # fmt: skip

    for household in random.Random(name).sample(households, 40):
        assert q.responsible(neo4j, household, as_of=as_of) == q.responsible(
            store, household, as_of=as_of
        ), household
        # the anchored statements are in the catalog for both engines: on Neo4j too they
        # give the union's rows (the embedded store answers with them, Neo4j with the union)
        union = neo4j.read("responsible", {"household": household, "as_of": as_of})
        assert rows(anchored_rows(neo4j, household, as_of)) == rows(union), household
    escalated = store.relationships_in_area(
        Rel.ESCALATED_TO, Label.CASE, Label.GOVERNANCE_CENTER, area
    ).column("source")
    cases = sorted(set(escalated.to_pylist()))
    assert len(cases) >= 5
    for case_id in cases:
        assert q.coordination(neo4j, case_id, as_of=as_of) == q.coordination(
            store, case_id, as_of=as_of
        ), case_id
    # and the embedded engine's anchored statements, run on Neo4j, walk the same paths
    neo4j.anchored_reads = True
    try:
        for case_id in cases[:10]:
            assert q.coordination(neo4j, case_id, as_of=as_of) == q.coordination(
                store, case_id, as_of=as_of
            ), case_id
    finally:
        del neo4j.anchored_reads


def test_the_briefing_reads_the_same_area_on_both_engines(neo4j, store) -> None:  # type: ignore[no-untyped-def]
    from govgraph.analytics import metrics as m
    from govgraph.analytics.subgraph import area_graph

    scenario, _ = load_scenario(neo4j, "wucheng")
    load_scenario(store, "wucheng")
    area, as_of = scenario.spec.area, scenario.spec.as_of
    a, b = area_graph(neo4j, area), area_graph(store, area)
    assert (a.number_of_nodes(), a.number_of_edges()) == (b.number_of_nodes(), b.number_of_edges())
    assert m.coverage(a, as_of) == m.coverage(b, as_of)
    assert m.department_network(a) == m.department_network(b)


def test_the_field_s_writes_land_the_same_on_both_engines(neo4j, store) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    from .factories import field_day

    scenario, _ = load_scenario(neo4j, "wucheng")
    load_scenario(store, "wucheng")
    today = date.today()
    on_neo4j = field_day(neo4j, scenario.spec.area, today)
    on_embedded = field_day(store, scenario.spec.area, today)
    assert [w.answer for w in on_neo4j[:11]] == [w.answer for w in on_embedded[:11]]
    assert all(w.changed for w in on_neo4j[:11])
    assert on_neo4j[11:] == on_embedded[11:]
    again = field_day(neo4j, scenario.spec.area, today, retry=True)
    assert not any(w.changed for w in again[:11]) and again[11:] == on_neo4j[11:]


def test_the_api_writes_and_reads_back_on_neo4j(neo4j, tmp_path) -> None:  # type: ignore[no-untyped-def]

    from fastapi.testclient import TestClient

    from govgraph.api import create_app
    from govgraph.api.auth import AuthStore
    from govgraph.config import Settings

    scenario, _ = load_scenario(neo4j, "wucheng")
    area = scenario.spec.area
    auth = AuthStore(tmp_path / "auth.sqlite3")
    town, other = auth.create("township", area)[1], auth.create("township", "140225100")[1]
    from govgraph import questions as q

    day = scenario.spec.as_of  # the store's day: its questions and writes happen then
    assert neo4j.default_day() == day
    unvisited = {u.household for u in q.uncovered(neo4j, area, as_of=day).households
                 if "not_visited" in u.reasons}  # fmt: skip
    h = next(r for r in neo4j._run(
        "MATCH (h:Household)-[r:IN_GRID]->(:Grid)<-[w:GRID_WORKER_OF]-(p:Person) "
        "WHERE r.valid_to IS NULL AND w.valid_to IS NULL "
        "RETURN h.id AS id, min(p.id) AS worker ORDER BY id",
        {},
    ) if r["id"] in unvisited)  # fmt: skip
    app = create_app(Settings.load("bolt://unused", {"GOVGRAPH_NEO4J_PASSWORD": "x"}),
                     backend=neo4j, auth=auth)  # fmt: skip
    visit = {"household_id": h["id"], "person_id": h["worker"], "date": day.isoformat()}
    with TestClient(app) as client:

        def post(path: str, body: dict[str, object], token: str, key: str = "") -> Any:
            headers = {"Authorization": f"Bearer {token}"}
            if key:
                headers["Idempotency-Key"] = key
            return client.post(path, json=body, headers=headers)

        headers = {"Authorization": f"Bearer {town}"}
        before = client.get("/households/uncovered", headers=headers).json()["by_reason"]
        assert post("/visits", visit, other).status_code == 404
        first = post("/visits", visit, town, key="neo4j-visit")
        assert first.status_code == 201, first.text
        assert post("/visits", visit, town, key="neo4j-visit").json() == first.json()
        assert post("/visits", visit, town).status_code == 409
        after = client.get("/households/uncovered", headers=headers).json()["by_reason"]
        assert after["not_visited"] == before["not_visited"] - 1
        case = post("/cases", {"type": "debt", "households": [h["id"]]}, town, key="neo4j-case")
        assert case.status_code == 201, case.text
        cid = case.json()["id"]
        up = post(f"/cases/{cid}/escalations", {"tier": "township"}, town)
        assert up.status_code == 201 and up.json()["tier"] == "township"
        assert post(f"/cases/{cid}/escalations", {"tier": "township"}, town).status_code == 409
        assert post(f"/cases/{cid}/closing", {"outcome": "resolved"}, town).status_code == 200
        assert post(f"/cases/{cid}/closing", {"outcome": "resolved"}, town).status_code == 409


def test_ledgers_export_the_same_from_neo4j_and_round_trip_through_it(  # type: ignore[no-untyped-def]
    neo4j, loaded, tmp_path
) -> None:
    import datetime as dt
    import filecmp

    from govgraph.loaders.ledger.export import export_ledgers
    from govgraph.loaders.ledger.importer import import_ledgers

    source = loaded("qingping")
    area = source.scenario.spec.area
    embedded = export_ledgers(source.backend, area, tmp_path / "embedded", unmasked=True)
    report = import_ledgers(neo4j, list(embedded.values()), today=dt.date.today())
    assert report.problems == [] and report.written
    # the whole network came: every label and relationship, the centers and party above
    assert neo4j.counts() == source.backend.counts()
    from .factories import same_answers

    same_answers(source.backend, neo4j, area, source.scenario.spec.as_of)
    again = import_ledgers(neo4j, list(embedded.values()), today=dt.date.today())
    assert not again.written and again.created == {} and again.updated == {}
    back = export_ledgers(neo4j, area, tmp_path / "neo4j", unmasked=True)
    for kind in embedded:
        assert filecmp.cmp(embedded[kind], back[kind], shallow=False), kind


def test_the_bench_puts_neo4j_beside_the_embedded_engine(neo4j, neo4j_server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    from click.testing import CliRunner

    from govgraph.cli import cli

    uri, password = neo4j_server
    output = tmp_path / "bench.json"
    args = ["bench", "--scale", "S", "--repeat", "1", "--runs", "5", "--no-networkx"]
    args += ["--neo4j", uri, "--output", str(output), "--json"]
    env = {"GOVGRAPH_NEO4J_PASSWORD": password}
    result = CliRunner().invoke(cli, args, env=env)
    assert result.exit_code == 0, result.output
    data = json.loads(output.read_text(encoding="utf-8"))["S"]
    assert data["neo4j"]["server"].startswith("Neo4j/5.")
    assert data["neo4j"]["load_seconds"] > 0
    assert set(data["neo4j"]["timings"]) == set(data["questions"]["timings"])
    assert sum(neo4j.counts()["nodes"].values()) == 0  # emptied afterwards
    text = output.with_suffix(".md").read_text(encoding="utf-8")
    assert "| Neo4j median ms |" in text and "× embedded)" in text
    load_scenario(neo4j, "qingping")  # a database that holds anything is never touched
    held = sum(neo4j.counts()["nodes"].values())
    refused = CliRunner().invoke(cli, args, env=env)
    assert refused.exit_code == 1 and f"holds {held:,} nodes" in refused.output, refused.output
    assert sum(neo4j.counts()["nodes"].values()) == held


NEO4J_WRITES = [
    "CREATE (:Grid {id: 'GX'})",
    "MERGE (g:Grid {id: 'GY'})",
    "MATCH (p:Person) SET p.name = 'x'",
    "MATCH (p:Person) REMOVE p.phone",
    "MATCH ()-[v:VISITED]->() DELETE v",
    "MATCH (h:Household) DETACH DELETE h",
    "CREATE INDEX extra FOR (g:Grid) ON (g.name)",
    "LOAD CSV FROM 'file:///nowhere.csv' AS row CREATE (:Grid {id: row[0]})",
    "CALL () { CREATE (:Grid {id: 'GZ'}) } IN TRANSACTIONS",
]


def test_an_analysts_cypher_reads_the_same_on_neo4j_and_no_write_gets_through(  # type: ignore[no-untyped-def]
    neo4j, neo4j_server, loaded
) -> None:
    from govgraph.errors import QueryFailed

    scenario, _ = load_scenario(neo4j, "qingping")
    statement = (
        "MATCH (g:Grid)<-[:IN_GRID]-(h:Household) WHERE g.division_code STARTS WITH $area "
        "RETURN g.id AS grid, count(h) AS households ORDER BY households DESC, grid LIMIT 5"
    )
    area = scenario.spec.area
    assert (
        neo4j.query(statement, area=area).rows
        == loaded("qingping").backend.query(statement, area=area).rows
    )
    person = neo4j.query("MATCH (p:Person) RETURN p.id_number AS x, p LIMIT 1").rows[0]
    assert "*" in person["x"] and "*" in person["p"]["id_number"]
    from click.testing import CliRunner

    from govgraph.cli import cli

    uri, password = neo4j_server
    env = {"GOVGRAPH_NEO4J_PASSWORD": password}
    printed = CliRunner().invoke(
        cli, ["--store", uri, "cypher", statement, "--param", f"area={area}", "--json"], env=env
    )
    assert printed.exit_code == 0, printed.output
    assert json.loads(printed.output) == neo4j.query(statement, area=area).rows
    refused = CliRunner().invoke(cli, ["--store", uri, "cypher", NEO4J_WRITES[0]], env=env)
    assert refused.exit_code == 1 and "read access mode" in refused.output
    before = neo4j.counts()
    for write in NEO4J_WRITES:  # refused by the server's access mode, not by a keyword
        with pytest.raises(QueryFailed, match="Writing in read access mode not allowed"):
            neo4j.query(write)
    assert neo4j.counts() == before


def test_a_store_copied_into_neo4j_holds_every_count_and_answers_the_same(  # type: ignore[no-untyped-def]
    neo4j, loaded
) -> None:
    from govgraph import questions as q
    from govgraph.loaders.copy import copy_store

    source = loaded("wucheng")
    spec = source.scenario.spec
    report = copy_store(source.backend, neo4j)
    assert neo4j.counts() == source.backend.counts() == report.counts
    assert copy_store(source.backend, neo4j).counts == report.counts  # again: no change
    area, as_of = spec.area, spec.as_of
    assert q.uncovered(neo4j, area, as_of=as_of) == q.uncovered(source.backend, area, as_of=as_of)
    late = q.overdue(neo4j, as_of=as_of, area=area)
    assert late == q.overdue(source.backend, as_of=as_of, area=area)
    case = late.overdue[0].case_id
    assert q.coordination(neo4j, case, as_of=as_of) == q.coordination(
        source.backend, case, as_of=as_of
    )


def test_a_neo4j_store_records_its_model_and_migrates_like_an_embedded_one(  # type: ignore[no-untyped-def]
    neo4j, neo4j_server, monkeypatch
) -> None:
    from govgraph.backends import open_backend
    from govgraph.backends import versions as v
    from govgraph.config import Settings
    from govgraph.errors import StoreOutdated, StoreTooNew

    uri, password = neo4j_server
    monkeypatch.setenv("GOVGRAPH_NEO4J_PASSWORD", password)
    settings = Settings.load(uri)
    assert neo4j.model_version() is None  # emptied
    # a store as the release before sealing left it: model 2, ID numbers in the clear
    neo4j._run("CREATE (:GovgraphStore {key: 'model', model_version: 2, release: '0.2.0.dev0'}) "
               "CREATE (:Person {id: 'P1', name: '张三', id_number: '11010519491231002X', "
               "phone: '13800005678'})", {}, write=True)  # fmt: skip
    for read_only in (True, False):
        with pytest.raises(StoreOutdated, match="migrate"):
            open_backend(settings, read_only=read_only)
    with open_backend(settings, check_model=False) as backend:
        report = v.migrate(backend)
        assert (report.before, report.after) == (2, v.MODEL_VERSION)
        assert not backend.residue()  # Neo4j's files are its own to compact
        (row,) = backend._run("MATCH (p:Person {id: 'P1'}) RETURN p.id AS person, p.id_number "
                              "AS id_number, p.id_number_sealed AS id_number_sealed, p.phone AS "
                              "phone, p.phone_sealed AS phone_sealed", {})  # fmt: skip
        assert (row["id_number"], row["phone"]) == ("1101**********002X", "138****5678")
        assert backend.reveal([row])[0]["id_number"] == "11010519491231002X"
        assert [p["id"] for p in backend.people_with_id_number("11010519491231002x")] == ["P1"]
    with open_backend(settings) as writing:  # current now
        assert writing.model_version() == v.MODEL_VERSION
    neo4j.clear()
    load_scenario(neo4j, "qingping")
    assert neo4j.model_version() == v.MODEL_VERSION
    counts = neo4j.counts()
    neo4j.record_model_version(v.MODEL_VERSION + 1, "9.0.0")
    with pytest.raises(StoreTooNew, match="newer govgraph"):
        open_backend(settings)
    assert neo4j.counts() == counts and neo4j.model_version() == v.MODEL_VERSION + 1


def test_personal_data_is_sealed_on_neo4j_and_a_rotation_reseals_it(neo4j) -> None:  # type: ignore[no-untyped-def]
    from govgraph.loaders.rotate import rotate_key

    load_scenario(neo4j, "wucheng")
    people = ("MATCH (p:Person) RETURN p.id AS person, p.id_number AS id_number, "
              "p.id_number_sealed AS id_number_sealed, p.phone AS phone, "
              "p.phone_sealed AS phone_sealed ORDER BY person")  # fmt: skip
    stored = neo4j._run(people, {})
    assert stored and all("*" in r["id_number"] for r in stored if r["id_number"])
    plain = neo4j.reveal(stored)
    assert all("*" not in r["id_number"] for r in plain if r["id_number"])
    sample = next(r for r in plain if r["id_number"])
    assert [p["id"] for p in neo4j.people_with_id_number(sample["id_number"])] == [sample["person"]]
    before = neo4j.key_fingerprint()
    done = rotate_key(neo4j)
    assert done.old == before and neo4j.key_fingerprint() == done.new != before
    neo4j.use_key(None)
    assert neo4j.reveal(neo4j._run(people, {})) == plain
    assert [p["id"] for p in neo4j.people_with_id_number(sample["id_number"])] == [sample["person"]]
