"""Does a change to the ledger import plan exactly what the import planned before it?

For work on the importer's speed (issue 16), where every plan, problem and row status must
stay as they were. Run it once on the code before the change with ``--save``, then on the
code after with ``--compare``::

    git stash && python tools/import-oracle/run.py --save /tmp/before.pkl && git stash pop
    python tools/import-oracle/run.py --compare /tmp/before.pkl

It exports 镇原县's thirteen ledgers (a generated scenario, ~300,000 rows), makes a mangled
copy (about one cell in seven replaced by blanks or wrong values, 50 conflicting duplicate
rows per file; the same for the same ``--seed``), then records five cases: the mangled
ledgers planned into an empty store, the clean ones the same, the mangled ones planned
against a store holding the clean ones, imported there, and the clean ones planned again.
For each: every node and relationship table's rows (hashed, order aside), every problem
(file, row, column, value, reason, in order), every row's status and the created/updated
counts. Exit status 1 on any difference, with the first of each kind printed.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import pickle
import random
import sys
import tempfile
from pathlib import Path
from typing import Any

from govgraph.backends.embedded import EmbeddedBackend
from govgraph.loaders.ledger import export_ledgers, import_ledgers
from govgraph.loaders.ledger.plan import plan_import
from govgraph.loaders.ledger.read import read_ledger
from govgraph.loaders.ledger.validate import parse_sheet
from govgraph.loaders.load import load_scenario

WRONG = ["", "abc", "x y", "2023-02-30", "99999", "1", "是", "否", "13800000000", "2099-01-01",
         "网格员", "621027100", "621027100201", "北京", "-5", "110105194912310021",
         "11010519491231002X", "2023/5/1", "0937-1234567", "党员", "0"]  # fmt: skip


def mangle(clean: Path, out: Path, seed: int) -> None:
    rng = random.Random(seed)
    out.mkdir(parents=True)
    for path in sorted(clean.glob("*.csv")):
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
        head, body = rows[:2], rows[2:]
        keep = body[:20000] if path.stem == "households" else rng.sample(body, min(3000, len(body)))
        keep = [list(r) for r in keep]
        for r in keep:
            if rng.random() < 0.15:
                r[rng.randrange(len(r))] = rng.choice([*WRONG, r[rng.randrange(len(r))]])
        for r in rng.sample(keep, min(50, len(keep))):
            twin = list(r)
            twin[rng.randrange(len(twin))] = rng.choice(WRONG)
            keep.append(twin)
        text = io.StringIO()
        csv.writer(text).writerows(head + keep)
        (out / path.name).write_text(text.getvalue(), encoding="utf-8-sig")


def _canon(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_canon(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _canon(v)) for k, v in value.items()))
    return value


def planned(store: EmbeddedBackend, files: list[Path]) -> dict[str, Any]:
    today = store.default_day()
    rows = [row for f in files for row in parse_sheet(read_ledger(f), today)]
    store.apply_schema()
    plan = plan_import(store, rows, today)
    tables = {("node", str(k)): t for k, t in plan.writes.nodes.items()}
    tables |= {("rel", str(k)): t for k, t in plan.writes.relationships.items()}
    writes = {}
    for key, table in tables.items():
        lines = sorted(repr(_canon(r)) for r in table.to_pylist())
        digest = hashlib.sha256("\n".join(lines).encode()).hexdigest()
        writes[key] = (len(lines), digest, tuple(table.schema.names))
    problems = [(Path(p.file).name, p.row, p.column, p.value, p.reason)
                for r in plan.rows for p in r.problems]  # fmt: skip
    return {
        "writes": writes,
        "problems": problems,
        "status": [plan.status.get(id(r)) for r in plan.rows],
        "created": plan.created,
        "updated": plan.updated,
    }


def record(seed: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="govgraph-import-oracle-") as tmp:
        root = Path(tmp)
        with EmbeddedBackend(root / "source") as source:
            scenario, _ = load_scenario(source, "zhenyuan", consume=True)
            export_ledgers(source, scenario.spec.area, root / "clean", unmasked=True)
        mangle(root / "clean", root / "mangled", seed)
        clean = sorted((root / "clean").glob("*.csv"))
        mangled = sorted((root / "mangled").glob("*.csv"))
        out: dict[str, Any] = {}
        with EmbeddedBackend(root / "store") as store:
            out["mangled, empty store"] = planned(store, mangled)
            out["clean, empty store"] = planned(store, clean)
            import_ledgers(store, clean)
            out["mangled, over the clean"] = planned(store, mangled)
            report = import_ledgers(store, mangled)
            problems = [(p.row, p.column, p.reason) for p in report.problems]
            out["mangled, imported"] = (report.created, report.updated, problems)
            out["clean, over the mangled"] = planned(store, clean)
    return out


def compare(before: dict[str, Any], after: dict[str, Any]) -> bool:
    same = True
    for case, was in before.items():
        now = after[case]
        if was == now:
            print(f"same       {case}")
            continue
        same = False
        print(f"DIFFERENT  {case}")
        if not isinstance(was, dict):
            continue
        for part in was:
            if was[part] == now[part]:
                continue
            print(f"  {part}")
            if part == "writes":
                for table in sorted(set(was[part]) | set(now[part])):
                    if was[part].get(table) != now[part].get(table):
                        print(f"    {table}: {was[part].get(table)} → {now[part].get(table)}")
            elif isinstance(was[part], list):
                print(f"    {len(was[part])} → {len(now[part])} entries")
                for a, b in zip(was[part], now[part], strict=False):
                    if a != b:
                        print(f"    first difference: {a!r} → {b!r}")
                        break
    return same


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--save", type=Path, help="record this code's plans into this file")
    what.add_argument("--compare", type=Path, help="compare this code's plans with a recording")
    parser.add_argument("--seed", type=int, default=7, help="of the mangling (default 7)")
    args = parser.parse_args()
    result = record(args.seed)
    if args.save:
        args.save.write_bytes(pickle.dumps(result))
        for case, got in result.items():
            if isinstance(got, dict):
                print(f"{case}: {len(got['problems']):,} problems, {len(got['writes'])} tables")
        return 0
    return 0 if compare(pickle.loads(args.compare.read_bytes()), result) else 1


if __name__ == "__main__":
    sys.exit(main())
