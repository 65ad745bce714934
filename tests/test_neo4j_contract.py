"""The Neo4j backend against a real Neo4j 5 (the ``neo4j_server`` fixture): one started by
tools/neo4j-test-server for the session wherever Java and Maven are, or the server named by
``GOVGRAPH_TEST_NEO4J_URI`` (with ``GOVGRAPH_NEO4J_PASSWORD``)::

    GOVGRAPH_TEST_NEO4J_URI=bolt://localhost:7687 GOVGRAPH_NEO4J_PASSWORD=govgraph-dev pytest \\
        tests/test_neo4j_contract.py
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from govgraph.backends.base import GraphBackend
from govgraph.errors import QueryFailed
from govgraph.figures import check_figures
from govgraph.loaders.load import load_scenario

pytestmark = pytest.mark.slow


@pytest.fixture
def neo4j(neo4j_server: tuple[str, str]) -> Iterator[GraphBackend]:
    from govgraph.backends.neo4j import Neo4jBackend

    uri, password = neo4j_server
    backend = Neo4jBackend(
        uri,
        (os.environ.get("GOVGRAPH_NEO4J_USER", "neo4j"), password),
        database=os.environ.get("GOVGRAPH_NEO4J_DATABASE"),
    )
    _empty(backend)
    yield backend
    backend.close()


def _empty(backend: GraphBackend) -> None:
    """Delete everything, in batches (a county is too big for one transaction's memory)."""
    with backend._driver.session(database=backend._database) as session:  # type: ignore[attr-defined]
        session.run(
            "MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
        ).consume()


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


def test_the_questions_answer_the_same_on_both_engines(neo4j, store) -> None:  # type: ignore[no-untyped-def]
    from govgraph import questions as q

    scenario, _ = load_scenario(neo4j, "wucheng")
    load_scenario(store, "wucheng")
    spec = scenario.spec
    area, as_of = spec.area, spec.as_of
    assert q.uncovered(neo4j, area, as_of=as_of) == q.uncovered(store, area, as_of=as_of)
    assert q.worker_loads(neo4j, area, as_of=as_of) == q.worker_loads(store, area, as_of=as_of)
    assert q.overdue(neo4j, as_of=as_of, area=area) == q.overdue(store, as_of=as_of, area=area)
    assert q.area_summary(neo4j, area, as_of=as_of) == q.area_summary(store, area, as_of=as_of)
    household = store.read("sample_households", {"area": area, "limit": 1})[0]["id"]
    assert q.responsible(neo4j, household, as_of=as_of) == q.responsible(
        store, household, as_of=as_of
    )
    for case_id in scenario.manifest.overdue_cases:
        assert q.coordination(neo4j, case_id, as_of=as_of) == q.coordination(
            store, case_id, as_of=as_of
        )


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
    from datetime import date

    from fastapi.testclient import TestClient

    from govgraph.api import create_app
    from govgraph.api.auth import AuthStore
    from govgraph.config import Settings

    scenario, _ = load_scenario(neo4j, "wucheng")
    area = scenario.spec.area
    auth = AuthStore(tmp_path / "auth.sqlite3")
    town, other = auth.create("township", area)[1], auth.create("township", "140225100")[1]
    h = neo4j._run(
        "MATCH (h:Household)-[r:IN_GRID]->(:Grid)<-[w:GRID_WORKER_OF]-(p:Person) "
        "WHERE r.valid_to IS NULL AND w.valid_to IS NULL "
        "RETURN h.id AS id, min(p.id) AS worker ORDER BY id LIMIT 1",
        {},
    )[0]
    app = create_app(Settings.load("bolt://unused", {"GOVGRAPH_NEO4J_PASSWORD": "x"}),
                     backend=neo4j, auth=auth)  # fmt: skip
    visit = {"household_id": h["id"], "person_id": h["worker"], "date": date.today().isoformat()}
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
    embedded = export_ledgers(source.backend, area, tmp_path / "embedded")
    report = import_ledgers(neo4j, list(embedded.values()), today=dt.date.today())
    assert report.problems == [] and report.written
    again = import_ledgers(neo4j, list(embedded.values()), today=dt.date.today())
    assert not again.written and again.created == {} and again.updated == {}
    back = export_ledgers(neo4j, area, tmp_path / "neo4j")
    for kind in embedded:
        assert filecmp.cmp(embedded[kind], back[kind], shallow=False), kind
