"""Rows → batched writes: put a :class:`GraphTables` into a backend."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ..backends.base import GraphBackend
from ..schema.model import Label
from .generator import Scenario, generate
from .graph import GraphTables
from .scenarios import get_scenario

__all__ = ["LoadReport", "write_graph", "load_scenario"]

#: called with (what is being written, rows in it) before each table is written
Progress = Callable[[str, int], None]


@dataclass
class LoadReport:
    nodes: int = 0
    relationships: int = 0
    generate_seconds: float = 0.0
    write_seconds: float = 0.0
    tables: dict[str, int] = field(default_factory=dict)


def write_graph(backend: GraphBackend, tables: GraphTables,
                progress: Progress | None = None) -> LoadReport:
    """Write every node table, then every relationship table; idempotent.

    Nodes go first so that relationships always find both ends. Each table is
    one bulk statement (embedded, empty table) or ``UNWIND`` batches that
    ``MERGE`` on stable ids, so writing the same tables again changes nothing.
    """
    report = LoadReport()
    started = time.perf_counter()
    backend.apply_schema()
    for label in Label:
        table = tables.nodes.get(label)
        if table is None:
            continue
        if progress:
            progress(label.value, table.num_rows)
        report.nodes += backend.write_nodes(label, table)
        report.tables[label.value] = table.num_rows
    for (rel, source, target), table in tables.relationships.items():
        name = f"{rel.value} {source.value}→{target.value}"
        if progress:
            progress(name, table.num_rows)
        report.relationships += backend.write_relationships(rel, source, target, table)
        report.tables[name] = table.num_rows
    report.write_seconds = time.perf_counter() - started
    return report


def load_scenario(backend: GraphBackend, name: str, *, seed: int | None = None,
                  households: int | None = None,
                  progress: Progress | None = None) -> tuple[Scenario, LoadReport]:
    """Generate the named scenario and write it into ``backend``."""
    spec = get_scenario(name, households=households, seed=seed)
    started = time.perf_counter()
    scenario = generate(spec)
    generated = time.perf_counter() - started
    report = write_graph(backend, scenario.tables, progress)
    report.generate_seconds = generated
    return scenario, report
