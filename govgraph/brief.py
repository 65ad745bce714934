"""``govgraph brief``: one self-contained HTML page on an area, for a meeting.

Headline figures, coverage and workload charts (inline SVG), the worst gaps,
overloaded workers, overdue cases, where cases close, the department network (a
static SVG: it prints and projects the same everywhere) and the rebalancing
plan. Large type for a projector, A4 print rules for paper; no scripts, and
nothing is fetched from the internet. Names appear, ID numbers and
phones never do.
"""

from __future__ import annotations

import html
import re
import time
from datetime import date
from typing import Any

import networkx as nx
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from ._memory import paused_gc
from .analytics.export import node_key
from .analytics.metrics import (
    caseload,
    coverage,
    department_graph,
    department_network,
    escalation_profile,
    key_players,
    span_of_control,
)
from .analytics.rebalance import rebalance_graph
from .analytics.subgraph import area_graph
from .backends.base import GraphBackend
from .errors import NotFound
from .schema.model import DEFAULT_MAX_HOUSEHOLDS, DEFAULT_WINDOW_DAYS, CaseType, Label
from .schema.vocab import MEASURES, TIER_DEADLINE_DAYS, CenterTier, GapReason
from .viz import ROLE_COLOURS, coverage_colour

__all__ = ["briefing", "briefing_figures"]

