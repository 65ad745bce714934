"""Pictures as HTML pages: the same views as ``govgraph viz`` (no personal data in them)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path
from fastapi.responses import HTMLResponse

from ... import viz
from ..auth import Caller
from ..deps import AsOf, BackendDep, CallerDep, ScopedCase, ScopedGrid, ScopedHousehold
from ..errors import PROBLEM_RESPONSES
from ..scope import AREA, area_for, grid_worker_today, not_for_grid_workers

router = APIRouter(prefix="/views", tags=["views"], responses=PROBLEM_RESPONSES)

_HTML: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/html": {}}, "description": "A self-contained HTML page"}
}
Code = Annotated[str, Path(description="Division code", examples=["621027"], pattern=AREA)]


@router.get("/households/{household_id}", response_class=HTMLResponse, responses=_HTML,
            summary="Who is responsible for a household, as a picture")  # fmt: skip
def household_view(backend: BackendDep, as_of: AsOf, household_id: ScopedHousehold) -> HTMLResponse:
    return HTMLResponse(viz.household_view(backend, household_id, as_of))


@router.get("/grids/{grid_id}", response_class=HTMLResponse, responses=_HTML,
            summary="A grid: who serves it and its households")  # fmt: skip
def grid_view(
    backend: BackendDep, caller: CallerDep, as_of: AsOf, grid_id: ScopedGrid
) -> HTMLResponse:
    grid_worker_today(caller, as_of, backend)
    return HTMLResponse(viz.grid_view(backend, grid_id, as_of))


@router.get("/cases/{case_id}", response_class=HTMLResponse, responses=_HTML,
            summary="A case's coordination path")  # fmt: skip
def case_view(backend: BackendDep, as_of: AsOf, case_id: ScopedCase) -> HTMLResponse:
    return HTMLResponse(viz.case_view(backend, case_id, as_of))


def _division(caller: Caller, code: str) -> str:
    """The area an area picture is drawn of: never for a grid worker's token (a grid is
    not an area to them), else as for every question (:func:`area_for`)."""
    not_for_grid_workers(caller, f"area {code!r} does not exist")
    return area_for(caller, code)


#: an area picture reads every household of the area into memory: a county (镇原县 has
#: 42,000) takes seconds; a city of a million would hold a worker for minutes
MAX_PICTURE_HOUSEHOLDS = 60_000


@router.get("/areas/{code}", response_class=HTMLResponse, responses=_HTML,
            summary="An area aggregated, coloured by coverage (a county or smaller)")  # fmt: skip
def area_view(backend: BackendDep, caller: CallerDep, as_of: AsOf, code: Code) -> HTMLResponse:
    area = _division(caller, code)
    rows = backend.read("figure_households", {"area": area})  # no row when there are none
    households = int(rows[0]["n"]) if rows else 0
    if households > MAX_PICTURE_HOUSEHOLDS:
        raise HTTPException(
            422,
            f"code: area {code} has {households:,} households; pictures are drawn for at most "
            f"{MAX_PICTURE_HOUSEHOLDS:,} (a county): ask for one of its counties",
        )
    return HTMLResponse(viz.area_view(backend, area, as_of))


@router.get("/areas/{code}/departments", response_class=HTMLResponse, responses=_HTML,
            summary="The department network of an area")  # fmt: skip
def departments_view(
    backend: BackendDep, caller: CallerDep, as_of: AsOf, code: Code
) -> HTMLResponse:
    return HTMLResponse(viz.departments_view(backend, _division(caller, code), as_of))
