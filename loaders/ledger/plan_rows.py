"""What an import's planner reads from the rows and the store: the facts the files give,
the stored nodes they name, places by code or name (see :mod:`.plan`)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ...backends.base import GraphBackend
from ...schema.model import CenterTier, GridRole, Label, Rel
from ..divisions import Divisions, normalize_code
from ..graph import GraphTables
from .columns import Kind
from .read import Sheet
from .validate import ParsedRow

__all__ = ["ROLE_REL", "ImportPlan"]

L, R = Label, Rel

ROLE_REL = {
    GridRole.GRID_WORKER.value: R.GRID_WORKER_OF,
    GridRole.GRID_HEAD.value: R.GRID_HEAD_OF,
    GridRole.VOLUNTEER.value: R.VOLUNTEER_OF,
    GridRole.SUNK_CADRE.value: R.SUNK_CADRE_OF,
}
_LEVEL_LABEL = {2: L.PROVINCE, 4: L.PREFECTURE, 6: L.COUNTY, 9: L.TOWNSHIP, 12: L.VILLAGE}

NodeKey = tuple[Label, str]
#: a record a row contributes to: ("node", label, id) or ("rel", type, source, target, key…)
Record = tuple[Any, ...]


@dataclass
class ImportPlan:
    """What an import will write, and what it refuses."""

    writes: GraphTables
    rows: list[ParsedRow]
    #: per accepted row: "new", "updated" or "unchanged"
    status: dict[int, str] = field(default_factory=dict)
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    @property
    def rejected(self) -> list[ParsedRow]:
        return [r for r in self.rows if r.problems]

    @property
    def changes(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values())


class _Facts:
    """Node properties gathered from the files, each with the row that gave it first."""

    def __init__(self) -> None:
        self.values: dict[NodeKey, dict[str, Any]] = {}
        #: the row that gave all of a node's properties, or the row of each
        self.origin: dict[NodeKey, ParsedRow | dict[str, ParsedRow]] = {}
        #: filled only where neither the files nor the store say anything
        self.defaults: dict[NodeKey, dict[str, Any]] = defaultdict(dict)

    def conflicts(self, key: NodeKey, props: dict[str, Any]) -> list[tuple[str, Any, ParsedRow]]:
        known = self.values.get(key)
        if not known:
            return []
        found = [
            (name, known[name])
            for name, value in props.items()
            if name in known and known[name] != value and _norm(known[name]) != _norm(value)
        ]
        if not found:
            return []
        origin = self.origin[key]
        return [(name, value, origin if isinstance(origin, ParsedRow) else origin[name])
                for name, value in found]  # fmt: skip

    def add(self, key: NodeKey, props: dict[str, Any], row: ParsedRow) -> None:
        values = self.values.get(key)
        if values is None:  # the first row to name it: all it says, at once
            self.values[key] = dict(props)
            self.origin[key] = row
            return
        if props.keys() <= values.keys():
            return
        origin = self.origin[key]
        if isinstance(origin, ParsedRow):
            origin = self.origin[key] = dict.fromkeys(values, origin)
        for name, value in props.items():
            if name not in values:
                values[name] = value
                origin[name] = row

    def __contains__(self, key: object) -> bool:
        return key in self.values


def _norm(value: Any) -> Any:
    return sorted(value) if isinstance(value, list) else value


_PERSON = ("name", "gender", "id_number", "phone")
_HOUSEHOLD_PERSON = (*_PERSON, "birth_year", "occupation")


def _pick(values: dict[str, Any], names: Iterable[str]) -> dict[str, Any]:
    return {n: values[n] for n in names if n in values}


class _Rows:
    """The planner's state and the checks every kind of row uses."""

    def __init__(
        self,
        backend: GraphBackend,
        rows: list[ParsedRow],
        today: dt.date,
        divisions: Divisions,
        area: str = "",
    ) -> None:
        self.backend, self.rows, self.today, self.divisions = backend, rows, today, divisions
        self.area = area  # where a place written by name is looked up (with a township column)
        self.facts = _Facts()
        self._codes: dict[str, str] = {}
        #: (code as written, levels) -> the division's code, for codes found good
        self._valid: dict[tuple[str, tuple[int, ...]], str] = {}
        self._townships: dict[str, tuple[str | None, str]] = {}
        self._names: dict[tuple[str, str, tuple[int, ...]], tuple[str | None, str]] = {}
        self.stored: dict[Label, dict[str, dict[str, Any]]] = {}
        #: ids looked up in the store and not found there (they hold no relationships yet)
        self.absent: dict[Label, set[str]] = {}
        self.records: dict[int, list[Record]] = {}
        # intents gathered from accepted rows
        self.members: dict[tuple[str, str], tuple[str | None, ParsedRow]] = {}
        self.member_count: dict[str, int] = defaultdict(int)
        self.posts: dict[tuple[str, Rel], list[dict[str, Any]]] = defaultdict(list)
        self.links: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.visits: dict[tuple[str, str, dt.date], tuple[Any, ParsedRow]] = {}
        self.history: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.leads: dict[tuple[str, Label], list[dict[str, Any]]] = defaultdict(list)
        #: the network's relationships, identified by their two ends (and, for those with
        #: periods, the first day): (type, source, target, day) -> (properties, the row)
        self.pairs: dict[tuple[Rel, str, str, Any], tuple[dict[str, Any], ParsedRow]] = {}
        #: division codes the network's rows name (served, covered, led): their chain is made
        self.places: set[str] = set()

    # -- the store ---------------------------------------------------------------
    def _load_stored(self) -> None:
        wanted: dict[Label, set[str]] = defaultdict(set)
        by_sheet: dict[int, list[dict[str, Any]]] = defaultdict(list)
        sheets: dict[int, Sheet] = {}
        for row in self.rows:
            by_sheet[id(row.sheet)].append(row.values)
            sheets[id(row.sheet)] = row.sheet
        for sheet, rows in by_sheet.items():
            kind, columns = sheets[sheet].kind.kind, sheets[sheet].positions
            refs = (*_REFERENCES, *_NETWORK_REFERENCES.get(kind, ()), ("households", L.HOUSEHOLD))
            for key, label in refs:
                # a value comes from its column, but for a person's id made from the ID number
                if key not in columns and key != "person_id":
                    continue
                ids = [v[key] for v in rows if key in v]
                if ids and isinstance(ids[0], list):  # a column of lists: every id in them
                    ids = [i for many in ids for i in many]
                wanted[label].update(ids)
        for label in _STORED:
            # many ids of a label the store has none of (a first import) are not sent to it
            if len(wanted[label]) > _FEW and not self.backend.holds(label):
                self.stored[label], self.absent[label] = {}, wanted[label]
                continue
            rows = self.backend.fetch_nodes(label, sorted(wanted[label])).to_pylist()
            if label is L.PERSON:  # compared with the ledgers in full: needs the store's key
                rows = self.backend.reveal(rows, person="id")
            self.stored[label] = {r["id"]: r for r in rows}
            self.absent[label] = wanted[label] - self.stored[label].keys()

    def exists(self, label: Label, ident: str) -> bool:
        return (label, ident) in self.facts.values or ident in self.stored.get(label, ())

    def in_store(self, label: Label, ids: Iterable[str]) -> list[str]:
        """Of ``ids``, sorted, those that may be in the store: a node looked up and not found
        has no relationships there to read (on a first import, none has)."""
        absent = self.absent.get(label, set())
        return sorted(i for i in ids if i not in absent)

    def value(self, label: Label, ident: str, name: str) -> Any:
        got = self.facts.values.get((label, ident), {}).get(name)
        if got is None:
            got = self.stored.get(label, {}).get(ident, {}).get(name)
        return got

    # -- rows ---------------------------------------------------------------------
    def _division(self, row: ParsedRow, key: str, levels: tuple[int, ...],
                  code: str | None = None) -> str | None:  # fmt: skip
        code = row.values[key] if code is None else code
        known = self._valid.get((code, levels))
        if known is not None:
            return known
        if not code.isdigit():
            return self._named(row, key, code, levels)
        prefix = self._codes.get(code)
        if prefix is None:
            try:
                prefix = normalize_code(code)
            except ValueError:
                prefix = ""
            self._codes[code] = prefix
        if prefix not in self.divisions or len(prefix) not in levels:
            what = " or ".join(_LEVEL_NAME[n] for n in levels)
            row.problem(key, f"unknown division code: no {what} with code {code} in the NBS table")
            return None
        self._valid[(code, levels)] = prefix
        return prefix

    def _named(self, row: ParsedRow, key: str, name: str, levels: tuple[int, ...]) -> str | None:
        """A village (or township) written by name, looked up in the row's township column,
        else in the import's area; refused with the candidates when unknown or ambiguous
        (the problem named on the township column when it is the township that fails)."""
        within = self.area
        township = row.values.get("township", "")
        if township:
            if township not in self._townships:
                self._townships[township] = self._township(township)
            code, problem = self._townships[township]
            if code is None:
                row.problem("township", problem)
                return None
            within = code
        if (name, within, levels) not in self._names:
            self._names[(name, within, levels)] = self._look_up(name, within, levels)
        found, problem = self._names[(name, within, levels)]
        if found is None:
            row.problem(key, problem)
        return found

    def _township(self, township: str) -> tuple[str | None, str]:
        """A township column's cell (code or name) → its code, or None and why not."""
        d = self.divisions
        if township.isdigit():
            try:
                code = normalize_code(township)
            except ValueError:
                code = ""
            if len(code) != 9 or code not in d:
                return None, f"township {township!r}: no township with this code"
            return code, ""
        # by name: in the area's county when the area is itself a township or village
        county = self.area[:6] if len(self.area) > 6 else self.area
        towns = d.named(township, within=county, level="township")
        if len(towns) == 1:
            return towns[0].code, ""
        where = f" in {d.path(county)}" if county else ""
        if not towns:
            return None, f"township {township!r}: no township of this name{where}"
        listed = ", ".join(f"{t.name} ({d.path(t.code)}, {t.code})" for t in towns[:8])
        return None, f"township {township!r} names {len(towns)} townships{where}: {listed}"

    def _look_up(self, name: str, within: str, levels: tuple[int, ...]) -> tuple[str | None, str]:
        """A place's name → its code under ``within``, or None and why not (the candidates)."""
        d = self.divisions
        if not within:
            return None, (
                f"{name!r} is a name: say where to look it up with a 所属乡镇（街道） column "
                "or import --area CODE, or write the 12-digit code"
            )
        levels_by_name = [("village", 12), ("township", 9)]
        kinds = [level for level, width in levels_by_name if width in levels]
        matches = [m for level in kinds for m in d.named(name, within=within, level=level)]
        where = d.path(within)
        if len(matches) == 1:
            return matches[0].code, ""
        if matches:
            listed = ", ".join(f"{m.name} ({d.get(m.parent or m.code).name}, {m.code})"
                               for m in matches[:8])  # fmt: skip
            return None, f"{name!r} names {len(matches)} places in {where}: {listed}; use a code"
        nearby = [v.short_name for v in d.descendants(within, kinds[0])][:12]
        return None, (
            f"no {kinds[0]} named {name!r} in {where}"
            + (f"; there are: {'、'.join(nearby)}" if nearby else "")
        )

    def _offer(self, row: ParsedRow, nodes: list[tuple[NodeKey, dict[str, Any], str]]) -> bool:
        """Check ``nodes`` (key, props, column key for messages) against earlier rows."""
        known = self.facts.values
        for key, props, column in nodes:
            if key not in known:  # nothing said of it before
                continue
            for name, value, first in self.facts.conflicts(key, props):
                row.problem(
                    name if name in row.sheet.positions else column,
                    f"{key[0]} {key[1]} has {name} = {_show(value)} on row {first.number} of "
                    f"{first.sheet.path.name}; this row says {_show(props[name])}",
                )
        return not row.problems

    def _accept(self, row: ParsedRow, nodes: list[tuple[NodeKey, dict[str, Any], str]]) -> None:
        for key, props, _ in nodes:
            self.facts.add(key, props, row)
        self.records[id(row)] = [("node", *key) for key, _, _ in nodes]

    def _need(self, row: ParsedRow, label: Label, ident: str, key: str, hint: str = "") -> None:
        if not self.exists(label, ident):
            where = "not in these files, not in the store"
            row.problem(key, f"{label} {ident} does not exist ({where}){hint}")

    def _default_division(self, pid: str, get: Any) -> None:
        defaults = self.facts.defaults[(L.PERSON, pid)]
        if "division_code" not in defaults:
            code = get()
            if code:
                defaults["division_code"] = code


