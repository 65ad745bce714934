"""Areas: a summary and the units under each one, to navigate."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from ... import questions as q
from ...errors import NotFound
from ..deps import AsOf, BackendDep, CallerDep
from ..errors import PROBLEM_RESPONSES
from ..schemas import AreaChild
from ..scope import AREA, area_for, not_for_grid_workers

Code = Annotated[str, Path(description="Division code", examples=["621027"], pattern=AREA)]

router = APIRouter(prefix="/areas", tags=["areas"], responses=PROBLEM_RESPONSES)


@router.get("/{code}/summary", response_model=q.AreaSummary, summary="An area at a glance")
def area_summary(backend: BackendDep, caller: CallerDep, as_of: AsOf, code: Code) -> q.AreaSummary:
    """Households, people, grids, workers, linking members, cases, coverage, span."""
    not_for_grid_workers(caller, f"area {code!r} does not exist")
    return q.area_summary(backend, area_for(caller, code), as_of=as_of)


@router.get(
    "/{code}/children",
    response_model=list[AreaChild],
    summary="The units (or grids) directly under an area",
)
def area_children(backend: BackendDep, caller: CallerDep, code: Code) -> list[AreaChild]:
    """Townships of a county, villages of a township, grids of a village."""
    not_for_grid_workers(caller, f"area {code!r} does not exist")
    area = area_for(caller, code)
    rows = backend.read("area_children", {"area": area})
    if not rows:
        raise NotFound(f"area {code!r} does not exist")
    return [AreaChild(id=r["id"], name=r["name"], kind=r["kind"]) for r in rows]
