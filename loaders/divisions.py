"""Real administrative divisions: NBS 2023 statistical division codes.

The extract shipped in ``loaders/data/divisions`` (see its README for
provenance and license) is read once. Codes are kept in prefix form: province
2 digits, prefecture 4, county 6, township 9, village 12.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ..errors import NotFound

__all__ = ["LEVELS", "Division", "Divisions", "load_divisions", "normalize_code", "pad_code"]

LEVELS = ("province", "prefecture", "county", "township", "village")
_LEN_TO_LEVEL = {2: "province", 4: "prefecture", 6: "county", 9: "township", 12: "village"}


def pad_code(code: str) -> str:
    """Prefix form → the 12-digit published code (``621027`` → ``621027000000``)."""
    return code.ljust(12, "0")


def normalize_code(code: str) -> str:
    """Any accepted form of a division code → prefix form.

    Accepts prefix codes (2/4/6/9/12 digits) and padded 12-digit codes of any
    level (``621027000000`` → ``621027``).
    """
    code = code.strip()
    if not code.isdigit() or len(code) not in _LEN_TO_LEVEL:
        raise ValueError(f"division code {code!r}: expected 2, 4, 6, 9 or 12 digits")
    if len(code) == 12:
        for cut in (2, 4, 6, 9):
            if set(code[cut:]) == {"0"}:
                return code[:cut]
    return code


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: str
    parent: str | None

    @property
    def kind(self) -> str:
        """The unit kind as its name shows it (镇, 乡, 街道, 苏木, 村, 社区, 嘎查 …)."""
        if self.level == "village":
            n = self.name
            if "嘎查" in n:
                return "嘎查"
            if "社区" in n or "居委会" in n or "居民委员会" in n:
                return "社区"
            return "村"
        if self.level == "township":
            for suffix in ("街道", "苏木", "镇", "乡"):
                if self.name.endswith(suffix):
                    return suffix
            return "其他"
        return {"province": "省", "prefecture": "市", "county": "县"}[self.level]

    @property
    def short_name(self) -> str:
        """The name without committee suffixes (``庆坪村民委员会`` → ``庆坪村``)."""
        n = self.name
        for suffix, repl in (
            ("村民委员会", "村"),
            ("村委会", "村"),
            ("社区居民委员会", "社区"),
            ("社区居委会", "社区"),
            ("居民委员会", "社区"),
            ("居委会", "社区"),
            ("嘎查委员会", "嘎查"),
        ):
            if n.endswith(suffix):
                stem = n[: -len(suffix)]
                return stem if stem.endswith(repl) else stem + repl
        return n


class Divisions:
    """All divisions of the extract, by code, with their children."""

    def __init__(self, divisions: list[Division]) -> None:
        self._by_code = {d.code: d for d in divisions}
        self._children: dict[str, list[str]] = {}
        for d in divisions:
            if d.parent is not None:
                self._children.setdefault(d.parent, []).append(d.code)
        for kids in self._children.values():
            kids.sort()

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __len__(self) -> int:
        return len(self._by_code)

    def get(self, code: str) -> Division:
        try:
            return self._by_code[normalize_code(code)]
        except (KeyError, ValueError):
            raise NotFound(f"no division with code {code!r} in the shipped extract") from None

    def children(self, code: str) -> list[Division]:
        return [self._by_code[c] for c in self._children.get(normalize_code(code), [])]

    def chain(self, code: str) -> list[Division]:
        """The division and every unit above it, top first."""
        out = [self.get(code)]
        while out[-1].parent is not None:
            out.append(self._by_code[out[-1].parent])
        return out[::-1]

    def descendants(self, code: str, level: str) -> list[Division]:
        """Every unit of ``level`` under ``code``, in code order."""
        code = normalize_code(code)
        return sorted(
            (d for d in self._by_code.values() if d.level == level and d.code.startswith(code)),
            key=lambda d: d.code,
        )


def _rows(name: str) -> list[dict[str, str]]:
    path = resources.files("govgraph.loaders") / "data" / "divisions" / name
    text = path.read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


@cache
def load_divisions() -> Divisions:
    """The shipped extract (all of Gansu plus the seed counties elsewhere)."""
    out: list[Division] = []
    for r in _rows("provinces.csv"):
        out.append(Division(r["code"], r["name"], "province", None))
    for r in _rows("cities.csv"):
        out.append(Division(r["code"], r["name"], "prefecture", r["provinceCode"]))
    for r in _rows("areas.csv"):
        out.append(Division(r["code"], r["name"], "county", r["cityCode"]))
    for r in _rows("streets.csv"):
        out.append(Division(r["code"], r["name"], "township", r["areaCode"]))
    for r in _rows("villages.csv"):
        out.append(Division(r["code"], r["name"], "village", r["streetCode"]))
    return Divisions(out)
