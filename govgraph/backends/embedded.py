"""The embedded default: LadybugDB (PyPI ``ladybug``) in a directory on disk."""

from __future__ import annotations

import os
import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..catalog import executable_text
from ..errors import QueryFailed, StoreUnavailable
from ..privacy import plain_personal_data
from ..schema.cypher import (
    MARK_RESIDUE,
    READ_MODEL_VERSION,
    READ_RESIDUE,
    RECORD_MODEL_VERSION,
    STORE_LABEL,
    area_nodes,
    area_relationships,
    fetch_nodes,
    fetch_relationships,
    fetch_relationships_of_one,
    merge_nodes_embedded,
    merge_relationships_embedded,
    node_ids,
    relationship_keys,
    update_nodes,
    update_relationships,
)
from ..schema.ddl import EMBEDDED_STORE_COLUMNS, EMBEDDED_STORE_TABLE, embedded_schema, quote
from ..schema.model import NODES, RELATIONSHIPS, Label, Rel, rel_spec
from ._arrow import (
    composite_key,
    conform_nodes,
    conform_relationships,
    node_schema,
    rel_schema,
    split_known,
)
from ._direct import Direct, close_results, result_rows
from ._sealing import PARALLEL_PEOPLE, cores, sealed_files
from .base import GraphBackend, Row
from .kept import KEPT_ROWS, PLACE_STATEMENTS, Kept, WriteLock

__all__ = ["DEFAULT_BUFFER_POOL_BYTES", "EmbeddedBackend"]

#: LadybugDB's own default takes 80% of the machine's memory; a library should
#: not. 1 GiB loads a million households within 3 GB (see benchmarks/).
DEFAULT_BUFFER_POOL_BYTES = 1 << 30
#: tables up to this size are written with ``UNWIND $rows MERGE`` (a field write: 1–2 ms a
#: statement, measured); larger ones with ``COPY``, whose new-or-known split reads every key
#: of the table (45 ms for one visit on 庆坪镇, and in a transaction it held so many pages
#: that 32 concurrent readers found the buffer pool full)
SMALL_WRITE_ROWS = 256
#: rows per Arrow chunk a result is handed over in (larger chunks: fewer copies; a
#: county's 42,000 households come over 10% faster in one than in the default 1,000s), and
#: always given: left to ladybug, the size it picks cost a one-row result 2.15 ms against
#: 0.1 (measured: a third of a visit written through the API)
ARROW_CHUNK_ROWS = 1 << 17
#: up to this many ids, relationships are fetched id by id, by key, rather than by unwinding
#: the list (see :func:`~govgraph.schema.cypher.fetch_relationships_of_one`)
FEW_IDS = 8

#: reads in flight at once (more threads wait): two per core (no faster beyond, measured
#: on 2 cores) and no more than 8, so their working memory stays well inside the pool
READ_CONNECTIONS = min(8, 2 * (os.cpu_count() or 1))

#: threads that run one question's independent reads at once, the asking thread among them
#: (see ``_at_once``): one per core, and no more than 6; the connection pool's slots bound
#: them too
FAN_OUT = min(6, os.cpu_count() or 1)

T = TypeVar("T")


