"""``govgraph bench``: timings and memory on a fresh embedded store, written to a file.

Figures are only comparable within one run on one machine; the file records
the machine beside every result.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from statistics import median
from typing import Any

from .backends.embedded import DEFAULT_BUFFER_POOL_BYTES, EmbeddedBackend
from .errors import GovgraphError
from .loaders.generator import generate
from .loaders.load import write_graph
from .loaders.scenarios import get_scenario

__all__ = ["SCALES", "machine", "measure_load", "record", "run_bench"]

SCALES = {"S": ("qingping", None), "M": ("zhenyuan", None), "L": ("qingyang", 1_000_000)}


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


def measure_load(scale: str, households: int | None = None) -> dict[str, Any]:
    """One measurement in this process: generate, then load into a fresh temporary store."""
    name, default_households = SCALES[scale]
    spec = get_scenario(name, households=households or default_households)
    with tempfile.TemporaryDirectory(prefix="govgraph-bench-") as tmp:
        started = time.perf_counter()
        scenario = generate(spec)
        generated = time.perf_counter() - started
        rss_generated = _peak_rss_mib()
        with EmbeddedBackend(Path(tmp) / "store") as backend:
            report = write_graph(backend, scenario.tables, consume=True)
            counts = backend.counts()
    return {
        "households": counts["nodes"]["Household"],
        "nodes": sum(counts["nodes"].values()),
        "relationships": sum(counts["relationships"].values()),
        "generate_seconds": generated,
        "load_seconds": report.write_seconds,
        "peak_rss_mib_after_generate": rss_generated,
        "peak_rss_mib": _peak_rss_mib(),
    }


def run_bench(
    scale: str, *, households: int | None = None, repeat: int = 3, output: Path | None = None
) -> dict[str, Any]:
    """Measure ``repeat`` loads, each in a fresh process (so peak memory is its own),
    and report medians of the times and the largest peak."""
    runs = []
    for _ in range(repeat):
        cmd = [sys.executable, "-m", "govgraph.bench", scale, str(households or 0)]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            raise GovgraphError(f"benchmark run failed: {proc.stderr.strip()[-2000:]}")
        runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    first = runs[0]
    result: dict[str, Any] = {
        "scale": scale,
        "scenario": SCALES[scale][0],
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "runs": repeat,
        "load": {
            "households": first["households"],
            "nodes": first["nodes"],
            "relationships": first["relationships"],
            "generate_seconds_median": round(median(r["generate_seconds"] for r in runs), 2),
            "load_seconds_median": round(median(r["load_seconds"] for r in runs), 2),
            "load_seconds_max": round(max(r["load_seconds"] for r in runs), 2),
            "peak_rss_mib_max": round(max(r["peak_rss_mib"] for r in runs)),
            "buffer_pool_mib": DEFAULT_BUFFER_POOL_BYTES >> 20,
        },
        "targets": {"load_seconds": 30, "peak_rss_mib": 3000} if scale == "L" else {},
    }
    if output is not None:
        record(result, output)
    return result


def record(result: dict[str, Any], output: Path) -> None:
    """Merge ``result`` into the JSON file (keyed by scale) and refresh its Markdown twin."""
    output.parent.mkdir(parents=True, exist_ok=True)
    data = json.loads(output.read_text(encoding="utf-8")) if output.exists() else {}
    data[result["scale"]] = result
    output.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    lines = [
        "# govgraph benchmark results",
        "",
        "Written by `govgraph bench`: one section per scale, each with its machine. Times are",
        "medians of the runs, each run in a fresh process; memory is the largest peak RSS.",
        "",
    ]
    for scale in sorted(data):
        r = data[scale]
        targets = r.get("targets", {})
        lines += [
            f"## Scale {scale} — {r['scenario']} ({r['when']}, {r.get('runs', 1)} runs)",
            "",
            f"Machine: {r['machine']['summary']}",
            "",
            "| measure | value | target |",
            "|---|---|---|",
        ]
        for key, value in r["load"].items():
            target = next((f"< {t:,}" for name, t in targets.items() if key.startswith(name)), "")
            lines.append(f"| {key} | {value:,} | {target} |")
        lines.append("")
    output.with_suffix(".md").write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":  # one isolated measurement, for run_bench
    _scale, _households = sys.argv[1], int(sys.argv[2])
    print(json.dumps(measure_load(_scale, _households or None)))
