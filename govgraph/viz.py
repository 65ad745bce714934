"""Network pictures: self-contained HTML pages (pyvis, with vis-network inlined).

Four views — a household's responsibility chain, a grid, a case's coordination
path (as a hierarchy), and an area aggregated so it stays readable — share one
palette (:data:`ROLE_COLOURS`) and one legend. Labels are Chinese; tooltips
carry details but never ID numbers or phones.

Every page reports on itself for tests, screenshots and the render benchmark:
``<body data-stable="1" data-stable-ms="…">`` once the layout has settled (with the
milliseconds since navigation start), ``data-errors`` with any script error.
"""

from __future__ import annotations

import functools
import html
import itertools
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import networkx as nx

from .backends.base import GraphBackend
from .errors import NotFound
from .schema.vocab import CaseStatus, CenterTier, ResponsibleRole

__all__ = [
    "ROLE_COLOURS",
    "ROLE_ZH",
    "Inline",
    "area_view",
    "case_view",
    "coverage_colour",
    "department_view",
    "departments_view",
    "grid_view",
    "household_view",
    "inline",
]

#: one colour per role or kind of node, the same in every view and in the briefing
ROLE_COLOURS: dict[str, str] = {
    "household": "#f28e2b",
    "grid": "#59a14f",
    "grid_worker": "#4e79a7",
    "grid_head": "#1d3f73",
    "volunteer": "#76b7b2",
    "sunk_cadre": "#b07aa1",
    "linking_party_member": "#e15759",
    "party": "#ff9da7",
    "leader": "#8c564b",
    "place": "#9c755f",
    "center": "#edc948",
    "department": "#7f7f7f",
    "case": "#d62728",
}
#: the legend's name for each kind: a role's own name where the kind is a role
ROLE_ZH: dict[str, str] = {
    **{r.value: r.zh for r in ResponsibleRole if r.kind == r.value},
    "party": "党组织",
    "leader": "包抓领导",
    "place": "村 / 乡镇 / 县",
    "center": "综治中心",
    "department": "部门",
    "case": "矛盾纠纷",
}


class Inline:
    """A picture shown inside Jupyter: the self-contained page in an iframe (its scripts,
    vis-network inlined, run there; nothing is fetched from the network).

    >>> Inline("<p>x</p>", height=120)._repr_html_().startswith('<iframe srcdoc="')
    True
    """

    def __init__(self, page: str, *, height: int = 760) -> None:
        self.page, self.height = page, height

    def __repr__(self) -> str:  # the text a notebook keeps beside the picture
        return f"<govgraph picture, {len(self.page):,} characters of HTML>"

    def _repr_html_(self) -> str:
        return (
            f'<iframe srcdoc="{html.escape(self.page, quote=True)}" width="100%" '
            f'height="{self.height}" style="border:1px solid #d9dee4;border-radius:6px" '
            'sandbox="allow-scripts"></iframe>'
        )


def inline(page: str, *, height: int = 760) -> Inline:
    """Show a picture (any ``*_view`` function's page) inside a notebook cell."""
    return Inline(page, height=height)


def _zh(vocabulary: Any, value: str) -> str:
    """A stored value's Chinese name, or the value itself when it is outside the vocabulary."""
    try:
        return str(vocabulary(value).zh)
    except ValueError:
        return value


#: above this many nodes a view aggregates (grids → villages → townships)
MAX_NODES = 300


def coverage_colour(rate: float) -> str:
    """Red (0 %) through amber to green (100 %)."""
    rate = max(0.0, min(1.0, rate))
    if rate < 0.5:
        r, g = 214, int(39 + (180 - 39) * rate * 2)
    else:
        r, g = int(214 - (214 - 60) * (rate - 0.5) * 2), int(180 - (180 - 160) * (rate - 0.5) * 2)
    return f"#{r:02x}{g:02x}3c"


