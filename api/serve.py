"""The app factory uvicorn imports in each worker process (settings from the environment)."""

from __future__ import annotations

from fastapi import FastAPI

from ..config import Settings
from .app import create_app

__all__ = ["app_from_env"]


def app_from_env() -> FastAPI:
    """``create_app`` with settings from the environment (``GOVGRAPH_STORE`` …)."""
    return create_app(Settings.load())
