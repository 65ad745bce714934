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
from typing import Any

from ...backends.base import GraphBackend
from ...schema.model import Label, Rel, node_spec, rel_spec
from ..divisions import Divisions, load_divisions, pad_code
from ..graph import GraphBuilder, GraphTables
from .columns import Kind
from .plan_network import _NetworkRows
from .plan_rows import (
    _HOUSEHOLD_PERSON,
    _LEVEL_LABEL,
    _PAIR_ENDS,
    _PERIOD_PAIRS,
    _PERSON,
    ROLE_REL,
    ImportPlan,
    NodeKey,
    Record,
    _norm,
    _pick,
)
from .validate import ParsedRow

__all__ = ["ROLE_REL", "ImportPlan", "plan_import"]

#: what the files say of each node, by label and id
_ByLabel = dict[Label, dict[str, dict[str, Any]]]
#: what a household's row says of the household (besides its village)
_HOUSEHOLD = ("address", "size", "tags", "grid_id", "grid_since")
#: the cells of a household row that say something of the household
_HOUSEHOLD_CELLS = ("village_code", "township", *_HOUSEHOLD)

L, R = Label, Rel


class _Planner(_NetworkRows):
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

    #: the last household row taken: what it said of its household, and what that gave
    _last_household: tuple[tuple[Any, ...], str | None, dict[str, Any]] | None = None

    def _households(self, row: ParsedRow) -> None:
        v = row.values
        hid = v["household_id"]
        said = (hid, *map(v.get, _HOUSEHOLD_CELLS))
        last, self._last_household = self._last_household, None
        # a household's members come row after row, its cells repeated: a row that says of
        # it just what the row before said, and that row was taken, passes the same checks
        if last is not None and last[0] == said:
            code, hprops, checked = last[1], last[2], True
        else:
            (code, hprops), checked = self._household(row, hid), False
        nodes: list[tuple[NodeKey, dict[str, Any], str]] = [
            ((L.HOUSEHOLD, hid), hprops, "household_id")
        ]
        pid = v.get("person_id")
        if pid:
            pprops = _pick(v, _HOUSEHOLD_PERSON)
            if "party_member" in v:
                pprops["party_member"] = v["party_member"] == "true"
            nodes.append(((L.PERSON, pid), pprops, "person_id"))
            listed = self.members.get((pid, hid))
            if listed and listed[0] != v.get("relation"):
                row.problem("relation", f"person {pid} is listed in household {hid} on row "
                            f"{listed[1].number} as {listed[0]}")  # fmt: skip
        # checked: the household agrees with what the row before it said, so only the person
        if not self._offer(row, nodes[1:] if checked else nodes):
            return
        self._accept(row, nodes)
        self._last_household = (said, code, hprops)
        records = self.records[id(row)]
        if pid:
            if (pid, hid) not in self.members:
                self.member_count[hid] += 1
            self.members[(pid, hid)] = (v.get("relation"), row)
            records.append(("rel", R.MEMBER_OF, pid, hid))
            if code:
                self.facts.defaults[(L.PERSON, pid)]["division_code"] = code
        if "grid_id" in v:
            records += [("period", R.IN_GRID, hid, v["grid_id"]), ("period", R.IN_GRID, hid)]

    def _household(self, row: ParsedRow, hid: str) -> tuple[str | None, dict[str, Any]]:
        """What a household row says of its household: its village's code and its properties
        (problems with them recorded on the row)."""
        v = row.values
        code = self._division(row, "village_code", (12,))
        if "grid_id" in v:
            self._need(row, L.GRID, v["grid_id"], "grid_id")
        stored = self.stored[L.HOUSEHOLD].get(hid)
        stored_code = stored.get("division_code") if stored else None
        if code and stored_code and stored_code != code:
            row.problem("village_code", f"household {hid} is stored under {stored_code}; moving a "
                        "household to another village is not supported by import")  # fmt: skip
        hprops = _pick(v, _HOUSEHOLD)
        if code:
            hprops["division_code"] = code
        return code, hprops

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
            Kind.CENTERS: self._centers,
            Kind.DEPARTMENTS: self._departments,
            Kind.STATIONS: self._stations,
            Kind.GRID_HISTORY: self._grid_history,
            Kind.PARTY_ORGS: self._party_orgs,
            Kind.PARTY_MEMBERS: self._party_members,
            Kind.LEADERS: self._leaders,
            Kind.CASE_FLOW: self._case_flow,
            Kind.WORKERS: self._workers,
            Kind.HOUSEHOLDS: self._households,
            Kind.LINKS: self._links,
            Kind.CASES: self._cases,
            Kind.VISITS: self._visits,
        }
        by_kind: dict[Kind, list[ParsedRow]] = defaultdict(list)
        for row in self.rows:
            by_kind[row.sheet.kind.kind].append(row)
        for kind in Kind:
            handle = handlers[kind]
            for row in by_kind[kind]:
                if not row.problems:
                    handle(row)
        return self._diff()

    def _diff(self) -> ImportPlan:
        b = GraphBuilder()
        plan = ImportPlan(writes=GraphTables(), rows=self.rows)
        mark = _Marks(plan)
        status = mark.status

        # nodes: what the store holds, overlaid with what the files say
        blank = {label: dict.fromkeys(node_spec(label).prop_names) for label in Label}
        defaults = self.facts.defaults
        fresh: dict[Label, list[tuple[str, dict[str, Any], dict[str, Any] | None]]]
        fresh = defaultdict(list)
        #: what the files say of each node, by label (the passes below each need one label)
        facts: _ByLabel = defaultdict(dict)
        for (label, ident), props in self.facts.values.items():
            facts[label][ident] = props
            stored = self.stored[label].get(ident)
            if stored is None:  # made below, a column at a time
                fresh[label].append((ident, props, defaults.get((label, ident))))
                continue
            row = {**blank[label], **stored}
            row["id"] = ident
            for name, value in props.items():
                if name in row:
                    row[name] = value
            extra = defaults.get((label, ident))
            if extra:
                for name, value in extra.items():
                    if row.get(name) is None:
                        row[name] = value
            if any(_norm(v) != _norm(stored.get(k)) for k, v in row.items()):
                b.node_row(label, row)
                mark(str(label), ("node", label, ident), "updated")
        for label, nodes in fresh.items():
            b.node_table(label, self._fresh_columns(label, nodes))
            mark.new(str(label), [("node", label, ident) for ident, _, _ in nodes])

        self._admin(b, mark, facts)
        self._structure(b, mark, facts)
        self._periods(b, mark, facts[L.HOUSEHOLD])
        plan.writes = b.build()
        rows, said = plan.status, self.records
        for key in [id(parsed) for parsed in self.rows if not parsed.problems]:
            # new when what the row is about is new; updated when anything it says changed
            records = said.get(key, ())
            if records and status.get(records[0]) == "new":
                rows[key] = "new"
            elif any(r in status for r in records):
                rows[key] = "updated"
            else:
                rows[key] = "unchanged"
        return plan

    def _fresh_columns(
        self, label: Label, nodes: list[tuple[str, dict[str, Any], dict[str, Any] | None]]
    ) -> dict[str, list[Any]]:
        """New nodes (id, what the files say, defaults) as columns: each property as the files
        give it, else its default; a new household's size counts its members."""
        names = [name for name in node_spec(label).prop_names if name != "id"]
        at = {name: i for i, name in enumerate(names)}
        rows = [list(map(props.get, names)) for _, props, _ in nodes]  # a node at a time
        for row, (_, _, extra) in zip(rows, nodes, strict=True):
            if extra:
                for name, value in extra.items():
                    i = at.get(name)
                    if i is not None and row[i] is None:
                        row[i] = value
        columns: dict[str, list[Any]] = {"id": [ident for ident, _, _ in nodes]}
        columns.update(zip(names, map(list, zip(*rows, strict=True)), strict=True))
        if label is L.HOUSEHOLD:
            count, ids = self.member_count, columns["id"]
            columns["size"] = [count.get(i, 0) if n is None else n
                               for i, n in zip(ids, columns["size"], strict=True)]  # fmt: skip
            columns["tags"] = [[] if t is None else t for t in columns["tags"]]
        return columns

    def _admin(self, b: GraphBuilder, mark: Any, facts: _ByLabel) -> None:
        codes = {
            props["division_code"]
            for label, nodes in facts.items()
            if label is not L.PERSON
            for props in nodes.values()
            if props.get("division_code")
        } | self.places
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
        sources = self.in_store(source, {k[0] for k in wanted})
        have = {}
        for r in self.backend.fetch_relationships(rel, source, target, sources).to_pylist():
            have[_rel_key(rel, r)] = r
        names = rel_spec(rel).key
        what = str(rel)
        # none stored for these sources (a first import): all new, nothing to compare
        fresh: list[tuple[Any, ...]] = [] if have else list(wanted)
        for key, props in wanted.items() if have else ():
            old = have.get(key)
            if old is None:
                fresh.append(key)
                continue
            row = {"source": key[0], "target": key[1], **dict(zip(names, key[2:], strict=True)),
                   **props}  # fmt: skip
            if any(_norm(old.get(k)) != _norm(v) for k, v in row.items()):
                b.rel_row((rel, source, target), row)
                mark(what, ("rel", rel, *key), "updated")
        if fresh:
            ends = map(list, zip(*fresh, strict=True))
            columns = dict(zip(("source", "target", *names), ends, strict=True))
            known = rel_spec(rel).prop_names
            # every property any of them is given (each a column; None where one is not)
            given = set().union(*map(wanted.__getitem__, fresh)) & set(known)
            for name in sorted(given):
                columns[name] = [wanted[key].get(name) for key in fresh]
            b.rel_table(rel, source, target, columns)
            mark.new(what, [("rel", rel, *key) for key in fresh])

    def _structure(self, b: GraphBuilder, mark: Any, facts: _ByLabel) -> None:
        located: dict[tuple[Any, ...], dict[str, Any]] = {}
        for h in sorted(facts[L.HOUSEHOLD]):
            code = self.value(L.HOUSEHOLD, h, "division_code")
            if code:
                located[(h, code)] = {}
        self._simple(b, mark, R.LOCATED_IN, L.HOUSEHOLD, L.VILLAGE, located)
        grid_in: dict[Label, dict[tuple[Any, ...], dict[str, Any]]] = defaultdict(dict)
        sub: dict[tuple[Any, ...], dict[str, Any]] = {}
        for gid, props in facts[L.GRID].items():
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
        for cid, props in facts[L.CASE].items():
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
        self._network(b, mark)

    def _network(self, b: GraphBuilder, mark: Any) -> None:
        """The relationships of the network ledgers, each identified by its two ends."""
        grouped: dict[tuple[Rel, Label, Label], dict[tuple[Any, ...], dict[str, Any]]]
        grouped = defaultdict(dict)
        for (rel, source, target, _), (props, _) in self.pairs.items():
            if rel in _PERIOD_PAIRS:
                continue  # with the other periods
            props = dict(props)
            ends = _PAIR_ENDS[rel]
            if rel is R.PARTY_COVERS:
                to = props.pop("label")
            elif rel is R.CENTER_SERVES:
                to = _LEVEL_LABEL[len(target)]
            else:
                to = ends[1]
            grouped[(rel, ends[0], to)][(source, target)] = props
        for (rel, source_label, target_label), wanted in sorted(grouped.items()):
            self._simple(b, mark, rel, source_label, target_label, wanted)

    def _periods(self, b: GraphBuilder, mark: Any, households: dict[str, dict[str, Any]]) -> None:
        in_grid: dict[str, list[dict[str, Any]]] = {}
        for hid, props in households.items():
            if props.get("grid_id"):
                in_grid[hid] = [
                    {"target": props["grid_id"], "valid_from": props.get("grid_since"),
                     "valid_to": None}
                ]  # fmt: skip
        keep_open = set()
        for hid, past in self.history.items():
            if hid not in in_grid:
                keep_open.add(hid)  # the files say nothing of its current grid
            in_grid.setdefault(hid, []).extend(past)
        self._period(b, mark, R.IN_GRID, L.HOUSEHOLD, L.GRID, in_grid, keep_open)
        for label in (L.TOWNSHIP, L.VILLAGE):
            wanted = {p: leads for (p, to), leads in self.leads.items() if to is label}
            self._period(b, mark, R.LEADER_OF, L.PERSON, label, wanted)
        for rel, explicit in _PERIOD_PAIRS.items():
            listed: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for (kind, source, target, when), (props, _) in self.pairs.items():
                if kind is rel:
                    listed[source].append({"target": target, "valid_to": None, **props,
                                           "valid_from": when})  # fmt: skip
            ends = _PAIR_ENDS[rel]
            # a station or a secretary's post ends only on its own end date; a member's new
            # organisation closes the one before
            keep = set(listed) if explicit else set()
            self._period(b, mark, rel, ends[0], ends[1], dict(listed), keep,
                         defaults={"flow": ""} if rel is R.PARTY_MEMBER_OF else None)  # fmt: skip
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
        keep_open: set[str] = frozenset(),  # type: ignore[assignment]
        defaults: dict[str, Any] | None = None,
    ) -> None:
        """Links with validity periods: for each source the files list its memberships;
        open the new ones, update the known ones, close the stored ones the files no
        longer list on the day before the latest new one starts (except for the sources in
        ``keep_open``, whose files list only past periods)."""
        if not wanted:
            return
        have: dict[str, list[dict[str, Any]]] = defaultdict(list)
        sources = self.in_store(source, wanted)
        for r in self.backend.fetch_relationships(rel, source, target, sources).to_pylist():
            have[r["source"]].append(r)
        table, what = (rel, source, target), str(rel)
        fresh: list[Record] = []  # marked new at the end, as if one by one
        for src in sorted(wanted):
            if src not in have and len(wanted[src]) == 1:  # one membership, none stored: open it
                want = wanted[src][0]
                row = {**want, "source": src, "valid_from": want["valid_from"] or self.today}
                if defaults:
                    _fill_blanks(row, want, None, defaults)
                b.rel_row(table, row)
                fresh.append(("period", rel, src, want["target"]))
                continue
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
                _fill_blanks(row, want, match, defaults)
                writes[(tgt, row["valid_from"])] = (row, match)
                if want["valid_to"] is None:
                    current.add(tgt)
                    if start is not None:  # none: a link from before periods were kept
                        starts.append(start)
            close = (max(starts) if starts else self.today) - dt.timedelta(days=1)
            closed = set()
            for e in stored if src not in keep_open else ():
                key = (e["target"], e["valid_from"])
                if e["valid_to"] is None and e["target"] not in current and key not in writes:
                    end = close if e["valid_from"] is None else max(e["valid_from"], close)
                    writes[key] = ({**e, "valid_to": end}, e)
                    closed.add(key)
            items = writes.items() if len(writes) == 1 else sorted(writes.items(), key=_by_str)
            for key, (row, old) in items:
                if old is None:
                    b.rel_row(table, row)  # a row holds its source and target
                    fresh.append(("period", rel, src, key[0]))
                    continue
                if all(_norm(old.get(k)) == _norm(v) for k, v in row.items()):
                    continue
                b.rel_row(table, row)
                # one membership is what one row lists; a closed one is listed by no row, so
                # it marks every row of its source (their set of memberships changed)
                mark(what, ("period", rel, src, key[0]), "updated")
                if key in closed:
                    mark(what, ("period", rel, src), "updated", count=False)
        mark.new(what, fresh)


