"""The mission's questions, each a function over a backend and named catalog queries.

``responsible``, ``uncovered``, ``overloaded``, ``coordination``, ``overdue`` and
``area_summary`` take plain values (ids, codes, thresholds, a day) and return
dataclasses with a ``to_dict()`` for JSON. The same names serve the CLI
(``govgraph query …``), the API and the notebooks.

Examples
--------
>>> from datetime import date
>>> next_tier("village"), next_tier("county")
('township', None)
>>> cutoff(date(2023, 12, 15), 90)
datetime.date(2023, 9, 16)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from datetime import date, timedelta
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import reads
from .backends.base import GraphBackend, Row
from .coverage import GAPS_SCHEMA, columnar_uncovered
from .errors import NotFound
from .escalation import anchored_paths, anchored_stations
from .loaders.divisions import normalize_code
from .loads import Loads, person_loads
from .responsibility import anchored_rows
from .schema.vocab import (
    DEFAULT_MAX_HOUSEHOLDS,
    DEFAULT_MAX_LINKED,
    DEFAULT_MAX_OPEN_CASES,
    DEFAULT_WINDOW_DAYS,
    DIVISION_LEVELS,
    CenterTier,
    GapReason,
    ResponsibleRole,
)

__all__ = [
    "DEFAULT_MAX_HOUSEHOLDS",
    "DEFAULT_MAX_LINKED",
    "DEFAULT_MAX_OPEN_CASES",
    "DEFAULT_WINDOW_DAYS",
    "REASONS",
    "AreaSummary",
    "Assignment",
    "Coordination",
    "Overdue",
    "OverdueCase",
    "Overloaded",
    "Responsibility",
    "Role",
    "Station",
    "Uncovered",
    "UncoveredHousehold",
    "WorkerLoad",
    "area_code",
    "area_summary",
    "coordination",
    "cutoff",
    "next_tier",
    "overdue",
    "overloaded",
    "responsible",
    "uncovered",
    "worker_loads",
]

#: the gaps ``uncovered`` reports, in order (:class:`govgraph.schema.vocab.GapReason`)
REASONS = tuple(r.value for r in GapReason)


def cutoff(as_of: date, within_days: int) -> date:
    """The first day that counts as "within ``within_days`` of ``as_of``" (never before
    the first day there is).

    >>> cutoff(date(1, 1, 5), 90)
    datetime.date(1, 1, 1)
    """
    return as_of - timedelta(days=min(within_days, (as_of - date.min).days))


def next_tier(tier: str) -> str | None:
    """The tier a case escalates to from ``tier`` (None above the county)."""
    above = CenterTier(tier).above
    return above.value if above else None


def area_code(area: str) -> str:
    """A division code in any accepted form → prefix form ("" means everywhere);
    ValueError names what is wrong."""
    return normalize_code(area) if area else ""


class _Answer:
    #: the list field ``to_frame`` turns into rows (one row of the whole answer when None)
    _rows: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return _jsonable(asdict(self))  # type: ignore[call-overload]

    def to_frame(self) -> Any:
        """The answer as a pandas DataFrame (``pip install 'govgraph[analysis]'``): one row
        per item of its main list (households, roles, workers, cases …), codes and ids as
        strings, days as dates; see :mod:`govgraph.frames`."""
        from .frames import frame

        data = asdict(self)  # type: ignore[call-overload]
        if self._rows is None:
            return frame([data], list(data))
        rows = [self._row(r) for r in data[self._rows]]
        columns = list(rows[0]) if rows else self._columns()
        return frame(rows, columns)

    def _row(self, item: dict[str, Any]) -> dict[str, Any]:
        return item

    def _columns(self) -> list[str]:
        import typing

        hints = typing.get_type_hints(type(self))
        inner = typing.get_args(hints[self._rows or ""])[0]
        return [f.name for f in fields(inner)] if hasattr(inner, "__dataclass_fields__") else []


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


# -- responsible --------------------------------------------------------------------------


@dataclass(frozen=True)
class Role:
    role: str
    id: str
    name: str
    via: str
    detail: str


@dataclass(frozen=True)
class Responsibility(_Answer):
    household: str
    as_of: date
    roles: list[Role]

    _rows = "roles"

    def people(self) -> list[Role]:
        """The roles held by people (workers, heads, cadres, party members, leaders)."""
        return [r for r in self.roles if ResponsibleRole(r.role).is_person]


#: each role's place in an answer (a dict: ``list.index`` was a fifth of the sorting)
_ROLE_ORDER = {r.value: i for i, r in enumerate(ResponsibleRole)}


def responsible(backend: GraphBackend, household: str, *, as_of: date) -> Responsibility:
    """Everyone and everything responsible for ``household`` as of ``as_of``.

    Its grid(s) and parent grids; grid workers (full/part-time), grid heads,
    volunteers and sunk cadres; linking party members; the grid party group,
    village branch and their secretaries; village, township, county; the
    centers that serve it; the leaders linked to its village and township.
    Raises :class:`NotFound` for a household that does not exist.
    """
    if backend.anchored_reads:
        rows = anchored_rows(backend, household, as_of)
    else:
        rows = backend.read("responsible", {"household": household, "as_of": as_of})
    if not rows:
        raise NotFound(f"household {household!r} does not exist")
    rank = _ROLE_ORDER
    # the row's place breaks ties: the same role may come by two roads (a parent grid
    # above two grids …), and the first is the one kept
    keyed = sorted(((rank[r["role"]], r["id"], r["via"] or ""), i, r) for i, r in enumerate(rows))
    roles, last = [], None
    for key, _, row in keyed:
        if key != last:
            last = key
            roles.append(Role(row["role"], row["id"], row["name"] or "", key[2],
                              row["detail"] or ""))  # fmt: skip
    return Responsibility(household, as_of, roles)


# -- uncovered ----------------------------------------------------------------------------


@dataclass(slots=True)  # not frozen: a county's 4,000 took 5.3 ms to make frozen, 1.9 not
class UncoveredHousehold:
    household: str
    division_code: str
    grid: str | None
    reasons: list[str]


@dataclass(frozen=True)
class Uncovered(_Answer):
    area: str
    as_of: date
    within_days: int
    households: list[UncoveredHousehold]
    by_reason: dict[str, int]
    by_child_area: dict[str, dict[str, int]]

    _rows = "households"

    @property
    def total(self) -> int:
        return len(self.households)

    def _row(self, item: dict[str, Any]) -> dict[str, Any]:
        """A household with a true/false column per gap, beside the list of them."""
        return {**item, **{r: r in item["reasons"] for r in REASONS}}

    def _columns(self) -> list[str]:
        return ["household", "division_code", "grid", "reasons", *REASONS]


#: areas whose code is at most this long (townships and above) are answered from columns
#: where the engine can (see govgraph/coverage.py): a village's few households are answered
#: faster by the one statement (18 ms against 21 on 镇原县, measured)
COLUMNAR_LEVEL = 9


def uncovered(
    backend: GraphBackend, area: str, *, as_of: date, within_days: int = DEFAULT_WINDOW_DAYS
) -> Uncovered:
    """Households under ``area`` (a division code at any level, or a grid id) that lack
    coverage as of ``as_of``, each with all its reasons.

    Reasons: ``no_grid`` (in no grid), ``no_worker`` (its grid has no active
    worker), ``no_linking_member`` (no party member links it), ``not_visited``
    (no visit on or after ``as_of - within_days``). Totals per reason and per
    child area (one level down; villages → their grids).
    """
    params: dict[str, Any] = {"as_of": as_of, "cutoff": cutoff(as_of, within_days)}
    if area.upper().startswith("G"):
        if not backend.read("grid_info", {"grid": area}):
            raise NotFound(f"grid {area!r} does not exist")
        table = _gaps(backend.read("uncovered_in_grid", {**params, "grid": area}))
        code = area
    else:
        code = area_code(area)
        if backend.columnar_reads and len(code) <= COLUMNAR_LEVEL:
            table = columnar_uncovered(backend, code, as_of, params["cutoff"])
        else:
            table = _gaps(backend.read("uncovered", {**params, "area": code}))
    by_grid = len(code) >= 12 or area.upper().startswith("G")
    households, by_reason, by_child = _tally(table, code, by_grid)
    return Uncovered(code, as_of, within_days, households, by_reason, by_child)


def _gaps(rows: list[Row]) -> pa.Table:
    """The ``uncovered`` statement's rows as the table :func:`.columnar_uncovered` gives."""
    columns: dict[str, list[Any]] = {"household": [], "division_code": [], "grid": []}
    columns.update({reason: [] for reason in REASONS})
    for row in rows:
        columns["household"].append(row["household"])
        columns["division_code"].append(row["division_code"])
        columns["grid"].append(min(row["grids"]) if row["grids"] else None)  # first by id
        for reason in REASONS:
            columns[reason].append(bool(row[reason]))
    return pa.table(columns, schema=GAPS_SCHEMA)


