"""The ledger path every field write takes, and what a write answers (see the package)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..backends.base import GraphBackend
from ..errors import GovgraphError
from ..loaders.ledger.columns import Kind, kind_spec
from ..loaders.ledger.plan import ImportPlan, plan_import
from ..loaders.ledger.read import sheet_from_rows
from ..loaders.ledger.validate import CellError, _parse_cell, parse_sheet
from ..loaders.load import write_graph
from ..schema.model import Label, Rel

__all__ = ["FieldProblem", "WriteConflict", "WriteRejected", "Written"]

L, R = Label, Rel


@dataclass(frozen=True)
class FieldProblem:
    field: str
    reason: str


class WriteRejected(GovgraphError):
    """The write breaks a ledger rule; each problem names the field."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p.field}: {p.reason}" for p in problems))


class WriteConflict(GovgraphError):
    """The store's state contradicts the write (or already holds it, without a retry)."""


@dataclass
class Written:
    """What a write did: the resource it made or changed, the ids it touched (for the
    audit), its answer, and whether the store changed (False: a retry found it done)."""

    what: str
    location: str
    answer: dict[str, Any]
    records: list[str] = field(default_factory=list)
    changed: bool = True
    created: bool = True


# -- the ledger path -------------------------------------------------------------------


def _cells(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    return str(value)


def write_rows(
    backend: GraphBackend, kind: Kind, rows: list[dict[str, Any]], today: dt.date, source: str
) -> ImportPlan:
    """Check ``rows`` as ledger rows of ``kind`` against the store and write what they
    change (inside the caller's transaction); every problem is a :class:`WriteRejected`."""
    spec = kind_spec(kind)
    keys = [c.key for c in spec.columns]
    raw = [keys, *[[_cells(r.get(k)) for k in keys] for r in rows]]
    sheet = sheet_from_rows(raw, Path(source), "json", "", kind)
    plan = plan_import(backend, parse_sheet(sheet, today), today)
    problems = [FieldProblem(p.column, p.reason) for r in plan.rows for p in r.problems]
    if problems:
        raise WriteRejected(_unique(problems))
    if plan.changes:
        write_graph(backend, plan.writes, schema=False)
    return plan


def _unique(problems: list[FieldProblem]) -> list[FieldProblem]:
    return list(dict.fromkeys(problems))


def read_cell(kind: Kind, key: str, value: Any, today: dt.date, *, name: str | None = None) -> Any:
    """One value read by the ledger column ``key`` of ``kind`` (None stays None)."""
    text = _cells(value).strip()
    if not text:
        return None
    try:
        return _parse_cell(kind_spec(kind).column(key), text, today)
    except CellError as exc:
        raise WriteRejected([FieldProblem(name or key, str(exc))]) from None


def refuse_unchanged(what: str, retry: bool) -> None:
    if not retry:
        raise WriteConflict(f"{what}: the store already holds exactly this")
