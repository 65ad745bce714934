"""A case's escalation paths and the departments stationed on them, from small statements.

The catalog's ``escalation_path`` (and ``escalation_path_direct``, for a household in no
grid) find every path household → grid → village → village center → (township center →)
the center of a county in one statement of two long branches, and ``center_stations``
unwinds the centers on them. On the embedded engine each branch and each unwound center
costs more than the walk itself, so there the same rows come from one statement per node
on the way — as "who is responsible" does (:mod:`govgraph.responsibility`). Tests compare
the two on every case of the hand-built graph and of scenarios, and through Neo4j.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from . import reads
from .backends.base import GraphBackend, Row
from .responsibility import held

__all__ = ["anchored_paths", "anchored_stations"]


def anchored_paths(backend: GraphBackend, household: str, as_of: date) -> list[Row]:
    """The rows of ``escalation_path`` for ``household`` on ``as_of`` (``ids`` and
    ``names`` of each path), or of ``escalation_path_direct`` when it has none, each with
    ``centers``: the governance centers on it."""
    read = backend.read_point
    walk = _Walk(backend)
    rows = []
    for grid in read("household_grids", {"household": household}):
        if held(grid, as_of):
            for village in backend.read_place("grid_villages", {"grid": grid["grid"]}):
                rows += walk.from_village([household, grid["grid"]],
                                          [grid["address"], grid["name"]], village)  # fmt: skip
    if rows:
        return rows
    for village in read("household_village", {"household": household}):
        rows += walk.from_village([household], [village["address"]], village)
    return rows


class _Walk:
    """Up the centers from a village, each center's links read once."""

    def __init__(self, backend: GraphBackend) -> None:
        self.backend = backend
        self._above: dict[str, list[Row]] = {}
        self._tops: dict[str, bool] = {}

    def above(self, center: str) -> list[Row]:
        if center not in self._above:
            self._above[center] = reads.centers_above(self.backend, center)
        return self._above[center]

    def serves_county(self, center: str) -> bool:
        if center not in self._tops:
            found = self.backend.read_place("center_counties", {"center": center})
            self._tops[center] = bool(found)
        return self._tops[center]

    def from_village(self, ids: list[str], names: list[Any], village: Row) -> list[Row]:
        """Every path from ``village`` (its ``id`` and ``name``) through a center that serves
        it to the center of a county, one or two REPORTS_TO steps up, after ``ids`` (and
        their ``names``)."""
        ids, names = [*ids, village["id"]], [*names, village["name"]]
        rows = []
        for vc in reads.village_centers(self.backend, village["id"]):
            for up in self.above(vc["center"]):
                chain = [vc["center"], up["center"]]
                chain_names = [vc["name"], up["name"]]
                if self.serves_county(up["center"]):
                    rows.append(_path(ids, names, chain, chain_names))
                for top in self.above(up["center"]):
                    if self.serves_county(top["center"]):
                        rows.append(
                            _path(ids, names, [*chain, top["center"]], [*chain_names, top["name"]])
                        )
        return rows


def _path(ids: list[str], names: list[Any], centers: list[str], center_names: list[Any]) -> Row:
    return {"ids": [*ids, *centers], "names": [*names, *center_names], "centers": centers}


def anchored_stations(backend: GraphBackend, centers: list[str], as_of: date) -> list[Row]:
    """The rows of ``center_stations`` for ``centers`` on ``as_of`` that name a department,
    by center then department."""
    rows = []
    for center in sorted(set(centers)):
        for r in backend.read_place("center_departments", {"center": center}):
            if held(r, as_of, open_start=True):
                rows.append({**r, "center": center})
    return sorted(rows, key=lambda r: (r["center"], r["department"]))
