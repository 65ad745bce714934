"""One area of the store as a networkx graph: what the metrics, pictures and briefings read.

Unlike :func:`govgraph.analytics.export.to_networkx` (the whole store), this pulls
only an area: its households, grids, cases, centers and departments, the people
linked to them, and the links between these, in a few batched reads.
"""

from __future__ import annotations

import itertools
from typing import Any

import networkx as nx

from ..backends.base import GraphBackend
from ..schema.model import Label, Rel
from .export import node_key

__all__ = ["area_graph"]

L, R = Label, Rel
Ends = tuple[list[str], list[str]]  # the sources and targets of the relationships read


def area_graph(backend: GraphBackend, area: str) -> nx.MultiDiGraph:
    """The area under division code prefix ``area`` (nodes keyed ``(label, id)``)."""
    g = nx.MultiDiGraph()
    keys = itertools.count()  # explicit edge keys: networkx's own search for a free key is slow

    def add_nodes(label: Label, table: Any) -> list[str]:
        rows: list[dict[str, Any]] = table.to_pylist()
        name = label.value
        g.add_nodes_from((node_key(label, row["id"]), {"label": name, **row}) for row in rows)
        return [row["id"] for row in rows]

    def add_edges(rel: Rel, source: Label, target: Label, table: Any) -> Ends:
        # column by column, and one add_edges_from: a township has ~10^5 links
        columns = {name: table.column(name).to_pylist() for name in table.column_names}
        sources, targets = columns.pop("source"), columns.pop("target")
        names, kind = list(columns), rel.value
        edges = (
            (node_key(source, s), node_key(target, t), next(keys), dict(zip(names, v, strict=True)))
            for s, t, *v in zip(sources, targets, *columns.values(), strict=True)
        )
        g.add_edges_from(edges, type=kind)
        return sources, targets

    def add_rels(rel: Rel, source: Label, target: Label, ids: list[str], by_target: bool = False
                 ) -> Ends:  # fmt: skip
        """Relationships of a handful of nodes, by id."""
        table = backend.fetch_relationships(rel, source, target, ids, by_target=by_target)
        return add_edges(rel, source, target, table)

    def area_rels(rel: Rel, source: Label, target: Label, by_target: bool = False
                  ) -> Ends:  # fmt: skip
        """Relationships of the area's own nodes, read from the area's side (by traversal)."""
        table = backend.relationships_in_area(rel, source, target, area, by_target=by_target)
        return add_edges(rel, source, target, table)

    for label in (L.HOUSEHOLD, L.GRID, L.CASE):
        add_nodes(label, backend.nodes_in_area(label, area))
    centers = add_nodes(L.GOVERNANCE_CENTER, backend.nodes_in_area(L.GOVERNANCE_CENTER, area))
    people: set[str] = set()
    for rel in (R.GRID_WORKER_OF, R.GRID_HEAD_OF, R.SUNK_CADRE_OF, R.VOLUNTEER_OF):
        people |= set(area_rels(rel, L.PERSON, L.GRID, True)[0])
    for rel in (R.LINKS_HOUSEHOLD, R.VISITED):
        people |= set(area_rels(rel, L.PERSON, L.HOUSEHOLD, True)[0])
    places = set(area_rels(R.LOCATED_IN, L.HOUSEHOLD, L.VILLAGE)[1])
    area_rels(R.IN_GRID, L.HOUSEHOLD, L.GRID, True)
    places |= set(area_rels(R.GRID_IN, L.GRID, L.VILLAGE)[1])
    townships = set(area_rels(R.GRID_IN, L.GRID, L.TOWNSHIP)[1])
    area_rels(R.SUBGRID_OF, L.GRID, L.GRID)
    add_nodes(L.VILLAGE, backend.fetch_nodes(L.VILLAGE, sorted(places)))
    townships |= set(add_rels(R.PART_OF, L.VILLAGE, L.TOWNSHIP, sorted(places))[1])
    add_nodes(L.TOWNSHIP, backend.fetch_nodes(L.TOWNSHIP, sorted(townships)))
    area_rels(R.CONCERNS, L.CASE, L.HOUSEHOLD)
    people |= set(area_rels(R.REPORTED_BY, L.CASE, L.PERSON)[1])
    reached = set(area_rels(R.ESCALATED_TO, L.CASE, L.GOVERNANCE_CENTER)[1])
    departments = set(area_rels(R.ASSIGNED_TO, L.CASE, L.DEPARTMENT)[1])
    all_centers = sorted(set(centers) | reached)
    add_nodes(
        L.GOVERNANCE_CENTER,
        backend.fetch_nodes(L.GOVERNANCE_CENTER, sorted(reached - set(centers))),
    )
    departments |= set(
        add_rels(R.STATIONED_AT, L.DEPARTMENT, L.GOVERNANCE_CENTER, all_centers, True)[0]
    )
    add_rels(R.REPORTS_TO, L.GOVERNANCE_CENTER, L.GOVERNANCE_CENTER, all_centers)
    for target in (L.VILLAGE, L.TOWNSHIP, L.COUNTY):
        add_rels(R.CENTER_SERVES, L.GOVERNANCE_CENTER, target, all_centers)
    add_nodes(L.DEPARTMENT, backend.fetch_nodes(L.DEPARTMENT, sorted(departments)))
    add_nodes(L.PERSON, backend.fetch_nodes(L.PERSON, sorted(people)))
    # a link's far end outside the area (a county center, say) still needs its attributes
    for node, data in g.nodes(data=True):
        if "label" not in data:
            data.update(label=node[0], id=node[1])
    return g
