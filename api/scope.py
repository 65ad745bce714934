"""Each token sees only its subtree; anything outside answers exactly like a missing record."""

from __future__ import annotations

from datetime import date

from fastapi import HTTPException

from ..backends.base import GraphBackend
from ..errors import NotFound
from ..questions import area_code
from .auth import Caller

#: a division code in any accepted form (prefix of 2/4/6/9/12 digits or padded 12 digits)
AREA = r"^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$"
#: a division code or a grid id
AREA_OR_GRID = r"^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12}|G[0-9A-Za-z_-]{1,40})$"

__all__ = [
    "AREA",
    "AREA_OR_GRID",
    "area_for",
    "check_case",
    "check_code",
    "check_grid",
    "check_household",
    "grid_worker_today",
]


def check_code(caller: Caller, division_code: str, what: str) -> None:
    if not caller.covers_code(division_code):
        raise NotFound(f"{what} does not exist")


def _current_grids(backend: GraphBackend, household: str) -> list[str]:
    today = backend.default_day()
    return [
        r["grid"]
        for r in backend.read_point("household_grids", {"household": household})
        if r["valid_from"] <= today and (r["valid_to"] is None or r["valid_to"] >= today)
    ]


def check_household(
    backend: GraphBackend, caller: Caller, household: str, division_code: str | None
) -> None:
    """404 unless the household exists and lies in the caller's subtree; for a grid
    worker, unless it is in their grid today — whatever day the question is asked for
    (a household that has left the grid is no longer theirs to read)."""
    what = f"household {household!r}"
    if division_code is None:
        raise NotFound(f"{what} does not exist")
    if caller.grid is not None:
        if caller.grid not in _current_grids(backend, household):
            raise NotFound(f"{what} does not exist")
    else:
        check_code(caller, division_code, what)


def check_case(backend: GraphBackend, caller: Caller, case_id: str) -> None:
    """404 unless the case lies in the caller's subtree; for a grid worker, unless it
    concerns a household in their grid today."""
    rows = backend.read_point("case_area", {"case_id": case_id})
    what = f"case {case_id!r}"
    if not rows:
        raise NotFound(f"{what} does not exist")
    if caller.grid is not None:
        households = backend.read_point("case_households", {"case_id": case_id})
        if not any(caller.grid in _current_grids(backend, h["household"]) for h in households):
            raise NotFound(f"{what} does not exist")
    else:
        check_code(caller, rows[0]["division_code"], what)


def not_for_grid_workers(caller: Caller, refusal: str, *, status: int = 404) -> None:
    """The one guard for what a grid worker's token may not do: a listing or a place beyond
    their grid answers as if it did not exist (404); a write they may not make, 403."""
    if caller.grid is not None:
        if status == 404:
            raise NotFound(refusal)
        raise HTTPException(status, refusal)


def grid_worker_today(caller: Caller, as_of: date, backend: GraphBackend) -> None:
    """A grid worker asks about their grid as it is today (a generated store's day): its
    households then, across grids, are a historical question for the township and above
    (403)."""
    if caller.grid is not None and as_of != backend.default_day():
        raise HTTPException(
            403,
            "grid workers' tokens ask about their grid as of today only; historical "
            "questions across grids are for township tokens and above",
        )


def check_grid(backend: GraphBackend, caller: Caller, grid: str) -> dict[str, object]:
    rows = backend.read_point("grid_info", {"grid": grid})
    what = f"grid {grid!r}"
    if (
        not rows
        or (caller.grid is not None and caller.grid != grid)
        or (caller.grid is None and not caller.covers_code(str(rows[0]["division_code"])))
    ):
        raise NotFound(f"{what} does not exist")
    return rows[0]


def area_for(caller: Caller, area: str | None) -> str:
    """The area a question is asked of: the caller's own scope by default; a grid for a
    grid worker; anything outside the caller's subtree does not exist."""
    if caller.grid is not None:
        if area not in (None, "", caller.grid):
            raise NotFound(f"area {area!r} does not exist")
        return caller.grid
    code = area_code(area) if area else caller.scope
    if not code.startswith(caller.scope):
        raise NotFound(f"area {area!r} does not exist")
    return code
