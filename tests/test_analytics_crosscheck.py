"""An independent networkx implementation agrees with the Cypher answers on scenarios."""

from __future__ import annotations

import pytest

from govgraph import questions as q
from govgraph.analytics import reference
from govgraph.analytics.export import to_networkx


@pytest.mark.parametrize("name", ["qingping", "wucheng", "zhenyuan"])
def test_networkx_and_cypher_agree(loaded, name: str) -> None:  # type: ignore[no-untyped-def]
    item = loaded(name)
    spec = item.scenario.spec
    g = to_networkx(item.backend)
    cypher = q.uncovered(item.backend, spec.area, as_of=spec.as_of)
    assert {h.household: set(h.reasons) for h in cypher.households} == reference.uncovered(
        g, spec.area, spec.as_of
    )
    loads = {
        w.person: w.households
        for w in q.worker_loads(item.backend, spec.area, as_of=spec.as_of)
        if w.grids
    }
    assert loads == pytest.approx(reference.worker_loads(g, spec.area, spec.as_of))
    cases = (
        sorted(item.scenario.manifest.overdue_cases)[:3]
        + [
            r["case_id"]
            for r in item.backend.read("open_cases", {"area": spec.area, "as_of": spec.as_of})
        ][:3]
    )
    for case_id in cases:
        assert q.coordination(
            item.backend, case_id, as_of=spec.as_of
        ).paths == reference.escalation_paths(g, case_id, spec.as_of)


def test_the_crosscheck_sees_a_tie(store) -> None:  # type: ignore[no-untyped-def]
    from .factories import AS_OF, kite

    kite(store)
    g = to_networkx(store)
    assert len(reference.escalation_paths(g, "K1", AS_OF)) == 2
    assert q.coordination(store, "K1", as_of=AS_OF).paths == reference.escalation_paths(
        g, "K1", AS_OF
    )
