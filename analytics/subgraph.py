"""One area of the store as a networkx graph: what the metrics, pictures and briefings read.

Unlike :func:`govgraph.analytics.export.to_networkx` (the whole store), this pulls
only an area: its households, grids, cases, centers and departments, the people
linked to them, and the links between these, in a few batched reads.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from ..backends.base import GraphBackend
from ..schema.model import Label, Rel
from .export import node_key

__all__ = ["area_graph"]

L, R = Label, Rel


def area_graph(backend: GraphBackend, area: str) -> nx.MultiDiGraph:
    """The area under division code prefix ``area`` (nodes keyed ``(label, id)``)."""
    g = nx.MultiDiGraph()

    def add_nodes(label: Label, rows: list[dict[str, Any]]) -> list[str]:
        for row in rows:
            g.add_node(node_key(label, row["id"]), label=label.value, **row)
        return [row["id"] for row in rows]

    def add_rels(rel: Rel, source: Label, target: Label, ids: list[str], by_target: bool = False
                 ) -> list[dict[str, Any]]:  # fmt: skip
        rows = backend.fetch_relationships(rel, source, target, ids, by_target=by_target)
        out = rows.to_pylist()
        for row in out:
            props = {k: v for k, v in row.items() if k not in ("source", "target")}
            g.add_edge(node_key(source, row["source"]), node_key(target, row["target"]),
                       type=rel.value, **props)  # fmt: skip
        return out

    households = add_nodes(L.HOUSEHOLD, backend.nodes_in_area(L.HOUSEHOLD, area).to_pylist())
    grids = add_nodes(L.GRID, backend.nodes_in_area(L.GRID, area).to_pylist())
    cases = add_nodes(L.CASE, backend.nodes_in_area(L.CASE, area).to_pylist())
    centers = add_nodes(
        L.GOVERNANCE_CENTER, backend.nodes_in_area(L.GOVERNANCE_CENTER, area).to_pylist()
    )
    people: set[str] = set()
    for rel in (R.GRID_WORKER_OF, R.GRID_HEAD_OF, R.SUNK_CADRE_OF, R.VOLUNTEER_OF):
        people |= {r["source"] for r in add_rels(rel, L.PERSON, L.GRID, grids, True)}
    for rel in (R.LINKS_HOUSEHOLD, R.VISITED):
        people |= {r["source"] for r in add_rels(rel, L.PERSON, L.HOUSEHOLD, households, True)}
    places = {r["target"] for r in add_rels(R.LOCATED_IN, L.HOUSEHOLD, L.VILLAGE, households)}
    add_rels(R.IN_GRID, L.HOUSEHOLD, L.GRID, grids, True)
    places |= {r["target"] for r in add_rels(R.GRID_IN, L.GRID, L.VILLAGE, grids)}
    townships = {r["target"] for r in add_rels(R.GRID_IN, L.GRID, L.TOWNSHIP, grids)}
    add_rels(R.SUBGRID_OF, L.GRID, L.GRID, grids)
    add_nodes(L.VILLAGE, backend.fetch_nodes(L.VILLAGE, sorted(places)).to_pylist())
    townships |= {r["target"] for r in add_rels(R.PART_OF, L.VILLAGE, L.TOWNSHIP, sorted(places))}
    add_nodes(L.TOWNSHIP, backend.fetch_nodes(L.TOWNSHIP, sorted(townships)).to_pylist())
    add_rels(R.CONCERNS, L.CASE, L.HOUSEHOLD, cases)
    people |= {r["target"] for r in add_rels(R.REPORTED_BY, L.CASE, L.PERSON, cases)}
    reached = {r["target"] for r in add_rels(R.ESCALATED_TO, L.CASE, L.GOVERNANCE_CENTER, cases)}
    departments = {r["target"] for r in add_rels(R.ASSIGNED_TO, L.CASE, L.DEPARTMENT, cases)}
    all_centers = sorted(set(centers) | reached)
    add_nodes(
        L.GOVERNANCE_CENTER,
        backend.fetch_nodes(L.GOVERNANCE_CENTER, sorted(reached - set(centers))).to_pylist(),
    )
    departments |= {
        r["source"]
        for r in add_rels(R.STATIONED_AT, L.DEPARTMENT, L.GOVERNANCE_CENTER, all_centers, True)
    }
    add_rels(R.REPORTS_TO, L.GOVERNANCE_CENTER, L.GOVERNANCE_CENTER, all_centers)
    for target in (L.VILLAGE, L.TOWNSHIP, L.COUNTY):
        add_rels(R.CENTER_SERVES, L.GOVERNANCE_CENTER, target, all_centers)
    add_nodes(L.DEPARTMENT, backend.fetch_nodes(L.DEPARTMENT, sorted(departments)).to_pylist())
    add_nodes(L.PERSON, backend.fetch_nodes(L.PERSON, sorted(people)).to_pylist())
    # a link's far end outside the area (a county center, say) still needs its attributes
    for node, data in g.nodes(data=True):
        if "label" not in data:
            data.update(label=node[0], id=node[1])
    return g
