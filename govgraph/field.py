"""The field's writes: a visit, a dispute and its steps, a household moving grid, a post,
a party member's link — each one transaction, each checked exactly as a ledger row is.

Each write is stated as the ledger row an office would type (visits, cases, households,
grid roster, party links) and goes through the importer's own checks and planner
(:mod:`govgraph.loaders.ledger`): the same rules, the same reasons in the same words, and
the same periods (a household's new grid closes the old one on the day before). The steps
a case takes after it is opened — escalation to the next tier's center, departments
assigned, a department reporting in (网格吹哨、部门报到), closing — are checked here with the
cases ledger's own cell rules.

Every write is declarative (it says what the store must hold afterwards), so a retry of a
write that landed changes nothing: the caller learns it from :attr:`Written.changed`.
Writing what the store already holds is a :class:`WriteConflict` unless the caller says it
is a retry (``retry=True``, from an ``Idempotency-Key``); state that contradicts the write
(closing a closed case, escalating past the county) always is.

Scope (who may write where) is the API's business; these functions take plain values.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .backends.base import GraphBackend
from .errors import GovgraphError, NotFound
from .loaders.graph import GraphBuilder
from .loaders.ledger.columns import Kind, kind_spec
from .loaders.ledger.plan import ROLE_REL, ImportPlan, plan_import
from .loaders.ledger.read import sheet_from_rows
from .loaders.ledger.validate import CellError, _parse_cell, parse_sheet
from .loaders.load import write_graph
from .schema.model import TIER_DEADLINE_DAYS, CaseStatus, CenterTier, Label, Rel

__all__ = [
    "FieldProblem",
    "WriteConflict",
    "WriteRejected",
    "Written",
    "assign_department",
    "close_case",
    "end_link",
    "end_post",
    "escalate_case",
    "link_household",
    "move_household",
    "open_case",
    "record_visit",
    "report_in",
    "start_post",
]

L, R = Label, Rel
TIERS = list(CenterTier)


@dataclass(frozen=True)
class FieldProblem:
    field: str
    reason: str


class WriteRejected(GovgraphError):
    """The write breaks a ledger rule; each problem names the field."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p.field}: {p.reason}" for p in problems))


class WriteConflict(GovgraphError):
    """The store's state contradicts the write (or already holds it, without a retry)."""


@dataclass
class Written:
    """What a write did: the resource it made or changed, the ids it touched (for the
    audit), its answer, and whether the store changed (False: a retry found it done)."""

    what: str
    location: str
    answer: dict[str, Any]
    records: list[str] = field(default_factory=list)
    changed: bool = True
    created: bool = True


# -- the ledger path -------------------------------------------------------------------


