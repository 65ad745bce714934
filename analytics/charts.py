"""Charts for notebooks and reports (matplotlib, the ``analysis`` extra), drawn from the same
metric objects as the briefing (:mod:`.metrics`), so a notebook and a briefing on the same
area and day never disagree.

    from govgraph.analytics import charts, metrics
    g = area_graph(store, "621123109")
    charts.coverage_by_village(metrics.coverage(g, day))

Each function returns a matplotlib ``Figure``. Chinese labels need a CJK font: the first
one found (Noto Sans CJK, Source Han Sans, WenQuanYi, Microsoft YaHei, PingFang …) is used;
with none, a warning says what to install and labels may show as boxes.
"""

from __future__ import annotations

import warnings
from typing import Any

import networkx as nx

from ..schema.vocab import DEFAULT_MAX_HOUSEHOLDS, TIER_DEADLINE_DAYS, CenterTier, GapReason
from .metrics import Coverage, DepartmentNetwork, Distribution, EscalationProfile

__all__ = [
    "case_closure",
    "cjk_font",
    "coverage_by_village",
    "department_network",
    "gaps_by_reason",
    "workload",
]

_CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Source Han Sans SC", "Source Han Sans",
                 "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC",
                 "SimHei", "Noto Sans Mono CJK SC", "Noto Serif CJK SC")  # fmt: skip
_TIER_COLOURS = {"village": "#59a14f", "township": "#f28e2b", "county": "#e15759"}


def cjk_font() -> str | None:
    """The CJK font family the charts use (set as matplotlib's sans-serif), or None with a
    warning when the machine has none."""
    from matplotlib import font_manager, rcParams

    installed = {f.name for f in font_manager.fontManager.ttflist}
    family = next((f for f in _CJK_FAMILIES if f in installed), None)
    if family is None:
        warnings.warn(
            "no CJK font found: Chinese labels may show as boxes "
            "(Debian: apt-get install fonts-noto-cjk)",
            stacklevel=2,
        )
        return None
    if rcParams["font.sans-serif"][:1] != [family]:
        rcParams["font.sans-serif"] = [family, *rcParams["font.sans-serif"]]
    rcParams["font.family"] = "sans-serif"
    rcParams["axes.unicode_minus"] = False
    return family


def _figure(width: float = 8.0, height: float = 4.5) -> tuple[Any, Any]:
    from matplotlib.figure import Figure

    cjk_font()
    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.add_subplot()


def coverage_by_village(coverage: Coverage, *, worst: int = 15) -> Any:
    """The villages with the lowest covered rate (households with no gap), as bars."""
    rows = sorted(coverage.areas, key=lambda a: (a.rate, a.code))[:worst][::-1]
    fig, ax = _figure(8, max(3.0, 0.35 * len(rows) + 1))
    colours = ["#c0392b" if a.rate < 0.8 else "#f28e2b" if a.rate < 0.9 else "#59a14f"
               for a in rows]  # fmt: skip
    ax.barh([a.name or a.code for a in rows], [a.rate * 100 for a in rows], color=colours)
    for y, a in enumerate(rows):
        ax.text(a.rate * 100 + 0.5, y, f"{a.rate:.0%}", va="center", fontsize=9)
    ax.set_xlim(0, 105)
    ax.set_xlabel("覆盖率 %（无任何缺口的户）")
    ax.set_title(f"覆盖率最低的村（社区）· 全域 {coverage.rate:.1%}")
    return fig


def gaps_by_reason(coverage: Coverage) -> Any:
    """Households with each gap (a household may have several)."""
    fig, ax = _figure(7, 3.2)
    reasons = [GapReason(r) for r in coverage.reason_count]
    counts = [coverage.reason_count[r] for r in reasons]
    ax.barh([r.zh for r in reasons][::-1], counts[::-1], color="#e15759")
    for y, n in enumerate(counts[::-1]):
        ax.text(n, y, f" {n:,} 户", va="center", fontsize=9)
    ax.set_xlabel("户")
    gaps = coverage.households - coverage.covered
    ax.set_title(f"缺口原因（{coverage.households:,} 户中 {gaps:,} 户有缺口）")
    return fig


