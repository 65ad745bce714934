"""On every scenario each question finds exactly what the generator planted: no more, no fewer."""

from __future__ import annotations

import pytest

from govgraph import questions as q
from govgraph.loaders.scenarios import SCENARIOS

NAMES = list(SCENARIOS)
#: the scale scenario (a million households by default) at a size a test can load
SMALL = {"qingyang": 30_000}


def _item(loaded, name: str):  # type: ignore[no-untyped-def]
    return loaded(name, households=SMALL.get(name))


@pytest.mark.parametrize("name", NAMES)
def test_uncovered_matches_the_manifest(loaded, name: str) -> None:  # type: ignore[no-untyped-def]
    item = _item(loaded, name)
    m, spec = item.scenario.manifest, item.scenario.spec
    u = q.uncovered(item.backend, spec.area, as_of=spec.as_of, within_days=m.window_days)
    found = {r: sorted(h.household for h in u.households if r in h.reasons) for r in q.REASONS}
    assert found["no_grid"] == m.households_without_grid
    assert found["no_worker"] == m.households_in_grid_without_worker
    assert found["no_linking_member"] == m.households_unlinked
    assert found["not_visited"] == m.households_not_visited
    assert u.by_reason == {r: len(v) for r, v in found.items()}
    assert sum(c["households"] for c in u.by_child_area.values()) == u.total


@pytest.mark.parametrize("name", NAMES)
def test_overloaded_matches_the_manifest(loaded, name: str) -> None:  # type: ignore[no-untyped-def]
    item = _item(loaded, name)
    m, spec = item.scenario.manifest, item.scenario.spec
    loads = q.worker_loads(item.backend, spec.area, as_of=spec.as_of)
    by_person = {w.person: w.households for w in loads if w.grids}
    assert by_person == pytest.approx(m.worker_loads)
    over = q.overloaded(
        item.backend,
        spec.area,
        as_of=spec.as_of,
        max_households=m.max_households,
        max_linked=10**6,
        max_open_cases=10**6,
    )
    assert sorted(w.person for w in over.workers) == m.overloaded_workers
    assert [w.ratio for w in over.workers] == sorted((w.ratio for w in over.workers), reverse=True)


@pytest.mark.parametrize("name", NAMES)
def test_overdue_matches_the_manifest(loaded, name: str) -> None:  # type: ignore[no-untyped-def]
    item = _item(loaded, name)
    m, spec = item.scenario.manifest, item.scenario.spec
    o = q.overdue(item.backend, as_of=spec.as_of, area=spec.area)
    assert {c.case_id: c.days_overdue for c in o.overdue} == m.overdue_cases


@pytest.mark.parametrize("name", NAMES)
def test_every_overdue_case_has_an_escalation_path_to_its_county(loaded, name: str) -> None:  # type: ignore[no-untyped-def]
    item = _item(loaded, name)
    spec = item.scenario.spec
    for case_id in list(item.scenario.manifest.overdue_cases)[:5]:
        c = q.coordination(item.backend, case_id, as_of=spec.as_of)
        assert c.paths, case_id
        for path in c.paths:
            assert path[0] == c.household
            assert path[-1] == "GC" + path[-1][2:] and len(path[-1]) == 8  # GC + county code


def test_summary_agrees_with_the_published_figures(loaded) -> None:  # type: ignore[no-untyped-def]
    item = loaded("qingping")
    spec = item.scenario.spec
    s = q.area_summary(item.backend, spec.area, as_of=spec.as_of)
    assert (s.households, s.people, s.linking_party_members) == (3545, 14784, 266)
    assert s.closed_cases == 84
    assert s.open_cases == len(item.scenario.manifest.overdue_cases)
    uncovered = q.uncovered(item.backend, spec.area, as_of=spec.as_of)
    no_worker = uncovered.by_reason["no_grid"] + uncovered.by_reason["no_worker"]
    assert s.staffed_rate == round(1 - no_worker / 3545, 4)