#: every combination of the four reasons, by the bits of their flags (no_grid the lowest)
_COMBINATIONS = [[r for i, r in enumerate(REASONS) if mask >> i & 1] for mask in range(16)]


def _tally(
    table: pa.Table, code: str, by_grid: bool
) -> tuple[list[UncoveredHousehold], dict[str, int], dict[str, dict[str, int]]]:
    """The households of ``table`` (by id) with their reasons, and the totals per reason and
    per child area of ``code`` (per grid below a village), counted in Arrow."""
    masks = np.zeros(table.num_rows, dtype=np.int64)
    for bit, reason in enumerate(REASONS):
        masks |= table[reason].to_numpy(zero_copy_only=False).astype(np.int64) << bit
    households = [
        UncoveredHousehold(household, division_code, grid, _COMBINATIONS[mask].copy())
        for household, division_code, grid, mask in zip(
            table["household"].to_pylist(), table["division_code"].to_pylist(),
            table["grid"].to_pylist(), masks.tolist(), strict=True)
    ]  # fmt: skip
    by_reason = {reason: int(pc.sum(table[reason]).as_py() or 0) for reason in REASONS}
    if by_grid:
        child = pc.fill_null(table["grid"], "(no grid)")
    else:
        width = next((w for w in DIVISION_LEVELS if w > len(code)), None)
        child = table["division_code"]
        if width is not None:
            child = pc.utf8_slice_codeunits(child, 0, width)
    counted = (
        pa.table({"child": child, **{r: pc.cast(table[r], pa.int64()) for r in REASONS}})
        .group_by("child")
        .aggregate([*((r, "sum") for r in REASONS), ("child", "count")])
        .sort_by("child")
    )
    by_child: dict[str, dict[str, int]] = {}
    for row in counted.to_pylist():
        counts = {r: row[f"{r}_sum"] for r in REASONS if row[f"{r}_sum"]}
        by_child[row["child"]] = {**counts, "households": row["child_count"]}
    return households, by_reason, by_child


