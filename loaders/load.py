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

__all__ = ["LoadReport", "load_scenario", "write_graph"]

#: called with (what is being written, rows in it) before each table is written
Progress = Callable[[str, int], None]


@dataclass
class LoadReport:
    nodes: int = 0
    relationships: int = 0
    generate_seconds: float = 0.0
    write_seconds: float = 0.0
    tables: dict[str, int] = field(default_factory=dict)


def write_graph(
    backend: GraphBackend,
    tables: GraphTables,
    progress: Progress | None = None,
    *,
    consume: bool = False,
    schema: bool = True,
) -> LoadReport:
    """Write every node table, then every relationship table; idempotent.

    Nodes go first so that relationships always find both ends. Each table is
    written with the engine's bulk path (see the backends), keyed on stable
    ids, so writing the same tables again changes nothing. With ``consume``
    each table is dropped from ``tables`` once written, to bound memory. Without
    ``schema`` the schema is taken as there (inside a transaction, where Neo4j
    allows no schema change beside data).
    """
    report = LoadReport()
    started = time.perf_counter()
    if schema:
        backend.apply_schema()
    for label in [label for label in Label if label in tables.nodes]:
        table = tables.nodes.pop(label) if consume else tables.nodes[label]
        if progress:
            progress(label.value, table.num_rows)
        report.nodes += backend.write_nodes(label, table)
        report.tables[label.value] = table.num_rows
        del table
    for key in list(tables.relationships):
        rel, source, target = key
        table = tables.relationships.pop(key) if consume else tables.relationships[key]
        name = f"{rel.value} {source.value}→{target.value}"
        if progress:
            progress(name, table.num_rows)
        report.relationships += backend.write_relationships(rel, source, target, table)
        report.tables[name] = table.num_rows
        del table
    report.write_seconds = time.perf_counter() - started
    return report


def load_scenario(
    backend: GraphBackend,
    name: str,
    *,
    seed: int | None = None,
    households: int | None = None,
    progress: Progress | None = None,
    consume: bool = False,
) -> tuple[Scenario, LoadReport]:
    """Generate the named scenario and write it into ``backend``.

    With ``consume`` the scenario's tables are emptied as they are written
    (its manifest stays): the way to load a million households in bounded memory.
    """
    spec = get_scenario(name, households=households, seed=seed)
    started = time.perf_counter()
    scenario = generate(spec)
    generated = time.perf_counter() - started
    report = write_graph(backend, scenario.tables, progress, consume=consume)
    # the scenario is a picture of one day: its questions are asked for that day by default
    backend.record_data_day(spec.as_of)
    report.generate_seconds = generated
    return scenario, report