class EmbeddedBackend(GraphBackend):
    """A LadybugDB database directory.

    One read-write opener per directory (a second process gets
    :class:`StoreUnavailable`); inside the process writes are serialised on one
    writer connection (the engine refuses a second write transaction at once
    rather than waiting), and reads run concurrently, one connection per thread.
    Writes are upserts: rows whose key is new go in with ``COPY`` from Arrow
    (the engine's fast path); rows already stored have their properties set
    with ``LOAD FROM … MATCH … SET``. Loading again never duplicates anything.
    """

    dialect = "embedded"
    anchored_reads = True
    answers_in_process = True
    columnar_reads = True

    def __init__(
        self,
        path: str | Path,
        *,
        read_only: bool = False,
        buffer_pool_bytes: int = DEFAULT_BUFFER_POOL_BYTES,
        query_timeout_ms: int | None = None,
        read_connections: int | None = None,
    ) -> None:
        import ladybug

        self.path = Path(path).expanduser()
        self.location = str(self.path)
        self.read_only = read_only
        if not read_only:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreUnavailable(
                    f"cannot make embedded store {self.path}: {exc.strerror} ({exc.filename})"
                ) from exc
        elif not self.path.exists():
            raise StoreUnavailable(
                f"no store at {self.path}; load a scenario first "
                f"(govgraph --store {self.path} load scenario qingping)"
            )
        # a process killed mid-write leaves a torn last record in the write-ahead log: replay
        # stops there (what was committed before it is kept) instead of refusing the whole
        # store, as LadybugDB's own tests run it (its issue 714, PR 716; 0.22 still throws)
        self._kwargs: dict[str, Any] = {"read_only": read_only,
                                        "buffer_pool_size": buffer_pool_bytes,
                                        "throw_on_wal_replay_failure": False}  # fmt: skip
        try:
            try:
                self._db = ladybug.Database(str(self.path), **self._kwargs)
            except RuntimeError as exc:
                if not (read_only and "recovery is pending" in str(exc)):
                    raise
                # a writer was killed: one writable open replays its log, then read as asked
                writable = {**self._kwargs, "read_only": False}
                ladybug.Database(str(self.path), **writable).close()
                self._db = ladybug.Database(str(self.path), **self._kwargs)
            self._conn = ladybug.Connection(self._db)
        except RuntimeError as exc:
            msg = str(exc)
            hint = ""
            if "lock" in msg.lower():
                from ..served import find_server

                served = find_server(self.path)
                hint = (
                    f" (it is served by {served.describe()}: ask through the API, or use "
                    "govgraph commands, which work through the server)"
                    if served is not None
                    else " (another process has it open; stop it, then try again)"
                )
            raise StoreUnavailable(f"cannot open embedded store {self.path}: {msg}{hint}") from exc
        # re-entrant: a write inside `atomic` takes it again on the same thread; every write
        # and every transaction holds it, and it dates the kept answers (see .kept)
        self._write_lock = WriteLock()
        self._kept = Kept(self._write_lock)
        # the timeout bounds readers only: a bulk write through the server may take minutes
        self._timeout_ms = query_timeout_ms
        self._local = threading.local()
        self._readers: list[Any] = []
        #: idle reader connections, the last returned on top (its pages still warm), and one
        #: token per connection that may be in use: both C-level, taken and given back
        #: without a Python lock (a semaphore and a LIFO queue cost 5 µs a read, a third of a
        #: lookup by id)
        self._idle: deque[Any] = deque()
        self._pool_size = read_connections or READ_CONNECTIONS
        self._slots: queue.SimpleQueue[None] = queue.SimpleQueue()
        for _ in range(self._pool_size):
            self._slots.put(None)
        #: the threads that run independent reads at once, made on first use
        self._fan: Any = None
        self._fan_lock = threading.Lock()
        #: each reader connection's road for point statements, and its settings (see
        #: :meth:`_reader`)
        self._direct: dict[int, Direct] = {}

    @contextmanager
    def _reader(self, threads: int = 0, *, timed: bool = True) -> Iterator[Any]:
        """A connection to read on, from a small pool: a LadybugDB connection is not to be
        shared between threads, and every query in flight takes its working memory from
        the one buffer pool (about 100 MB for 庆坪镇's uncovered; 16 at once filled 1 GiB,
        measured), so more threads wait for a connection rather than fail. Inside
        :meth:`atomic` the thread reads on the writer connection and sees its own writes.
        The connection runs a statement on up to ``threads`` threads (0: every core),
        bounded by the store's query timeout unless not ``timed``: the engine keeps the
        time of a timed statement at a cost of its own, 0.11 ms a statement (a lookup by
        id: 0.055 ms untimed, 0.17 timed, measured), more than the point reads it
        would bound take."""
        if getattr(self._local, "in_transaction", False):
            yield self._conn
            return
        self._slots.get()  # waits while every connection is in use
        try:
            try:
                conn = self._idle.pop()
            except IndexError:  # fewer connections open than tokens: one more
                import ladybug

                conn = ladybug.Connection(self._db)
                self._readers.append(conn)
                self._direct[id(conn)] = Direct(conn)
            self._direct[id(conn)].configure(threads, (self._timeout_ms or 0) if timed else 0)
            try:
                yield conn
            finally:
                self._idle.append(conn)
        finally:
            self._slots.put(None)

    def atomic(self, work: Callable[[], T]) -> T:
        """Run ``work`` (which reads and writes through this backend) as one transaction:
        all of it is committed, or none of it (an error or a kill rolls it back)."""
        with self._write_lock:
            if getattr(self._local, "in_transaction", False):
                return work()
            self._exec_writer("BEGIN TRANSACTION")
            self._local.in_transaction = True
            try:
                result = work()
            except BaseException:
                self._local.in_transaction = False
                # the engine may have rolled back already, on the statement that failed
                with suppress(QueryFailed):
                    self._exec_writer("ROLLBACK")
                raise
            self._local.in_transaction = False
            self._exec_writer("COMMIT")
            return result

    def _exec_writer(self, statement: str) -> None:
        try:
            close_results(self._conn.execute(statement))
        except RuntimeError as exc:
            raise QueryFailed(f"embedded store rejected a statement: {exc}") from exc

    def _run(
        self,
        text: str,
        params: Mapping[str, Any],
        *,
        write: bool = False,
        threads: int = 0,
        timed: bool = True,
    ) -> list[Row]:
        """One statement; a read runs on up to ``threads`` threads (0: the database's
        limit, every core), bounded by the query timeout if ``timed``."""
        try:
            if write:
                with self._write_lock:
                    self._write_lock.touch(self._table_written())
                    result = self._conn.execute(text, dict(params))
                return result_rows(result)
            with self._reader(threads, timed=timed) as conn:
                direct = self._direct.get(id(conn)) if not timed else None
                rows = direct.rows(text, params) if direct is not None else None
                return rows if rows is not None else result_rows(conn.execute(text, dict(params)))
        except RuntimeError as exc:
            raise QueryFailed(f"embedded store rejected a statement: {exc}") from exc

    def read_point(self, name: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        """On one thread: the engine schedules each pipeline of a statement on its worker
        threads, which costs a point query more than a second core gains it ("who is
        responsible" 20% faster on one, measured on 镇原县 and at a million households;
        a county-wide scan twice as slow). Untimed: a point read starts from one node by
        id and follows its own relationships, which no query timeout is needed to bound,
        and the engine's timer doubled "who is responsible" (0.94 ms against 0.47 on
        镇原县, measured)."""
        return self._run(executable_text(name, self.dialect), params or {}, threads=1, timed=False)

    def read_place(self, name: str, params: Mapping[str, Any]) -> list[Row]:
        """Kept until a write that may change a place ends (one to :data:`~.kept.PLACE_TABLES`, or
        any not declared to touch only others: a visit, a case, a household's grid leave
        them): such a write, committed, dates every kept answer before its call returns, and
        an answer read while it was under way is dated before it. A store opened read-only
        keeps nothing (another process may be writing it); neither does a read inside
        :meth:`atomic` (it sees its own uncommitted writes)."""
        if name not in PLACE_STATEMENTS:
            raise ValueError(f"{name!r} is not a statement about a place (PLACE_STATEMENTS)")
        rows = self._keep("places", (name, *params.items()), lambda: self.read_point(name, params))
        return [dict(r) for r in rows]  # the caller's to change

    def keep_place(self, key: tuple[Any, ...], make: Callable[[], T]) -> T:
        """Kept among the answers about places (a key of its own: ``("made", *key)``), read
        and dated with them: one made while a write to places was under way is not kept."""
        return self._keep("places", ("made", *key), make)

    def _keep(self, family: str, key: tuple[Any, ...], read: Callable[[], T]) -> T:
        """``read()``, kept in ``family`` under ``key`` until a write to one of its tables
        (see :meth:`read_place`, :class:`.kept.Kept`)."""
        if self.read_only or getattr(self._local, "in_transaction", False):
            return read()
        return self._kept.get(family, key, read)

    def _table_written(self) -> str | None:
        """The one table the write this thread is making touches, if it declared one (a bulk
        write does); None for any other write, which may touch any table."""
        return getattr(self._local, "writing", None)

    @contextmanager
    def _writing(self, table: str) -> Iterator[None]:
        """The writes this thread makes meanwhile touch ``table`` only."""
        before = getattr(self._local, "writing", None)
        self._local.writing = table
        try:
            yield
        finally:
            self._local.writing = before

    def forget_kept(self) -> None:
        self._kept.forget()

    def _read_only(self, text: str, params: Mapping[str, Any]) -> tuple[list[str], list[Row]]:
        """One statement (preparing it first refuses several: a COMMIT must not end the
        transaction half-way) in a READ ONLY transaction, which the engine keeps: a write
        fails there, whatever its keyword, and the transaction is rolled back."""
        import warnings

        with self._reader() as conn:
            with warnings.catch_warnings():  # prepare-then-execute is deprecated, not gone
                warnings.simplefilter("ignore", DeprecationWarning)
                prepared = conn.prepare(text)
            if not prepared.is_success():
                raise QueryFailed(f"embedded store rejected the statement: "
                                  f"{prepared.get_error_message()}")  # fmt: skip
            try:
                close_results(conn.execute("BEGIN TRANSACTION READ ONLY"))
                # the text, not the prepared statement: LadybugDB 0.22 runs a prepared write
                # inside a read-only transaction (rolled back after) instead of refusing it
                result = conn.execute(text, dict(params))
                try:
                    columns = result.get_column_names()
                    rows = [dict(zip(columns, row, strict=True)) for row in result.get_all()]
                finally:
                    result.close()
            except RuntimeError as exc:
                raise QueryFailed(f"embedded store rejected the statement: {exc}") from exc
            finally:
                with suppress(RuntimeError):  # gone already if the statement ended it
                    close_results(conn.execute("ROLLBACK"))
        return columns, rows

    def apply_schema(self) -> None:
        statements = embedded_schema()
        if self.model_version() is None:
            # a new store's tables and the record of its version land together: killed
            # between them, it would pass for a store of govgraph 0.1.0 and refuse to open
            self.atomic(lambda: self._apply_schema(statements))
        else:
            self._apply_schema(statements)

    def add_missing_properties(self) -> None:
        """Add the columns the model has and the store's tables lack (a later model's new
        properties; null in the rows already there)."""
        tables = [(n.label.value, [(p.name, p.type.value) for p in n.props]) for n in NODES]
        tables += [(r.type.value, [(p.name, p.type.value) for p in r.props]) for r in RELATIONSHIPS]
        tables.append((STORE_LABEL, list(EMBEDDED_STORE_COLUMNS)))
        for table, columns in tables:
            have = self._columns(table)
            for name, kind in columns:
                if name not in have:
                    self._run(f"ALTER TABLE {quote(table)} ADD {name} {kind}", {}, write=True)

    def data_day(self) -> date | None:
        try:
            return super().data_day()
        except QueryFailed:  # a store from before the day was recorded, opened read-only
            return None

    def mark_residue(self) -> None:
        self._run(MARK_RESIDUE, {}, write=True)

    def residue(self) -> bool:
        if "residue" not in self._columns(STORE_LABEL):  # a store from before the flag
            return False
        return bool((self._run(READ_RESIDUE, {}) or [{}])[0].get("residue"))

    def _tables(self) -> set[str]:
        return {row["name"] for row in self._run("CALL show_tables() RETURN name", {})}

    def _columns(self, table: str) -> set[str]:
        """The columns of a table (none for a table the store does not have)."""
        if table not in self._tables():
            return set()
        return {row["name"] for row in self._run(f"CALL table_info('{table}') RETURN name", {})}

    def compact(self, progress: Callable[[str, int], None] | None = None) -> None:
        """Rewrite the store file so that nothing freed stays in it (plain ID numbers a
        migration sealed, rows deleted): the store is copied into a new file beside it,
        which then replaces it in one rename. Killed before the rename, the store is as it
        was (run again); after it, compacted. Needs the store to itself."""
        from ..loaders.copy import copy_store

        if self.read_only:
            raise StoreUnavailable(f"{self.path} is open read-only: cannot compact it")
        fresh = self.path.with_name(self.path.name + ".compacting")
        _remove_store_files(fresh)
        with EmbeddedBackend(fresh, buffer_pool_bytes=self._kwargs["buffer_pool_size"]) as copy:
            copy_store(self, copy, progress=progress)
        self.close()
        os.replace(fresh, self.path)
        _remove_store_files(fresh)
        import ladybug

        self._db = ladybug.Database(str(self.path), **self._kwargs)
        self._conn = ladybug.Connection(self._db)
        self._readers, self._idle, self._direct = [], deque(), {}
        self.forget_kept()

    def model_version(self) -> int | None:
        tables = self._tables()
        if STORE_LABEL in tables:
            rows = self._run(READ_MODEL_VERSION, {})
            if rows:
                return int(rows[0]["version"])
        return 1 if tables - {STORE_LABEL} else None

    def record_model_version(self, version: int, release: str) -> None:
        def record() -> None:  # the table and its one row land together, or neither
            self._run(EMBEDDED_STORE_TABLE, {}, write=True)
            self._run(RECORD_MODEL_VERSION, {"version": version, "release": release}, write=True)

        self.atomic(record)

    def _scan(self, statement: str, table: pa.Table | None) -> None:
        """Run a COPY or LOAD FROM statement over ``table`` (or over the files it names):
        one atomic statement."""
        # LadybugDB scans the Python variable the statement names.
        rows = table  # noqa: F841 - referenced by name in `statement`
        try:
            with self._write_lock:
                self._write_lock.touch(self._table_written())
                close_results(self._conn.execute(statement))
        except RuntimeError as exc:
            raise QueryFailed(f"bulk write failed: {exc}") from exc

    def _arrow(
        self,
        statement: str,
        params: Mapping[str, Any],
        schema: pa.Schema,
    ) -> pa.Table:
        """Run a read and take its result as Arrow (no Python objects per row)."""
        try:
            with self._reader() as conn:
                result = conn.execute(statement, dict(params))
                assert not isinstance(result, list)  # one statement, one result
                try:
                    table = result.get_as_arrow(ARROW_CHUNK_ROWS)
                finally:  # a result pins pages of the buffer pool until closed
                    result.close()
        except RuntimeError as exc:
            raise QueryFailed(f"embedded store rejected a statement: {exc}") from exc
        return table.cast(schema) if table.num_rows else schema.empty_table()

    def read_arrow(
        self, name: str, params: Mapping[str, Any] | None = None, *, threads: int = 0
    ) -> pa.Table:
        """The catalog read ``name`` as Arrow, taken from the engine without a Python object
        per row (columns as the engine types them; none for an empty result), on up to
        ``threads`` threads (0: every core); one of :data:`~.kept.KEPT_ROWS` kept until a
        write to one of its family's tables."""
        family = KEPT_ROWS.get(name)
        if family is not None:
            key = ("arrow", name, *(params or {}).items())  # `read`'s rows are kept apart
            return self._keep(family, key, lambda: self._read_arrow(name, params, threads))
        return self._read_arrow(name, params, threads)

    def _read_arrow(self, name: str, params: Mapping[str, Any] | None, threads: int) -> pa.Table:
        try:
            with self._reader(threads) as conn:
                result = conn.execute(executable_text(name, self.dialect), dict(params or {}))
                try:
                    return result.get_as_arrow(ARROW_CHUNK_ROWS)
                finally:
                    result.close()
        except RuntimeError as exc:
            raise QueryFailed(f"embedded store rejected a statement: {exc}") from exc

    def read(self, name: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        return self._read_rows(name, params or {}, 0)

    def _read_rows(self, name: str, params: Mapping[str, Any], threads: int) -> list[Row]:
        """The catalog read ``name`` on up to ``threads`` threads (0: every core); one of
        :data:`~.kept.KEPT_ROWS` kept until a write to one of its family's tables."""

        def read() -> list[Row]:
            return self._run(executable_text(name, self.dialect), params, threads=threads)

        family = KEPT_ROWS.get(name)
        if family is None:
            return read()
        rows = self._keep(family, ("rows", name, *params.items()), read)
        return [dict(r) for r in rows]  # the caller's to change

    def read_many(self, reads: Sequence[tuple[str, Mapping[str, Any]]]) -> list[list[Row]]:
        return self._at_once(
            reads, lambda name, params: self._read_rows(name, params, 1), super().read_many
        )

    def read_arrow_many(self, reads: Sequence[tuple[str, Mapping[str, Any]]]) -> list[pa.Table]:
        return self._at_once(
            reads,
            lambda name, params: self.read_arrow(name, params, threads=1),
            super().read_arrow_many,
        )

    def _at_once(
        self,
        reads: Sequence[tuple[str, Mapping[str, Any]]],
        one: Callable[[str, Mapping[str, Any]], T],
        in_turn: Callable[[Sequence[tuple[str, Mapping[str, Any]]]], list[T]],
    ) -> list[T]:
        """Independent reads at once, each on one thread of its own pooled connection: the
        engine's per-statement setup and the hand-over of each result run side by side
        (uncovered's six scans on 镇原县: 68 ms in turn, 37 at once on two cores, measured).
        No more threads than :data:`FAN_OUT`, the asking thread one of them, each taking the
        next read not yet taken, in the order given (callers put the longest first): a
        thread per read on two cores had the four reads of "overloaded" take 13–16 ms
        against 10–11 so (measured). Inside :meth:`atomic` they stay on the writer
        connection, in turn, to see its writes."""
        if len(reads) < 2 or FAN_OUT < 2 or getattr(self._local, "in_transaction", False):
            return in_turn(reads)
        with self._fan_lock:
            if self._fan is None:
                from concurrent.futures import ThreadPoolExecutor

                self._fan = ThreadPoolExecutor(FAN_OUT - 1, thread_name_prefix="govgraph-read")
        results: list[Any] = [None] * len(reads)
        taken = iter(range(len(reads)))
        take = threading.Lock()

        def work() -> None:
            while True:
                with take:
                    i = next(taken, None)
                if i is None:
                    return
                results[i] = one(*reads[i])

        helpers = [self._fan.submit(work) for _ in range(min(len(reads), FAN_OUT) - 1)]
        try:
            work()
        finally:
            for helper in helpers:  # every read done (or failed) before an error goes up
                helper.exception()
        for helper in helpers:
            helper.result()  # a helper's error
        return results

    def nodes_in_area(self, label: Label, area: str) -> pa.Table:
        return self._arrow(area_nodes(label), {"area": area}, node_schema(label))

    def relationships_in_area(
        self, rel: Rel, source: Label, target: Label, area: str, *, by_target: bool = False
    ) -> pa.Table:
        statement = area_relationships(rel, source, target, by_target=by_target)
        return self._arrow(statement, {"area": area}, rel_schema(rel))

    def fetch_nodes(self, label: Label, ids: list[str]) -> pa.Table:
        if not ids:
            return node_schema(label).empty_table()
        return self._arrow(fetch_nodes(label), {"ids": ids}, node_schema(label))

    def fetch_relationships(
        self, rel: Rel, source: Label, target: Label, ids: list[str], *, by_target: bool = False
    ) -> pa.Table:
        if not ids:
            return rel_schema(rel).empty_table()
        schema = rel_schema(rel)
        if len(ids) > FEW_IDS:
            statement = fetch_relationships(rel, source, target, by_target=by_target)
            return self._arrow(statement, {"ids": ids}, schema)
        one = fetch_relationships_of_one(rel, source, target, by_target=by_target)
        return pa.concat_tables([self._arrow(one, {"id": i}, schema) for i in dict.fromkeys(ids)])

    def _known(self, statement: str, columns: list[str], table: pa.Table) -> pa.Array:
        """Mask of the rows of ``table`` whose ``columns`` already exist in the store
        (read on the writer connection, under the write lock the caller holds)."""
        try:
            result = self._conn.execute(statement)
            assert not isinstance(result, list)  # one statement, one result
            try:
                existing = result.get_as_arrow(ARROW_CHUNK_ROWS)
            finally:  # a result pins pages of the buffer pool until closed
                result.close()
        except RuntimeError as exc:
            raise QueryFailed(f"embedded store rejected a statement: {exc}") from exc
        if existing.num_rows == 0:
            return pa.array(np.zeros(table.num_rows, dtype=bool))
        return pc.is_in(composite_key(table, columns), value_set=composite_key(existing, columns))

    def _upsert(self, table: pa.Table, known: pa.Array, copy: str, update: str | None) -> None:
        fresh, old = split_known(table, known)
        if fresh.num_rows:
            self._scan(copy, fresh)
        if old.num_rows and update is not None:
            self._scan(update, old)

    def write_nodes(self, label: Label, table: pa.Table) -> int:
        with self._writing(Label(label).value):
            return self._write_nodes(label, table)

    def _write_nodes(self, label: Label, table: pa.Table) -> int:
        if label is Label.PERSON and table.num_rows >= PARALLEL_PEOPLE and cores() > 1:
            return self._write_many_people(table)
        table = conform_nodes(label, self._sealed(label, table))
        if 0 < table.num_rows <= SMALL_WRITE_ROWS:
            self._run(merge_nodes_embedded(label), {"rows": table.to_pylist()}, write=True)
        elif table.num_rows:
            with self._write_lock:  # the split into new and known must not race another write
                known = self._known(node_ids(label), ["id"], table)
                self._upsert(table, known, f"COPY {quote(label)} FROM rows", update_nodes(label))
        return table.num_rows

    def _write_many_people(self, table: pa.Table) -> int:
        """People by the hundred thousand: the new ones sealed on every core into files the
        engine copies from (:mod:`._sealing`); any already stored sealed here and updated."""
        person = Label.PERSON
        with self._write_lock:  # the split into new and known must not race another write
            known = self._known(node_ids(person), ["id"], table)
            fresh, old = split_known(table, known)
            if fresh.num_rows >= PARALLEL_PEOPLE and plain_personal_data(fresh):
                started = time.perf_counter()
                key = self.personal_data_key(create=True)
                with sealed_files(fresh, key, self.path.parent) as sealed:
                    self.seal_seconds += time.perf_counter() - started
                    self.seal_worker_peak_mib = max(self.seal_worker_peak_mib, sealed.peak_mib)
                    self._scan(f"COPY {quote(person)} FROM {sealed.files}", None)
                fresh = fresh.slice(0, 0)
            for part, statement in ((fresh, f"COPY {quote(person)} FROM rows"),
                                    (old, update_nodes(person))):  # fmt: skip
                if part.num_rows:
                    self._scan(statement, conform_nodes(person, self._sealed(person, part)))
        return table.num_rows

    def write_relationships(self, rel: Rel, source: Label, target: Label, table: pa.Table) -> int:
        with self._writing(Rel(rel).value):
            return self._write_relationships(rel, source, target, table)

    def _write_relationships(self, rel: Rel, source: Label, target: Label, table: pa.Table) -> int:
        table = conform_relationships(rel, table)
        if 0 < table.num_rows <= SMALL_WRITE_ROWS:
            statement = merge_relationships_embedded(rel, source, target) + " RETURN count(*) AS n"
            rows = table.to_pylist()

            def merge() -> None:  # all or nothing, like COPY: a missing end is an error
                written = self._run(statement, {"rows": rows}, write=True)[0]["n"]
                if written < len(rows):
                    raise QueryFailed(
                        f"bulk write failed: {len(rows) - written} {rel} relationship(s) name a "
                        f"{source} or {target} that does not exist"
                    )

            self.atomic(merge)
        elif table.num_rows:
            columns = ["source", "target", *rel_spec(rel).key]
            with self._write_lock:
                known = self._known(relationship_keys(rel, source, target), columns, table)
                self._upsert(
                    table,
                    known,
                    f"COPY {quote(rel)} FROM rows (from='{source}', to='{target}')",
                    update_relationships(rel, source, target),
                )
        return table.num_rows

    def close(self) -> None:
        if hasattr(self, "_kept"):
            self._kept.forget()
        fan = getattr(self, "_fan", None)
        if fan is not None:
            fan.shutdown(wait=True)
            self._fan = None
        conn, db = getattr(self, "_conn", None), getattr(self, "_db", None)
        self._direct = {}  # their prepared statements go before their connections
        for reader in getattr(self, "_readers", []):
            reader.close()
        if conn is not None:
            conn.close()
        if db is not None:
            db.close()
        self._conn = self._db = None  # type: ignore[assignment]


def _remove_store_files(path: Path) -> None:
    """A store file and the engine's files beside it (write-ahead log, shadow pages)."""
    for leftover in [path, *path.parent.glob(path.name + ".*")]:
        with suppress(FileNotFoundError):
            leftover.unlink()
