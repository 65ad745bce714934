"""Cells → typed values, with a reason for every cell that is wrong (pure: no store, no files).

Cross-row and cross-file checks (a grid that exists, an id used twice with
different data) need the whole import and the store; they live in :mod:`.plan`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import compress, repeat
from operator import itemgetter, not_
from typing import Any

import numpy as np

from ...privacy import ID_WEIGHTS, MOBILE, id_check_digit
from .columns import VOCABULARIES, Column, Kind, Parse
from .read import Sheet

__all__ = [
    "ParsedRow",
    "Problem",
    "check_id_number",
    "derived_person_id",
    "parse_date",
    "parse_phone",
    "parse_sheet",
]


@dataclass(frozen=True)
class Problem:
    """What is wrong and where: file, row (1-based, as a spreadsheet shows it), column."""

    file: str
    row: int
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}, row {self.row}" + (f", column {self.column}" if self.column else "")
        shown = f" ({self.value!r})" if self.value else ""
        return f"{where}: {self.reason}{shown}"


@dataclass(slots=True)
class ParsedRow:
    sheet: Sheet
    number: int
    cells: list[str]
    values: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)

    def problem(self, key: str, reason: str) -> None:
        """Record a problem with the column ``key`` ("" for the row as a whole)."""
        column = self.sheet.kind.column(key) if key else None
        pos = self.sheet.positions.get(key) if key else None
        header = self.sheet.header[pos] if pos is not None else (column.zh if column else "")
        value = self.cells[pos] if pos is not None and pos < len(self.cells) else ""
        self.problems.append(Problem(str(self.sheet.path), self.number, header, value, reason))

    @property
    def ok(self) -> bool:
        return not self.problems


class CellError(ValueError):
    """A cell that cannot be read; its message is the reason shown to the user."""


# -- single values -----------------------------------------------------------------

#: what an id may not hold: spaces and the separators lists are written with, quotes
_NOT_IN_ID = re.compile(r"[\s,;，；、'\"\\]")
_ID = re.compile(rf"^[^{_NOT_IN_ID.pattern[1:-1]}]{{1,64}}$")
_DATE_FORMS = (
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$"),
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")
_SPLIT = re.compile(r"[、;；,，/\s]+")


def parse_date(text: str, today: dt.date) -> dt.date:
    """The date forms offices type: 2023年5月1日, 2023/5/1, 2023-05-01, 2023.5.1, 20230501.

    >>> parse_date("2023年5月1日", dt.date(2024, 1, 1))
    datetime.date(2023, 5, 1)
    >>> parse_date("20230230", dt.date(2024, 1, 1))
    Traceback (most recent call last):
    ...
    govgraph.loaders.ledger.validate.CellError: no such day: 2023-02-30
    """
    for form in _DATE_FORMS:
        m = form.match(text)
        if m:
            y, mo, d = (int(g) for g in m.groups())
            try:
                day = dt.date(y, mo, d)
            except ValueError:
                raise CellError(f"no such day: {y:04d}-{mo:02d}-{d:02d}") from None
            if day > today:
                raise CellError(f"date in the future (today is {today.isoformat()})")
            if day.year < 1900:
                raise CellError("date before 1900")
            return day
    raise CellError("not a date (write 2023-05-01, 2023/5/1, 2023年5月1日 or 20230501)")


def check_id_number(text: str, today: dt.date) -> str:
    """An 18-character resident ID number with its GB 11643 check digit and birth date checked.

    >>> check_id_number("11010519491231002X", dt.date(2024, 1, 1))
    '11010519491231002X'
    """
    value = text.upper()
    if (
        len(value) != 18
        or not value[:17].isdigit()
        or not (value[17].isdigit() or value[17] == "X")
    ):
        raise CellError("an ID number has 17 digits and a check digit (0-9 or X)")
    check = id_check_digit(value[:17])
    if check != value[17]:
        raise CellError(f"ID number check digit wrong (GB 11643 gives {check})")
    try:
        born = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise CellError("ID number holds no valid birth date") from None
    if born > today or born.year < 1900:
        raise CellError("ID number's birth date is impossible")
    return value


def parse_phone(text: str) -> str:
    """A mainland mobile (11 digits, 1[3-9]…) or a landline with its area code (0xxx-xxxxxxx)."""
    value = re.sub(r"[\s()（）]", "", text)
    if value.startswith("+86"):
        value = value[3:]
    elif value.startswith("86") and len(value) == 13:
        value = value[2:]
    digits = value.replace("-", "")
    if MOBILE.fullmatch(digits):
        return digits
    if _LANDLINE.match(value):
        return value
    raise CellError("not a phone number (mobile: 11 digits starting 13–19; landline: 0xxx-xxxxxxx)")


def derived_person_id(id_number: str) -> str:
    """The id given to a person listed without one: a digest of the ID number.

    Stable across imports (the same person gets the same id); it is an
    identifier, not a privacy measure.
    """
    return "R" + hashlib.sha256(id_number.encode()).hexdigest()[:16].upper()


def _vocab(column: Column, text: str) -> str:
    words, written = VOCABULARIES[column.vocab]
    value = words.get(text) or words.get(text.lower())
    if value is None:
        raise CellError(f"not one of {', '.join(written.values())}")
    return value


_BOOL = {"是": True, "否": False, "y": True, "n": False, "yes": True, "no": False,
         "true": True, "false": False, "1": True, "0": False, "√": True, "×": False}  # fmt: skip


#: a place written by its name (Chinese, perhaps with digits: 一村, 3组 …)
_NAMED_PLACE = re.compile(r"[\u4e00-\u9fff][\u4e00-\u9fff0-9（）()·]*")


def _parse_cell(column: Column, text: str, today: dt.date) -> Any:
    p = column.parse
    if p is Parse.TEXT:
        return text
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).strip()
    if p is Parse.ID:
        if not _ID.match(text):
            raise CellError("an id is up to 64 characters without spaces, quotes or separators")
        return text
    if p is Parse.CODE:
        if _NAMED_PLACE.fullmatch(text):
            return text  # a place by name: the plan looks it up in its township
        if not text.isdigit() or len(text) not in (2, 4, 6, 9, 12):
            raise CellError("a division code has 12 digits (or 2, 4, 6, 9 in prefix form)")
        return text
    if p is Parse.ID_NUMBER:
        if "E+" in text.upper() or (text.replace(".", "").isdigit() and "." in text):
            raise CellError("stored as a number in Excel, digits lost: format the column as text")
        return check_id_number(text, today)
    if p is Parse.PHONE:
        return parse_phone(text)
    if p is Parse.DATE:
        return parse_date(text, dt.date.max if column.future else today)
    if p is Parse.INT:
        if not re.fullmatch(r"-?\d{1,9}", text):
            raise CellError("not a whole number")
        return int(text)
    if p is Parse.BOOL:
        value = _BOOL.get(text.lower())
        if value is None:
            raise CellError("write 是 or 否")
        return value
    if p is Parse.VOCAB:
        return _vocab(column, text)
    if p is Parse.VOCAB_LIST:
        return sorted({_vocab(column, part) for part in _SPLIT.split(text) if part})
    if p is Parse.CODE_LIST:
        parts = [part for part in _SPLIT.split(text) if part]
        for part in parts:
            if not part.isdigit() or len(part) not in (2, 4, 6, 9, 12):
                raise CellError(f"{part!r} is not a division code (12 digits, or 6 or 9)")
        return sorted(set(parts))
    if p is Parse.ID_LIST:
        parts = [part for part in _SPLIT.split(text) if part]
        for part in parts:
            if not _ID.match(part):
                raise CellError(f"{part!r} is not an id")
        return sorted(set(parts))
    raise AssertionError(p)


# -- rows ----------------------------------------------------------------------------

_RANGES = {
    "size": (0, 99),
    "satisfaction": (1, 5),
    "birth_year": (1900, None),
}


def _check_rows(rows: list[ParsedRow], kind: Kind, today: dt.date) -> None:
    """Checks within each row of one sheet, after its required fields and ranges: date order,
    a person's id. What cannot apply to the sheet's kind is decided once for all its rows."""
    personal = kind in (Kind.WORKERS, Kind.HOUSEHOLDS)
    always = kind in _ALWAYS_A_PERSON
    for row in rows:
        v = row.values
        if "valid_to" in v:
            if "valid_from" not in v:
                row.problem("valid_from", "an end date needs a start date")
            elif v["valid_to"] < v["valid_from"]:
                row.problem("valid_to", "ends before it starts")
        if kind is Kind.CASES:
            if "closed" in v and v["closed"] < v.get("opened", v["closed"]):
                row.problem("closed", "closed before it was opened")
            if "reported" in v and "reporter_id" not in v:
                row.problem("reporter_id", "a report date needs the reporter")
        elif kind is Kind.CASE_FLOW:
            _check_flow(row)
        if not (personal or always):
            continue
        has_person = not _PERSON_FIELDS.isdisjoint(v)
        if has_person or always:
            if "person_id" not in v:
                if "id_number" in v:
                    v["person_id"] = derived_person_id(v["id_number"])
                elif not _has_problem(row, "id_number"):
                    row.problem("person_id", "a person needs 人员编号 or 身份证号")
            if kind is Kind.WORKERS and "role" not in v and not _has_problem(row, "role"):
                row.problem("role", "missing: which post (网格员, 网格长, 志愿者, 下沉干部)")
        if kind is Kind.WORKERS and not has_person:
            for key in ("role", "employment", "valid_from", "valid_to"):
                if key in v:
                    row.problem(key, "a post needs the person holding it")
        if kind is Kind.HOUSEHOLDS and "id_number" in v and "birth_year" not in v:
            v["birth_year"] = int(v["id_number"][6:10])


_PERSON_FIELDS = frozenset(
    ("person_id", "name", "id_number", "phone", "gender", "relation", "birth_year")
)

#: ledgers each of whose rows is about a person
_ALWAYS_A_PERSON = (Kind.LINKS, Kind.PARTY_MEMBERS, Kind.LEADERS)

_ESCALATION = ("center_id", "tier", "date")
_ASSIGNMENT = ("department_id", "role", "assigned", "reported")


def _check_flow(row: ParsedRow) -> None:
    """A case-flow row is either an escalation (a center and the day) or an assignment
    (a department and the day it was assigned), not both."""
    v = row.values
    center, department = "center_id" in v, "department_id" in v
    if center and department:
        row.problem("department_id", "one row is one step: a center (escalation) or a "
                    "department (assignment), not both")  # fmt: skip
    elif not center and not department:
        if not _has_problem(row, "center_id") and not _has_problem(row, "department_id"):
            row.problem("center_id", "missing: the center it arrived at, or the department "
                        "assigned (承办部门编号)")  # fmt: skip
    elif center:
        if "date" not in v and not _has_problem(row, "date"):
            row.problem("date", "missing: the day it arrived at the center")
        for key in _ASSIGNMENT[1:]:
            if key in v:
                row.problem(key, "belongs to an assignment row (with 承办部门编号)")
    else:
        if "assigned" not in v and not _has_problem(row, "assigned"):
            row.problem("assigned", "missing: the day the department was assigned")
        for key in _ESCALATION[1:]:
            if key in v:
                row.problem(key, "belongs to an escalation row (with 接收中心编号)")
        if "reported" in v and "assigned" in v and v["reported"] < v["assigned"]:
            row.problem("reported", "reported in before it was assigned")


def _has_problem(row: ParsedRow, key: str) -> bool:
    pos = row.sheet.positions.get(key)
    return pos is not None and any(p.column == row.sheet.header[pos] for p in row.problems)


def parse_sheet(
    sheet: Sheet, today: dt.date, progress: Callable[[int], None] | None = None
) -> list[ParsedRow]:
    """Every data row of ``sheet`` parsed; each carries its problems (none when good).

    Column by column: the same text in the same column always reads the same (codes, dates,
    words and household ids repeat down a ledger), so each distinct cell of a column is
    parsed once and the column's cells are then filled in from those answers."""
    columns = [(c, sheet.positions[c.key]) for c in sheet.kind.columns if c.key in sheet.positions]
    out = [ParsedRow(sheet, number, cells, _NO_VALUES) for number, cells in sheet.rows]
    lines = [cells for _, cells in sheet.rows]  # each as wide as the header (see read.py)
    keys: list[str] = []
    filled: list[list[Any]] = []  # per column, each row's value (_ABSENT: none)
    absent: list[list[int]] = []  # per column, the rows without a value
    blank: dict[str, list[int]] = {}  # per column, the rows where it is empty
    for column, pos in columns:
        key = column.key
        texts = list(map(itemgetter(pos), lines))
        empty = list(compress(range(len(texts)), map(not_, texts))) if "" in texts else []
        if column.required:
            blank[key] = empty
        keys.append(key)
        if column.parse is Parse.TEXT:
            filled.append(texts)
            absent.append(empty)
            continue
        distinct = set(texts)
        distinct.discard("")
        parsed: dict[str, Any] = {}
        if column.parse is Parse.ID_NUMBER:
            parsed = dict.fromkeys(_good_id_numbers(distinct, today))
            for text in parsed:
                parsed[text] = text.upper()
        elif column.parse is Parse.PHONE:  # a mobile number as it should be written
            parsed = {text: text for text in distinct if text.isascii() and _MOBILE(text)}
        elif column.parse is Parse.ID and _plain_ids(distinct):
            parsed = {text: text for text in distinct}
        failed = False
        for text in distinct:
            if text not in parsed:
                try:
                    parsed[text] = _parse_cell(column, text, today)
                except CellError as exc:
                    parsed[text] = exc
                    failed = True
        parsed[""] = _ABSENT
        values = list(map(parsed.__getitem__, texts))
        if failed:
            wrong = [i for i, value in enumerate(values) if isinstance(value, CellError)]
            for i in wrong:
                out[i].problem(key, str(values[i]))
                values[i] = _ABSENT
            empty = sorted(empty + wrong)
        filled.append(values)
        absent.append(empty)
    # every row's values at once, then what a row lacks taken out again
    rows = list(map(dict, map(zip, repeat(keys), zip(*filled, strict=True)))) if keys else []
    for key, where in zip(keys, absent, strict=True):
        for i in where:
            del rows[i][key]
    for row, got in zip(out, rows or (dict() for _ in out), strict=True):
        row.values = got
    # row by row, each row's problems come in this order: its cells', the required columns
    # left empty, the ranges, the checks within the row
    for column in sheet.kind.columns:
        if not column.required:
            continue
        key = column.key
        missing = blank.get(key)
        if missing is None:  # no such column: every row lacks it
            missing = [i for i, row in enumerate(out) if not _has_problem(row, key)]
        for i in missing:
            out[i].problem(key, "missing (required)")
    for key, (low, high) in _RANGES.items():
        if key not in sheet.positions:
            continue
        high = today.year if high is None else high
        for row in out:
            value = row.values.get(key)
            if value is not None and not low <= value <= high:
                row.problem(key, f"out of range ({low}–{high})")
    step = 5000
    for start in range(0, len(out), step):
        _check_rows(out[start : start + step], sheet.kind.kind, today)
        if progress:
            progress(min(step, len(out) - start))
    if progress and not out:
        progress(0)
    return out


