from __future__ import annotations

import pytest

from govgraph.errors import NotFound
from govgraph.loaders.divisions import load_divisions, normalize_code, pad_code


def test_the_real_divisions_agree_with_the_reports() -> None:
    divs = load_divisions()
    assert divs.get("621123109").name == "庆坪镇"
    assert len(divs.children("621123109")) == 14
    assert divs.get("140225210").name == "吴城乡"
    assert len(divs.children("140225210")) == 10
    assert len(divs.descendants("621027", "township")) == 19
    assert len(divs.descendants("621027", "village")) == 222
    assert len(divs.descendants("520329", "township")) == 10
    assert len(divs.descendants("520329", "village")) == 71
    assert [d.name for d in divs.chain("621027100201")][:4] == [
        "甘肃省",
        "庆阳市",
        "镇原县",
        "城关镇",
    ]


def test_unit_kinds_and_short_names() -> None:
    divs = load_divisions()
    assert divs.get("621123109201").short_name == "庆坪村"
    assert divs.get("621123109201").kind == "村"
    assert divs.get("621027100001").kind == "社区"
    assert divs.get("621027100001").short_name == "东街社区"
    assert divs.get("621123109").kind == "镇"
    assert divs.get("140225210").kind == "乡"


@pytest.mark.parametrize(
    ("code", "prefix"),
    [
        ("62", "62"),
        ("621027000000", "621027"),
        ("620000000000", "62"),
        ("621027100000", "621027100"),
        ("621027100201", "621027100201"),
        (" 6210 ", "6210"),
    ],
)
def test_codes_normalize_to_prefix_form(code: str, prefix: str) -> None:
    assert normalize_code(code) == prefix
    assert pad_code(prefix) == prefix.ljust(12, "0")


@pytest.mark.parametrize("bad", ["", "6", "62102", "abc", "6210271002011"])
def test_malformed_codes_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="division code"):
        normalize_code(bad)


def test_an_unknown_code_is_not_found() -> None:
    with pytest.raises(NotFound, match="110101"):
        load_divisions().get("110101")
