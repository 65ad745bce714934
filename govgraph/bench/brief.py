"""``govgraph bench-brief``: how long a township briefing takes, from the command to the page.

For each township (the demo's 庆坪镇, and 镇原县's most populous, 屯字镇; with
``large`` also the most populous township of the million-household 庆阳市 scenario) the
scenario is loaded into a fresh embedded store, then measured:

- ``govgraph brief`` as a user runs it: a fresh process each time (start-up,
  imports, opening the store, reading the area, writing the page);
- the briefing function alone in one process (first call and warm median);
- a real headless Chromium opening the written page: the page's own clock from
  navigation start to the end of its load event (the page has no scripts to
  wait for: charts and the department network are inline SVG, so it is then
  complete). The browser is started once and its start-up is reported apart,
  as a user's browser is already open.

The target is the command plus the rendered page under 2 s (medians).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..backends.base import GraphBackend
from ..backends.embedded import EmbeddedBackend
from ..errors import GovgraphError
from .results import machine, record_extra

__all__ = ["TARGET_SECONDS", "TOWNSHIPS", "run_brief_bench"]

TARGET_SECONDS = 2.0

#: (scenario, township code; None for the scenario's own area)
TOWNSHIPS: list[tuple[str, str | None]] = [("qingping", None), ("zhenyuan", "621027101")]
LARGE: tuple[str, str | None] = ("qingyang", None)  # None: its most populous township


def _median(values: list[float], digits: int = 3) -> float:
    return round(statistics.median(values), digits)


def run_brief_bench(
    *,
    repeat: int = 5,
    output: Path | None = None,
    browser: bool = True,
    large: bool = False,
    say: Callable[[str], None] = lambda _: None,
) -> dict[str, Any]:
    from ..brief import briefing
    from ..loaders.load import load_scenario
    from ..schema.model import Label
    from .browser import Browser, BrowserError, find_chromium

    if browser and find_chromium() is None:  # say so now, not after minutes of loading
        raise BrowserError(
            "headless Chromium not found: install Debian's `chromium`, set GOVGRAPH_CHROMIUM, "
            "or pass --no-browser to time the command alone"
        )

    townships: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="govgraph-bench-brief-") as tmp:
        root = Path(tmp)
        pages: dict[str, Path] = {}
        for name, code in [*TOWNSHIPS, *([LARGE] if large else [])]:
            store = root / name
            say(f"loading {name}")
            with EmbeddedBackend(store) as backend:
                scenario, _ = load_scenario(backend, name, consume=True)
                area = code or (
                    _largest_township(backend, scenario.spec.area)
                    if (name, code) == LARGE
                    else scenario.spec.area
                )
                as_of = scenario.spec.as_of
                households = backend.nodes_in_area(Label.HOUSEHOLD, area).num_rows
            page = root / f"brief-{area}.html"
            command = [sys.executable, "-m", "govgraph", "--store", str(store), "brief",
                       "--area", area, "-o", str(page), "--as-of", as_of.isoformat()]  # fmt: skip
            say(f"{name} {area}: `govgraph brief` × {repeat}, each a fresh process")
            cli: list[float] = []
            for _ in range(repeat):
                started = time.perf_counter()
                done = subprocess.run(command, capture_output=True, text=True)
                cli.append(time.perf_counter() - started)
                if done.returncode != 0:
                    raise GovgraphError(
                        f"`govgraph brief --area {area}` failed: {done.stderr.strip()[-500:]}"
                    )
            say(f"{name} {area}: briefing() × {repeat} in one process")
            generate: list[float] = []
            with EmbeddedBackend(store, read_only=True) as backend:
                for _ in range(repeat):
                    started = time.perf_counter()
                    briefing(backend, area, as_of=as_of)
                    generate.append(time.perf_counter() - started)
            pages[area] = page
            townships[area] = {
                "scenario": name,
                "households": households,
                "as_of": as_of.isoformat(),
                "page_kib": round(page.stat().st_size / 1024),
                "cli_seconds_median": _median(cli),
                "cli_seconds_all": [round(s, 3) for s in cli],
                "generate_seconds_first": round(generate[0], 3),
                "generate_seconds_warm_median": _median(generate[1:] or generate),
            }
        browser_start = None
        if browser:
            say(f"headless Chromium: each page × {repeat}")
            with Browser() as chromium:
                browser_start = round(chromium.started_seconds, 3)
                for area, page in pages.items():
                    loads = []
                    for _ in range(repeat):
                        opened = chromium.open(page.as_uri())
                        if opened.errors:
                            raise BrowserError(f"{page.name}: script errors {opened.errors}")
                        loads.append(opened.timings["load_ms"])
                    t = townships[area]
                    t["render_ms_median"] = _median(loads, 1)
                    t["total_seconds"] = round(
                        t["cli_seconds_median"] + t["render_ms_median"] / 1000, 3
                    )
                    t["met"] = t["total_seconds"] < TARGET_SECONDS
    result = {
        "name": "BRIEF",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "runs": repeat,
        "browser": _chromium_version() if browser else None,
        "browser_start_seconds": browser_start,
        "townships": townships,
        "target_seconds": TARGET_SECONDS,
    }
    if output is not None:
        record_extra(result, output)
    return result


def _largest_township(backend: GraphBackend, area: str) -> str:
    from collections import Counter

    from ..schema.model import Label

    codes = backend.nodes_in_area(Label.HOUSEHOLD, area).column("division_code").to_pylist()
    return min(Counter(c[:9] for c in codes).items(), key=lambda kv: (-kv[1], kv[0]))[0]


def _chromium_version() -> str:
    from .browser import find_chromium

    executable = find_chromium()
    if not executable:
        return "none"
    done = subprocess.run([executable, "--version"], capture_output=True, text=True)
    return done.stdout.strip() or "unknown"
