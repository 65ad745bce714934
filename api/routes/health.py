"""Liveness and which engine answers."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import PlainTextResponse

from ..auth import Role
from ..deps import BackendDep, CallerDep
from ..errors import PROBLEM_RESPONSES
from ..schemas import Health

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health, summary="Is the service up")
def health(backend: BackendDep) -> Health:
    """No token needed: says the service is up and which engine serves it."""
    return Health(status="ok", store=backend.dialect)


@router.get(
    "/metrics",
    response_class=PlainTextResponse,
    responses=PROBLEM_RESPONSES,
    summary="Prometheus metrics",
)
def metrics(caller: CallerDep, request: Request) -> PlainTextResponse:
    """Requests by route and status, a latency histogram, writes and errors, in
    Prometheus' text format; admin tokens only."""
    if caller.role != Role.ADMIN:
        raise HTTPException(403, "metrics are for admin tokens")
    return PlainTextResponse(
        request.app.state.metrics.render(), media_type="text/plain; version=0.0.4"
    )
