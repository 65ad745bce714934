"""A scenario's published figures, counted on the loaded graph."""

from __future__ import annotations

from dataclasses import dataclass

from .backends.base import GraphBackend
from .loaders.scenarios import Figure, ScenarioSpec

__all__ = ["FigureCheck", "check_figures", "count_figure"]


@dataclass(frozen=True)
class FigureCheck:
    figure: Figure
    found: int

    @property
    def holds(self) -> bool:
        return self.figure.holds(self.found)


def count_figure(backend: GraphBackend, figure: Figure, spec: ScenarioSpec) -> int:
    """Run the figure's query for each of its areas and sum the matching counts."""
    total = 0
    for area in figure.areas:
        rows = backend.read(figure.query, {"area": area, "since": spec.year_start})
        for row in rows:
            if figure.key == "all" or str(row["key"]) == figure.key:
                total += int(row["n"])
    return total


def check_figures(backend: GraphBackend, spec: ScenarioSpec) -> list[FigureCheck]:
    """Every published figure of ``spec`` with what the store holds."""
    return [FigureCheck(f, count_figure(backend, f, spec)) for f in spec.figures]
