"""One area of the store as a networkx graph: what the metrics, pictures and briefings read.

Unlike :func:`govgraph.analytics.export.to_networkx` (the whole store), this pulls
only an area: its households, grids, cases, centers and departments, the people
linked to them, and the links between these, in a few batched reads.
"""

from __future__ import annotations

import itertools
from typing import Any

import networkx as nx

from .._memory import paused_gc
from ..backends.base import GraphBackend
from ..schema.model import Label, Rel
from .export import node_key

__all__ = ["area_graph", "department_subgraph"]

L, R = Label, Rel
Ends = tuple[list[str], list[str]]  # the sources and targets of the relationships read


class _Builder:
    """A networkx graph filled from the backend in batches (nodes keyed ``(label, id)``)."""

    def __init__(self, backend: GraphBackend, area: str) -> None:
        self.backend, self.area = backend, area
        self.g = nx.MultiDiGraph()
        self._keys = itertools.count()  # explicit edge keys: networkx's own search is slow

    def nodes(self, label: Label, table: Any) -> list[str]:
        rows: list[dict[str, Any]] = table.to_pylist()
        name = label.value
        self.g.add_nodes_from((node_key(label, r["id"]), {"label": name, **r}) for r in rows)
        return [row["id"] for row in rows]

    def area_nodes(self, label: Label) -> list[str]:
        return self.nodes(label, self.backend.nodes_in_area(label, self.area))

    def fetch_nodes(self, label: Label, ids: set[str] | list[str]) -> list[str]:
        return self.nodes(label, self.backend.fetch_nodes(label, sorted(ids)))

    def _edges(self, rel: Rel, source: Label, target: Label, table: Any) -> Ends:
        """Add the table's relationships, column by column, straight into networkx's
        adjacency (a dict of dicts of key → attributes, mirrored in ``_pred``): a county has
        ~2·10^5 links, and this takes 0.7 s where ``add_edges_from`` took 1.0 s."""
        columns = {name: table.column(name).to_pylist() for name in table.column_names}
        sources, targets = columns.pop("source"), columns.pop("target")
        names, kind, keys = list(columns), rel.value, self._keys
        a, b = str(source), str(target)
        g = self.g
        succ, pred, node = g._succ, g._pred, g._node
        for s, t, *values in zip(sources, targets, *columns.values(), strict=True):
            u, v = (a, s), (b, t)
            for n in (u, v):
                if n not in succ:
                    succ[n], pred[n], node[n] = {}, {}, {}
            data = {"type": kind, **dict(zip(names, values, strict=True))}
            key = next(keys)
            succ[u].setdefault(v, {})[key] = data
            pred[v].setdefault(u, {})[key] = data
        return sources, targets

    def rels(self, rel: Rel, source: Label, target: Label, ids: list[str], by_target: bool = False
             ) -> Ends:  # fmt: skip
        """Relationships of a handful of nodes, by id."""
        table = self.backend.fetch_relationships(rel, source, target, ids, by_target=by_target)
        return self._edges(rel, source, target, table)

    def area_rels(self, rel: Rel, source: Label, target: Label, by_target: bool = False
                  ) -> Ends:  # fmt: skip
        """Relationships of the area's own nodes, read from the area's side (by traversal)."""
        table = self.backend.relationships_in_area(
            rel, source, target, self.area, by_target=by_target
        )
        return self._edges(rel, source, target, table)

    def finish(self) -> nx.MultiDiGraph:
        # a link's far end outside the area (a county center, say) still needs its attributes
        for node, data in self.g.nodes(data=True):
            if "label" not in data:
                data.update(label=node[0], id=node[1])
        # what add_edge does after each change (nothing can be cached yet; to be safe)
        getattr(self.g, "__networkx_cache__", {}).clear()
        return self.g


def area_graph(backend: GraphBackend, area: str) -> nx.MultiDiGraph:
    """The area under division code prefix ``area`` (nodes keyed ``(label, id)``)."""
    with paused_gc():  # a county is ~10^6 small objects: the collector would find nothing
        return _area_graph(backend, area)


