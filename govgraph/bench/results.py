"""The benchmarks file: every benchmark merges its section into one JSON file, keyed by
scale or name, and the Markdown twin is rewritten from all of them, each section with the
machine it ran on."""

from __future__ import annotations

import json
import os
import platform
import resource
from pathlib import Path
from typing import Any

from ..backends._sealing import cores

__all__ = [
    "LOAD_TARGETS",
    "SCALES",
    "TARGETS_MS",
    "machine",
    "met",
    "peak_rss_mib",
    "record",
    "record_extra",
]

SCALES = {"S": ("qingping", None), "M": ("zhenyuan", None), "L": ("qingyang", 1_000_000)}

#: the targets at L on the embedded engine (median milliseconds)
TARGETS_MS = {
    "responsible": 1,
    "uncovered_township": 25,
    "uncovered_county": 100,
    "overloaded_county": 75,
    "coordination": 3,
    "overdue": 100,
}
LOAD_TARGETS = {"load_seconds": 30, "peak_rss_mib": 3000}
#: each question as a multiple of the engine's floor measured in the same run (the
#: targets hold on M, in one process, on any machine): its question, floor, and limit
RATIO_TARGETS = {
    "responsible": ("floor_lookup", 25),
    "coordination": ("floor_lookup", 60),
    "uncovered_county": ("floor_scan_county", 12),
    "overloaded_county": ("floor_scan_county", 8),
}


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
    info = {
        "cpu": cpu,
        "cores": cores(),
        "memory_gib": round(mem_gib, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "ladybug": getattr(ladybug, "__version__", "?"),
    }
    info["summary"] = (
        f"{cpu}, {info['cores']} cores, {info['memory_gib']} GiB, {info['os']}, "
        f"Python {info['python']}, ladybug {info['ladybug']}"
    )
    return info


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def met(value: float, limit: float, *, at_least: bool = False) -> str:
    """``met`` or ``MISSED``, for a figure against its target (at most ``limit`` unless
    ``at_least``)."""
    return "met" if (value >= limit if at_least else value <= limit) else "MISSED"


def _target(scale: str, key: str, table: dict[str, int], value: float | None = None) -> str:
    """The target of ``key`` at L (``≤ N``), with met/MISSED when ``value`` is given."""
    if scale != "L":
        return ""
    limit = next((t for name, t in table.items() if key.startswith(name)), None)
    if limit is None:
        return ""
    return f"≤ {limit:,}" + (f" ({met(value, limit)})" if value is not None else "")


def floor_ratios(timings: dict[str, Any]) -> dict[str, tuple[float, float]]:
    """Each question of :data:`RATIO_TARGETS` timed in ``timings`` beside its floor: the
    ratio of their medians and the target."""
    out: dict[str, tuple[float, float]] = {}
    for key, (floor, limit) in RATIO_TARGETS.items():
        if key in timings and floor in timings:
            out[key] = (timings[key]["median_ms"] / timings[floor]["median_ms"], limit)
    return out


def _ratio_lines(scale: str, timings: dict[str, Any]) -> list[str]:
    ratios = floor_ratios(timings)
    if not ratios:
        return []
    lines = [
        "",
        "Against the engine's floor in the same run (one household by id; one scan of the "
        "county's households with their grid, counted in the engine); the targets are for M:",
        "",
        "| question | floor | ratio | target |",
        "|---|---|---|---|",
    ]
    for key, (ratio, limit) in ratios.items():
        target = f"≤ {limit}× ({met(ratio, limit)})" if scale == "M" else f"≤ {limit}× at M"
        lines.append(f"| {key} | {RATIO_TARGETS[key][0]} | {ratio:.1f}× | {target} |")
    return lines


def _peer_lines(peer: dict[str, Any] | None) -> list[str]:
    if not peer:
        return []
    lines = [
        "",
        f"DuckDB on the same rows, exported from the same store ({peer['export_seconds']} s), "
        "timed in turn with govgraph in one process:",
        "",
        "| question | govgraph ms | DuckDB ms | govgraph / DuckDB | answers identical "
        "| no slower than DuckDB |",
        "|---|---|---|---|---|---|",
    ]
    for key in ("uncovered_county", "overloaded_county"):
        p = peer[key]
        lines.append(
            f"| {key} ({p['rows']:,} rows) | {p['govgraph_median_ms']} | {p['duckdb_median_ms']} "
            f"| {p['govgraph_over_duckdb']}× | {'yes' if p['identical'] else 'NO'} "
            f"| {met(p['govgraph_over_duckdb'], 1.0)} |"
        )
    return lines


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
        "The embedded store keeps its answers about places (grids, villages, townships,",
        "counties, centers, party organisations) until a write that may change them, and its",
        "directory (the households' and grids' ids and division codes, the households under",
        "an area) until a household, grid or village is written:",
        "`responsible`, `coordination` and `uncovered` are timed as a server answers them",
        "between such writes (households drawn from one township, their places read once),",
        "`…_cold` with nothing kept, as right after one.",
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
            lines.append(f"| {key} | {value:,} | {_target(scale, key, LOAD_TARGETS, value)} |")
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
                    t["median_ms"], t["p95_ms"], t["runs"],
                    _target(scale, key, TARGETS_MS, t["median_ms"]),
                    x.get("median_ms", ""), _ratio(x, t),
                    n.get("median_ms", ""), n.get("p95_ms", ""), _ratio(n, t),
                ]  # fmt: skip
                lines.append(f"| {key} | " + " | ".join(str(c) for c in cells) + " |")
            lines += _ratio_lines(scale, questions["timings"])
            lines += _peer_lines(r.get("duckdb"))
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
                    "needs about 11 GB at a million households (11.4 GB and 129 s to load, "
                    "measured when the embedded engine was chosen).",
                ]
        lines.append("")
    for key in ("API", "API on Neo4j"):
        if data.get(key):
            lines += _api_lines(data[key])
    imp = data.get("IMPORT")
    if imp:
        f = imp["figures"]
        done = met(f["rows_per_second"], imp["target_rows_per_second"], at_least=True)
        lines += [
            f"## Ledger import — {imp['scenario']} ({imp['when']}, {imp['runs']} runs)",
            "",
            f"Machine: {imp['machine']['summary']}",
            "",
            f"`govgraph bench-import`: the {len(imp['rows'])} ledgers ("
            + ", ".join(f"{k} {v:,}" for k, v in imp["rows"].items())
            + " rows) imported into an empty embedded store, then again (no changes).",
            "",
            "| measure | value | target |",
            "|---|---|---|",
            f"| rows | {f['rows']:,} | |",
            f"| import s (median) | {f['import_seconds_median']} | |",
            *(
                f"| — {stage} s (median) | {s} | |"
                for stage, s in f.get("stage_seconds_median", {}).items()
            ),
            f"| rows/s | {f['rows_per_second']:,} | ≥ {imp['target_rows_per_second']:,} ({done}) |",
            f"| re-import s (median, nothing to change) | {f['reimport_seconds_median']} | |",
            f"| export s | {f['export_seconds']} | |",
            f"| peak RSS MiB | {f['peak_rss_mib']:,} | |",
            "",
        ]
        if imp.get("per_kind"):
            lines += [
                "Each kind alone, one file at a time in the order an import applies them:",
                "",
                "| ledger | rows | s | rows/s |",
                "|---|---|---|---|",
                *(f"| {kind} | {k['rows']:,} | {k['seconds']} | {k['rows_per_second']:,} |"
                  for kind, k in imp["per_kind"].items()),
                "",
            ]  # fmt: skip
    brief = data.get("BRIEF")
    if brief:
        lines += _brief_lines(brief)
    path.write_text("\n".join(lines), encoding="utf-8")


