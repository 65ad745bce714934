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
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from statistics import median, quantiles
from typing import Any

from .backends.base import GraphBackend
from .backends.embedded import DEFAULT_BUFFER_POOL_BYTES, EmbeddedBackend
from .backends.neo4j import Neo4jBackend
from .errors import GovgraphError
from .loaders.generator import generate
from .loaders.load import write_graph
from .loaders.scenarios import ScenarioSpec, get_scenario

__all__ = ["SCALES", "TARGETS_MS", "machine", "measure", "record", "record_extra", "run_bench"]

SCALES = {"S": ("qingping", None), "M": ("zhenyuan", None), "L": ("qingyang", 1_000_000)}

#: the issue's targets at L on the embedded engine (median milliseconds)
TARGETS_MS = {
    "responsible": 1,
    "uncovered_township": 25,
    "uncovered_county": 150,
    "overloaded_county": 150,
    "coordination": 3,
    "overdue": 100,
}
LOAD_TARGETS = {"load_seconds": 30, "peak_rss_mib": 3000}


def machine() -> dict[str, Any]:
    """What this machine is: CPU, cores, memory, Python and engine versions."""
    import ladybug

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    info = {
        "cpu": cpu,
        "cores": cores,
        "memory_gib": round(mem_gib, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "ladybug": getattr(ladybug, "__version__", "?"),
    }
    info["summary"] = (
        f"{cpu}, {cores} cores, {info['memory_gib']} GiB, {info['os']}, "
        f"Python {info['python']}, ladybug {info['ladybug']}"
    )
    return info


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _time(fn: Callable[[], Any], runs: int) -> dict[str, float]:
    fn()  # warm up: prepared plans, buffer pool
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    p95 = quantiles(samples, n=20)[-1] if len(samples) >= 2 else samples[0]
    return {"median_ms": round(median(samples), 3), "p95_ms": round(p95, 3), "runs": runs}


def _cycle(items: list[Any]) -> Callable[[], Any]:
    state = {"i": 0}

    def nxt() -> Any:
        state["i"] = (state["i"] + 1) % len(items)
        return items[state["i"]]

    return nxt


def _subjects(backend: GraphBackend, spec: ScenarioSpec) -> dict[str, Any]:
    """What to ask about: households, a township, a county, open cases."""
    rng = random.Random(7)
    county = (
        spec.county
        if len(spec.county) == 6
        else backend._run(
            "MATCH (c:County) WHERE c.id STARTS WITH $p RETURN c.id AS id ORDER BY id",
            {"p": spec.county},
        )[0]["id"]
    )
    township = (
        spec.townships[0]
        if spec.townships
        else backend._run(
            "MATCH (t:Township) WHERE t.id STARTS WITH $c RETURN t.id AS id ORDER BY id",
            {"c": county},
        )[0]["id"]
    )
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
    from . import questions as q

    as_of = spec.as_of
    household, case = _cycle(s["households"]), _cycle(s["cases"])
    timings = {
        "responsible": _time(lambda: q.responsible(backend, household(), as_of=as_of), runs),
        "uncovered_township": _time(
            lambda: q.uncovered(backend, s["township"], as_of=as_of), max(5, runs // 10)
        ),
        "uncovered_county": _time(
            lambda: q.uncovered(backend, s["county"], as_of=as_of), max(3, runs // 20)
        ),
        "overloaded_county": _time(
            lambda: q.overloaded(backend, s["county"], as_of=as_of), max(3, runs // 20)
        ),
        "coordination": _time(lambda: q.coordination(backend, case(), as_of=as_of), runs),
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
    from .analytics import reference
    from .analytics.export import to_networkx

    started = time.perf_counter()
    graph = to_networkx(backend)
    exported = time.perf_counter() - started
    case = _cycle(s["cases"])
    as_of = spec.as_of
    return {
        "export_seconds": round(exported, 2),
        "peak_rss_mib_after_export": round(_peak_rss_mib()),
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
    from .backends.neo4j import Neo4jBackend
    from .config import Settings

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
        started = time.perf_counter()
        scenario = generate(spec)
        generated = time.perf_counter() - started
        rss_generated = _peak_rss_mib()
        with EmbeddedBackend(Path(tmp) / "store") as backend:
            report = write_graph(backend, scenario.tables, consume=True)
            out["load"] = {
                "generate_seconds": generated,
                "load_seconds": report.write_seconds,
                "peak_rss_mib_after_generate": rss_generated,
                "peak_rss_mib": _peak_rss_mib(),
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
            [sys.executable, "-m", "govgraph.bench", json.dumps(args)],
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
            "peak_rss_mib_max": round(max(x["peak_rss_mib"] for x in loads)),
            "buffer_pool_mib": DEFAULT_BUFFER_POOL_BYTES >> 20,
        },
        "questions": results[0].get("questions"),
        "networkx": results[0].get("networkx"),
        "neo4j": results[0].get("neo4j"),
    }
    if output is not None:
        record(result, output)
    return result


def _target(scale: str, key: str, table: dict[str, int]) -> str:
    if scale != "L":
        return ""
    return next((f"≤ {t:,}" for name, t in table.items() if key.startswith(name)), "")


def record(result: dict[str, Any], output: Path) -> None:
    """Merge ``result`` into the JSON file (keyed by scale) and refresh its Markdown twin."""
    _merge(result["scale"], result, output)


def record_extra(result: dict[str, Any], output: Path) -> None:
    """Merge a non-scale result (API load, import, briefing) into the benchmarks file."""
    _merge(result["name"], result, output)


def _merge(key: str, result: dict[str, Any], output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    data = json.loads(output.read_text(encoding="utf-8")) if output.exists() else {}
    data[key] = result
    output.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    _write_markdown(data, output.with_suffix(".md"))


def _write_markdown(data: dict[str, Any], path: Path) -> None:
    """Every section of the results file, in Markdown."""
    lines = [
        "# govgraph benchmark results",
        "",
        "Written by `govgraph bench`: one section per scale, each with its machine. Load times",
        "are medians over the runs (each a fresh process), memory the largest peak RSS;",
        "question latencies are the median and p95 of many calls in the first run, on the",
        "embedded store, and the same questions answered by networkx on an in-memory graph.",
        "`govgraph bench-api`, `bench-import` and `bench-brief` add the sections after them.",
        "",
    ]
    for scale in sorted(k for k in data if k in SCALES):
        r = data[scale]
        size = r.get("size", {})
        lines += [
            f"## Scale {scale} — {r['scenario']} ({r['when']}, {r.get('runs', 1)} runs)",
            "",
            f"Machine: {r['machine']['summary']}",
            "",
            f"Size: {size.get('households', 0):,} households, {size.get('nodes', 0):,} nodes, "
            f"{size.get('relationships', 0):,} relationships.",
            "",
            "| load | value | target |",
            "|---|---|---|",
        ]
        for key, value in r["load"].items():
            lines.append(f"| {key} | {value:,} | {_target(scale, key, LOAD_TARGETS)} |")
        neo = r.get("neo4j")
        if neo:
            ratio = neo["load_seconds"] / r["load"]["load_seconds_median"]
            lines.append(
                f"| load_seconds on Neo4j {neo['server']} (first run) | {neo['load_seconds']:,} "
                f"({ratio:.1f}× embedded) | |"
            )
        questions = r.get("questions")
        if questions:
            nxt = (r.get("networkx") or {}).get("timings", {})
            n4j = (neo or {}).get("timings", {})
            lines += [
                "",
                f"Questions (township {questions['subjects']['township']}, county "
                f"{questions['subjects']['county']}):",
                "",
                "| question | median ms | p95 ms | runs | target | networkx median ms "
                "| networkx / embedded | Neo4j median ms | Neo4j p95 ms | Neo4j / embedded |",
                "|---|---|---|---|---|---|---|---|---|---|",
            ]
            for key, t in questions["timings"].items():
                x, n = nxt.get(key) or {}, n4j.get(key) or {}
                cells = [
                    t["median_ms"], t["p95_ms"], t["runs"], _target(scale, key, TARGETS_MS),
                    x.get("median_ms", ""), _ratio(x, t),
                    n.get("median_ms", ""), n.get("p95_ms", ""), _ratio(n, t),
                ]  # fmt: skip
                lines.append(f"| {key} | " + " | ".join(str(c) for c in cells) + " |")
            if r.get("networkx"):
                lines += [
                    "",
                    f"networkx export: {r['networkx']['export_seconds']} s, peak "
                    f"{r['networkx']['peak_rss_mib_after_export']:,} MiB.",
                ]
            else:
                lines += [
                    "",
                    "networkx not measured at this scale (`--networkx` to try): "
                    "the export reads each label in one result, and 3.7 M people "
                    "exceed the embedded engine's 1 GiB page cache; networkx itself "
                    "needs about 11 GB at a million households (DESIGN.md).",
                ]
        lines.append("")
    for key in ("API", "API on Neo4j"):
        if data.get(key):
            lines += _api_lines(data[key])
    imp = data.get("IMPORT")
    if imp:
        f = imp["figures"]
        met = "met" if f["rows_per_second"] >= imp["target_rows_per_second"] else "MISSED"
        lines += [
            f"## Ledger import — {imp['scenario']} ({imp['when']}, {imp['runs']} runs)",
            "",
            f"Machine: {imp['machine']['summary']}",
            "",
            "`govgraph bench-import`: the five ledgers ("
            + ", ".join(f"{k} {v:,}" for k, v in imp["rows"].items())
            + " rows) imported into an empty embedded store, then again (no changes).",
            "",
            "| measure | value | target |",
            "|---|---|---|",
            f"| rows | {f['rows']:,} | |",
            f"| import s (median) | {f['import_seconds_median']} | |",
            f"| rows/s | {f['rows_per_second']:,} | ≥ {imp['target_rows_per_second']:,} ({met}) |",
            f"| re-import s (median, nothing to change) | {f['reimport_seconds_median']} | |",
            f"| export s | {f['export_seconds']} | |",
            f"| peak RSS MiB | {f['peak_rss_mib']:,} | |",
            "",
        ]
    brief = data.get("BRIEF")
    if brief:
        lines += _brief_lines(brief)
    path.write_text("\n".join(lines), encoding="utf-8")


def _api_lines(api: dict[str, Any]) -> list[str]:
    """The API load section: on the embedded store (threads) or on Neo4j (processes)."""
    f, t = api["figures"], api["targets"]
    on_neo4j = api.get("store", "embedded") != "embedded"
    workers = "processes" if on_neo4j else "threads"
    lines = [
        f"## API load{' on Neo4j' if on_neo4j else ''} — {api['endpoint']} ({api['when']})",
        "",
        f"Machine: {api['machine']['summary']}",
        "",
        f"wrk on loopback against `govgraph serve` ({workers}: {api['server_workers']}"
        + (f"; Neo4j {api.get('server', '')} on the same machine" if on_neo4j else "")
        + "), "
        f"{api['scenario']}, {api['duration_s']} s, {api['connections']} connections, "
        "500 households drawn from the whole county, in turn.",
        "",
        "| measure | value | target |",
        "|---|---|---|",
        f"| requests/s | {f['requests_per_second']:,} | ≥ {t['requests_per_second']:,} |",
        f"| p50 ms | {f.get('p50_ms')} | |",
        f"| p90 ms | {f.get('p90_ms')} | |",
        f"| p99 ms | {f.get('p99_ms')} | < {t['p99_ms']} |",
        f"| requests | {f['requests']:,} | |",
        f"| non-2xx responses | {f['non_2xx']} | 0 |",
        f"| socket errors | {f['socket_errors']} | 0 |",
        "",
    ]
    w = api.get("with_writer")
    if w:
        lines += [
            f"The same, while a writer posts {w['writer_rate']:g} visits a second "
            "(each a new visit, through the full write path: scope, ledger rules, one "
            "transaction, audit):",
            "",
            "| measure | value |",
            "|---|---|",
            f"| read requests/s | {w['requests_per_second']:,} |",
            f"| read p50 ms | {w.get('p50_ms')} |",
            f"| read p99 ms | {w.get('p99_ms')} |",
            f"| read errors (non-2xx + socket) | {w['non_2xx'] + w['socket_errors']} |",
            f"| writes/s | {w['writes_per_second']} ({w['writes']:,} writes) |",
            f"| write p50 ms | {w['write_p50_ms']} |",
            f"| write p99 ms | {w['write_p99_ms']} |",
            f"| write errors | {w['write_errors']} |",
            "",
        ]
    return lines


def _ratio(other: dict[str, Any], embedded: dict[str, Any]) -> str:
    return f"{other['median_ms'] / embedded['median_ms']:.1f}×" if other else ""


def _brief_lines(r: dict[str, Any]) -> list[str]:
    lines = [
        f"## Township briefing — command to rendered page ({r['when']}, {r['runs']} runs)",
        "",
        f"Machine: {r['machine']['summary']}; browser: {r['browser'] or 'not measured'}",
        "",
        "`govgraph bench-brief`: `govgraph brief` run as a fresh process (start-up, imports, "
        "store, page written), then the page opened in headless Chromium; render time is "
        "the page's own clock from navigation start to the end of its load event (no scripts: "
        "the charts and the network are inline SVG). Medians. Browser start-up, once: "
        f"{r['browser_start_seconds']} s (not counted: a user's browser is already open).",
        "",
        "| township | households | page KiB | `govgraph brief` s | briefing() first / warm s "
        "| render ms | command + render s | target |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for area, t in r["townships"].items():
        met = ("met" if t["met"] else "MISSED") if "met" in t else "not measured"
        lines.append(
            f"| {area} ({t['scenario']}) | {t['households']:,} | {t['page_kib']:,} "
            f"| {t['cli_seconds_median']} | {t['generate_seconds_first']} / "
            f"{t['generate_seconds_warm_median']} | {t.get('render_ms_median', '')} "
            f"| {t.get('total_seconds', '')} "
            f"| < {r['target_seconds']} ({met}) |"
        )
    return [*lines, ""]


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
