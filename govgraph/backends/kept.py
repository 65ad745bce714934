"""Answers the embedded backend keeps between writes, each family until a write to one of the
tables its statements read: the answers about places (a grid's people, a village's, township's
and county's centers, leaders and party organisations …), which every household of the place
shares, the store's directory (the households' and grids' ids and division codes behind
the row offsets the columnar reads hand over, the households under an area), and the grid
memberships that lie outside their household's village.

The writer's lock dates them: a write declares its one table (a bulk write does) or counts as
touching every table, and once it is committed, before its call returns, every family whose
tables it touched moves on to a new date; an answer read while it was under way is dated
before it. Tests read each kept statement's text against its family's tables.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = [
    "DIRECTORY_ROWS", "DIRECTORY_STATEMENTS", "DIRECTORY_TABLES", "KEPT_ROWS", "KEPT_TABLES",
    "PLACE_ANSWERS", "PLACE_STATEMENTS", "PLACE_TABLES", "STRAY_STATEMENTS", "STRAY_TABLES",
    "Kept", "WriteLock",
]  # fmt: skip

T = TypeVar("T")

#: answers about places kept between writes (see :meth:`EmbeddedBackend.read_place`); past
#: this many, all are dropped (a store of a million households, every one asked about,
#: keeps about 70,000)
PLACE_ANSWERS = 200_000

#: the statements whose answers :meth:`EmbeddedBackend.read_place` keeps, and every table
#: (label or relationship type) they read: a write to any other table leaves them as they
#: are (a test reads the statements' texts against this list)
PLACE_STATEMENTS = frozenset({
    "grid_party", "responsible_grid", "responsible_parent_grid", "grid_villages",
    "village_centers", "village_party", "village_leaders", "village_township",
    "township_centers", "township_leaders", "township_county", "county_centers",
    "responsible_secretaries", "center_above", "center_counties", "center_departments",
})  # fmt: skip
PLACE_TABLES = frozenset({
    "Grid", "Person", "PartyOrganization", "GovernanceCenter", "Department", "Village",
    "Township", "County", "GRID_WORKER_OF", "GRID_HEAD_OF", "VOLUNTEER_OF", "SUNK_CADRE_OF",
    "SUBGRID_OF", "GRID_IN", "PARTY_COVERS", "SECRETARY_OF", "LEADER_OF", "PART_OF",
    "CENTER_SERVES", "REPORTS_TO", "STATIONED_AT",
})  # fmt: skip

#: the store's directory: which households and grids it holds, with the names behind the row
#: offsets the columnar reads return (every household's id and division code, every grid's
#: id) and the households under an area (theirs, and how many: :mod:`govgraph.scope`), kept by
#: :meth:`EmbeddedBackend.read` and :meth:`~EmbeddedBackend.read_arrow` until a write to one
#: of :data:`DIRECTORY_TABLES`: no field write adds a household, a grid or a village, and
#: reading 镇原县's 42,000 names was half of "uncovered" (30 ms of 60, measured); the facts a
#: question weighs (memberships, links, visits, posts, cases) are read each time
DIRECTORY_STATEMENTS = frozenset({
    "household_names", "grid_keys", "area_household_count", "household_count",
    "uncovered_households", "area_household_keys",
})  # fmt: skip
DIRECTORY_TABLES = frozenset({"Household", "Grid", "Village", "LOCATED_IN"})

#: the grid memberships that lie outside the household's village (its grid is another
#: village's, or another township's): what reading an area's memberships from its grids
#: misses (see :mod:`govgraph.coverage`). A whole scan of the store's memberships (at a
#: million households, 0.2–0.4 s against 15 ms for a county's grids, measured), kept until a
#: write to one of :data:`STRAY_TABLES` (a household moved to another grid is one)
STRAY_STATEMENTS = frozenset({"stray_household_grids"})
STRAY_TABLES = DIRECTORY_TABLES | {"IN_GRID"}

#: each family of kept answers, by the tables its statements read
KEPT_TABLES = {"places": PLACE_TABLES, "directory": DIRECTORY_TABLES, "strays": STRAY_TABLES}
#: the statements kept as rows (by :meth:`EmbeddedBackend.read` and
#: :meth:`~EmbeddedBackend.read_arrow`), by the family they are kept in
KEPT_ROWS = {
    **dict.fromkeys(DIRECTORY_STATEMENTS, "directory"),
    **dict.fromkeys(STRAY_STATEMENTS, "strays"),
}
#: past this many rows kept in the directory (or the strays), all of it is dropped (a store's
#: households under each of its levels of area: a million households take about 50 MB whole)
DIRECTORY_ROWS = 4_000_000


class WriteLock:
    """The writer's re-entrant lock, which also dates the kept answers: a family's date
    (:data:`KEPT_TABLES`) moves on when a thread lets go of the lock after a write that may
    have changed one of its tables (any write not declared to touch one other table), after
    the engine has committed it and before the writer's call returns."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._depth = 0  # changed only by the thread holding the lock
        self._written: set[str | None] = set()  # None: a write to any table
        self.dates = dict.fromkeys(KEPT_TABLES, 0)

    def touch(self, table: str | None) -> None:
        """A write under the lock to ``table`` (None: to any)."""
        self._written.add(table)

    def __enter__(self) -> WriteLock:
        self._lock.acquire()
        self._depth += 1
        return self

    def __exit__(self, *exc: object) -> None:
        self._depth -= 1
        if self._depth == 0 and self._written:
            for family, tables in KEPT_TABLES.items():
                if None in self._written or not tables.isdisjoint(self._written):
                    self.dates[family] += 1
            self._written.clear()
        self._lock.release()


class Kept:
    """The kept answers of each family (:data:`KEPT_TABLES`), by key, with the date of the
    family each was read at: one older than the family's date is read again."""

    def __init__(self, lock: WriteLock) -> None:
        self.lock = lock
        #: per family: key -> (the family's date it was read at, the answer)
        self.answers: dict[str, dict[tuple[Any, ...], tuple[int, Any]]] = {
            family: {} for family in KEPT_TABLES
        }

    def get(self, family: str, key: tuple[Any, ...], read: Callable[[], T]) -> T:
        """The answer kept under ``key``, or ``read()``'s, kept unless a write to the family's
        tables ended while it was read."""
        answers = self.answers[family]
        date_ = self.lock.dates[family]
        kept = answers.get(key)
        if kept is not None and kept[0] == date_:
            return kept[1]
        value = read()
        if self.lock.dates[family] == date_:
            if self.size(family) >= (PLACE_ANSWERS if family == "places" else DIRECTORY_ROWS):
                answers.clear()
            answers[key] = (date_, value)
        return value

    def size(self, family: str) -> int:
        """How much ``family`` keeps: answers about places, rows of the others."""
        answers = self.answers[family]
        if family == "places":
            return len(answers)
        # a copy taken at once: another reader may keep an answer meanwhile
        return sum(len(value) for _, value in list(answers.values()))

    def forget(self) -> None:
        for answers in self.answers.values():
            answers.clear()
