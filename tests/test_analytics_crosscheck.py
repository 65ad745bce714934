"""An independent networkx implementation agrees with the Cypher answers on scenarios."""

from __future__ import annotations

import pytest

from govgraph import questions as q
from govgraph.analytics import reference
from govgraph.analytics.export import to_networkx
from govgraph.schema.model import Label, Rel


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
    walk = reference.escalation_walk(g, spec.as_of)
    cases = sorted(i for label, i in g.nodes if label == "Case")
    reported = item.backend.relationships_in_area(
        Rel.REPORTED_BY, Label.CASE, Label.PERSON, spec.area
    ).column("source")
    assert cases == sorted(reported.to_pylist())
    for case_id in cases:  # every case, those on households in no grid among them
        assert q.coordination(item.backend, case_id, as_of=spec.as_of).paths == (
            reference.escalation_paths(g, case_id, spec.as_of, walk=walk)
        ), case_id


def test_the_crosscheck_sees_a_tie(store) -> None:  # type: ignore[no-untyped-def]
    from .factories import AS_OF, kite

    kite(store)
    g = to_networkx(store)
    assert len(reference.escalation_paths(g, "K1", AS_OF)) == 2
    assert q.coordination(store, "K1", as_of=AS_OF).paths == reference.escalation_paths(
        g, "K1", AS_OF
    )