def _runs(api: dict[str, Any]) -> str:
    """How long the load ran: one run, or several of which each figure is the median."""
    runs = api.get("runs", 1)
    if runs == 1:
        return f"{api['duration_s']} s"
    return f"each figure the median of {runs} runs of {api['duration_s']} s"


def _warmup(api: dict[str, Any]) -> str:
    """After how long a warm-up, and what it measured (nothing for a record made before)."""
    w = api.get("warmup")
    if not w:
        return ""
    return (
        f" after {api['warmup_s']} s of the same load (a warm-up: {w['requests_per_second']:,}"
        f" requests/s, p99 {w.get('p99_ms')} ms)"
    )


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
        f"{api['scenario']}, {_runs(api)}, {api['connections']} connections"
        + _warmup(api)
        + ", "
        + (
            f"every one of the county's {api['households']:,} households with a worker, in a "
            "random order."
            if api.get("households")
            else "500 households drawn from the whole county, in turn."
        ),
        "",
        "| measure | value | target |",
        "|---|---|---|",
        f"| requests/s | {f['requests_per_second']:,} | ≥ {t['requests_per_second']:,} "
        f"({met(f['requests_per_second'], t['requests_per_second'], at_least=True)}) |",
        f"| p50 ms | {f.get('p50_ms')} | |",
        f"| p90 ms | {f.get('p90_ms')} | |",
        f"| p99 ms | {f.get('p99_ms')} | < {t['p99_ms']} "
        f"({met(f.get('p99_ms') or float('inf'), t['p99_ms'] - 1e-9)}) |",
        f"| requests | {f['requests']:,} | |",
        f"| non-2xx responses | {f['non_2xx']} | 0 ({met(f['non_2xx'], 0)}) |",
        f"| socket errors | {f['socket_errors']} | 0 ({met(f['socket_errors'], 0)}) |",
        "",
    ]
    w = api.get("with_writer")
    if w:
        lines += [
            f"The same, while a writer posts {w['writer_rate']:g} visits a second "
            "(each a visit, through the full write path: scope, ledger rules, one "
            "transaction, audit):",
            "",
            "| measure | value |",
            "|---|---|",
            f"| read requests/s | {w['requests_per_second']:,} |",
            f"| read p50 ms | {w.get('p50_ms')} |",
            f"| read p99 ms | {w.get('p99_ms')} |",
            f"| read errors (non-2xx + socket) | {w['non_2xx'] + w['socket_errors']} |",
            f"| writes/s | {w['writes_per_second']} ({w['writes']:,} writes"
            + (
                f", {w['writes_already_stored']} of them already stored"
                if w.get("writes_already_stored")
                else ""
            )
            + ") |",
            f"| write p50 ms | {w['write_p50_ms']} |",
            f"| write p99 ms | {w['write_p99_ms']} |",
            f"| write errors | {w['write_errors']} |",
            "",
        ]
        lines += [f"- write error: `{p}`" for p in w.get("write_problems", [])]
        lines += [""] if w.get("write_problems") else []
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
        done = ("met" if t["met"] else "MISSED") if "met" in t else "not measured"
        lines.append(
            f"| {area} ({t['scenario']}) | {t['households']:,} | {t['page_kib']:,} "
            f"| {t['cli_seconds_median']} | {t['generate_seconds_first']} / "
            f"{t['generate_seconds_warm_median']} | {t.get('render_ms_median', '')} "
            f"| {t.get('total_seconds', '')} "
            f"| < {r['target_seconds']} ({done}) |"
        )
    return [*lines, ""]
