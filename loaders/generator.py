"""Seeded scenario generator: a governance network on real divisions.

:func:`generate` turns a :class:`~govgraph.loaders.scenarios.ScenarioSpec` into
Arrow tables (:class:`~govgraph.loaders.graph.GraphTables`) and a ground-truth
:class:`Manifest` of every imperfection it planted. The same spec and seed
always give the same graph. Bulk columns (households, people, visits, links)
are built with NumPy and Arrow so that a million households take seconds.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import ScenarioError
from ..schema.model import (
    DEFAULT_MAX_HOUSEHOLDS,
    DEFAULT_WINDOW_DAYS,
    TIER_DEADLINE_DAYS,
    CareTag,
    CaseOutcome,
    CaseStatus,
    CaseType,
    CenterTier,
    DepartmentKind,
    Employment,
    Label,
    PartyOrgKind,
    Rel,
    StationMode,
)
from .divisions import Division, load_divisions, pad_code
from .graph import GraphBuilder, GraphTables
from .scenarios import ScenarioSpec

__all__ = [
    "Manifest",
    "Scenario",
    "apportion",
    "generate",
]

_EPOCH = date(1970, 1, 1)
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


def apportion(total: int, weights: Any, minimum: Any = 0) -> np.ndarray:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder),
    each at least ``minimum``.

    >>> apportion(10, [1, 1, 2]).tolist()
    [3, 2, 5]
    >>> apportion(5, [0, 1], minimum=[1, 0]).tolist()
    [1, 4]
    """
    w = np.asarray(weights, dtype=float)
    base = np.broadcast_to(np.asarray(minimum, dtype=np.int64), w.shape).copy()
    rest = total - int(base.sum())
    if rest < 0:
        raise ScenarioError(
            f"cannot split {total} into {len(w)} parts with minimums adding up to {int(base.sum())}"
        )
    if rest == 0 or len(w) == 0:
        return base
    if w.sum() <= 0:
        w = np.ones_like(w)
    share = w / w.sum() * rest
    floor = np.floor(share).astype(np.int64)
    left = rest - int(floor.sum())
    order = np.argsort(-(share - floor), kind="stable")
    floor[order[:left]] += 1
    return base + floor


def _days(d: date) -> int:
    return (d - _EPOCH).days


def _date_array(days: np.ndarray) -> pa.Array:
    return pa.array(days.astype(np.int32), pa.date32())


class _Names:
    def __init__(self, rng: np.random.Generator) -> None:
        from faker.providers.person.zh_CN import Provider

        self.rng = rng
        surnames = list(Provider.last_names.items())
        self.surnames = np.array([s for s, _ in surnames])
        w = np.array([float(x) for _, x in surnames])
        self.surname_p = w / w.sum()
        self.male = np.array(Provider.first_names_male)
        self.female = np.array(Provider.first_names_female)
        self.male_single = np.array([n for n in Provider.first_names_male if len(n) == 1])
        self.female_single = np.array([n for n in Provider.first_names_female if len(n) == 1])

    def surname(self, n: int) -> np.ndarray:
        return self.rng.choice(self.surnames, size=n, p=self.surname_p)

    def given(self, male: np.ndarray) -> np.ndarray:
        """Given names of one or two characters, from Faker's zh_CN lists."""
        n = len(male)
        first = np.where(
            male,
            self.male[self.rng.integers(0, len(self.male), n)],
            self.female[self.rng.integers(0, len(self.female), n)],
        )
        second = np.where(
            male,
            self.male_single[self.rng.integers(0, len(self.male_single), n)],
            self.female_single[self.rng.integers(0, len(self.female_single), n)],
        )
        two = (np.char.str_len(first) == 1) & (self.rng.random(n) < 0.7)
        return np.where(two, np.char.add(first, second), first)

    def one(self, male: bool = True) -> str:
        return str(self.surname(1)[0]) + str(self.given(np.array([male]))[0])


_ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int32)
_ID_CHECK = np.frombuffer(b"10X98765432", dtype=np.uint8)


