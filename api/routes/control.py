"""The control route: other local commands' work on the store this server owns.

Not part of the public API (absent from OpenAPI): it answers only on loopback and
only to the secret in the store's marker file (see :mod:`govgraph.served`);
anything else gets the same 404 as an unknown path.
"""

from __future__ import annotations

import hmac

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool

from ...backends._wire import ARROW, CALLS, encode_json, pack, unpack
from ...backends.base import GraphBackend
from ...backends.remote import serve_call
from ...errors import GovgraphError, NotFound, StoreUnavailable
from ...served import CONTROL_HEADER

__all__ = ["control_allowed", "router"]

router = APIRouter(prefix="/_control", include_in_schema=False)

_LOOPBACK = ("127.0.0.1", "::1", "localhost")


def control_allowed(request: Request) -> bool:
    """Whether a request may use the control route of this app."""
    secret: str | None = getattr(request.app.state, "control_secret", None)
    given = request.headers.get(CONTROL_HEADER, "")
    client = request.client.host if request.client else ""
    return bool(secret) and client in _LOOPBACK and hmac.compare_digest(given, secret or "")


@router.post("/{name}")
async def call(name: str, request: Request) -> Response:
    """Run one backend call for a local command."""
    if name not in CALLS or not control_allowed(request):
        raise NotFound(f"{request.url.path} does not exist")
    args, table = unpack(await request.body())
    backend: GraphBackend = request.app.state.backend
    try:
        result = await run_in_threadpool(serve_call, backend, name, args, table)
    except GovgraphError as exc:  # the local owner sees the engine's own words
        status = 503 if isinstance(exc, StoreUnavailable) else 500
        return Response(encode_json({"detail": str(exc)}), status, media_type="application/json")
    if CALLS[name]:
        return Response(pack({}, result), media_type=ARROW)
    return Response(encode_json(result), media_type="application/json")
