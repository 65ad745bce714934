"""Which households under an area nobody covers, from whole columns combined in Arrow.

The catalog's ``uncovered`` statement tests each household in four OPTIONAL MATCH …
aggregate stages. LadybugDB spends most of its time there grouping by household, so on the
embedded engine the same rows come from plain scans — the area's households, the grids
they are in on the day, the grids with a worker, the households linked and those visited —
handed over as Arrow columns of integer keys and combined with set membership in this
process. Where the area holds the whole store (a county's own store) or most of it, the
relationships are read whole, and narrowed to the area's keys here where it holds less
than all (see :mod:`.scope`): on 镇原县 a scan of the grid memberships joined through the
area's villages took 51 ms, one of the whole relationship 9 ms (measured; the links and the
visits alike). Where the area holds a small share, its grid memberships are read from its
grids rather than through its villages (15 ms against 52 for a county in a store of a
million households, measured), with the few memberships in a grid outside the household's
village kept beside them between writes. Grids travel as keys too and are named only for the
households the answer holds. Tests compare every road with the statement on the hand-built
graph (with households in another township's grid), every generated scenario and through
Neo4j.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .backends._arrow import column
from .backends.base import GraphBackend
from .schema.vocab import GapReason
from .scope import scope

__all__ = ["GAPS_SCHEMA", "WHOLE_STORE_SHARE", "columnar_uncovered"]

#: read the store's relationships whole when the area holds at least this share of its
#: households (the area's own joins cost three to five times a whole scan per row)
WHOLE_STORE_SHARE = 1 / 3

#: one row per household that lacks anything: its first grid (by id) and a flag per reason
GAPS_SCHEMA = pa.schema(
    [("household", pa.string()), ("division_code", pa.string()), ("grid", pa.string())]
    + [(reason.value, pa.bool_()) for reason in GapReason]
)


def _among(values: pa.Array, of: pa.Array) -> pa.Array:
    """Whether each of ``values`` is one of ``of``. Row offsets (the embedded engine's keys:
    small non-negative integers) are marked in a table of flags, a few times faster than
    Arrow's hashing ``is_in`` (which takes the ids Neo4j's statements return)."""
    if not (pa.types.is_integer(values.type) and len(values) and len(of)):
        return pc.is_in(values, value_set=of)
    wanted, marks = values.to_numpy(), of.to_numpy()
    flags = np.zeros(max(int(wanted.max()), int(marks.max())) + 1, dtype=bool)
    flags[marks] = True
    return pa.array(flags[wanted])


def _road(backend: GraphBackend, area: str) -> str:
    """How the columns are read for ``area`` (see :mod:`.scope`): ``store``, the area holds
    every household of the store; ``narrowed``, most of them (read whole, then narrowed to
    the area's keys); ``area``, through its villages."""
    size = scope(backend, area)
    if size.households and size.whole:
        return "store"
    return "narrowed" if size.households and size.share() >= WHOLE_STORE_SHARE else "area"


def _reads(road: str, area: str, as_of: date, cutoff: date) -> list[tuple[str, dict[str, Any]]]:
    """The statements of a road, read at once: the households (key, household,
    division_code), their grids on the day (household key, grid key), the keys of the
    households linked and of those visited, the staffed grids, every grid's id by key, and
    on the narrowed road the area's household keys. On the area road the grids on the day
    are read from the area's grids, and the memberships in a grid outside the household's
    village (kept between writes) are read beside them, to be taken where they hold."""
    at: dict[str, Any] = {"area": area} if road == "area" else {}
    day, window = {**at, "as_of": as_of}, {**at, "as_of": as_of, "cutoff": cutoff}
    if road == "area":
        reads = [("uncovered_households", at), ("area_grid_members", day),
                 ("linked_households", day), ("visited_households", window)]  # fmt: skip
    else:
        reads = [("household_names", {}), ("all_household_grids", day),
                 ("all_linked_households", day), ("all_visited_households", window)]  # fmt: skip
    reads += [("staffed_grids", {"as_of": as_of}), ("grid_keys", {})]
    if road == "narrowed":
        reads.append(("area_household_keys", {"area": area}))
    elif road == "area":
        reads.append(("stray_household_grids", {}))
    return reads


def columnar_uncovered(backend: GraphBackend, area: str, as_of: date, cutoff: date) -> pa.Table:
    """The rows of the ``uncovered`` statement for ``area`` (a division code) on ``as_of``
    with visits counted from ``cutoff``, as a table of :data:`GAPS_SCHEMA`: one row per
    household that lacks anything, by id."""
    road = _road(backend, area)
    tables = backend.read_arrow_many(_reads(road, area, as_of, cutoff))
    households, grids, linked_table, visited_table, staffed_table, grid_table = tables[:6]
    if road == "narrowed" and households.num_rows:
        keys = households["key"].combine_chunks()
        households = households.filter(_among(keys, column(tables[6], "key", keys.type)))
    if households.num_rows == 0:
        return GAPS_SCHEMA.empty_table()
    keys = households["key"].combine_chunks()
    members, grid = column(grids, "key", keys.type), column(grids, "grid", keys.type)
    if road == "area":  # the area's grids' members, and its households in other grids
        strays = _held(tables[6], as_of)
        members = pa.concat_arrays([members, column(strays, "key", keys.type)])
        grid = pa.concat_arrays([grid, column(strays, "grid", keys.type)])
    if road != "store":
        inside = _among(members, keys)
        members, grid = pc.filter(members, inside), pc.filter(grid, inside)
    linked, visited = (
        column(linked_table, "key", keys.type),
        column(visited_table, "key", keys.type),
    )
    staffed = column(staffed_table, "grid", keys.type)
    gridded = _among(keys, members)
    staffed_members = pc.filter(members, _among(grid, staffed))
    flags = {
        GapReason.NO_GRID.value: pc.invert(gridded),
        GapReason.NO_WORKER.value: pc.and_(gridded, pc.invert(_among(keys, staffed_members))),
        GapReason.NO_LINKING_MEMBER.value: pc.invert(_among(keys, linked)),
        GapReason.NOT_VISITED.value: pc.invert(_among(keys, visited)),
    }
    lacking = pc.or_(pc.or_(*list(flags.values())[:2]), pc.or_(*list(flags.values())[2:]))
    chosen = households.filter(lacking)
    chosen_keys = chosen["key"].combine_chunks()
    columns = {
        "household": chosen["household"],
        "division_code": chosen["division_code"],
        "grid": _first_grids(chosen_keys, members, grid, grid_table),
        **{reason: pc.filter(flag, lacking) for reason, flag in flags.items()},
    }
    return pa.table(columns, schema=GAPS_SCHEMA).sort_by("household")


def _held(memberships: pa.Table, as_of: date) -> pa.Table:
    """The rows of ``memberships`` (with ``valid_from`` and ``valid_to``) held on ``as_of``,
    as the statements' ``valid_from <= $as_of AND (valid_to IS NULL OR valid_to >= $as_of)``
    keeps them (a membership with no first day is not held)."""
    if memberships.num_rows == 0:
        return memberships
    day = pa.scalar(as_of, pa.date32())
    start = pc.cast(memberships["valid_from"], pa.date32())
    end = pc.cast(memberships["valid_to"], pa.date32())
    begun = pc.fill_null(pc.less_equal(start, day), False)
    return memberships.filter(pc.and_(begun, pc.fill_null(pc.greater_equal(end, day), True)))


def _first_grids(
    chosen: pa.Array, members: pa.Array, grid: pa.Array, grid_table: pa.Table
) -> pa.Array:
    """The id of the first grid (by id) each of the ``chosen`` household keys is in on the
    day, null for one in none: ``members`` and ``grid`` pair household and grid keys, and
    ``grid_table`` names every grid's key."""
    names = column(grid_table, "grid", pa.string())
    grid_keys = column(grid_table, "key", grid.type)
    if all(pa.types.is_integer(a.type) and len(a) for a in (chosen, members, grid, grid_keys)):
        return _first_grids_by_rank(chosen, members, grid, grid_keys, names)
    theirs = _among(members, chosen)
    at = pc.index_in(pc.filter(grid, theirs), value_set=grid_keys)
    pairs = pa.table({"key": pc.filter(members, theirs), "grid": pc.take(names, at)})
    firsts = pairs.group_by("key").aggregate([("grid", "min")])
    return pc.take(firsts["grid_min"], pc.index_in(chosen, value_set=firsts["key"]))


def _first_grids_by_rank(
    chosen: pa.Array, members: pa.Array, grid: pa.Array, grid_keys: pa.Array, names: pa.Array
) -> pa.Array:
    """:func:`_first_grids` over row offsets (the embedded engine's keys): each grid ranked
    by its id, the least rank per household taken in numpy (4 ms to 0.5 on 镇原县's 42,000
    memberships, measured, against Arrow's group-by)."""
    order = pc.sort_indices(names).to_numpy()
    unknown = len(order)  # the rank of a grid key the table does not name: none
    keys = grid_keys.to_numpy()
    rank = np.full(max(int(keys.max()), int(pc.max(grid).as_py())) + 1, unknown, dtype=np.int64)
    rank[keys[order]] = np.arange(len(order))
    households, wanted = members.to_numpy(), chosen.to_numpy()
    least = np.full(max(int(households.max()), int(wanted.max())) + 1, unknown, dtype=np.int64)
    np.minimum.at(least, households, rank[grid.to_numpy()])
    found = least[wanted]
    return names.take(pa.array(order[np.minimum(found, unknown - 1)], mask=found == unknown))