def _cells(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    return str(value)


def _ledger(
    backend: GraphBackend, kind: Kind, rows: list[dict[str, Any]], today: dt.date, source: str
) -> ImportPlan:
    """Check ``rows`` as ledger rows of ``kind`` against the store and write what they
    change (inside the caller's transaction); every problem is a :class:`WriteRejected`."""
    spec = kind_spec(kind)
    keys = [c.key for c in spec.columns]
    raw = [keys, *[[_cells(r.get(k)) for k in keys] for r in rows]]
    sheet = sheet_from_rows(raw, Path(source), "json", "", kind)
    plan = plan_import(backend, parse_sheet(sheet, today), today)
    problems = [FieldProblem(p.column, p.reason) for r in plan.rows for p in r.problems]
    if problems:
        raise WriteRejected(_unique(problems))
    if plan.changes:
        write_graph(backend, plan.writes, schema=False)
    return plan


def _unique(problems: list[FieldProblem]) -> list[FieldProblem]:
    return list(dict.fromkeys(problems))


def _cell(kind: Kind, key: str, value: Any, today: dt.date, *, name: str | None = None) -> Any:
    """One value read by the ledger column ``key`` of ``kind`` (None stays None)."""
    text = _cells(value).strip()
    if not text:
        return None
    try:
        return _parse_cell(kind_spec(kind).column(key), text, today)
    except CellError as exc:
        raise WriteRejected([FieldProblem(name or key, str(exc))]) from None


def _unchanged(what: str, retry: bool) -> None:
    if not retry:
        raise WriteConflict(f"{what}: the store already holds exactly this")


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
        plan = _ledger(backend, Kind.VISITS, [row], today, "POST /visits")
        parsed = plan.rows[0].values
        status = plan.status[id(plan.rows[0])]
        if status == "unchanged":
            _unchanged(f"visit by {person_id} to {household_id} on {parsed['date']}", retry)
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


# -- cases -------------------------------------------------------------------------------


def case_id_for(village: str, opened: dt.date, token_id: str, key: str | None) -> str:
    """A new case's id: from the idempotency key when there is one (a retry makes the same
    id), else fresh. The form of the scenarios' ids: K + village code + day + a suffix."""
    import secrets

    seed = f"{token_id}\x1f{key}".encode() if key else secrets.token_bytes(16)
    suffix = hashlib.sha256(seed).hexdigest()[:6].upper()
    return f"K{village}{opened:%y%m%d}{suffix}"


def _case(backend: GraphBackend, case_id: str) -> dict[str, Any]:
    rows = backend.fetch_nodes(L.CASE, [case_id]).to_pylist()
    if not rows:
        raise NotFound(f"case {case_id!r} does not exist")
    return rows[0]


def _case_answer(backend: GraphBackend, case_id: str) -> dict[str, Any]:
    case = _case(backend, case_id)
    out = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in case.items()}
    out["escalations"] = [
        {**e, "date": e["date"].isoformat() if e["date"] else None}
        for e in backend.read("case_escalations", {"case_id": case_id})
    ]
    out["assignments"] = [
        {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in a.items()}
        for a in backend.read("case_assignments", {"case_id": case_id})
    ]
    return out


def open_case(
    backend: GraphBackend,
    *,
    case_id: str,
    case_type: str,
    households: list[str],
    persons: list[str] | None = None,
    village_code: str | None = None,
    opened: Any = None,
    summary: str | None = None,
    reporter_id: str | None = None,
    today: dt.date,
    retry: bool = False,
) -> Written:
    """Open a dispute at the village tier on the households it concerns (the grid blows the
    whistle): taken in at the center serving its village, due in 3 days."""
    if not households:
        raise WriteRejected([FieldProblem("households", "missing (required)")])
    day = _cell(Kind.CASES, "opened", opened, today) or today
    deadline = day + dt.timedelta(days=TIER_DEADLINE_DAYS[CenterTier.VILLAGE])

    def work() -> Written:
        village = village_code
        if village is None:
            stored = backend.fetch_nodes(L.HOUSEHOLD, households[:1]).to_pylist()
            village = stored[0]["division_code"] if stored else None
        row = {
            "case_id": case_id, "village_code": village, "type": case_type, "opened": day,
            "tier": CenterTier.VILLAGE.value, "due": deadline, "status": CaseStatus.INTAKE.value,
            "summary": summary, "households": households, "persons": persons or [],
            "reporter_id": reporter_id, "reported": day if reporter_id else None,
        }  # fmt: skip
        existing = backend.fetch_nodes(L.CASE, [case_id]).to_pylist()
        if existing:  # a retry finds what it opened, whatever steps the case took since
            concerned = [r["household"] for r in backend.read("case_households",
                                                               {"case_id": case_id})]  # fmt: skip
            same = existing[0]["type"] == _cell(Kind.CASES, "type", case_type, today) and (
                existing[0]["opened"],
                concerned,
            ) == (day, sorted(set(households)))
            if not same:
                raise WriteConflict(f"case {case_id} exists already with other facts")
            _unchanged(f"case {case_id}", retry)
            return Written("case", f"/cases/{case_id}", _case_answer(backend, case_id),
                           [case_id], changed=False)  # fmt: skip
        plan = _ledger(backend, Kind.CASES, [row], today, "POST /cases")
        code = plan.rows[0].values["village_code"]
        centers = backend.read("village_centers", {"village": code})
        if centers:
            b = GraphBuilder()
            b.rel(R.ESCALATED_TO, (L.CASE, case_id), (L.GOVERNANCE_CENTER, centers[0]["center"]),
                  date=day, tier=CenterTier.VILLAGE.value)  # fmt: skip
            write_graph(backend, b.build(), schema=False)
        return Written("case", f"/cases/{case_id}", _case_answer(backend, case_id),
                       [case_id, *households])  # fmt: skip

    return backend.atomic(work)