def _fixed_width_bytes(strings: pa.Array, width: int) -> np.ndarray:
    """The characters of equal-width ASCII strings as an (n, width) uint8 view."""
    strings = (
        pc.cast(strings, pa.string()).combine_chunks()
        if isinstance(strings, pa.ChunkedArray)
        else pc.cast(strings, pa.string())
    )
    data = np.frombuffer(strings.buffers()[2], dtype=np.uint8)
    start = strings.offset * width
    return data[start : start + len(strings) * width].reshape(len(strings), width)


def id_numbers(
    county: pa.Array, birth: pa.Array, male: np.ndarray, rng: np.random.Generator
) -> pa.Array:
    """GB 11643 resident ID numbers (with valid check digits), vectorized.

    ``county``: 6-digit codes; ``birth``: date32 birthdays; ``male``: bool
    (the sequence digit is odd for men).
    """
    n = len(male)
    sequence = pc.utf8_lpad(
        pc.cast(pa.array(rng.integers(0, 500, n) * 2 + male), pa.string()), 3, "0"
    )
    body = pc.binary_join_element_wise(
        pa.array(county, pa.string()), pc.strftime(birth, format="%Y%m%d"), sequence, ""
    )
    digits = _fixed_width_bytes(body, 17)
    total = np.zeros(n, dtype=np.int32)
    for i, weight in enumerate(_ID_WEIGHTS):
        total += (digits[:, i].astype(np.int32) - ord("0")) * weight
    check = pa.array(_ID_CHECK[total % 11].view("S1"), pa.binary()).cast(pa.string())
    return pc.binary_join_element_wise(body, check, "")


def phones(n: int, rng: np.random.Generator) -> pa.Array:
    """Well-formed mainland mobile numbers: 1, then 3–9, then nine digits."""
    head = pa.array(np.array(list("3456789"))[rng.integers(0, 7, n)])
    rest = pc.utf8_lpad(pc.cast(pa.array(rng.integers(0, 10**9, n)), pa.string()), 9, "0")
    return pc.binary_join_element_wise(pa.scalar("1"), head, rest, "")


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


def generate(spec: ScenarioSpec) -> Scenario:
    """Build the scenario ``spec`` (deterministic for its seed)."""
    return _Generator(spec).run()


