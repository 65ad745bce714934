"""Point statements handed straight to LadybugDB's compiled connection.

ladybug's Python ``Connection.execute`` does a good deal per call besides the engine's
work: it counts the call in flight, searches the statement with regular expressions for
Python objects to scan and JSON parameters, signs the parameters for its cache of prepared
statements under a lock and wraps the result. For a lookup by id that is as much again as
the engine's own work (0.089 ms a statement through ``execute``, 0.048 through the
compiled connection, measured on 镇原县), and "who is responsible" makes four or five such
statements a question. So a reader connection's point statements go to the compiled
connection the wrapper itself calls, each prepared once per connection.

Only statements whose parameters are all strings take this road: the engine types a
parameter by the value it was prepared with, and a string is a string whatever its value
(an integer is not: ladybug re-prepares for another width). Any other statement, and every
statement under a ladybug whose wrapper does not expose its compiled connection (the
version is pinned; a later one may not), goes through ``execute``, whose results
:func:`result_rows` and :func:`close_results` take.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .base import Row

__all__ = ["Direct", "close_results", "result_rows"]


class Direct:
    """One reader connection's road to its compiled connection (None where there is none:
    see :attr:`usable`)."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.compiled = _compiled(conn)
        self._prepared: dict[str, Any] = {}
        self._settings = (0, 0)  # a new connection's: every core, no timeout

    @property
    def usable(self) -> bool:
        return self.compiled is not None

    def configure(self, threads: int, timeout_ms: int) -> None:
        """The connection's thread limit and query timeout (0: none), in force from its
        next statement by either road. Set on the compiled connection where there is one:
        the wrapper keeps its settings pending until its own next ``execute``, which a
        statement on the direct road would not wait for (the connection is this thread's
        alone meanwhile, so nothing runs on it while they change)."""
        if (threads, timeout_ms) == self._settings:
            return
        target = self.compiled if self.compiled is not None else self.conn
        target.set_max_threads_for_exec(threads)
        target.set_query_timeout(timeout_ms)
        self._settings = (threads, timeout_ms)

    def rows(self, text: str, params: Mapping[str, Any]) -> list[Row] | None:
        """The rows of ``text``, or None if it cannot take this road (then ``execute``).
        An engine error is raised as ``RuntimeError``, as ``execute`` raises it."""
        if self.compiled is None or not all(type(v) is str for v in params.values()):
            return None
        prepared = self._prepared.get(text)
        if prepared is None:
            prepared = self._prepared[text] = self.compiled.prepare(text, dict(params))
        result = self.compiled.execute(prepared, dict(params))
        try:
            if not result.isSuccess():
                raise RuntimeError(result.getErrorMessage())
            if result.hasNextQueryResult():  # several statements: not a point read
                raise RuntimeError("a point read is one statement")
            names = result.getColumnNames()
            out = []
            while result.hasNext():
                out.append(dict(zip(names, result.getNext(), strict=True)))
            return out
        finally:
            result.close()  # an open result pins pages of the buffer pool


def _compiled(conn: Any) -> Any:
    """The compiled (pybind) connection under ladybug's wrapper, or None."""
    uses = getattr(conn, "_using_pybind_backend", None)
    get = getattr(conn, "_get_pybind_connection", None)
    if uses is None or get is None:
        return None
    try:
        return get() if uses() else None
    except (AttributeError, RuntimeError):
        return None


def result_rows(result: Any) -> list[Row]:
    """The rows of a statement's result as dicts (of the last, for several statements),
    every result closed: an open result pins pages of the buffer pool."""
    results = result if isinstance(result, list) else [result]
    try:
        names = results[-1].get_column_names()
        return [dict(zip(names, row, strict=True)) for row in results[-1].get_all()]
    finally:
        for r in results:
            r.close()


def close_results(result: Any) -> None:
    """Close a statement's result(s): an open result pins pages of the buffer pool (a
    server that writes all day would otherwise fill it)."""
    for r in result if isinstance(result, list) else [result]:
        r.close()
