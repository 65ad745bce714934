"""Is a change to the ledger import faster? Read, check and plan 镇原县's ledgers with the code
of another commit and with the working tree, taking turns in one process, and print each
stage's median and the median of the new/old ratios.

For work on the importer's speed (issue 16). End-to-end runs on a shared host move by a
third within minutes (the same build measured 12.0 and 15.8 s back to back); two codes taking
turns in one process, the garbage collector paused as an import pauses it, give ratios steady
enough to see a change of a few percent. Check that the plans are the same with ``run.py``::

    python tools/import-oracle/ab.py --base 47e216d --runs 4

The old code is taken from git (``git archive``) into a temporary package of its own name,
so both are imported at once; writing is not measured (the same engine does it for both).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import io
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

from govgraph.backends.embedded import EmbeddedBackend
from govgraph.loaders.ledger import export_ledgers
from govgraph.loaders.load import load_scenario

#: the folders that make the ``govgraph`` package (see pyproject.toml's package-dir)
_PARTS = ("loaders", "schema", "api", "analytics")
_STAGES = ("read", "check", "plan")


def old_package(rev: str, into: Path) -> str:
    """The package as it was at ``rev``, under ``into`` as ``govgraph_<rev>``; its name."""
    repo = Path(__file__).resolve().parents[2]
    archive = subprocess.run(
        ["git", "-C", str(repo), "archive", "--format=tar", rev, "govgraph", *_PARTS],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into / "src", filter="data")
    name = "govgraph_" + "".join(c if c.isalnum() else "_" for c in rev)
    package = into / name
    shutil.move(into / "src" / "govgraph", package)
    for part in _PARTS:
        shutil.move(into / "src" / part, package / part)
    return name


def stages(package: str) -> tuple[ModuleType, ModuleType, ModuleType, Any]:
    read, validate, plan, embedded = (
        importlib.import_module(f"{package}.{m}")
        for m in ("loaders.ledger.read", "loaders.ledger.validate", "loaders.ledger.plan",
                  "backends.embedded")
    )  # fmt: skip
    return read, validate, plan, embedded.EmbeddedBackend


def one_run(code: tuple[Any, ...], store: Any, files: list[Path]) -> dict[str, float]:
    read, validate, plan, _ = code
    today = store.default_day()
    gc.disable()  # as an import runs
    try:
        took = {}
        started = time.perf_counter()
        sheets = [read.read_ledger(f) for f in files]
        took["read"], started = time.perf_counter() - started, time.perf_counter()
        rows = [row for sheet in sheets for row in validate.parse_sheet(sheet, today)]
        took["check"], started = time.perf_counter() - started, time.perf_counter()
        plan.plan_import(store, rows, today)
        took["plan"] = time.perf_counter() - started
    finally:
        gc.enable()
        gc.collect()
    return took


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True, help="the commit to compare with (git rev)")
    parser.add_argument("--runs", type=int, default=4, help="runs of each code (default 4)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="govgraph-import-ab-") as tmp:
        root = Path(tmp)
        sys.path.insert(0, str(root))
        codes = {"old": stages(old_package(args.base, root)), "new": stages("govgraph")}
        with EmbeddedBackend(root / "source") as source:
            scenario, _ = load_scenario(source, "zhenyuan", consume=True)
            paths = export_ledgers(source, scenario.spec.area, root / "ledgers", unmasked=True)
        files = list(paths.values())
        stores = {name: code[3](root / f"store-{name}") for name, code in codes.items()}
        times: dict[str, list[dict[str, float]]] = {name: [] for name in codes}
        try:
            for store in stores.values():
                store.apply_schema()
            for run in range(args.runs):
                order = ["old", "new"] if run % 2 == 0 else ["new", "old"]
                for name in order:
                    times[name].append(one_run(codes[name], stores[name], files))
                print(f"run {run + 1}: " + "; ".join(
                    f"{name} " + " ".join(f"{s} {times[name][-1][s]:.2f}" for s in _STAGES)
                    for name in ("old", "new")))  # fmt: skip
        finally:
            for store in stores.values():
                store.close()
    print(f"median s over {args.runs} runs, and the median of the runs' new/old ratios:")
    for stage in (*_STAGES, "all"):

        def took(run: dict[str, float], stage: str = stage) -> float:
            return sum(run.values()) if stage == "all" else run[stage]

        old = [took(r) for r in times["old"]]
        new = [took(r) for r in times["new"]]
        ratio = statistics.median(n / o for n, o in zip(new, old, strict=True))
        print(f"  {stage:<6} old {statistics.median(old):6.2f}  new {statistics.median(new):6.2f}"
              f"  ratio {ratio:.3f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
