"""Cases: which path an escalated case must take, which deadlines are broken."""

from __future__ import annotations

from fastapi import APIRouter

from ... import questions as q
from ...errors import NotFound
from ..deps import AreaQuery, AsOf, BackendDep, CallerDep
from ..errors import PROBLEM_RESPONSES
from ..scope import area_for, check_case

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
    if caller.grid is not None:
        raise NotFound("grid workers' tokens cannot list an area's cases")
    return q.overdue(backend, as_of=as_of, area=area_for(caller, area))


@router.get(
    "/{case_id}/coordination",
    response_model=q.Coordination,
    summary="The escalation path of a case and who must coordinate",
)
def coordination(
    backend: BackendDep, caller: CallerDep, as_of: AsOf, case_id: str
) -> q.Coordination:
    """Every shortest escalation path, the departments stationed on it and how, those
    assigned and whether they reported, and those that must coordinate."""
    check_case(backend, caller, case_id, as_of)
    return q.coordination(backend, case_id, as_of=as_of)