# -- overloaded ---------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkerLoad:
    person: str
    name: str
    households: float
    linked: int
    open_cases: int
    grids: list[str]
    ratio: float

    @property
    def overloaded(self) -> bool:
        return self.ratio > 1.0


@dataclass(frozen=True)
class Overloaded(_Answer):
    area: str
    as_of: date
    max_households: int
    max_linked: int
    max_open_cases: int
    workers: list[WorkerLoad]

    _rows = "workers"


def worker_loads(
    backend: GraphBackend,
    area: str,
    *,
    as_of: date,
    max_households: int = DEFAULT_MAX_HOUSEHOLDS,
    max_linked: int = DEFAULT_MAX_LINKED,
    max_open_cases: int = DEFAULT_MAX_OPEN_CASES,
) -> list[WorkerLoad]:
    """Every person's load under ``area``: each person once, whatever roles they hold.

    ``households`` is the sum over the grids they actively serve of (households
    in the grid / active workers of the grid); ``linked`` the households they
    link as a party member; ``open_cases`` the open cases they reported. The
    ratio is the largest of the three loads over its threshold.
    """
    limits = _limits(max_households, max_linked, max_open_cases)
    return _loads(person_loads(backend, area_code(area), as_of), limits)


def _limits(max_households: int, max_linked: int, max_open_cases: int) -> tuple[int, int, int]:
    """The three thresholds, each at least 1 (a load is divided by them)."""
    named = {"max_households": max_households, "max_linked": max_linked,
             "max_open_cases": max_open_cases}  # fmt: skip
    for name, value in named.items():
        if value < 1:
            raise ValueError(f"{name} must be at least 1, not {value}")
    return max_households, max_linked, max_open_cases


def _ratio(load: Mapping[str, Any], limits: tuple[int, int, int]) -> float:
    """The largest of a person's three loads over its threshold, as the answer rounds it."""
    households, linked, open_cases = limits
    return round(
        max(load["households"] / households, load["linked"] / linked,
            load["open_cases"] / open_cases), 6
    )  # fmt: skip


def _over(loads: Loads, limits: tuple[int, int, int]) -> np.ndarray:
    """Which of ``loads`` are over a threshold: :func:`_ratio` above 1 (worked out in Python,
    to its rounding, for those whose largest load is above its threshold at all)."""
    households, linked, open_cases = limits
    largest = np.maximum.reduce(
        [loads.households / households, loads.linked / linked, loads.open_cases / open_cases]
    )
    over = largest > 1.0
    candidates = np.flatnonzero(over)
    over[candidates] = [round(x, 6) > 1.0 for x in largest[candidates].tolist()]
    return over