def workload(distribution: Distribution, *, threshold: int = DEFAULT_MAX_HOUSEHOLDS) -> Any:
    """Households per grid worker (a shared grid's households split), the bins over the
    limit in red."""
    fig, ax = _figure(8, 3.8)
    bins = distribution.histogram
    colours = ["#c0392b" if lo >= threshold else "#4e79a7" for lo, _, _ in bins]
    ax.bar([f"{lo:.0f}–{hi:.0f}" for lo, hi, _ in bins], [c for _, _, c in bins], color=colours)
    ax.axvline(-0.5 + sum(1 for lo, _, _ in bins if lo < threshold), color="#c0392b", ls="--")
    ax.set_xlabel("每名网格员户数")
    ax.set_ylabel("网格员")
    ax.set_title(f"网格员工作量：中位 {distribution.median:.0f}，P90 {distribution.p90:.0f}，"
                 f"最多 {distribution.max:.0f}（红色：超过 {threshold} 户）")  # fmt: skip
    ax.tick_params(axis="x", labelrotation=30)
    return fig


def case_closure(profile: EscalationProfile) -> Any:
    """Where closed cases were closed (village, township, county) and the median days a
    stay at each tier lasted, against its deadline."""
    from matplotlib.figure import Figure

    cjk_font()
    fig = Figure(figsize=(9, 3.4), layout="constrained")
    left, right = fig.subplots(1, 2)
    tiers = list(CenterTier)
    shares = [profile.closed_at.get(t.value, 0.0) * 100 for t in tiers]
    left.bar([t.zh for t in tiers], shares, color=[_TIER_COLOURS[t.value] for t in tiers])
    left.set_ylabel("% 已办结")
    left.set_title(f"在哪一级办结（{profile.closed:,} 件）")
    days = [profile.median_days.get(t.value, 0.0) for t in tiers]
    right.bar([t.zh for t in tiers], days, color=[_TIER_COLOURS[t.value] for t in tiers])
    right.scatter([t.zh for t in tiers], [TIER_DEADLINE_DAYS[t] for t in tiers], marker="_",
                  s=600, color="black", label="期限")  # fmt: skip
    right.set_ylabel("天（中位）")
    right.set_title("每级停留天数")
    right.legend()
    return fig


def department_network(departments: nx.Graph, network: DepartmentNetwork) -> Any:
    """Departments joined by shared cases and centers (:func:`.metrics.department_graph`),
    sized by betweenness, as in the briefing's picture."""
    fig, ax = _figure(9, 6)
    if departments.number_of_nodes() == 0:
        ax.text(0.5, 0.5, "无部门数据", ha="center")
        ax.set_axis_off()
        return fig
    pos = nx.spring_layout(departments, seed=7, weight="weight",
                           k=1.8 / max(departments.number_of_nodes(), 1) ** 0.5)  # fmt: skip
    between = {d: c[2] for d, c in network.centrality.items()}
    top = max(between.values(), default=0) or 1
    weights = [d.get("weight", 1) for *_, d in departments.edges(data=True)]
    heaviest = max(weights, default=1)
    widths = [0.5 + 2.5 * w / heaviest for w in weights]
    nx.draw_networkx_edges(departments, pos, ax=ax, width=widths, edge_color="#b8c0c8")
    nx.draw_networkx_nodes(
        departments,
        pos,
        ax=ax,
        node_color="#7f7f7f",
        node_size=[80 + 1400 * between.get(n, 0) / top for n in departments],
    )
    labels = {n: departments.nodes[n].get("name", n) for n in departments}
    nx.draw_networkx_labels(departments, pos, labels, ax=ax, font_size=8,
                            font_family=cjk_font() or "sans-serif")  # fmt: skip
    ax.set_title(f"部门协同网络：{network.departments} 个部门，{network.links} 条协同关系，"
                 f"密度 {network.density:.2f}")  # fmt: skip
    ax.set_axis_off()
    return fig