def _open(case: dict[str, Any], what: str) -> None:
    if case["closed"] is not None:
        raise WriteConflict(
            f"case {case['id']} was closed on {case['closed'].isoformat()}; {what} needs an "
            "open case"
        )


def _center_at(backend: GraphBackend, case: dict[str, Any], tier: CenterTier) -> str | None:
    """The center of ``tier`` above the case's current one (or its village's)."""
    escalations = backend.read("case_escalations", {"case_id": case["id"]})
    if escalations:
        start = [escalations[-1]["center"]]
    else:
        start = [c["center"] for c in backend.read("village_centers",
                                                   {"village": case["division_code"]})]  # fmt: skip
    frontier = start
    for _ in range(len(TIERS)):
        for center in frontier:
            rows = backend.read("center_above", {"center": center})
            for r in rows:
                if r["tier"] == tier.value:
                    return str(r["center"])
        frontier = [r["center"] for c in frontier for r in backend.read("center_above",
                                                                        {"center": c})]  # fmt: skip
        if not frontier:
            break
    return None


def escalate_case(
    backend: GraphBackend,
    case_id: str,
    tier: str,
    *,
    day: Any = None,
    today: dt.date,
    retry: bool = False,
) -> Written:
    """Escalate a case to ``tier`` (the next one up: village → township → county), to the
    center of that tier above the one it is at; its deadline restarts (7 or 15 days)."""
    target = CenterTier(_cell(Kind.CASES, "tier", tier, today, name="tier"))
    when = _cell(Kind.CASES, "opened", day, today, name="date") or today

    def work() -> Written:
        case = _case(backend, case_id)
        at = CenterTier(case["tier"])
        done = [e for e in backend.read("case_escalations", {"case_id": case_id})
                if e["tier"] == target.value and e["date"] == when]  # fmt: skip
        if at is target and done:
            _unchanged(f"case {case_id} escalated to {target.value} on {when}", retry)
            return Written("escalation", f"/cases/{case_id}", _case_answer(backend, case_id),
                           [case_id], changed=False)  # fmt: skip
        _open(case, "escalation")
        if TIERS.index(target) != TIERS.index(at) + 1:
            raise WriteConflict(
                f"case {case_id} is at the {at.value} tier: it can be escalated to "
                + (f"the {TIERS[TIERS.index(at) + 1].value} tier only" if at is not TIERS[-1]
                   else "no higher tier (the county is the top)")
            )  # fmt: skip
        if when < case["opened"]:
            raise WriteRejected([FieldProblem("date", "before the case was opened")])
        center = _center_at(backend, case, target)
        if center is None:
            raise WriteConflict(f"no {target.value} governance center serves case {case_id}")
        b = GraphBuilder()
        due = when + dt.timedelta(days=TIER_DEADLINE_DAYS[target])
        b.node(L.CASE, **{**case, "tier": target.value, "due": due})
        b.rel(R.ESCALATED_TO, (L.CASE, case_id), (L.GOVERNANCE_CENTER, center), date=when,
              tier=target.value)  # fmt: skip
        write_graph(backend, b.build(), schema=False)
        return Written("escalation", f"/cases/{case_id}", _case_answer(backend, case_id),
                       [case_id, center])  # fmt: skip

    return backend.atomic(work)


