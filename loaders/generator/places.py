"""Stage one: the administrative units of the scenario's area and its grids."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...errors import ScenarioError
from ..divisions import pad_code
from .state import L, R, State, _Village
from .synth import _level_label, apportion


class _Places(State):
    def _admin(self) -> None:
        spec, divs = self.spec, self.divs
        if spec.townships:
            townships = [divs.get(t) for t in spec.townships]
        else:
            townships = divs.descendants(spec.county, "township")
        if not townships:
            raise ScenarioError(f"no townships under {spec.county}")
        self.townships = townships
        self.villages = []
        seen: set[str] = set()
        for t in townships:
            kids = divs.children(t.code)
            if not kids:
                raise ScenarioError(f"township {t.code} {t.name} has no villages in the NBS table")
            self.villages += [_Village(v, t) for v in kids]
            for d in divs.chain(t.code) + kids:
                if d.code in seen:
                    continue
                seen.add(d.code)
                label = {
                    "province": L.PROVINCE,
                    "prefecture": L.PREFECTURE,
                    "county": L.COUNTY,
                    "township": L.TOWNSHIP,
                    "village": L.VILLAGE,
                }[d.level]
                self.b.node(label, id=d.code, code=pad_code(d.code), name=d.name, kind=d.kind)
                if d.parent is not None:
                    up = divs.get(d.parent)
                    self.b.rel(R.PART_OF, (label, d.code), (_level_label(up.level), up.code))
        self.counties = sorted({t.parent for t in townships if t.parent})

    def _plan(self) -> None:
        spec, rng, vs = self.spec, self.rng, self.villages
        pinned = [i for i, v in enumerate(vs) if v.div.code in spec.pinned]
        free = [i for i, v in enumerate(vs) if v.div.code not in spec.pinned]
        weights = rng.lognormal(0.0, 0.35, len(vs))
        for i in pinned:
            weights[i] *= 3.0
        households = apportion(spec.households, weights, minimum=3)
        for v, h in zip(vs, households, strict=True):
            v.households = int(h)
        pin = np.array([spec.pinned[vs[i].div.code] for i in pinned], dtype=np.int64).reshape(-1, 4)

        def split(total: int, column: int, by: np.ndarray, minimum: Any = 0) -> np.ndarray:
            rest = total - int(pin[:, column].sum())
            out = np.zeros(len(vs), dtype=np.int64)
            out[pinned] = pin[:, column]
            out[free] = apportion(rest, by[free], minimum)
            return out

        hh = households.astype(float)
        grids = split(spec.leaf_grids, 0, hh, minimum=1)
        ft_min = grids[free] if spec.full_time_workers - pin[:, 1].sum() >= grids[free].sum() else 0
        full = split(spec.full_time_workers, 1, grids.astype(float), minimum=ft_min)
        part = split(spec.part_time_workers, 2, hh)
        groups = split(
            spec.grid_groups if spec.grid_groups is not None else spec.leaf_grids,
            3,
            grids.astype(float),
        )
        if (groups > grids).any():
            raise ScenarioError("more grid party groups than grids in a village")
        linking = apportion(
            spec.linking_members, hh, minimum=1 if spec.linking_members >= len(vs) else 0
        )
        for i, v in enumerate(vs):
            v.grids, v.full_time, v.part_time = int(grids[i]), int(full[i]), int(part[i])
            v.groups, v.linking = int(groups[i]), int(linking[i])

    def _grids(self) -> None:
        spec, b = self.spec, self.b
        three = spec.grid_layout == "three_level"
        if three:
            for t in self.townships:
                b.node(L.GRID, id=f"G{t.code}", name=f"{t.name}网格", level=1, division_code=t.code)
                b.rel(R.GRID_IN, (L.GRID, f"G{t.code}"), (L.TOWNSHIP, t.code))
        leaf_level = 3 if three else 2
        self.leaf_village = []
        for vi, v in enumerate(self.villages):
            code, name = v.div.code, v.div.short_name
            if three:
                b.node(L.GRID, id=f"G{code}", name=f"{name}网格", level=2, division_code=code)
                b.rel(R.GRID_IN, (L.GRID, f"G{code}"), (L.VILLAGE, code))
                b.rel(R.SUBGRID_OF, (L.GRID, f"G{code}"), (L.GRID, f"G{v.township.code}"))
            for k in range(v.grids):
                gid = f"G{code}{k + 1:02d}"
                v.leaf_ids.append(gid)
                self.leaf_village.append(vi)
                b.node(
                    L.GRID,
                    id=gid,
                    name=f"{name}第{k + 1}网格",
                    level=leaf_level,
                    division_code=code,
                )
                b.rel(R.GRID_IN, (L.GRID, gid), (L.VILLAGE, code))
                if three:
                    b.rel(R.SUBGRID_OF, (L.GRID, gid), (L.GRID, f"G{code}"))
        self.leaf_ids = [g for v in self.villages for g in v.leaf_ids]
