"""Dependencies shared by the routers: the backend, the authenticated caller, the day."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Depends, HTTPException, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from ..backends.base import GraphBackend
from .auth import AuthStore, Caller
from .observe import TOKEN_SCOPE_KEY
from .scope import AREA, AREA_OR_GRID, check_case, check_grid, check_household

__all__ = [
    "AreaOrGridQuery",
    "AreaQuery",
    "AsOf",
    "AuthDep",
    "BackendDep",
    "CallerDep",
    "PiiDep",
    "ScopedCase",
    "ScopedGrid",
    "ScopedHousehold",
    "household_in_scope",
]


async def _backend(request: Request) -> GraphBackend:
    backend: GraphBackend = request.app.state.backend
    return backend


async def _auth(request: Request) -> AuthStore:
    auth: AuthStore = request.app.state.auth
    return auth


#: declared in OpenAPI as the `bearer` scheme; a missing or malformed header is answered
#: below with a problem document rather than by the scheme itself
bearer = HTTPBearer(
    scheme_name="bearer",
    description="An API token from `govgraph token create`.",
    auto_error=False,
)


async def _caller(
    request: Request,
    auth: Annotated[AuthStore, Depends(_auth)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Caller:
    if credentials is None or not credentials.credentials.strip():
        raise HTTPException(
            401,
            "a bearer token is required (govgraph token create)",
            headers={"WWW-Authenticate": "Bearer"},
        )
    caller = auth.verify(credentials.credentials.strip())
    if caller is None:
        raise HTTPException(
            401, "the token is unknown or revoked", headers={"WWW-Authenticate": "Bearer"}
        )
    request.scope[TOKEN_SCOPE_KEY] = caller.token_id  # for the access log
    return caller


async def _as_of(
    request: Request,
    as_of: Annotated[
        date | None,
        Query(
            description="The day the question is asked for (YYYY-MM-DD); default the day of "
            "a generated scenario's data, else today."
        ),
    ] = None,
) -> date:
    if as_of is not None:
        return as_of
    return await run_in_threadpool(request.app.state.backend.default_day)  # reads the store


async def _pii(
    caller: Annotated[Caller, Depends(_caller)],
    unmasked: Annotated[
        bool,
        Query(
            description="Ask for ID numbers and phones unmasked: needs a token with PII "
            "permission (403 otherwise). Such tokens see them unmasked anyway, "
            "and every such read is audited."
        ),
    ] = False,
) -> bool:
    if unmasked and not caller.pii:
        raise HTTPException(403, "this token may not read personal data unmasked")
    return caller.pii


#: the area a question is asked of (a division code); default: the token's own area
AreaQuery = Annotated[
    str | None,
    Query(
        description="Division code at any level; default: the token's own area",
        examples=["621027"],
        pattern=AREA,
    ),
]
#: the same, or a grid id
AreaOrGridQuery = Annotated[
    str | None,
    Query(
        description="Division code at any level, or a grid id; default: the token's own area",
        examples=["621123109"],
        pattern=AREA_OR_GRID,
    ),
]

BackendDep = Annotated[GraphBackend, Depends(_backend)]
AuthDep = Annotated[AuthStore, Depends(_auth)]
CallerDep = Annotated[Caller, Depends(_caller)]
AsOf = Annotated[date, Depends(_as_of)]
#: whether this request shows personal data unmasked
PiiDep = Annotated[bool, Depends(_pii)]


# -- scope checks on the path's subject (reads; a write checks inside its transaction) -----


def household_in_scope(
    household_id: str,
    backend: Annotated[GraphBackend, Depends(_backend)],
    caller: Annotated[Caller, Depends(_caller)],
) -> str:
    """``household_id``, if it exists in the caller's scope (else 404, as if it did not)."""
    rows = backend.read_point("household_area", {"household": household_id})
    check_household(backend, caller, household_id, rows[0]["division_code"] if rows else None)
    return household_id


def _case_in_scope(
    case_id: str,
    backend: Annotated[GraphBackend, Depends(_backend)],
    caller: Annotated[Caller, Depends(_caller)],
) -> str:
    check_case(backend, caller, case_id)
    return case_id


def _grid_in_scope(
    grid_id: str,
    backend: Annotated[GraphBackend, Depends(_backend)],
    caller: Annotated[Caller, Depends(_caller)],
) -> str:
    check_grid(backend, caller, grid_id)
    return grid_id


#: the path's household, case or grid: 404 unless it exists in the caller's scope
ScopedHousehold = Annotated[str, Depends(household_in_scope)]
ScopedCase = Annotated[str, Depends(_case_in_scope)]
ScopedGrid = Annotated[str, Depends(_grid_in_scope)]
