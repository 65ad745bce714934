"""One error shape for every failure: RFC 9457 problem details (application/problem+json).

Engine messages and stack traces never leave the server: a 500 says only that
something failed and gives the request's path.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import GovgraphError, NotFound
from ..field import WriteConflict, WriteRejected

__all__ = ["PROBLEM_RESPONSES", "WRITE_RESPONSES", "Problem", "install", "problem"]

log = logging.getLogger("govgraph.api")

_TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Request too large",
    422: "Invalid request",
    500: "Internal server error",
    503: "Store unavailable",
}


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str


PROBLEM_RESPONSES: dict[int | str, dict[str, object]] = {
    status: {"model": Problem, "description": title, "content": {"application/problem+json": {}}}
    for status, title in _TITLES.items()
    if status in (401, 403, 404, 422, 500)
}
#: what a write may answer besides: its state contradicts the store's
WRITE_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {"description": "Changed what exists (or, on a retry, the first answer again)"},
    201: {"description": "Created; `Location` names it (or, on a retry, the first answer again)"},
    **PROBLEM_RESPONSES,
    409: {"model": Problem, "description": _TITLES[409],
          "content": {"application/problem+json": {}}},
}  # fmt: skip


def problem(
    request: Request, status: int, detail: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    body = Problem(
        title=_TITLES.get(status, "Error"), status=status, detail=detail, instance=request.url.path
    )
    return JSONResponse(
        body.model_dump(),
        status_code=status,
        headers=headers,
        media_type="application/problem+json",
    )


def _problem_schemas(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """FastAPI files a response model under ``application/json``; errors are sent as
    ``application/problem+json``, so that is where their schema belongs (a generated
    client then parses them as :class:`Problem`)."""
    plain = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            spec = plain()
            for operations in spec.get("paths", {}).values():
                for operation in operations.values():
                    for response in operation.get("responses", {}).values():
                        content = response.get("content", {})
                        if "application/problem+json" in content and "application/json" in content:
                            content["application/problem+json"] = content.pop("application/json")
            app.openapi_schema = spec
        return app.openapi_schema

    return openapi


def install(app: FastAPI) -> None:
    """Route every error through :func:`problem`, and say so in the OpenAPI document."""
    app.openapi = _problem_schemas(app)  # type: ignore[method-assign]

    # Starlette's own (an unknown path, a method not allowed) as well as FastAPI's
    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = str(exc.detail)
        if exc.status_code == 404 and detail == "Not Found":  # the router found no route
            detail = f"there is no {request.url.path}; the API is described at /docs"
        elif exc.status_code == 405 and detail == "Method Not Allowed":
            detail = f"{request.method} is not allowed on {request.url.path}"
        return problem(request, exc.status_code, detail, dict(exc.headers or {}))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        parts = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err.get("loc", ()))
            parts.append(f"{where}: {err.get('msg', 'invalid')}")
        return problem(request, 422, "; ".join(parts) or "invalid request")

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: NotFound) -> JSONResponse:
        return problem(request, 404, str(exc))

    @app.exception_handler(WriteRejected)
    async def _rejected(request: Request, exc: WriteRejected) -> JSONResponse:
        return problem(request, 422, str(exc))

    @app.exception_handler(WriteConflict)
    async def _conflict(request: Request, exc: WriteConflict) -> JSONResponse:
        return problem(request, 409, str(exc))

    @app.exception_handler(ValueError)
    async def _value(request: Request, exc: ValueError) -> JSONResponse:
        return problem(request, 422, str(exc))

    @app.exception_handler(GovgraphError)
    async def _govgraph(request: Request, exc: GovgraphError) -> JSONResponse:
        log.exception("request failed: %s", request.url.path, exc_info=exc)
        return problem(request, 500, "the request failed; see the server log")

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error: %s", request.url.path, exc_info=exc)
        return problem(request, 500, "the request failed; see the server log")
