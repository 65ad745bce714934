"""Arrow tables shaped exactly as the model says: column order and types."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from ..schema.model import Label, PropType, Rel, node_spec, rel_spec

__all__ = [
    "ARROW_TYPES",
    "column",
    "composite_key",
    "conform_nodes",
    "conform_relationships",
    "node_schema",
    "node_table",
    "rel_schema",
    "rel_table",
    "split_known",
]

ARROW_TYPES: dict[PropType, pa.DataType] = {
    PropType.STRING: pa.string(),
    PropType.INT: pa.int64(),
    PropType.BOOL: pa.bool_(),
    PropType.DATE: pa.date32(),
    PropType.STRING_LIST: pa.list_(pa.string()),
}


def _conform(table: pa.Table, columns: list[tuple[str, pa.DataType]], what: str) -> pa.Table:
    missing = [c for c, _ in columns if c not in table.column_names]
    if missing:
        raise ValueError(f"{what}: missing columns {missing}")
    extra = sorted(set(table.column_names) - {c for c, _ in columns})
    if extra:
        raise ValueError(f"{what}: unknown columns {extra}")
    arrays = [table.column(c).cast(t) for c, t in columns]
    return pa.Table.from_arrays(arrays, names=[c for c, _ in columns])


def conform_nodes(label: Label, table: pa.Table) -> pa.Table:
    spec = node_spec(label)
    return _conform(table, [(p.name, ARROW_TYPES[p.type]) for p in spec.props], str(label))


def conform_relationships(rel: Rel, table: pa.Table) -> pa.Table:
    spec = rel_spec(rel)
    cols = [("source", pa.string()), ("target", pa.string())]
    cols += [(p.name, ARROW_TYPES[p.type]) for p in spec.props]
    return _conform(table, cols, str(rel))


def node_schema(label: Label) -> pa.Schema:
    return pa.schema([(p.name, ARROW_TYPES[p.type]) for p in node_spec(label).props])


def rel_schema(rel: Rel) -> pa.Schema:
    cols = [("source", pa.string()), ("target", pa.string())]
    return pa.schema(cols + [(p.name, ARROW_TYPES[p.type]) for p in rel_spec(rel).props])


def node_table(label: Label, rows: list[dict[str, Any]]) -> pa.Table:
    return pa.Table.from_pylist(rows, node_schema(label))


def rel_table(rel: Rel, rows: list[dict[str, Any]]) -> pa.Table:
    return pa.Table.from_pylist(rows, rel_schema(rel))


def column(table: pa.Table, name: str, type_: pa.DataType) -> pa.Array:
    """``table[name]`` as one array, or an empty one of ``type_`` for an empty result (which
    the engine may hand over without its columns)."""
    if table.num_rows == 0 or name not in table.column_names:
        return pa.array([], type=type_)
    return table[name].combine_chunks()


def split_known(table: pa.Table, known: pa.Array) -> tuple[pa.Table, pa.Table]:
    """The rows of ``table`` not ``known``, and those known; ``table`` itself where none is
    known (a first load: a filter would copy it whole)."""
    if not pc.any(known).as_py():
        return table, table.slice(0, 0)
    return table.filter(pc.invert(known)), table.filter(known)


def composite_key(table: pa.Table, columns: list[str]) -> pa.Array:
    """One string per row joining the key columns (for set membership tests)."""
    parts = [pc.cast(table.column(c), pa.string()) for c in columns]
    if len(parts) == 1:
        return parts[0]
    return pc.binary_join_element_wise(*parts, "\x1f")
