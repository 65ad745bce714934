"""Stage four: governance centers, departments, cases and visits."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ...errors import ScenarioError
from ...schema.model import (
    DEFAULT_WINDOW_DAYS,
    TIER_DEADLINE_DAYS,
    CaseOutcome,
    CaseStatus,
    CaseType,
    CenterTier,
    DepartmentKind,
    StationMode,
)
from .party import _Party
from .state import L, R
from .synth import _date, _date_array, _days, apportion


class _Cases(_Party):
    def _centers(self) -> None:
        spec, b = self.spec, self.b
        modes = [StationMode.RESIDENT, StationMode.ROTATING, StationMode.ON_CALL]
        self.center_of_county = {}
        self.center_of_township = {}
        self.center_of_village = {}
        self.departments = defaultdict(list)
        for c in self.counties:
            div = self.divs.get(c)
            cid = f"GC{c}"
            self.center_of_county[c] = cid
            b.node(
                L.GOVERNANCE_CENTER,
                id=cid,
                name=f"{div.name}社会治理综合服务中心",
                tier=CenterTier.COUNTY,
                division_code=c,
            )
            b.rel(R.CENTER_SERVES, (L.GOVERNANCE_CENTER, cid), (L.COUNTY, c))
            for i, kind in enumerate(spec.county_departments):
                did = f"D{c}{i + 1:02d}"
                label = kind.zh_county if kind != DepartmentKind.OTHER else f"县直单位{i + 1}"
                b.node(L.DEPARTMENT, id=did, name=f"{div.name}{label}", kind=kind, division_code=c)
                mode = modes[0] if i < 3 else modes[1 + i % 2]
                b.rel(R.STATIONED_AT, (L.DEPARTMENT, did), (L.GOVERNANCE_CENTER, cid), mode=mode,
                      valid_from=self._since(300, 2500))  # fmt: skip
                self.departments[cid].append((did, kind))
        for t in self.townships:
            cid = f"GC{t.code}"
            self.center_of_township[t.code] = cid
            b.node(
                L.GOVERNANCE_CENTER,
                id=cid,
                name=f"{t.name}综治中心",
                tier=CenterTier.TOWNSHIP,
                division_code=t.code,
            )
            b.rel(R.CENTER_SERVES, (L.GOVERNANCE_CENTER, cid), (L.TOWNSHIP, t.code))
            b.rel(
                R.REPORTS_TO,
                (L.GOVERNANCE_CENTER, cid),
                (L.GOVERNANCE_CENTER, self.center_of_county[str(t.parent)]),
            )
            for i, kind in enumerate(spec.township_departments):
                did = f"D{t.code}{i + 1:02d}"
                b.node(
                    L.DEPARTMENT, id=did, name=f"{t.name}{kind.zh}", kind=kind, division_code=t.code
                )
                mode = StationMode.RESIDENT if i < 2 else StationMode.ROTATING
                b.rel(R.STATIONED_AT, (L.DEPARTMENT, did), (L.GOVERNANCE_CENTER, cid), mode=mode,
                      valid_from=self._since(300, 2500))  # fmt: skip
                self.departments[cid].append((did, kind))
            # the county court comes to township centers when called (镇原 "1+3+7")
            for did, kind in self.departments[f"GC{t.parent}"]:
                if kind == DepartmentKind.COURT:
                    b.rel(
                        R.STATIONED_AT,
                        (L.DEPARTMENT, did),
                        (L.GOVERNANCE_CENTER, cid),
                        mode=StationMode.ON_CALL,
                        valid_from=self._since(300, 2500),
                    )
                    self.departments[cid].append((did, kind))
        without = set(spec.villages_without_center)
        for v in self.villages:
            if v.div.code in without:
                continue
            cid = f"GC{v.div.code}"
            self.center_of_village[v.div.code] = cid
            b.node(
                L.GOVERNANCE_CENTER,
                id=cid,
                name=f"{v.div.short_name}综治中心",
                tier=CenterTier.VILLAGE,
                division_code=v.div.code,
            )
            b.rel(R.CENTER_SERVES, (L.GOVERNANCE_CENTER, cid), (L.VILLAGE, v.div.code))
            b.rel(
                R.REPORTS_TO,
                (L.GOVERNANCE_CENTER, cid),
                (L.GOVERNANCE_CENTER, self.center_of_township[v.township.code]),
            )
        for v in self.villages:
            if v.div.code not in without:
                continue
            host = next(
                o
                for o in self.villages
                if o.township.code == v.township.code
                and o.div.code not in without
                and o.div.kind == v.div.kind
            )
            cid = self.center_of_village[host.div.code]
            self.center_of_village[v.div.code] = cid
            b.rel(R.CENTER_SERVES, (L.GOVERNANCE_CENTER, cid), (L.VILLAGE, v.div.code))

    def _reporter(self, household: int, vi: int) -> str:
        g = int(self.hh_grid[household])
        if g >= 0:
            grid = self.leaf_ids[g]
            if self.grid_active_workers.get(grid):
                return self.grid_active_workers[grid][0]
            if self.grid_cadres.get(grid):
                return self.grid_cadres[grid][0]
        return self._person(self.village_head[vi])

    def _cases(self) -> None:
        spec, rng, _b = self.spec, self.rng, self.b
        total = spec.cases
        if total == 0:
            return
        if spec.case_types:
            types = [t for t, k in spec.case_types.items() for _ in range(k)]
            if len(types) != total:
                raise ScenarioError(f"{spec.name}: case types add up to {len(types)}, not {total}")
        else:
            mix = {
                CaseType.NEIGHBOUR: 40,
                CaseType.MARRIAGE_FAMILY: 18,
                CaseType.LAND: 15,
                CaseType.DEBT: 10,
                CaseType.LABOUR: 7,
                CaseType.PROPERTY: 4,
                CaseType.OTHER: 6,
            }
            counts = apportion(total, list(mix.values()))
            types = [t for t, k in zip(mix, counts, strict=True) for _ in range(int(k))]
        types = [types[i] for i in rng.permutation(total)]
        outcomes = [True] * spec.cases_resolved + [False] * (total - spec.cases_resolved)
        supervised = set(rng.choice(total, size=spec.cases_supervised, replace=False).tolist())
        hh_weights = np.array([v.households for v in self.villages], dtype=float)
        villages = rng.choice(
            len(self.villages),
            size=total + spec.carried_over_cases,
            p=hh_weights / hh_weights.sum(),
        )
        year_start = _days(spec.year_start)
        for i in range(total + spec.carried_over_cases):
            carried = i >= total
            resolved = (not carried) and outcomes[i]
            ctype = types[i] if not carried else CaseType.LAND
            if carried:
                opened = year_start - int(rng.integers(10, 90))
                final = 0 if i % 2 == 0 else 1
            elif resolved:
                opened = int(rng.integers(year_start, self.today - 30))
                r = rng.random()
                final = 0 if r < 0.7 else (1 if r < 0.92 else 2)
            else:
                opened = self.today - int(rng.integers(1, 25))
                final = int(rng.choice(3, p=[0.5, 0.35, 0.15]))
            self._case(
                i, int(villages[i]), ctype, opened, final, resolved, carried, i in supervised
            )

    def _case(
        self,
        i: int,
        vi: int,
        ctype: CaseType,
        opened: int,
        final: int,
        resolved: bool,
        carried: bool,
        supervised: bool,
    ) -> None:
        rng, b = self.rng, self.b
        v = self.villages[vi]
        household = v.first_household + int(rng.integers(0, v.households))
        hh_id = str(self.hh_ids[household].as_py())
        cid = f"K{v.div.code}{i + 1:05d}"
        tiers = [CenterTier.VILLAGE, CenterTier.TOWNSHIP, CenterTier.COUNTY]
        centers = [
            self.center_of_village[v.div.code],
            self.center_of_township[v.township.code],
            self.center_of_county[str(v.township.parent)],
        ]
        arrivals = [opened]
        for step in range(final):
            gap = int(rng.integers(1, TIER_DEADLINE_DAYS[tiers[step]] + 1))
            if not resolved and not carried:
                gap = min(gap, max(0, self.today - arrivals[-1] - 1))
            arrivals.append(arrivals[-1] + gap)
        tier = tiers[final]
        due = arrivals[-1] + TIER_DEADLINE_DAYS[tier]
        closed = None
        if resolved:
            closed = min(
                arrivals[-1] + int(rng.integers(0, TIER_DEADLINE_DAYS[tier] + 1)), self.today - 1
            )
            status = CaseStatus.RETURN_VISIT if rng.random() < 0.5 else CaseStatus.CLOSED
        else:
            status = (
                [CaseStatus.TRIAGE, CaseStatus.JOINT_HANDLING, CaseStatus.SUPERVISION][final]
                if not carried
                else CaseStatus.JOINT_HANDLING
            )
        b.node(
            L.CASE,
            id=cid,
            type=ctype,
            opened=_date(opened),
            tier=tier,
            due=_date(due),
            status=status,
            closed=_date(closed) if closed is not None else None,
            outcome=CaseOutcome.RESOLVED if resolved else None,
            satisfaction=int(rng.integers(3, 6)) if resolved and rng.random() < 0.8 else None,
            supervised=supervised,
            summary=f"{v.div.short_name}{ctype.zh}",
            division_code=v.div.code,
        )
        b.rel(R.CONCERNS, (L.CASE, cid), (L.HOUSEHOLD, hh_id))
        head = int(np.searchsorted(self.person_hh, household))
        b.rel(R.CONCERNS, (L.CASE, cid), (L.PERSON, self._person(head)))
        b.rel(
            R.REPORTED_BY,
            (L.CASE, cid),
            (L.PERSON, self._reporter(household, vi)),
            date=_date(opened),
        )
        for step, day in enumerate(arrivals):
            b.rel(
                R.ESCALATED_TO,
                (L.CASE, cid),
                (L.GOVERNANCE_CENTER, centers[step]),
                date=_date(day),
                tier=tiers[step],
            )
        if final >= 1:
            stationed = self.departments[centers[final]]
            if stationed:
                k = int(rng.integers(1, min(3, len(stationed)) + 1))
                picks = rng.choice(len(stationed), size=k, replace=False)
                for j, p in enumerate(picks):
                    did, _ = stationed[int(p)]
                    assigned = arrivals[-1]
                    reported = assigned + int(rng.integers(0, 3))
                    if (not resolved and rng.random() < 0.4) or reported >= self.today:
                        reported_day = None
                    else:
                        reported_day = _date(reported)
                    b.rel(
                        R.ASSIGNED_TO,
                        (L.CASE, cid),
                        (L.DEPARTMENT, did),
                        role="lead" if j == 0 else "assist",
                        assigned=_date(assigned),
                        reported=reported_day,
                    )
        if closed is None and due < self.today:
            self.manifest.overdue_cases[cid] = self.today - due

    def _visits(self) -> None:
        rng = self.rng
        n = len(self.hh_grid)
        visitor_of_grid = [self._reporter_for_grid(g) for g in range(len(self.leaf_ids))]
        heads = np.array(
            [self._person(self.village_head[vi]) for vi in range(len(self.villages))], dtype=object
        )
        grid_visitor = np.array([*visitor_of_grid, ""], dtype=object)
        visitor = grid_visitor[self.hh_grid]
        visitor = np.where(visitor == "", heads[self.hh_village], visitor).astype(str)
        neglected = rng.random(n) < 0.06
        counts = np.where(neglected, rng.integers(0, 3, n), rng.integers(1, 4, n))
        hh = np.repeat(np.arange(n), counts)
        k = np.arange(len(hh)) - np.repeat(np.concatenate([[0], np.cumsum(counts)[:-1]]), counts)
        recent = self.today - rng.integers(0, DEFAULT_WINDOW_DAYS, len(hh))
        older = self.today - rng.integers(DEFAULT_WINDOW_DAYS + 30, 365, len(hh))
        day = np.where(neglected[hh] | (k > 0), older, recent)
        # one visit a day per household (each has one visitor): drop same-day repeats
        order = np.lexsort((day, hh))
        repeat = np.zeros(len(hh), dtype=bool)
        repeat[order[1:]] = (hh[order[1:]] == hh[order[:-1]]) & (day[order[1:]] == day[order[:-1]])
        hh, day = hh[~repeat], day[~repeat]
        purposes = np.array(["日常走访", "政策宣传", "关爱帮扶", "矛盾排查", "安全检查"])
        self.b.rel_table(
            R.VISITED,
            L.PERSON,
            L.HOUSEHOLD,
            dict(
                source=pa.array(visitor[hh]),
                target=pc.take(self.hh_ids, pa.array(hh)),
                date=_date_array(day),
                purpose=pa.array(purposes[rng.integers(0, 5, len(hh))]),
            ),
        )
        last = np.full(n, -1, dtype=np.int64)
        np.maximum.at(last, hh, day)
        self.last_visit = last

    def _reporter_for_grid(self, g: int) -> str:
        grid = self.leaf_ids[g]
        if self.grid_active_workers.get(grid):
            return self.grid_active_workers[grid][0]
        if self.grid_cadres.get(grid):
            return self.grid_cadres[grid][0]
        return ""
