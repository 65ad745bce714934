"""Workers: who is overloaded."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from ... import questions as q
from ..deps import AreaQuery, AsOf, BackendDep, CallerDep
from ..errors import PROBLEM_RESPONSES
from ..scope import area_for, not_for_grid_workers

router = APIRouter(prefix="/workers", tags=["workers"], responses=PROBLEM_RESPONSES)


@router.get("/overloaded", response_model=q.Overloaded, summary="Overloaded workers")
def overloaded(
    backend: BackendDep,
    caller: CallerDep,
    as_of: AsOf,
    area: AreaQuery = None,
    max_households: Annotated[int, Query(ge=1, le=100_000)] = q.DEFAULT_MAX_HOUSEHOLDS,
    max_linked: Annotated[int, Query(ge=1, le=100_000)] = q.DEFAULT_MAX_LINKED,
    max_open_cases: Annotated[int, Query(ge=1, le=100_000)] = q.DEFAULT_MAX_OPEN_CASES,
) -> q.Overloaded:
    """People over a threshold, each once, ranked by load ratio, with their grids."""
    scope = area_for(caller, area)
    not_for_grid_workers(caller, "grid workers' tokens cannot list other workers' loads")
    return q.overloaded(
        backend,
        scope,
        as_of=as_of,
        max_households=max_households,
        max_linked=max_linked,
        max_open_cases=max_open_cases,
    )
