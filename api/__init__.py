"""HTTP API (FastAPI) over govgraph's questions: ``create_app(settings)``."""

from .app import create_app

__all__ = ["create_app"]
