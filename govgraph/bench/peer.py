"""The relational peer: county-wide uncovered and overloaded answered by DuckDB.

``govgraph bench`` exports the tables these two questions read from the very store it
timed (households, their grids, workers, linking members, visits, open cases), loads them
into an in-memory DuckDB, checks that DuckDB's answers equal govgraph's row for row, and
times both, interleaved, in the same process. DuckDB is a bench extra
(``pip install 'govgraph[bench]'``); without it the comparison is left out and says so.
"""

from __future__ import annotations

import time
from datetime import date
from statistics import median
from typing import Any

from ..backends.base import GraphBackend
from ..schema.model import Label, Rel

__all__ = ["available", "compare"]

_HELD = "valid_from <= $as_of AND (valid_to IS NULL OR valid_to >= $as_of)"

UNCOVERED_SQL = f"""
WITH held AS (SELECT source AS household, target AS grid FROM in_grid WHERE {_HELD}),
     staffed AS (SELECT DISTINCT target AS grid FROM grid_worker WHERE {_HELD}),
     linked AS (SELECT DISTINCT target AS household FROM links WHERE {_HELD}),
     seen AS (SELECT DISTINCT target AS household FROM visited
              WHERE date >= $cutoff AND date <= $as_of),
     flags AS (
       SELECT h.id AS household,
              NOT EXISTS (SELECT 1 FROM held WHERE held.household = h.id) AS no_grid,
              EXISTS (SELECT 1 FROM held WHERE held.household = h.id)
                AND NOT EXISTS (SELECT 1 FROM held JOIN staffed USING (grid)
                                WHERE held.household = h.id) AS no_worker,
              h.id NOT IN (SELECT household FROM linked) AS no_linking_member,
              h.id NOT IN (SELECT household FROM seen) AS not_visited
       FROM households h)
SELECT * FROM flags WHERE no_grid OR no_worker OR no_linking_member OR not_visited
ORDER BY household
"""

OVERLOADED_SQL = f"""
WITH serving AS (SELECT source AS person, target AS grid FROM grid_worker
                 WHERE {_HELD}),
     staff AS (SELECT grid, count(*) AS workers FROM serving GROUP BY grid),
     size AS (SELECT target AS grid, count(*) AS households FROM in_grid WHERE {_HELD}
              GROUP BY target),
     shares AS (SELECT person, sum(coalesce(households, 0) / workers) AS households
                FROM serving JOIN staff USING (grid) LEFT JOIN size USING (grid)
                GROUP BY person),
     linking AS (SELECT source AS person, count(*) AS linked FROM links WHERE {_HELD}
                 GROUP BY source),
     reporting AS (SELECT reporter AS person, count(*) AS open_cases FROM cases
                   WHERE opened <= $as_of AND (closed IS NULL OR closed > $as_of)
                   GROUP BY reporter),
     everyone AS (SELECT person FROM shares UNION SELECT person FROM linking
                  UNION SELECT person FROM reporting),
     loads AS (SELECT person, round(coalesce(households, 0), 6) AS households,
                      coalesce(linked, 0) AS linked, coalesce(open_cases, 0) AS open_cases
               FROM everyone LEFT JOIN shares USING (person) LEFT JOIN linking USING (person)
                    LEFT JOIN reporting USING (person))
SELECT person, households, linked, open_cases,
       round(greatest(households / $max_households, linked / $max_linked,
                      open_cases / $max_open_cases), 6) AS ratio
FROM loads
WHERE greatest(households / $max_households, linked / $max_linked,
               open_cases / $max_open_cases) > 1
ORDER BY ratio DESC, person
"""


def available() -> bool:
    try:
        import duckdb  # noqa: F401
    except ImportError:
        return False
    return True


