"""The integrators' most asked question, answered beside FastAPI's machinery.

``GET /households/{id}/responsible`` is what an integrator asks for household after
household. Under ``bench-api`` (64 connections) FastAPI's own handling of it — resolving
the dependencies, validating the answer against its model, ``jsonable_encoder``, the trip
to a worker thread and back — cost the interpreter more than the question itself.
:class:`HotRoutes` answers the ordinary request, on the event loop: a bearer token the
server knows, ``as_of`` given as ``YYYY-MM-DD`` or not at all, a household in the
token's scope; it writes the very bytes the FastAPI route writes. Anything else — no
token or an unknown one, another date form or other parameters, a household outside the
scope or unknown, a failure — goes on to the FastAPI route, which answers it as
documented (401, 422, 404, 500 …) and remains the reference: the OpenAPI document is
its, and the tests compare the two answers byte for byte.

Answering on the event loop rather than in a worker thread: on the embedded engine the
question holds the interpreter for nearly all its 0.5 ms (two threads asking it answer no
more than one, measured), so a thread only adds its hop. Where the store is reached over a
network (Neo4j), each statement waits on a round trip, which must not hold the event loop:
there the FastAPI route answers, in worker threads, many at once.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from datetime import date

import orjson
from starlette.types import ASGIApp, Receive, Scope, Send

from .. import questions as q
from ..schema.vocab import ResponsibleRole
from .observe import TOKEN_SCOPE_KEY
from .scope import check_household

__all__ = ["RESPONSIBLE_ROUTE", "HotRoutes", "responsible_json"]

_RESPONSIBLE = re.compile(r"/households/([^/]+)/responsible")
_AS_OF = re.compile(rb"as_of=(\d{4}-\d{2}-\d{2})")


def responsible_json(answer: q.Responsibility) -> bytes:
    """The answer as the FastAPI route writes it (its response model, then Starlette's
    JSONResponse: compact, UTF-8, fields in declaration order). orjson writes the answer's
    dataclasses field by field, in the order they declare them, which is the response
    model's, and a day as ``YYYY-MM-DD``: the same bytes (the tests compare the two routes
    byte for byte), in 0.006 ms an answer against 0.043 for the standard library's encoder
    on a dict built from the answer, and 0.23 through
    :meth:`~govgraph.questions.Responsibility.to_dict` (镇原县, measured)."""
    return orjson.dumps(answer)


class HotRoutes:
    """Plain ASGI, innermost of the middleware (after the size limit, the access log and
    metrics, which see these requests as any other, under the FastAPI route's path)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            match = _RESPONSIBLE.fullmatch(scope["path"])
            if match is not None:
                # once round the event loop first: answered at once, without that turn, a
                # few requests waited behind many rounds of others (p99 700 ms where p50
                # was 50, under bench-api's 64 connections; 78 ms with it, measured)
                await asyncio.sleep(0)
                body = self._responsible(scope, match.group(1))
                if body is not None:
                    await send({
                        "type": "http.response.start",
                        "status": 200,
                        "headers": [(b"content-length", str(len(body)).encode("latin-1")),
                                    (b"content-type", b"application/json")],
                    })  # fmt: skip
                    await send({"type": "http.response.body", "body": body})
                    return
        await self.app(scope, receive, send)

    @staticmethod
    def _responsible(scope: Scope, household: str) -> bytes | None:
        """The answer's bytes, or None where the FastAPI route must answer."""
        app = scope["app"]
        backend = app.state.backend
        if not backend.answers_in_process:  # Neo4j: a round trip, not on the event loop
            return None
        query = scope["query_string"]
        as_of: date | None = None
        if query:
            given = _AS_OF.fullmatch(query)
            if given is None:
                return None
            try:
                as_of = date.fromisoformat(given.group(1).decode("ascii"))
            except ValueError:
                return None
        token = _bearer(scope["headers"])
        if token is None:
            return None
        caller = app.state.auth.verify(token)
        if caller is None:
            return None
        try:
            answer = q.responsible(backend, household, as_of=as_of or backend.default_day())
            # the scope checked on the division code the answer's first row carries (the
            # route reads it first, by a statement of its own)
            first = answer.roles[0]
            if first.role != ResponsibleRole.HOUSEHOLD or not first.via:
                return None
            check_household(backend, caller, household, first.via)
        except Exception:  # the FastAPI route answers it (404, 500 …)
            return None
        scope[TOKEN_SCOPE_KEY] = caller.token_id  # for the access log
        scope["route"] = RESPONSIBLE_ROUTE  # for the metrics
        return responsible_json(answer)


def _bearer(headers: list[tuple[bytes, bytes]]) -> str | None:
    """The token of the first ``Authorization`` header, read as FastAPI's ``HTTPBearer``
    reads it (scheme and token split at the first space, the scheme in any case)."""
    for name, value in headers:
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            token = token.strip()
            return token if scheme.lower() == "bearer" and token else None
    return None


@dataclass(frozen=True)
class Matched:
    """What the metrics read of the route a request took (its path template)."""

    path: str


#: the FastAPI route's path, under which these requests are counted
RESPONSIBLE_ROUTE = Matched("/households/{household_id}/responsible")
