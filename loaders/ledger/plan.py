"""Parsed rows + what the store holds → the writes an import makes, and the rows it refuses.

The plan is computed from the files and the store alone, so running it again
after an interrupted import finds what is already there and writes only the
rest: that is what makes an import safe to kill and re-run.

Memberships that change over time (a household's grid, a worker's post, a
party member's households) are never overwritten: a new membership opens a
period, the old one is closed on the day before the new one starts.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ...backends.base import GraphBackend
from ...schema.model import GridRole, Label, Rel, node_spec, rel_spec
from ..divisions import Divisions, load_divisions, normalize_code, pad_code
from ..graph import GraphBuilder, GraphTables
from .columns import Kind
from .validate import ParsedRow

__all__ = ["ImportPlan", "plan_import"]

L, R = Label, Rel

ROLE_REL = {
    GridRole.GRID_WORKER.value: R.GRID_WORKER_OF,
    GridRole.GRID_HEAD.value: R.GRID_HEAD_OF,
    GridRole.VOLUNTEER.value: R.VOLUNTEER_OF,
    GridRole.SUNK_CADRE.value: R.SUNK_CADRE_OF,
}
_LEVEL_LABEL = {2: L.PROVINCE, 4: L.PREFECTURE, 6: L.COUNTY, 9: L.TOWNSHIP, 12: L.VILLAGE}
_ADMIN = set(_LEVEL_LABEL.values())

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
        self.values: dict[NodeKey, dict[str, Any]] = defaultdict(dict)
        self.origin: dict[NodeKey, dict[str, ParsedRow]] = defaultdict(dict)
        #: filled only where neither the files nor the store say anything
        self.defaults: dict[NodeKey, dict[str, Any]] = defaultdict(dict)

    def conflicts(self, key: NodeKey, props: dict[str, Any]) -> list[tuple[str, Any, ParsedRow]]:
        known = self.values.get(key)
        if not known:
            return []
        return [
            (name, known[name], self.origin[key][name])
            for name, value in props.items()
            if name in known and _norm(known[name]) != _norm(value)
        ]

    def add(self, key: NodeKey, props: dict[str, Any], row: ParsedRow) -> None:
        values, origin = self.values[key], self.origin[key]
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


class _Planner:
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
        self._townships: dict[str, tuple[str | None, str]] = {}
        self._names: dict[tuple[str, str, tuple[int, ...]], tuple[str | None, str]] = {}
        self.stored: dict[Label, dict[str, dict[str, Any]]] = {}
        self.records: dict[int, list[Record]] = {}
        # intents gathered from accepted rows
        self.members: dict[tuple[str, str], tuple[str | None, ParsedRow]] = {}
        self.member_count: dict[str, int] = defaultdict(int)
        self.posts: dict[tuple[str, Rel], list[dict[str, Any]]] = defaultdict(list)
        self.links: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.visits: dict[tuple[str, str, dt.date], tuple[Any, ParsedRow]] = {}

    # -- the store ---------------------------------------------------------------
    def _load_stored(self) -> None:
        wanted: dict[Label, set[str]] = defaultdict(set)
        for row in self.rows:
            v = row.values
            for key, label in (
                ("person_id", L.PERSON),
                ("reporter_id", L.PERSON),
                ("persons", L.PERSON),
                ("household_id", L.HOUSEHOLD),
                ("grid_id", L.GRID),
                ("parent_grid", L.GRID),
                ("case_id", L.CASE),
            ):
                if key in v:
                    wanted[label].update(v[key] if key == "persons" else (v[key],))
            wanted[L.HOUSEHOLD].update(v.get("households", ()))
        for label in (L.PERSON, L.HOUSEHOLD, L.GRID, L.CASE):
            rows = self.backend.fetch_nodes(label, sorted(wanted[label])).to_pylist()
            if label is L.PERSON:  # compared with the ledgers in full: needs the store's key
                rows = self.backend.reveal(rows, person="id")
            self.stored[label] = {r["id"]: r for r in rows}

    def exists(self, label: Label, ident: str) -> bool:
        return (label, ident) in self.facts or ident in self.stored.get(label, {})

    def value(self, label: Label, ident: str, name: str) -> Any:
        got = self.facts.values.get((label, ident), {}).get(name)
        if got is None:
            got = self.stored.get(label, {}).get(ident, {}).get(name)
        return got

    # -- rows ---------------------------------------------------------------------
    def _division(self, row: ParsedRow, key: str, levels: tuple[int, ...]) -> str | None:
        code = row.values[key]
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
            what = "village or community" if levels == (12,) else "village or township"
            row.problem(key, f"unknown division code: no {what} with this code in the NBS extract")
            return None
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
        for key, props, column in nodes:
            for name, value, first in self.facts.conflicts(key, props):
                row.problem(
                    name if name in row.sheet.positions else column,
                    f"{key[0]} {key[1]} has {name} = {_show(value)} on row {first.number} of "
                    f"{first.sheet.path.name}; this row says {_show(props[name])}",
                )
        return row.ok

    def _accept(self, row: ParsedRow, nodes: list[tuple[NodeKey, dict[str, Any], str]]) -> None:
        for key, props, _ in nodes:
            self.facts.add(key, props, row)
        self.records[id(row)] = [("node", *key) for key, _, _ in nodes]

    def _need(self, row: ParsedRow, label: Label, ident: str, key: str, hint: str = "") -> None:
        if not self.exists(label, ident):
            where = "not in these files, not in the store"
            row.problem(key, f"{label} {ident} does not exist ({where}){hint}")

    def _workers(self, row: ParsedRow) -> None:
        v = row.values
        grid = v["grid_id"]
        nodes: list[tuple[NodeKey, dict[str, Any], str]] = []
        gprops: dict[str, Any] = {}
        if "grid_name" in v:
            gprops["name"] = v["grid_name"]
        if "grid_division" in v:
            level = int(v.get("grid_level") or self.value(L.GRID, grid, "level") or 2)
            code = self._division(row, "grid_division", (9,) if level == 1 else (12,))
            if code:
                gprops["division_code"] = code
        if "grid_level" in v:
            gprops["level"] = int(v["grid_level"])
        if "parent_grid" in v:
            gprops["parent"] = v["parent_grid"]
            if v["parent_grid"] != grid:
                self._need(row, L.GRID, v["parent_grid"], "parent_grid")
            else:
                row.problem("parent_grid", "a grid cannot be its own parent")
        if gprops:
            nodes.append(((L.GRID, grid), gprops, "grid_id"))
        new_grid = not self.exists(L.GRID, grid)
        if new_grid and not ("name" in gprops and "division_code" in gprops) and row.ok:
            row.problem(
                "grid_id",
                f"grid {grid} does not exist (not in these files, not in the store): "
                "give 网格名称 and 网格所属区划代码 to create it",
            )
        pid = v.get("person_id")
        if pid:
            props = _pick(v, _PERSON)
            if not props and not self.exists(L.PERSON, pid):
                self._need(row, L.PERSON, pid, "person_id", "; give 姓名 to create the person")
            nodes.append(((L.PERSON, pid), props, "person_id"))
        if not self._offer(row, nodes):
            return
        nodes.reverse()  # the person (when there is one) is what the row is about
        self._accept(row, nodes)
        if gprops.get("division_code"):
            self.facts.defaults[(L.GRID, grid)]["level"] = 2
        if pid:
            rel = ROLE_REL[v["role"]]
            post = {
                "target": grid,
                "valid_from": v.get("valid_from"),
                "valid_to": v.get("valid_to"),
            }
            if rel is R.GRID_WORKER_OF:
                post["employment"] = v.get("employment")
            self.posts[(pid, rel)].append(post)
            self.records[id(row)] += [("period", rel, pid, grid), ("period", rel, pid)]
            self._default_division(pid, lambda: self.value(L.GRID, grid, "division_code"))

    def _default_division(self, pid: str, get: Any) -> None:
        defaults = self.facts.defaults[(L.PERSON, pid)]
        if "division_code" not in defaults:
            code = get()
            if code:
                defaults["division_code"] = code

    def _households(self, row: ParsedRow) -> None:
        v = row.values
        hid = v["household_id"]
        code = self._division(row, "village_code", (12,))
        if "grid_id" in v:
            self._need(row, L.GRID, v["grid_id"], "grid_id")
        stored_code = self.stored[L.HOUSEHOLD].get(hid, {}).get("division_code")
        if code and stored_code and stored_code != code:
            row.problem("village_code", f"household {hid} is stored under {stored_code}; moving a "
                        "household to another village is not supported by import")  # fmt: skip
        hprops = _pick(v, ("address", "size", "tags", "grid_id", "grid_since"))
        if code:
            hprops["division_code"] = code
        nodes: list[tuple[NodeKey, dict[str, Any], str]] = [
            ((L.HOUSEHOLD, hid), hprops, "household_id")
        ]
        pid = v.get("person_id")
        if pid:
            pprops = _pick(v, _HOUSEHOLD_PERSON)
            if "party_member" in v:
                pprops["party_member"] = v["party_member"] == "true"
            nodes.append(((L.PERSON, pid), pprops, "person_id"))
            known = self.members.get((pid, hid))
            if known and known[0] != v.get("relation"):
                row.problem("relation", f"person {pid} is listed in household {hid} on row "
                            f"{known[1].number} as {known[0]}")  # fmt: skip
        if not self._offer(row, nodes):
            return
        self._accept(row, nodes)
        if pid:
            if (pid, hid) not in self.members:
                self.member_count[hid] += 1
            self.members[(pid, hid)] = (v.get("relation"), row)
            self.records[id(row)].append(("rel", R.MEMBER_OF, pid, hid))
            if code:
                self.facts.defaults[(L.PERSON, pid)]["division_code"] = code
        if "grid_id" in v:
            self.records[id(row)] += [("period", R.IN_GRID, hid, v["grid_id"]),
                                      ("period", R.IN_GRID, hid)]  # fmt: skip

    def _links(self, row: ParsedRow) -> None:
        v = row.values
        pid, hid = v["person_id"], v["household_id"]
        self._need(row, L.HOUSEHOLD, hid, "household_id")
        props = {**_pick(v, _PERSON), "party_member": True}
        nodes: list[tuple[NodeKey, dict[str, Any], str]] = [((L.PERSON, pid), props, "person_id")]
        if "name" not in v and not self.exists(L.PERSON, pid):
            row.problem("person_id", f"person {pid} is new: give 党员姓名 to create them")
        if not self._offer(row, nodes):
            return
        self._accept(row, nodes)
        self.links[pid].append(
            {"target": hid, "valid_from": v.get("valid_from"), "valid_to": v.get("valid_to")}
        )
        self.records[id(row)][:0] = [("period", R.LINKS_HOUSEHOLD, pid, hid),
                                     ("period", R.LINKS_HOUSEHOLD, pid)]  # fmt: skip
        self._default_division(pid, lambda: self.value(L.HOUSEHOLD, hid, "division_code"))

    def _cases(self, row: ParsedRow) -> None:
        v = row.values
        cid = v["case_id"]
        code = self._division(row, "village_code", (12,))
        for hid in v.get("households", ()):
            self._need(row, L.HOUSEHOLD, hid, "households")
        for pid in v.get("persons", ()):
            self._need(row, L.PERSON, pid, "persons")
        if "reporter_id" in v:
            self._need(row, L.PERSON, v["reporter_id"], "reporter_id")
        props = _pick(
            v,
            ("type", "opened", "tier", "due", "status", "closed", "outcome", "satisfaction",
             "supervised", "summary", "households", "persons", "reporter_id", "reported"),
        )  # fmt: skip
        if code:
            props["division_code"] = code
        nodes: list[tuple[NodeKey, dict[str, Any], str]] = [((L.CASE, cid), props, "case_id")]
        if self._offer(row, nodes):
            self._accept(row, nodes)

    def _visits(self, row: ParsedRow) -> None:
        v = row.values
        pid, hid, day = v["person_id"], v["household_id"], v["date"]
        self._need(row, L.HOUSEHOLD, hid, "household_id")
        self._need(row, L.PERSON, pid, "person_id")
        name = self.value(L.PERSON, pid, "name")
        if "name" in v and name and name != v["name"]:
            row.problem("name", f"person {pid} is {name}, not {v['name']}")
        known = self.visits.get((pid, hid, day))
        if known and known[0] != v.get("purpose"):
            row.problem("purpose", f"the same visit is on row {known[1].number} "
                        f"with 走访事由 {known[0]!r}")  # fmt: skip
        if not row.ok:
            return
        self.visits[(pid, hid, day)] = (v.get("purpose"), row)
        self.records[id(row)] = [("rel", R.VISITED, pid, hid, day)]

    # -- the plan ------------------------------------------------------------------
    def plan(self) -> ImportPlan:
        self._load_stored()
        handlers = {
            Kind.WORKERS: self._workers,
            Kind.HOUSEHOLDS: self._households,
            Kind.LINKS: self._links,
            Kind.CASES: self._cases,
            Kind.VISITS: self._visits,
        }
        for kind in Kind:
            for row in self.rows:
                if row.sheet.kind.kind is kind and row.ok:
                    handlers[kind](row)
        return self._diff()

    def _diff(self) -> ImportPlan:
        b = GraphBuilder()
        plan = ImportPlan(writes=GraphTables(), rows=self.rows)
        status: dict[Record, str] = {}

        def mark(what: str, record: Record, how: str, *, count: bool = True) -> None:
            if status.get(record) != "new":
                status[record] = how
            if count:
                bucket = plan.created if how == "new" else plan.updated
                bucket[what] = bucket.get(what, 0) + 1

        # nodes: what the store holds, overlaid with what the files say
        households = {i for (label, i) in self.facts.values if label is L.HOUSEHOLD}
        names = {label: node_spec(label).prop_names for label in Label}
        for (label, ident), props in self.facts.values.items():
            stored = self.stored[label].get(ident)
            row: dict[str, Any] = dict.fromkeys(names[label])
            row.update(stored or {})
            row["id"] = ident
            for name, value in props.items():
                if name in row:
                    row[name] = value
            for name, value in self.facts.defaults.get((label, ident), {}).items():
                if row.get(name) is None:
                    row[name] = value
            if label is L.HOUSEHOLD and stored is None:
                if row["size"] is None:
                    row["size"] = self.member_count.get(ident, 0)
                if row["tags"] is None:
                    row["tags"] = []
            if stored is None or any(_norm(v) != _norm(stored.get(k)) for k, v in row.items()):
                b.node(label, **row)
                mark(str(label), ("node", label, ident), "new" if stored is None else "updated")

        self._admin(b, mark)
        self._structure(b, mark, households)
        self._periods(b, mark)
        plan.writes = b.build()
        for parsed in self.rows:
            if parsed.ok:
                # new when what the row is about is new; updated when anything it says changed
                records = self.records.get(id(parsed), [])
                found = {status.get(r, "unchanged") for r in records}
                if records and status.get(records[0]) == "new":
                    plan.status[id(parsed)] = "new"
                else:
                    plan.status[id(parsed)] = "updated" if found - {"unchanged"} else "unchanged"
        return plan

    def _admin(self, b: GraphBuilder, mark: Any) -> None:
        codes = {
            props["division_code"]
            for (label, _), props in self.facts.values.items()
            if props.get("division_code") and label is not L.PERSON
        }
        chain: dict[str, Any] = {}
        for code in codes:
            for d in self.divisions.chain(code):
                chain[d.code] = d
        by_label: dict[Label, list[str]] = defaultdict(list)
        for code in chain:
            by_label[_LEVEL_LABEL[len(code)]].append(code)
        for label, ids in sorted(by_label.items()):
            stored = {r["id"] for r in self.backend.fetch_nodes(label, sorted(ids)).to_pylist()}
            for code in sorted(set(ids) - stored):
                d = chain[code]
                b.node(label, id=code, code=pad_code(code), name=d.name, kind=d.kind)
                mark(str(label), ("node", label, code), "new")
            if label is L.PROVINCE:
                continue
            up = {c: chain[c].parent for c in ids}
            have = self.backend.fetch_relationships(
                R.PART_OF, label, _LEVEL_LABEL[len(next(iter(up.values())) or "")], sorted(ids)
            )
            linked = set(have.column("source").to_pylist())
            for code in sorted(set(ids) - linked):
                parent = up[code]
                assert parent is not None
                b.rel(R.PART_OF, (label, code), (_LEVEL_LABEL[len(parent)], parent))
                mark("PART_OF", ("rel", R.PART_OF, code, parent), "new")

    def _simple(
        self,
        b: GraphBuilder,
        mark: Any,
        rel: Rel,
        source: Label,
        target: Label,
        wanted: dict[tuple[Any, ...], dict[str, Any]],
    ) -> None:
        """Relationships identified by (source, target, key…): write the new and the changed."""
        if not wanted:
            return
        sources = sorted({k[0] for k in wanted})
        have = {}
        for r in self.backend.fetch_relationships(rel, source, target, sources).to_pylist():
            have[_rel_key(rel, r)] = r
        names = rel_spec(rel).key
        what = str(rel)
        for key, props in wanted.items():
            old = have.get(key)
            row = {**dict(zip(names, key[2:], strict=True)), **props}
            if old is None or any(_norm(old.get(k)) != _norm(v) for k, v in row.items()):
                b.rel(rel, (source, key[0]), (target, key[1]), **row)
                mark(what, ("rel", rel, *key), "new" if old is None else "updated")

    def _structure(self, b: GraphBuilder, mark: Any, households: set[str]) -> None:
        vals = self.facts.values
        located: dict[tuple[Any, ...], dict[str, Any]] = {
            (h, self.value(L.HOUSEHOLD, h, "division_code")): {}
            for h in sorted(households)
            if self.value(L.HOUSEHOLD, h, "division_code")
        }
        self._simple(b, mark, R.LOCATED_IN, L.HOUSEHOLD, L.VILLAGE, located)
        grid_in: dict[Label, dict[tuple[Any, ...], dict[str, Any]]] = defaultdict(dict)
        sub: dict[tuple[Any, ...], dict[str, Any]] = {}
        for (label, gid), props in vals.items():
            if label is not L.GRID:
                continue
            code = props.get("division_code")
            if code:
                grid_in[L.VILLAGE if len(code) == 12 else L.TOWNSHIP][(gid, code)] = {}
            if props.get("parent"):
                sub[(gid, props["parent"])] = {}
        for target, wanted in grid_in.items():
            self._simple(b, mark, R.GRID_IN, L.GRID, target, wanted)
        self._simple(b, mark, R.SUBGRID_OF, L.GRID, L.GRID, sub)
        members = {(p, h): {"relation": rel} for (p, h), (rel, _) in self.members.items()}
        self._simple(b, mark, R.MEMBER_OF, L.PERSON, L.HOUSEHOLD, members)
        concerns: dict[tuple[Any, ...], dict[str, Any]] = {}
        involved: dict[tuple[Any, ...], dict[str, Any]] = {}
        reported: dict[tuple[Any, ...], dict[str, Any]] = {}
        for (label, cid), props in vals.items():
            if label is not L.CASE:
                continue
            for hid in props.get("households", ()):
                concerns[(cid, hid)] = {}
            for pid in props.get("persons", ()):
                involved[(cid, pid)] = {}
            if props.get("reporter_id"):
                reported[(cid, props["reporter_id"])] = {"date": props.get("reported")}
        self._simple(b, mark, R.CONCERNS, L.CASE, L.HOUSEHOLD, concerns)
        self._simple(b, mark, R.CONCERNS, L.CASE, L.PERSON, involved)
        self._simple(b, mark, R.REPORTED_BY, L.CASE, L.PERSON, reported)
        visits = {
            (p, h, d): {"purpose": purpose} for (p, h, d), (purpose, _) in self.visits.items()
        }
        self._simple(b, mark, R.VISITED, L.PERSON, L.HOUSEHOLD, visits)

    def _periods(self, b: GraphBuilder, mark: Any) -> None:
        in_grid: dict[str, list[dict[str, Any]]] = {}
        for (label, hid), props in self.facts.values.items():
            if label is L.HOUSEHOLD and props.get("grid_id"):
                in_grid[hid] = [
                    {"target": props["grid_id"], "valid_from": props.get("grid_since"),
                     "valid_to": None}
                ]  # fmt: skip
        self._period(b, mark, R.IN_GRID, L.HOUSEHOLD, L.GRID, in_grid)
        for rel in ROLE_REL.values():
            wanted = {p: posts for (p, r), posts in self.posts.items() if r is rel}
            self._period(b, mark, rel, L.PERSON, L.GRID, wanted)
        self._period(b, mark, R.LINKS_HOUSEHOLD, L.PERSON, L.HOUSEHOLD, dict(self.links))

    def _period(
        self,
        b: GraphBuilder,
        mark: Any,
        rel: Rel,
        source: Label,
        target: Label,
        wanted: dict[str, list[dict[str, Any]]],
    ) -> None:
        """Links with validity periods: for each source the files list its memberships;
        open the new ones, update the known ones, close the stored ones the files no
        longer list on the day before the latest new one starts."""
        if not wanted:
            return
        have: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in self.backend.fetch_relationships(rel, source, target, sorted(wanted)).to_pylist():
            have[r["source"]].append(r)
        for src in sorted(wanted):
            stored = have.get(src, [])
            writes: dict[tuple[str, dt.date], tuple[dict[str, Any], dict[str, Any] | None]] = {}
            starts: list[dt.date] = []
            current: set[str] = set()
            for want in wanted[src]:
                tgt = want["target"]
                same = [e for e in stored if e["target"] == tgt]
                match = next((e for e in same if e["valid_from"] == want["valid_from"]), None)
                if match is None and want["valid_from"] is None:
                    match = next((e for e in same if e["valid_to"] is None), None)
                if match is None and want["valid_to"] is None:
                    match = next((e for e in same if e["valid_to"] is None), None)
                start = want["valid_from"] or (match["valid_from"] if match else self.today)
                row = {**(match or {}), **{k: v for k, v in want.items() if k != "valid_from"}}
                row.update(
                    source=src, target=tgt, valid_from=match["valid_from"] if match else start
                )
                if "employment" in row and row["employment"] is None and match:
                    row["employment"] = match.get("employment")
                writes[(tgt, row["valid_from"])] = (row, match)
                if want["valid_to"] is None:
                    current.add(tgt)
                    starts.append(start)
            close = (max(starts) if starts else self.today) - dt.timedelta(days=1)
            closed = set()
            for e in stored:
                key = (e["target"], e["valid_from"])
                if e["valid_to"] is None and e["target"] not in current and key not in writes:
                    writes[key] = ({**e, "valid_to": max(e["valid_from"], close)}, e)
                    closed.add(key)
            for key, (row, old) in sorted(writes.items(), key=lambda kv: str(kv[0])):
                if old is not None and all(_norm(old.get(k)) == _norm(v) for k, v in row.items()):
                    continue
                b.rel(rel, (source, src), (target, key[0]), **_strip(row))
                # one membership is what one row lists; a closed one is listed by no row, so
                # it marks every row of its source (their set of memberships changed)
                mark(str(rel), ("period", rel, src, key[0]), "new" if old is None else "updated")
                if key in closed:
                    mark(str(rel), ("period", rel, src), "updated", count=False)


def _rel_key(rel: Rel, row: dict[str, Any]) -> tuple[Any, ...]:
    return (row["source"], row["target"], *(row[k] for k in rel_spec(rel).key))


def _strip(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in ("source", "target")}


def _show(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "、".join(value) or "''"
    return repr(value)


def plan_import(
    backend: GraphBackend,
    rows: list[ParsedRow],
    today: dt.date,
    divisions: Divisions | None = None,
    *,
    area: str = "",
) -> ImportPlan:
    """Check ``rows`` against each other and the store; return the writes and the refused
    rows. ``area`` (a division code) is where places written by name are looked up."""
    return _Planner(backend, rows, today, divisions or load_divisions(), area).plan()
