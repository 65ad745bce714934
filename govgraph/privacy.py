"""Personal data is masked by default: ID numbers and phones show only their ends.

>>> mask_id_number("620102198001010012")
'6201**********0012'
>>> mask_phone("13800005678")
'138****5678'
>>> mask_phone(None) is None
True
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = [
    "MOBILE",
    "SENSITIVE",
    "id_check_digit",
    "mask_any",
    "mask_id_number",
    "mask_person",
    "mask_phone",
]

#: the person properties that are masked unless the reader may see them
SENSITIVE = ("id_number", "phone")


def mask_id_number(value: str | None) -> str | None:
    if not value:
        return value
    return value[:4] + "*" * max(0, len(value) - 8) + value[-4:]


def mask_phone(value: str | None) -> str | None:
    if not value:
        return value
    return value[:3] + "*" * max(0, len(value) - 7) + value[-4:]


def mask_person(person: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of a person's properties with the sensitive ones masked."""
    out = dict(person)
    out["id_number"] = mask_id_number(out.get("id_number"))
    out["phone"] = mask_phone(out.get("phone"))
    return out


_ID_NUMBER = re.compile(r"\d{17}[\dXx]")
#: a mainland mobile number (11 digits, 1[3-9]…)
MOBILE = re.compile(r"1[3-9]\d{9}")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_check_digit(body: str) -> str:
    """The GB 11643 check digit of an ID number's first 17 digits.

    >>> id_check_digit("11010519491231002")
    'X'
    """
    return "10X98765432"[sum(int(c) * w for c, w in zip(body, _ID_WEIGHTS, strict=True)) % 11]


def _is_id_number(text: str) -> bool:
    return bool(_ID_NUMBER.fullmatch(text)) and text[17].upper() == id_check_digit(text[:17])


def mask_any(value: Any) -> Any:
    """``value`` (a row of an ad-hoc query: maps, lists, nodes as maps) with personal data
    masked wherever it is: under a sensitive key, and any string that is an ID number (its
    check digit holds) or a mobile phone number, whatever the column is called."""
    if isinstance(value, Mapping):
        out = {}
        for key, item in value.items():
            if key == "id_number" and isinstance(item, str):
                out[key] = mask_id_number(item)
            elif key == "phone" and isinstance(item, str):
                out[key] = mask_phone(item)
            else:
                out[key] = mask_any(item)
        return out
    if isinstance(value, list | tuple):
        return [mask_any(v) for v in value]
    if isinstance(value, str):
        if _is_id_number(value):
            return mask_id_number(value)
        if MOBILE.fullmatch(value):
            return mask_phone(value)
    return value
