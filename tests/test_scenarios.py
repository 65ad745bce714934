"""Every scenario reproduces its report's published figures, counted by queries."""

from __future__ import annotations

import pytest

from govgraph.figures import check_figures
from govgraph.loaders.divisions import load_divisions
from govgraph.loaders.load import load_scenario
from govgraph.loaders.scenarios import SCENARIOS

PUBLISHED = [n for n in SCENARIOS if SCENARIOS[n].figures]


@pytest.mark.parametrize("name", PUBLISHED)
def test_published_figures_hold_on_the_loaded_graph(loaded, name: str) -> None:  # type: ignore[no-untyped-def]
    item = loaded(name)
    checks = check_figures(item.backend, item.scenario.spec)
    assert len(checks) == len(item.scenario.spec.figures) > 0
    bad = [(c.figure.what, c.figure.published, c.found) for c in checks if not c.holds]
    assert bad == []


def test_zhenyuan_uses_the_real_townships_and_villages(loaded) -> None:  # type: ignore[no-untyped-def]
    backend = loaded("zhenyuan").backend
    rows = backend._run(
        "MATCH (t:Township) WHERE t.id STARTS WITH '621027' "
        "RETURN t.id AS id, t.name AS name, t.code AS code",
        {},
    )
    real = {d.code: d.name for d in load_divisions().descendants("621027", "township")}
    assert {r["id"]: r["name"] for r in rows} == real
    assert all(r["code"] == r["id"] + "000" for r in rows)
    counts = backend.counts()["nodes"]
    assert counts["Township"] == 19
    assert counts["Grid"] == 481
    assert counts["GovernanceCenter"] == 240
    assert counts["Case"] == 2570 + SCENARIOS["zhenyuan"].carried_over_cases


def test_loading_twice_changes_no_count(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from govgraph.backends.embedded import EmbeddedBackend

    with EmbeddedBackend(tmp_path / "s") as backend:
        load_scenario(backend, "wucheng")
        first = backend.counts()
        load_scenario(backend, "wucheng")
        assert backend.counts() == first
        assert sum(first["nodes"].values()) > 15_000


def test_two_scenarios_share_a_province_without_duplicates(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from govgraph.backends.embedded import EmbeddedBackend

    with EmbeddedBackend(tmp_path / "s") as backend:
        load_scenario(backend, "qingping")
        load_scenario(backend, "wucheng")
        counts = backend.counts()["nodes"]
        assert counts["Province"] == 2  # 甘肃 and 山西
        assert counts["Township"] == 2
        rows = backend._run(
            "MATCH (p:Province {id: '62'})<-[:PART_OF]-(c) RETURN count(c) AS n", {}
        )
        assert rows[0]["n"] == 1
