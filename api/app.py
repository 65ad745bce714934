"""``create_app(settings)``: the HTTP API over the mission's questions."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response

from ..backends.base import GraphBackend
from ..config import Settings
from .auth import AuthStore
from .errors import install, problem
from .routes import areas, cases, health, households, people, views, workers

__all__ = ["MAX_REQUEST_BYTES", "QUERY_TIMEOUT_S", "create_app"]

#: every endpoint is a GET with a few parameters; anything bigger is refused
MAX_REQUEST_BYTES = 16 * 1024
#: no single question may hold a worker longer than this
QUERY_TIMEOUT_S = 30.0

DESCRIPTION = """
The grassroots grid-governance network (网格化管理) as a graph, asked over HTTP.

Every endpoint but `/health` needs `Authorization: Bearer <token>` (create one with
`govgraph token create`). A token is limited to the subtree of its division code (or, for a
grid worker, to one grid): anything outside it answers 404 exactly as if it did not exist.
ID numbers and phones are masked unless the token carries PII permission; every unmasked
read is written to the audit log (`govgraph audit`). Errors are RFC 9457 problem details.
"""


def create_app(
    settings: Settings, *, backend: GraphBackend | None = None, auth: AuthStore | None = None
) -> FastAPI:
    """The API; the backend is opened once (read-only on the embedded engine) and shared."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        own = backend is None
        if own:
            from ..backends import open_backend

            app.state.backend = open_backend(
                settings, read_only=True, query_timeout_s=QUERY_TIMEOUT_S
            )
        else:
            app.state.backend = backend
        app.state.auth = auth or AuthStore(settings.auth_path)
        try:
            yield
        finally:
            if own:
                app.state.backend.close()

    app = FastAPI(title="govgraph", version="0.1.0", description=DESCRIPTION, lifespan=lifespan)
    install(app)

    @app.middleware("http")
    async def limit_size(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        length = request.headers.get("content-length")
        if (length and length.isdigit() and int(length) > MAX_REQUEST_BYTES) or len(
            str(request.url)
        ) > MAX_REQUEST_BYTES:
            return problem(request, 413, f"requests are limited to {MAX_REQUEST_BYTES} bytes")
        return await call_next(request)

    for module in (health, households, workers, cases, areas, people, views):
        app.include_router(module.router)
    return app
