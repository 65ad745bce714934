"""What the generator knows so far, the ground-truth manifest and the scenario it returns."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from ...schema.model import (
    DEFAULT_MAX_HOUSEHOLDS,
    DEFAULT_WINDOW_DAYS,
    DepartmentKind,
    Label,
    Rel,
)
from ..divisions import Division, load_divisions
from ..graph import GraphBuilder, GraphTables
from ..scenarios import ScenarioSpec
from .synth import _days, _Names

__all__ = ["Manifest", "Scenario", "State"]

_SINCE = date(2019, 1, 1)

L, R = Label, Rel


@dataclass
class Manifest:
    """Ground truth: exactly what the generator planted, computed from its own data.

    A household is *covered* when it is in a grid, the grid has an active grid
    worker, a party member links it, and it was visited on or after
    ``as_of - window_days``. A worker's load is the sum over the grids they
    actively serve of (households in the grid / active workers of the grid).
    """

    scenario: str
    seed: int
    as_of: str
    area: str
    window_days: int = DEFAULT_WINDOW_DAYS
    max_households: int = DEFAULT_MAX_HOUSEHOLDS
    households: int = 0
    households_without_grid: list[str] = field(default_factory=list)
    grids_without_active_worker: list[str] = field(default_factory=list)
    households_in_grid_without_worker: list[str] = field(default_factory=list)
    households_unlinked: list[str] = field(default_factory=list)
    households_not_visited: list[str] = field(default_factory=list)
    worker_loads: dict[str, float] = field(default_factory=dict)
    overloaded_workers: list[str] = field(default_factory=list)
    overdue_cases: dict[str, int] = field(default_factory=dict)

    def summary(self) -> dict[str, int]:
        return {
            "households without a grid": len(self.households_without_grid),
            "grids without an active worker": len(self.grids_without_active_worker),
            "households whose grid has no active worker": len(
                self.households_in_grid_without_worker
            ),
            "households no party member links": len(self.households_unlinked),
            f"households not visited in {self.window_days} days": len(self.households_not_visited),
            f"workers over {self.max_households} households": len(self.overloaded_workers),
            "overdue cases": len(self.overdue_cases),
        }

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=1), encoding="utf-8")


@dataclass
class Scenario:
    spec: ScenarioSpec
    tables: GraphTables
    manifest: Manifest


# -- the generator ----------------------------------------------------------------------

_OCCUPATIONS = ["villager", "grid_worker", "village_cadre"]
_GRID_WORKER, _VILLAGE_CADRE = 1, 2


@dataclass
class _Village:
    div: Division
    township: Division
    households: int = 0
    grids: int = 0
    full_time: int = 0
    part_time: int = 0
    groups: int = 0
    linking: int = 0
    leaf_ids: list[str] = field(default_factory=list)
    first_household: int = 0
    first_person: int = 0
    people: int = 0


class State:
    """The generator's state: set by each stage (places, people, party, cases), read by the
    later ones; every stage is a class below the last, so it may call the earlier ones."""

    townships: list[Division]
    villages: list[_Village]
    counties: list[str]
    leaf_village: list[int]
    leaf_ids: list[str]
    hh_grid: np.ndarray
    hh_village: np.ndarray
    hh_ids: pa.Array
    sizes: np.ndarray
    person_hh: np.ndarray
    person_member: np.ndarray
    birth_year: np.ndarray
    male: np.ndarray
    person_names: Any
    person_ids: pa.Array
    party: np.ndarray
    occupation: np.ndarray
    _people_columns: dict[str, Any]
    workers: dict[str, list[tuple[str, str]]]  # grid -> (person, kind)
    village_head: dict[int, int]
    linking_people: dict[int, np.ndarray]
    grid_active_workers: dict[str, list[str]]
    cadres: dict[str, list[str]]
    grid_cadres: dict[str, list[str]]
    county_leaders: dict[str, list[str]]
    group_of_grid: dict[str, str]
    group_of_linker: dict[int, str]
    linked: np.ndarray
    link_pairs: tuple[np.ndarray, np.ndarray]
    center_of_county: dict[str, str]
    center_of_township: dict[str, str]
    center_of_village: dict[str, str]
    departments: dict[str, list[tuple[str, DepartmentKind]]]
    last_visit: np.ndarray

    def __init__(self, spec: ScenarioSpec) -> None:
        self.spec = spec
        self.rng = np.random.default_rng(spec.seed)
        # the days stations and party posts began: drawn apart from ``rng`` so that adding
        # them left every other draw (and every figure) as it was
        self.since_rng = np.random.default_rng([spec.seed, 1])
        self.names = _Names(self.rng)
        self.divs = load_divisions()
        self.b = GraphBuilder()
        self.as_of = spec.as_of
        self.today = _days(spec.as_of)
        self.manifest = Manifest(spec.name, spec.seed, spec.as_of.isoformat(), spec.area)
        self._worker_since: dict[str, date | None] = {}

    # .. structure ..................................................................
