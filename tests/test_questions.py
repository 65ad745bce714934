"""Each question on the hand-built kite (tests/factories.py), answers checked by eye."""

from __future__ import annotations

import pytest

from govgraph import questions as q
from govgraph.backends.embedded import EmbeddedBackend
from govgraph.errors import NotFound

from .factories import AS_OF, V1, V2, T, kite


@pytest.fixture
def graph(store: EmbeddedBackend) -> EmbeddedBackend:
    kite(store)
    return store


def _roles(answer: q.Responsibility, role: str) -> list[tuple[str, str]]:
    return [(r.id, r.detail) for r in answer.roles if r.role == role]


def test_responsible_lists_the_whole_chain_with_roles(graph: EmbeddedBackend) -> None:
    a = q.responsible(graph, "H1", as_of=AS_OF)
    assert _roles(a, "grid") == [("G1", "")]
    assert _roles(a, "grid_worker") == [("W1", "full_time"), ("W2", "part_time")]
    assert _roles(a, "grid_head") == [("GH", "")]
    assert _roles(a, "sunk_cadre") == [("C1", "")]
    assert _roles(a, "linking_party_member") == [("M1", "")]
    assert [r for r, _ in _roles(a, "village")] == [V1]
    assert [r for r, _ in _roles(a, "township")] == [T]
    assert [r for r, _ in _roles(a, "county")] == ["620102"]
    assert [r for r, _ in _roles(a, "village_center")] == ["VC1", "VC1b"]
    assert [r for r, _ in _roles(a, "township_center")] == ["TC"]
    assert [r for r, _ in _roles(a, "county_center")] == ["KC"]
    assert {p.id for p in a.people()} == {"W1", "W2", "GH", "C1", "M1"}


def test_responsible_follows_the_current_grid_only(graph: EmbeddedBackend) -> None:
    a = q.responsible(graph, "H6", as_of=AS_OF)
    assert _roles(a, "grid") == [("G2", "")]
    assert _roles(a, "grid_worker") == [("W1", "full_time")]
    before = q.responsible(graph, "H6", as_of=AS_OF.replace(month=1))
    assert _roles(before, "grid") == [("G1", "")]


def test_a_household_in_no_grid_still_has_its_village_chain(graph: EmbeddedBackend) -> None:
    a = q.responsible(graph, "H5", as_of=AS_OF)
    assert _roles(a, "grid") == [] and _roles(a, "grid_worker") == []
    assert [r for r, _ in _roles(a, "village")] == [V1]


def test_a_missing_household_is_not_found(graph: EmbeddedBackend) -> None:
    with pytest.raises(NotFound, match="'H404'"):
        q.responsible(graph, "H404", as_of=AS_OF)


def test_uncovered_gives_every_reason_and_totals(graph: EmbeddedBackend) -> None:
    u = q.uncovered(graph, T, as_of=AS_OF)
    assert {h.household: h.reasons for h in u.households} == {
        "H2": ["not_visited"],
        "H4": ["no_worker", "no_linking_member"],
        "H5": ["no_grid", "no_linking_member", "not_visited"],
        "H6": ["no_linking_member"],
    }
    assert u.by_reason == {"no_grid": 1, "no_worker": 1, "no_linking_member": 3, "not_visited": 2}
    assert u.by_child_area[V1]["households"] == 3 and u.by_child_area[V2]["households"] == 1


def test_the_visit_window_is_inclusive_and_adjustable(graph: EmbeddedBackend) -> None:
    # H6 was visited exactly 90 days before; one day less and it is uncovered for that too
    u = q.uncovered(graph, T, as_of=AS_OF, within_days=89)
    assert "not_visited" in next(h.reasons for h in u.households if h.household == "H6")


def test_uncovered_in_one_grid_and_in_a_village(graph: EmbeddedBackend) -> None:
    assert [h.household for h in q.uncovered(graph, "G3", as_of=AS_OF).households] == ["H4"]
    assert [h.household for h in q.uncovered(graph, V2, as_of=AS_OF).households] == ["H4"]
    with pytest.raises(NotFound):
        q.uncovered(graph, "G99", as_of=AS_OF)


def test_overloaded_counts_a_two_grid_worker_once_and_ranks_by_ratio(
    graph: EmbeddedBackend,
) -> None:
    loads = {w.person: w for w in q.worker_loads(graph, T, as_of=AS_OF)}
    assert loads["W1"].households == 3.0  # G1: 2 households / 2 workers + G2: 2 / 1
    assert loads["W1"].grids == ["G1", "G2"]
    assert loads["W2"].households == 1.0
    assert loads["W1"].open_cases == 2 and loads["M1"].linked == 3
    o = q.overloaded(graph, T, as_of=AS_OF, max_households=2, max_linked=2, max_open_cases=5)
    assert [(w.person, w.ratio) for w in o.workers] == [("M1", 1.5), ("W1", 1.5)]
    assert q.overloaded(graph, T, as_of=AS_OF).workers == []
    with pytest.raises(ValueError, match="max_linked must be at least 1, not 0"):
        q.overloaded(graph, T, as_of=AS_OF, max_linked=0)