@dataclass
class _Picture:
    title: str
    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    edges: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)
    hierarchical: bool = False

    def node(self, key: str, label: str, kind: str, title: str = "", size: float = 18,
             level: int | None = None, colour: str | None = None) -> None:  # fmt: skip
        if key in self.nodes:
            return
        spec: dict[str, Any] = {"label": label, "color": colour or ROLE_COLOURS[kind],
                                "title": title or label, "size": size}  # fmt: skip
        if level is not None:
            spec["level"] = level
        self.nodes[key] = spec
        if colour is None and (kind, ROLE_ZH[kind]) not in self.legend:
            self.legend.append((kind, ROLE_ZH[kind]))

    def edge(self, a: str, b: str, label: str = "", dashes: bool = False) -> None:
        self.edges.append((a, b, {"title": label, "label": label, "dashes": dashes}))

    def html(self, extra_legend: str = "") -> str:
        from pyvis.network import Network

        net = Network(height="720px", width="100%", directed=True, cdn_resources="in_line",
                      bgcolor="#ffffff", font_color="#222222")  # fmt: skip
        net.templateEnv = _templates()  # compiled once, not on every page
        for key, spec in self.nodes.items():
            net.add_node(key, **spec)
        for a, b, spec in self.edges:
            net.add_edge(a, b, **spec)
        layout = (
            '"layout": {"hierarchical": {"enabled": true, "direction": "UD", '
            '"sortMethod": "directed", "levelSeparation": 110, "nodeSpacing": 160}},'
            '"physics": {"hierarchicalRepulsion": {"nodeDistance": 150}, '
            '"stabilization": {"iterations": 300}},'
            if self.hierarchical
            else '"physics": {"barnesHut": {"gravitationalConstant": -9000, '
            '"springLength": 140}, "stabilization": {"iterations": 400}},'
        )
        net.set_options(
            "{" + layout + '"nodes": {"shape": "dot", "font": {"size": 15, "face": '
            '"Noto Sans CJK SC, Microsoft YaHei, sans-serif"}},'
            '"edges": {"arrows": {"to": {"enabled": true, "scaleFactor": 0.5}}, '
            '"color": {"color": "#b0b0b0"}, "font": {"size": 11, "align": "middle"}, '
            '"smooth": false},'
            '"interaction": {"hover": true, "tooltipDelay": 120}}'
        )
        page = net.generate_html()
        return _finish(page, self.title, _legend_html(self.legend) + extra_legend)


@functools.cache
def _templates() -> Any:
    """pyvis's jinja environment, shared: each Network builds its own and compiles the page
    template again (about 0.1 s a page)."""
    from pyvis.network import Network

    return Network(cdn_resources="in_line").templateEnv


def _legend_html(items: list[tuple[str, str]]) -> str:
    spans = "".join(
        f'<span class="gg-key"><i style="background:{ROLE_COLOURS[k]}"></i>{html.escape(zh)}</span>'
        for k, zh in items
    )
    return f'<div class="gg-legend">{spans}</div>'


_HEAD = """<title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<script>
window.__ggErrors = [];
window.addEventListener("error", function (e) {{
  window.__ggErrors.push(String(e.message));
  document.documentElement.setAttribute("data-errors", window.__ggErrors.join(" | "));
}});
</script>
<style>
body {{ font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 0 16px; }}
h1.gg-title {{ font-size: 22px; margin: 12px 0 4px; }}
.gg-legend {{ margin: 4px 0 8px; font-size: 14px; }}
.gg-key {{ display: inline-block; margin-right: 14px; }}
.gg-key i {{ display: inline-block; width: 12px; height: 12px; border-radius: 6px;
            margin-right: 5px; vertical-align: -1px; }}
#mynetwork {{ border: 1px solid #ddd; }}
.card {{ border: none; }}
@media print {{ .gg-legend {{ break-inside: avoid; }} }}
</style>
"""

_STATUS = """<script>
(function () {
  function flag() {
    if (document.body.hasAttribute("data-stable")) return;
    document.body.setAttribute("data-stable-ms", String(Math.round(performance.now())));
    document.body.setAttribute("data-stable", "1");
  }
  function done() {
    // pyvis fades its loading bar out over 0.5 s once the layout is done: flag after that
    setTimeout(flag, document.getElementById("loadingBar") ? 600 : 0);
  }
  if (typeof network === "undefined") { done(); return; }
  network.once("stabilizationIterationsDone", function () { network.fit(); done(); });
  network.once("stabilized", done);
  setTimeout(done, 8000);
})();
</script>
"""


