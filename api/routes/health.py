"""Liveness and which engine answers."""

from __future__ import annotations

from fastapi import APIRouter

from ..deps import BackendDep
from ..schemas import Health

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health, summary="Is the service up")
def health(backend: BackendDep) -> Health:
    """No token needed: says the service is up and which engine serves it."""
    return Health(status="ok", store=backend.dialect)
