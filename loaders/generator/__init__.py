"""Seeded scenario generator: a governance network on real divisions.

:func:`generate` turns a :class:`~govgraph.loaders.scenarios.ScenarioSpec` into
Arrow tables (:class:`~govgraph.loaders.graph.GraphTables`) and a ground-truth
:class:`Manifest` of every imperfection it planted. The same spec and seed
always give the same graph. Bulk columns (households, people, visits, links)
are built with NumPy and Arrow so that a million households take seconds.

The work is in stages, each a module: ``places`` (units and grids), ``people``
(households, people, posts), ``party`` (organisations and links), ``cases``
(centers, departments, cases, visits); ``state`` holds what they share.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from ..scenarios import ScenarioSpec
from .cases import _Cases
from .state import Manifest, Scenario
from .synth import apportion, id_numbers, phones

__all__ = ["Manifest", "Scenario", "apportion", "generate", "id_numbers", "phones"]


def generate(spec: ScenarioSpec) -> Scenario:
    """Build the scenario ``spec`` (deterministic for its seed)."""
    return _Generator(spec).run()


class _Generator(_Cases):
    def run(self) -> Scenario:
        self._admin()
        self._plan()
        self._grids()
        self._households_and_people()
        self._roles()
        self._party()
        self._links()
        self._centers()
        self._cases()
        self._visits()
        self._finish_manifest()
        return Scenario(self.spec, self.b.build(), self.manifest)

    def _finish_manifest(self) -> None:
        m, ids = self.manifest, np.asarray(self.hh_ids.to_pylist(), dtype=object)
        grid = self.hh_grid
        m.households_without_grid = sorted(ids[grid < 0].tolist())
        dead = np.array([not self.grid_active_workers[g] for g in self.leaf_ids] + [False])
        m.grids_without_active_worker = sorted(
            g for g in self.leaf_ids if not self.grid_active_workers[g]
        )
        m.households_in_grid_without_worker = sorted(ids[(grid >= 0) & dead[grid]].tolist())
        m.households_unlinked = sorted(ids[~self.linked].tolist())
        cutoff = self.today - m.window_days
        m.households_not_visited = sorted(ids[self.last_visit < cutoff].tolist())
        per_grid = np.bincount(grid[grid >= 0], minlength=len(self.leaf_ids))
        loads: dict[str, float] = defaultdict(float)
        for g, gid in enumerate(self.leaf_ids):
            active = self.grid_active_workers[gid]
            for pid in active:
                loads[pid] += per_grid[g] / len(active)
        m.worker_loads = {k: round(v, 6) for k, v in sorted(loads.items())}
        m.overloaded_workers = sorted(k for k, v in loads.items() if v > m.max_households)
        m.overdue_cases = dict(sorted(m.overdue_cases.items()))
