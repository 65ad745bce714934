"""People and grids, to navigate from an answer to its details."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from ... import field
from ...errors import NotFound
from ...privacy import mask_person
from ..deps import AsOf, AuthDep, BackendDep, CallerDep, PiiDep, ScopedGrid
from ..errors import PROBLEM_RESPONSES, WRITE_RESPONSES
from ..schemas import GridOut, GridWorker, IdNumberIn, PersonFound, PersonOut, PostEndIn, PostIn
from ..scope import check_code, check_grid, check_household
from ..writes import WriteDep

router = APIRouter(tags=["people and grids"], responses=PROBLEM_RESPONSES)


@router.get("/persons/{person_id}", response_model=PersonOut, summary="One person")
def person(
    backend: BackendDep,
    caller: CallerDep,
    auth: AuthDep,
    as_of: AsOf,
    request: Request,
    person_id: str,
    pii: PiiDep,
) -> PersonOut:
    """A person; ID number and phone masked unless the token carries PII permission (then
    the read is audited)."""
    rows = backend.read("person_detail", {"person": person_id})
    if not rows:
        raise NotFound(f"person {person_id!r} does not exist")
    r = rows[0]
    if caller.grid is not None and r["household"]:
        check_household(backend, caller, r["household"], r["division_code"])
    elif caller.grid is not None:
        raise NotFound(f"person {person_id!r} does not exist")
    else:
        check_code(caller, str(r["division_code"] or ""), f"person {person_id!r}")
    if pii:
        auth.audit(caller, request.method, request.url.path, [person_id])
    # masked as stored; masked again in case a store holds a plain value (defence in depth)
    shown = backend.reveal([r], person="id")[0] if pii else mask_person(r)
    return PersonOut(**shown)


@router.post("/persons/lookup", response_model=list[PersonFound],
             summary="Find people by ID number")  # fmt: skip
def person_lookup(backend: BackendDep, caller: CallerDep, body: IdNumberIn) -> list[PersonFound]:
    """The people in the caller's area with this ID number (usually one), found through a
    keyed blind index: the store holds no ID number in the clear. Grid workers find the
    people of their grid's households only."""
    found = []
    for r in backend.people_with_id_number(body.id_number):
        try:
            if caller.grid is not None:
                check_household(backend, caller, r["household"], r["division_code"])
            else:
                check_code(caller, str(r["division_code"] or ""), f"person {r['id']!r}")
        except NotFound:
            continue
        found.append(PersonFound(**r))
    return found


@router.get("/grids/{grid_id}", response_model=GridOut, summary="One grid")
def grid_detail(backend: BackendDep, as_of: AsOf, grid_id: ScopedGrid) -> GridOut:
    """A grid with its parent and its workers (active on the day or not)."""
    rows = backend.read("grid_detail", {"grid": grid_id})
    first = rows[0]
    workers = [
        GridWorker(
            person=r["worker"],
            name=r["worker_name"],
            employment=r["employment"],
            active=r["valid_to"] is None or r["valid_to"] >= as_of,
        )
        for r in rows
        if r["worker"] is not None
    ]
    return GridOut(
        id=first["id"],
        name=first["name"],
        level=first["level"],
        division_code=first["division_code"],
        parent=first["parent"],
        workers=workers,
    )


@router.post("/grids/{grid_id}/posts", status_code=201, responses=WRITE_RESPONSES,
             summary="A person takes a post on a grid")  # fmt: skip
def start_post(backend: BackendDep, writer: WriteDep, grid_id: str, body: PostIn) -> JSONResponse:
    """网格员, 网格长, 志愿者 or 下沉干部, from ``since`` on; the person's other posts stay."""
    writer.refuse_grid_worker("appoint people to grids")

    def write(retry: bool) -> field.Written:
        check_grid(backend, writer.caller, grid_id)
        return field.start_post(backend, grid_id, body.person_id, body.role,
                                employment=body.employment, since=body.since,
                                today=writer.today, retry=retry)  # fmt: skip

    return writer(body, write)


@router.post("/grids/{grid_id}/posts/{person_id}/end", status_code=200,
             responses=WRITE_RESPONSES, summary="A person's post on a grid ends")  # fmt: skip
def end_post(
    backend: BackendDep, writer: WriteDep, grid_id: str, person_id: str, body: PostEndIn
) -> JSONResponse:
    """On ``date`` (the post's last day; default today)."""
    writer.refuse_grid_worker("end people's posts")

    def write(retry: bool) -> field.Written:
        check_grid(backend, writer.caller, grid_id)
        return field.end_post(backend, grid_id, person_id, body.role, day=body.date,
                              today=writer.today, retry=retry)  # fmt: skip

    return writer(body, write)
