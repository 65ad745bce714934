"""Real administrative divisions of all of mainland China: NBS 2023 statistical division codes.

The table shipped in ``loaders/data/divisions`` (see its README for provenance and license)
is read lazily: the four upper levels (45,000 units) at the first question, a province's
villages when a question first reaches one of them, so start-up pays nothing and a county
in Gansu never reads Guangdong. Codes are kept in prefix form: province 2 digits,
prefecture 4, county 6, township 9, village 12.
"""

from __future__ import annotations

import csv
import gzip
import io
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ..errors import NotFound

__all__ = [
    "LEVELS",
    "Division",
    "Divisions",
    "load_divisions",
    "normalize_code",
    "pad_code",
    "short_place_name",
]

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
        return short_place_name(self.name)


_COMMITTEE = (
    ("村民委员会", "村"),
    ("村委会", "村"),
    ("社区居民委员会", "社区"),
    ("社区居委会", "社区"),
    ("居民委员会", "社区"),
    ("居委会", "社区"),
    ("嘎查委员会", "嘎查"),
)
_KIND_SUFFIXES = ("街道办事处", "街道", "社区", "嘎查", "苏木", "村", "镇", "乡")


def short_place_name(name: str) -> str:
    """A place's name without a committee suffix: ``庆坪村民委员会``, ``庆坪村委会`` and
    ``庆坪村`` are all ``庆坪村``; ``南头城社区居委会`` is ``南头城社区``."""
    name = name.strip()
    for suffix, repl in _COMMITTEE:
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            return stem if stem.endswith(repl) else stem + repl
    return name


def _bare(name: str) -> str:
    """The name without its kind either (``庆坪村`` → ``庆坪``, ``城关镇`` → ``城关``)."""
    short = short_place_name(name)
    for suffix in _KIND_SUFFIXES:
        if short.endswith(suffix) and len(short) > len(suffix):
            return short[: -len(suffix)]
    return short


class Divisions:
    """Divisions by code, with their children; villages come in a province at a time
    (``villages(province)`` gives them) the first time a question reaches them."""

    def __init__(
        self,
        divisions: Iterable[Division],
        villages: Callable[[str], list[Division]] | None = None,
    ) -> None:
        self._by_code: dict[str, Division] = {}
        self._children: dict[str, list[str]] = {}
        self._villages = villages
        self._provinces_read: set[str] = set()
        self._lock = threading.Lock()
        self._add(divisions)

    def _add(self, divisions: Iterable[Division]) -> None:
        touched = set()
        for d in divisions:
            self._by_code[d.code] = d
            if d.parent is not None:
                self._children.setdefault(d.parent, []).append(d.code)
                touched.add(d.parent)
        for parent in touched:
            self._children[parent].sort()

    def _reach(self, code: str) -> None:
        """Make sure the villages under ``code`` are read (every province for ``""``)."""
        if self._villages is None:
            return
        provinces = [code[:2]] if code else sorted(c for c in self._by_code if len(c) == 2)
        for province in provinces:
            if province not in self._provinces_read:
                with self._lock:
                    if province not in self._provinces_read:
                        self._add(self._villages(province))
                        self._provinces_read.add(province)

    def __contains__(self, code: object) -> bool:
        if isinstance(code, str) and len(code) == 12:
            self._reach(code)
        return code in self._by_code

    def __len__(self) -> int:
        self._reach("")
        return len(self._by_code)

    def get(self, code: str) -> Division:
        try:
            prefix = normalize_code(code)
            if len(prefix) == 12:
                self._reach(prefix)
            return self._by_code[prefix]
        except (KeyError, ValueError):
            raise NotFound(f"no division with code {code!r} in the NBS 2023 table") from None

    def children(self, code: str) -> list[Division]:
        code = normalize_code(code)
        if len(code) == 9:
            self._reach(code)
        return [self._by_code[c] for c in self._children.get(code, [])]

    def chain(self, code: str) -> list[Division]:
        """The division and every unit above it, top first."""
        out = [self.get(code)]
        while out[-1].parent is not None:
            out.append(self._by_code[out[-1].parent])
        return out[::-1]

    def path(self, code: str) -> str:
        """The full path of names, top first: ``甘肃省 庆阳市 镇原县 城关镇``."""
        return " ".join(d.name for d in self.chain(code))

    def descendants(self, code: str, level: str) -> list[Division]:
        """Every unit of ``level`` under ``code``, in code order."""
        code = normalize_code(code) if code else ""
        if level == "village":
            self._reach(code)
        return sorted(
            (d for d in self._by_code.values() if d.level == level and d.code.startswith(code)),
            key=lambda d: d.code,
        )

    def named(self, name: str, *, within: str, level: str) -> list[Division]:
        """The units of ``level`` under ``within`` called ``name`` as offices write it:
        the full name, without the committee suffix, or without the kind (庆坪村民委员会,
        庆坪村委会, 庆坪村, 庆坪 all name 庆坪村民委员会). The exact full name wins."""
        units = self.descendants(within, level)
        exact = [d for d in units if d.name == name.strip()]
        if exact:
            return exact
        short, bare = short_place_name(name), _bare(name)
        same = [d for d in units if d.short_name == short]
        return same or [d for d in units if _bare(d.name) == bare]

    def search(self, text: str, *, within: str = "", limit: int = 50) -> list[Division]:
        """Units whose code is ``text`` (any accepted form) or whose name contains it, under
        ``within`` (a code; everywhere when empty), upper levels first, then by code."""
        text = text.strip()
        if text.isdigit():
            try:
                return [self.get(text)]
            except NotFound:
                return []
        within = normalize_code(within) if within else ""
        self._reach(within)
        found = [d for d in self._by_code.values()
                 if d.code.startswith(within) and text in d.name]  # fmt: skip
        found.sort(key=lambda d: (len(d.code), d.code))
        return found[:limit]


def _open(name: str) -> io.StringIO:
    path = resources.files("govgraph.loaders") / "data" / "divisions" / name
    raw = path.read_bytes()
    if name.endswith(".gz"):
        raw = gzip.decompress(raw)
    return io.StringIO(raw.decode("utf-8"), newline="")


def _rows(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(_open(name)))


def _villages(province: str) -> list[Division]:
    try:
        reader = csv.reader(_open(f"villages/{province}.csv.gz"))
    except FileNotFoundError:
        return []
    next(reader)
    return [Division(code, name, "village", code[:9]) for code, name in reader]


@cache
def load_divisions() -> Divisions:
    """The NBS 2023 table of all of mainland China (read lazily; see the module docstring)."""
    out: list[Division] = []
    for r in _rows("provinces.csv"):
        out.append(Division(r["code"], r["name"], "province", None))
    for r in _rows("cities.csv"):
        out.append(Division(r["code"], r["name"], "prefecture", r["provinceCode"]))
    for r in _rows("areas.csv"):
        out.append(Division(r["code"], r["name"], "county", r["cityCode"]))
    for r in _rows("streets.csv.gz"):
        out.append(Division(r["code"], r["name"], "township", r["areaCode"]))
    return Divisions(out, _villages)