#: more ids of a label than this are worth a count of the label first (one statement);
#: fewer are looked up as they are (the field's one-row writes plan through here too)
_FEW = 1000

_LEVEL_NAME = {2: "province", 4: "prefecture", 6: "county", 9: "township",
               12: "village or community"}  # fmt: skip
_TIER_WIDTH = {CenterTier.COUNTY.value: 6, CenterTier.TOWNSHIP.value: 9,
               CenterTier.VILLAGE.value: 12}  # fmt: skip
_TIER_ORDER = [CenterTier.VILLAGE.value, CenterTier.TOWNSHIP.value, CenterTier.COUNTY.value]
_STORED = (L.PERSON, L.HOUSEHOLD, L.GRID, L.CASE, L.GOVERNANCE_CENTER, L.DEPARTMENT,
           L.PARTY_ORGANIZATION)  # fmt: skip
#: the row values that name stored nodes, in every ledger …
_REFERENCES: tuple[tuple[str, Label], ...] = (
    ("person_id", L.PERSON),
    ("reporter_id", L.PERSON),
    ("persons", L.PERSON),
    ("household_id", L.HOUSEHOLD),
    ("grid_id", L.GRID),
    ("parent_grid", L.GRID),
    ("case_id", L.CASE),
    ("center_id", L.GOVERNANCE_CENTER),
    ("department_id", L.DEPARTMENT),
    ("org_id", L.PARTY_ORGANIZATION),
)
#: … and in one kind of ledger only
_NETWORK_REFERENCES: dict[Kind, tuple[tuple[str, Label], ...]] = {
    Kind.CENTERS: (("reports_to", L.GOVERNANCE_CENTER),),
    Kind.PARTY_ORGS: (("parent", L.PARTY_ORGANIZATION), ("covers", L.GRID)),
}
#: the labels at the two ends of the network's relationships (the target's, when one)
_PAIR_ENDS = {
    R.CENTER_SERVES: (L.GOVERNANCE_CENTER, L.VILLAGE),
    R.REPORTS_TO: (L.GOVERNANCE_CENTER, L.GOVERNANCE_CENTER),
    R.STATIONED_AT: (L.DEPARTMENT, L.GOVERNANCE_CENTER),
    R.SUBORDINATE_TO: (L.PARTY_ORGANIZATION, L.PARTY_ORGANIZATION),
    R.PARTY_COVERS: (L.PARTY_ORGANIZATION, L.GRID),
    R.PARTY_MEMBER_OF: (L.PERSON, L.PARTY_ORGANIZATION),
    R.SECRETARY_OF: (L.PERSON, L.PARTY_ORGANIZATION),
    R.ESCALATED_TO: (L.CASE, L.GOVERNANCE_CENTER),
    R.ASSIGNED_TO: (L.CASE, L.DEPARTMENT),
}


#: the network's relationships with periods: whether each ends only on its own end date
_PERIOD_PAIRS = {R.STATIONED_AT: True, R.PARTY_MEMBER_OF: False, R.SECRETARY_OF: True}


def _show(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "、".join(value) or "''"
    return repr(value)
