"""Cases: which path an escalated case must take, which deadlines are broken."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from ... import field
from ... import questions as q
from ..deps import AreaQuery, AsOf, BackendDep, CallerDep, ScopedCase
from ..errors import PROBLEM_RESPONSES, WRITE_RESPONSES
from ..schemas import AssignmentIn, CaseIn, ClosingIn, DayIn, EscalationIn
from ..scope import area_for, check_case, check_household, not_for_grid_workers
from ..writes import WriteDep

router = APIRouter(prefix="/cases", tags=["cases"], responses=PROBLEM_RESPONSES)


@router.get("/overdue", response_model=q.Overdue, summary="Cases past their tier's deadline")
def overdue(
    backend: BackendDep,
    caller: CallerDep,
    as_of: AsOf,
    area: AreaQuery = None,
) -> q.Overdue:
    """Open cases past 3/7/15 days at their tier, most overdue first, and those stuck
    longest at one tier."""
    not_for_grid_workers(caller, "grid workers' tokens cannot list an area's cases")
    return q.overdue(backend, as_of=as_of, area=area_for(caller, area))


@router.get(
    "/{case_id}/coordination",
    response_model=q.Coordination,
    summary="The escalation path of a case and who must coordinate",
)
def coordination(backend: BackendDep, as_of: AsOf, case_id: ScopedCase) -> q.Coordination:
    """Every shortest escalation path, the departments stationed on it and how, those
    assigned and whether they reported, and those that must coordinate."""
    return q.coordination(backend, case_id, as_of=as_of)


# -- writes: the seven-step loop as events -------------------------------------------


@router.post("", status_code=201, responses=WRITE_RESPONSES,
             summary="Open a dispute on households (the grid blows the whistle)")  # fmt: skip
def open_case(backend: BackendDep, writer: WriteDep, body: CaseIn) -> JSONResponse:
    """A row of the cases ledger: taken in at the village tier, at the center serving its
    village, due in 3 days. Every household must be the caller's today."""

    def write(retry: bool) -> field.Written:
        codes = []
        for household in body.households:
            rows = backend.read("household_area", {"household": household})
            codes.append(rows[0]["division_code"] if rows else None)
            check_household(backend, writer.caller, household, codes[-1])
        case_id = body.case_id
        if case_id is None:
            village = body.village_code or str(codes[0])
            opened = body.opened or writer.today
            case_id = field.case_id_for(village, opened, writer.caller.token_id, writer.key)
        return field.open_case(
            backend, case_id=case_id, case_type=body.type, households=body.households,
            persons=body.persons, village_code=body.village_code, opened=body.opened,
            summary=body.summary, reporter_id=body.reporter_id, today=writer.today, retry=retry,
        )  # fmt: skip

    return writer(body, write)


def _step(
    backend: BackendDep,
    writer: WriteDep,
    case_id: str,
    body: object,
    step: Callable[[bool], field.Written],
) -> JSONResponse:
    def write(retry: bool) -> field.Written:
        check_case(backend, writer.caller, case_id)
        return step(retry)

    return writer(body, write)  # type: ignore[arg-type]


@router.post("/{case_id}/escalations", status_code=201, responses=WRITE_RESPONSES,
             summary="Escalate a case to the next tier's center")  # fmt: skip
def escalate(
    backend: BackendDep, writer: WriteDep, case_id: str, body: EscalationIn
) -> JSONResponse:
    """village → township (7 days) → county (15 days): to the center above the one it is
    at. 409 when the case is closed or ``tier`` is not the next one up."""
    return _step(
        backend,
        writer,
        case_id,
        body,
        lambda retry: field.escalate_case(
            backend, case_id, body.tier, day=body.date, today=writer.today, retry=retry
        ),
    )


@router.post("/{case_id}/assignments", status_code=201, responses=WRITE_RESPONSES,
             summary="Assign a department to a case")  # fmt: skip
def assign(backend: BackendDep, writer: WriteDep, case_id: str, body: AssignmentIn) -> JSONResponse:
    """As lead or assist: the whistle is blown for that department."""
    return _step(
        backend,
        writer,
        case_id,
        body,
        lambda retry: field.assign_department(
            backend,
            case_id,
            body.department_id,
            role=body.role,
            day=body.date,
            today=writer.today,
            retry=retry,
        ),
    )


@router.post("/{case_id}/assignments/{department_id}/report", status_code=200,
             responses=WRITE_RESPONSES, summary="A department reports in on a case")  # fmt: skip
def report_in(
    backend: BackendDep, writer: WriteDep, case_id: str, department_id: str, body: DayIn
) -> JSONResponse:
    """报到: the department assigned comes and reports, on ``date``."""
    return _step(
        backend,
        writer,
        case_id,
        body,
        lambda retry: field.report_in(
            backend, case_id, department_id, day=body.date, today=writer.today, retry=retry
        ),
    )


@router.post("/{case_id}/closing", status_code=200, responses=WRITE_RESPONSES,
             summary="Close a case")  # fmt: skip
def close_case(
    backend: BackendDep, writer: WriteDep, case_id: str, body: ClosingIn
) -> JSONResponse:
    """办结, resolved or not, with the public's satisfaction (1–5). 409 when it is closed."""
    return _step(
        backend,
        writer,
        case_id,
        body,
        lambda retry: field.close_case(
            backend,
            case_id,
            outcome=body.outcome,
            day=body.date,
            satisfaction=body.satisfaction,
            today=writer.today,
            retry=retry,
        ),
    )
