"""Open a ledger file: CSV in whatever encoding it came in, or an Excel workbook.

The result is a :class:`Sheet`: which ledger it is, which column holds what,
and the data rows as strings with their row numbers in the file. Nothing here
checks values (see :mod:`.validate`); this module only finds the table.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...errors import GovgraphError
from .columns import KINDS, Column, Kind, LedgerKind, kind_spec, normalize_header

__all__ = ["LedgerFileError", "Sheet", "decode", "read_ledger", "sheet_from_rows"]

#: header rows are looked for among the first rows of a file
_HEADER_SCAN = 12


class LedgerFileError(GovgraphError):
    """A ledger file that cannot be read at all (format, encoding, no header)."""


@dataclass
class Sheet:
    path: Path
    kind: LedgerKind
    #: "csv", "xlsx" or "xls"
    format: str
    #: the text encoding of a CSV ("utf-8", "utf-8-sig" or "gb18030")
    encoding: str
    #: the header row as it stands in the file (written again on quarantine files)
    header: list[str]
    #: column key -> position in the row
    positions: dict[str, int]
    #: (1-based row number in the file, cells as strings)
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    #: header cells that match no column of the ledger (reported, then ignored)
    ignored: list[str] = field(default_factory=list)

    def columns(self) -> list[Column]:
        return [self.kind.column(k) for k in self.positions]


def decode(data: bytes, name: str = "file") -> tuple[str, str]:
    """Bytes → (text, encoding): UTF-8 with or without BOM, else GB18030 (a superset of GBK)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise LedgerFileError(
            f"{name}: not UTF-8 and not GBK/GB18030 (byte {exc.start}); save it as CSV UTF-8"
        ) from None


def _cell(value: Any) -> str:
    """An Excel cell as text: whole numbers without ``.0``, dates as ISO days."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value).strip()


def _read_csv(path: Path) -> tuple[list[list[str]], str, bool]:
    """The rows, the encoding, and whether every cell is already as :func:`str.strip` leaves
    it: no quotes and no space but line breaks anywhere (one scan of the text, ~10 times
    cheaper than stripping every cell of a ledger)."""
    text, encoding = decode(path.read_bytes(), str(path))
    stripped = '"' not in text and _SPACE.search(text) is None
    return list(csv.reader(io.StringIO(text, newline=""))), encoding, stripped


#: what :func:`str.strip` removes, but the line breaks that end a CSV row
_SPACE = re.compile(r"[^\S\r\n]")


def _read_xlsx(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise LedgerFileError(f"{path}: not a readable .xlsx workbook ({exc})") from None
    try:
        sheet = book.worksheets[0]
        rows = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()
    return rows


def _read_xls(path: Path) -> list[list[str]]:
    """An old Excel 97–2003 workbook (what many offices' tools still save), first sheet,
    read by xlrd with the same cell rules as .xlsx: a number typed into an ID or phone
    column stays a number here too, and the row is refused for it."""
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), on_demand=True)
    except Exception as exc:  # xlrd raises several kinds for a damaged or foreign file
        raise LedgerFileError(f"{path}: not a readable .xls workbook ({exc})") from None
    try:
        sheet = book.sheet_by_index(0)
        rows = []
        for r in range(sheet.nrows):
            row = []
            for cell in sheet.row(r):
                value: Any = cell.value
                if cell.ctype == xlrd.XL_CELL_DATE:
                    value = xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    value = bool(cell.value)
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                    value = None
                row.append(_cell(value))
            rows.append(row)
    finally:
        book.release_resources()
    return rows


def _match(kind: LedgerKind, cells: list[str]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for i, cell in enumerate(cells):
        column = kind.by_header.get(normalize_header(cell)) if cell else None
        if column is not None and column.key not in positions:
            positions[column.key] = i
    return positions


def _fill_from(upper: list[str], lower: list[str]) -> list[str]:
    """A two-row header: blank cells of the lower row (under vertically merged cells) take the
    upper row's text."""
    width = max(len(upper), len(lower))
    upper, lower = upper + [""] * (width - len(upper)), lower + [""] * (width - len(lower))
    return [lo or up for up, lo in zip(upper, lower, strict=True)]


def _find_header(
    raw: list[list[str]], name: str, kind: Kind | None
) -> tuple[LedgerKind, int, list[str], dict[str, int]]:
    """The ledger kind, the header's row index, its cells and the column positions."""
    kinds = [kind_spec(kind)] if kind else list(KINDS)
    best: tuple[int, int, LedgerKind, int, list[str], dict[str, int]] | None = None
    for r in range(min(_HEADER_SCAN, len(raw))):
        candidates = [raw[r]]
        if r > 0:
            candidates.append(_fill_from(raw[r - 1], raw[r]))
        for cells in candidates:
            for spec in kinds:
                positions = _match(spec, cells)
                complete = all(c.key in positions for c in spec.columns if c.required)
                score = (len(positions), int(complete))
                if best is None or score > best[:2]:
                    best = (*score, spec, r, cells, positions)
    if best is None or best[0] == 0:
        raise LedgerFileError(
            f"{name}: no ledger header found in the first {_HEADER_SCAN} rows "
            "(see `govgraph template` for the expected columns)"
        )
    _, _, spec, r, cells, positions = best
    missing = [c.zh for c in spec.columns if c.required and c.key not in positions]
    if missing:
        raise LedgerFileError(
            f"{name}: looks like a {spec.zh} ({spec.kind}) but lacks the column(s) "
            f"{', '.join(missing)} in its header (row {r + 1})"
        )
    return spec, r, cells, positions


def sheet_from_rows(
    raw: list[list[str]],
    path: Path,
    fmt: str,
    encoding: str = "",
    kind: Kind | None = None,
    *,
    stripped: bool = False,
) -> Sheet:
    """Find the header among ``raw`` rows and keep the data rows after it (their cells
    stripped, unless the caller knows them to be: ``stripped``)."""
    spec, r, header, positions = _find_header(raw, str(path), kind)
    start = r + 1
    # the template's second row of English keys, if kept
    if start < len(raw):
        keys = {normalize_header(c.key) for c in spec.columns}
        cells = [normalize_header(c) for c in raw[start] if c]
        if cells and all(c in keys for c in cells):
            start += 1
    known = set(positions.values())
    ignored = [c for i, c in enumerate(header) if c and i not in known]
    sheet = Sheet(path, spec, fmt, encoding, list(header), positions, ignored=ignored)
    width = len(header)
    for i in range(start, len(raw)):
        cells = raw[i] if stripped else list(map(str.strip, raw[i]))
        if not any(cells):
            continue
        if len(cells) < width:
            cells += [""] * (width - len(cells))
        sheet.rows.append((i + 1, cells))
    return sheet


def read_ledger(path: str | Path, kind: Kind | str | None = None) -> Sheet:
    """Read one ledger file (.csv, .xlsx or .xls); its kind is recognised from its header."""
    path = Path(path)
    if not path.is_file():
        raise LedgerFileError(f"{path}: no such file")
    suffix = path.suffix.lower()
    wanted = Kind(kind) if kind else None
    if suffix == ".csv" or suffix == ".txt":
        raw, encoding, stripped = _read_csv(path)
        return sheet_from_rows(raw, path, "csv", encoding, wanted, stripped=stripped)
    if suffix in (".xlsx", ".xlsm"):
        return sheet_from_rows(_read_xlsx(path), path, "xlsx", "", wanted)
    if suffix == ".xls":
        return sheet_from_rows(_read_xls(path), path, "xls", "", wanted)
    raise LedgerFileError(f"{path}: expected a .csv, .xlsx or .xls file")