def _loads(rows: list[Row], limits: tuple[int, int, int]) -> list[WorkerLoad]:
    """The people's loads with their ratios, the heaviest first (then by id)."""
    out = [
        WorkerLoad(r["person"], r["name"], r["households"], r["linked"], r["open_cases"],
                   r["grids"], _ratio(r, limits))
        for r in rows
    ]  # fmt: skip
    out.sort(key=lambda w: (-w.ratio, w.person))
    return out


def overloaded(
    backend: GraphBackend,
    area: str,
    *,
    as_of: date,
    max_households: int = DEFAULT_MAX_HOUSEHOLDS,
    max_linked: int = DEFAULT_MAX_LINKED,
    max_open_cases: int = DEFAULT_MAX_OPEN_CASES,
) -> Overloaded:
    """People whose load exceeds a threshold, ranked by load ratio, with their grids.

    Thresholds: households served (default 50, the seeds' "about 50 households
    per grid worker"), households linked as a party member, open cases.
    """
    limits = _limits(max_households, max_linked, max_open_cases)
    # only the overloaded are named: the rest of the linking members' ids and names are
    # never read (see govgraph/loads.py)
    rows = person_loads(backend, area_code(area), as_of, lambda loads: _over(loads, limits))
    loads = _loads(rows, limits)
    return Overloaded(
        area_code(area),
        as_of,
        max_households,
        max_linked,
        max_open_cases,
        [w for w in loads if w.overloaded],
    )


# -- coordination -------------------------------------------------------------------------


@dataclass(frozen=True)
class Station:
    center: str
    center_name: str
    tier: str
    department: str
    department_name: str
    kind: str
    mode: str


@dataclass(frozen=True)
class Assignment:
    department: str
    department_name: str
    kind: str
    role: str
    assigned: date | None
    reported: date | None


@dataclass(frozen=True)
class Coordination(_Answer):
    case_id: str
    type: str
    tier: str
    status: str
    household: str | None
    paths: list[list[str]]
    path_names: list[list[str]]
    stations: list[Station]
    assigned: list[Assignment]
    not_reported: list[str]
    must_coordinate: list[str]
    escalations: list[dict[str, Any]] = field(default_factory=list)

    def to_frame(self) -> Any:
        """One row per department on the case's path or assigned to it: where it is
        stationed and how, its assignment and report-in day, whether it must coordinate."""
        from .frames import frame

        rows: dict[str, dict[str, Any]] = {}
        for s in self.stations:
            rows.setdefault(
                s.department,
                {"department": s.department, "name": s.department_name, "kind": s.kind},
            )
            rows[s.department].update(center=s.center, center_tier=s.tier, mode=s.mode)
        for a in self.assigned:
            rows.setdefault(
                a.department,
                {"department": a.department, "name": a.department_name, "kind": a.kind},
            )
            rows[a.department].update(role=a.role, assigned=a.assigned, reported=a.reported)
        for d, row in rows.items():
            row["must_coordinate"] = d in self.must_coordinate
        columns = [
            "department",
            "name",
            "kind",
            "center",
            "center_tier",
            "mode",
            "role",
            "assigned",
            "reported",
            "must_coordinate",
        ]
        return frame([rows[d] for d in sorted(rows)], columns)


def coordination(backend: GraphBackend, case_id: str, *, as_of: date) -> Coordination:
    """The escalation path(s) of a case and the departments that must coordinate on it.

    The shortest paths from the case's household through its grid, village
    center and township center to the county center (every tie); the
    departments stationed at each center on them with their mode; the
    departments assigned and whether they reported; and those that must
    coordinate: the co-assigned, and those stationed at the path's center of
    the case's current tier.
    """
    detail = backend.read_point("case_detail", {"case_id": case_id})
    if not detail:
        raise NotFound(f"case {case_id!r} does not exist")
    case = detail[0]
    households = reads.case_households(backend, case_id)
    household = households[0] if households else None
    rows: list[dict[str, Any]] = []
    if household is not None and backend.anchored_reads:
        rows = anchored_paths(backend, household, as_of)
    elif household is not None:
        params = {"household": household, "as_of": as_of}
        rows = backend.read("escalation_path", params) or backend.read(
            "escalation_path_direct", params
        )
    shortest = min((len(r["ids"]) for r in rows), default=0)
    rows = [r for r in rows if len(r["ids"]) == shortest]
    paths = sorted({tuple(r["ids"]) for r in rows})
    names = {tuple(r["ids"]): list(r["names"]) for r in rows}
    on_path = sorted({node for p in paths for node in p})
    if backend.anchored_reads:
        centers = [c for r in rows for c in r["centers"]]
        stationed = anchored_stations(backend, centers, as_of)
    else:
        stationed = backend.read("center_stations", {"centers": on_path, "as_of": as_of})
    stations = [
        Station(
            r["center"],
            r["center_name"],
            r["tier"],
            r["department"],
            r["department_name"],
            r["kind"],
            r["mode"],
        )
        for r in stationed
        if r["department"] is not None
    ]
    assigned = [
        Assignment(
            r["department"],
            r["department_name"],
            r["kind"],
            r["role"],
            r["assigned"],
            r["reported"],
        )
        for r in reads.case_assignments(backend, case_id)
    ]
    current = {s.department for s in stations if s.tier == case["tier"]}
    must = sorted(current | {a.department for a in assigned})
    return Coordination(
        case_id=case_id,
        type=case["type"],
        tier=case["tier"],
        status=case["status"],
        household=household,
        paths=[list(p) for p in paths],
        path_names=[names[p] for p in paths],
        stations=stations,
        assigned=assigned,
        not_reported=sorted(a.department for a in assigned if a.reported is None),
        must_coordinate=must,
        escalations=reads.case_escalations(backend, case_id),
    )


