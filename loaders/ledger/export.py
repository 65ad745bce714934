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
from ...schema.model import Label, Rel
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
    person_ids = {r["source"] for r in members + links + visits}
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

    # 户情台账
    current: dict[str, dict[str, Any]] = {}
    for r in rels(R.IN_GRID, L.HOUSEHOLD, L.GRID, hids):
        now = current.get(r["source"])
        if r["valid_to"] is None and (now is None or r["valid_from"] > now["valid_from"]):
            current[r["source"]] = r
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
    return paths


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
