"""A rebalancing plan: the fewest households moved so that no grid worker is over the limit.

A minimum-cost flow (networkx's network simplex): each overloaded worker's excess
flows to workers with room in the same village (cost 1 per household) or, failing
that, the same township (cost 2); excess that finds no room flows to a "hire"
node (cost 1000) whose flow says how many more workers each township needs. The
flow runs through one node per village and per township, so the network grows
with the number of workers, not with the number of pairs of them.
Every excess household must move, so the plan moves exactly the total excess
when it is possible: that is the least number of moves, and among such plans
the flow keeps as many as it can inside villages.

Examples
--------
>>> plan = rebalance({"a": 60, "b": 30}, {"a": ("v1", "t1"), "b": ("v1", "t1")}, 50)
>>> [(m.source, m.target, m.households) for m in plan.moves], plan.feasible
([('a', 'b', 10)], True)
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

import networkx as nx

from ..schema.model import DEFAULT_MAX_HOUSEHOLDS

__all__ = ["Move", "RebalancePlan", "rebalance", "rebalance_graph"]

SAME_VILLAGE, SAME_TOWNSHIP, HIRE = 1, 2, 1000


@dataclass
class Move:
    source: str
    target: str
    households: int
    #: "village" or "township": where the two workers both serve
    scope: str


@dataclass
class RebalancePlan:
    threshold: int
    moves: list[Move]
    #: households moved in all
    moved: int
    #: worker -> load before and after the plan
    before: dict[str, float]
    after: dict[str, float]
    #: township -> households no worker there has room for, and workers to hire for them
    unplaced: dict[str, int] = field(default_factory=dict)
    hire: dict[str, int] = field(default_factory=dict)

    @property
    def feasible(self) -> bool:
        return not self.unplaced

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "feasible": self.feasible}


def rebalance(
    loads: dict[str, float], places: dict[str, tuple[str, str]], threshold: int
) -> RebalancePlan:
    """Plan moves of households between workers (``places``: worker → (village, township)).

    Loads may be fractional (a shared grid splits its households); excess is rounded up
    and room down, so the plan never leaves anyone over ``threshold``.
    """
    excess = {w: math.ceil(load - threshold) for w, load in loads.items() if load > threshold}
    room = {w: math.floor(threshold - load) for w, load in loads.items() if load < threshold}
    room = {w: r for w, r in room.items() if r > 0}
    # Costs depend only on "same village" or "same township", so instead of an edge for
    # every (overloaded, with room) pair, flow passes through one node per village and one
    # per township: the same optimum with edges linear in the number of workers.
    flow = nx.DiGraph()
    total = sum(excess.values())
    flow.add_node("source", demand=-total)
    flow.add_node("sink", demand=total)
    villages_with_room = {places[u] for u in room}
    townships_with_room = {places[u][1] for u in room}
    for w, e in excess.items():
        village, township = places[w]
        flow.add_edge("source", ("over", w), capacity=e, weight=0)
        flow.add_edge(("over", w), ("hire", township), weight=HIRE)
        if (village, township) in villages_with_room:
            flow.add_edge(("over", w), ("village", village, township), weight=SAME_VILLAGE)
        if township in townships_with_room:
            flow.add_edge(("over", w), ("township", township), weight=SAME_TOWNSHIP)
    for u, r in room.items():
        village, township = places[u]
        flow.add_edge(("village", village, township), ("room", u), weight=0)
        flow.add_edge(("township", township), ("room", u), weight=0)
        flow.add_edge(("room", u), "sink", capacity=r, weight=0)
    for township in {places[w][1] for w in excess}:
        flow.add_edge(("hire", township), "sink", weight=0)
    result = nx.min_cost_flow(flow) if total else {}
    moves: list[Move] = []
    unplaced: dict[str, int] = defaultdict(int)
    after = dict(loads)
    hub_in: dict[Any, list[list[Any]]] = defaultdict(list)
    for w in sorted(excess):
        for hub, n in sorted(result.get(("over", w), {}).items(), key=lambda kv: str(kv[0])):
            if not n:
                continue
            if hub[0] == "hire":
                unplaced[hub[1]] += n
            else:
                hub_in[hub].append([w, n])
    # each village or township node: pair what came in with what went out, in order (an
    # optimal flow never sends a household through the township between two workers of one
    # village: the village route is cheaper, so every pair keeps its hub's cost)
    for hub in sorted(hub_in, key=str):
        senders = hub_in[hub]
        receivers = [[u, n] for u, n in sorted(result[hub].items(), key=lambda kv: str(kv[0]))
                     if n]  # fmt: skip
        i = j = 0
        while i < len(senders) and j < len(receivers):
            n = min(senders[i][1], receivers[j][1])
            w, u = senders[i][0], receivers[j][0][1]
            scope = "village" if places[u][0] == places[w][0] else "township"
            moves.append(Move(w, u, n, scope))
            after[w] -= n
            after[u] += n
            senders[i][1] -= n
            receivers[j][1] -= n
            i += senders[i][1] == 0
            j += receivers[j][1] == 0
    moves.sort(key=lambda m: (m.source, m.target))
    hire = {t: math.ceil(n / threshold) for t, n in unplaced.items()}
    return RebalancePlan(
        threshold,
        moves,
        sum(m.households for m in moves),
        {w: round(v, 2) for w, v in loads.items()},
        {w: round(v, 2) for w, v in after.items()},
        dict(unplaced),
        hire,
    )


def rebalance_graph(
    g: nx.MultiDiGraph, as_of: date, threshold: int = DEFAULT_MAX_HOUSEHOLDS
) -> RebalancePlan:
    """The plan for every grid worker of an area graph (:func:`.area_graph`): each worker
    is placed in the village and township of the grid where they serve most households."""
    from .reference import active, worker_loads

    loads = worker_loads(g, "", as_of)
    best: dict[str, tuple[int, str]] = {}
    for n, d in g.nodes(data=True):
        if d.get("label") != "Grid":
            continue
        edges = [(u, e) for u, _, e in g.in_edges(n, data=True) if active(e, as_of)]
        households = sum(1 for _, e in edges if e["type"] == "IN_GRID")
        for u, e in edges:
            if e["type"] == "GRID_WORKER_OF" and households >= best.get(u[1], (-1, ""))[0]:
                best[u[1]] = (households, d["division_code"])
    places = {w: (code, code[:9]) for w, (_, code) in best.items()}
    return rebalance({w: v for w, v in loads.items() if w in places}, places, threshold)
