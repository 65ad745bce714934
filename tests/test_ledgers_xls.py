"""Old Excel workbooks (.xls), as a real spreadsheet program writes them (LibreOffice from
Debian; .ci/run installs it): they import as the files they came from, and an ID number
the program turned into a number stays refused, as in .xlsx."""

from __future__ import annotations

import datetime as dt
import filecmp
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from govgraph.backends.embedded import EmbeddedBackend
from govgraph.loaders.ledger import Kind, import_ledgers
from govgraph.loaders.ledger.export import export_ledgers
from govgraph.loaders.ledger.read import read_ledger

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        SOFFICE is None and not os.environ.get("CI"),
        reason="LibreOffice is not installed (Debian: apt-get install libreoffice-calc-nogui)",
    ),
]
TODAY = dt.date.today()


def _to_xls(files: list[Path], out: Path) -> list[Path]:
    """What LibreOffice Calc saves as "Excel 97–2003" (its own profile in a temp dir)."""
    assert SOFFICE, "LibreOffice is needed here (CI installs it)"
    out.mkdir()
    subprocess.run(
        [SOFFICE, "--headless", "--norestore", f"-env:UserInstallation=file://{out}/profile",
         "--convert-to", "xls", "--outdir", str(out), *map(str, files)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return [out / f"{f.stem}.xls" for f in files]


def _ids_are_text(path: Path) -> None:
    """ID numbers, phones and codes formatted as text in every row and 500 more below."""
    from openpyxl import load_workbook

    sheet = load_workbook(path).active
    assert sheet is not None
    header = [c.value or "" for c in sheet[2]]
    for name in ("身份证号", "联系电话", "户编号"):
        column = next(i for i, h in enumerate(header, 1) if name in h)
        formats = {sheet.cell(r, column).number_format for r in range(4, sheet.max_row + 1)}
        assert formats == {"@"}, (name, formats)
    assert sheet.max_row >= 500


def test_ledgers_saved_as_xls_import_as_the_files_they_came_from(
    loaded: Any, tmp_path: Path
) -> None:
    source = loaded("qingping")
    area = source.scenario.spec.area
    csvs = export_ledgers(source.backend, area, tmp_path / "csv", unmasked=True)
    workbooks = export_ledgers(source.backend, area, tmp_path / "xlsx", fmt="xlsx", unmasked=True)
    _ids_are_text(workbooks[Kind.HOUSEHOLDS])
    old = _to_xls(list(workbooks.values()), tmp_path / "xls")
    assert read_ledger(old[0]).format == "xls"
    stores = {}
    for name, files in (("from-csv", list(csvs.values())), ("from-xls", old)):
        backend = EmbeddedBackend(tmp_path / name)
        report = import_ledgers(backend, files, today=TODAY)
        assert report.problems == [] and report.written, name
        stores[name] = backend
    a, b = stores["from-csv"], stores["from-xls"]
    assert a.counts() == b.counts()
    again_a = export_ledgers(a, area, tmp_path / "again-csv", unmasked=True)
    again_b = export_ledgers(b, area, tmp_path / "again-xls", unmasked=True)
    for kind in Kind:
        assert filecmp.cmp(again_a[kind], again_b[kind], shallow=False), kind
    for backend in stores.values():
        backend.close()


def test_an_id_number_a_spreadsheet_turned_into_a_number_is_refused(
    loaded: Any, tmp_path: Path
) -> None:
    source = loaded("qingping")
    csvs = export_ledgers(
        source.backend, source.scenario.spec.area, tmp_path / "csv", unmasked=True
    )
    lines = csvs[Kind.HOUSEHOLDS].read_text(encoding="utf-8").splitlines()
    small = tmp_path / "households.csv"
    small.write_text("\n".join(lines[:4]) + "\n", encoding="utf-8")  # header, keys, two rows
    (xls,) = _to_xls([small], tmp_path / "xls")  # Calc reads the 18 digits as a number
    store = EmbeddedBackend(tmp_path / "store")
    report = import_ledgers(store, [xls], today=TODAY, quarantine_dir=tmp_path / "q")
    refused = [p for p in report.problems if "digits lost" in p.reason]
    assert {p.row for p in refused} == {3, 4}, report.problems
    assert report.files[0].quarantine_file and report.files[0].quarantine_file.endswith(".xlsx")
    store.close()
