"""Independent networkx answers to three questions, to cross-check the Cypher catalog.

Pure functions of a graph from :func:`govgraph.analytics.export.to_networkx`;
they share no code with the queries, only the model's names.

Examples
--------
>>> import networkx as nx
>>> from datetime import date
>>> g = nx.MultiDiGraph()
>>> g.add_node(("Household", "H1"), label="Household", id="H1", division_code="62")
>>> sorted(uncovered(g, "62", date(2024, 1, 1))["H1"])
['no_grid', 'no_linking_member', 'not_visited']
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

import networkx as nx

from ..schema.vocab import GapReason

__all__ = ["active", "escalation_paths", "escalation_walk", "uncovered", "worker_loads"]


def active(edge: dict[str, Any], as_of: date) -> bool:
    """Whether a link with a validity period holds on ``as_of``."""
    start, end = edge.get("valid_from"), edge.get("valid_to")
    return (start is None or start <= as_of) and (end is None or end >= as_of)


def _in_edges(g: nx.MultiDiGraph, node: Any, kind: str) -> list[tuple[Any, dict[str, Any]]]:
    return [(u, d) for u, keyed in g._pred[node].items() for d in keyed.values()
            if d["type"] == kind]  # fmt: skip


def _out_edges(g: nx.MultiDiGraph, node: Any, kind: str) -> list[tuple[Any, dict[str, Any]]]:
    return [(v, d) for v, keyed in g._succ[node].items() for d in keyed.values()
            if d["type"] == kind]  # fmt: skip


def uncovered(
    g: nx.MultiDiGraph, area: str, as_of: date, within_days: int = 90
) -> dict[str, set[str]]:
    """Household id → its coverage gaps, for households under ``area``."""
    first_day = as_of - timedelta(days=within_days)
    out: dict[str, set[str]] = {}
    staffed: dict[Any, bool] = {}  # grid → has an active worker (asked once per grid)
    for node, data in g.nodes(data=True):
        if data.get("label") != "Household" or not data["division_code"].startswith(area):
            continue
        reasons = set()
        grids = [v for v, d in _out_edges(g, node, "IN_GRID") if active(d, as_of)]
        for grid in grids:
            if grid not in staffed:
                staffed[grid] = any(
                    active(d, as_of) for _, d in _in_edges(g, grid, "GRID_WORKER_OF")
                )
        if not grids:
            reasons.add(GapReason.NO_GRID.value)
        elif not any(staffed[grid] for grid in grids):
            reasons.add(GapReason.NO_WORKER.value)
        if not any(active(d, as_of) for _, d in _in_edges(g, node, "LINKS_HOUSEHOLD")):
            reasons.add(GapReason.NO_LINKING_MEMBER.value)
        if not any(first_day <= d["date"] <= as_of for _, d in _in_edges(g, node, "VISITED")):
            reasons.add(GapReason.NOT_VISITED.value)
        if reasons:
            out[data["id"]] = reasons
    return out


def worker_loads(g: nx.MultiDiGraph, area: str, as_of: date) -> dict[str, float]:
    """Person id → households served: Σ over active grids of households / active workers."""
    loads: dict[str, float] = defaultdict(float)
    for node, data in g.nodes(data=True):
        if data.get("label") != "Grid" or not data["division_code"].startswith(area):
            continue
        workers = [u for u, d in _in_edges(g, node, "GRID_WORKER_OF") if active(d, as_of)]
        if not workers:
            continue
        households = sum(1 for _, d in _in_edges(g, node, "IN_GRID") if active(d, as_of))
        for w in workers:
            loads[g.nodes[w]["id"]] += households / len(workers)
    return dict(loads)


_PATH_TYPES = {"IN_GRID", "GRID_IN", "CENTER_SERVES", "REPORTS_TO"}


def escalation_walk(g: nx.MultiDiGraph, as_of: date) -> nx.Graph:
    """The links an escalation may walk on ``as_of`` (grid membership, grid → village,
    center → village, center → center), undirected; build it once for many cases."""
    walk = nx.Graph()
    for u, v, d in g.edges(data=True):
        if d["type"] in _PATH_TYPES and active(d, as_of):
            walk.add_edge(u, v)
    return walk


def escalation_paths(
    g: nx.MultiDiGraph, case_id: str, as_of: date, *, walk: nx.Graph | None = None
) -> list[list[str]]:
    """Every shortest path (as ids) from a case's household through its grid and the
    centers to its county's center, walking only links that hold on ``as_of``; a household
    in no grid that leads up starts from its village instead (it still has a village
    center). Pass the same ``walk`` for many cases: distances to each county center are
    then found once (a breadth-first search from the center) and the paths read off them."""
    case = ("Case", case_id)
    household = next(v for v, _ in _out_edges(g, case, "CONCERNS") if v[0] == "Household")
    village = next(v for v, _ in _out_edges(g, household, "LOCATED_IN"))
    township = next(v for v, _ in _out_edges(g, village, "PART_OF"))
    county = next(v for v, _ in _out_edges(g, township, "PART_OF"))
    top = next(u for u, _ in _in_edges(g, county, "CENTER_SERVES"))
    walk = walk if walk is not None else escalation_walk(g, as_of)
    distances = walk.graph.setdefault("distances", {})
    if top not in distances:
        distances[top] = nx.single_source_shortest_path_length(walk, top)
    dist = distances[top]
    starts = [n for n in walk[household] if n in dist] if household in walk else []
    if not starts and village in dist:
        starts = [village]  # no grid that leads up: from the village
    if not starts:
        return []
    nearest = min(dist[n] for n in starts)
    paths = [[household, *rest] for n in starts if dist[n] == nearest
             for rest in _down(walk, dist, n)]  # fmt: skip
    return sorted([g.nodes[n]["id"] for n in p] for p in paths)


def _down(walk: nx.Graph, dist: dict[Any, int], node: Any) -> list[list[Any]]:
    """Every shortest path from ``node`` to the source of ``dist``."""
    if dist[node] == 0:
        return [[node]]
    return [[node, *rest] for n in walk[node] if dist.get(n) == dist[node] - 1
            for rest in _down(walk, dist, n)]  # fmt: skip
