"""Metrics on the kite (answers checked by eye), the rebalancing plan against brute force,
and on a scenario the metrics agree with the questions."""

from __future__ import annotations

import itertools
import math
import random
from typing import Any

import pytest

from govgraph import questions as q
from govgraph.analytics import metrics as m
from govgraph.analytics.rebalance import SAME_TOWNSHIP, SAME_VILLAGE, rebalance, rebalance_graph
from govgraph.analytics.subgraph import area_graph
from govgraph.backends.embedded import EmbeddedBackend

from .factories import AS_OF, V1, V2, T, kite

POLICE, JUSTICE = "P", "J"


@pytest.fixture
def g(store: EmbeddedBackend) -> Any:
    kite(store)
    return area_graph(store, T[:6])


def test_distribution_is_more_than_a_mean() -> None:
    d = m.distribution([1, 1, 2, 3, 50])
    assert (d.n, d.median, d.max, d.mean) == (5, 2.0, 50.0, 11.4)
    assert d.p90 == pytest.approx(31.2)
    assert sum(c for _, _, c in d.histogram) == 5 and d.histogram[-1][2] == 1
    assert m.distribution([]).n == 0


def test_coverage_on_the_kite(g: Any) -> None:
    c = m.coverage(g, AS_OF)
    # covered: H1 and H3; H2 unvisited; H4's worker left; H5 in no grid; H6 has no linking member
    assert (c.households, c.covered, c.rate) == (6, 2, round(2 / 6, 4))
    assert c.reason_count == {"no_grid": 1, "no_worker": 1, "no_linking_member": 3,
                              "not_visited": 2}  # fmt: skip
    assert c.reason_share["no_linking_member"] == 0.5
    # V1: H1, H2, H3, H5, H6 (H1 and H3 covered); V2: H4
    assert [(a.code, a.households, a.covered) for a in c.areas] == [(V1, 5, 2), (V2, 1, 0)]


def test_span_of_control_on_the_kite(g: Any) -> None:
    s = m.span_of_control(g, AS_OF)
    # W1: half of G1 (H1, H2) + all of G2 (H3, H6) = 3; W2: half of G1 = 1
    assert (s["grid_worker"].n, s["grid_worker"].max, s["grid_worker"].median) == (2, 3.0, 2.0)
    assert (s["grid_head"].n, s["grid_head"].max) == (1, 5.0)  # GH heads all five in grids
    assert (s["linking_member"].n, s["linking_member"].max) == (1, 3.0)  # M1: H1, H2, H3


def test_caseload_and_escalation_on_the_kite(g: Any) -> None:
    c = m.caseload(g, AS_OF)
    assert c.open_cases == 2  # K1 and K2
    assert (c.overdue, c.overdue_by_tier["township"]) == (1, 1)  # K1, due 2023-12-10
    p = m.escalation_profile(g, AS_OF)
    assert p.closed == 2  # K3, K4


def test_department_network_on_the_kite(g: Any) -> None:
    n = m.department_network(g)
    # police and justice share case K1 and the township center; the court shares the center
    assert (n.departments, n.links, n.density) == (3, 3, 1.0)
    assert n.top_pairs[0] == (*sorted([POLICE, JUSTICE]), 1, 1)


def test_key_players_on_the_kite(g: Any) -> None:
    players = {p.person: p for p in m.key_players(g, AS_OF)}
    # GH is the only head of every grid: losing GH orphans all 5 households in grids;
    # W1 is the only worker of G2: losing W1 orphans H3 and H6
    assert players["GH"].orphaned == 5 and players["W1"].orphaned == 2
    assert "W2" not in players  # W1 also serves G1


# -- the rebalancing plan ------------------------------------------------------------------


def _brute_force(loads: dict[str, int], places: dict[str, tuple[str, str]], limit: int
                 ) -> tuple[int, int] | None:  # fmt: skip
    """Fewest moved households, then least cost, by trying every assignment of excess."""
    excess = {w: v - limit for w, v in loads.items() if v > limit}
    room = {w: limit - v for w, v in loads.items() if v < limit}
    units = [w for w, e in excess.items() for _ in range(e)]
    best: tuple[int, int] | None = None
    targets = list(room)
    for choice in itertools.product(targets, repeat=len(units)):
        used = dict.fromkeys(targets, 0)
        cost = 0
        ok = True
        for w, u in zip(units, choice, strict=True):
            used[u] += 1
            if places[u][1] != places[w][1] or used[u] > room[u]:
                ok = False
                break
            cost += SAME_VILLAGE if places[u][0] == places[w][0] else SAME_TOWNSHIP
        if ok and (best is None or (len(units), cost) < best):
            best = (len(units), cost)
    return best