def _plain_ids(texts: set[str]) -> bool:
    """Whether every one of ``texts`` is an ASCII id that :func:`_parse_cell` takes as it is
    (checked on them all joined: none holds the separator, a control character)."""
    joined = "\x00".join(texts)
    return (joined.isascii() and _NOT_IN_ID.search(joined) is None
            and max(map(len, texts), default=0) <= 64)  # fmt: skip


#: a row's values while its cells are read (each row gets its own dict after)
_NO_VALUES: dict[str, Any] = {}
#: a cell left empty or refused: no value
_ABSENT = object()
#: an ASCII mobile number is what :func:`parse_phone` returns it as
_MOBILE = MOBILE.fullmatch


_DAYS_IN_MONTH = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def _good_id_numbers(texts: Iterable[str], today: dt.date) -> list[str]:
    """Those of ``texts`` that :func:`check_id_number` accepts as they are, all checked at
    once (the rest, and the reasons they fail, are left to it): 18 ASCII characters, the
    GB 11643 check digit right, a birth date that exists, from 1900 to ``today``."""
    same = [t for t in texts if len(t) == 18 and t.isascii()]
    if not same:
        return []
    codes = np.frombuffer("".join(same).upper().encode("ascii"), dtype=np.uint8).reshape(-1, 18)
    digits = codes[:, :17].astype(np.int64) - ord("0")
    last = codes[:, 17]
    ok = ((digits >= 0) & (digits <= 9)).all(axis=1)
    ok &= ((last >= ord("0")) & (last <= ord("9"))) | (last == ord("X"))
    check = np.frombuffer(b"10X98765432", dtype=np.uint8)[(digits @ np.array(ID_WEIGHTS)) % 11]
    ok &= check == last
    year = digits[:, 6:10] @ np.array([1000, 100, 10, 1])
    month = digits[:, 10:12] @ np.array([10, 1])
    day = digits[:, 12:14] @ np.array([10, 1])
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    in_month = _DAYS_IN_MONTH[np.clip(month, 1, 12) - 1] + ((month == 2) & leap)
    ok &= (month >= 1) & (month <= 12) & (day >= 1) & (day <= in_month) & (year >= 1900)
    born = year * 10_000 + month * 100 + day
    ok &= born <= today.year * 10_000 + today.month * 100 + today.day
    return [t for t, good in zip(same, ok.tolist(), strict=True) if good]