#: the page's template and stylesheet (govgraph/templates), every value escaped
_TEMPLATES = Environment(
    loader=PackageLoader("govgraph", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    keep_trailing_newline=True,
)

_REASON_ZH = {r.value: r.zh for r in GapReason}
_TIER_ZH = {t.value: t.zh for t in CenterTier}
_TIER_COLOURS = {"village": "#59a14f", "township": "#f28e2b", "county": "#e15759"}


def _median_of(span: Any) -> str:
    return f"中位 {span.median:.0f} 户（{span.n} 人）" if span.n else "无记录"


def _case_type_zh(value: str) -> str:
    try:
        return CaseType(value).zh
    except ValueError:  # a type outside the vocabulary: show it as stored
        return value


def _e(value: Any) -> str:
    return html.escape(str(value))


def _bars(
    rows: list[tuple[str, float, str, str]], *, width: int = 560, unit: str = "", room: int = 70
) -> str:
    """Horizontal bars: (label, value, colour, text shown at the bar's end)."""
    if not rows:
        return '<p class="note">无数据</p>'
    top = max(v for _, v, _, _ in rows) or 1.0
    bar_h, gap, left = 22, 6, 150
    height = len(rows) * (bar_h + gap) + 4
    parts = [f'<svg viewBox="0 0 {width} {height}" width="100%" role="img">']
    for i, (label, value, colour, text) in enumerate(rows):
        y = i * (bar_h + gap)
        w = (width - left - room) * value / top
        parts.append(
            f'<text x="{left - 8}" y="{y + 16}" text-anchor="end" font-size="14">{_e(label)}</text>'
            f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colour}" rx="3"/>'
            f'<text x="{left + w + 6:.1f}" y="{y + 16}" font-size="14">{_e(text)}{unit}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _histogram(hist: list[tuple[float, float, int]], threshold: float, *, width: int = 560) -> str:
    if not hist:
        return '<p class="note">无数据</p>'
    top = max(c for _, _, c in hist) or 1
    h, bottom, left = 200, 30, 30
    bw = (width - left) / len(hist)
    parts = [f'<svg viewBox="0 0 {width} {h + bottom}" width="100%" role="img">']
    for i, (lo, hi, c) in enumerate(hist):
        bar = (h - 24) * c / top  # room above the tallest for its count
        over = lo >= threshold
        colour = "#c0392b" if over else ROLE_COLOURS["grid_worker"]
        x = left + i * bw
        parts.append(
            f'<rect x="{x + 2:.1f}" y="{h - bar:.1f}" width="{bw - 4:.1f}" height="{bar:.1f}" '
            f'fill="{colour}"/><text x="{x + bw / 2:.1f}" y="{h - bar - 4:.1f}" '
            f'text-anchor="middle" font-size="13">{c}</text>'
            f'<text x="{x + bw / 2:.1f}" y="{h + 18}" text-anchor="middle" font-size="12">'
            f"{lo:.0f}–{hi:.0f}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


_PLACE_PREFIX = re.compile(r"^[\u4e00-\u9fff]{2,4}?[县区市镇乡](?=[\u4e00-\u9fff]{2})")


def _network(d: nx.Graph, between: dict[str, float], *, width: int = 1180, height: int = 560,
             labelled: int = 30) -> str:  # fmt: skip
    """The department network as a static SVG (prints and projects the same everywhere):
    spring layout with a fixed seed, circles sized by betweenness, lines by joint work."""
    if d.number_of_nodes() == 0:
        return '<p class="note">无部门数据</p>'
    pos = nx.spring_layout(d, seed=7, weight="weight", k=1.8 / max(d.number_of_nodes(), 1) ** 0.5)
    xs = [x for x, _ in pos.values()]
    ys = [y for _, y in pos.values()]
    x0, y0 = min(xs), min(ys)
    span_x, span_y = (max(xs) - x0) or 1.0, (max(ys) - y0) or 1.0
    margin = 70

    def at(n: str) -> tuple[float, float]:
        x, y = pos[n]
        return (margin + (x - x0) / span_x * (width - 2 * margin),
                40 + (y - y0) / span_y * (height - 90))  # fmt: skip

    names = {n: d.nodes[n].get("name") or n for n in d}
    short = {n: _PLACE_PREFIX.sub("", name) for n, name in names.items()}
    if len(set(short.values())) < len(short):  # stripping the place made names ambiguous
        short = names
    top = max(between.values(), default=0.0) or 1.0
    heaviest = max((e["weight"] for _, _, e in d.edges(data=True)), default=1)
    parts = [f'<svg class="net" viewBox="0 0 {width} {height}" width="100%" role="img">']
    for a, b, e in d.edges(data=True):
        (x1, y1), (x2, y2) = at(a), at(b)
        w = 1 + 5 * e["weight"] / heaviest
        parts.append(
            f'<line x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" stroke="#9aa5b1" '
            f'stroke-opacity="0.6" stroke-width="{w:.1f}"><title>{_e(names[a])} — '
            f"{_e(names[b])}：共同办理 {e['cases']} 件，同驻 {e['centers']} 处</title></line>"
        )
    colour = ROLE_COLOURS["department"]
    for n in sorted(d, key=lambda n: between[n]):  # the central ones drawn last, on top
        x, y = at(n)
        r = 7 + 26 * between[n] / top
        parts.append(
            f"<g><title>{_e(names[n])}（{_e(n)}）中介中心性 {between[n]:.3f}</title>"
            f'<circle cx="{x:.0f}" cy="{y:.0f}" r="{r:.1f}" fill="{colour}" stroke="#fff" '
            f'stroke-width="2"/></g>'
        )
    # labels, the most central first, each only where it overlaps no label already placed
    # (a county's departments crowd the middle; the rest are named in their tooltips)
    placed: list[tuple[float, float, float, float]] = []
    for n in sorted(d, key=lambda n: (-between[n], -d.degree(n), n)):
        if len(placed) == labelled:
            break
        x, y = at(n)
        r = 7 + 26 * between[n] / top
        half = 7.5 * len(short[n]) + 4  # CJK glyphs are about as wide as the 15 px font
        box = (x - half, y + r + 2, x + half, y + r + 21)
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3]
               for b in placed):  # fmt: skip
            continue
        placed.append(box)
        parts.append(
            f'<text x="{x:.0f}" y="{y + r + 16:.0f}" text-anchor="middle" font-size="15" '
            f'paint-order="stroke" stroke="#fff" stroke-width="4">{_e(short[n])}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _table(head: list[str], rows: list[list[Any]], numeric: set[int] | None = None) -> str:
    numeric = numeric or set()
    th = "".join(f'<th class="{"n" if i in numeric else ""}">{_e(h)}</th>'
                 for i, h in enumerate(head))  # fmt: skip
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="{"n" if i in numeric else ""}">{_e(c)}</td>' for i, c in enumerate(r)
        )
        + "</tr>"
        for r in rows
    )
    if not rows:
        body = f'<tr><td colspan="{len(head)}" class="note">无</td></tr>'
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def briefing(
    backend: GraphBackend, area: str, *, as_of: date, threshold: int = DEFAULT_MAX_HOUSEHOLDS
) -> str:
    """The briefing page for ``area`` as of ``as_of`` (see the module docstring)."""
    with paused_gc():  # graph and metrics make ~10^6 small objects; see govgraph._memory
        return _briefing(backend, area, as_of=as_of, threshold=threshold)[0]


