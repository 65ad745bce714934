"""The backend interface every store implements (cf. httpx ``_transports/base.py``)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any, TypeVar

import pyarrow as pa

from ..catalog import Dialect, query_text
from ..schema.cypher import (
    area_nodes,
    area_relationships,
    count_nodes,
    count_relationships,
    export_nodes,
    export_relationships,
)
from ..schema.model import NODES, RELATIONSHIPS, Label, Rel
from ._arrow import node_table, rel_table

__all__ = ["GraphBackend", "QueryResult", "Row"]

Row = dict[str, Any]
T = TypeVar("T")


class QueryResult:
    """The rows of an ad-hoc read (:meth:`GraphBackend.query`): as dicts (``rows``), as an
    Arrow table or as a pandas DataFrame (the ``analysis`` extra)."""

    def __init__(self, columns: list[str], rows: list[Row]) -> None:
        self.columns, self.rows = columns, rows

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Any:
        return iter(self.rows)

    def to_arrow(self) -> pa.Table:
        if not self.rows:
            return pa.table({c: pa.array([], pa.null()) for c in self.columns})
        return pa.Table.from_pylist(self.rows)

    def to_frame(self) -> Any:
        """A pandas DataFrame (``pip install 'govgraph[analysis]'``)."""
        try:
            import pandas  # noqa: F401
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise ImportError("pandas is needed: pip install 'govgraph[analysis]'") from exc
        return self.to_arrow().to_pandas()


class GraphBackend(ABC):
    """A graph store: named read queries, batched writes, schema, close.

    Engine errors never escape: implementations raise :mod:`govgraph.errors`.
    """

    dialect: Dialect
    #: human-readable description of where the store is
    location: str

    # -- what each engine implements ---------------------------------------
    @abstractmethod
    def apply_schema(self) -> None:
        """Create tables / constraints and indexes; safe to repeat."""

    @abstractmethod
    def write_nodes(self, label: Label, table: pa.Table) -> int:
        """Upsert nodes of one label (columns as in the model); returns rows written."""

    @abstractmethod
    def write_relationships(self, rel: Rel, source: Label, target: Label, table: pa.Table) -> int:
        """Upsert relationships; columns ``source``, ``target`` then the type's properties."""

    @abstractmethod
    def fetch_nodes(self, label: Label, ids: list[str]) -> pa.Table:
        """The stored nodes of ``label`` among ``ids`` (missing ids are simply absent)."""

    @abstractmethod
    def fetch_relationships(
        self, rel: Rel, source: Label, target: Label, ids: list[str], *, by_target: bool = False
    ) -> pa.Table:
        """The stored relationships leaving any of ``ids`` (arriving, with ``by_target``):
        columns ``source``, ``target`` then the type's properties."""

    @abstractmethod
    def _run(self, text: str, params: Mapping[str, Any], *, write: bool = False) -> list[Row]:
        """Run one statement and return its rows as dicts."""

    @abstractmethod
    def atomic(self, work: Callable[[], T]) -> T:
        """Run ``work`` — reads and writes through this backend — as one write
        transaction: all of it lands or none of it. Writes are serialised."""

    @abstractmethod
    def close(self) -> None:
        """Release the store."""

    @abstractmethod
    def model_version(self) -> int | None:
        """The model version the store records (:mod:`.versions`): 1 for a store written
        before versions were recorded (govgraph 0.1.0), ``None`` for an empty store."""

    @abstractmethod
    def record_model_version(self, version: int, release: str) -> None:
        """Record that the store is at model ``version`` (written by govgraph ``release``)."""

    def _check_schema_version(self) -> bool:
        """Before :meth:`apply_schema` writes anything: refuse a store of another model
        version; ``True`` when the store is empty (its version is to be recorded)."""
        from .versions import MODEL_VERSION, check_model

        version = self.model_version()
        if version is not None and version != MODEL_VERSION:
            check_model(self, read_only=False)  # migrates, or says why it will not
        return version is None

    # -- shared behaviour ---------------------------------------------------
    def read(self, name: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        """Run the catalog query ``name`` with ``params`` and return its rows."""
        return self._run(query_text(name, self.dialect), params or {})

    def write(self, name: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        """Run the catalog write query ``name``."""
        return self._run(query_text(name, self.dialect), params or {}, write=True)

    def nodes_in_area(self, label: Label, area: str) -> pa.Table:
        """Every node of ``label`` whose division code starts with ``area``, by id."""
        return node_table(label, self._run(area_nodes(label), {"area": area}))

    def relationships_in_area(
        self, rel: Rel, source: Label, target: Label, area: str, *, by_target: bool = False
    ) -> pa.Table:
        """The relationships leaving nodes under division code prefix ``area`` (arriving at
        them, with ``by_target``): columns ``source``, ``target`` then the type's properties."""
        statement = area_relationships(rel, source, target, by_target=by_target)
        return rel_table(rel, self._run(statement, {"area": area}))

    def query(
        self,
        text: str,
        params: Mapping[str, Any] | None = None,
        /,
        *,
        unmasked: bool = False,
        **named: Any,
    ) -> QueryResult:
        """An analyst's own read statement, with ``params`` (a mapping, or as keywords)::

            backend.query("MATCH (h:Household) WHERE h.division_code STARTS WITH $a "
                          "RETURN h.id AS id", a="621123109").to_frame()

        The engine itself refuses any write (a read-only transaction on the embedded
        engine, READ access on Neo4j): :class:`~govgraph.errors.QueryFailed` says so and
        nothing changes. ID numbers and phones come back masked, wherever they are in the
        rows, unless ``unmasked``."""
        from ..privacy import mask_any

        columns, rows = self._read_only(text, {**(params or {}), **named})
        return QueryResult(columns, rows if unmasked else [mask_any(r) for r in rows])

    def _read_only(self, text: str, params: Mapping[str, Any]) -> tuple[list[str], list[Row]]:
        """One statement in a transaction the engine keeps read-only: its columns and rows."""
        raise NotImplementedError(f"{type(self).__name__} cannot run ad-hoc reads")

    def every_node(self, label: Label) -> list[Row]:
        """Every node of ``label`` with its properties (for a whole-store export)."""
        return self._run(export_nodes(label), {})

    def every_relationship(self, rel: Rel, source: Label, target: Label) -> list[Row]:
        """Every relationship of ``rel`` between the two labels: ``source``, ``target`` and
        its properties (for a whole-store export)."""
        return self._run(export_relationships(rel, source, target), {})

    def counts(self) -> dict[str, dict[str, int]]:
        """Node count per label and relationship count per type."""
        nodes = {n.label.value: int(self._run(count_nodes(n.label), {})[0]["n"]) for n in NODES}
        rels = {
            r.type.value: int(self._run(count_relationships(r.type), {})[0]["n"])
            for r in RELATIONSHIPS
        }
        return {"nodes": nodes, "relationships": rels}

    def __enter__(self) -> GraphBackend:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