class _Generator:
    def __init__(self, spec: ScenarioSpec) -> None:
        self.spec = spec
        self.rng = np.random.default_rng(spec.seed)
        self.names = _Names(self.rng)
        self.divs = load_divisions()
        self.b = GraphBuilder()
        self.as_of = spec.as_of
        self.today = _days(spec.as_of)
        self.manifest = Manifest(spec.name, spec.seed, spec.as_of.isoformat(), spec.area)
        self._worker_since: dict[str, date | None] = {}

    # .. structure ..................................................................
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

    def _admin(self) -> None:
        spec, divs = self.spec, self.divs
        if spec.townships:
            townships = [divs.get(t) for t in spec.townships]
        else:
            townships = divs.descendants(spec.county, "township")
        if not townships:
            raise ScenarioError(f"no townships under {spec.county}")
        self.townships = townships
        self.villages: list[_Village] = []
        seen: set[str] = set()
        for t in townships:
            kids = divs.children(t.code)
            if not kids:
                raise ScenarioError(f"township {t.code} {t.name} has no villages in the extract")
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
        self.leaf_village: list[int] = []
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
        self.workers: dict[str, list[tuple[str, str]]] = defaultdict(list)  # grid -> (person, kind)
        self.village_head: dict[int, int] = {}
        self.linking_people: dict[int, np.ndarray] = {}
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
        self.grid_active_workers: dict[str, list[str]] = {}
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
        self.cadres: dict[str, list[str]] = {}
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
        self.grid_cadres: dict[str, list[str]] = defaultdict(list)
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
        self.county_leaders: dict[str, list[str]] = {}
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

    def _party(self) -> None:
        spec, b, rng = self.spec, self.b, self.rng
        self.group_of_grid: dict[str, str] = {}
        self.group_of_linker: dict[int, str] = {}
        for c in self.counties:
            name = self.divs.get(c).name
            b.node(
                L.PARTY_ORGANIZATION,
                id=f"PC{c}",
                name=f"中共{name}委员会",
                kind=PartyOrgKind.COMMITTEE,
                division_code=c,
            )
            for leader in self.county_leaders.get(c, []):
                b.rel(
                    R.PARTY_MEMBER_OF, (L.PERSON, leader), (L.PARTY_ORGANIZATION, f"PC{c}"), flow=""
                )
            if self.county_leaders.get(c):
                b.rel(
                    R.SECRETARY_OF,
                    (L.PERSON, self.county_leaders[c][0]),
                    (L.PARTY_ORGANIZATION, f"PC{c}"),
                )
        for t in self.townships:
            tid = f"PC{t.code}"
            self._org(tid, f"中共{t.name}委员会", PartyOrgKind.COMMITTEE, t.code, f"PC{t.parent}")
            b.rel(R.PARTY_COVERS, (L.PARTY_ORGANIZATION, tid), (L.TOWNSHIP, t.code))
            cadres = self.cadres.get(t.code, [])
            organ = []
            for i in range(spec.extra_branches):
                oid = f"PB{t.code}{i + 1:02d}"
                organ.append(oid)
                self._org(oid, f"{t.name}机关第{i + 1}党支部", PartyOrgKind.BRANCH, t.code, tid)
            if cadres:
                b.rel(R.SECRETARY_OF, (L.PERSON, cadres[0]), (L.PARTY_ORGANIZATION, tid))
            for i, c in enumerate(cadres):
                home = organ[i % len(organ)] if organ else tid
                b.rel(R.PARTY_MEMBER_OF, (L.PERSON, c), (L.PARTY_ORGANIZATION, home), flow="")
                if organ and i < len(organ):
                    b.rel(R.SECRETARY_OF, (L.PERSON, c), (L.PARTY_ORGANIZATION, organ[i]))
        for vi, v in enumerate(self.villages):
            code = v.div.code
            bid = f"PB{code}"
            self._org(
                bid,
                f"中共{v.div.short_name}支部委员会",
                PartyOrgKind.BRANCH,
                code,
                f"PC{v.township.code}",
            )
            b.rel(R.PARTY_COVERS, (L.PARTY_ORGANIZATION, bid), (L.VILLAGE, code))
            b.rel(
                R.SECRETARY_OF,
                (L.PERSON, self._person(self.village_head[vi])),
                (L.PARTY_ORGANIZATION, bid),
            )
            links = self.linking_people[vi]
            for j in range(v.groups):
                gid = f"PG{code}{j + 1:02d}"
                self._org(
                    gid,
                    f"{v.div.short_name}第{j + 1}网格党小组",
                    PartyOrgKind.GRID_GROUP,
                    code,
                    bid,
                )
                for k in range(j, v.grids, v.groups):
                    self.group_of_grid[v.leaf_ids[k]] = gid
                    b.rel(R.PARTY_COVERS, (L.PARTY_ORGANIZATION, gid), (L.GRID, v.leaf_ids[k]))
                mine = links[j :: v.groups]
                secretary = int(mine[0]) if len(mine) else self.village_head[vi]
                b.rel(
                    R.SECRETARY_OF, (L.PERSON, self._person(secretary)), (L.PARTY_ORGANIZATION, gid)
                )
            for j, p in enumerate(links):
                home = f"PG{code}{j % v.groups + 1:02d}" if v.groups else bid
                self.group_of_linker[int(p)] = home
        # every resident party member joins a branch or grid group; a few have flowed out
        members = np.flatnonzero(self.party)
        vcodes = np.array([v.div.code for v in self.villages])
        group = np.array([self.group_of_linker.get(int(p), "") for p in members], dtype=object)
        village_of = self.hh_village[self.person_hh[members]]
        fallback = np.char.add("PB", vcodes[village_of]).astype(object)
        homes = np.where(group == "", fallback, group)
        flow = np.where(rng.random(len(members)) < 0.03, "out", "")
        flow[np.isin(members, list(self.group_of_linker))] = ""
        b.rel_table(
            R.PARTY_MEMBER_OF,
            L.PERSON,
            L.PARTY_ORGANIZATION,
            dict(
                source=pc.take(self.person_ids, pa.array(members)),
                target=pa.array(homes.astype(str)),
                flow=pa.array(flow),
            ),
        )

    def _org(self, oid: str, name: str, kind: PartyOrgKind, code: str, parent: str) -> None:
        """A party organization under ``parent``."""
        self.b.node(L.PARTY_ORGANIZATION, id=oid, name=name, kind=kind, division_code=code)
        self.b.rel(R.SUBORDINATE_TO, (L.PARTY_ORGANIZATION, oid), (L.PARTY_ORGANIZATION, parent))

    def _links(self) -> None:
        spec, rng = self.spec, self.rng
        n = len(self.hh_grid)
        if spec.linked_households is not None:
            unlinked_n = n - spec.linked_households - int(rng.integers(100, 500))
            unlinked_n = max(1, unlinked_n)
        else:
            unlinked_n = max(1, n // 33)
        linked = np.ones(n, dtype=bool)
        linked[rng.choice(n, size=unlinked_n, replace=False)] = False
        src: list[np.ndarray] = []
        dst: list[np.ndarray] = []
        for vi, v in enumerate(self.villages):
            lo, hi = v.first_household, v.first_household + v.households
            hh = lo + np.flatnonzero(linked[lo:hi])
            links = self.linking_people[vi]
            if len(links) == 0:
                linked[lo:hi] = False
                continue
            owner = (np.arange(len(hh)) * len(links)) // max(1, len(hh))
            src.append(links[owner])
            dst.append(hh)
        self.linked = linked
        s = np.concatenate(src) if src else np.zeros(0, np.int64)
        d = np.concatenate(dst) if dst else np.zeros(0, np.int64)
        start = self.today - rng.integers(60, 1500, len(s))
        self.b.rel_table(
            R.LINKS_HOUSEHOLD,
            L.PERSON,
            L.HOUSEHOLD,
            dict(
                source=pc.take(self.person_ids, pa.array(s)),
                target=pc.take(self.hh_ids, pa.array(d)),
                valid_from=_date_array(start),
            ),
        )
        # history: 2% of links took over from a member who stepped down
        if len(s):
            changed = np.flatnonzero(rng.random(len(s)) < 0.02)
            prev = s[(changed + 1) % len(s)]
            home = self.hh_village[self.person_hh]
            keep = (prev != s[changed]) & (home[prev] == home[s[changed]])
            changed, prev = changed[keep], prev[keep]
            self.b.rel_table(
                R.LINKS_HOUSEHOLD,
                L.PERSON,
                L.HOUSEHOLD,
                dict(
                    source=pc.take(self.person_ids, pa.array(prev)),
                    target=pc.take(self.hh_ids, pa.array(d[changed])),
                    valid_from=_date_array(start[changed] - 700),
                    valid_to=_date_array(start[changed] - 1),
                ),
            )
        self.link_pairs = (s, d)

    def _centers(self) -> None:
        spec, b = self.spec, self.b
        modes = [StationMode.RESIDENT, StationMode.ROTATING, StationMode.ON_CALL]
        self.center_of_county: dict[str, str] = {}
        self.center_of_township: dict[str, str] = {}
        self.center_of_village: dict[str, str] = {}
        self.departments: dict[str, list[tuple[str, DepartmentKind]]] = defaultdict(list)
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
                b.rel(R.STATIONED_AT, (L.DEPARTMENT, did), (L.GOVERNANCE_CENTER, cid), mode=mode)
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
                b.rel(R.STATIONED_AT, (L.DEPARTMENT, did), (L.GOVERNANCE_CENTER, cid), mode=mode)
                self.departments[cid].append((did, kind))
            # the county court comes to township centers when called (镇原 "1+3+7")
            for did, kind in self.departments[f"GC{t.parent}"]:
                if kind == DepartmentKind.COURT:
                    b.rel(
                        R.STATIONED_AT,
                        (L.DEPARTMENT, did),
                        (L.GOVERNANCE_CENTER, cid),
                        mode=StationMode.ON_CALL,
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


def _date(days: int | None) -> date | None:
    return None if days is None else _EPOCH + timedelta(days=int(days))


def _level_label(level: str) -> Label:
    return {
        "province": L.PROVINCE,
        "prefecture": L.PREFECTURE,
        "county": L.COUNTY,
        "township": L.TOWNSHIP,
        "village": L.VILLAGE,
    }[level]
