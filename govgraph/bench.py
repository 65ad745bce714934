"""``govgraph bench``: timings and memory on a fresh embedded store, written to a file.

Figures are only comparable within one run on one machine; the file records
the machine beside every result.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .backends.embedded import EmbeddedBackend
from .loaders.generator import generate
from .loaders.load import write_graph
from .loaders.scenarios import get_scenario

__all__ = ["SCALES", "machine", "run_bench"]

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


def run_bench(
    scale: str, *, households: int | None = None, output: Path | None = None
) -> dict[str, Any]:
    """Generate and load the scale's scenario into a fresh temporary store."""
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
    result: dict[str, Any] = {
        "scale": scale,
        "scenario": name,
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "load": {
            "households": counts["nodes"]["Household"],
            "nodes": sum(counts["nodes"].values()),
            "relationships": sum(counts["relationships"].values()),
            "generate_seconds": round(generated, 2),
            "load_seconds": round(report.write_seconds, 2),
            "peak_rss_mib_after_generate": round(rss_generated),
            "peak_rss_mib": round(_peak_rss_mib()),
        },
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
        "Written by `govgraph bench`; one section per scale, each with its machine.",
        "",
    ]
    for scale in sorted(data):
        r = data[scale]
        lines += [
            f"## Scale {scale} — {r['scenario']} ({r['when']})",
            "",
            f"Machine: {r['machine']['summary']}",
            "",
            "| measure | value |",
            "|---|---|",
        ]
        lines += [
            f"| {k} | {v:,} |" if isinstance(v, int) else f"| {k} | {v} |"
            for k, v in r["load"].items()
        ]
        lines.append("")
    output.with_suffix(".md").write_text("\n".join(lines), encoding="utf-8")
