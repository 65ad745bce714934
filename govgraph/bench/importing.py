"""``govgraph bench-import``: a county's ledgers imported into a fresh embedded store.

The ledgers are 镇原县 (zhenyuan: 42,000 households, ~156,000 people) exported
as CSV by ``govgraph export``; each run imports them into an empty store, then
once more into the same store (nothing to change). Rows per second count every
data row of the five files.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..backends.embedded import EmbeddedBackend
from .results import machine, peak_rss_mib, record_extra

__all__ = ["TARGET_ROWS_PER_SECOND", "run_import_bench"]

TARGET_ROWS_PER_SECOND = 50_000


def run_import_bench(*, repeat: int = 3, output: Path | None = None) -> dict[str, Any]:
    from ..loaders.ledger import export_ledgers, import_ledgers
    from ..loaders.load import load_scenario

    with tempfile.TemporaryDirectory(prefix="govgraph-bench-import-") as tmp:
        root = Path(tmp)
        with EmbeddedBackend(root / "source") as source:
            scenario, _ = load_scenario(source, "zhenyuan", consume=True)
            started = time.perf_counter()
            paths = export_ledgers(source, scenario.spec.area, root / "ledgers")
            export_seconds = time.perf_counter() - started
        files = [paths[k] for k in paths]
        # data rows: every line but the Chinese header and the English key row
        rows = {
            k.value: len(p.read_text(encoding="utf-8-sig").splitlines()) - 2
            for k, p in paths.items()
        }
        first: list[float] = []
        again: list[float] = []
        for i in range(repeat):
            with EmbeddedBackend(root / f"store{i}") as store:
                report = import_ledgers(store, files)
                assert report.quarantined == 0, report.problems[:3]
                first.append(report.seconds)
                second = import_ledgers(store, files)
                assert second.created == {} and second.updated == {}
                again.append(second.seconds)
    total = sum(rows.values())
    median = statistics.median(first)
    result = {
        "name": "IMPORT",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "scenario": "zhenyuan (county 621027), ledgers exported as CSV",
        "rows": rows,
        "runs": repeat,
        "figures": {
            "rows": total,
            "import_seconds_median": round(median, 2),
            "import_seconds_all": [round(s, 2) for s in first],
            "rows_per_second": round(total / median),
            "reimport_seconds_median": round(statistics.median(again), 2),
            "export_seconds": round(export_seconds, 2),
            "peak_rss_mib": round(peak_rss_mib()),
        },
        "target_rows_per_second": TARGET_ROWS_PER_SECOND,
    }
    if output is not None:
        record_extra(result, output)
    return result
