"""API tokens and the audit log, kept in their own SQLite file.

The graph store has one writer at a time and the server holds it, so state that
the CLI must write while the server runs (tokens created or revoked, the audit
of unmasked reads) lives beside it in SQLite, which both processes can open.
Tokens are stored only as SHA-256 hashes and may expire; the audit log is append-only (the
table has triggers that refuse UPDATE and DELETE) and tamper-evident: each entry carries an
HMAC-SHA256, under the audit key (:func:`govgraph.keys.audit_key`, kept with the personal-data
keys, never beside this file), of its contents and the previous entry's, so an entry edited,
deleted or inserted behind the tool's back breaks the chain (:meth:`AuthStore.verify_audit`).
Writes through the API are audited too, and their answers are kept by idempotency key, so a
client that retries a write gets the first answer back instead of a second write.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Any

from ..errors import ConfigError, NotFound

__all__ = ["GENESIS", "TOKEN_PREFIX", "AuditCheck", "AuthStore", "Caller", "Role"]

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
    revoked TEXT,
    expires TEXT
);
CREATE TABLE IF NOT EXISTS audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    token_id TEXT NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    records TEXT NOT NULL,
    prev TEXT,
    hash TEXT
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
"""
_TRIGGERS = """
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""
#: the "previous entry" of the first one
GENESIS = "0" * 64


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


#: reading a file at an offset in one call (POSIX): see AuthStore._version
_PREAD = hasattr(os, "pread")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _entry_mac(key: bytes, seq: int, fields: tuple[Any, ...], prev: str) -> str:
    """The chain value of audit entry ``seq``: an HMAC of its contents and the previous one's."""
    import hmac

    text = json.dumps([seq, *fields, prev], ensure_ascii=False, separators=(",", ":"))
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class AuditCheck:
    """What :meth:`AuthStore.verify_audit` found."""

    entries: int
    head: str
    first_bad: int | None = None
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.first_bad is None


