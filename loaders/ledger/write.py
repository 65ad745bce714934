"""Ledger files out: templates, exports and quarantine files, as CSV or Excel."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from .columns import VOCABULARIES, LedgerKind, Parse

__all__ = ["write_csv", "write_ledger", "write_xlsx"]


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8-sig") -> Path:
    """CSV with a BOM by default, so Excel shows the Chinese headers right."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding, errors="strict"))
    return path


def write_xlsx(
    path: Path,
    rows: list[list[str]],
    *,
    title: str | None = None,
    kind: LedgerKind | None = None,
    header_rows: int = 1,
) -> Path:
    """One sheet. With ``title``, a merged title row goes above the header; with ``kind``,
    the sheet gets the template's help: required columns in red, ID and code columns
    formatted as text (Excel would otherwise turn an ID number into 6.2E+17), drop-down
    lists for vocabulary columns."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = (kind.zh if kind else "ledger")[:31]
    width = max((len(r) for r in rows), default=1)
    offset = 0
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(width, 1))
        sheet.cell(1, 1).font = Font(bold=True, size=14)
        sheet.cell(1, 1).alignment = Alignment(horizontal="center")
        offset = 1
    for row in rows:
        sheet.append(row)
    bold = Font(bold=True)
    for r in range(offset + 1, offset + 1 + min(header_rows, len(rows))):
        for cell in sheet[r]:
            cell.font = bold
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
    if kind is not None and rows:
        grey = Font(color="808080", italic=True)
        last = max(sheet.max_row, offset + header_rows + 1) + 500
        for c, column in enumerate(kind.columns, start=1):
            letter = get_column_letter(c)
            sheet.column_dimensions[letter].width = max(12, 2 * len(column.zh) + 4)
            if column.required:
                sheet.cell(offset + 1, c).font = Font(bold=True, color="C00000")
            if header_rows > 1:
                sheet.cell(offset + 2, c).font = grey
            first = offset + header_rows + 1
            # ID numbers, phones and codes as text in every row there is and 500 more to be
            # typed in (a template's, or an export's below its data): Excel would otherwise
            # turn an 18-digit ID number into 6.2E+17 and lose its last digits
            if column.parse in (Parse.ID_NUMBER, Parse.PHONE, Parse.CODE, Parse.ID):
                for (cell,) in sheet.iter_rows(min_row=first, max_row=last, min_col=c, max_col=c):
                    cell.number_format = "@"
            if column.parse is Parse.VOCAB and column.vocab:
                words = list(VOCABULARIES[column.vocab][1].values())
                check = DataValidation(type="list", formula1='"' + ",".join(words) + '"')
                check.add(f"{letter}{first}:{letter}{first + 5000}")
                sheet.add_data_validation(check)
        sheet.freeze_panes = sheet.cell(offset + header_rows + 1, 1)
    book.save(path)
    return path


def write_ledger(
    path: Path,
    kind: LedgerKind,
    rows: list[list[str]],
    *,
    title: str | None = None,
) -> Path:
    """A ledger in the template's layout: Chinese headers, the English keys, then ``rows``."""
    table = [[c.header for c in kind.columns], [c.key for c in kind.columns], *rows]
    if path.suffix == ".xlsx":
        return write_xlsx(path, table, title=title or kind.zh, kind=kind, header_rows=2)
    return write_csv(path, table)
