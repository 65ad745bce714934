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
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa

    from .keys import Key

__all__ = [
    "MOBILE",
    "SENSITIVE",
    "id_check_digit",
    "mask_any",
    "mask_id_number",
    "mask_person",
    "mask_phone",
    "plain_personal_data",
    "reveal_person",
    "seal_people",
]

#: the person properties that are masked unless the reader may see them
SENSITIVE = ("id_number", "phone")


#: characters kept at each end of a masked value; the middle is starred
_KEPT = {"id_number": (4, 4), "phone": (3, 4)}


def _mask(value: str | None, field: str) -> str | None:
    if not value:
        return value
    head, tail = _KEPT[field]
    return value[:head] + "*" * max(0, len(value) - head - tail) + value[-tail:]


def mask_id_number(value: str | None) -> str | None:
    return _mask(value, "id_number")


def mask_phone(value: str | None) -> str | None:
    return _mask(value, "phone")


def mask_person(person: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of a person's properties with the sensitive ones masked."""
    out = dict(person)
    out["id_number"] = mask_id_number(out.get("id_number"))
    out["phone"] = mask_phone(out.get("phone"))
    return out


_ID_NUMBER = re.compile(r"\d{17}[\dXx]")
#: a mainland mobile number (11 digits, 1[3-9]…)
MOBILE = re.compile(r"1[3-9]\d{9}")
#: GB 11643's weights of an ID number's first 17 digits
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_check_digit(body: str) -> str:
    """The GB 11643 check digit of an ID number's first 17 digits.

    >>> id_check_digit("11010519491231002")
    'X'
    """
    return "10X98765432"[sum(int(c) * w for c, w in zip(body, ID_WEIGHTS, strict=True)) % 11]


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


MASKS: dict[str, Callable[[str | None], str | None]] = {
    "id_number": mask_id_number,
    "phone": mask_phone,
}


def _kinds(values: pa.Array) -> tuple[pa.Array, pa.Array, pa.Array]:
    """Masks of a column of ID numbers or phones: empty (or null), masked, and plain (given
    in full, to be sealed)."""
    import pyarrow.compute as pc

    empty = pc.fill_null(pc.equal(values, ""), True)
    masked = pc.fill_null(pc.match_substring(values, "*"), False)
    return empty, masked, pc.and_(pc.invert(empty), pc.invert(masked))


def plain_personal_data(table: pa.Table) -> bool:
    """Whether any ID number or phone in ``table`` (Person rows) is given in full: something
    :func:`seal_people` would seal."""
    import pyarrow.compute as pc

    for field in SENSITIVE:
        if field in table.column_names:
            plain = _kinds(table.column(field).combine_chunks().cast("string"))[2]
            if pc.any(plain).as_py():
                return True
    return False


def seal_people(table: pa.Table, key: Callable[[], Key]) -> pa.Table:
    """A Person table as it is stored (:mod:`govgraph.keys`): every plain ID number and phone
    replaced by its masked form, sealed beside it, and the ID number's blind index. A value
    already masked keeps the sealed value it came with (a copy between stores); ``key`` is
    asked for only when there is something to seal. Rows are told apart with Arrow compute;
    Python touches only the plain values, to seal them."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from .errors import KeyProblem
    from .keys import INDEXED, SEALED

    if not any(n in table.column_names for n in MASKS):
        return table
    rows = len(table)

    def column(name: str) -> pa.Array:
        if name not in table.column_names:
            return pa.nulls(rows, pa.string())
        return table.column(name).combine_chunks().cast(pa.string())

    out: dict[str, pa.Array] = {}
    for field, sealed_name in SEALED.items():
        values, sealed = column(field), column(sealed_name)
        empty, masked, plain = _kinds(values)
        unsealed = pc.and_(masked, pc.is_null(sealed))
        if pc.any(unsealed).as_py():
            i = pc.index(unsealed, True).as_py()
            raise KeyProblem(
                f"person {table.column('id')[i].as_py()}: {field} is masked "
                f"({values[i].as_py()}) and comes without its sealed value, so it cannot be "
                "stored; give the full value"
            )
        nothing = pa.nulls(rows, pa.string())
        values, sealed = pc.if_else(empty, nothing, values), pc.if_else(empty, nothing, sealed)
        index = column(INDEXED[field]) if field in INDEXED else None
        if index is not None:
            index = pc.if_else(empty, nothing, index)
        if pc.any(plain).as_py():
            where = pc.indices_nonzero(plain)
            texts = values.take(where).to_pylist()
            persons = table.column("id").take(where).to_pylist()
            k = key()
            sealed = pc.replace_with_mask(sealed, plain,
                                          pa.array(k.seal_many(texts, persons, field)))  # fmt: skip
            values = pc.replace_with_mask(values, plain, _masked(values.filter(plain), field))
            if index is not None:
                index = pc.replace_with_mask(index, plain, pa.array(k.index_many(texts)))
        out[field], out[sealed_name] = values, sealed
        if index is not None:
            out[INDEXED[field]] = index
    for name, array in out.items():
        if name in table.column_names:
            table = table.set_column(table.column_names.index(name), name, array)
        else:
            table = table.append_column(name, array)
    return table


def _masked(values: pa.Array, field: str) -> pa.Array:
    """:data:`MASKS` over a column of plain values, in Arrow: the ends kept (:data:`_KEPT`),
    the middle starred."""
    import pyarrow as pa
    import pyarrow.compute as pc

    head, tail = _KEPT[field]
    middle = pc.max_element_wise(pc.subtract(pc.utf8_length(values), head + tail), 0)
    stars = pc.binary_repeat(pa.scalar("*"), middle)
    start = pc.utf8_slice_codeunits(values, 0, head)
    end = pc.utf8_slice_codeunits(values, -tail)  # as in Python, overlaps a short value's head
    return pc.binary_join_element_wise(start, stars, end, "")


def reveal_person(row: Mapping[str, Any], key: Key | None, person: str) -> dict[str, Any]:
    """A copy of ``row`` (a person's properties with their sealed values) with the ID number
    and phone opened in full, and the sealed values and index left out."""
    from .keys import INDEXED, SEALED

    out = dict(row)
    for field, sealed_name in SEALED.items():
        token = out.pop(sealed_name, None)
        if token:
            assert key is not None, "a sealed value needs the key"
            out[field] = key.open(token, person, field)
    for name in INDEXED.values():
        out.pop(name, None)
    return out