def _area_graph(backend: GraphBackend, area: str) -> nx.MultiDiGraph:
    b = _Builder(backend, area)
    for label in (L.HOUSEHOLD, L.GRID, L.CASE):
        b.area_nodes(label)
    centers = b.area_nodes(L.GOVERNANCE_CENTER)
    people: set[str] = set()
    for rel in (R.GRID_WORKER_OF, R.GRID_HEAD_OF, R.SUNK_CADRE_OF, R.VOLUNTEER_OF):
        people |= set(b.area_rels(rel, L.PERSON, L.GRID, True)[0])
    for rel in (R.LINKS_HOUSEHOLD, R.VISITED):
        people |= set(b.area_rels(rel, L.PERSON, L.HOUSEHOLD, True)[0])
    places = set(b.area_rels(R.LOCATED_IN, L.HOUSEHOLD, L.VILLAGE)[1])
    b.area_rels(R.IN_GRID, L.HOUSEHOLD, L.GRID, True)
    places |= set(b.area_rels(R.GRID_IN, L.GRID, L.VILLAGE)[1])
    townships = set(b.area_rels(R.GRID_IN, L.GRID, L.TOWNSHIP)[1])
    b.area_rels(R.SUBGRID_OF, L.GRID, L.GRID)
    b.fetch_nodes(L.VILLAGE, places)
    townships |= set(b.rels(R.PART_OF, L.VILLAGE, L.TOWNSHIP, sorted(places))[1])
    b.fetch_nodes(L.TOWNSHIP, townships)
    b.area_rels(R.CONCERNS, L.CASE, L.HOUSEHOLD)
    people |= set(b.area_rels(R.REPORTED_BY, L.CASE, L.PERSON)[1])
    reached = set(b.area_rels(R.ESCALATED_TO, L.CASE, L.GOVERNANCE_CENTER)[1])
    departments = set(b.area_rels(R.ASSIGNED_TO, L.CASE, L.DEPARTMENT)[1])
    all_centers = sorted(set(centers) | reached)
    b.fetch_nodes(L.GOVERNANCE_CENTER, reached - set(centers))
    departments |= set(
        b.rels(R.STATIONED_AT, L.DEPARTMENT, L.GOVERNANCE_CENTER, all_centers, True)[0]
    )
    b.rels(R.REPORTS_TO, L.GOVERNANCE_CENTER, L.GOVERNANCE_CENTER, all_centers)
    for target in (L.VILLAGE, L.TOWNSHIP, L.COUNTY):
        b.rels(R.CENTER_SERVES, L.GOVERNANCE_CENTER, target, all_centers)
    b.fetch_nodes(L.DEPARTMENT, departments)
    b.fetch_nodes(L.PERSON, people)
    return b.finish()


def department_subgraph(backend: GraphBackend, area: str) -> nx.MultiDiGraph:
    """Only what the department network of ``area`` needs (:func:`.metrics.department_graph`):
    its cases, its centers and those its cases were escalated to, and the departments assigned
    to the cases or stationed at the centers (as :func:`area_graph` has them). A few small
    reads, however large the area: the API draws it for a whole city."""
    b = _Builder(backend, area)
    b.area_nodes(L.CASE)
    centers = set(b.area_nodes(L.GOVERNANCE_CENTER))
    departments = set(b.area_rels(R.ASSIGNED_TO, L.CASE, L.DEPARTMENT)[1])
    reached = set(b.area_rels(R.ESCALATED_TO, L.CASE, L.GOVERNANCE_CENTER)[1])
    b.fetch_nodes(L.GOVERNANCE_CENTER, reached - centers)
    stationed = b.rels(R.STATIONED_AT, L.DEPARTMENT, L.GOVERNANCE_CENTER, sorted(centers | reached),
                       True)  # fmt: skip
    b.fetch_nodes(L.DEPARTMENT, departments | set(stationed[0]))
    return b.finish()
