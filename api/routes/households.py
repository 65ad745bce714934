"""Households: who is responsible, who is uncovered, and the household itself."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from ... import field
from ... import questions as q
from ...privacy import mask_person
from ...schema.vocab import GapReason
from ..deps import (
    AreaOrGridQuery,
    AsOf,
    AuthDep,
    BackendDep,
    CallerDep,
    PiiDep,
    ScopedHousehold,
    household_in_scope,
)
from ..errors import PROBLEM_RESPONSES, WRITE_RESPONSES
from ..schemas import DayIn, GridMoveIn, HouseholdOut, LinkIn, Member, UncoveredPage, VisitOut
from ..scope import area_for, check_grid, check_household, grid_worker_today
from ..writes import WriteDep

router = APIRouter(prefix="/households", tags=["households"], responses=PROBLEM_RESPONSES)


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
    reason: GapReason | None = None,
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
    grid_worker_today(caller, as_of, backend)
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
async def responsible(
    backend: BackendDep, caller: CallerDep, as_of: AsOf, household_id: str
) -> q.Responsibility:
    """Its grid(s), workers, grid head, volunteers, sunk cadres, linking party members, party
    group and branch with secretaries, village, township, county, centers and leaders."""

    def answer() -> q.Responsibility:
        household_in_scope(household_id, backend, caller)
        return q.responsible(backend, household_id, as_of=as_of)

    # the scope check and the question in one trip to a worker thread, the answer checked
    # and written on the event loop: the integrators' most asked question, where the three
    # trips of a sync dependency, endpoint and response were a fifth of the interpreter
    return await run_in_threadpool(answer)


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
    check_household(backend, caller, household_id, rows[0]["division_code"] if rows else None)
    first = rows[0]
    members = []
    people = [r for r in rows if r["person"] is not None]
    shown_people = backend.reveal(people) if pii else [mask_person(r) for r in people]
    for r, shown in zip(people, shown_people, strict=True):
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


def _writable(backend: BackendDep, writer: WriteDep, household_id: str) -> None:
    """The household must be the caller's today (a grid worker's: in their grid today)."""
    rows = backend.read("household_area", {"household": household_id})
    check_household(backend, writer.caller, household_id,
                    rows[0]["division_code"] if rows else None)  # fmt: skip


@router.post("/{household_id}/grid", status_code=200, responses=WRITE_RESPONSES,
             summary="Move a household into another grid")  # fmt: skip
def move_household(
    backend: BackendDep, writer: WriteDep, household_id: str, body: GridMoveIn
) -> JSONResponse:
    """From ``since`` on (default today); its old grid's period closes the day before."""
    writer.refuse_grid_worker("move households between grids")

    def write(retry: bool) -> field.Written:
        _writable(backend, writer, household_id)
        check_grid(backend, writer.caller, body.grid_id)
        return field.move_household(backend, household_id, body.grid_id, since=body.since,
                                    today=writer.today, retry=retry)  # fmt: skip

    return writer(body, write)


@router.post("/{household_id}/links", status_code=201, responses=WRITE_RESPONSES,
             summary="A party member starts looking after a household")  # fmt: skip
def link_household(
    backend: BackendDep, writer: WriteDep, household_id: str, body: LinkIn
) -> JSONResponse:
    """联户: the member's other households stay linked."""

    def write(retry: bool) -> field.Written:
        _writable(backend, writer, household_id)
        return field.link_household(backend, household_id, body.person_id, since=body.since,
                                    today=writer.today, retry=retry)  # fmt: skip

    return writer(body, write)


@router.post("/{household_id}/links/{person_id}/end", status_code=200, responses=WRITE_RESPONSES,
             summary="A party member's link to a household ends")  # fmt: skip
def unlink_household(
    backend: BackendDep, writer: WriteDep, household_id: str, person_id: str, body: DayIn
) -> JSONResponse:
    """On ``date`` (its last day; default today)."""

    def write(retry: bool) -> field.Written:
        _writable(backend, writer, household_id)
        return field.end_link(backend, household_id, person_id, day=body.date,
                              today=writer.today, retry=retry)  # fmt: skip

    return writer(body, write)


@router.get("/{household_id}/visits", response_model=list[VisitOut],
            summary="Visits to a household, newest first")  # fmt: skip
def household_visits(backend: BackendDep, household_id: ScopedHousehold) -> list[VisitOut]:
    """Who visited, when and why (what ``POST /visits`` records)."""
    return [VisitOut(**r) for r in backend.read("household_visits", {"household": household_id})]
