"""A dispute's loop as writes: opened, escalated, departments assigned and reporting in,
closed (see the package)."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from .. import reads
from ..backends.base import GraphBackend
from ..errors import NotFound
from ..loaders.graph import GraphBuilder
from ..loaders.ledger.columns import Kind
from ..loaders.load import write_graph
from ..schema.model import TIER_DEADLINE_DAYS, CaseStatus, CenterTier
from .rows import (
    FieldProblem,
    L,
    R,
    WriteConflict,
    WriteRejected,
    Written,
    read_cell,
    refuse_unchanged,
    write_rows,
)

__all__ = [
    "assign_department",
    "case_id_for",
    "close_case",
    "escalate_case",
    "open_case",
    "report_in",
]

TIERS = list(CenterTier)

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
        for e in reads.case_escalations(backend, case_id)
    ]
    out["assignments"] = [
        {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in a.items()}
        for a in reads.case_assignments(backend, case_id)
    ]
    return out


def _case_written(
    backend: GraphBackend,
    what: str,
    case_id: str,
    records: list[str],
    *,
    changed: bool = True,
    created: bool = True,
) -> Written:
    """A case step's answer: the case as it now stands, with its escalations and
    assignments."""
    return Written(what, f"/cases/{case_id}", _case_answer(backend, case_id), records,
                   changed=changed, created=created)  # fmt: skip


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
    day = read_cell(Kind.CASES, "opened", opened, today) or today
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
            concerned = reads.case_households(backend, case_id)
            same = existing[0]["type"] == read_cell(Kind.CASES, "type", case_type, today) and (
                existing[0]["opened"],
                concerned,
            ) == (day, sorted(set(households)))
            if not same:
                raise WriteConflict(f"case {case_id} exists already with other facts")
            refuse_unchanged(f"case {case_id}", retry)
            return _case_written(backend, "case", case_id, [case_id], changed=False)
        plan = write_rows(backend, Kind.CASES, [row], today, "POST /cases")
        code = plan.rows[0].values["village_code"]
        centers = reads.village_centers(backend, code)
        if centers:
            b = GraphBuilder()
            b.rel(R.ESCALATED_TO, (L.CASE, case_id), (L.GOVERNANCE_CENTER, centers[0]["center"]),
                  date=day, tier=CenterTier.VILLAGE.value)  # fmt: skip
            write_graph(backend, b.build(), schema=False)
        return _case_written(backend, "case", case_id, [case_id, *households])

    return backend.atomic(work)


def _open(case: dict[str, Any], what: str) -> None:
    if case["closed"] is not None:
        raise WriteConflict(
            f"case {case['id']} was closed on {case['closed'].isoformat()}; {what} needs an "
            "open case"
        )


def _center_at(
    backend: GraphBackend, case: dict[str, Any], escalations: list[dict[str, Any]], tier: CenterTier
) -> str | None:
    """The center of ``tier`` above the one the case is at (the highest it has reached; for
    a case at no center yet, its village's)."""
    if escalations:
        top = max(escalations, key=lambda e: TIERS.index(CenterTier(e["tier"])))
        frontier = [top["center"]]
    else:
        villages = reads.village_centers(backend, case["division_code"])
        frontier = [c["center"] for c in villages]
    for _ in range(len(TIERS)):
        above = [r for c in frontier for r in reads.centers_above(backend, c)]
        found = next((r["center"] for r in above if r["tier"] == tier.value), None)
        if found is not None or not above:
            return None if found is None else str(found)
        frontier = [r["center"] for r in above]
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
    target = CenterTier(read_cell(Kind.CASES, "tier", tier, today, name="tier"))
    when = read_cell(Kind.CASES, "opened", day, today, name="date") or today

    def work() -> Written:
        case = _case(backend, case_id)
        at = CenterTier(case["tier"])
        escalations = reads.case_escalations(backend, case_id)
        done = [e for e in escalations if e["tier"] == target.value and e["date"] == when]
        if at is target and done:
            refuse_unchanged(f"case {case_id} escalated to {target.value} on {when}", retry)
            return _case_written(backend, "escalation", case_id, [case_id], changed=False)
        _open(case, "escalation")
        if TIERS.index(target) != TIERS.index(at) + 1:
            raise WriteConflict(
                f"case {case_id} is at the {at.value} tier: it can be escalated to "
                + (f"the {TIERS[TIERS.index(at) + 1].value} tier only" if at is not TIERS[-1]
                   else "no higher tier (the county is the top)")
            )  # fmt: skip
        if when < case["opened"]:
            raise WriteRejected([FieldProblem("date", "before the case was opened")])
        center = _center_at(backend, case, escalations, target)
        if center is None:
            raise WriteConflict(f"no {target.value} governance center serves case {case_id}")
        b = GraphBuilder()
        due = when + dt.timedelta(days=TIER_DEADLINE_DAYS[target])
        b.node(L.CASE, **{**case, "tier": target.value, "due": due})
        b.rel(R.ESCALATED_TO, (L.CASE, case_id), (L.GOVERNANCE_CENTER, center), date=when,
              tier=target.value)  # fmt: skip
        write_graph(backend, b.build(), schema=False)
        return _case_written(backend, "escalation", case_id, [case_id, center])

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
    when = read_cell(Kind.CASES, "opened", day, today, name="date") or today

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
                refuse_unchanged(f"department {department_id} assigned to case {case_id}", retry)
                return _case_written(
                    backend, "assignment", case_id, [case_id, department_id], changed=False
                )
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
        return _case_written(backend, "assignment", case_id, [case_id, department_id])

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
    when = read_cell(Kind.CASES, "reported", day, today, name="date") or today

    def work() -> Written:
        _case(backend, case_id)  # a case that does not exist is a 404, before its assignment
        known = _assignment(backend, case_id, department_id)
        if known is None:
            raise NotFound(f"department {department_id!r} is not assigned to case {case_id!r}")
        if known["reported"] is not None:
            if known["reported"] == when:
                refuse_unchanged(f"department {department_id} reported on {when}", retry)
                return _case_written(
                    backend,
                    "report",
                    case_id,
                    [case_id, department_id],
                    changed=False,
                    created=False,
                )
            raise WriteConflict(
                f"department {department_id} reported in on {known['reported'].isoformat()}"
            )
        if when < known["assigned"]:
            raise WriteRejected([FieldProblem("date", "before the department was assigned")])
        b = GraphBuilder()
        b.rel(R.ASSIGNED_TO, (L.CASE, case_id), (L.DEPARTMENT, department_id),
              role=known["role"], assigned=known["assigned"], reported=when)  # fmt: skip
        write_graph(backend, b.build(), schema=False)
        return _case_written(backend, "report", case_id, [case_id, department_id], created=False)

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
    result = read_cell(Kind.CASES, "outcome", outcome, today)
    when = read_cell(Kind.CASES, "closed", day, today, name="date") or today
    score = read_cell(Kind.CASES, "satisfaction", satisfaction, today)
    if score is not None and not 1 <= score <= 5:
        raise WriteRejected([FieldProblem("satisfaction", "out of range (1–5)")])

    def work() -> Written:
        case = _case(backend, case_id)
        if case["closed"] is not None:
            same = (case["closed"], case["outcome"], case["satisfaction"]) == (when, result, score)
            if same:
                refuse_unchanged(f"case {case_id} closed on {when}", retry)
                return _case_written(
                    backend, "closing", case_id, [case_id], changed=False, created=False
                )
            _open(case, "closing")
        if when < case["opened"]:
            raise WriteRejected([FieldProblem("date", "closed before it was opened")])
        b = GraphBuilder()
        b.node(L.CASE, **{**case, "closed": when, "outcome": result, "satisfaction": score,
                          "status": CaseStatus.CLOSED.value})  # fmt: skip
        write_graph(backend, b.build(), schema=False)
        return _case_written(backend, "closing", case_id, [case_id], created=False)

    return backend.atomic(work)