def test_coordination_returns_tied_paths_and_who_must_coordinate(graph: EmbeddedBackend) -> None:
    c = q.coordination(graph, "K1", as_of=AS_OF)
    assert c.paths == [["H1", "G1", V1, "VC1", "TC", "KC"], ["H1", "G1", V1, "VC1b", "TC", "KC"]]
    assert {(s.center, s.department, s.mode) for s in c.stations} == {
        ("TC", "P", "resident"),
        ("TC", "J", "resident"),
        ("TC", "K", "on_call"),
        ("KC", "K", "resident"),
    }
    assert [(a.department, a.role) for a in c.assigned] == [("P", "lead"), ("J", "assist")]
    assert c.not_reported == ["J"]
    assert c.must_coordinate == ["J", "K", "P"]
    # in the order the case reached them (the statement leaves ordering to govgraph/reads.py)
    assert [(e["center"], e["tier"]) for e in c.escalations] == [
        ("VC1", "village"),
        ("TC", "township"),
    ]


def test_the_path_follows_the_current_grid_of_a_household_that_moved(
    graph: EmbeddedBackend,
) -> None:
    c = q.coordination(graph, "K4", as_of=AS_OF)
    assert c.paths == [["H6", "G2", V1, "VC1", "TC", "KC"], ["H6", "G2", V1, "VC1b", "TC", "KC"]]
    before = q.coordination(graph, "K4", as_of=AS_OF.replace(month=3))
    assert [p[1] for p in before.paths] == ["G1", "G1"]


def test_a_case_with_no_department_still_has_its_path(graph: EmbeddedBackend) -> None:
    c = q.coordination(graph, "K2", as_of=AS_OF)
    assert c.paths == [["H4", "G3", V2, "VC2", "TC", "KC"]]
    assert c.assigned == [] and c.must_coordinate == []
    with pytest.raises(NotFound):
        q.coordination(graph, "K404", as_of=AS_OF)


def test_overdue_and_stuck(graph: EmbeddedBackend) -> None:
    o = q.overdue(graph, as_of=AS_OF)
    assert [(c.case_id, c.days_overdue, c.escalate_to) for c in o.overdue] == [("K1", 5, "county")]
    assert [(c.case_id, c.days_at_tier) for c in o.stuck] == [("K1", 12), ("K2", 1)]
    assert q.overdue(graph, as_of=AS_OF, area=V2).overdue == []


def test_area_summary(graph: EmbeddedBackend) -> None:
    s = q.area_summary(graph, T, as_of=AS_OF)
    assert (s.households, s.grids, s.grid_workers, s.linking_party_members) == (6, 3, 2, 1)
    assert (s.open_cases, s.closed_cases) == (2, 2)
    assert s.staffed_rate == round(4 / 6, 4)
    assert (s.households_per_worker_mean, s.households_per_worker_max) == (2.0, 3.0)
    with pytest.raises(NotFound):
        q.area_summary(graph, "110101", as_of=AS_OF)


def test_bad_area_codes_are_refused(graph: EmbeddedBackend) -> None:
    with pytest.raises(ValueError, match="division code"):
        q.uncovered(graph, "62'; MATCH (n) DETACH DELETE n //", as_of=AS_OF)


@pytest.mark.parametrize(
    "attempt",
    [
        "H1' OR 1=1 //",
        "H1}) MATCH (n) DETACH DELETE n //",
        'H1" RETURN 1',
        "MATCH (n) RETURN n",
        "H1\\u0027",
        "户１",
        "' UNION ALL MATCH (p:Person) RETURN p.id, p.name, p.phone, '', '' //",
    ],
)
def test_injection_attempts_change_nothing(graph: EmbeddedBackend, attempt: str) -> None:
    before = graph.counts()
    with pytest.raises(NotFound):
        q.responsible(graph, attempt, as_of=AS_OF)
    with pytest.raises(NotFound):
        q.coordination(graph, attempt, as_of=AS_OF)
    with pytest.raises(NotFound):
        q.uncovered(graph, "G" + attempt, as_of=AS_OF)
    with pytest.raises(ValueError):
        q.overloaded(graph, attempt, as_of=AS_OF)
    assert graph.counts() == before