def test_rebalance_matches_brute_force_on_small_cases() -> None:
    rng = random.Random(7)
    checked = 0
    for _ in range(60):
        n = rng.randint(2, 4)
        workers = [f"w{i}" for i in range(n)]
        places = {w: (rng.choice(["v1", "v2"]), rng.choice(["t1", "t1", "t2"])) for w in workers}
        loads = {w: rng.randint(2, 9) for w in workers}
        limit = 6
        if sum(max(0, v - limit) for v in loads.values()) > 5:
            continue  # keep the brute force small
        plan = rebalance(dict(loads), places, limit)
        expected = _brute_force(loads, places, limit)
        if expected is None:
            assert not plan.feasible and plan.hire
            continue
        cost = sum(
            mv.households * (SAME_VILLAGE if mv.scope == "village" else SAME_TOWNSHIP)
            for mv in plan.moves
        )
        assert plan.feasible and (plan.moved, cost) == expected, (loads, places)
        assert all(v <= limit for v in plan.after.values())
        checked += 1
    assert checked >= 20


def test_rebalance_says_how_many_workers_to_hire() -> None:
    plan = rebalance({"a": 130, "b": 40}, {"a": ("v", "t"), "b": ("v", "t")}, 50)
    assert (
        plan.moved == 10 and plan.unplaced == {"t": 70} and plan.hire == {"t": math.ceil(70 / 50)}
    )
    assert not plan.feasible


# -- on a scenario the metrics agree with the questions ------------------------------------


def test_metrics_agree_with_the_questions_on_a_scenario(loaded: Any) -> None:
    s = loaded("qingping")
    area, as_of = s.scenario.spec.area, s.scenario.spec.as_of
    g = area_graph(s.backend, area)
    c = m.coverage(g, as_of)
    u = q.uncovered(s.backend, area, as_of=as_of)
    assert c.households - c.covered == len(u.households)
    assert {k: v for k, v in c.reason_count.items() if v} == {
        k: v for k, v in u.by_reason.items() if v
    }
    loads = q.overloaded(s.backend, area, as_of=as_of, max_households=1).workers
    span = m.span_of_control(g, as_of)["grid_worker"]
    assert span.max == pytest.approx(max(w.households for w in loads))
    heavy = {w.person for w in loads if w.households > 50}
    assert heavy == {w for w, v in rebalance_graph(g, as_of, 50).before.items() if v > 50}
    assert m.caseload(g, as_of).overdue == len(q.overdue(s.backend, as_of=as_of, area=area).overdue)
    plan = rebalance_graph(g, as_of, 50)
    over = [w for w in loads if w.households > 50]
    assert plan.moved >= sum(math.ceil(w.households - 50) for w in over) - 1e-9
    assert all(v <= 50 for v in plan.after.values()) or plan.hire


def test_the_department_subgraph_gives_the_briefing_s_department_network(loaded: Any) -> None:
    """The departments view reads only cases, centers and departments; its network must be
    the one the briefing computes from the whole area."""
    from govgraph.analytics.subgraph import department_subgraph

    s = loaded("qingping")
    area = s.scenario.spec.area
    small, whole = department_subgraph(s.backend, area), area_graph(s.backend, area)
    assert small.number_of_nodes() < whole.number_of_nodes() / 10
    network = m.department_network(small)
    assert network.departments > 5 and network == m.department_network(whole)


def test_area_graph_is_a_well_formed_networkx_graph(loaded: Any) -> None:
    """area_graph writes links straight into networkx's adjacency for speed: the result must
    be exactly what networkx's own add_nodes_from/add_edges_from build from the same data."""
    import networkx as nx

    s = loaded("qingping")
    g = area_graph(s.backend, s.scenario.spec.area)
    rebuilt = nx.MultiDiGraph()
    rebuilt.add_nodes_from(g.nodes(data=True))
    rebuilt.add_edges_from(g.edges(keys=True, data=True))
    assert g.number_of_edges() > 15_000
    assert dict(g.nodes(data=True)) == dict(rebuilt.nodes(data=True))
    assert g._succ == rebuilt._succ and g._pred == rebuilt._pred
    assert sorted(g.in_degree(), key=str) == sorted(rebuilt.in_degree(), key=str)
