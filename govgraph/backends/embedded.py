"""The embedded default: LadybugDB (PyPI ``ladybug``) in a directory on disk."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import QueryFailed, StoreUnavailable
from ..schema.cypher import (
    area_nodes,
    area_relationships,
    fetch_nodes,
    fetch_relationships,
    node_ids,
    relationship_keys,
    update_nodes,
    update_relationships,
)
from ..schema.ddl import embedded_schema, quote
from ..schema.model import Label, Rel, rel_spec
from ._arrow import conform_nodes, conform_relationships, node_schema, rel_schema
from .base import GraphBackend, Row

__all__ = ["DEFAULT_BUFFER_POOL_BYTES", "EmbeddedBackend"]

#: LadybugDB's own default takes 80% of the machine's memory; a library should
#: not. 1 GiB loads a million households within 3 GB (see benchmarks/).
DEFAULT_BUFFER_POOL_BYTES = 1 << 30


class EmbeddedBackend(GraphBackend):
    """A LadybugDB database directory.

    One read-write opener per directory (a second process gets
    :class:`StoreUnavailable`); inside the process writes are serialised.
    Writes are upserts: rows whose key is new go in with ``COPY`` from Arrow
    (the engine's fast path); rows already stored have their properties set
    with ``LOAD FROM … MATCH … SET``. Loading again never duplicates anything.
    """

    dialect = "embedded"

    def __init__(
        self,
        path: str | Path,
        *,
        read_only: bool = False,
        buffer_pool_bytes: int = DEFAULT_BUFFER_POOL_BYTES,
        query_timeout_ms: int | None = None,
    ) -> None:
        import ladybug

        self.path = Path(path).expanduser()
        self.location = str(self.path)
        self.read_only = read_only
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        elif not self.path.exists():
            raise StoreUnavailable(
                f"no store at {self.path}; load a scenario first "
                f"(govgraph --store {self.path} load scenario qingping)"
            )
        kwargs: dict[str, Any] = {"read_only": read_only, "buffer_pool_size": buffer_pool_bytes}
        try:
            self._db = ladybug.Database(str(self.path), **kwargs)
            self._conn = ladybug.Connection(self._db)
        except RuntimeError as exc:
            msg = str(exc)
            hint = (
                " (another process has it open for writing; stop it or open read-only)"
                if "lock" in msg.lower()
                else ""
            )
            raise StoreUnavailable(f"cannot open embedded store {self.path}: {msg}{hint}") from exc
        self._write_lock = threading.Lock()
        self._timeout_ms = query_timeout_ms
        if query_timeout_ms:
            self._conn.set_query_timeout(query_timeout_ms)
        self._local = threading.local()
        self._local.conn = self._conn
        self._readers: list[Any] = []

    def _reader(self) -> Any:
        """A connection for this thread: reads from several threads run concurrently,
        and a LadybugDB connection is not to be shared between threads."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            import ladybug

            conn = self._local.conn = ladybug.Connection(self._db)
            if self._timeout_ms:
                conn.set_query_timeout(self._timeout_ms)
            self._readers.append(conn)
        return conn

    def _run(self, text: str, params: Mapping[str, Any], *, write: bool = False) -> list[Row]:
        try:
            if write:
                with self._write_lock:
                    result = self._conn.execute(text, dict(params))
            else:
                result = self._reader().execute(text, dict(params))
        except RuntimeError as exc:
            raise QueryFailed(f"embedded store rejected a statement: {exc}") from exc
        results = result if isinstance(result, list) else [result]
        try:  # several statements: keep the last result
            names = results[-1].get_column_names()
            return [dict(zip(names, row, strict=True)) for row in results[-1].get_all()]
        finally:  # a result pins pages of the buffer pool until closed
            for r in results:
                r.close()

    def apply_schema(self) -> None:
        for statement in embedded_schema():
            self._run(statement, {}, write=True)

    def _scan(self, statement: str, table: pa.Table) -> None:
        """Run a COPY or LOAD FROM statement over ``table``: one atomic statement."""
        # LadybugDB scans the Python variable the statement names.
        rows = table  # noqa: F841 - referenced by name in `statement`
        try:
            with self._write_lock:
                self._conn.execute(statement)
        except RuntimeError as exc:
            raise QueryFailed(f"bulk write failed: {exc}") from exc

    def _lookup(self, statement: str, ids: list[str], schema: pa.Schema) -> pa.Table:
        """Run a ``LOAD FROM rows`` read over a one-column table of ids."""
        if not ids:
            return schema.empty_table()
        return self._arrow(statement, {}, schema, pa.table({"id": pa.array(ids, pa.string())}))

    def _arrow(
        self,
        statement: str,
        params: Mapping[str, Any],
        schema: pa.Schema,
        rows: pa.Table | None = None,  # scanned by `LOAD FROM rows` (found by name)
    ) -> pa.Table:
        """Run a read and take its result as Arrow (no Python objects per row)."""
        try:
            result = self._reader().execute(statement, dict(params))
            assert not isinstance(result, list)  # one statement, one result
            try:
                table = result.get_as_arrow()
            finally:  # a result pins pages of the buffer pool until closed
                result.close()
        except RuntimeError as exc:
            raise QueryFailed(f"embedded store rejected a statement: {exc}") from exc
        return table.cast(schema) if table.num_rows else schema.empty_table()

    def nodes_in_area(self, label: Label, area: str) -> pa.Table:
        return self._arrow(area_nodes(label), {"area": area}, node_schema(label))

    def relationships_in_area(
        self, rel: Rel, source: Label, target: Label, area: str, *, by_target: bool = False
    ) -> pa.Table:
        statement = area_relationships(rel, source, target, by_target=by_target)
        return self._arrow(statement, {"area": area}, rel_schema(rel))

    def fetch_nodes(self, label: Label, ids: list[str]) -> pa.Table:
        return self._lookup(fetch_nodes(label, embedded=True), ids, node_schema(label))

    def fetch_relationships(
        self, rel: Rel, source: Label, target: Label, ids: list[str], *, by_target: bool = False
    ) -> pa.Table:
        statement = fetch_relationships(rel, source, target, embedded=True, by_target=by_target)
        return self._lookup(statement, ids, rel_schema(rel))

    def _known(self, statement: str, columns: list[str], table: pa.Table) -> pa.Array:
        """Mask of the rows of ``table`` whose ``columns`` already exist in the store."""
        try:
            result = self._conn.execute(statement)
            assert not isinstance(result, list)  # one statement, one result
            existing = result.get_as_arrow()
        except RuntimeError as exc:
            raise QueryFailed(f"embedded store rejected a statement: {exc}") from exc
        if existing.num_rows == 0:
            return pa.array(np.zeros(table.num_rows, dtype=bool))
        return pc.is_in(_composite(table, columns), value_set=_composite(existing, columns))

    def _upsert(self, table: pa.Table, known: pa.Array, copy: str, update: str | None) -> None:
        fresh = table.filter(pc.invert(known))
        if fresh.num_rows:
            self._scan(copy, fresh)
        old = table.filter(known)
        if old.num_rows and update is not None:
            self._scan(update, old)

    def write_nodes(self, label: Label, table: pa.Table) -> int:
        table = conform_nodes(label, table)
        if table.num_rows:
            known = self._known(node_ids(label), ["id"], table)
            self._upsert(table, known, f"COPY {quote(label)} FROM rows", update_nodes(label))
        return table.num_rows

    def write_relationships(self, rel: Rel, source: Label, target: Label, table: pa.Table) -> int:
        table = conform_relationships(rel, table)
        if table.num_rows:
            columns = ["source", "target", *rel_spec(rel).key]
            known = self._known(relationship_keys(rel, source, target), columns, table)
            self._upsert(
                table,
                known,
                f"COPY {quote(rel)} FROM rows (from='{source}', to='{target}')",
                update_relationships(rel, source, target),
            )
        return table.num_rows

    def close(self) -> None:
        conn, db = getattr(self, "_conn", None), getattr(self, "_db", None)
        for reader in getattr(self, "_readers", []):
            reader.close()
        if conn is not None:
            conn.close()
        if db is not None:
            db.close()
        self._conn = self._db = None  # type: ignore[assignment]


def _composite(table: pa.Table, columns: list[str]) -> pa.Array:
    """One string per row joining the key columns (for set membership tests)."""
    parts = [pc.cast(table.column(c), pa.string()) for c in columns]
    if len(parts) == 1:
        return parts[0]
    return pc.binary_join_element_wise(*parts, "\x1f")
