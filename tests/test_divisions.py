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
    with pytest.raises(NotFound, match="629999"):
        load_divisions().get("629999")
    with pytest.raises(NotFound, match="621027100999"):
        load_divisions().get("621027100999")


def test_the_whole_country_is_there_and_read_a_province_at_a_time() -> None:
    from govgraph.loaders.divisions import Divisions, _villages

    reads: list[str] = []

    def villages(province: str) -> list:  # type: ignore[type-arg]
        reads.append(province)
        return _villages(province)

    whole = load_divisions()
    divs = Divisions([whole.get(c) for c in ("44", "4403", "440305", "440305001")], villages)
    assert reads == []  # nothing read before a question reaches a village
    assert [d.code for d in divs.children("440305001")][:1] == ["440305001001"]
    assert "440305001001" in divs and reads == ["44"]
    assert len(whole.descendants("", "province")) == 31
    assert len(whole.descendants("", "county")) == 2978
    assert len(whole.descendants("", "township")) == 41352
    assert whole.path("110101") == "北京市 市辖区 东城区"