# -- overdue ------------------------------------------------------------------------------


@dataclass(frozen=True)
class OverdueCase:
    case_id: str
    type: str
    tier: str
    status: str
    opened: date
    due: date
    division_code: str
    days_overdue: int
    days_at_tier: int
    escalate_to: str | None


@dataclass(frozen=True)
class Overdue(_Answer):
    area: str
    as_of: date
    overdue: list[OverdueCase]
    stuck: list[OverdueCase]

    _rows = "overdue"


def overdue(
    backend: GraphBackend, *, as_of: date, area: str = "", stuck_limit: int = 10
) -> Overdue:
    """Open cases past their tier's deadline (village 3, township 7, county 15 days) as of
    ``as_of``, most overdue first, with the tier they should escalate to; and the open
    cases stuck longest at one tier."""
    code = area_code(area) if area else ""
    cases = []
    for r in backend.read("open_cases", {"area": code, "as_of": as_of}):
        cases.append(
            OverdueCase(
                r["case_id"],
                r["type"],
                r["tier"],
                r["status"],
                r["opened"],
                r["due"],
                r["division_code"],
                (as_of - r["due"]).days,
                (as_of - r["arrived"]).days,
                next_tier(r["tier"]),
            )
        )
    late = sorted((c for c in cases if c.due < as_of), key=lambda c: (-c.days_overdue, c.case_id))
    stuck = sorted(cases, key=lambda c: (-c.days_at_tier, c.case_id))[:stuck_limit]
    return Overdue(code, as_of, late, stuck)


# -- area summary -------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaSummary(_Answer):
    area: str
    as_of: date
    households: int
    people: int
    grids: int
    grid_workers: int
    linking_party_members: int
    open_cases: int
    closed_cases: int
    staffed_rate: float
    households_per_worker_mean: float
    households_per_worker_max: float


def area_summary(backend: GraphBackend, area: str, *, as_of: date) -> AreaSummary:
    """Headline figures for an area: households, people, grids, workers, linking party
    members, open and closed cases, the staffed rate (households whose grid has an active
    grid worker / all; not the covered rate, which counts households with no gap at all:
    see :data:`govgraph.schema.vocab.MEASURES`), mean and max households per worker."""
    code = area_code(area)
    counts: Counter[str] = Counter()  # a measure with nothing to count may return no row
    for r in backend.read("area_summary", {"area": code, "as_of": as_of}):
        counts[r["measure"]] += int(r["n"])
    if counts["households"] == 0 and counts["grids"] == 0:
        raise NotFound(f"no households or grids under area {code!r}")
    served = person_loads(backend, code, as_of, lambda loads: loads.serving)
    loads = [load["households"] for load in served]
    return AreaSummary(
        area=code,
        as_of=as_of,
        households=counts["households"],
        people=counts["people"],
        grids=counts["grids"],
        grid_workers=counts["grid_workers"],
        linking_party_members=counts["linking_party_members"],
        open_cases=counts["open_cases"],
        closed_cases=counts["closed_cases"],
        staffed_rate=round(counts["households_with_worker"] / counts["households"], 4)
        if counts["households"]
        else 0.0,
        households_per_worker_mean=round(sum(loads) / len(loads), 2) if loads else 0.0,
        households_per_worker_max=round(max(loads), 2) if loads else 0.0,
    )