class _Marks:
    """What the plan writes, record by record (``new`` or ``updated``), and the counts."""

    def __init__(self, plan: ImportPlan) -> None:
        self.plan = plan
        self.status: dict[Record, str] = {}

    def __call__(self, what: str, record: Record, how: str, *, count: bool = True) -> None:
        if self.status.get(record) != "new":
            self.status[record] = how
        if count:
            bucket = self.plan.created if how == "new" else self.plan.updated
            bucket[what] = bucket.get(what, 0) + 1

    def new(self, what: str, records: list[Record]) -> None:
        """Each of ``records`` new (as a call each, at once)."""
        if records:
            self.status.update(dict.fromkeys(records, "new"))
            self.plan.created[what] = self.plan.created.get(what, 0) + len(records)


def _fill_blanks(
    row: dict[str, Any],
    want: dict[str, Any],
    match: dict[str, Any] | None,
    defaults: dict[str, Any] | None,
) -> None:
    """A membership's properties the files leave blank keep what the store holds (``match``),
    else take the default, for a new one."""
    for name in want.keys() - {"target", "valid_from", "valid_to"}:
        if row[name] is None:
            row[name] = (match or {}).get(name) or (defaults or {}).get(name)


def _rel_key(rel: Rel, row: dict[str, Any]) -> tuple[Any, ...]:
    return (row["source"], row["target"], *(row[k] for k in rel_spec(rel).key))


def _by_str(item: tuple[Any, Any]) -> str:
    return str(item[0])


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