def _assignment(backend: GraphBackend, case_id: str, department: str) -> dict[str, Any] | None:
    rows = backend.fetch_relationships(R.ASSIGNED_TO, L.CASE, L.DEPARTMENT, [case_id])
    return next((r for r in rows.to_pylist() if r["target"] == department), None)


def assign_department(
    backend: GraphBackend,
    case_id: str,
    department_id: str,
    *,
    role: str = "lead",
    day: Any = None,
    today: dt.date,
    retry: bool = False,
) -> Written:
    """Assign a department to a case (lead or assist): the whistle is blown for it."""
    if role not in ("lead", "assist"):
        raise WriteRejected([FieldProblem("role", "not one of lead, assist")])
    when = _cell(Kind.CASES, "opened", day, today, name="date") or today

    def work() -> Written:
        case = _case(backend, case_id)
        dept = backend.fetch_nodes(L.DEPARTMENT, [department_id]).to_pylist()
        if not dept or not case["division_code"].startswith(dept[0]["division_code"]):
            raise WriteRejected([FieldProblem(
                "department_id", f"department {department_id} does not exist or does not serve "
                f"{case['division_code']}")])  # fmt: skip
        known = _assignment(backend, case_id, department_id)
        if known is not None:
            if known["role"] == role and known["assigned"] == when:
                _unchanged(f"department {department_id} assigned to case {case_id}", retry)
                return Written("assignment", f"/cases/{case_id}", _case_answer(backend, case_id),
                               [case_id, department_id], changed=False)  # fmt: skip
            raise WriteConflict(
                f"department {department_id} was assigned to case {case_id} on "
                f"{known['assigned'].isoformat()} as {known['role']}"
            )
        _open(case, "assigning a department")
        if when < case["opened"]:
            raise WriteRejected([FieldProblem("date", "before the case was opened")])
        b = GraphBuilder()
        b.rel(R.ASSIGNED_TO, (L.CASE, case_id), (L.DEPARTMENT, department_id), role=role,
              assigned=when, reported=None)  # fmt: skip
        write_graph(backend, b.build(), schema=False)
        return Written("assignment", f"/cases/{case_id}", _case_answer(backend, case_id),
                       [case_id, department_id])  # fmt: skip

    return backend.atomic(work)


def report_in(
    backend: GraphBackend,
    case_id: str,
    department_id: str,
    *,
    day: Any = None,
    today: dt.date,
    retry: bool = False,
) -> Written:
    """A department assigned to a case reports in (报到) on a day."""
    when = _cell(Kind.CASES, "reported", day, today, name="date") or today

    def work() -> Written:
        case = _case(backend, case_id)
        known = _assignment(backend, case_id, department_id)
        if known is None:
            raise NotFound(f"department {department_id!r} is not assigned to case {case_id!r}")
        if known["reported"] is not None:
            if known["reported"] == when:
                _unchanged(f"department {department_id} reported on {when}", retry)
                return Written("report", f"/cases/{case_id}", _case_answer(backend, case_id),
                               [case_id, department_id], changed=False, created=False)  # fmt: skip
            raise WriteConflict(
                f"department {department_id} reported in on {known['reported'].isoformat()}"
            )
        if when < known["assigned"]:
            raise WriteRejected([FieldProblem("date", "before the department was assigned")])
        b = GraphBuilder()
        b.rel(R.ASSIGNED_TO, (L.CASE, case_id), (L.DEPARTMENT, department_id),
              role=known["role"], assigned=known["assigned"], reported=when)  # fmt: skip
        write_graph(backend, b.build(), schema=False)
        del case
        return Written("report", f"/cases/{case_id}", _case_answer(backend, case_id),
                       [case_id, department_id], created=False)  # fmt: skip

    return backend.atomic(work)


