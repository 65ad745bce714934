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

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .backends._arrow import column
from .backends.base import GraphBackend, Row
from .scope import scope

__all__ = ["Loads", "person_loads"]


def _linking(backend: GraphBackend, area: str, everyone: bool) -> str:
    """The statement that counts the members' links: with their ids and names for everyone;
    by key alone for a few, read from the whole store where the area holds all of it (see
    :mod:`.scope`)."""
    if everyone:
        return "linking_loads"
    return "all_linking_counts" if scope(backend, area).whole else "linking_counts"


@dataclass(frozen=True)
class Loads:
    """Everyone's three loads, one position per person: what a ``wanted`` predicate of
    :func:`person_loads` is given to pick people by, whole columns at once."""

    #: the summed shares of the grids served, each rounded to 6 places as the answer gives it
    households: np.ndarray
    linked: np.ndarray
    open_cases: np.ndarray
    #: whether the person serves any grid
    serving: np.ndarray


def _numbers(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    return values.to_numpy() if isinstance(values, pa.ChunkedArray) else values.to_numpy(False)


def _dense(keys: pa.Array | pa.ChunkedArray, everyone: pa.Array) -> np.ndarray:
    """The position of each of ``keys`` among ``everyone`` (which holds them all)."""
    return _numbers(pc.index_in(keys, value_set=everyone))


def _round6(values: np.ndarray) -> np.ndarray:
    """``round(x, 6)`` of each value, as the answer rounds it, to the last bit. Where numpy's
    rounding gives ``x`` back, ``x`` is the double nearest some k·10⁻⁶ (numpy divides the
    integer k by 10⁶, which is correctly rounded), and so is ``round(x, 6)``: the exact value
    of ``x`` lies within half a unit of its last place of k·10⁻⁶, far inside the half a
    millionth that would round it elsewhere. Only the others go through Python (a sixth of
    镇原县's 1,350 workers' loads: 0.11 ms against 0.49 all in Python, measured)."""
    out = values.copy()
    odd = np.flatnonzero(np.round(values, 6) != values)
    out[odd] = [round(x, 6) for x in values[odd].tolist()]
    return out


def person_loads(
    backend: GraphBackend,
    area: str,
    as_of: date,
    wanted: Callable[[Loads], np.ndarray] | None = None,
) -> list[Row]:
    """Everyone with a load under ``area`` (a division code) on ``as_of``, or only those
    ``wanted`` picks (a mask over :class:`Loads`): rows of ``person``, ``name``,
    ``households`` (the summed shares, rounded to 6 places), ``linked``, ``open_cases`` and
    ``grids`` (sorted).

    The loads are summed in numpy over whole columns (a Python dict per person was a third
    of "overloaded" on 镇原县); a worker's shares are added in the order of their grids' ids,
    as one at a time in Python would, so the sums are the same to the last bit."""
    params = {"area": area, "as_of": as_of}
    # everyone: the members' ids and names come with their counts (one statement); a few: by key
    by = "person" if wanted is None else "key"
    reads = [(name, params) for name in ("grid_staff", "grid_sizes", "case_loads")]
    # as Arrow: no Python object per row until the columns are taken whole (镇原县's four
    # reads at once, 10.3 ms as rows and 6.9 as Arrow, measured); the longest first
    link_table, staff_table, size_table, case_table = backend.read_arrow_many(
        [(_linking(backend, area, wanted is None), params), *reads]
    )
    if staff_table.num_rows:
        staff_table = staff_table.sort_by([(by, "ascending"), ("grid", "ascending")])
    named_by = [t[by].combine_chunks() for t in (staff_table, case_table, link_table) if t.num_rows]
    if not named_by:
        return []
    everyone = pc.unique(pa.concat_arrays(named_by))
    n = len(everyone)
    # a grid's households over its workers, per worker and grid, summed per worker in order
    served, serving = np.zeros(n), np.zeros(n, dtype=bool)
    if staff_table.num_rows:
        grid = staff_table["grid"].combine_chunks()
        workers = pc.value_counts(grid)
        per_grid = pc.take(
            workers.field("counts"), pc.index_in(grid, value_set=workers.field("values"))
        )
        sized = pc.index_in(grid, value_set=column(size_table, "grid", pa.string()))
        households = pc.fill_null(pc.take(column(size_table, "households", pa.int64()), sized), 0)
        at = _dense(staff_table[by], everyone)
        np.add.at(served, at, _numbers(households) / _numbers(per_grid))
        serving[at] = True
    linked, open_cases = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
    for counts, table, name in ((linked, link_table, "linked"),
                                  (open_cases, case_table, "open_cases")):  # fmt: skip
        if table.num_rows:
            counts[_dense(table[by], everyone)] = _numbers(table[name])
    rounded = served.copy()
    rounded[serving] = _round6(served[serving])
    loads = Loads(rounded, linked, open_cases, serving)
    chosen = np.arange(n) if wanted is None else np.flatnonzero(wanted(loads))
    return _rows(
        backend, params, by, everyone, chosen, loads, (staff_table, case_table, link_table)
    )


def _rows(
    backend: GraphBackend,
    params: dict[str, Any],
    by: str,
    everyone: pa.Array,
    chosen: np.ndarray,
    loads: Loads,
    tables: tuple[pa.Table, pa.Table, pa.Table],
) -> list[Row]:
    """The rows of the ``chosen`` positions of ``everyone``, named from the tables that name
    people (every one of them, with everyone's links) or, for a member named by none of them,
    by key."""
    keys = everyone.take(pa.array(chosen, type=pa.int64())).to_pylist()
    named: dict[Any, tuple[str, str]] = {}
    grids: dict[Any, list[str]] = {key: [] for key in keys}
    for table in tables:
        if table.num_rows == 0 or "person" not in table.column_names:
            continue
        mine = pc.is_in(table[by], value_set=pa.array(keys, type=everyone.type))
        picked = table.filter(mine)
        columns = [picked[c].to_pylist() for c in (by, "person", "name")]
        for key, person, name in zip(*columns, strict=True):
            named[key] = (person, name)
        if "grid" in table.column_names:  # the staff, sorted by key then grid
            for key, grid in zip(columns[0], picked["grid"].to_pylist(), strict=True):
                grids[key].append(grid)
    unnamed = [key for key in keys if key not in named]
    if unnamed:
        for row in backend.read("linking_people", {**params, "keys": unnamed}):
            named[row["key"]] = (row["person"], row["name"])
    households, linked = loads.households.tolist(), loads.linked.tolist()
    open_cases = loads.open_cases.tolist()
    return [
        {"person": named[key][0], "name": named[key][1], "households": households[i],
         "linked": linked[i], "open_cases": open_cases[i], "grids": grids[key]}
        for key, i in zip(keys, chosen.tolist(), strict=True)
    ]  # fmt: skip
