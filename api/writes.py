"""How every write endpoint answers: scope as of today, idempotency, audit, status codes.

A write runs :mod:`govgraph.field`'s function for it, then is audited (who, when, which
records) and, given an ``Idempotency-Key`` header, its answer is kept: the same key with
the same request answers the same again without writing; with another request it is a
422. A retry whose first attempt landed but whose answer was lost (the server was killed
in between) finds the store already holding the write and answers as the first would
have. 201 with a Location for what a write creates, 200 for a change, 409 when the
store's state contradicts the write, 422 naming the field a ledger rule refuses.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Header, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from ..backends.base import GraphBackend
from ..field import Written
from .auth import AuthStore, Caller
from .deps import BackendDep, _auth, _caller
from .scope import not_for_grid_workers

__all__ = ["IDEMPOTENCY_HEADER", "WriteDep", "Writer"]

IDEMPOTENCY_HEADER = "Idempotency-Key"


@dataclass
class Writer:
    """One write request: who asks, with which key."""

    caller: Caller
    auth: AuthStore
    backend: GraphBackend
    request: Request
    key: str | None

    @property
    def today(self) -> date:
        """The day a write happens on: today, or a generated scenario's day (the store is a
        picture of that day: its questions are asked then, and a write lands in it)."""
        return self.backend.default_day()

    def refuse_grid_worker(self, what: str) -> None:
        not_for_grid_workers(
            self.caller, f"grid workers' tokens cannot {what}; ask the township", status=403
        )

    def __call__(self, body: BaseModel | None, write: Callable[[bool], Written]) -> JSONResponse:
        request = self.request
        payload = body.model_dump(mode="json") if body is not None else {}
        fingerprint = hashlib.sha256(
            json.dumps([request.method, request.url.path, payload], sort_keys=True).encode()
        ).hexdigest()
        if self.key is not None:
            earlier = self.auth.replay(self.caller.token_id, self.key)
            if earlier is not None:
                if earlier["fingerprint"] != fingerprint:
                    raise HTTPException(
                        422,
                        f"{IDEMPOTENCY_HEADER}: {self.key!r} was used for another request; "
                        "use a new key for a new write",
                    )
                return _answer(earlier["status"], earlier["location"], earlier["body"])
        # the checks and the write in one transaction: the scope is judged on what the write
        # changes, and the checks read on the writer's connection instead of queueing behind
        # the readers for one of the pool's
        retry = self.key is not None
        written = self.backend.atomic(lambda: write(retry))
        status = 201 if written.created else 200
        self.auth.record_write(
            self.caller,
            request.method,
            request.url.path,
            written.records,
            (status, written.location, written.answer),
            (self.key, fingerprint) if self.key is not None else None,
        )
        return _answer(status, written.location, written.answer)


def _answer(status: int, location: str, body: Any) -> JSONResponse:
    return JSONResponse(body, status_code=status, headers={"Location": location})


def _writer(
    request: Request,
    backend: BackendDep,
    caller: Annotated[Caller, Depends(_caller)],
    auth: Annotated[AuthStore, Depends(_auth)],
    key: Annotated[
        str | None,
        Header(
            alias=IDEMPOTENCY_HEADER,
            max_length=200,
            description="Any unique string per write (a UUID): a retry with the same key "
            "and request answers the first answer again and writes nothing.",
        ),
    ] = None,
) -> Writer:
    return Writer(caller, auth, backend, request, key)


WriteDep = Annotated[Writer, Depends(_writer)]