def _tables(backend: GraphBackend, area: str) -> dict[str, Any]:
    """The rows the two questions read, for the households, grids and cases under ``area``,
    as Arrow tables."""
    import pyarrow as pa

    def rel(rel: Rel, source: Label, target: Label, *columns: str) -> pa.Table:
        table = backend.relationships_in_area(rel, source, target, area, by_target=True)
        return table.select(["source", "target", *columns])

    households = backend.relationships_in_area(Rel.LOCATED_IN, Label.HOUSEHOLD, Label.VILLAGE, area)
    cases = backend.nodes_in_area(Label.CASE, area)
    reported = backend.relationships_in_area(Rel.REPORTED_BY, Label.CASE, Label.PERSON, area)
    reporter = dict(
        zip(reported["source"].to_pylist(), reported["target"].to_pylist(), strict=True)
    )
    return {
        "households": pa.table({"id": households["source"]}),
        "in_grid": rel(Rel.IN_GRID, Label.HOUSEHOLD, Label.GRID, "valid_from", "valid_to"),
        "grid_worker": rel(Rel.GRID_WORKER_OF, Label.PERSON, Label.GRID, "valid_from", "valid_to"),
        "links": rel(Rel.LINKS_HOUSEHOLD, Label.PERSON, Label.HOUSEHOLD, "valid_from", "valid_to"),
        "visited": rel(Rel.VISITED, Label.PERSON, Label.HOUSEHOLD, "date"),
        "cases": pa.table(
            {
                "reporter": pa.array([reporter.get(c) for c in cases["id"].to_pylist()]),
                "opened": cases["opened"],
                "closed": cases["closed"],
            }
        ),
    }


def compare(
    backend: GraphBackend, area: str, *, as_of: date, within_days: int, runs: int
) -> dict[str, Any]:
    """DuckDB beside govgraph on county-wide uncovered and overloaded: both timed in turn
    (median of ``runs``), the ratio, and whether the answers are identical."""
    import duckdb

    from .. import questions as q

    started = time.perf_counter()
    db = duckdb.connect()
    for name, table in _tables(backend, area).items():
        db.register(name, table)
    exported = time.perf_counter() - started
    limits = {
        "max_households": q.DEFAULT_MAX_HOUSEHOLDS,
        "max_linked": q.DEFAULT_MAX_LINKED,
        "max_open_cases": q.DEFAULT_MAX_OPEN_CASES,
    }
    cut = q.cutoff(as_of, within_days)

    def ours_uncovered() -> list[tuple[Any, ...]]:
        answer = q.uncovered(backend, area, as_of=as_of, within_days=within_days)
        return [
            (h.household, *(reason in h.reasons for reason in q.REASONS)) for h in answer.households
        ]

    def peer_uncovered() -> list[tuple[Any, ...]]:
        params = {"as_of": as_of, "cutoff": cut}
        return [tuple(r) for r in db.execute(UNCOVERED_SQL, params).fetchall()]

    def ours_overloaded() -> list[tuple[Any, ...]]:
        answer = q.overloaded(backend, area, as_of=as_of)
        return [(w.person, w.households, w.linked, w.open_cases, w.ratio) for w in answer.workers]

    def peer_overloaded() -> list[tuple[Any, ...]]:
        params = {"as_of": as_of, **limits}
        rows = db.execute(OVERLOADED_SQL, params).fetchall()
        return [(p, float(h), int(n), int(c), float(r)) for p, h, n, c, r in rows]

    out: dict[str, Any] = {"export_seconds": round(exported, 2)}
    for key, ours, peer in (
        ("uncovered_county", ours_uncovered, peer_uncovered),
        ("overloaded_county", ours_overloaded, peer_overloaded),
    ):
        mine, theirs = ours(), peer()
        times: dict[str, list[float]] = {"govgraph": [], "duckdb": []}
        for _ in range(runs):
            for who, fn in (("govgraph", ours), ("duckdb", peer)):
                t0 = time.perf_counter()
                fn()
                times[who].append((time.perf_counter() - t0) * 1000)
        g, d = median(times["govgraph"]), median(times["duckdb"])
        out[key] = {
            "govgraph_median_ms": round(g, 3),
            "duckdb_median_ms": round(d, 3),
            "govgraph_over_duckdb": round(g / d, 2),
            "rows": len(mine),
            "identical": mine == theirs,
        }
    return out
