"""Personal data is masked by default: ID numbers and phones show only their ends.

>>> mask_id_number("620102198001010012")
'6201**********0012'
>>> mask_phone("13800005678")
'138****5678'
>>> mask_phone(None) is None
True
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["SENSITIVE", "mask_id_number", "mask_person", "mask_phone"]

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
