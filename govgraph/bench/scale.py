"""``govgraph bench``: load time, peak memory and question latencies, written to a file.

Each run is a fresh process (so its peak memory is its own) that generates the
scale's scenario and loads it into a temporary embedded store; the first run
then asks every question many times and, at S and M, the same questions of an
in-memory networkx graph and (with ``--neo4j URI``) of the same scenario loaded into
that Neo4j. Figures are only comparable within one run on one machine; the file
records the machine beside every result.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from statistics import median, quantiles
from typing import Any

from ..backends.base import GraphBackend
from ..backends.embedded import DEFAULT_BUFFER_POOL_BYTES, EmbeddedBackend
from ..backends.neo4j import Neo4jBackend
from ..errors import GovgraphError
from ..keys import ENV_KEY, ENV_KEY_DIR, ENV_KEY_FILE
from ..loaders.generator import generate
from ..loaders.load import write_graph
from ..loaders.scenarios import ScenarioSpec, get_scenario
from ..questions import DEFAULT_WINDOW_DAYS
from . import peer
from .results import SCALES, machine, peak_rss_mib, record

__all__ = ["measure", "open_bench_neo4j", "run_bench"]


def _time(fn: Callable[[], Any], runs: int) -> dict[str, float]:
    fn()  # warm up: prepared plans, buffer pool
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    p95 = quantiles(samples, n=20)[-1] if len(samples) >= 2 else samples[0]
    return {"median_ms": round(median(samples), 3), "p95_ms": round(p95, 3), "runs": runs}


def _cold(backend: GraphBackend, question: Callable[..., Any], subject: str, as_of: Any) -> Any:
    backend.forget_kept()
    return question(backend, subject, as_of=as_of)


def _cycle(items: list[Any]) -> Callable[[], Any]:
    state = {"i": 0}

    def nxt() -> Any:
        state["i"] = (state["i"] + 1) % len(items)
        return items[state["i"]]

    return nxt


def _first_child(backend: GraphBackend, area: str) -> str:
    """The first unit directly under ``area`` (by code)."""
    return min(r["id"] for r in backend.read("area_children", {"area": area}))


def _subjects(backend: GraphBackend, spec: ScenarioSpec) -> dict[str, Any]:
    """What to ask about: households, a township, a county, open cases."""
    rng = random.Random(7)
    county = spec.county if len(spec.county) == 6 else _first_child(backend, spec.county)
    township = spec.townships[0] if spec.townships else _first_child(backend, county)
    households = [
        r["id"] for r in backend.read("sample_households", {"area": township, "limit": 100_000})
    ]
    cases = [
        r["case_id"] for r in backend.read("open_cases", {"area": county, "as_of": spec.as_of})
    ]
    return {
        "county": spec.area if spec.townships else county,
        "township": township,
        "households": rng.sample(households, min(200, len(households))),
        "cases": rng.sample(cases, min(50, len(cases))),
    }


def _questions(
    backend: GraphBackend, spec: ScenarioSpec, s: dict[str, Any], runs: int
) -> dict[str, Any]:
    from .. import questions as q

    as_of = spec.as_of
    household, case = _cycle(s["households"]), _cycle(s["cases"])
    timings = {
        # the engine's floors, which #16's ratios divide by: one household by id, and one
        # scan of the county's households with their grid, counted in the engine (the scan
        # as often as a fast question: 20 runs of it were seen to give 1.95 ms and 3.06 in
        # two runs of the bench a minute apart)
        "floor_lookup": _time(
            lambda: backend.read("household_lookup", {"household": household()}), runs
        ),
        "floor_scan_county": _time(
            lambda: backend.read("bench_scan", {"area": s["county"]}), max(5, runs // 2)
        ),
        "responsible": _time(lambda: q.responsible(backend, household(), as_of=as_of), runs),
        # as right after a write to a place: nothing kept about places (see `read_place`)
        "responsible_cold": _time(lambda: _cold(backend, q.responsible, household(), as_of), runs),
        "uncovered_township": _time(
            lambda: q.uncovered(backend, s["township"], as_of=as_of), max(5, runs // 10)
        ),
        "uncovered_county": _time(
            lambda: q.uncovered(backend, s["county"], as_of=as_of), max(3, runs // 8)
        ),
        # as right after a household or grid is added: the store's directory read afresh
        "uncovered_county_cold": _time(
            lambda: _cold(backend, q.uncovered, s["county"], as_of), max(3, runs // 8)
        ),
        "overloaded_county": _time(
            lambda: q.overloaded(backend, s["county"], as_of=as_of), max(3, runs // 8)
        ),
        "coordination": _time(lambda: q.coordination(backend, case(), as_of=as_of), runs),
        "coordination_cold": _time(lambda: _cold(backend, q.coordination, case(), as_of), runs),
        "overdue": _time(
            lambda: q.overdue(backend, as_of=as_of, area=s["county"]), max(5, runs // 10)
        ),
        "summary_township": _time(
            lambda: q.area_summary(backend, s["township"], as_of=as_of), max(5, runs // 10)
        ),
    }
    return {"subjects": {"township": s["township"], "county": s["county"]}, "timings": timings}


def _networkx(
    backend: GraphBackend, spec: ScenarioSpec, s: dict[str, Any], runs: int
) -> dict[str, Any]:
    from ..analytics import reference
    from ..analytics.export import to_networkx

    started = time.perf_counter()
    graph = to_networkx(backend)
    exported = time.perf_counter() - started
    case = _cycle(s["cases"])
    as_of = spec.as_of
    return {
        "export_seconds": round(exported, 2),
        "peak_rss_mib_after_export": round(peak_rss_mib()),
        "timings": {
            "uncovered_township": _time(
                lambda: reference.uncovered(graph, s["township"], as_of), max(3, runs // 20)
            ),
            "uncovered_county": _time(lambda: reference.uncovered(graph, s["county"], as_of), 3),
            "overloaded_county": _time(
                lambda: reference.worker_loads(graph, s["county"], as_of), 3
            ),
            "coordination": _time(lambda: reference.escalation_paths(graph, case(), as_of), 3),
        },
    }


def open_bench_neo4j(uri: str) -> Neo4jBackend:
    """The Neo4j a benchmark loads into: it must be empty (a benchmark never touches a
    database that holds anything), reached with ``GOVGRAPH_NEO4J_*`` from the environment."""
    from ..backends.neo4j import Neo4jBackend
    from ..config import Settings

    settings = Settings.load(uri)
    if not settings.is_neo4j:
        raise GovgraphError(f"--neo4j wants a Neo4j URI such as bolt://127.0.0.1:7687, not {uri!r}")
    backend = Neo4jBackend(
        uri, (settings.neo4j_user, settings.neo4j_password or ""), database=settings.neo4j_database
    )
    held = sum(backend.counts()["nodes"].values())
    if held:
        backend.close()
        raise GovgraphError(
            f"{uri} holds {held:,} nodes: a benchmark loads into an empty Neo4j and empties it "
            "afterwards (start one with tools/neo4j-test-server/run)"
        )
    return backend


def _neo4j(uri: str, spec: ScenarioSpec, s: dict[str, Any], runs: int) -> dict[str, Any]:
    """The same scenario loaded into Neo4j and the same questions about the same subjects."""
    backend = open_bench_neo4j(uri)
    try:
        backend.apply_schema()
        scenario = generate(spec)
        report = write_graph(backend, scenario.tables, consume=True)
        del scenario
        version = backend.server_version()
        timings = _questions(backend, spec, s, runs)["timings"]
        return {
            "server": version,
            "load_seconds": round(report.write_seconds, 2),
            "timings": timings,
        }
    finally:
        backend.clear()
        backend.close()


def measure(
    scale: str,
    households: int | None = None,
    *,
    questions: bool = False,
    with_networkx: bool = False,
    neo4j: str | None = None,
    runs: int = 200,
) -> dict[str, Any]:
    """One measurement in this process: generate, load into a fresh temporary store, and
    optionally time the questions (and their networkx and Neo4j twins)."""
    name, default_households = SCALES[scale]
    spec = get_scenario(name, households=households or default_households)
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="govgraph-bench-") as tmp:
        if not (os.environ.get(ENV_KEY) or os.environ.get(ENV_KEY_FILE)):
            os.environ[ENV_KEY_DIR] = str(Path(tmp) / "keys")  # the bench store's key goes too
        started = time.perf_counter()
        scenario = generate(spec)
        generated = time.perf_counter() - started
        rss_generated = peak_rss_mib()
        with EmbeddedBackend(Path(tmp) / "store") as backend:
            report = write_graph(backend, scenario.tables, consume=True)
            out["load"] = {
                "generate_seconds": generated,
                "load_seconds": report.write_seconds,
                "seal_seconds": backend.seal_seconds,
                "peak_rss_mib_after_generate": rss_generated,
                "peak_rss_mib": peak_rss_mib(),
                "sealing_worker_peak_rss_mib": backend.seal_worker_peak_mib,
            }
            counts = backend.counts()
            out["size"] = {
                "households": counts["nodes"]["Household"],
                "nodes": sum(counts["nodes"].values()),
                "relationships": sum(counts["relationships"].values()),
            }
            subjects = _subjects(backend, spec) if questions or with_networkx else {}
            if questions:
                out["questions"] = _questions(backend, spec, subjects, runs)
            if with_networkx:
                out["networkx"] = _networkx(backend, spec, subjects, runs)
            if with_networkx and peer.available():
                out["duckdb"] = peer.compare(
                    backend, subjects["county"], as_of=spec.as_of,
                    within_days=DEFAULT_WINDOW_DAYS, runs=max(3, runs // 20),
                )  # fmt: skip
        if neo4j and questions:
            out["neo4j"] = _neo4j(neo4j, spec, subjects, runs)
    return out


def run_bench(
    scale: str,
    *,
    households: int | None = None,
    repeat: int = 3,
    with_networkx: bool | None = None,
    neo4j: str | None = None,
    runs: int = 200,
    output: Path | None = None,
) -> dict[str, Any]:
    """Measure ``repeat`` loads, each in a fresh process, and the questions in the first
    (there also on the Neo4j at ``neo4j``, which must be empty); report medians of the
    times and the largest peak memory."""
    if with_networkx is None:
        with_networkx = scale != "L"
    if neo4j:
        open_bench_neo4j(neo4j).close()  # refused now rather than after the first load
    results = []
    for i in range(repeat):
        args = {
            "scale": scale,
            "households": households,
            "questions": i == 0,
            "with_networkx": with_networkx and i == 0,
            "neo4j": neo4j if i == 0 else None,
            "runs": runs,
        }
        proc = subprocess.run(
            [sys.executable, "-m", "govgraph.bench.scale", json.dumps(args)],
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            raise GovgraphError(f"benchmark run failed: {proc.stderr.strip()[-2000:]}")
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    loads = [r["load"] for r in results]
    result: dict[str, Any] = {
        "scale": scale,
        "scenario": SCALES[scale][0],
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "runs": repeat,
        "size": results[0]["size"],
        "load": {
            "generate_seconds_median": round(median(x["generate_seconds"] for x in loads), 2),
            "load_seconds_median": round(median(x["load_seconds"] for x in loads), 2),
            "load_seconds_max": round(max(x["load_seconds"] for x in loads), 2),
            "end_to_end_seconds_median": round(
                median(x["generate_seconds"] + x["load_seconds"] for x in loads), 2
            ),
            "of_which_sealing_seconds_median": round(
                median(x.get("seal_seconds", 0.0) for x in loads), 2
            ),
            "peak_rss_mib_max": round(max(x["peak_rss_mib"] for x in loads)),
            # each worker's own peak, while the writing process waits for them (its own peak
            # comes after, as the engine copies what they sealed)
            "sealing_worker_peak_rss_mib_max": round(
                max(x.get("sealing_worker_peak_rss_mib", 0.0) for x in loads)
            ),
            "buffer_pool_mib": DEFAULT_BUFFER_POOL_BYTES >> 20,
        },
        "questions": results[0].get("questions"),
        "networkx": results[0].get("networkx"),
        "neo4j": results[0].get("neo4j"),
        "duckdb": results[0].get("duckdb"),
    }
    if output is not None:
        record(result, output)
    return result


if __name__ == "__main__":  # one isolated measurement, for run_bench
    _args = json.loads(sys.argv[1])
    print(
        json.dumps(
            measure(
                _args["scale"],
                _args["households"] or None,
                questions=_args["questions"],
                with_networkx=_args["with_networkx"],
                neo4j=_args.get("neo4j"),
                runs=_args["runs"],
            ),
            default=str,
        )
    )
