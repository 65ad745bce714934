"""A served embedded store, reached through its server (see :mod:`govgraph.served`).

Every command that would open the store's files — import, load, query, export,
brief — gets this backend instead while ``govgraph serve`` holds the store: the
same interface, each call run by the server on the store it owns. Writes are
serialised there with the API's own, and every read the API answers next sees
them. The server's control routes answer only to the control secret in the
marker file and only on loopback.
"""

from __future__ import annotations

import http.client
import threading
from collections.abc import Callable, Mapping
from typing import Any, TypeVar
from urllib.parse import urlsplit

import pyarrow as pa

from ..errors import QueryFailed, StoreUnavailable
from ..schema.model import Label, Rel
from ..served import CONTROL_HEADER, ServedStore
from ._wire import ARROW, decode_json, pack, unpack
from .base import GraphBackend, Row

__all__ = ["RemoteBackend", "serve_call"]

T = TypeVar("T")


class RemoteBackend(GraphBackend):
    """The store a local ``govgraph serve`` holds, used through its control routes."""

    dialect = "embedded"

    def __init__(self, served: ServedStore) -> None:
        self.served = served
        self.location = f"{served.store} (through the server, {served.describe()})"
        parts = urlsplit(served.url)
        self._host, self._port = parts.hostname or "127.0.0.1", parts.port or 80
        self._local = threading.local()

    def _connection(self) -> http.client.HTTPConnection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = http.client.HTTPConnection(self._host, self._port)
        return conn

    def _call(self, name: str, args: dict[str, Any], table: pa.Table | None = None) -> Any:
        body = pack(args, table)
        headers = {CONTROL_HEADER: self.served.secret, "Content-Type": ARROW}
        conn = self._connection()
        try:
            conn.request("POST", f"/_control/{name}", body=body, headers=headers)
            reply = conn.getresponse()
            data = reply.read()
        except OSError as exc:
            conn.close()
            self._local.conn = None
            raise StoreUnavailable(
                f"the server of {self.served.store} ({self.served.describe()}) stopped "
                f"answering: {exc}; once it is stopped, run the command again"
            ) from exc
        if reply.status != 200:
            detail = decode_json(data).get("detail", "") if data else ""
            if reply.status == 500:
                raise QueryFailed(detail)
            raise StoreUnavailable(
                f"the server of {self.served.store} ({self.served.describe()}) refused "
                f"{name}: {detail or reply.status}"
            )
        if reply.getheader("Content-Type", "").startswith(ARROW):
            return unpack(data)[1]
        return decode_json(data)

    def check(self) -> None:
        """Fail with one clear line unless the server answers."""
        conn = http.client.HTTPConnection(self._host, self._port, timeout=10)
        try:
            conn.request("GET", "/health")
            ok = conn.getresponse().status == 200
        except OSError:
            ok = False
        finally:
            conn.close()
        if not ok:
            raise StoreUnavailable(
                f"store {self.served.store} is served by {self.served.describe()}, which does "
                f"not answer; wait until it has started, or stop it (kill {self.served.pid}) "
                "and run the command again"
            )

    def _run(self, text: str, params: Mapping[str, Any], *, write: bool = False) -> list[Row]:
        rows: list[Row] = self._call("run", {"text": text, "params": dict(params), "write": write})
        return rows

    def _read_only(self, text: str, params: Mapping[str, Any]) -> tuple[list[str], list[Row]]:
        columns, rows = self._call("read_only", {"text": text, "params": dict(params)})
        return list(columns), list(rows)

    def apply_schema(self) -> None:
        self._call("apply_schema", {})

    def write_nodes(self, label: Any, table: pa.Table) -> int:
        return int(self._call("write_nodes", {"label": str(label)}, table))

    def write_relationships(self, rel: Any, source: Any, target: Any, table: pa.Table) -> int:
        args = {"rel": str(rel), "source": str(source), "target": str(target)}
        return int(self._call("write_relationships", args, table))

    def fetch_nodes(self, label: Any, ids: list[str]) -> pa.Table:
        return self._call("fetch_nodes", {"label": str(label), "ids": ids})

    def fetch_relationships(
        self, rel: Any, source: Any, target: Any, ids: list[str], *, by_target: bool = False
    ) -> pa.Table:
        args = {"rel": str(rel), "source": str(source), "target": str(target), "ids": ids,
                "by_target": by_target}  # fmt: skip
        return self._call("fetch_relationships", args)

    def nodes_in_area(self, label: Any, area: str) -> pa.Table:
        return self._call("nodes_in_area", {"label": str(label), "area": area})

    def relationships_in_area(
        self, rel: Any, source: Any, target: Any, area: str, *, by_target: bool = False
    ) -> pa.Table:
        args = {"rel": str(rel), "source": str(source), "target": str(target), "area": area,
                "by_target": by_target}  # fmt: skip
        return self._call("relationships_in_area", args)

    def counts(self) -> dict[str, dict[str, int]]:
        return self._call("counts", {})

    def model_version(self) -> int | None:
        version = self._call("model_version", {})
        return None if version is None else int(version)

    def key_fingerprint(self) -> str | None:
        fingerprint = self._call("key_fingerprint", {})
        return None if fingerprint is None else str(fingerprint)

    def record_key_fingerprint(self, fingerprint: str) -> None:
        raise StoreUnavailable(
            f"{self.served.store} is served by {self.served.describe()}: its writes go "
            "through the server, which seals them"
        )

    def record_model_version(self, version: int, release: str) -> None:
        raise StoreUnavailable(
            f"{self.served.store} is served by {self.served.describe()}, which brought it to "
            "this release's model when it opened it; stop the server to migrate it by hand"
        )

    def atomic(self, work: Callable[[], T]) -> T:
        raise StoreUnavailable(
            "a transaction cannot span calls to the server; send the write through the API"
        )

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None


def serve_call(backend: GraphBackend, name: str, args: dict[str, Any], table: Any) -> Any:
    """The server's side of :class:`RemoteBackend`: run the call a local command sent
    (``name`` with its arguments and Arrow table) on the backend the server owns."""
    if name == "run":
        return backend._run(args["text"], args["params"], write=args["write"])
    if name == "read_only":
        return list(backend._read_only(args["text"], args["params"]))
    if name == "apply_schema":
        return backend.apply_schema()
    if name == "counts":
        return backend.counts()
    if name == "model_version":
        return backend.model_version()
    if name == "key_fingerprint":
        return backend.key_fingerprint()
    if name == "write_nodes":
        return backend.write_nodes(Label(args["label"]), table)
    if name == "fetch_nodes":
        return backend.fetch_nodes(Label(args["label"]), args["ids"])
    if name == "nodes_in_area":
        return backend.nodes_in_area(Label(args["label"]), args["area"])
    rel, source, target = Rel(args["rel"]), Label(args["source"]), Label(args["target"])
    if name == "write_relationships":
        return backend.write_relationships(rel, source, target, table)
    if name == "fetch_relationships":
        return backend.fetch_relationships(
            rel, source, target, args["ids"], by_target=args["by_target"]
        )
    return backend.relationships_in_area(
        rel, source, target, args["area"], by_target=args["by_target"]
    )
