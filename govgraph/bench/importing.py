"""``govgraph bench-import``: a county's ledgers imported into a fresh embedded store.

The ledgers are 镇原县 (zhenyuan: 42,000 households, ~156,000 people) exported
as CSV by ``govgraph export --unmasked`` (all thirteen kinds); each run imports them into
an empty store, then once more into the same store (nothing to change). Rows per second
count every data row of the files; the first import's seconds are also split by stage
(reading, checking, planning, writing). One more pass imports the kinds one file at a time, in
the order an import applies them, into another empty store: rows per second per kind.
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
            paths = export_ledgers(source, scenario.spec.area, root / "ledgers", unmasked=True)
            export_seconds = time.perf_counter() - started
        files = [paths[k] for k in paths]
        # data rows: every line but the Chinese header and the English key row
        rows = {
            k.value: len(p.read_text(encoding="utf-8-sig").splitlines()) - 2
            for k, p in paths.items()
        }
        first: list[float] = []
        stages: list[dict[str, float]] = []
        again: list[float] = []
        for i in range(repeat):
            with EmbeddedBackend(root / f"store{i}") as store:
                report = import_ledgers(store, files)
                assert report.quarantined == 0, report.problems[:3]
                first.append(report.seconds)
                stages.append(report.stages)
                second = import_ledgers(store, files)
                assert second.created == {} and second.updated == {}
                again.append(second.seconds)
        per_kind: dict[str, dict[str, float]] = {}
        with EmbeddedBackend(root / "by-kind") as store:
            for kind, path in paths.items():
                report = import_ledgers(store, [path])
                assert report.quarantined == 0, (kind, report.problems[:3])
                n = rows[kind.value]
                per_kind[kind.value] = {
                    "rows": n,
                    "seconds": round(report.seconds, 3),
                    "rows_per_second": round(n / report.seconds) if report.seconds else 0,
                }
    total = sum(rows.values())
    median = statistics.median(first)
    result = {
        "name": "IMPORT",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "scenario": "zhenyuan (county 621027), ledgers exported as CSV",
        "rows": rows,
        "per_kind": per_kind,
        "runs": repeat,
        "figures": {
            "rows": total,
            "import_seconds_median": round(median, 2),
            "import_seconds_all": [round(s, 2) for s in first],
            # each stage's median over the runs (so they need not add up to the median run)
            "stage_seconds_median": {
                stage: round(statistics.median(run[stage] for run in stages), 2)
                for stage in stages[0]
            },
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
