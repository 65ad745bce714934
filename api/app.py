"""``create_app(settings)``: the HTTP API over the mission's questions."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from starlette.types import ASGIApp, Receive, Scope, Send

from .. import __version__
from ..backends.base import GraphBackend
from ..config import Settings
from .auth import AuthStore
from .errors import install, problem
from .hot import HotRoutes
from .observe import Metrics, Observe
from .routes import areas, cases, control, health, households, people, views, visits, workers
from .routes.control import control_allowed

__all__ = ["MAX_REQUEST_BYTES", "QUERY_TIMEOUT_S", "create_app"]

#: every request is a GET with a few parameters or a small JSON write; anything bigger is
#: refused (the control route of a local command excepted)
MAX_REQUEST_BYTES = 16 * 1024
#: no single question may hold a worker longer than this
QUERY_TIMEOUT_S = 30.0
#: reads (GET) answered at once where the process owns an embedded store, one per core;
#: the others wait in the event loop, holding no thread (see :class:`ReadGate`).
#: ``bench-api`` on 2 cores: with 2, 386 reads/s alone, 186 and 27 writes/s (p50 35 ms)
#: beside a writer; with 4, 348, and 223 with 18 (52 ms); ungated, 312, and 283 with 3.2
#: (290 ms)
READS_AT_ONCE = int(os.environ.get("GOVGRAPH_READS_AT_ONCE", 0)) or (os.cpu_count() or 1)


class ReadGate:
    """At most ``limit`` reads answered at once; writes pass. A read whose places the
    embedded backend keeps (``read_place``) runs Python from start to end, and 64 of them
    at once leave a write a 65th of the interpreter: under ``bench-api``'s 64 readers a
    visit took 290 ms (p50, 3.2 writes/s) against 85 when the reads waited for the engine's
    few connections instead. Waiting here, in the event loop, they hold no thread."""

    def __init__(self, app: Any, limit: int) -> None:
        self.app, self.limit = app, limit
        self._gate: asyncio.Semaphore | None = None  # made in the server's event loop

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        if self._gate is None:
            self._gate = asyncio.Semaphore(self.limit)
        async with self._gate:
            await self.app(scope, receive, send)


class LimitSize:
    """Requests over :data:`MAX_REQUEST_BYTES` (by their length header, or their path and
    query) are answered 413; a local command's bulk work on the control route passes."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self._too_big(scope):
            request = Request(scope)
            if not (scope["path"].startswith("/_control/") and control_allowed(request)):
                limit = f"requests are limited to {MAX_REQUEST_BYTES} bytes"
                await problem(request, 413, limit)(scope, receive, send)
                return
        await self.app(scope, receive, send)

    @staticmethod
    def _too_big(scope: Scope) -> bool:
        """By the length header, or the length of the path and query (read from the scope
        as the server parsed it: a Request and its URL cost more than the check)."""
        target = len(scope.get("raw_path") or scope["path"]) + len(scope["query_string"])
        if target > MAX_REQUEST_BYTES:
            return True
        for name, value in scope["headers"]:
            if name == b"content-length":
                return value.isdigit() and int(value) > MAX_REQUEST_BYTES
        return False


DESCRIPTION = """
The grassroots grid-governance network (网格化管理) as a graph, asked over HTTP.

Reads answer from the store as it is at that moment: a write acknowledged by the API or by
an import (which a served store receives through its server) is in the very next answer.
Writes (`POST`) take the ledgers' keys and rules, are scoped to the caller's area as of
today, audited, and safe to retry with an `Idempotency-Key` header.

Every endpoint but `/health` needs `Authorization: Bearer <token>` (create one with
`govgraph token create`). A token is limited to the subtree of its division code (or, for a
grid worker, to one grid): anything outside it answers 404 exactly as if it did not exist.
ID numbers and phones are masked unless the token carries PII permission; every unmasked
read is written to the audit log (`govgraph audit`). Errors are RFC 9457 problem details.
"""


def create_app(
    settings: Settings,
    *,
    backend: GraphBackend | None = None,
    auth: AuthStore | None = None,
    served_at: str | None = None,
    threads: int | None = None,
) -> FastAPI:
    """The API. The store is opened once and shared by every request.

    On the embedded engine this process becomes the store's one owner: it opens it
    read-write, answers reads on a connection per thread and serialises writes; with
    ``served_at`` (its address) it publishes the marker through which the other
    commands send their work here (:mod:`govgraph.served`). ``threads`` bounds the
    requests answered at once (the worker threads of the sync endpoints).
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        own = backend is None
        if own:
            from ..backends import open_backend

            app.state.backend = open_backend(settings, query_timeout_s=QUERY_TIMEOUT_S, own=True)
        else:
            app.state.backend = backend
        app.state.auth = auth or AuthStore(settings.auth_path)
        if threads:
            from anyio import to_thread

            to_thread.current_default_thread_limiter().total_tokens = threads
        published = own and served_at is not None and not settings.is_neo4j
        if published:
            from ..served import publish

            app.state.control_secret = publish(settings.store, str(served_at)).secret
        try:
            yield
        finally:
            if published:
                from ..served import withdraw

                withdraw(settings.store)
            if own:
                app.state.backend.close()

    app = FastAPI(
        title="govgraph",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        # operation ids are the route functions' names (`responsible`, `uncovered` …), so a
        # client generated from /openapi.json reads as the questions do
        generate_unique_id_function=lambda route: route.name,
    )
    app.state.control_secret = None
    app.state.metrics = Metrics()
    install(app)

    # plain ASGI, innermost first (see Observe, HotRoutes)
    app.add_middleware(HotRoutes)
    app.add_middleware(LimitSize)
    app.add_middleware(Observe, metrics=app.state.metrics)

    for module in (health, households, visits, workers, cases, areas, people, views, control):
        app.include_router(module.router)
    if threads:  # the one owner of an embedded store (Neo4j is shared by processes)
        app.add_middleware(ReadGate, limit=READS_AT_ONCE)
    return app
