"""The charts are drawn from the briefing's own metric objects, with Chinese labels."""

from __future__ import annotations

from typing import Any

import pytest

from govgraph.analytics import charts
from govgraph.analytics import metrics as m
from govgraph.analytics.subgraph import area_graph
from govgraph.brief import briefing_figures


def test_every_chart_draws_from_the_briefings_figures(loaded: Any, tmp_path: Any) -> None:
    item = loaded("qingping")
    area, as_of = item.scenario.spec.area, item.scenario.spec.as_of
    g = area_graph(item.backend, area)
    coverage = m.coverage(g, as_of)
    figures = briefing_figures(item.backend, area, as_of=as_of)
    assert charts.cjk_font() is not None  # CI installs fonts-noto-cjk
    drawn = {
        "coverage": charts.coverage_by_village(coverage),
        "gaps": charts.gaps_by_reason(coverage),
        "workload": charts.workload(m.span_of_control(g, as_of)["grid_worker"]),
        "closure": charts.case_closure(m.escalation_profile(g, as_of)),
        "network": charts.department_network(m.department_graph(g), m.department_network(g)),
    }
    title = drawn["coverage"].axes[0].get_title()
    assert f"{figures['covered_rate']:.1%}" in title  # the briefing's 覆盖率, to the digit
    gaps = drawn["gaps"].axes[0].get_title()
    assert f"{figures['households_with_gaps']:,} 户有缺口" in gaps
    assert (
        f"最多 {figures['households_per_worker_max']:.0f}" in drawn["workload"].axes[0].get_title()
    )
    for name, figure in drawn.items():
        path = tmp_path / f"{name}.png"
        figure.savefig(path, dpi=60)
        assert path.stat().st_size > 5_000, name  # something was drawn


def test_a_machine_without_a_cjk_font_is_told_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(charts, "_CJK_FAMILIES", ("No Such Font",))
    with pytest.warns(UserWarning, match="no CJK font found.*fonts-noto-cjk"):
        assert charts.cjk_font() is None
