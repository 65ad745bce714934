"""Stage two: households, the people in them, and their posts on grids."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ...errors import ScenarioError
from ...schema.model import (
    CareTag,
    Employment,
)
from .places import _Places
from .state import _GRID_WORKER, _OCCUPATIONS, _SINCE, _VILLAGE_CADRE, L, R, _Village
from .synth import _date, _date_array, _days, apportion, id_numbers, phones


class _People(_Places):
    def _households_and_people(self) -> None:
        spec, rng = self.spec, self.rng
        n_grids = len(self.leaf_ids)
        # households per leaf grid; a few grids planted overfull
        weights = rng.lognormal(0.0, 0.12, n_grids)
        heavy = rng.choice(n_grids, size=max(1, n_grids // 40), replace=False)
        weights[heavy] *= 2.2
        per_grid = np.zeros(n_grids, dtype=np.int64)
        start = 0
        for v in self.villages:
            per_grid[start : start + v.grids] = apportion(
                v.households, weights[start : start + v.grids], minimum=1
            )
            start += v.grids
        n = int(per_grid.sum())
        if max(v.households for v in self.villages) > 9999:
            raise ScenarioError("more than 9,999 households in one village: ask for fewer")
        grid_of = np.repeat(np.arange(n_grids), per_grid)
        village_of = np.array(self.leaf_village, dtype=np.int64)[grid_of]
        first = np.searchsorted(village_of, np.arange(len(self.villages)))
        seq = np.arange(n) - first[village_of]
        for v, f in zip(self.villages, first, strict=True):
            v.first_household = int(f)
        # planted: households in no grid
        no_grid = rng.choice(n, size=max(1, n // 500), replace=False)
        grid_of[no_grid] = -1
        self.hh_grid, self.hh_village = grid_of, village_of
        vcodes = np.array([v.div.code for v in self.villages])
        hh_ids = pc.binary_join_element_wise(
            pa.scalar("H"),
            pa.array(vcodes[village_of]),
            pc.utf8_lpad(pc.cast(pa.array(seq + 1), pa.string()), 4, "0"),
            "",
        )
        self.hh_ids = hh_ids
        # sizes, adjusted to the published number of people
        sizes = rng.choice(
            np.arange(1, 9), size=n, p=[0.09, 0.17, 0.2, 0.24, 0.16, 0.08, 0.045, 0.015]
        )
        if spec.people is not None:
            diff = spec.people - int(sizes.sum())
            while diff:
                ok = np.flatnonzero(sizes < 9) if diff > 0 else np.flatnonzero(sizes > 1)
                pick = rng.choice(ok, size=min(abs(diff), len(ok)), replace=False)
                sizes[pick] += 1 if diff > 0 else -1
                diff = spec.people - int(sizes.sum())
        self.sizes = sizes
        people = int(sizes.sum())
        person_hh = np.repeat(np.arange(n), sizes)
        offsets = np.concatenate([[0], np.cumsum(sizes)])
        member = np.arange(people) - offsets[:-1][person_hh]
        self.person_hh, self.person_member = person_hh, member
        for vi, v in enumerate(self.villages):
            last = self.villages[vi + 1].first_household if vi + 1 < len(self.villages) else n
            v.first_person = int(offsets[v.first_household])
            v.people = int(offsets[last] - offsets[v.first_household])
        year = self.as_of.year
        head_birth = year - rng.integers(26, 84, n)
        head_male = rng.random(n) < 0.6
        is_head = member == 0
        male = np.where(
            is_head,
            head_male[person_hh],
            np.where(member == 1, ~head_male[person_hh], rng.random(people) < 0.5),
        )
        child = rng.random(people) < 0.65
        hb = head_birth[person_hh]
        birth_year = np.where(
            is_head,
            hb,
            np.where(
                member == 1,
                hb + rng.integers(-4, 5, people),
                np.where(
                    child,
                    np.minimum(hb + rng.integers(20, 36, people), year),
                    np.maximum(hb - rng.integers(20, 31, people), year - 99),
                ),
            ),
        )
        self.birth_year, self.male = birth_year, male
        relation = np.where(
            is_head, "head", np.where(member == 1, "spouse", np.where(child, "child", "parent"))
        )
        relation[(member >= 1) & (sizes[person_hh] == 1)] = "head"
        # names: children and the head share a surname
        hh_surname = self.names.surname(n)
        own = self.names.surname(people)
        surname = np.where((member == 1) | (relation == "parent"), own, hh_surname[person_hh])
        full_name = np.char.add(surname, self.names.given(male))
        self.person_names = full_name
        person_ids = pc.binary_join_element_wise(
            pc.utf8_replace_slice(pc.take(hh_ids, pa.array(person_hh)), 0, 1, "P"),
            pc.cast(pa.array(member + 1), pa.string()),
            "-",
        )
        self.person_ids = person_ids
        birth = pa.array(
            (
                np.array(birth_year - 1970, dtype="datetime64[Y]").astype("datetime64[D]")
                + rng.integers(0, 365, people).astype("timedelta64[D]")
            ),
            pa.date32(),
        )
        county = pa.array(np.array([v.div.code[:6] for v in self.villages]))
        idn = id_numbers(pc.take(county, pa.array(village_of[person_hh])), birth, male, rng)
        adult = (year - birth_year) >= 18
        no_phone = pa.array(~(adult & (rng.random(people) < 0.9)))
        phone = pc.if_else(no_phone, pa.scalar(None, pa.string()), phones(people, rng))
        self.party = np.zeros(people, dtype=bool)
        self.occupation = np.zeros(people, dtype=np.int8)
        self._people_columns = dict(
            id=person_ids,
            name=pa.array(full_name),
            gender=pa.array(np.where(male, "男", "女")),
            birth_year=pa.array(birth_year.astype(np.int64)),
            id_number=idn,
            phone=phone,
            division_code=pa.array(vcodes[village_of[person_hh]]),
        )
        self.b.rel_table(
            R.MEMBER_OF,
            L.PERSON,
            L.HOUSEHOLD,
            dict(
                source=person_ids,
                target=pc.take(hh_ids, pa.array(person_hh)),
                relation=pa.array(relation),
            ),
        )
        # households
        head_age = year - head_birth
        tags = np.stack(
            [
                (sizes == 1) & (head_age >= 65),
                (sizes >= 3) & (rng.random(n) < 0.06),
                rng.random(n) < 0.03,
                rng.random(n) < 0.06,
                rng.random(n) < 0.01,
            ],
            axis=1,
        )
        tag_names = np.array(
            [
                CareTag.ELDERLY_ALONE,
                CareTag.LEFT_BEHIND_CHILDREN,
                CareTag.DISABILITY,
                CareTag.LOW_INCOME,
                CareTag.VETERAN,
            ],
            dtype=object,
        )
        tag_offsets = np.concatenate([[0], np.cumsum(tags.sum(axis=1))]).astype(np.int32)
        tag_values = pa.array(np.tile(tag_names, n)[tags.ravel()].astype(str), pa.string())
        prefix = np.array([f"{v.township.name}{v.div.short_name}" for v in self.villages])
        group_no = (seq // 60 + 1).astype(str)
        address = np.char.add(
            np.char.add(np.char.add(prefix[village_of], group_no), "组"),
            np.char.add((seq % 60 + 1).astype(str), "号"),
        )
        self.b.node_table(
            L.HOUSEHOLD,
            dict(
                id=hh_ids,
                address=pa.array(address),
                size=pa.array(sizes.astype(np.int64)),
                tags=pa.ListArray.from_arrays(pa.array(tag_offsets), tag_values),
                division_code=pa.array(vcodes[village_of]),
            ),
        )
        self.b.rel_table(
            R.LOCATED_IN,
            L.HOUSEHOLD,
            L.VILLAGE,
            dict(source=hh_ids, target=pa.array(vcodes[village_of])),
        )
        # grid membership, with a little history: 1% moved grid within the village last year
        in_grid = np.flatnonzero(grid_of >= 0)
        leaf = np.array(self.leaf_ids)
        moved = in_grid[rng.random(len(in_grid)) < 0.01]
        moved_on = self.today - rng.integers(30, 330, len(moved))
        start_days = np.full(len(in_grid), _days(_SINCE))
        pos = np.searchsorted(in_grid, moved)
        start_days[pos] = moved_on
        self.b.rel_table(
            R.IN_GRID,
            L.HOUSEHOLD,
            L.GRID,
            dict(
                source=pc.take(hh_ids, pa.array(in_grid)),
                target=pa.array(leaf[grid_of[in_grid]]),
                valid_from=_date_array(start_days),
            ),
        )
        village_grid_range = {
            vi: (int(np.searchsorted(self.leaf_village, vi)), v.grids)
            for vi, v in enumerate(self.villages)
        }
        old_grid = []
        for h in moved:
            lo, k = village_grid_range[int(village_of[h])]
            old_grid.append(leaf[lo + (grid_of[h] - lo + 1) % k] if k > 1 else leaf[grid_of[h]])
        self.b.rel_table(
            R.IN_GRID,
            L.HOUSEHOLD,
            L.GRID,
            dict(
                source=pc.take(hh_ids, pa.array(moved, type=pa.int64())),
                target=pa.array(old_grid, pa.string()),
                valid_from=_date_array(np.full(len(moved), _days(_SINCE))),
                valid_to=_date_array(moved_on - 1),
            ),
        )
        self.manifest.households = n

    def _person(self, i: int) -> str:
        return str(self.person_ids[i].as_py())

    def _staff(self, prefix: str, code: str, i: int, occupation: str, party: bool = True) -> str:
        male = bool(self.rng.random() < 0.65)
        pid = f"{prefix}{code}{i:03d}"
        birth_year = self.as_of.year - int(self.rng.integers(26, 58))
        birth = pa.array([date(birth_year, 1, 1) + timedelta(days=int(self.rng.integers(0, 365)))])
        self.b.node(
            L.PERSON,
            id=pid,
            name=self.names.one(male),
            gender="男" if male else "女",
            birth_year=birth_year,
            id_number=id_numbers(pa.array([code[:6]]), birth, np.array([male]), self.rng)[
                0
            ].as_py(),
            phone=phones(1, self.rng)[0].as_py(),
            party_member=party,
            occupation=occupation,
            division_code=code,
        )
        return pid

    def _roles(self) -> None:
        spec, rng, b = self.spec, self.rng, self.b
        year = self.as_of.year
        age = year - self.birth_year
        self.workers = defaultdict(list)  # grid -> (person, kind)
        self.village_head = {}
        self.linking_people = {}
        end_grids: set[str] = set()
        leaf_total = len(self.leaf_ids)
        no_worker = set(
            rng.choice(leaf_total, size=max(1, leaf_total // 100), replace=False).tolist()
        )
        three = spec.grid_layout == "three_level"
        cadres_needed = 0
        grid_index = 0
        for vi, v in enumerate(self.villages):
            lo, hi = v.first_person, v.first_person + v.people
            pool = lo + np.flatnonzero((age[lo:hi] >= 22) & (age[lo:hi] <= 62))
            pool = rng.permutation(pool)
            need = 1 + v.full_time + v.part_time + v.grids + v.linking
            if len(pool) < need:
                raise ScenarioError(f"village {v.div.code} has {len(pool)} adults for {need} roles")
            head, rest = int(pool[0]), pool[1:]
            ft, rest = rest[: v.full_time], rest[v.full_time :]
            pt, rest = rest[: v.part_time], rest[v.part_time :]
            vol, rest = rest[: v.grids], rest[v.grids :]
            link, rest = rest[: v.linking], rest[v.linking :]
            self.village_head[vi] = head
            self.linking_people[vi] = link
            self.occupation[head] = _VILLAGE_CADRE
            self.party[head] = True
            self.party[link] = True
            self.occupation[ft] = _GRID_WORKER
            self.occupation[pt] = _GRID_WORKER
            head_grids = [f"G{v.div.code}"] if three else v.leaf_ids
            since = _date(self.today - int(rng.integers(400, 2000)))
            for g in head_grids:
                b.rel(R.GRID_HEAD_OF, (L.PERSON, self._person(head)), (L.GRID, g), valid_from=since)
            for k, g in enumerate(v.leaf_ids):
                b.rel(
                    R.VOLUNTEER_OF,
                    (L.PERSON, self._person(int(vol[k]))),
                    (L.GRID, g),
                    valid_from=_date(self.today - int(rng.integers(30, 900))),
                )
            for kind, people in ((Employment.FULL_TIME, ft), (Employment.PART_TIME, pt)):
                offset = 0 if kind == Employment.FULL_TIME else int(rng.integers(0, v.grids))
                for j, p in enumerate(people):
                    g = v.leaf_ids[(j + offset) % v.grids]
                    self._serve(int(p), g, kind)
                    if kind == Employment.PART_TIME and v.grids > 1 and rng.random() < 0.02:
                        self._serve(int(p), v.leaf_ids[(j + offset + 1) % v.grids], kind)
            for k, g in enumerate(v.leaf_ids):
                if grid_index + k in no_worker:
                    end_grids.add(g)
            grid_index += v.grids
        # planted: grids whose every worker's term has ended, and grids where all but
        # one worker have left and nobody replaced them
        crowded = [g for g in self.leaf_ids if len(self.workers[g]) > 1 and g not in end_grids]
        thinned = (
            set(rng.permutation(crowded)[: max(1, len(crowded) // 50)].tolist())
            if crowded
            else set()
        )
        self.grid_active_workers = {}
        for g in self.leaf_ids:
            active = []
            for j, (pid, employment) in enumerate(self.workers[g]):
                left = g in end_grids or (g in thinned and j > 0)
                end = _date(self.today - int(rng.integers(20, 200))) if left else None
                if not left:
                    active.append(pid)
                b.rel(
                    R.GRID_WORKER_OF,
                    (L.PERSON, pid),
                    (L.GRID, g),
                    employment=employment,
                    valid_from=self._worker_since[pid],
                    valid_to=end,
                )
            self.grid_active_workers[g] = active
        # township cadres, sunk into grids; county and township leaders
        self.cadres = {}
        grids_of_township: dict[str, list[str]] = defaultdict(list)
        villages_of_township: dict[str, list[_Village]] = defaultdict(list)
        for v in self.villages:
            grids_of_township[v.township.code] += v.leaf_ids
            villages_of_township[v.township.code].append(v)
        per_t = apportion(
            spec.township_cadres,
            [len(grids_of_township[t.code]) for t in self.townships],
            minimum=1 if spec.township_cadres >= len(self.townships) else 0,
        )
        self.grid_cadres = defaultdict(list)
        for t, k in zip(self.townships, per_t, strict=True):
            grids = list(rng.permutation(grids_of_township[t.code]))
            cadres = [self._staff("C", t.code, i + 1, "township_cadre") for i in range(int(k))]
            cadres_needed += len(cadres)
            self.cadres[t.code] = cadres
            for i, c in enumerate(cadres):
                mine = [grids[i % len(grids)]]
                if rng.random() < 0.1 and len(grids) > 1:
                    mine.append(grids[(i + len(cadres)) % len(grids)])
                for g in dict.fromkeys(mine):
                    self.grid_cadres[str(g)].append(c)
                    b.rel(
                        R.SUNK_CADRE_OF,
                        (L.PERSON, c),
                        (L.GRID, str(g)),
                        valid_from=_date(self.today - int(rng.integers(60, 900))),
                    )
            for j, v in enumerate(villages_of_township[t.code]):
                if cadres:
                    b.rel(
                        R.LEADER_OF,
                        (L.PERSON, cadres[j % len(cadres)]),
                        (L.VILLAGE, v.div.code),
                        valid_from=_date(self.today - int(rng.integers(60, 900))),
                    )
        self.county_leaders = {}
        leaders_per_county = apportion(
            spec.county_leaders,
            [sum(1 for t in self.townships if t.parent == c) for c in self.counties],
        )
        for c, k in zip(self.counties, leaders_per_county, strict=True):
            towns = [t for t in self.townships if t.parent == c]
            leaders = [self._staff("L", c, i + 1, "county_leader") for i in range(int(k))]
            self.county_leaders[c] = leaders
            for i, leader in enumerate(leaders):
                b.rel(
                    R.LEADER_OF,
                    (L.PERSON, leader),
                    (L.TOWNSHIP, towns[i % len(towns)].code),
                    valid_from=_date(self.today - int(rng.integers(60, 900))),
                )
        # party members among residents: exactly the published total where there is one
        if spec.party_members is not None:
            extra = spec.party_members - cadres_needed - int(self.party.sum())
            if extra < 0:
                raise ScenarioError(
                    f"{spec.name}: {spec.party_members} party members cannot "
                    f"cover {cadres_needed} cadres and the required roles"
                )
        else:
            extra = int(0.04 * len(self.party))
        candidates = np.flatnonzero(~self.party & (age >= 18))
        chosen = rng.choice(candidates, size=extra, replace=False)
        self.party[chosen] = True
        cols = self._people_columns
        cols["party_member"] = pa.array(self.party)
        cols["occupation"] = pc.take(pa.array(_OCCUPATIONS), pa.array(self.occupation))
        b.node_table(L.PERSON, cols)

    def _serve(self, person: int, grid: str, kind: str) -> None:
        pid = self._person(person)
        if pid not in self._worker_since:
            self._worker_since[pid] = _date(self.today - int(self.rng.integers(400, 2500)))
        self.workers[grid].append((pid, kind))
