"""The metrics analysts ask for, as pure functions of an area graph (:func:`.area_graph`).

Coverage and worker loads reuse the definitions of :mod:`.reference` (which the
tests hold equal to the Cypher questions), so a briefing's figures and the
questions' answers cannot drift apart.

Examples
--------
>>> distribution([1, 2, 3, 10]).median
2.5
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date
from itertools import combinations
from typing import Any

import networkx as nx

from ..schema.model import DEFAULT_WINDOW_DAYS, TIER_DEADLINE_DAYS, CenterTier
from ..schema.vocab import GapReason
from .reference import active, uncovered, worker_loads

__all__ = [
    "Coverage",
    "Distribution",
    "caseload",
    "coverage",
    "department_network",
    "distribution",
    "escalation_profile",
    "key_players",
    "span_of_control",
]

REASONS = tuple(r.value for r in GapReason)
_ROLE_RELS = {"grid_worker": "GRID_WORKER_OF", "grid_head": "GRID_HEAD_OF"}


class _Dict:
    def to_dict(self) -> dict[str, Any]:
        return asdict(self)  # type: ignore[call-overload]

    def to_frame(self) -> Any:
        """The metric as a pandas DataFrame (``pip install 'govgraph[analysis]'``): its
        table (per area, per bin, per tier, per department), typed as in
        :mod:`govgraph.frames`; one row of its figures when it has no table."""
        from ..frames import frame

        rows, columns = self._table()
        return frame(rows, columns)

    def _table(self) -> tuple[list[dict[str, Any]], list[str]]:
        data = self.to_dict()
        return [data], list(data)


@dataclass
class Distribution(_Dict):
    n: int
    mean: float
    median: float
    p90: float
    max: float
    #: (lower bound, upper bound, count): ten equal bins from 0 to the maximum
    histogram: list[tuple[float, float, int]] = field(default_factory=list)

    def _table(self) -> tuple[list[dict[str, Any]], list[str]]:
        columns = ["lower", "upper", "count"]
        return [dict(zip(columns, b, strict=True)) for b in self.histogram], columns


def _quantile(ordered: list[float], q: float) -> float:
    if not ordered:
        return 0.0
    k = (len(ordered) - 1) * q
    lo, hi = math.floor(k), math.ceil(k)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def distribution(values: Iterable[float], bins: int = 10) -> Distribution:
    """Median, p90, max and a histogram: spans of control are skewed, means hide that."""
    ordered = sorted(float(v) for v in values)
    if not ordered:
        return Distribution(0, 0.0, 0.0, 0.0, 0.0, [])
    top = ordered[-1] or 1.0
    width = top / bins
    counts = [0] * bins
    for v in ordered:
        counts[min(int(v / width), bins - 1)] += 1
    hist = [(round(i * width, 2), round((i + 1) * width, 2), c) for i, c in enumerate(counts)]
    return Distribution(
        len(ordered),
        round(sum(ordered) / len(ordered), 2),
        round(_quantile(ordered, 0.5), 2),
        round(_quantile(ordered, 0.9), 2),
        round(ordered[-1], 2),
        hist,
    )


def _nodes(g: nx.MultiDiGraph, label: str) -> list[tuple[Any, dict[str, Any]]]:
    """The nodes of ``label``: grouped once per graph (the briefing asks 14 times), and
    grouped again if nodes were added or removed since (counting edges would cost a pass)."""
    stamp = g.number_of_nodes()
    cached = g.graph.get("_by_label")
    if cached is None or cached[0] != stamp:
        groups: dict[str, list[tuple[Any, dict[str, Any]]]] = defaultdict(list)
        for n, d in g.nodes(data=True):
            groups[d.get("label", "")].append((n, d))
        cached = g.graph["_by_label"] = (stamp, groups)
    return list(cached[1].get(label, ()))


def _in(g: nx.MultiDiGraph, node: Any, kind: str, as_of: date | None = None) -> list[Any]:
    # g._pred / g._succ are networkx's adjacency dicts; the public views (g.pred, in_edges)
    # wrap every step in a Mapping and made the briefing several times slower
    return [
        u
        for u, keyed in g._pred[node].items()
        for d in keyed.values()
        if d["type"] == kind and (as_of is None or active(d, as_of))
    ]


def _out(g: nx.MultiDiGraph, node: Any, kind: str, as_of: date | None = None) -> list[Any]:
    return [
        v
        for v, keyed in g._succ[node].items()
        for d in keyed.values()
        if d["type"] == kind and (as_of is None or active(d, as_of))
    ]


# -- coverage ---------------------------------------------------------------------------


@dataclass
class AreaCoverage(_Dict):
    code: str
    name: str
    households: int
    covered: int
    rate: float


@dataclass
class Coverage(_Dict):
    households: int
    covered: int
    rate: float
    #: households with each gap / all households (a household can have several)
    reason_share: dict[str, float]
    reason_count: dict[str, int]
    #: one row per village (or the grouping asked for)
    areas: list[AreaCoverage]

    def _table(self) -> tuple[list[dict[str, Any]], list[str]]:
        return [a.to_dict() for a in self.areas], ["code", "name", "households", "covered", "rate"]


def coverage(
    g: nx.MultiDiGraph, as_of: date, *, within_days: int = DEFAULT_WINDOW_DAYS, level: int = 12
) -> Coverage:
    """Households with no gap / all households, each gap's share, and the same per unit of
    ``level`` digits of division code (12 villages, 9 townships)."""
    gaps = uncovered(g, "", as_of, within_days)
    households = _nodes(g, "Household")
    counts = Counter(r for reasons in gaps.values() for r in reasons)
    names = {d["id"]: d.get("name", "") for _, d in g.nodes(data=True)
             if d.get("label") in ("Village", "Township")}  # fmt: skip
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for _, d in households:
        code = d["division_code"][:level]
        per[code][0] += 1
        per[code][1] += d["id"] not in gaps
    total = len(households)
    covered = total - len(gaps)
    return Coverage(
        total,
        covered,
        round(covered / total, 4) if total else 0.0,
        {r: round(counts[r] / total, 4) if total else 0.0 for r in REASONS},
        {r: counts[r] for r in REASONS},
        [
            AreaCoverage(code, names.get(code, ""), n, c, round(c / n, 4) if n else 0.0)
            for code, (n, c) in sorted(per.items())
        ],
    )


# -- span of control ----------------------------------------------------------------------


def span_of_control(g: nx.MultiDiGraph, as_of: date) -> dict[str, Distribution]:
    """Households per grid worker (shared grids split), per grid head, per linking member."""
    in_grid = {n: len(_in(g, n, "IN_GRID", as_of)) for n, _ in _nodes(g, "Grid")}
    heads: dict[Any, int] = defaultdict(int)
    for grid, n in in_grid.items():
        for person in _in(g, grid, "GRID_HEAD_OF", as_of):
            heads[person] += n
    links: dict[Any, int] = defaultdict(int)
    for h, _ in _nodes(g, "Household"):
        for person in _in(g, h, "LINKS_HOUSEHOLD", as_of):
            links[person] += 1
    return {
        "grid_worker": distribution(worker_loads(g, "", as_of).values()),
        "grid_head": distribution(heads.values()),
        "linking_member": distribution(links.values()),
    }


# -- cases ----------------------------------------------------------------------------------


@dataclass
class Caseload(_Dict):
    open_cases: int
    #: open cases concerning the households of each worker's grids
    open_per_worker: Distribution
    busiest: list[tuple[str, str, int]]
    #: tier -> finished stays within the deadline / finished stays
    on_time_rate: dict[str, float]
    stays: dict[str, int]
    overdue: int
    overdue_by_tier: dict[str, int]

    def _table(self) -> tuple[list[dict[str, Any]], list[str]]:
        rows = [{"tier": t, "stays": self.stays.get(t, 0), "on_time_rate": rate,
                 "overdue": self.overdue_by_tier.get(t, 0)}
                for t, rate in self.on_time_rate.items()]  # fmt: skip
        return rows, ["tier", "stays", "on_time_rate", "overdue"]


def _stays(g: nx.MultiDiGraph, case: Any, data: dict[str, Any], as_of: date
           ) -> list[tuple[str, date, date | None]]:  # fmt: skip
    """(tier, arrived, left or None while there) for each center the case went to."""
    arrivals = sorted(
        ((d["date"], d["tier"]) for _, _, d in g.out_edges(case, data=True)
         if d["type"] == "ESCALATED_TO" and d["date"] is not None and d["date"] <= as_of),
    )  # fmt: skip
    out = []
    for i, (day, tier) in enumerate(arrivals):
        left = arrivals[i + 1][0] if i + 1 < len(arrivals) else data.get("closed")
        if left is not None and left > as_of:
            left = None
        out.append((tier, day, left))
    return out


def _is_open(d: dict[str, Any], as_of: date) -> bool:
    return d["opened"] <= as_of and (d.get("closed") is None or d["closed"] > as_of)


def caseload(g: nx.MultiDiGraph, as_of: date) -> Caseload:
    """Open cases per worker, on-time rate per tier (3/7/15 days), the overdue backlog."""
    per_worker: Counter[Any] = Counter({w: 0 for w, _ in _worker_nodes(g, as_of)})
    on_time: Counter[str] = Counter()
    stays: Counter[str] = Counter()
    overdue: Counter[str] = Counter()
    open_cases = 0
    for case, d in _nodes(g, "Case"):
        if d["opened"] > as_of:
            continue
        if _is_open(d, as_of):
            open_cases += 1
            if d.get("due") is not None and d["due"] < as_of:
                overdue[d["tier"]] += 1
            workers = {
                w
                for h in _out(g, case, "CONCERNS")
                if h[0] == "Household"
                for grid in _out(g, h, "IN_GRID", as_of)
                for w in _in(g, grid, "GRID_WORKER_OF", as_of)
            }
            for w in workers:
                per_worker[w] += 1
        for tier, arrived, left in _stays(g, case, d, as_of):
            if left is None:
                continue
            stays[tier] += 1
            limit = TIER_DEADLINE_DAYS[CenterTier(tier)]
            on_time[tier] += (left - arrived).days <= limit
    tiers = [t.value for t in TIER_DEADLINE_DAYS]
    busiest = sorted(per_worker.items(), key=lambda kv: (-kv[1], kv[0][1]))[:10]
    return Caseload(
        open_cases,
        distribution(per_worker.values()),
        [(w[1], g.nodes[w].get("name", ""), n) for w, n in busiest if n],
        {t: round(on_time[t] / stays[t], 4) if stays[t] else 1.0 for t in tiers},
        {t: stays[t] for t in tiers},
        sum(overdue.values()),
        {t: overdue[t] for t in tiers},
    )


def _worker_nodes(g: nx.MultiDiGraph, as_of: date) -> list[tuple[Any, dict[str, Any]]]:
    seen = {u for grid, _ in _nodes(g, "Grid") for u in _in(g, grid, "GRID_WORKER_OF", as_of)}
    return [(w, g.nodes[w]) for w in sorted(seen)]


@dataclass
class EscalationProfile(_Dict):
    closed: int
    #: tier -> share of closed cases closed there
    closed_at: dict[str, float]
    #: tier -> median days a finished stay lasted
    median_days: dict[str, float]

    def _table(self) -> tuple[list[dict[str, Any]], list[str]]:
        rows = [{"tier": t, "closed_share": share, "median_days": self.median_days.get(t)}
                for t, share in self.closed_at.items()]  # fmt: skip
        return rows, ["tier", "closed_share", "median_days"]


def escalation_profile(g: nx.MultiDiGraph, as_of: date) -> EscalationProfile:
    """Where closed cases were closed (village / township / county) and time spent per tier."""
    closed_at: Counter[str] = Counter()
    days: dict[str, list[float]] = defaultdict(list)
    for case, d in _nodes(g, "Case"):
        if d.get("closed") is not None and d["closed"] <= as_of:
            closed_at[d["tier"]] += 1
        for tier, arrived, left in _stays(g, case, d, as_of):
            if left is not None:
                days[tier].append((left - arrived).days)
    total = sum(closed_at.values())
    tiers = [t.value for t in TIER_DEADLINE_DAYS]
    return EscalationProfile(
        total,
        {t: round(closed_at[t] / total, 4) if total else 0.0 for t in tiers},
        {t: distribution(days[t]).median for t in tiers},
    )


# -- departments ---------------------------------------------------------------------------


@dataclass
class DepartmentNetwork(_Dict):
    departments: int
    links: int
    density: float
    #: department id -> (name, degree centrality, betweenness centrality)
    centrality: dict[str, tuple[str, float, float]]
    #: the pairs that work together most: (a, b, cases together, centers together)
    top_pairs: list[tuple[str, str, int, int]]

    def _table(self) -> tuple[list[dict[str, Any]], list[str]]:
        rows = [{"department": d, "name": name, "degree": deg, "betweenness": bet}
                for d, (name, deg, bet) in self.centrality.items()]  # fmt: skip
        return rows, ["department", "name", "degree", "betweenness"]


def department_graph(g: nx.MultiDiGraph) -> nx.Graph:
    """Departments joined when assigned to the same case or stationed at the same center
    (now: a station that has ended joins nobody);
    edge attributes ``cases`` and ``centers`` count each, ``weight`` is their sum."""
    d = nx.Graph()
    for _, data in _nodes(g, "Department"):
        d.add_node(data["id"], name=data.get("name", ""), kind=data.get("kind", ""))

    def join(members: set[Any], key: str) -> None:
        for a, b in combinations(sorted(m[1] for m in members), 2):
            if not d.has_edge(a, b):
                d.add_edge(a, b, cases=0, centers=0, weight=0)
            d[a][b][key] += 1
            d[a][b]["weight"] += 1

    for case, _ in _nodes(g, "Case"):
        join(set(_out(g, case, "ASSIGNED_TO")), "cases")
    for center, _ in _nodes(g, "GovernanceCenter"):  # the stations that hold now
        stationed = [u for u, keyed in g._pred[center].items() for e in keyed.values()
                     if e["type"] == "STATIONED_AT" and e.get("valid_to") is None]  # fmt: skip
        join(set(stationed), "centers")
    return d


def department_network(g: nx.MultiDiGraph, top: int = 10) -> DepartmentNetwork:
    """Degree and betweenness centrality, density, and the pairs that coordinate most."""
    d = department_graph(g)
    degree = nx.degree_centrality(d) if d.number_of_nodes() > 1 else dict.fromkeys(d, 0.0)
    between = nx.betweenness_centrality(d) if d.number_of_nodes() > 2 else dict.fromkeys(d, 0.0)
    pairs = sorted(
        ((*sorted((a, b)), e["cases"], e["centers"]) for a, b, e in d.edges(data=True)),
        key=lambda p: (-p[2], -p[3], p[0], p[1]),
    )
    return DepartmentNetwork(
        d.number_of_nodes(),
        d.number_of_edges(),
        round(nx.density(d), 4) if d.number_of_nodes() > 1 else 0.0,
        {
            n: (d.nodes[n]["name"], round(degree[n], 4), round(between[n], 4))
            for n in sorted(d, key=lambda n: (-between[n], -degree[n], n))
        },
        pairs[:top],
    )


# -- key players -----------------------------------------------------------------------------


@dataclass
class KeyPlayer(_Dict):
    person: str
    name: str
    roles: list[str]
    grids: list[str]
    #: households left with no grid worker (or no grid head) if this person went
    orphaned: int


def key_players(g: nx.MultiDiGraph, as_of: date, top: int = 10) -> list[KeyPlayer]:
    """People whose removal leaves the most households without anyone in a role they hold —
    the only grid worker of their grids, or the only grid head: "removing worker X orphans N
    households". A grid head over many grids is the classic single point of failure."""
    sole: dict[Any, set[Any]] = defaultdict(set)
    roles: dict[Any, set[str]] = defaultdict(set)
    grids_of: dict[Any, set[str]] = defaultdict(set)
    holders: dict[tuple[Any, str], list[Any]] = {}
    for grid, gd in _nodes(g, "Grid"):
        for role, rel in _ROLE_RELS.items():
            holders[grid, rel] = _in(g, grid, rel, as_of)
            for p in holders[grid, rel]:
                roles[p].add(role)
                grids_of[p].add(gd["id"])
    for h, _ in _nodes(g, "Household"):
        grids = _out(g, h, "IN_GRID", as_of)
        for rel in _ROLE_RELS.values():
            people = {p for grid in grids for p in holders.get((grid, rel), ())}
            if len(people) == 1:
                sole[next(iter(people))].add(h)
    ranked = sorted(sole.items(), key=lambda kv: (-len(kv[1]), kv[0][1]))[:top]
    return [
        KeyPlayer(p[1], g.nodes[p].get("name", ""), sorted(roles[p]), sorted(grids_of[p]), len(hh))
        for p, hh in ranked
    ]
