"""Households: who is responsible, who is uncovered, and the household itself."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from ... import questions as q
from ...privacy import mask_person
from ..deps import AreaOrGridQuery, AsOf, AuthDep, BackendDep, CallerDep, PiiDep
from ..errors import PROBLEM_RESPONSES
from ..schemas import HouseholdOut, Member, UncoveredPage
from ..scope import area_for, check_grid, check_household

router = APIRouter(prefix="/households", tags=["households"], responses=PROBLEM_RESPONSES)

Reason = Literal["no_grid", "no_worker", "no_linking_member", "not_visited"]


@router.get(
    "/uncovered",
    response_model=UncoveredPage,
    summary="Households nobody covers, with every reason",
)
def uncovered(
    backend: BackendDep,
    caller: CallerDep,
    as_of: AsOf,
    area: AreaOrGridQuery = None,
    within_days: Annotated[int, Query(ge=0, le=3650)] = q.DEFAULT_WINDOW_DAYS,
    reason: Reason | None = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> UncoveredPage:
    """Households under an area lacking coverage as of a day, paginated, with totals per
    reason and per child area (the totals cover every page)."""
    if area and area.upper().startswith("G") and caller.grid is None:
        check_grid(backend, caller, area)  # a grid inside the caller's subtree
        target = area
    else:
        target = area_for(caller, area)
    answer = q.uncovered(backend, target, as_of=as_of, within_days=within_days)
    rows = [h for h in answer.households if reason is None or reason in h.reasons]
    return UncoveredPage(
        area=answer.area,
        as_of=answer.as_of.isoformat(),
        within_days=within_days,
        total=len(rows),
        offset=offset,
        limit=limit,
        by_reason=answer.by_reason,
        by_child_area=answer.by_child_area,
        households=rows[offset : offset + limit],
    )


@router.get(
    "/{household_id}/responsible",
    response_model=q.Responsibility,
    summary="Who is responsible for a household",
)
def responsible(
    backend: BackendDep, caller: CallerDep, as_of: AsOf, household_id: str
) -> q.Responsibility:
    """Its grid(s), workers, grid head, volunteers, sunk cadres, linking party members, party
    group and branch with secretaries, village, township, county, centers and leaders."""
    rows = backend.read("household_area", {"household": household_id})
    check_household(
        backend, caller, household_id, as_of, rows[0]["division_code"] if rows else None
    )
    return q.responsible(backend, household_id, as_of=as_of)


@router.get("/{household_id}", response_model=HouseholdOut, summary="One household")
def household(
    backend: BackendDep,
    caller: CallerDep,
    auth: AuthDep,
    as_of: AsOf,
    request: Request,
    household_id: str,
    pii: PiiDep,
) -> HouseholdOut:
    """The household and its members; ID numbers and phones masked unless the token carries
    PII permission (then the read is audited)."""
    rows = backend.read("household_detail", {"household": household_id})
    check_household(
        backend, caller, household_id, as_of, rows[0]["division_code"] if rows else None
    )
    first = rows[0]
    members = []
    for r in rows:
        if r["person"] is None:
            continue
        shown = r if pii else mask_person(r)
        members.append(
            Member(
                person=r["person"],
                name=r["name"],
                relation=r["relation"],
                gender=r["gender"],
                birth_year=r["birth_year"],
                id_number=shown["id_number"],
                phone=shown["phone"],
            )
        )
    if pii and members:
        auth.audit(caller, request.method, request.url.path, [m.person for m in members])
    return HouseholdOut(
        id=first["id"],
        address=first["address"],
        size=first["size"],
        tags=list(first["tags"] or []),
        division_code=first["division_code"],
        village=first["village"],
        members=members,
    )
