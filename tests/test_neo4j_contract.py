"""The Neo4j backend against a real Neo4j 5 (the ``neo4j_server`` fixture): one started by
tools/neo4j-test-server for the session wherever Java and Maven are, or the server named by
``GOVGRAPH_TEST_NEO4J_URI`` (with ``GOVGRAPH_NEO4J_PASSWORD``)::

    GOVGRAPH_TEST_NEO4J_URI=bolt://localhost:7687 GOVGRAPH_NEO4J_PASSWORD=govgraph-dev pytest \\
        tests/test_neo4j_contract.py
"""

from __future__ import annotations

import os
from collections.abc import Iterator

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
    backend._run("MATCH (n) DETACH DELETE n", {}, write=True)
    yield backend
    backend.close()


def test_a_scenario_loads_with_the_same_counts_as_embedded(neo4j, store) -> None:  # type: ignore[no-untyped-def]
    scenario, _ = load_scenario(neo4j, "wucheng")
    load_scenario(store, "wucheng")
    assert neo4j.counts() == store.counts()
    assert all(c.holds for c in check_figures(neo4j, scenario.spec))


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