def close_case(
    backend: GraphBackend,
    case_id: str,
    *,
    outcome: str,
    day: Any = None,
    satisfaction: int | None = None,
    today: dt.date,
    retry: bool = False,
) -> Written:
    """Close a case (办结) as resolved or unresolved, with the public's satisfaction."""
    result = _cell(Kind.CASES, "outcome", outcome, today)
    when = _cell(Kind.CASES, "closed", day, today, name="date") or today
    score = _cell(Kind.CASES, "satisfaction", satisfaction, today)
    if score is not None and not 1 <= score <= 5:
        raise WriteRejected([FieldProblem("satisfaction", "out of range (1–5)")])

    def work() -> Written:
        case = _case(backend, case_id)
        if case["closed"] is not None:
            same = (case["closed"], case["outcome"], case["satisfaction"]) == (when, result, score)
            if same:
                _unchanged(f"case {case_id} closed on {when}", retry)
                return Written("closing", f"/cases/{case_id}", _case_answer(backend, case_id),
                               [case_id], changed=False, created=False)  # fmt: skip
            _open(case, "closing")
        if when < case["opened"]:
            raise WriteRejected([FieldProblem("date", "closed before it was opened")])
        b = GraphBuilder()
        b.node(L.CASE, **{**case, "closed": when, "outcome": result, "satisfaction": score,
                          "status": CaseStatus.CLOSED.value})  # fmt: skip
        write_graph(backend, b.build(), schema=False)
        return Written("closing", f"/cases/{case_id}", _case_answer(backend, case_id),
                       [case_id], created=False)  # fmt: skip

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
        plan = _ledger(backend, Kind.HOUSEHOLDS, [row], today, f"household {household_id}")
        if not plan.changes:
            _unchanged(f"household {household_id} in grid {grid_id}", retry)
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
        change: Callable[[list[dict[str, Any]]], list[dict[str, Any]]],
        today: dt.date,
        source: str,
    ) -> ImportPlan:
        """A ledger listing the person's current memberships as ``change`` leaves them (a
        ledger lists all of them: one it left out would be closed), checked and written."""
        current = [
            {"person_id": person_id, self.key: r["target"], "valid_from": r["valid_from"],
             "valid_to": r["valid_to"], **dict(self.fixed),
             **({"employment": r["employment"]} if self.rel is R.GRID_WORKER_OF else {})}
            for r in self.held(backend, person_id)
            if r["valid_to"] is None or r["valid_to"] >= today
        ]  # fmt: skip
        return _ledger(backend, self.kind, change(current), today, source)

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
        periods = [p for p in m.held(backend, person_id) if p["target"] == target]
        if any(p["valid_from"] == start for p in periods):  # a retry finds it opened
            changed = False
        else:
            changed = bool(m.write(backend, person_id, change, today, f"{m.what} {target}").changes)
        if not changed:
            _unchanged(f"{person_id}'s {m.what} {target} from {start}", retry)
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
        periods = [p for p in m.held(backend, person_id) if p["target"] == target]
        changed = not any(p["valid_to"] == last for p in periods)
        if not changed:  # a retry finds it ended
            _unchanged(f"{person_id}'s {m.what} {target} ended on {last}", retry)
        elif not any(p["valid_to"] is None for p in periods):
            raise NotFound(f"{person_id!r} has no open {m.what} {target!r}")
        else:
            m.write(backend, person_id, change, today, f"{m.what} {target}")
        return Written(m.what, m.location(target), m.answer(target, person_id, ("until", last)),
                       [target, person_id], changed=changed, created=False)  # fmt: skip

    return backend.atomic(work)


def _post(role: str, today: dt.date) -> _Membership:
    value = _cell(Kind.WORKERS, "role", role, today)
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
    start = _cell(Kind.WORKERS, "valid_from", since, today, name="since") or today
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
    last = _cell(Kind.WORKERS, "valid_to", day, today, name="date") or today
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
    start = _cell(Kind.LINKS, "valid_from", since, today, name="since") or today
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
    last = _cell(Kind.LINKS, "valid_to", day, today, name="date") or today
    return _end(backend, _LINK, household_id, person_id, last, today, retry)