def briefing_figures(
    backend: GraphBackend, area: str, *, as_of: date, threshold: int = DEFAULT_MAX_HOUSEHOLDS
) -> dict[str, Any]:
    """The briefing's headline figures (its tiles) by measure name: ``households``,
    ``covered_rate``, ``households_with_gaps``, ``grid_workers``,
    ``households_per_worker_median`` and ``_max``, ``over_household_limit``, ``open_cases``,
    ``overdue_cases``; a name the area summary also uses means the same there."""
    with paused_gc():
        return _briefing(backend, area, as_of=as_of, threshold=threshold, draw=False)[1]


def _briefing(
    backend: GraphBackend, area: str, *, as_of: date, threshold: int, draw: bool = True
) -> tuple[str, dict[str, Any]]:
    """The page (unless ``draw`` is false: the figures only) and its headline figures."""
    from . import questions as q

    started = time.perf_counter()
    g = area_graph(backend, area)
    names = {d["id"]: d.get("name", "") for _, d in g.nodes(data=True)
             if d.get("label") in ("Village", "Township")}  # fmt: skip
    cov = coverage(g, as_of)
    if not cov.households:
        raise NotFound(f"no households under area {area!r}")
    spans = span_of_control(g, as_of)
    cases = caseload(g, as_of)
    over = q.overloaded(backend, area, as_of=as_of, max_households=threshold)
    late = q.overdue(backend, as_of=as_of, area=area)
    overloaded = [w for w in over.workers if w.households > threshold]

    worker = spans["grid_worker"]
    figures: dict[str, Any] = {
        "households": cov.households,
        "covered_rate": cov.rate,
        "households_with_gaps": cov.households - cov.covered,
        "grid_workers": worker.n,
        "households_per_worker_median": worker.median,
        "households_per_worker_max": worker.max,
        "over_household_limit": len(overloaded),
        "open_cases": cases.open_cases,
        "overdue_cases": len(late.overdue),
    }
    if not draw:
        return "", figures
    profile = escalation_profile(g, as_of)
    network = department_network(g)
    players = key_players(g, as_of, top=8)
    plan = rebalance_graph(g, as_of, threshold)
    title = names.get(area) or area
    tiles = [
        (f"{cov.households:,}", "户", False),
        (f"{cov.rate:.1%}", f"{MEASURES['covered_rate'][0]}（无任何缺口的户）", cov.rate < 0.9),
        (f"{figures['households_with_gaps']:,}", "有缺口的户", False),
        (f"{worker.n}", "网格员", False),
        (f"{worker.median:.0f} / {worker.max:.0f}", "每名网格员户数（中位 / 最多）", False),
        (f"{len(overloaded)}", f"超过 {threshold} 户的网格员", bool(overloaded)),
        (f"{cases.open_cases}", "在办矛盾纠纷", False),
        (f"{len(late.overdue)}", "超期案件", bool(late.overdue)),
    ]
    worst = sorted(cov.areas, key=lambda a: (a.rate, a.code))[:12]
    coverage_chart = _bars(
        [(a.name or a.code, a.rate * 100, coverage_colour(a.rate), f"{a.rate:.0%}") for a in worst]
    )
    reasons = _bars(
        [
            (_REASON_ZH[r], cov.reason_count[r], "#e15759", f"{cov.reason_count[r]:,} 户")
            for r in cov.reason_count
        ]
    )
    workload = _histogram(spans["grid_worker"].histogram, threshold)
    gaps = q.uncovered(backend, area, as_of=as_of)
    gap_rows = [
        [u.household, names.get(u.division_code, u.division_code), u.grid or "—",
         "、".join(_REASON_ZH[r] for r in u.reasons)]
        for u in gaps.households[:12]
    ]  # fmt: skip
    over_rows = [
        [w.name, w.person, f"{w.households:.0f}", w.linked, w.open_cases, "、".join(w.grids)]
        for w in overloaded[:12]
    ]
    late_rows = [
        [c.case_id, _case_type_zh(c.type), _TIER_ZH.get(c.tier, c.tier), c.due.isoformat(),
         c.days_overdue, _TIER_ZH.get(c.escalate_to, c.escalate_to) if c.escalate_to else "县领导"]
        for c in late.overdue[:12]
    ]  # fmt: skip

    def person(pid: str) -> str:
        name = g.nodes.get(node_key(Label.PERSON, pid), {}).get("name")
        return f"{name}（{pid}）" if name else pid

    move_rows = [
        [person(m.source), person(m.target), m.households,
         "同村" if m.scope == "village" else "同乡镇"]
        for m in plan.moves[:20]
    ]  # fmt: skip
    hire = "；".join(f"{names.get(t, t)} 需增加 {n} 名网格员" for t, n in plan.hire.items())
    player_rows = [
        [p.name, p.person, "、".join({"grid_worker": "网格员", "grid_head": "网格长"}[r]
                                     for r in p.roles), len(p.grids), p.orphaned]
        for p in players
    ]  # fmt: skip
    central = list(network.centrality.items())[:8]
    central_rows = [[name, f"{deg:.2f}", f"{bet:.3f}"] for _, (name, deg, bet) in central]
    department_names = {d: name for d, (name, _, _) in network.centrality.items()}
    pair_rows = [[department_names.get(a, a), department_names.get(b, b), cases_, centers_]
                 for a, b, cases_, centers_ in network.top_pairs[:8]]  # fmt: skip
    tiers = _bars(
        [
            (f"{_TIER_ZH[t]}办结", share * 100, _TIER_COLOURS[t],
             f"{share:.0%}（中位 {profile.median_days[t]:.0f} 天，"
             f"按期 {cases.on_time_rate[t]:.0%}）")
            for t, share in profile.closed_at.items()
        ],
        room=250,
    )  # fmt: skip
    departments = department_graph(g)
    between = {n: c for n, (_, _, c) in network.centrality.items()}
    picture = _network(departments, between)
    seconds = time.perf_counter() - started
    page = _TEMPLATES.get_template("brief.html.j2").render(
        title=title, area=area, as_of=as_of.isoformat(), seconds=seconds, tiles=tiles,
        coverage_chart=Markup(coverage_chart), reasons=Markup(reasons),
        window_days=DEFAULT_WINDOW_DAYS, workload=Markup(workload), worker=worker,
        heads=_median_of(spans["grid_head"]), linking=_median_of(spans["linking_member"]),
        threshold=threshold, tiers=Markup(tiers), closed=profile.closed,
        deadlines="、".join(f"{t.zh} {TIER_DEADLINE_DAYS[t]} 天" for t in CenterTier),
        over_table=Markup(_table(["姓名", "编号", "户", "联系户", "在办案件", "网格"],
                                 over_rows, {2, 3, 4})),
        gap_table=Markup(_table(["户", "村", "网格", "缺口"], gap_rows)),
        late_table=Markup(_table(["案件", "类型", "层级", "期限", "超期天数", "应上交"],
                                 late_rows, {4})),
        moved=plan.moved, moves=len(plan.moves), feasible=plan.feasible, hire=hire,
        move_table=Markup(_table(["调出网格员", "调入网格员", "户数", "范围"], move_rows, {2})),
        player_table=Markup(_table(["姓名", "编号", "角色", "网格数", "失去负责人的户"],
                                   player_rows, {3, 4})),
        network=network, picture=Markup(picture),
        central_table=Markup(_table(["部门", "度中心性", "中介中心性"], central_rows, {1, 2})),
        pair_table=Markup(_table(["部门", "部门", "共办案件", "同驻中心"], pair_rows, {2, 3})),
    )  # fmt: skip
    return page, figures
