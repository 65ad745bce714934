"""Visits and memberships as writes: a visit, a household moving grid, a post on a grid, a
party member's link to a household (see the package)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..backends.base import GraphBackend
from ..errors import NotFound
from ..loaders.ledger.columns import Kind
from ..loaders.ledger.plan import ROLE_REL, ImportPlan
from ..schema.model import Label, Rel
from .rows import (
    FieldProblem,
    L,
    R,
    WriteRejected,
    Written,
    read_cell,
    refuse_unchanged,
    write_rows,
)

__all__ = [
    "end_link",
    "end_post",
    "link_household",
    "move_household",
    "record_visit",
    "start_post",
]

# -- visits ------------------------------------------------------------------------------


def record_visit(
    backend: GraphBackend,
    household_id: str,
    person_id: str,
    day: Any,
    purpose: str | None = None,
    *,
    today: dt.date,
    retry: bool = False,
) -> Written:
    """A visit (走访): who visited which household on which day, and why."""
    row = {"household_id": household_id, "person_id": person_id, "date": day or today,
           "purpose": purpose}  # fmt: skip

    def work() -> Written:
        plan = write_rows(backend, Kind.VISITS, [row], today, "POST /visits")
        parsed = plan.rows[0].values
        status = plan.status[id(plan.rows[0])]
        if status == "unchanged":
            refuse_unchanged(f"visit by {person_id} to {household_id} on {parsed['date']}", retry)
        return Written(
            "visit",
            f"/households/{household_id}/visits",
            {"household_id": household_id, "person_id": person_id,
             "date": parsed["date"].isoformat(), "purpose": parsed.get("purpose")},
            [household_id, person_id],
            changed=status != "unchanged",
            created=status != "updated",
        )  # fmt: skip

    return backend.atomic(work)


# -- memberships ----------------------------------------------------------------------


def move_household(
    backend: GraphBackend,
    household_id: str,
    grid_id: str,
    *,
    since: Any = None,
    today: dt.date,
    retry: bool = False,
) -> Written:
    """Move a household into another grid from a day on; its old grid's period closes the
    day before (the households ledger's rule)."""

    def work() -> Written:
        stored = backend.fetch_nodes(L.HOUSEHOLD, [household_id]).to_pylist()
        if not stored:
            raise NotFound(f"household {household_id!r} does not exist")
        row = {"household_id": household_id, "village_code": stored[0]["division_code"],
               "grid_id": grid_id, "grid_since": since or today}  # fmt: skip
        plan = write_rows(backend, Kind.HOUSEHOLDS, [row], today, f"household {household_id}")
        if not plan.changes:
            refuse_unchanged(f"household {household_id} in grid {grid_id}", retry)
        return Written(
            "membership", f"/households/{household_id}",
            {"household_id": household_id, "grid_id": grid_id,
             "since": plan.rows[0].values["grid_since"].isoformat()},
            [household_id, grid_id], changed=bool(plan.changes), created=False,
        )  # fmt: skip

    return backend.atomic(work)


@dataclass(frozen=True)
class _Membership:
    """A person's membership with periods, as a ledger lists it: a post on a grid (grid
    roster) or a link to a household (party links)."""

    kind: Kind
    rel: Rel
    target: Label
    key: str  # the ledger column naming the target
    what: str
    #: the ledger columns every row repeats (the role of a post)
    fixed: tuple[tuple[str, Any], ...] = ()

    def location(self, target: str) -> str:
        return f"/grids/{target}" if self.target is L.GRID else f"/households/{target}"

    def held(self, backend: GraphBackend, person_id: str) -> list[dict[str, Any]]:
        """Every period of every membership of this kind the person has (ended ones too)."""
        return backend.fetch_relationships(self.rel, L.PERSON, self.target, [person_id]).to_pylist()

    def write(
        self,
        backend: GraphBackend,
        person_id: str,
        held: list[dict[str, Any]],
        change: Callable[[list[dict[str, Any]]], list[dict[str, Any]]],
        today: dt.date,
        source: str,
    ) -> ImportPlan:
        """A ledger listing the person's current memberships (of ``held``, read in the same
        transaction) as ``change`` leaves them (a ledger lists all of them: one it left out
        would be closed), checked and written."""
        current = [
            {"person_id": person_id, self.key: r["target"], "valid_from": r["valid_from"],
             "valid_to": r["valid_to"], **dict(self.fixed),
             **({"employment": r["employment"]} if self.rel is R.GRID_WORKER_OF else {})}
            for r in held
            if r["valid_to"] is None or r["valid_to"] >= today
        ]  # fmt: skip
        return write_rows(backend, self.kind, change(current), today, source)

    def answer(self, target: str, person_id: str, day: tuple[str, dt.date]) -> dict[str, Any]:
        role = dict(self.fixed).get("role")
        return {self.key: target, "person_id": person_id,
                **({"role": role} if role else {}), day[0]: day[1].isoformat()}  # fmt: skip


def _start(
    backend: GraphBackend,
    m: _Membership,
    target: str,
    person_id: str,
    start: dt.date,
    extra: dict[str, Any],
    today: dt.date,
    retry: bool,
) -> Written:
    """The person's membership of ``target`` opens on ``start``; their others stay."""

    def change(current: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if any(c[m.key] == target and c["valid_to"] is None for c in current):
            return current
        new = {"person_id": person_id, m.key: target, "valid_from": start, **dict(m.fixed)}
        return [*current, {**new, **extra}]

    def work() -> Written:
        held = m.held(backend, person_id)
        periods = [p for p in held if p["target"] == target]
        if any(p["valid_from"] == start for p in periods):  # a retry finds it opened
            changed = False
        else:
            plan = m.write(backend, person_id, held, change, today, f"{m.what} {target}")
            changed = bool(plan.changes)
        if not changed:
            refuse_unchanged(f"{person_id}'s {m.what} {target} from {start}", retry)
        return Written(m.what, m.location(target), m.answer(target, person_id, ("since", start)),
                       [target, person_id], changed=changed)  # fmt: skip

    return backend.atomic(work)


def _end(
    backend: GraphBackend,
    m: _Membership,
    target: str,
    person_id: str,
    last: dt.date,
    today: dt.date,
    retry: bool,
) -> Written:
    """The person's open membership of ``target`` ends on ``last`` (its last day)."""

    def change(current: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{**c, "valid_to": last if c[m.key] == target and c["valid_to"] is None
                 else c["valid_to"]} for c in current]  # fmt: skip

    def work() -> Written:
        held = m.held(backend, person_id)
        periods = [p for p in held if p["target"] == target]
        changed = not any(p["valid_to"] == last for p in periods)
        if not changed:  # a retry finds it ended
            refuse_unchanged(f"{person_id}'s {m.what} {target} ended on {last}", retry)
        elif not any(p["valid_to"] is None for p in periods):
            raise NotFound(f"{person_id!r} has no open {m.what} {target!r}")
        else:
            m.write(backend, person_id, held, change, today, f"{m.what} {target}")
        return Written(m.what, m.location(target), m.answer(target, person_id, ("until", last)),
                       [target, person_id], changed=changed, created=False)  # fmt: skip

    return backend.atomic(work)


def _post(role: str, today: dt.date) -> _Membership:
    value = read_cell(Kind.WORKERS, "role", role, today)
    if value is None:
        raise WriteRejected([FieldProblem("role", "missing (required)")])
    return _Membership(Kind.WORKERS, ROLE_REL[value], L.GRID, "grid_id", "post on grid",
                       (("role", value),))  # fmt: skip


_LINK = _Membership(Kind.LINKS, R.LINKS_HOUSEHOLD, L.HOUSEHOLD, "household_id", "link to household")


def start_post(
    backend: GraphBackend,
    grid_id: str,
    person_id: str,
    role: str,
    *,
    employment: str | None = None,
    since: Any = None,
    today: dt.date,
    retry: bool = False,
) -> Written:
    """A person takes a post (网格员, 网格长, 志愿者, 下沉干部) on a grid from a day on; their
    other posts stay."""
    start = read_cell(Kind.WORKERS, "valid_from", since, today, name="since") or today
    extra = {"employment": employment} if employment else {}
    return _start(backend, _post(role, today), grid_id, person_id, start, extra, today, retry)


def end_post(
    backend: GraphBackend,
    grid_id: str,
    person_id: str,
    role: str,
    *,
    day: Any = None,
    today: dt.date,
    retry: bool = False,
) -> Written:
    """A person's post on a grid ends on a day (its last day)."""
    last = read_cell(Kind.WORKERS, "valid_to", day, today, name="date") or today
    return _end(backend, _post(role, today), grid_id, person_id, last, today, retry)


def link_household(
    backend: GraphBackend,
    household_id: str,
    person_id: str,
    *,
    since: Any = None,
    today: dt.date,
    retry: bool = False,
) -> Written:
    """A party member starts looking after a household (联户); their other links stay."""
    start = read_cell(Kind.LINKS, "valid_from", since, today, name="since") or today
    return _start(backend, _LINK, household_id, person_id, start, {}, today, retry)


def end_link(
    backend: GraphBackend,
    household_id: str,
    person_id: str,
    *,
    day: Any = None,
    today: dt.date,
    retry: bool = False,
) -> Written:
    """A party member's link to a household ends on a day (its last day)."""
    last = read_cell(Kind.LINKS, "valid_to", day, today, name="date") or today
    return _end(backend, _LINK, household_id, person_id, last, today, retry)
