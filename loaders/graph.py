"""A graph held as Arrow tables, ready to write: what generators and importers produce."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from ..backends._arrow import node_schema, rel_schema
from ..schema.model import Label, Rel

__all__ = ["GraphBuilder", "GraphTables", "node_schema", "rel_schema"]

RelKey = tuple[Rel, Label, Label]


@dataclass
class GraphTables:
    """Nodes per label and relationships per (type, source label, target label)."""

    nodes: dict[Label, pa.Table] = field(default_factory=dict)
    relationships: dict[RelKey, pa.Table] = field(default_factory=dict)


class GraphBuilder:
    """Collects rows (dicts for small tables, Arrow tables for bulk columns)."""

    def __init__(self) -> None:
        self._node_rows: dict[Label, list[dict[str, Any]]] = defaultdict(list)
        self._rel_rows: dict[RelKey, list[dict[str, Any]]] = defaultdict(list)
        self._node_tables: dict[Label, list[pa.Table]] = defaultdict(list)
        self._rel_tables: dict[RelKey, list[pa.Table]] = defaultdict(list)

    def node(self, label: Label, **props: Any) -> str:
        self._node_rows[label].append(props)
        return str(props["id"])

    def node_row(self, label: Label, row: dict[str, Any]) -> None:
        """A node as a dict of its properties, kept as it is (the builder's from now on)."""
        self._node_rows[label].append(row)

    def rel_row(self, key: RelKey, row: dict[str, Any]) -> None:
        """A relationship as a dict with ``source``, ``target`` and its properties, kept as it
        is (the builder's from now on)."""
        self._rel_rows[key].append(row)

    def rel(
        self, rel: Rel, source: tuple[Label, str], target: tuple[Label, str], **props: Any
    ) -> None:
        self._rel_rows[(rel, source[0], target[0])].append(
            {"source": source[1], "target": target[1], **props}
        )

    def node_table(self, label: Label, columns: dict[str, Any]) -> None:
        self._node_tables[label].append(
            pa.table(columns, schema=_subset(node_schema(label), columns))
        )

    def rel_table(self, rel: Rel, source: Label, target: Label, columns: dict[str, Any]) -> None:
        self._rel_tables[(rel, source, target)].append(
            pa.table(columns, schema=_subset(rel_schema(rel), columns))
        )

    def build(self) -> GraphTables:
        out = GraphTables()
        for label in Label:
            parts = [_complete(t, node_schema(label)) for t in self._node_tables.get(label, [])]
            if self._node_rows.get(label):
                parts.append(pa.Table.from_pylist(self._node_rows[label], node_schema(label)))
            if parts:
                out.nodes[label] = pa.concat_tables(parts)
        keys = sorted(set(self._rel_rows) | set(self._rel_tables))
        for key in keys:
            schema = rel_schema(key[0])
            parts = [_complete(t, schema) for t in self._rel_tables.get(key, [])]
            if self._rel_rows.get(key):
                parts.append(pa.Table.from_pylist(self._rel_rows[key], schema))
            out.relationships[key] = pa.concat_tables(parts)
        return out


def _subset(schema: pa.Schema, columns: dict[str, Any]) -> pa.Schema:
    unknown = set(columns) - set(schema.names)
    if unknown:
        raise ValueError(f"unknown columns {sorted(unknown)}")
    return pa.schema([schema.field(n) for n in columns])


def _complete(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """Add the schema's missing columns as nulls, in the schema's order."""
    n = table.num_rows
    arrays = [
        table.column(f.name) if f.name in table.column_names else pa.nulls(n, f.type)
        for f in schema
    ]
    return pa.Table.from_arrays(arrays, schema=schema)
