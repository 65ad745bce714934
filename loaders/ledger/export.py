"""The store → the five ledgers of an area, in the layout ``govgraph import`` reads back.

Exports write what holds now: a household's current grid, and every period of
posts and party links (ended ones with their end dates). ID numbers and phones are
written masked, as the store holds them, unless ``unmasked`` (then opened with the store's
key; only such files can be imported back).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ...backends.base import GraphBackend
from ...privacy import mask_person
from ...schema.model import CenterTier, Label, Rel
from ..divisions import pad_code
from .columns import VOCABULARIES, Kind, Parse, kind_spec
from .plan import ROLE_REL
from .write import write_ledger

__all__ = ["export_ledgers", "write_templates"]

L, R = Label, Rel
_ROLE_OF = {rel: role for role, rel in ROLE_REL.items()}


def _text(value: Any, parse: Parse = Parse.TEXT, vocab: str = "") -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if parse is Parse.BOOL:
        return "是" if value else "否"
    if parse is Parse.CODE:
        return pad_code(str(value))
    if parse is Parse.VOCAB_LIST:
        written = VOCABULARIES[vocab][1]
        return "、".join(written.get(v, v) for v in sorted(value))
    if parse is Parse.ID_LIST:
        return "、".join(sorted(value))
    if parse is Parse.CODE_LIST:
        return "、".join(sorted(pad_code(v) for v in value))
    if parse is Parse.VOCAB:
        return VOCABULARIES[vocab][1].get(str(value), str(value))
    return str(value)


def _rows(kind: Kind, records: list[dict[str, Any]]) -> list[list[str]]:
    columns = kind_spec(kind).columns
    return [[_text(r.get(c.key), c.parse, c.vocab) for c in columns] for r in records]


def _person_fields(p: dict[str, Any] | None) -> dict[str, Any]:
    return {} if p is None else {k: p.get(k) for k in ("name", "gender", "id_number", "phone")}


def export_ledgers(
    backend: GraphBackend,
    area: str,
    directory: str | Path,
    *,
    fmt: str = "csv",
    unmasked: bool = False,
    audit: Callable[[list[str]], None] | None = None,
) -> dict[Kind, Path]:
    """Write the area's five ledgers into ``directory``; returns the path of each. ID numbers
    and phones are masked unless ``unmasked`` (which needs the store's key); then ``audit``
    is given the ids of the people shown in full before any file is written."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    households = backend.nodes_in_area(L.HOUSEHOLD, area).to_pylist()
    grids = backend.nodes_in_area(L.GRID, area).to_pylist()
    cases = backend.nodes_in_area(L.CASE, area).to_pylist()
    hids = [h["id"] for h in households]

    def rels(rel: Rel, source: Label, target: Label, ids: list[str], by_target: bool = False
             ) -> list[dict[str, Any]]:  # fmt: skip
        return backend.fetch_relationships(
            rel, source, target, ids, by_target=by_target
        ).to_pylist()

    # a village's grids may sit under a township-level grid: the roster carries those too
    parent: dict[str, str] = {}
    todo = [g["id"] for g in grids]
    while todo:
        found = {r["source"]: r["target"] for r in rels(R.SUBGRID_OF, L.GRID, L.GRID, todo)}
        parent.update(found)
        known = {g["id"] for g in grids}
        todo = sorted(set(found.values()) - known)
        grids += backend.fetch_nodes(L.GRID, todo).to_pylist()
    grids.sort(key=lambda g: g["id"])
    gids = [g["id"] for g in grids]

    members = rels(R.MEMBER_OF, L.PERSON, L.HOUSEHOLD, hids, True)
    posts = {rel: rels(rel, L.PERSON, L.GRID, gids, True) for rel in ROLE_REL.values()}
    links = rels(R.LINKS_HOUSEHOLD, L.PERSON, L.HOUSEHOLD, hids, True)
    visits = rels(R.VISITED, L.PERSON, L.HOUSEHOLD, hids, True)
    network = _Network(backend, area, [c["id"] for c in cases])
    person_ids = {r["source"] for r in members + links + visits + network.people}
    person_ids |= {r["source"] for rs in posts.values() for r in rs}
    stored = backend.fetch_nodes(L.PERSON, sorted(person_ids)).to_pylist()
    shown = backend.reveal(stored, person="id") if unmasked else [mask_person(p) for p in stored]
    if unmasked and audit is not None:
        audit(sorted(person_ids))
    people = {p["id"]: p for p in shown}
    paths: dict[Kind, Path] = {}
    suffix = f".{fmt}"

    # 网格员名册
    records: list[dict[str, Any]] = []
    by_grid: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for rel, rs in posts.items():
        for r in rs:
            by_grid[r["target"]].append({**r, "role": _ROLE_OF[rel]})
    for g in grids:
        base = {"grid_id": g["id"], "grid_name": g["name"], "grid_division": g["division_code"],
                "grid_level": g["level"], "parent_grid": parent.get(g["id"])}  # fmt: skip
        held = sorted(by_grid.get(g["id"], []), key=lambda r: (r["source"], r["role"],
                                                                 r["valid_from"]))  # fmt: skip
        if not held:
            records.append(base)
        for r in held:
            person = _person_fields(people.get(r["source"]))
            records.append({**base, **person, "person_id": r["source"], "role": r["role"],
                            "employment": r.get("employment"), "valid_from": r["valid_from"],
                            "valid_to": r["valid_to"]})  # fmt: skip
    paths[Kind.WORKERS] = write_ledger(out / f"workers{suffix}", kind_spec(Kind.WORKERS),
                                       _rows(Kind.WORKERS, records))  # fmt: skip

    # 户情台账, and 网格变更记录 for the grids households were in before
    current: dict[str, dict[str, Any]] = {}
    past: list[dict[str, Any]] = []
    for r in rels(R.IN_GRID, L.HOUSEHOLD, L.GRID, hids):
        now = current.get(r["source"])
        if r["valid_to"] is not None:
            past.append(r)
        elif now is None or r["valid_from"] > now["valid_from"]:
            current[r["source"]] = r
    records = [
        {"household_id": r["source"], "grid_id": r["target"], "valid_from": r["valid_from"],
         "valid_to": r["valid_to"]}
        for r in sorted(past, key=lambda r: (r["source"], r["valid_from"], r["target"]))
    ]  # fmt: skip
    paths[Kind.GRID_HISTORY] = _write(out, Kind.GRID_HISTORY, suffix, records)
    by_household: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in members:
        by_household[r["target"]].append(r)
    records = []
    for h in households:
        grid = current.get(h["id"])
        base = {"household_id": h["id"], "village_code": h["division_code"],
                "grid_id": grid["target"] if grid else None,
                "grid_since": grid["valid_from"] if grid else None,
                "address": h["address"], "size": h["size"], "tags": h["tags"] or []}  # fmt: skip
        held = sorted(by_household.get(h["id"], []), key=lambda r: r["source"])
        if not held:
            records.append(base)
        for r in held:
            p = people.get(r["source"], {})
            party = p.get("party_member")
            records.append({**base, **_person_fields(p), "person_id": r["source"],
                            "relation": r["relation"], "birth_year": p.get("birth_year"),
                            "party_member": None if party is None else str(bool(party)).lower(),
                            "occupation": p.get("occupation")})  # fmt: skip
    paths[Kind.HOUSEHOLDS] = write_ledger(out / f"households{suffix}",
                                          kind_spec(Kind.HOUSEHOLDS),
                                          _rows(Kind.HOUSEHOLDS, records))  # fmt: skip

    # 党员联系户
    records = [
        {**_person_fields(people.get(r["source"])), "person_id": r["source"],
         "household_id": r["target"], "valid_from": r["valid_from"], "valid_to": r["valid_to"]}
        for r in sorted(links, key=lambda r: (r["source"], r["target"], r["valid_from"]))
    ]  # fmt: skip
    paths[Kind.LINKS] = write_ledger(out / f"links{suffix}", kind_spec(Kind.LINKS),
                                     _rows(Kind.LINKS, records))  # fmt: skip

    # 矛盾纠纷台账
    cids = [c["id"] for c in cases]
    concerns: dict[str, list[str]] = defaultdict(list)
    for r in rels(R.CONCERNS, L.CASE, L.HOUSEHOLD, cids):
        concerns[r["source"]].append(r["target"])
    involved: dict[str, list[str]] = defaultdict(list)
    for r in rels(R.CONCERNS, L.CASE, L.PERSON, cids):
        involved[r["source"]].append(r["target"])
    reporter = {r["source"]: r for r in rels(R.REPORTED_BY, L.CASE, L.PERSON, cids)}
    records = []
    for c in cases:
        rep = reporter.get(c["id"])
        records.append({**c, "case_id": c["id"], "village_code": c["division_code"],
                        "households": concerns.get(c["id"], []),
                        "persons": involved.get(c["id"], []),
                        "reporter_id": rep["target"] if rep else None,
                        "reported": rep["date"] if rep else None})  # fmt: skip
    paths[Kind.CASES] = write_ledger(out / f"cases{suffix}", kind_spec(Kind.CASES),
                                     _rows(Kind.CASES, records))  # fmt: skip

    # 走访记录
    records = [
        {"person_id": r["source"], "name": people.get(r["source"], {}).get("name"),
         "household_id": r["target"], "date": r["date"], "purpose": r["purpose"]}
        for r in sorted(visits, key=lambda r: (r["target"], r["date"], r["source"]))
    ]  # fmt: skip
    paths[Kind.VISITS] = write_ledger(out / f"visits{suffix}", kind_spec(Kind.VISITS),
                                      _rows(Kind.VISITS, records))  # fmt: skip
    for kind, listed in network.records(people).items():
        paths[kind] = _write(out, kind, suffix, listed)
    return {kind: paths[kind] for kind in Kind if kind in paths}


def _write(out: Path, kind: Kind, suffix: str, records: list[dict[str, Any]]) -> Path:
    return write_ledger(out / f"{kind.value}{suffix}", kind_spec(kind), _rows(kind, records))


_TIER_RANK = {CenterTier.COUNTY.value: 0, CenterTier.TOWNSHIP.value: 1, CenterTier.VILLAGE.value: 2}
_TIER_OF_WIDTH = {6: CenterTier.COUNTY.value, 9: CenterTier.TOWNSHIP.value}


class _Network:
    """The centers, departments, party organisations and leaders an area's questions reach:
    its own, and those above it that serve it (a township's county center, the county's
    departments stationed there, the party committees above its branches, the leaders
    linked to its townships and villages), with the path of each of its cases."""

    def __init__(self, backend: GraphBackend, area: str, case_ids: list[str]) -> None:
        self.backend = backend

        def rels(rel: Rel, source: Label, target: Label, ids: list[str], by_target: bool = False
                 ) -> list[dict[str, Any]]:  # fmt: skip
            return backend.fetch_relationships(
                rel, source, target, sorted(ids), by_target=by_target
            ).to_pylist()

        self.rels = rels
        units = {label: [n["id"] for n in backend.nodes_in_area(label, area).to_pylist()]
                 for label in (L.COUNTY, L.TOWNSHIP, L.VILLAGE)}  # fmt: skip
        # centers: in the area, serving a unit in it, or on one of its cases' paths; then
        # every center they report to
        self.escalations = rels(R.ESCALATED_TO, L.CASE, L.GOVERNANCE_CENTER, case_ids)
        self.assignments = rels(R.ASSIGNED_TO, L.CASE, L.DEPARTMENT, case_ids)
        center_ids = {n["id"] for n in backend.nodes_in_area(L.GOVERNANCE_CENTER, area).to_pylist()}
        for label, ids in units.items():
            center_ids |= {r["source"] for r in rels(R.CENTER_SERVES, L.GOVERNANCE_CENTER, label,
                                                       ids, True)}  # fmt: skip
        center_ids |= {r["target"] for r in self.escalations}
        self.reports = self._closure(R.REPORTS_TO, L.GOVERNANCE_CENTER, center_ids)
        center_ids |= set(self.reports.values())
        self.centers = backend.fetch_nodes(L.GOVERNANCE_CENTER, sorted(center_ids)).to_pylist()
        self.serves = self._targets(R.CENTER_SERVES, L.GOVERNANCE_CENTER,
                                    (L.COUNTY, L.TOWNSHIP, L.VILLAGE), center_ids)  # fmt: skip
        # departments stationed at those centers, or assigned to the area's cases
        self.stations = rels(R.STATIONED_AT, L.DEPARTMENT, L.GOVERNANCE_CENTER,
                             list(center_ids), True)  # fmt: skip
        department_ids = {r["source"] for r in self.stations}
        department_ids |= {r["target"] for r in self.assignments}
        self.departments = backend.fetch_nodes(L.DEPARTMENT, sorted(department_ids)).to_pylist()
        # party organisations in the area and those above them
        org_ids = {n["id"] for n in backend.nodes_in_area(L.PARTY_ORGANIZATION, area).to_pylist()}
        self.parent = self._closure(R.SUBORDINATE_TO, L.PARTY_ORGANIZATION, org_ids)
        org_ids |= set(self.parent.values())
        self.orgs = backend.fetch_nodes(L.PARTY_ORGANIZATION, sorted(org_ids)).to_pylist()
        self.covers = self._targets(R.PARTY_COVERS, L.PARTY_ORGANIZATION,
                                    (L.GRID, L.TOWNSHIP, L.VILLAGE), org_ids)  # fmt: skip
        self.party = [
            {**r, "post": "member"}
            for r in rels(R.PARTY_MEMBER_OF, L.PERSON, L.PARTY_ORGANIZATION, list(org_ids), True)
        ]
        self.party += [
            {**r, "post": "secretary", "flow": None}
            for r in rels(R.SECRETARY_OF, L.PERSON, L.PARTY_ORGANIZATION, list(org_ids), True)
        ]
        # leaders linked to the area's townships and villages, and to the township above it
        if len(area) > 9:
            units[L.TOWNSHIP].append(area[:9])
        self.leaders = [
            r
            for label in (L.TOWNSHIP, L.VILLAGE)
            for r in rels(R.LEADER_OF, L.PERSON, label, units[label], True)
        ]
        self.people = self.party + self.leaders  # fmt: skip

    def _targets(self, rel: Rel, source: Label, labels: tuple[Label, ...], ids: set[str]
                 ) -> dict[str, list[str]]:  # fmt: skip
        """Where ``rel`` leads from each of ``ids``, over every target label."""
        out: dict[str, list[str]] = defaultdict(list)
        for label in labels:
            for r in self.rels(rel, source, label, list(ids)):
                out[r["source"]].append(r["target"])
        return out

    def _closure(self, rel: Rel, label: Label, ids: set[str]) -> dict[str, str]:
        """Each node's parent along ``rel``, for ``ids`` and all their ancestors."""
        parent: dict[str, str] = {}
        todo = sorted(ids)
        while todo:
            found = {r["source"]: r["target"] for r in self.rels(rel, label, label, todo)}
            parent.update(found)
            todo = sorted(set(found.values()) - set(parent) - ids - set(todo))
            ids = ids | set(todo)
        return parent

    def records(self, people: dict[str, dict[str, Any]]) -> dict[Kind, list[dict[str, Any]]]:
        out: dict[Kind, list[dict[str, Any]]] = {}
        out[Kind.CENTERS] = [
            {"center_id": c["id"], "name": c["name"], "tier": c["tier"],
             "division": c["division_code"], "serves": self.serves.get(c["id"], []),
             "reports_to": self.reports.get(c["id"])}
            for c in sorted(self.centers, key=lambda c: (_TIER_RANK.get(c["tier"], 3), c["id"]))
        ]  # fmt: skip
        out[Kind.DEPARTMENTS] = [
            {"department_id": d["id"], "name": d["name"], "kind": d["kind"],
             "tier": _TIER_OF_WIDTH.get(len(d["division_code"] or "")),
             "division": d["division_code"]}
            for d in self.departments
        ]  # fmt: skip
        out[Kind.STATIONS] = [
            {"department_id": r["source"], "center_id": r["target"], "mode": r["mode"],
             "valid_from": r["valid_from"], "valid_to": r["valid_to"]}
            for r in sorted(self.stations,
                            key=lambda r: (r["source"], r["target"], str(r["valid_from"])))
        ]  # fmt: skip
        depth: dict[str, int] = {}

        def deep(oid: str) -> int:
            if oid not in depth:
                up = self.parent.get(oid)
                depth[oid] = 0 if up is None or up == oid else deep(up) + 1
            return depth[oid]

        out[Kind.PARTY_ORGS] = [
            {"org_id": o["id"], "name": o["name"], "kind": o["kind"],
             "division": o["division_code"], "parent": self.parent.get(o["id"]),
             "covers": self.covers.get(o["id"], [])}
            for o in sorted(self.orgs, key=lambda o: (deep(o["id"]), o["id"]))
        ]  # fmt: skip

        def person(pid: str) -> dict[str, Any]:
            p = people.get(pid, {})
            return {**_person_fields(p), "person_id": pid, "occupation": p.get("occupation")}

        out[Kind.PARTY_MEMBERS] = [
            {**person(r["source"]), "org_id": r["target"], "post": r["post"], "flow": r["flow"],
             "valid_from": r["valid_from"], "valid_to": r["valid_to"]}
            for r in sorted(self.party, key=lambda r: (r["target"], r["post"], r["source"],
                                                       str(r["valid_from"])))
        ]  # fmt: skip
        out[Kind.LEADERS] = [
            {**person(r["source"]), "target": r["target"], "valid_from": r["valid_from"],
             "valid_to": r["valid_to"]}
            for r in sorted(self.leaders,
                            key=lambda r: (r["source"], r["target"], str(r["valid_from"])))
        ]  # fmt: skip
        flow = [
            {"case_id": r["source"], "center_id": r["target"], "tier": r["tier"], "date": r["date"]}
            for r in sorted(self.escalations, key=lambda r: (r["source"], r["date"], r["target"]))
        ]
        flow += [
            {"case_id": r["source"], "department_id": r["target"], "role": r["role"],
             "assigned": r["assigned"], "reported": r["reported"]}
            for r in sorted(self.assignments,
                            key=lambda r: (r["source"], r["assigned"], r["target"]))
        ]  # fmt: skip
        out[Kind.CASE_FLOW] = sorted(flow, key=lambda r: r["case_id"])
        return out


def write_templates(
    directory: str | Path,
    kinds: list[Kind] | None = None,
    formats: tuple[str, ...] = ("xlsx", "csv"),
) -> list[Path]:
    """Blank ledgers: Chinese headers (required ones marked ``*``) over the English keys."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for kind in kinds or list(Kind):
        spec = kind_spec(kind)
        for fmt in formats:
            title = f"{spec.zh}（govgraph 模板：带 * 的列必填，第二行为英文列名，可保留或删除）"
            paths.append(write_ledger(out / f"{kind.value}.{fmt}", spec, [], title=title))
    return paths