def _finish(page: str, title: str, legend: str) -> str:
    """Drop pyvis's CDN stylesheet and scripts (pages must work offline), add the title,
    the legend, the error hook and the stabilisation flag."""
    page = re.sub(r"<link[^>]*cdn\.jsdelivr[^>]*>\s*", "", page)
    page = re.sub(r"<script[^>]*cdn\.jsdelivr[^>]*>\s*</script>\s*", "", page)
    page = re.sub(r"<center>\s*<h1>.*?</h1>\s*</center>", "", page, flags=re.S)
    page = page.replace("<head>", "<head>" + _HEAD.format(title=html.escape(title)), 1)
    page = page.replace(
        "<body>", f'<body>\n<h1 class="gg-title">{html.escape(title)}</h1>\n{legend}', 1
    )
    return page.replace("</body>", _STATUS + "</body>", 1)


# -- the views ----------------------------------------------------------------------------


def household_view(backend: GraphBackend, household: str, as_of: date) -> str:
    """Who is responsible for a household: every role around it, coloured by role."""
    from .questions import responsible

    answer = responsible(backend, household, as_of=as_of)
    pic = _Picture(f"户 {household} 的责任链（{as_of.isoformat()}）")
    for r in answer.roles:
        kind = ResponsibleRole(r.role).kind
        role_zh = ResponsibleRole(r.role).zh
        label = r.name if r.role != "household" else f"{r.name}"
        size = 28 if r.role == "household" else 18
        pic.node(f"{r.role}:{r.id}", label, kind, f"{role_zh}：{r.name}（{r.id}）", size)
    keys = {r.id: f"{r.role}:{r.id}" for r in answer.roles}
    for r in answer.roles:
        if r.via and r.via in keys and keys[r.via] != f"{r.role}:{r.id}":
            pic.edge(f"{r.role}:{r.id}", keys[r.via],
                     ResponsibleRole(r.role).zh)  # fmt: skip
    places = [r for r in answer.roles if r.role in ("village", "township", "county")]
    for low, high in itertools.pairwise(places):
        pic.edge(f"{low.role}:{low.id}", f"{high.role}:{high.id}", "隶属")
    return pic.html()


def grid_view(backend: GraphBackend, grid: str, as_of: date) -> str:
    """A grid: the people serving it and its households (aggregated above a few hundred)."""
    from .analytics.reference import active
    from .schema.model import Label, Rel

    found = backend.fetch_nodes(Label.GRID, [grid]).to_pylist()
    if not found:
        raise NotFound(f"grid {grid!r} does not exist")
    g = found[0]
    pic = _Picture(f"网格 {g['name']}（{grid}，{as_of.isoformat()}）")
    pic.node(f"grid:{grid}", g["name"], "grid", f"网格：{g['name']}（{grid}）", 30)
    roles = {Rel.GRID_WORKER_OF: "grid_worker", Rel.GRID_HEAD_OF: "grid_head",
             Rel.VOLUNTEER_OF: "volunteer", Rel.SUNK_CADRE_OF: "sunk_cadre"}  # fmt: skip
    people: dict[str, str] = {}
    for rel, role in roles.items():
        for r in backend.fetch_relationships(rel, Label.PERSON, Label.GRID, [grid], by_target=True
                                             ).to_pylist():  # fmt: skip
            if active(r, as_of):
                people[r["source"]] = role
    names = {
        p["id"]: p["name"] for p in backend.fetch_nodes(Label.PERSON, sorted(people)).to_pylist()
    }
    for pid, role in sorted(people.items()):
        pic.node(
            f"p:{pid}", names.get(pid, pid), role, f"{ROLE_ZH[role]}：{names.get(pid)}（{pid}）"
        )
        pic.edge(f"p:{pid}", f"grid:{grid}", ROLE_ZH[role])
    members = [r["source"] for r in backend.fetch_relationships(
        Rel.IN_GRID, Label.HOUSEHOLD, Label.GRID, [grid], by_target=True).to_pylist()
        if active(r, as_of)]  # fmt: skip
    if len(members) > MAX_NODES:
        pic.node("households", f"{len(members)} 户", "household", f"本网格 {len(members)} 户", 40)
        pic.edge("households", f"grid:{grid}", "在网格")
    else:
        rows = backend.fetch_nodes(Label.HOUSEHOLD, members).to_pylist()
        for h in rows:
            tags = "、".join(h.get("tags") or [])
            tip = f"户 {h['id']}<br>{h.get('address') or ''}<br>{h.get('size')} 人 {tags}"
            pic.node(f"h:{h['id']}", h["id"][-4:], "household", tip, 10)
            pic.edge(f"h:{h['id']}", f"grid:{grid}")
    return pic.html()