class AuthStore:
    """Tokens and audit records in one SQLite file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path).expanduser()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._db() as db:
            db.executescript(_SCHEMA)
            self._upgrade(db)
            db.executescript(_TRIGGERS)
        # verified tokens, by hash: (caller, expiry). Dropped whole whenever the file has
        # changed since (see _version: a revocation, a new token, by this process or
        # another), so a revoked token is refused on the very next request while an
        # unchanged file costs one read of its header.
        self._verified: dict[str, tuple[Caller, str | None]] = {}
        self._seen: tuple[str, Any] | None = None
        self._watch: sqlite3.Connection | None = None
        self._header: int | None = None  # the file, open to read its header
        self._lock = threading.Lock()

    def _version(self) -> tuple[str, Any]:
        """What changes with every commit that changes the file. In SQLite's rollback-journal
        mode, the one this file is made in, the file change counter does (the 4 bytes at
        offset 24 of its header, moved before a commit ends), read in one ``pread``: 0.8 µs
        against 9.8 for ``PRAGMA data_version``, which holds that answer too but takes the
        file's lock (measured; a fifth of a token check under bench-api's load). A file
        turned to WAL mode (header byte 18 is 2), whose commits leave the counter, is asked
        by the pragma, as it is where there is no ``pread`` (Windows)."""
        if _PREAD:
            if self._header is None:
                self._header = os.open(self.path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
            head = os.pread(self._header, 28, 0)
            if len(head) == 28 and head[18] == 1:
                return ("counter", head[24:28])
        assert self._watch is not None
        return ("data_version", self._watch.execute("PRAGMA data_version").fetchone()[0])

    def _upgrade(self, db: sqlite3.Connection) -> None:
        """A file from before expiries and the chain: add the columns, chain the entries
        already there (the triggers are made after, so the UPDATE goes through once)."""
        if "expires" not in {r[1] for r in db.execute("PRAGMA table_info(tokens)")}:
            db.execute("ALTER TABLE tokens ADD COLUMN expires TEXT")
        if "hash" in {r[1] for r in db.execute("PRAGMA table_info(audit)")}:
            return
        db.execute("DROP TRIGGER IF EXISTS audit_no_update")
        db.execute("ALTER TABLE audit ADD COLUMN prev TEXT")
        db.execute("ALTER TABLE audit ADD COLUMN hash TEXT")
        key, prev = self._audit_key, GENESIS
        rows = db.execute("SELECT seq, at, token_id, method, path, records FROM audit "
                          "ORDER BY seq").fetchall()  # fmt: skip
        for seq, *fields in rows:
            mac = _entry_mac(key, seq, tuple(fields), prev)
            db.execute("UPDATE audit SET prev = ?, hash = ? WHERE seq = ?", (prev, mac, seq))
            prev = mac

    @cached_property
    def _audit_key(self) -> bytes:
        """Read (or made) once per store object, not on every entry appended."""
        from ..keys import audit_key

        return audit_key()

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=10)
        try:
            with db:
                yield db
        finally:
            db.close()

    def create(
        self,
        role: Role | str,
        scope: str,
        *,
        pii: bool = False,
        label: str = "",
        expires: timedelta | None = None,
    ) -> tuple[str, str]:
        """A new token for ``role`` limited to ``scope``, valid for ``expires`` (or until
        revoked); returns (token id, secret token).

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
        until = None
        if expires is not None:
            until = (datetime.now(UTC) + expires).isoformat(timespec="seconds")
        with self._db() as db:
            db.execute(
                "INSERT INTO tokens (token_id, token_hash, role, scope, pii, label, created, "
                "expires) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (token_id, digest, role.value, scope, int(pii), label, _now(), until),
            )
        return token_id, token

    def verify(self, token: str) -> Caller | None:
        """The caller a token stands for, or None if it is unknown, revoked or expired
        (answered from memory while the token file is unchanged)."""
        digest = _hash(token)
        with self._lock:
            if self._watch is None:
                self._watch = sqlite3.connect(self.path, timeout=10, check_same_thread=False)
            version = self._version()
            if version != self._seen:
                self._verified.clear()
                self._seen = version
            hit = self._verified.get(digest)
            if hit is None:
                row = self._watch.execute(
                    "SELECT token_id, role, scope, pii, expires FROM tokens "
                    "WHERE token_hash = ? AND revoked IS NULL",
                    (digest,),
                ).fetchone()
                if row is None:
                    return None
                hit = (Caller(row[0], Role(row[1]), row[2], bool(row[3])), row[4])
                self._verified[digest] = hit
        caller, expires = hit
        return caller if expires is None or expires > _now() else None

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
                "SELECT token_id, role, scope, pii, label, created, revoked, expires "
                "FROM tokens ORDER BY created, token_id"
            ).fetchall()
        keys = ("token_id", "role", "scope", "pii", "label", "created", "revoked", "expires")
        return [dict(zip(keys, r, strict=True)) | {"pii": bool(r[3])} for r in rows]

    def audit(self, caller: Caller, method: str, path: str, records: list[str]) -> None:
        """Record an unmasked read: who, when, which records."""
        with self._db() as db:
            self._append(db, (_now(), caller.token_id, method, path, json.dumps(records)))

    def _append(self, db: sqlite3.Connection, fields: tuple[str, str, str, str, str]) -> None:
        """One entry at the end of the chain; the write lock is taken before the last entry
        is read, so two processes appending at once cannot fork the chain."""
        db.execute("BEGIN IMMEDIATE")
        last = db.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
        mac = _entry_mac(self._audit_key, seq, fields, prev)
        db.execute(
            "INSERT INTO audit (seq, at, token_id, method, path, records, prev, hash) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (seq, *fields, prev, mac),
        )

    def verify_audit(self) -> AuditCheck:
        """Walk the chain from the first entry: the first one whose MAC does not match its
        contents (edited), whose number skips (deleted) or whose previous value is not the
        entry before it (inserted or reordered) is named. Appending, or deleting the newest
        entries, leaves the chain whole: compare ``head`` with one noted earlier."""
        key = self._audit_key
        with self._db() as db:
            rows = db.execute("SELECT seq, at, token_id, method, path, records, prev, hash "
                              "FROM audit ORDER BY seq").fetchall()  # fmt: skip
        prev, expected = GENESIS, 1
        for seq, at, token_id, method, path, records, stored_prev, stored in rows:
            fields = (at, token_id, method, path, records)
            if seq != expected:
                what = f"entries {expected}–{seq - 1} are" if seq > expected + 1 else (
                    f"entry {expected} is")  # fmt: skip
                return AuditCheck(len(rows), prev, expected, f"{what} missing (deleted)")
            if stored_prev != prev:
                why = f"entry {seq} does not follow entry {seq - 1} (inserted, or replaced)"
                return AuditCheck(len(rows), prev, seq, why)
            if stored != _entry_mac(key, seq, fields, prev):
                why = f"entry {seq} was altered (its MAC does not match its contents)"
                return AuditCheck(len(rows), prev, seq, why)
            prev, expected = stored, seq + 1
        return AuditCheck(len(rows), prev)

    def audit_local(self, method: str, command: str, records: list[str]) -> None:
        """Record an unmasked read made on this machine by a command (not through the API):
        the operating-system user stands where a token would."""
        import getpass

        caller = Caller(f"cli:{getpass.getuser()}", Role.ADMIN, "", True)
        self.audit(caller, method, command, records)

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
            self._append(db, (at, caller.token_id, method, path, json.dumps(records)))
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
