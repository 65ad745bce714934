"""The backend interface every store implements (cf. httpx ``_transports/base.py``)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from types import TracebackType
from typing import Any, TypeVar

import pyarrow as pa

from ..catalog import Dialect, executable_text
from ..errors import KeyProblem
from ..keys import SEALED, Key
from ..schema.cypher import (
    READ_DATA_DAY,
    READ_KEY_FINGERPRINT,
    RECORD_DATA_DAY,
    RECORD_KEY_FINGERPRINT,
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
#: people sealed at a time (bounds the Python objects a bulk load makes while sealing)
SEAL_SLICE = 100_000


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
    #: the key that seals personal data, once looked up (:meth:`personal_data_key`)
    _personal_data_key: Key | None = None
    #: seconds spent sealing ID numbers and phones in this process (for the benchmarks)
    seal_seconds: float = 0.0
    #: the largest peak memory of a process that sealed for this backend (MiB; none: 0)
    seal_worker_peak_mib: float = 0.0
    #: whether a question about one household is answered faster by several small statements,
    #: each anchored on one node, than by one statement of many branches: true of the embedded
    #: engine in this process, where a statement costs about 0.2 ms and each branch of a
    #: union about as much; not of Neo4j or a served store, where each is a round trip
    anchored_reads: bool = False
    #: whether a question about one household is answered in this process, without a round
    #: trip (the embedded engine, in about half a millisecond): the API then answers "who is
    #: responsible" on its event loop (``api/hot.py``); where each statement waits on a
    #: network (Neo4j), in worker threads, many at once
    answers_in_process: bool = False
    #: whether an area's question is answered faster from whole columns of ids, taken as
    #: Arrow and combined in this process, than by one statement that joins and aggregates
    #: them: true of the embedded engine (its OPTIONAL MATCH … aggregate stages cost more
    #: than handing over the columns); not where each column crosses a network
    columnar_reads: bool = False

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

    def key_fingerprint(self) -> str | None:
        """The fingerprint of the key the store's personal data is sealed with (``None``
        until it seals something)."""
        rows = self._run(READ_KEY_FINGERPRINT, {})
        return rows[0]["fingerprint"] if rows else None

    def record_key_fingerprint(self, fingerprint: str) -> None:
        self._run(RECORD_KEY_FINGERPRINT, {"fingerprint": fingerprint}, write=True)

    def data_day(self) -> date | None:
        """The day a generated scenario's data is as of (``govgraph load scenario`` records
        it): what questions are asked for when no day is given. ``None`` for a store of real
        data, whose questions default to today."""
        rows = self._run(READ_DATA_DAY, {})
        return rows[0]["day"] if rows else None

    def record_data_day(self, day: date | None) -> None:
        self._run(RECORD_DATA_DAY, {"day": day}, write=True)

    def default_day(self) -> date:
        """The day a question is asked for when none is given: the scenario's, else today."""
        return self.data_day() or date.today()

    def personal_data_key(self, *, create: bool = False) -> Key:
        """The key that seals and opens this store's ID numbers and phones
        (:mod:`govgraph.keys`); with ``create``, a store that has sealed nothing yet gets a
        new one (or the configured one). A missing or wrong key is :class:`KeyProblem`."""
        if self._personal_data_key is not None:
            return self._personal_data_key
        from ..keys import find_key, key_dir, new_key

        fingerprint = self.key_fingerprint()
        key = find_key(fingerprint)
        if key is None and fingerprint is not None:
            raise KeyProblem(
                f"the ID numbers and phones in {self.location} are sealed with key "
                f"{fingerprint}, which is not on this machine (looked for "
                f"{key_dir() / (fingerprint + '.key')}): set GOVGRAPH_KEY_FILE to that key's "
                "file, or GOVGRAPH_SECRET_KEY to the key"
            )
        if key is None:
            if not create:
                raise KeyProblem(f"{self.location} has sealed no personal data yet: no key")
            key = new_key()
        if fingerprint is None:
            self.record_key_fingerprint(key.fingerprint)
        self._personal_data_key = key
        return key

    def use_key(self, key: Key | None) -> None:
        """Seal with ``key`` from now on (a rotation's new key), or, with ``None``, look the
        key up again on next use."""
        self._personal_data_key = key

    def reveal(self, rows: list[Row], person: str = "person") -> list[Row]:
        """``rows`` of people (with their ``*_sealed`` values) with ID numbers and phones
        opened in full: for the places that must show them, which audit it."""
        from ..privacy import reveal_person

        sealed = any(r.get(name) for r in rows for name in SEALED.values())
        key = self.personal_data_key() if sealed else None
        return [reveal_person(r, key, r.get(person) or "") for r in rows]

    def mark_residue(self) -> None:  # noqa: B027 - nothing to do on most engines
        """Note that freed space in the store may still hold plain personal data (after a
        migration sealed it), for :meth:`compact` to rewrite; where the engine's files are
        not govgraph's to rewrite (Neo4j: its own tools compact), nothing."""

    def residue(self) -> bool:
        """Whether :meth:`mark_residue` noted something :meth:`compact` has not cleared."""
        return False

    def compact(self, progress: Callable[[str, int], None] | None = None) -> None:  # noqa: B027
        """Rewrite the store so that nothing freed stays in it (see :meth:`mark_residue`)."""

    def add_missing_properties(self) -> None:  # noqa: B027 - nothing to do on most engines
        """Give the store's tables the properties a later model added (nothing to do where
        a node takes any property, as on Neo4j)."""

    def people_with_id_number(self, id_number: str) -> list[Row]:
        """The people with this ID number (id, name, division code, household), found by
        its blind index: the store never holds the number itself."""
        if self._personal_data_key is None and self.key_fingerprint() is None:
            return []  # nothing sealed, nobody to find
        index = self.personal_data_key().index(id_number)
        return self.read("person_by_id_number", {"blind": index})

    def _sealed(self, label: Label, table: pa.Table) -> pa.Table:
        """A table about to be written, with personal data sealed (Person only)."""
        if label is not Label.PERSON:
            return table
        import time

        from ..privacy import seal_people

        def key() -> Key:
            return self.personal_data_key(create=True)

        started = time.perf_counter()
        # in slices: the Python strings of a slice at a time, not of 3.7 M people at once
        parts = [seal_people(table.slice(at, SEAL_SLICE), key)
                 for at in range(0, table.num_rows, SEAL_SLICE)]  # fmt: skip
        sealed = pa.concat_tables(parts) if len(parts) > 1 else (parts or [table])[0]
        self.seal_seconds += time.perf_counter() - started
        return sealed

    def _apply_schema(self, statements: list[str]) -> None:
        """The engine's schema statements, after refusing a store of another model version
        (:func:`.versions.check_model` migrates it, or says why it will not); an empty store
        then records this release's version."""
        from .versions import MODEL_VERSION, RELEASES, check_model

        version = self.model_version()
        if version is not None and version != MODEL_VERSION:
            check_model(self, read_only=False)
        for statement in statements:
            self._run(statement, {}, write=True)
        if version is None:
            self.record_model_version(MODEL_VERSION, RELEASES[MODEL_VERSION])

    # -- shared behaviour ---------------------------------------------------
    def read(self, name: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        """Run the catalog query ``name`` with ``params`` and return its rows."""
        return self._run(executable_text(name, self.dialect), params or {})

    def read_point(self, name: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        """Run the catalog query ``name``, which starts from one node by id and touches a
        handful more (the anchored statements of "who is responsible")."""
        return self.read(name, params)

    def read_place(self, name: str, params: Mapping[str, Any]) -> list[Row]:
        """:meth:`read_point` of a statement about one place that many households share (a
        grid, village, township or county, a center, a party organisation): where an engine
        keeps such answers until a write may change them (the embedded one), the rows may come
        from there. The rows are the caller's."""
        return self.read_point(name, params)

    def keep_place(self, key: tuple[Any, ...], make: Callable[[], T]) -> T:
        """``make()``: an answer built from :meth:`read_place` answers alone (and from
        ``key``, which names it and whatever else it depends on, such as a day). Where an
        engine keeps those answers (the embedded one), it keeps this one beside them, until
        the same writes; the caller reads it and never changes it."""
        return make()

    def forget_kept(self) -> None:  # noqa: B027 - nothing kept on most engines
        """Drop every answer kept between writes (:meth:`read_place`'s, and the embedded
        engine's directory of names), as writes to every table would (the bench times the
        questions both ways)."""

    def read_arrow(self, name: str, params: Mapping[str, Any] | None = None) -> pa.Table:
        """Run the catalog query ``name`` and return its rows as an Arrow table."""
        return pa.Table.from_pylist(self.read(name, params))

    def read_many(self, reads: Sequence[tuple[str, Mapping[str, Any]]]) -> list[list[Row]]:
        """Several independent catalog reads (name, parameters), their rows in the same
        order; an engine may run them at once."""
        return [self.read(name, params) for name, params in reads]

    def read_arrow_many(self, reads: Sequence[tuple[str, Mapping[str, Any]]]) -> list[pa.Table]:
        """:meth:`read_many` as Arrow tables."""
        return [self.read_arrow(name, params) for name, params in reads]

    def write(self, name: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        """Run the catalog write query ``name``."""
        return self._run(executable_text(name, self.dialect), params or {}, write=True)

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

    def holds(self, label: Label) -> bool:
        """Whether the store has any node of ``label``."""
        return int(self._run(count_nodes(label), {})[0]["n"]) > 0

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
