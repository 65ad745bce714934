"""Each person's load under an area — households served, households linked, open cases —
from small statements keyed by person and combined here.

A grid worker's share of a grid is its households over its active workers: the grids' sizes
and their staff come from two one-hop statements (the catalog had one that matched every
grid twice around an OPTIONAL MATCH). Counting the households each party member links is
cheap on LadybugDB; reading the 40,000 ids and names behind those counts on 镇原县 is most of
the statement's time, so where only some people are wanted (the overloaded ones) the counts
come by key — the person's row offset there, the id on Neo4j — and the ids and names are read
for just the people the answer names; counted over the whole store's links where the area
holds all of its households (:mod:`.scope`: 11 ms against 41 on 镇原县). Ground truth,
networkx and the Neo4j contract suite check the loads.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date
from typing import Any

import pyarrow as pa

from .backends.base import GraphBackend, Row
from .scope import scope

__all__ = ["person_loads"]

#: a load before its person is named: ``households``, ``linked``, ``open_cases``, ``grids``
Load = dict[str, Any]


def _linking(backend: GraphBackend, area: str, everyone: bool) -> str:
    """The statement that counts the members' links: with their ids and names for everyone;
    by key alone for a few, read from the whole store where the area holds all of it (see
    :mod:`.scope`)."""
    if everyone:
        return "linking_loads"
    return "all_linking_counts" if scope(backend, area).whole else "linking_counts"


def _columns(table: pa.Table, *names: str) -> list[list[Any]]:
    """The columns ``names`` of ``table`` as Python lists (empty ones for an empty result,
    which may come without columns)."""
    if table.num_rows == 0:
        return [[] for _ in names]
    return [table[name].to_pylist() for name in names]


def person_loads(
    backend: GraphBackend,
    area: str,
    as_of: date,
    wanted: Callable[[Load], bool] | None = None,
) -> list[Row]:
    """Everyone with a load under ``area`` (a division code) on ``as_of``, or only those
    ``wanted`` picks from their loads: rows of ``person``, ``name``, ``households`` (the
    summed shares, rounded to 6 places), ``linked``, ``open_cases`` and ``grids`` (sorted)."""
    params = {"area": area, "as_of": as_of}
    # everyone: the members' ids and names come with their counts (one statement); a few: by key
    by = "person" if wanted is None else "key"
    named: dict[Any, tuple[str, str]] = {}
    reads = [(name, params) for name in ("grid_sizes", "grid_staff", "case_loads")]
    # as Arrow: no Python object per row until the columns are taken whole (镇原县's four
    # reads at once, 10.3 ms as rows and 6.9 as Arrow, measured)
    size_table, staff_table, case_table, link_table = backend.read_arrow_many(
        [*reads, (_linking(backend, area, wanted is None), params)]
    )
    sizes = dict(zip(*_columns(size_table, "grid", "households"), strict=True))
    if staff_table.num_rows:
        staff_table = staff_table.sort_by([(by, "ascending"), ("grid", "ascending")])
    staff = _columns(staff_table, by, "grid", "person", "name")
    workers = Counter(staff[1])
    share: dict[Any, float] = defaultdict(float)
    grids: dict[Any, list[str]] = defaultdict(list)
    for key, grid, person, name in zip(*staff, strict=True):
        share[key] += sizes.get(grid, 0) / workers[grid]
        grids[key].append(grid)
        named[key] = (person, name)
    cases: dict[Any, int] = {}
    for key, open_cases, person, name in zip(
        *_columns(case_table, by, "open_cases", "person", "name"), strict=True
    ):
        cases[key] = int(open_cases)
        named[key] = (person, name)
    linking = ("person", "name") if wanted is None else ()
    linked: dict[Any, int] = {}
    for key, count, *who in zip(*_columns(link_table, by, "linked", *linking), strict=True):
        linked[key] = int(count)
        if who:
            named[key] = (who[0], who[1])
    loads: dict[Any, Load] = {}
    for key in share.keys() | linked.keys() | cases.keys():
        load = {
            "households": round(share.get(key, 0.0), 6),
            "linked": linked.get(key, 0),
            "open_cases": cases.get(key, 0),
            "grids": grids.get(key, []),  # sorted: the staff rows were
        }
        if wanted is None or wanted(load):
            loads[key] = load
    if wanted is not None:
        unnamed = [key for key in loads if key not in named]
        if unnamed:
            for row in backend.read("linking_people", {**params, "keys": unnamed}):
                named[row["key"]] = (row["person"], row["name"])
    return [{"person": named[key][0], "name": named[key][1], **load} for key, load in loads.items()]