def case_view(backend: GraphBackend, case_id: str, as_of: date) -> str:
    """A case's coordination path laid out as a hierarchy: household → grid → village →
    centers up to the county, with the departments stationed along it and assigned to it."""
    from .questions import coordination

    c = coordination(backend, case_id, as_of=as_of)
    from .schema.model import CaseType

    kind = CaseType(c.type).zh if c.type in set(CaseType) else c.type
    pic = _Picture(
        f"矛盾纠纷 {case_id} 的协调路径（{kind}，{_zh(CenterTier, c.tier)}，"
        f"{_zh(CaseStatus, c.status)}）",
        hierarchical=True,
    )
    pic.node(f"case:{case_id}", f"案件 {case_id[-5:]}", "case", f"案件 {case_id}", 26, level=0)
    kinds = ["household", "grid", "place", "center", "center", "center"]
    on_path: set[str] = set()
    for ids, names in zip(c.paths, c.path_names, strict=True):
        previous = f"case:{case_id}"
        for depth, (i, name) in enumerate(zip(ids, names, strict=True)):
            kind = kinds[min(depth, len(kinds) - 1)]
            key = f"n:{i}"
            pic.node(key, name or i, kind, f"{ROLE_ZH[kind]}：{name}（{i}）", 20, level=depth + 1)
            pic.edge(previous, key, "涉及" if depth == 0 else "上报")
            on_path.add(i)
            previous = key
    levels = {f"n:{i}": pic.nodes[f"n:{i}"].get("level", 1) for i in on_path}
    for s in c.stations:
        center = f"n:{s.center}"
        if center not in pic.nodes:
            continue
        tip = f"部门：{s.department_name}（{s.mode}）"
        pic.node(f"d:{s.department}", s.department_name, "department", tip, 12,
                 level=levels[center] + 1)  # fmt: skip
        pic.edge(f"d:{s.department}", center, "派驻", dashes=True)
    for a in c.assigned:
        pic.node(f"d:{a.department}", a.department_name, "department",
                 f"部门：{a.department_name}", 14, level=7)  # fmt: skip
        role = ("主办" if a.role == "lead" else "协办") + ("" if a.reported else "（未报到）")
        pic.edge(f"case:{case_id}", f"d:{a.department}", role)
    for e in c.escalations:
        key = f"n:{e['center']}"
        if key in pic.nodes:
            pic.nodes[key]["title"] += f"<br>到达 {e['date']}"
    return pic.html()


def area_view(backend: GraphBackend, area: str, as_of: date, *, by: str | None = None) -> str:
    """An area aggregated: grids (or villages, or townships — whichever keeps it under a few
    hundred nodes) sized by households and coloured by coverage."""
    from .analytics.metrics import coverage
    from .analytics.subgraph import area_graph

    g = area_graph(backend, area)
    if not any(d.get("label") == "Household" for _, d in g.nodes(data=True)):
        raise NotFound(f"no households under area {area!r}")
    grids = [n for n, d in g.nodes(data=True) if d.get("label") == "Grid"]
    level = by or ("grid" if len(grids) <= MAX_NODES else "village")
    villages = coverage(g, as_of, level=12).areas
    if level == "village" and len(villages) > MAX_NODES:
        level = "township"
    return _area_picture(g, area, as_of, level).html(_coverage_scale())


def _coverage_scale() -> str:
    stops = "".join(
        f'<span class="gg-key"><i style="background:{coverage_colour(r)}"></i>{int(r * 100)}%'
        "</span>"
        for r in (0.0, 0.25, 0.5, 0.75, 1.0)
    )
    return f'<div class="gg-legend">覆盖率（大小 = 户数）：{stops}</div>'


