"""Synthetic values: names, GB 11643 ID numbers, phones, apportioning, day numbers."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ...errors import ScenarioError
from ...schema.model import (
    Label,
)

__all__ = ["apportion", "id_numbers", "phones"]

#: day numbers count from here
_EPOCH = date(1970, 1, 1)
L = Label


def apportion(total: int, weights: Any, minimum: Any = 0) -> np.ndarray:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder),
    each at least ``minimum``.

    >>> apportion(10, [1, 1, 2]).tolist()
    [3, 2, 5]
    >>> apportion(5, [0, 1], minimum=[1, 0]).tolist()
    [1, 4]
    """
    w = np.asarray(weights, dtype=float)
    base = np.broadcast_to(np.asarray(minimum, dtype=np.int64), w.shape).copy()
    rest = total - int(base.sum())
    if rest < 0:
        raise ScenarioError(
            f"cannot split {total} into {len(w)} parts with minimums adding up to {int(base.sum())}"
        )
    if rest == 0 or len(w) == 0:
        return base
    if w.sum() <= 0:
        w = np.ones_like(w)
    share = w / w.sum() * rest
    floor = np.floor(share).astype(np.int64)
    left = rest - int(floor.sum())
    order = np.argsort(-(share - floor), kind="stable")
    floor[order[:left]] += 1
    return base + floor


def _days(d: date) -> int:
    return (d - _EPOCH).days


def _date_array(days: np.ndarray) -> pa.Array:
    return pa.array(days.astype(np.int32), pa.date32())


class _Names:
    def __init__(self, rng: np.random.Generator) -> None:
        from faker.providers.person.zh_CN import Provider

        self.rng = rng
        surnames = list(Provider.last_names.items())
        self.surnames = np.array([s for s, _ in surnames])
        w = np.array([float(x) for _, x in surnames])
        self.surname_p = w / w.sum()
        self.male = np.array(Provider.first_names_male)
        self.female = np.array(Provider.first_names_female)
        self.male_single = np.array([n for n in Provider.first_names_male if len(n) == 1])
        self.female_single = np.array([n for n in Provider.first_names_female if len(n) == 1])

    def surname(self, n: int) -> np.ndarray:
        return self.rng.choice(self.surnames, size=n, p=self.surname_p)

    def given(self, male: np.ndarray) -> np.ndarray:
        """Given names of one or two characters, from Faker's zh_CN lists."""
        n = len(male)
        first = np.where(
            male,
            self.male[self.rng.integers(0, len(self.male), n)],
            self.female[self.rng.integers(0, len(self.female), n)],
        )
        second = np.where(
            male,
            self.male_single[self.rng.integers(0, len(self.male_single), n)],
            self.female_single[self.rng.integers(0, len(self.female_single), n)],
        )
        two = (np.char.str_len(first) == 1) & (self.rng.random(n) < 0.7)
        return np.where(two, np.char.add(first, second), first)

    def one(self, male: bool = True) -> str:
        return str(self.surname(1)[0]) + str(self.given(np.array([male]))[0])


_ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int32)
_ID_CHECK = np.frombuffer(b"10X98765432", dtype=np.uint8)


def _fixed_width_bytes(strings: pa.Array, width: int) -> np.ndarray:
    """The characters of equal-width ASCII strings as an (n, width) uint8 view."""
    strings = (
        pc.cast(strings, pa.string()).combine_chunks()
        if isinstance(strings, pa.ChunkedArray)
        else pc.cast(strings, pa.string())
    )
    data = np.frombuffer(strings.buffers()[2], dtype=np.uint8)
    start = strings.offset * width
    return data[start : start + len(strings) * width].reshape(len(strings), width)


def id_numbers(
    county: pa.Array, birth: pa.Array, male: np.ndarray, rng: np.random.Generator
) -> pa.Array:
    """GB 11643 resident ID numbers (with valid check digits), vectorized.

    ``county``: 6-digit codes; ``birth``: date32 birthdays; ``male``: bool
    (the sequence digit is odd for men).
    """
    n = len(male)
    sequence = pc.utf8_lpad(
        pc.cast(pa.array(rng.integers(0, 500, n) * 2 + male), pa.string()), 3, "0"
    )
    body = pc.binary_join_element_wise(
        pa.array(county, pa.string()), pc.strftime(birth, format="%Y%m%d"), sequence, ""
    )
    digits = _fixed_width_bytes(body, 17)
    total = np.zeros(n, dtype=np.int32)
    for i, weight in enumerate(_ID_WEIGHTS):
        total += (digits[:, i].astype(np.int32) - ord("0")) * weight
    check = pa.array(_ID_CHECK[total % 11].view("S1"), pa.binary()).cast(pa.string())
    return pc.binary_join_element_wise(body, check, "")


def phones(n: int, rng: np.random.Generator) -> pa.Array:
    """Well-formed mainland mobile numbers: 1, then 3–9, then nine digits."""
    head = pa.array(np.array(list("3456789"))[rng.integers(0, 7, n)])
    rest = pc.utf8_lpad(pc.cast(pa.array(rng.integers(0, 10**9, n)), pa.string()), 9, "0")
    return pc.binary_join_element_wise(pa.scalar("1"), head, rest, "")


def _date(days: int | None) -> date | None:
    return None if days is None else _EPOCH + timedelta(days=int(days))


def _level_label(level: str) -> Label:
    return {
        "province": L.PROVINCE,
        "prefecture": L.PREFECTURE,
        "county": L.COUNTY,
        "township": L.TOWNSHIP,
        "village": L.VILLAGE,
    }[level]
