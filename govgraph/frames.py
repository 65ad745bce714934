"""Answers as tables: every question's answer and every metric has ``.to_frame()``, a pandas
DataFrame (the ``analysis`` extra) built through Arrow, so the types hold: division codes
and ids stay strings (never numbers), days are ``datetime.date``, counts are integers.

>>> import datetime as dt
>>> rows = [{"household": "H1", "division_code": "621027100201", "day": dt.date(2023, 12, 15)}]
>>> table = frame(rows, ["household", "division_code", "day"])
>>> table["division_code"][0], table["day"][0]
('621027100201', datetime.date(2023, 12, 15))
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyarrow as pa

__all__ = ["frame"]


def frame(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> Any:
    """``rows`` (dicts) as a DataFrame with ``columns`` in that order, even when empty."""
    try:
        import pandas  # noqa: F401
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ImportError("tables need pandas: pip install 'govgraph[analysis]'") from exc
    if rows:
        table = pa.Table.from_pylist([{c: r.get(c) for c in columns} for r in rows])
    else:
        table = pa.table({c: pa.array([], pa.string()) for c in columns})
    return table.to_pandas(date_as_object=True)