def _area_picture(g: nx.MultiDiGraph, area: str, as_of: date, level: str) -> _Picture:
    from .analytics.metrics import coverage
    from .analytics.reference import active, uncovered

    gaps = uncovered(g, "", as_of)
    names = {d["id"]: d.get("name", "") for _, d in g.nodes(data=True)
             if d.get("label") in ("Village", "Township")}  # fmt: skip
    title = {"grid": "网格", "village": "村（社区）", "township": "乡镇"}[level]
    pic = _Picture(f"{names.get(area, area)} 各{title}户数与覆盖率（{as_of.isoformat()}）")
    if level == "grid":
        for n, d in g.nodes(data=True):
            if d.get("label") != "Grid":
                continue
            hh = [u[1] for u, _, e in g.in_edges(n, data=True)
                  if e["type"] == "IN_GRID" and active(e, as_of)]  # fmt: skip
            workers = sum(1 for _, _, e in g.in_edges(n, data=True)
                          if e["type"] == "GRID_WORKER_OF" and active(e, as_of))  # fmt: skip
            ok = sum(1 for h in hh if h not in gaps)
            rate = ok / len(hh) if hh else 0.0
            # a grid holding no households itself (a parent of sub-grids) is grey, not red
            colour = coverage_colour(rate) if hh else "#c8c8c8"
            tip = (f"{d['name']}（{d['id']}）<br>{len(hh)} 户，覆盖率 {rate:.0%}"
                   f"<br>网格员 {workers} 人")  # fmt: skip
            pic.node(f"g:{d['id']}", d["name"], "grid", tip, size=8 + 3 * len(hh) ** 0.5,
                     colour=colour)  # fmt: skip
            code = d["division_code"]
            parent = f"v:{code}" if len(code) == 12 else f"t:{code}"
            pic.node(
                parent, names.get(code, code), "place", f"{names.get(code, code)}（{code}）", 14
            )
            pic.edge(f"g:{d['id']}", parent)
        for key in [k for k in pic.nodes if k.startswith("v:")]:
            code = key[2:]
            pic.node(f"t:{code[:9]}", names.get(code[:9], code[:9]), "place", code[:9], 22)
            pic.edge(key, f"t:{code[:9]}")
        return pic
    digits = 12 if level == "village" else 9
    for a in coverage(g, as_of, level=digits).areas:
        pic.node(f"a:{a.code}", a.name or a.code, "place",
                 f"{a.name}（{a.code}）<br>{a.households} 户，覆盖率 {a.rate:.0%}",
                 size=8 + 1.5 * a.households ** 0.5, colour=coverage_colour(a.rate))  # fmt: skip
        if digits == 12:
            top = a.code[:9]
            pic.node(f"t:{top}", names.get(top, top), "place", top, 24)
            pic.edge(f"a:{a.code}", f"t:{top}")
    return pic


def departments_view(backend: GraphBackend, area: str, as_of: date) -> str:
    """The department network of ``area``, interactive (the briefing draws it as a still)."""
    from .analytics.subgraph import department_subgraph

    g = department_subgraph(backend, area)
    if not any(d.get("label") == "Department" for _, d in g.nodes(data=True)):
        raise NotFound(f"no departments work in area {area!r}")
    return department_view(g, f"{_area_name(area)} 部门协同网络（截至 {as_of.isoformat()}）")


def _area_name(area: str) -> str:
    """The division's name from the shipped NBS extract, or the code when it is not there."""
    from .loaders.divisions import load_divisions

    try:
        return load_divisions().get(area).name
    except NotFound:
        return area


def department_view(g: nx.MultiDiGraph, title: str) -> str:
    """The department network: joined by shared cases and shared centers, sized by
    betweenness (who links the others)."""
    from .analytics.metrics import department_graph

    d = department_graph(g)
    between = nx.betweenness_centrality(d) if d.number_of_nodes() > 2 else dict.fromkeys(d, 0.0)
    pic = _Picture(title)
    for n, data in d.nodes(data=True):
        pic.node(n, data["name"], "department",
                 f"{data['name']}（{n}）<br>中介中心度 {between[n]:.3f}",
                 size=10 + 60 * between[n])  # fmt: skip
    for a, b, e in d.edges(data=True):
        pic.edges.append((a, b, {"title": f"共同办理 {e['cases']} 件，同驻 {e['centers']} 处",
                                 "value": e["weight"], "arrows": ""}))  # fmt: skip
    return pic.html()
