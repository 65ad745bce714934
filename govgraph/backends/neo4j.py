"""Production: Neo4j 5 through the official ``neo4j`` driver.

Reads are routed to readers and writes to the leader (``neo4j://`` URIs on a
cluster or Aura); writes go in ``UNWIND $rows`` batches with ``MERGE`` on
stable ids, so loading twice changes nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import pyarrow as pa

from ..errors import QueryFailed, StoreUnavailable
from ..schema.cypher import (
    ANY_NODE_NEO4J,
    CLEAR_NEO4J,
    READ_MODEL_VERSION,
    RECORD_MODEL_VERSION,
    fetch_nodes,
    fetch_relationships,
    merge_nodes,
    merge_relationships,
)
from ..schema.ddl import neo4j_schema
from ..schema.model import Label, Rel
from ._arrow import conform_nodes, conform_relationships, node_table, rel_table
from .base import GraphBackend, Row

__all__ = ["Neo4jBackend"]

_BATCH = 10_000
T = TypeVar("T")


class Neo4jBackend(GraphBackend):
    """A Neo4j 5 database reached by URI."""

    dialect = "neo4j"

    def __init__(self, uri: str, auth: tuple[str, str], *, database: str | None = None) -> None:
        import neo4j
        from neo4j.exceptions import AuthError, ServiceUnavailable

        self.location = uri
        self._database = database
        self._local = threading.local()  # the managed transaction `atomic` runs in, per thread
        self._neo4j = neo4j
        try:
            # a label or type the store does not hold yet is normal (an empty area), not news
            self._driver = neo4j.GraphDatabase.driver(
                uri,
                auth=auth,
                notifications_disabled_classifications=[
                    neo4j.NotificationDisabledClassification.UNRECOGNIZED
                ],
            )
        except ValueError as exc:
            raise StoreUnavailable(f"cannot reach Neo4j at {uri}: {exc}") from exc
        try:
            self._driver.verify_connectivity()
        except (ServiceUnavailable, AuthError, OSError) as exc:
            self._driver.close()
            raise StoreUnavailable(f"cannot reach Neo4j at {uri}: {exc}") from exc

    def _run(self, text: str, params: Mapping[str, Any], *, write: bool = False) -> list[Row]:
        from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired

        routing = self._neo4j.RoutingControl.WRITE if write else self._neo4j.RoutingControl.READ
        tx = getattr(self._local, "tx", None)
        try:
            if tx is not None:
                records = list(tx.run(text, dict(params)))
            else:
                records, _, _ = self._driver.execute_query(
                    text, dict(params), routing_=routing, database_=self._database
                )
        except (ServiceUnavailable, SessionExpired) as exc:
            raise StoreUnavailable(f"lost Neo4j at {self.location}: {exc}") from exc
        except Neo4jError as exc:
            raise QueryFailed(f"Neo4j rejected a statement: {exc.message}") from exc
        return [_plain(r.data()) for r in records]

    def atomic(self, work: Callable[[], T]) -> T:
        """A managed write transaction: the driver retries ``work`` whole on transient
        errors (a leader change in a cluster), so ``work`` re-reads what it decides on."""
        from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired

        if getattr(self._local, "tx", None) is not None:
            return work()

        def unit(tx: Any) -> T:
            self._local.tx = tx
            try:
                return work()
            finally:
                self._local.tx = None

        try:
            with self._driver.session(database=self._database) as session:
                return session.execute_write(unit)
        except (ServiceUnavailable, SessionExpired) as exc:
            raise StoreUnavailable(f"lost Neo4j at {self.location}: {exc}") from exc
        except Neo4jError as exc:
            raise QueryFailed(f"Neo4j rejected a statement: {exc.message}") from exc

    def apply_schema(self) -> None:
        self._apply_schema(neo4j_schema())

    def model_version(self) -> int | None:
        rows = self._run(READ_MODEL_VERSION, {})
        if rows:
            return int(rows[0]["version"])
        return 1 if self._run(ANY_NODE_NEO4J, {})[0]["any"] else None

    def record_model_version(self, version: int, release: str) -> None:
        self._run(RECORD_MODEL_VERSION, {"version": version, "release": release}, write=True)

    def _batches(self, statement: str, table: pa.Table) -> int:
        for start in range(0, table.num_rows, _BATCH):
            self._run(statement, {"rows": table.slice(start, _BATCH).to_pylist()}, write=True)
        return table.num_rows

    def write_nodes(self, label: Label, table: pa.Table) -> int:
        return self._batches(merge_nodes(label), conform_nodes(label, self._sealed(label, table)))

    def write_relationships(self, rel: Rel, source: Label, target: Label, table: pa.Table) -> int:
        return self._batches(
            merge_relationships(rel, source, target), conform_relationships(rel, table)
        )

    def fetch_nodes(self, label: Label, ids: list[str]) -> pa.Table:
        rows: list[Row] = []
        for start in range(0, len(ids), _BATCH):
            rows += self._run(fetch_nodes(label), {"ids": ids[start : start + _BATCH]})
        return node_table(label, rows)

    def fetch_relationships(
        self, rel: Rel, source: Label, target: Label, ids: list[str], *, by_target: bool = False
    ) -> pa.Table:
        statement = fetch_relationships(rel, source, target, by_target=by_target)
        rows: list[Row] = []
        for start in range(0, len(ids), _BATCH):
            rows += self._run(statement, {"ids": ids[start : start + _BATCH]})
        return rel_table(rel, rows)

    def _read_only(self, text: str, params: Mapping[str, Any]) -> tuple[list[str], list[Row]]:
        """A managed READ transaction: the server refuses a write in it."""
        from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired

        def work(tx: Any) -> tuple[list[str], list[Row]]:
            result = tx.run(text, dict(params))
            return list(result.keys()), [_plain(r.data()) for r in result]

        try:
            with self._driver.session(
                database=self._database, default_access_mode=self._neo4j.READ_ACCESS
            ) as session:
                return session.execute_read(work)
        except (ServiceUnavailable, SessionExpired) as exc:
            raise StoreUnavailable(f"lost Neo4j at {self.location}: {exc}") from exc
        except Neo4jError as exc:
            raise QueryFailed(f"Neo4j rejected the statement: {exc.message}") from exc

    def server_version(self) -> str:
        """The server's agent string, e.g. ``Neo4j/5.26.0``."""
        return str(self._driver.get_server_info().agent)

    def clear(self) -> None:
        """Delete every node and relationship, in batches (a county is too big for one
        transaction's memory): for tests, benchmarks and a fresh copy, never the API."""
        with self._driver.session(database=self._database) as session:
            session.run(CLEAR_NEO4J).consume()

    def close(self) -> None:
        self._driver.close()


def _plain(row: dict[str, Any]) -> Row:
    """Neo4j temporal values → Python ``date``, so both backends return the same types."""
    out: Row = {}
    for key, value in row.items():
        to_native = getattr(value, "to_native", None)
        out[key] = to_native() if callable(to_native) else value
    return out
