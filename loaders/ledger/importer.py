"""``govgraph import``: ledger files → checked rows → a plan → batched writes, with a report.

Order of work: read every file, check every row, plan against the store, write
the quarantine files and the report, then (unless ``dry_run``, or ``strict``
with problems) write the plan. Each write is one atomic statement and the plan
only holds what the store lacks, so an import killed at any moment is finished
by running it again.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..._memory import paused_gc
from ...backends.base import GraphBackend
from ..divisions import normalize_code
from ..load import write_graph
from .plan import ImportPlan, plan_import
from .read import Sheet, read_ledger
from .validate import ParsedRow, Problem, parse_sheet
from .write import write_csv, write_xlsx

__all__ = ["FileReport", "ImportReport", "import_ledgers", "write_quarantine"]

#: (stage, rows done in this step) — the CLI turns it into progress bars
Progress = Callable[[str, int], None]

REASON_HEADER = "问题说明"
ROW_HEADER = "原行号"
#: tests set this to kill the import (SIGKILL) after that many table writes
KILL_AFTER_WRITES = "GOVGRAPH_TEST_KILL_AFTER_WRITES"


@dataclass
class FileReport:
    file: str
    kind: str
    format: str
    encoding: str
    rows: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    quarantined: int = 0
    quarantine_file: str | None = None
    ignored_columns: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    files: list[FileReport]
    problems: list[Problem]
    created: dict[str, int]
    updated: dict[str, int]
    written: bool
    dry_run: bool
    strict: bool
    seconds: float = 0.0
    report_file: str | None = None
    #: where the seconds went: reading the files, checking their cells, planning against
    #: the store, writing (the rest: quarantine files and the report)
    stages: dict[str, float] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return sum(f.rows for f in self.files)

    @property
    def quarantined(self) -> int:
        return sum(f.quarantined for f in self.files)

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": [asdict(f) for f in self.files],
            "rows": self.rows,
            "quarantined": self.quarantined,
            "created": self.created,
            "updated": self.updated,
            "written": self.written,
            "dry_run": self.dry_run,
            "strict": self.strict,
            "seconds": round(self.seconds, 3),
            "stages": {stage: round(s, 3) for stage, s in self.stages.items()},
            "rows_per_second": round(self.rows_per_second),
            "problems": [asdict(p) for p in self.problems],
        }


def write_quarantine(sheet: Sheet, rows: list[ParsedRow], directory: Path) -> Path:
    """The refused rows of one file, in the file's own format and encoding (an old .xls
    workbook's as .xlsx), each with its reasons (``问题说明``) and its row number in the
    original (``原行号``)."""
    directory.mkdir(parents=True, exist_ok=True)
    suffix = ".xlsx" if sheet.format in ("xlsx", "xls") else ".csv"
    path = directory / f"{sheet.path.stem}.quarantine{suffix}"
    width = len(sheet.header)
    table = [[*sheet.header, REASON_HEADER, ROW_HEADER]]
    for row in rows:
        reasons = "; ".join((f"{p.column}: " if p.column else "") + p.reason for p in row.problems)
        table.append([*row.cells[:width], *[""] * (width - len(row.cells)), reasons,
                      str(row.number)])  # fmt: skip
    if suffix == ".xlsx":
        return write_xlsx(path, table)
    encoding = sheet.encoding if sheet.encoding in ("utf-8", "utf-8-sig") else "gb18030"
    return write_csv(path, table, encoding)


def _stage(progress: Progress, stage: str) -> Callable[[int], None]:
    return lambda n: progress(stage, n)


def _laps() -> Callable[[], float]:
    """A stopwatch: each call gives the seconds since the one before (or since it was made)."""
    last = [time.perf_counter()]

    def lap() -> float:
        now = time.perf_counter()
        took, last[0] = now - last[0], now
        return took

    return lap


def _killer() -> Callable[[], None]:
    limit = int(os.environ.get(KILL_AFTER_WRITES, "0") or 0)
    done = [0]

    def step() -> None:
        done[0] += 1
        if limit and done[0] > limit:
            os.kill(os.getpid(), signal.SIGKILL)

    return step


def import_ledgers(
    backend: GraphBackend,
    paths: Sequence[str | Path],
    *,
    today: dt.date | None = None,
    dry_run: bool = False,
    strict: bool = False,
    quarantine_dir: str | Path | None = None,
    kind: str | None = None,
    progress: Progress | None = None,
    area: str = "",
) -> ImportReport:
    """Import ledger files into ``backend``; see the module docstring for the order of work.

    Bad rows never stop the good ones (unless ``strict``): they are listed in the
    report and, with ``quarantine_dir``, written there with their reasons. ``area`` (a
    division code) is where villages and townships written by name are looked up.
    """
    area = normalize_code(area) if area else ""
    # an import makes millions of small objects and frees none until the end
    with paused_gc():
        return _import(backend, paths, today, dry_run, strict, quarantine_dir, kind, progress, area)


def _import(
    backend: GraphBackend,
    paths: Sequence[str | Path],
    today: dt.date | None,
    dry_run: bool,
    strict: bool,
    quarantine_dir: str | Path | None,
    kind: str | None,
    progress: Progress | None,
    area: str,
) -> ImportReport:
    started = time.perf_counter()
    # a generated scenario's store lives on its scenario's day; any other on today
    today = today or backend.default_day()
    lap = _laps()
    sheets = [read_ledger(p, kind) for p in paths]
    stages = {"read": lap()}
    rows: list[ParsedRow] = []
    for sheet in sheets:
        step: Callable[[int], None] | None = None
        if progress is not None:
            step = _stage(progress, f"checking {sheet.path.name}")
        rows += parse_sheet(sheet, today, step)
    stages["check"] = lap()
    backend.apply_schema()
    if progress:
        progress("planning", 0)
    plan = plan_import(backend, rows, today, area=area)
    stages["plan"] = lap()
    report = _report(sheets, plan, dry_run=dry_run, strict=strict)
    report.stages = stages
    if quarantine_dir is not None:
        directory = Path(quarantine_dir)
        by_sheet: dict[int, list[ParsedRow]] = {}
        for row in plan.rejected:
            by_sheet.setdefault(id(row.sheet), []).append(row)
        for sheet, file_report in zip(sheets, report.files, strict=True):
            if id(sheet) in by_sheet:
                path = write_quarantine(sheet, by_sheet[id(sheet)], directory)
                file_report.quarantine_file = str(path)
    refuse = strict and bool(report.problems)
    if not dry_run and not refuse and plan.changes:
        kill_check = _killer()

        def on_table(what: str, n: int) -> None:
            kill_check()
            if progress:
                progress(f"writing {what}", n)

        lap()
        write_graph(backend, plan.writes, on_table, consume=True)
        stages["write"] = lap()
        report.written = True
    report.seconds = time.perf_counter() - started
    if quarantine_dir is not None:
        path = Path(quarantine_dir) / "report.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            json.dumps(report.to_dict(), ensure_ascii=False, indent=2, default=str),
            encoding="utf-8",
        )
        report.report_file = str(path)
    return report


def _report(sheets: list[Sheet], plan: ImportPlan, *, dry_run: bool, strict: bool) -> ImportReport:
    files = []
    for sheet in sheets:
        f = FileReport(
            str(sheet.path), sheet.kind.kind.value, sheet.format, sheet.encoding,
            ignored_columns=sheet.ignored,
        )  # fmt: skip
        files.append(f)
    index = {id(s): f for s, f in zip(sheets, files, strict=True)}
    problems: list[Problem] = []
    status = plan.status
    counts = Counter(
        (id(row.sheet), "quarantined" if row.problems else status[id(row)]) for row in plan.rows
    )
    for row in plan.rows:
        if row.problems:
            problems += row.problems
    for (which, how), n in counts.items():
        f = index[which]
        f.rows += n
        setattr(f, how, getattr(f, how) + n)
    return ImportReport(files, problems, plan.created, plan.updated, False, dry_run, strict)
