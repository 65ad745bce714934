"""API tokens and the audit log, kept in their own SQLite file.

The graph store has one writer at a time and the server holds it, so state that
the CLI must write while the server runs (tokens created or revoked, the audit
of unmasked reads) lives beside it in SQLite, which both processes can open.
Tokens are stored only as SHA-256 hashes; the audit log is append-only (the
table has triggers that refuse UPDATE and DELETE). Writes through the API are
audited too, and their answers are kept by idempotency key, so a client that
retries a write gets the first answer back instead of a second write.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from ..errors import ConfigError, NotFound

__all__ = ["TOKEN_PREFIX", "AuthStore", "Caller", "Role"]

TOKEN_PREFIX = "ggt_"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS tokens (
    token_id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    scope TEXT NOT NULL,
    pii INTEGER NOT NULL,
    label TEXT NOT NULL,
    created TEXT NOT NULL,
    revoked TEXT
);
CREATE TABLE IF NOT EXISTS audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    token_id TEXT NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    records TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS idempotency (
    token_id TEXT NOT NULL,
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status INTEGER NOT NULL,
    location TEXT NOT NULL,
    body TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (token_id, key)
);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""


class Role(StrEnum):
    """Who a token speaks for; each is limited to the subtree of its scope."""

    GRID_WORKER = "grid_worker"
    TOWNSHIP = "township"
    COUNTY = "county"
    ADMIN = "admin"


#: the length of a division code each role's scope must have ("" = everywhere)
_SCOPE_LENGTHS = {Role.TOWNSHIP: (9,), Role.COUNTY: (6,), Role.ADMIN: (0, 2, 4, 6)}


@dataclass(frozen=True)
class Caller:
    """The holder of a valid token."""

    token_id: str
    role: Role
    scope: str
    pii: bool

    @property
    def grid(self) -> str | None:
        """The grid a grid worker's token is limited to."""
        return self.scope if self.role == Role.GRID_WORKER else None

    def covers_code(self, division_code: str) -> bool:
        """Whether a division code lies in this caller's subtree."""
        return self.role != Role.GRID_WORKER and division_code.startswith(self.scope)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class AuthStore:
    """Tokens and audit records in one SQLite file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path).expanduser()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._db() as db:
            db.executescript(_SCHEMA)

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=10)
        try:
            with db:
                yield db
        finally:
            db.close()

    def create(
        self, role: Role | str, scope: str, *, pii: bool = False, label: str = ""
    ) -> tuple[str, str]:
        """A new token for ``role`` limited to ``scope``; returns (token id, secret token).

        The secret is shown once: only its hash is stored.
        """
        role = Role(role)
        if role == Role.GRID_WORKER:
            if not scope.upper().startswith("G"):
                raise ConfigError(f"a grid_worker token is scoped to a grid id, not {scope!r}")
        elif len(scope) not in _SCOPE_LENGTHS[role] or not (scope == "" or scope.isdigit()):
            want = " or ".join(f"{n} digits" if n else "empty" for n in _SCOPE_LENGTHS[role])
            raise ConfigError(
                f"a {role} token's --area must be a division code of {want}, not {scope!r}"
            )
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        digest = _hash(token)
        token_id = digest[:12]
        with self._db() as db:
            db.execute(
                "INSERT INTO tokens VALUES (?, ?, ?, ?, ?, ?, ?, NULL)",
                (token_id, digest, role.value, scope, int(pii), label, _now()),
            )
        return token_id, token

    def verify(self, token: str) -> Caller | None:
        """The caller a token stands for, or None if it is unknown or revoked."""
        with self._db() as db:
            row = db.execute(
                "SELECT token_id, role, scope, pii FROM tokens "
                "WHERE token_hash = ? AND revoked IS NULL",
                (_hash(token),),
            ).fetchone()
        return Caller(row[0], Role(row[1]), row[2], bool(row[3])) if row else None

    def revoke(self, token_id: str) -> None:
        with self._db() as db:
            done = db.execute(
                "UPDATE tokens SET revoked = ? WHERE token_id = ? AND revoked IS NULL",
                (_now(), token_id),
            ).rowcount
        if not done:
            raise NotFound(f"no active token with id {token_id!r}")

    def tokens(self) -> list[dict[str, Any]]:
        with self._db() as db:
            rows = db.execute(
                "SELECT token_id, role, scope, pii, label, created, revoked "
                "FROM tokens ORDER BY created, token_id"
            ).fetchall()
        keys = ("token_id", "role", "scope", "pii", "label", "created", "revoked")
        return [dict(zip(keys, r, strict=True)) | {"pii": bool(r[3])} for r in rows]

    def audit(self, caller: Caller, method: str, path: str, records: list[str]) -> None:
        """Record an unmasked read: who, when, which records."""
        with self._db() as db:
            db.execute(
                "INSERT INTO audit (at, token_id, method, path, records) VALUES (?, ?, ?, ?, ?)",
                (_now(), caller.token_id, method, path, json.dumps(records)),
            )

    def replay(self, token_id: str, key: str) -> dict[str, Any] | None:
        """The answer given to an earlier write with this idempotency key, if any."""
        with self._db() as db:
            row = db.execute(
                "SELECT fingerprint, status, location, body FROM idempotency "
                "WHERE token_id = ? AND key = ?",
                (token_id, key),
            ).fetchone()
        if row is None:
            return None
        return {"fingerprint": row[0], "status": row[1], "location": row[2],
                "body": json.loads(row[3])}  # fmt: skip

    def record_write(
        self,
        caller: Caller,
        method: str,
        path: str,
        records: list[str],
        answer: tuple[int, str, Any],
        idempotency: tuple[str, str] | None = None,
    ) -> None:
        """Audit a write (who, when, which records) and, with an idempotency key and the
        request's fingerprint, keep its answer (status, location, body) for retries; one
        transaction, after the write itself has committed."""
        at = _now()
        with self._db() as db:
            db.execute(
                "INSERT INTO audit (at, token_id, method, path, records) VALUES (?, ?, ?, ?, ?)",
                (at, caller.token_id, method, path, json.dumps(records)),
            )
            if idempotency is not None:
                status, location, body = answer
                db.execute(
                    "INSERT OR IGNORE INTO idempotency VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (caller.token_id, idempotency[0], idempotency[1], status, location,
                     json.dumps(body, ensure_ascii=False), at),
                )  # fmt: skip

    def audit_log(self, limit: int = 100) -> list[dict[str, Any]]:
        with self._db() as db:
            rows = db.execute(
                "SELECT seq, at, token_id, method, path, records FROM audit "
                "ORDER BY seq DESC LIMIT ?",
                (limit,),
            ).fetchall()
        return [
            {
                "seq": r[0],
                "at": r[1],
                "token_id": r[2],
                "method": r[3],
                "path": r[4],
                "records": json.loads(r[5]),
            }
            for r in rows
        ]
