"""Ledger import and export: clean and broken ledgers, encodings, Excel headers, idempotence,
periods, round trips, and an import killed with SIGKILL at every write."""

from __future__ import annotations

import csv
import datetime as dt
import filecmp
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from govgraph.backends.embedded import EmbeddedBackend
from govgraph.loaders.ledger import (
    Kind,
    LedgerFileError,
    export_ledgers,
    import_ledgers,
    kind_spec,
    read_ledger,
    write_templates,
)
from govgraph.loaders.ledger.validate import check_id_number, derived_person_id
from govgraph.schema.model import Label, Rel

TODAY = dt.date(2024, 6, 30)
V1, V2 = "621027100001", "621027100002"  # 城关镇东街社区, 西街社区 (镇原县)


def _id_number(county: str, born: str, seq: str) -> str:
    body = county + born + seq
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]


ID1 = _id_number("621027", "19800101", "001")
ID2 = _id_number("621027", "19850505", "002")
ID3 = _id_number("621027", "19700303", "013")
BAD_ID = ID1[:17] + ("0" if ID1[17] != "0" else "1")


def _header(kind: Kind, keys: list[str]) -> list[str]:
    spec = kind_spec(kind)
    return [spec.column(k).zh for k in keys]


def _csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def _counts(backend: EmbeddedBackend) -> dict[str, dict[str, int]]:
    return backend.counts()


def _rels(backend: EmbeddedBackend, rel: Rel, source: Label, target: Label, ids: list[str]
          ) -> list[dict[str, Any]]:  # fmt: skip
    return sorted(
        backend.fetch_relationships(rel, source, target, ids).to_pylist(),
        key=lambda r: (r["target"], str(r.get("valid_from"))),
    )


# -- a small clean set -------------------------------------------------------------

WORKER_KEYS = ["grid_id", "grid_name", "grid_division", "person_id", "name", "id_number", "phone",
               "role", "employment", "valid_from"]  # fmt: skip
HOUSEHOLD_KEYS = ["household_id", "village_code", "grid_id", "grid_since", "address",
                  "person_id", "name", "relation", "id_number", "phone", "tags"]  # fmt: skip


def _clean(tmp: Path) -> list[Path]:
    workers = [
        _header(Kind.WORKERS, WORKER_KEYS),
        ["G1", "东街第1网格", V1, "W1", "李明", ID3, "13800000001", "网格员", "专职", "2022-01-01"],
        ["G2", "东街第2网格", V1, "W1", "李明", ID3, "13800000001", "网格员", "专职", "2022-01-01"],
        ["G3", "西街第1网格", V2, "", "", "", "", "", "", ""],
    ]
    households = [
        _header(Kind.HOUSEHOLDS, HOUSEHOLD_KEYS),
        ["H1", V1, "G1", "2021年3月1日", "东街1号", "", "张三", "户主", ID1, "139 0000 0002", ""],
        ["H1", V1, "G1", "2021/3/1", "东街1号", "", "王芳", "配偶", ID2, "", ""],
        ["H2", V1, "G2", "20210301", "东街2号", "P9", "赵四", "户主", "", "", "独居老人"],
        ["H3", V2, "", "", "西街3号", "", "", "", "", "", "低保户、残疾人"],
    ]
    links = [
        _header(Kind.LINKS, ["person_id", "name", "household_id", "valid_from"]),
        ["W1", "李明", "H3", "2023-01-01"],
    ]
    visits = [
        _header(Kind.VISITS, ["person_id", "name", "household_id", "date", "purpose"]),
        ["W1", "李明", "H1", "2024-06-01", "日常走访"],
        ["W1", "", "H2", "2024.6.2", "政策宣传"],
    ]
    cases = [
        _header(Kind.CASES, ["case_id", "village_code", "type", "opened", "tier", "status",
                             "households", "reporter_id", "reported", "supervised"]),
        ["K1", V1, "邻里纠纷", "2024-06-20", "村级", "受理", "H1、H2", "W1", "2024-06-20", "否"],
    ]  # fmt: skip
    return [
        _csv(tmp / "网格员名册.csv", workers),
        _csv(tmp / "户情台账.csv", households, "gbk"),
        _csv(tmp / "党员联系户.csv", links, "utf-8-sig"),
        _csv(tmp / "走访记录.csv", visits),
        _csv(tmp / "矛盾纠纷台账.csv", cases, "gb18030"),
    ]


def test_a_clean_set_imports_exactly(store: EmbeddedBackend, tmp_path: Path) -> None:
    files = _clean(tmp_path)
    report = import_ledgers(store, files, today=TODAY, quarantine_dir=tmp_path / "q")
    assert report.problems == []
    assert [f.encoding for f in report.files] == ["utf-8", "gb18030", "utf-8-sig", "utf-8",
                                                  "gb18030"]  # fmt: skip
    nodes, rels = store.counts()["nodes"], store.counts()["relationships"]
    assert {k: nodes[k] for k in ("Household", "Person", "Grid", "Case", "Village")} == {
        "Household": 3, "Person": 4, "Grid": 3, "Case": 1, "Village": 2,
    }  # fmt: skip
    assert (nodes["Province"], nodes["Prefecture"], nodes["County"], nodes["Township"]) == (
        1, 1, 1, 1,
    )  # fmt: skip
    assert {k: rels[k] for k in ("IN_GRID", "MEMBER_OF", "GRID_WORKER_OF", "LINKS_HOUSEHOLD",
                                 "VISITED", "CONCERNS", "REPORTED_BY", "GRID_IN", "LOCATED_IN",
                                 "PART_OF")} == {
        "IN_GRID": 2, "MEMBER_OF": 3, "GRID_WORKER_OF": 2, "LINKS_HOUSEHOLD": 1, "VISITED": 2,
        "CONCERNS": 2, "REPORTED_BY": 1, "GRID_IN": 3, "LOCATED_IN": 3, "PART_OF": 5,
    }  # fmt: skip
    stored = store.fetch_nodes(
        Label.PERSON, ["W1", "P9", derived_person_id(ID1), derived_person_id(ID2)]
    ).to_pylist()
    assert all("*" in p["phone"] for p in stored if p["phone"])  # masked at rest
    people = {p["id"]: p for p in store.reveal(stored, person="id")}
    zhang = people[derived_person_id(ID1)]
    assert (zhang["name"], zhang["phone"], zhang["birth_year"], zhang["division_code"]) == (
        "张三", "13900000002", 1980, V1)  # fmt: skip
    assert people["W1"]["party_member"] is True  # it links a household
    h = {r["id"]: r for r in store.fetch_nodes(Label.HOUSEHOLD, ["H1", "H2", "H3"]).to_pylist()}
    assert (h["H1"]["size"], h["H3"]["size"], sorted(h["H3"]["tags"])) == (
        2, 0, ["disability", "low_income"])  # fmt: skip
    grid = _rels(store, Rel.IN_GRID, Label.HOUSEHOLD, Label.GRID, ["H1"])
    assert grid == [{"source": "H1", "target": "G1", "valid_from": dt.date(2021, 3, 1),
                     "valid_to": None}]  # fmt: skip
    # the question layer sees the imported graph
    from govgraph import questions as q

    chain = q.responsible(store, "H1", as_of=TODAY)
    assert "W1" in {r.id for r in chain.people()}


def test_reimport_is_a_no_op(store: EmbeddedBackend, tmp_path: Path) -> None:
    files = _clean(tmp_path)
    import_ledgers(store, files, today=TODAY)
    before = store.counts()
    again = import_ledgers(store, files, today=TODAY)
    assert again.created == {} and again.updated == {} and not again.written
    assert all(f.unchanged == f.rows for f in again.files)
    assert store.counts() == before


def test_a_report_says_where_its_seconds_went(store: EmbeddedBackend, tmp_path: Path) -> None:
    files = _clean(tmp_path)
    first = import_ledgers(store, files, today=TODAY)
    assert list(first.stages) == ["read", "check", "plan", "write"]
    assert all(s > 0 for s in first.stages.values())
    assert sum(first.stages.values()) <= first.seconds
    again = import_ledgers(store, files, today=TODAY)  # nothing to write: no writing
    assert list(again.stages) == ["read", "check", "plan"]
    assert list(again.to_dict()["stages"]) == ["read", "check", "plan"]


@pytest.mark.parametrize(
    "cell",
    ["H1", " H1", "H1 ", "\u3000H1", "H1\t", '"H1"', '" H1 "', '"H1\r\n"'],
)
def test_cells_are_stripped_however_the_file_is_written(tmp_path: Path, cell: str) -> None:
    """A file with no quote and no space is taken as it stands (nothing to strip); any other
    is stripped cell by cell: both read the same."""
    header = ",".join(_header(Kind.VISITS, ["person_id", "household_id", "date"]))
    for end in ("\n", "\r\n"):
        path = tmp_path / "走访记录.csv"
        path.write_text(f"{header}{end}W1,{cell},2024-06-01{end}{end}W2,H2,2024-06-02", "utf-8")
        sheet = read_ledger(path)
        assert sheet.rows == [(2, ["W1", "H1", "2024-06-01"]), (4, ["W2", "H2", "2024-06-02"])]


def test_the_store_is_counted_only_for_many_ids_and_skipped_only_where_it_holds_none(
    store: EmbeddedBackend, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A label's ids are not sent to a store that holds none of that label (a first import),
    which costs a count, asked only for many ids: the field's one-row writes plan here too."""
    from govgraph.loaders.ledger import plan_rows

    files = _clean(tmp_path)

    def counted(self: EmbeddedBackend, label: Label) -> bool:
        raise AssertionError(f"{label} counted for a few ids")

    with monkeypatch.context() as m:
        m.setattr(EmbeddedBackend, "holds", counted)
        import_ledgers(store, files, today=TODAY)
    expected = store.counts()
    with EmbeddedBackend(tmp_path / "counted") as other:
        monkeypatch.setattr(plan_rows, "_FEW", 0)  # every label counted first
        first = import_ledgers(other, files, today=TODAY)
        assert first.problems == [] and other.counts() == expected
        again = import_ledgers(other, files, today=TODAY)  # now held: looked up, not doubled
        assert again.created == {} and again.updated == {} and other.counts() == expected


def test_dry_run_and_strict_write_nothing(store: EmbeddedBackend, tmp_path: Path) -> None:
    files = _clean(tmp_path)
    empty = store.counts()
    dry = import_ledgers(store, files, today=TODAY, dry_run=True)
    assert dry.created["Household"] == 3 and not dry.written
    assert store.counts() == empty
    broken = _csv(tmp_path / "bad.csv", [
        _header(Kind.VISITS, ["person_id", "household_id", "date"]), ["W1", "H404", "2024-01-01"],
    ])  # fmt: skip
    strict = import_ledgers(store, [*files, broken], today=TODAY, strict=True)
    assert strict.quarantined == 1 and not strict.written
    assert store.counts() == empty


def test_a_changed_row_closes_the_old_period(store: EmbeddedBackend, tmp_path: Path) -> None:
    files = _clean(tmp_path)
    import_ledgers(store, files, today=TODAY)
    moved = tmp_path / "moved"
    moved.mkdir()
    households = [
        _header(Kind.HOUSEHOLDS, ["household_id", "village_code", "grid_id", "grid_since"]),
        ["H1", V1, "G2", "2024-05-01"],
    ]
    workers = [
        _header(Kind.WORKERS, ["grid_id", "person_id", "role", "valid_from"]),
        ["G1", "W1", "网格员", "2024-04-01"],  # W1 now serves G1 only
    ]
    links = [
        _header(Kind.LINKS, ["person_id", "household_id", "valid_from", "valid_to"]),
        ["W1", "H3", "2023-01-01", "2024-02-29"],  # the link ended
    ]
    report = import_ledgers(
        store,
        [_csv(moved / "h.csv", households), _csv(moved / "w.csv", workers),
         _csv(moved / "l.csv", links)],
        today=TODAY,
    )  # fmt: skip
    assert report.problems == []
    assert report.files[0].updated == 1 and report.files[1].updated == 1
    assert _rels(store, Rel.IN_GRID, Label.HOUSEHOLD, Label.GRID, ["H1"]) == [
        {"source": "H1", "target": "G1", "valid_from": dt.date(2021, 3, 1),
         "valid_to": dt.date(2024, 4, 30)},
        {"source": "H1", "target": "G2", "valid_from": dt.date(2024, 5, 1), "valid_to": None},
    ]  # fmt: skip
    posts = _rels(store, Rel.GRID_WORKER_OF, Label.PERSON, Label.GRID, ["W1"])
    assert [(p["target"], p["valid_from"], p["valid_to"], p["employment"]) for p in posts] == [
        ("G1", dt.date(2022, 1, 1), None, "full_time"),  # still serving: the period goes on
        ("G2", dt.date(2022, 1, 1), dt.date(2024, 3, 31), "full_time"),  # closed, not deleted
    ]
    link = _rels(store, Rel.LINKS_HOUSEHOLD, Label.PERSON, Label.HOUSEHOLD, ["W1"])
    assert [(r["valid_from"], r["valid_to"]) for r in link] == [
        (dt.date(2023, 1, 1), dt.date(2024, 2, 29))
    ]
    # and again: nothing more changes
    again = import_ledgers(store, [moved / "h.csv", moved / "w.csv", moved / "l.csv"],
                           today=TODAY)  # fmt: skip
    assert again.created == {} and again.updated == {}


def test_a_member_s_new_link_counts_one_new_row_not_all_of_theirs(
    store: EmbeddedBackend, tmp_path: Path
) -> None:
    files = _clean(tmp_path)
    import_ledgers(store, files, today=TODAY)
    more = tmp_path / "more"
    more.mkdir()
    links = [
        _header(Kind.LINKS, ["person_id", "household_id", "valid_from"]),
        ["W1", "H3", "2023-01-01"],  # already stored
        ["W1", "H2", "2024-06-01"],  # new
    ]
    report = import_ledgers(store, [_csv(more / "l.csv", links)], today=TODAY)
    assert report.problems == []
    f = report.files[0]
    assert (f.new, f.updated, f.unchanged) == (1, 0, 1)
    assert report.created == {"LINKS_HOUSEHOLD": 1} and report.updated == {}


# -- a broken set: every kind of problem, each in a known row ----------------------


def _merged_workers_xlsx(path: Path, rows: list[list[str]]) -> Path:
    """An office's roster: a merged title, a two-row header whose upper cells are merged
    over column groups (and over both rows for the grid id)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["城关镇网格员名册（2024年6月）"])
    sheet.merge_cells("A1:H1")
    sheet.append(["*网格编号", "网格信息", "", "人员信息", "", "", "岗位", "任职日期"])
    sheet.append(["", "网格名称", "网格所属区划代码", "人员编号", "姓名", "身份证号", "", ""])
    for a, b in (("A2", "A3"), ("G2", "G3"), ("H2", "H3")):
        sheet.merge_cells(f"{a}:{b}")
    sheet.merge_cells("B2:C2")
    sheet.merge_cells("D2:F2")
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_a_broken_set_quarantines_exactly_the_bad_rows(
    store: EmbeddedBackend, tmp_path: Path
) -> None:
    workers = _merged_workers_xlsx(tmp_path / "roster.xlsx", [
        ["G1", "东街第1网格", V1, "W1", "李明", ID3, "网格员", "2022-01-01"],   # row 4 ok
        ["G2", "", "", "W1", "李明", ID3, "网格员", "2022-01-01"],            # 5 grid unknown
        ["G1", "", "", "W2", "周七", "", "组长", "2022-01-01"],               # 6 role
        ["G4", "东街第4网格", "999999999999", "", "", "", "", ""],            # 7 division
    ])  # fmt: skip
    households = _csv(tmp_path / "households.csv", [
        _header(Kind.HOUSEHOLDS, HOUSEHOLD_KEYS),
        ["H1", V1, "G1", "2021-03-01", "东街1号", "", "张三", "户主", ID1, "13900000002", ""],  # 2
        ["H2", "621027999999", "G1", "", "", "", "", "", "", "", ""],        # 3 division
        ["H3", V1, "G404", "", "", "", "", "", "", "", ""],                   # 4 grid
        ["H4", V1, "G1", "", "", "", "钱五", "户主", BAD_ID, "", ""],         # 5 check digit
        ["H5", V1, "G1", "", "", "", "孙六", "户主", ID2, "12345", ""],        # 6 phone
        ["H6", V1, "G1", "2023-02-30", "", "", "", "", "", "", ""],           # 7 impossible
        ["H7", V1, "G1", "2030-01-01", "", "", "", "", "", "", ""],           # 8 future
        ["", V1, "G1", "", "", "", "", "", "", "", ""],                       # 9 no id
        ["H1", V1, "G1", "2021-03-01", "东街9号", "", "", "", "", "", ""],      # 10 conflict
        ["H8", V1, "G1", "", "", "", "吴八", "户主", "", "", ""],              # 11 no person id
        ["H9", V1, "G1", "", "", "", "", "", "", "", "贫困"],                  # 12 tag
    ], "gbk")  # fmt: skip
    cases = _csv(tmp_path / "cases.csv", [
        _header(Kind.CASES, ["case_id", "village_code", "type", "opened", "tier", "status"]),
        ["K1", V1, "邻里纠纷", "2024-06-01", "村级", "受理"],      # 2 ok
        ["K2", V1, "打架", "2024-06-01", "村级", "受理"],          # 3 type
        ["K3", V1, "债务纠纷", "2024-06-01", "省级", "受理"],      # 4 tier
        ["K4", V1, "债务纠纷", "2024-06-01", "县级", "搁置"],      # 5 status
    ], "utf-8-sig")  # fmt: skip
    links = _csv(tmp_path / "links.csv", [
        _header(Kind.LINKS, ["person_id", "name", "household_id"]),
        ["W1", "李明", "H1"],    # 2 ok
        ["W1", "李明", "H999"],  # 3 household unknown
    ])  # fmt: skip
    visits = _csv(tmp_path / "visits.csv", [
        _header(Kind.VISITS, ["person_id", "household_id", "date"]),
        ["W1", "H1", "2024-06-01"],   # 2 ok
        ["W9", "H1", "2024-06-01"],   # 3 visitor unknown
        ["W1", "H4", "2024-06-01"],   # 4 household refused above
    ])  # fmt: skip
    report = import_ledgers(
        store, [households, workers, cases, links, visits], today=TODAY,
        quarantine_dir=tmp_path / "q",
    )  # fmt: skip
    got = {(Path(p.file).name, p.row): (p.column, p.reason) for p in report.problems}
    expected = {
        ("roster.xlsx", 5): ("*网格编号", "grid G2 does not exist"),
        ("roster.xlsx", 6): ("岗位", "not one of 网格员"),
        ("roster.xlsx", 7): ("网格所属区划代码", "unknown division code"),
        ("households.csv", 3): ("所属村（社区）代码", "unknown division code"),
        ("households.csv", 4): ("所属网格编号", "Grid G404 does not exist"),
        ("households.csv", 5): ("身份证号", "check digit wrong"),
        ("households.csv", 6): ("联系电话", "not a phone number"),
        ("households.csv", 7): ("入格日期", "no such day: 2023-02-30"),
        ("households.csv", 8): ("入格日期", "date in the future"),
        ("households.csv", 9): ("户编号", "missing (required)"),
        ("households.csv", 10): ("住址", "has address = '东街1号' on row 2"),
        ("households.csv", 11): ("人员编号", "needs 人员编号 or 身份证号"),
        ("households.csv", 12): ("关爱类别", "not one of 独居老人"),
        ("cases.csv", 3): ("纠纷类型", "not one of 邻里纠纷"),
        ("cases.csv", 4): ("办理层级", "not one of 村级"),
        ("cases.csv", 5): ("办理状态", "not one of 受理"),
        ("links.csv", 3): ("联系户编号", "Household H999 does not exist"),
        ("visits.csv", 3): ("走访人编号", "Person W9 does not exist"),
        ("visits.csv", 4): ("户编号", "Household H4 does not exist"),
    }
    assert set(got) == set(expected)
    for where, (column, reason) in expected.items():
        assert got[where][0] == column and reason in got[where][1], (where, got[where])
    # the good rows went in
    assert store.fetch_nodes(Label.HOUSEHOLD, ["H1"]).num_rows == 1
    assert store.fetch_nodes(Label.CASE, ["K1", "K2"]).column("id").to_pylist() == ["K1"]
    assert store.counts()["relationships"]["VISITED"] == 1
    assert store.counts()["nodes"]["Household"] == 1
    # quarantine files: same format and encoding as each input, the reasons added
    q = tmp_path / "q"
    text = (q / "households.quarantine.csv").read_bytes().decode("gb18030")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0][-2:] == ["问题说明", "原行号"] and len(lines) == 11
    assert lines[3][0] == "H4" and "check digit" in lines[3][-2] and lines[3][-1] == "5"
    assert (q / "cases.quarantine.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    from openpyxl import load_workbook

    sheet = load_workbook(q / "roster.quarantine.xlsx").active
    assert sheet is not None
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["G2", "G1", "G4"]
    assert (q / "report.json").exists()
    # the refused rows, corrected, go in on a second run
    fixed = _csv(tmp_path / "cases2.csv", [
        _header(Kind.CASES, ["case_id", "village_code", "type", "opened", "tier", "status"]),
        ["K2", V1, "其他纠纷", "2024-06-01", "村级", "受理"],
    ])  # fmt: skip
    assert import_ledgers(store, [fixed], today=TODAY).files[0].new == 1


def test_unreadable_files_say_why(tmp_path: Path) -> None:
    (tmp_path / "x.csv").write_text("a,b\n1,2\n")
    with pytest.raises(LedgerFileError, match="no ledger header"):
        read_ledger(tmp_path / "x.csv")
    (tmp_path / "y.csv").write_text("户编号,住址,姓名\nH1,东街,张三\n")
    with pytest.raises(LedgerFileError, match="lacks the column"):
        read_ledger(tmp_path / "y.csv")
    (tmp_path / "z.xlsx").write_bytes(b"not a zip")
    with pytest.raises(LedgerFileError, match=r"not a readable \.xlsx"):
        read_ledger(tmp_path / "z.xlsx")
    (tmp_path / "w.xls").write_bytes(b"")
    with pytest.raises(LedgerFileError, match=r"\.xls"):
        read_ledger(tmp_path / "w.xls")


@pytest.mark.parametrize(
    "text",
    ["2023年5月1日", "2023/5/1", "2023-05-01", "20230501", "2023.5.1", "2023-05-01 00:00:00"],
)
def test_common_date_forms(text: str) -> None:
    from govgraph.loaders.ledger.validate import parse_date

    assert parse_date(text, TODAY) == dt.date(2023, 5, 1)


def test_id_numbers_and_phones() -> None:
    from govgraph.loaders.ledger.validate import CellError, parse_phone

    assert check_id_number(ID1.lower(), TODAY) == ID1.upper()
    with pytest.raises(CellError, match="check digit"):
        check_id_number(BAD_ID, TODAY)
    assert parse_phone("+86 138-0000-0001") == "13800000001"
    assert parse_phone("0934-8212345") == "0934-8212345"
    for bad in ("12800000001", "1380000000", "hello"):
        with pytest.raises(CellError):
            parse_phone(bad)


def test_id_numbers_checked_all_at_once_agree_with_one_by_one() -> None:
    """The column-wide check accepts exactly the ASCII numbers :func:`check_id_number`
    accepts: wrong check digits, days that do not exist (29 February of 1900 and 2100, not
    of 2000), births after today or before 1900, lengths. Anything else (full-width digits,
    which the cell's NFKC form turns into ASCII) is left to it."""
    from govgraph.loaders.ledger.validate import CellError, _good_id_numbers
    from govgraph.privacy import id_check_digit

    def with_check(body: str) -> str:
        return body + id_check_digit(body)

    bodies = [
        "62102719491231002",
        "62102720000229001",
        "62102719000229001",
        "62102721000228001",
        "62102719000101001",
        "62102718991231001",
        "62102720231215001",
        "62102720231216001",
        "62102719801301001",
        "62102719800100001",
        "62102719800431001",
        "62102719800228001",
    ]
    texts = [with_check(b) for b in bodies]
    texts += [t.lower() for t in texts if t.endswith("X")]
    texts += [
        ID1,
        ID1.lower(),
        BAD_ID,
        ID1[:-1],
        ID1 + "0",
        "６" + ID1[1:],
        "62102719491231002Y",
        "",
    ]
    wanted = []
    for text in texts:
        try:
            check_id_number(text, TODAY)
            wanted.append(text)
        except CellError:
            pass
    assert sorted(_good_id_numbers(texts, TODAY)) == sorted(t for t in wanted if t.isascii())
    assert 8 <= len(wanted) < len(texts)  # both kinds are there


def test_masks_over_a_column_are_the_masks_one_by_one() -> None:
    import pyarrow as pa

    from govgraph.privacy import _masked, mask_id_number, mask_phone

    values = [
        "620102198001010012",
        "13800005678",
        "0931-1234567",
        "1234567",
        "12",
        "一二三四五六七八九十",
    ]
    assert _masked(pa.array(values), "id_number").to_pylist() == [mask_id_number(v) for v in values]
    assert _masked(pa.array(values), "phone").to_pylist() == [mask_phone(v) for v in values]


def test_templates_read_back_as_their_kind(tmp_path: Path) -> None:
    paths = write_templates(tmp_path)
    assert len(paths) == 2 * len(Kind)
    for path in paths:
        sheet = read_ledger(path)
        assert sheet.kind.kind.value == path.stem and sheet.rows == []
        assert set(sheet.positions) == {c.key for c in sheet.kind.columns}


# -- a scenario's ledgers: round trip -------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_import_export_is_exact(loaded: Any, tmp_path: Path, fmt: str) -> None:
    source = loaded("qingping")
    area = source.scenario.spec.area
    if fmt == "xlsx":  # Excel is slow to write and read: one village is enough
        area = source.backend.read("sample_households", {"area": area, "limit": 1})[0]["id"][1:13]
    first = export_ledgers(source.backend, area, tmp_path / "a", fmt=fmt, unmasked=True)
    target = EmbeddedBackend(tmp_path / "store")
    try:
        report = import_ledgers(target, list(first.values()), today=dt.date.today())
        assert report.problems == [] and report.written
        theirs, ours = source.backend.counts(), target.counts()
        if fmt == "csv":  # the whole scenario: everything in the ledgers came back
            for label in ("Household", "Grid", "Case", "Village", "Township"):
                assert ours["nodes"][label] == theirs["nodes"][label], label
            for rel in (
                "VISITED",
                "LINKS_HOUSEHOLD",
                "MEMBER_OF",
                "GRID_WORKER_OF",
                "GRID_HEAD_OF",
                "CONCERNS",
                "LOCATED_IN",
                "SUBGRID_OF",
                "GRID_IN",
            ):
                assert ours["relationships"][rel] == theirs["relationships"][rel], rel
        second = export_ledgers(target, area, tmp_path / "b", fmt=fmt, unmasked=True)
        if fmt == "csv":
            for kind in first:
                assert filecmp.cmp(first[kind], second[kind], shallow=False), kind
        else:
            for kind in first:
                assert read_ledger(first[kind]).rows == read_ledger(second[kind]).rows, kind
        again = import_ledgers(target, list(second.values()), today=dt.date.today())
        assert again.created == {} and again.updated == {}
    finally:
        target.close()


def test_an_export_is_masked_unless_asked_and_an_unmasked_one_is_audited(
    loaded: Any, tmp_path: Path
) -> None:
    source = loaded("qingping")
    area = source.scenario.spec.area
    paths = export_ledgers(source.backend, area, tmp_path / "masked")
    sheet = read_ledger(paths[Kind.HOUSEHOLDS])
    pos = sheet.positions["id_number"]
    numbers = [cells[pos] for _, cells in sheet.rows if cells[pos]]
    assert numbers and all("*" in n for n in numbers)
    # such files cannot be imported back: every masked ID number is refused, nothing written
    with EmbeddedBackend(tmp_path / "target") as target:
        report = import_ledgers(target, [paths[Kind.HOUSEHOLDS]], today=TODAY)
        assert report.problems and not report.written
        assert {p.column for p in report.problems} >= {"身份证号"}

    auth = tmp_path / "auth.sqlite"
    env = {**os.environ, "GOVGRAPH_AUTH_DB": str(auth)}
    store = tmp_path / "store"  # the session's store is held open by this process
    subprocess.run([sys.executable, "-m", "govgraph", "--store", str(store), "load", "scenario",
                    "qingping"], env=env, capture_output=True, check=True)  # fmt: skip
    proc = subprocess.run([sys.executable, "-m", "govgraph", "--store", str(store),
                           "export", "--area", area, "-o", str(tmp_path / "full"),
                           "--unmasked"], env=env, capture_output=True, text=True)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    full = read_ledger(tmp_path / "full" / paths[Kind.HOUSEHOLDS].name)
    shown = [cells[full.positions["id_number"]] for _, cells in full.rows]
    assert shown and not any("*" in n for n in shown if n)
    log = subprocess.run([sys.executable, "-m", "govgraph", "audit", "--json"], env=env,
                         capture_output=True, text=True, check=True)  # fmt: skip
    (entry,) = json.loads(log.stdout)
    assert entry["method"] == "EXPORT" and "--unmasked" in entry["path"]
    assert entry["token_id"].startswith("cli:") and len(entry["records"]) >= len(shown)


# -- SIGKILL at any moment ---------------------------------------------------------------


#: one day for every import of a test run, even one that crosses midnight
_TODAY = dt.date.today().isoformat()


def _import_cmd(store: Path, files: list[Path]) -> list[str]:
    return [sys.executable, "-m", "govgraph", "--store", str(store), "import", "--json",
            "--today", _TODAY, "-q", str(store.parent / "q"), *map(str, files)]  # fmt: skip


def _snapshot(store: Path, area: str, out: Path) -> dict[str, bytes]:
    backend = EmbeddedBackend(store, read_only=True)
    try:
        paths = export_ledgers(backend, area, out, unmasked=True)
        counts = backend.counts()
    finally:
        backend.close()
    snap = {k.value: p.read_bytes() for k, p in paths.items()}
    snap["counts"] = repr(counts).encode()
    return snap


@pytest.mark.slow
def test_an_import_killed_at_any_moment_finishes_on_rerun(loaded: Any, tmp_path: Path) -> None:
    source = loaded("qingping")
    village = source.backend.read("sample_households", {"area": source.scenario.spec.area,
                                                         "limit": 1})[0]["id"][1:13]  # fmt: skip
    files = list(
        export_ledgers(source.backend, village, tmp_path / "ledgers", unmasked=True).values()
    )
    reference = tmp_path / "ref" / "store"
    reference.parent.mkdir()
    subprocess.run(_import_cmd(reference, files), check=True, capture_output=True)
    expected = _snapshot(reference, village, tmp_path / "ref-out")
    writes = 46  # node and relationship tables the import writes (fewer is fine)
    env = dict(os.environ)
    kills: list[str] = []
    for k in range(writes):
        store = tmp_path / f"k{k}" / "store"
        store.parent.mkdir()
        killed = subprocess.run(_import_cmd(store, files), capture_output=True,
                                env={**env, "GOVGRAPH_TEST_KILL_AFTER_WRITES": str(k)})  # fmt: skip
        if killed.returncode == -signal.SIGKILL:
            kills.append(f"after {k} writes")
        else:
            assert killed.returncode == 0, killed.stderr
        subprocess.run(_import_cmd(store, files), check=True, capture_output=True)
        assert _snapshot(store, village, store.parent / "out") == expected, f"killed after {k}"
    # and at moments in the middle of a statement: kill by the clock
    for delay in (0.8, 1.2, 1.6, 2.0):
        store = tmp_path / f"t{delay}" / "store"
        store.parent.mkdir()
        proc = subprocess.Popen(_import_cmd(store, files), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)  # fmt: skip
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        subprocess.run(_import_cmd(store, files), check=True, capture_output=True)
        assert _snapshot(store, village, store.parent / "out") == expected, f"killed at {delay}s"
    assert len(kills) >= 30  # most write boundaries were really hit


def test_an_import_whose_every_row_is_refused_says_nothing_was_accepted(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from govgraph.cli import cli

    households = _csv(tmp_path / "households.csv", [
        _header(Kind.HOUSEHOLDS, HOUSEHOLD_KEYS),
        ["H1", "621027999999", "G1", "", "", "", "", "", "", "", ""],  # unknown division
        ["H2", "not-a-code", "G1", "", "", "", "", "", "", "", ""],
    ])  # fmt: skip
    store = tmp_path / "store"
    args = ["--store", str(store), "import", "-q", str(tmp_path / "q"), str(households)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())  # the console wraps long lines
    assert "nothing accepted: every row was refused" in said
    assert "already holds" not in said


def test_a_household_anywhere_in_mainland_china_imports_into_its_village(
    store: EmbeddedBackend, tmp_path: Path
) -> None:
    """南头城社区 in 深圳市南山区, and one village in each of five provinces far from Gansu,
    picked from the national table."""
    from govgraph.loaders.divisions import load_divisions

    divisions = load_divisions()
    far = ["23", "31", "35", "46", "65"]  # 黑龙江, 上海, 福建, 海南, 新疆
    villages = ["440305001001"] + [divisions.descendants(p, "village")[7].code for p in far]
    rows = [_header(Kind.HOUSEHOLDS, HOUSEHOLD_KEYS)]
    for i, village in enumerate(villages):
        person_id = _id_number(village[:6], "19800101", f"{i:03d}")
        rows.append([f"HN{i}", village, "", "", f"{i}号", "", "王某", "户主", person_id,
                     "13900000002", ""])  # fmt: skip
    report = import_ledgers(store, [_csv(tmp_path / "households.csv", rows)], today=dt.date.today())
    assert report.problems == [], report.problems
    located = store.fetch_relationships(
        Rel.LOCATED_IN, Label.HOUSEHOLD, Label.VILLAGE, [f"HN{i}" for i in range(len(villages))]
    ).to_pylist()
    assert {r["source"]: r["target"] for r in located} == {
        f"HN{i}": v for i, v in enumerate(villages)
    }
    chain = [d.code for d in divisions.chain("440305001001")]
    assert store.fetch_nodes(Label.TOWNSHIP, [chain[-2]]).to_pylist()[0]["name"] == "南头街道"
    assert divisions.path("440305001001") == "广东省 深圳市 南山区 南头街道 南头城社区居委会"


def test_villages_written_by_name_are_found_in_their_township_or_refused_with_candidates(
    store: EmbeddedBackend, tmp_path: Path
) -> None:
    from govgraph.loaders.divisions import load_divisions

    keys = [*HOUSEHOLD_KEYS, "township"]
    rows = [_header(Kind.HOUSEHOLDS, keys)]

    def household(i: int, village: str, township: str = "") -> None:
        person = _id_number("621123", "19800101", f"{i:03d}")
        rows.append([f"HV{i}", village, "", "", f"{i}号", "", "王某", "户主", person,
                     "13900000002", "", township])  # fmt: skip

    household(0, "庆坪村")  # looked up in --area 621123109 (庆坪镇)
    household(1, "庆坪村民委员会")
    household(2, "庆坪村委会")
    household(3, "大庄村", "会川镇")  # the township column narrows it
    household(4, "不存在村")  # unknown: refused with the township's villages
    household(5, "大庄村", "621123")  # a county code is no township
    ledger = _csv(tmp_path / "households.csv", rows)
    report = import_ledgers(store, [ledger], today=dt.date.today(), area="621123109")
    problems = {p.row: p for p in report.problems}
    assert set(problems) == {6, 7}, report.problems
    assert "no village named '不存在村' in 甘肃省 定西市 渭源县 庆坪镇" in problems[6].reason
    assert "庆坪村" in problems[6].reason.split("there are:")[1]
    assert "township '621123'" in problems[7].reason
    located = store.fetch_relationships(
        Rel.LOCATED_IN, Label.HOUSEHOLD, Label.VILLAGE, ["HV0", "HV1", "HV2", "HV3"]
    ).to_pylist()
    divisions = load_divisions()
    (dazhuang,) = divisions.named("大庄村", within=divisions.named("会川镇", within="621123",
                                                                   level="township")[0].code,
                                  level="village")  # fmt: skip
    assert {r["source"]: r["target"] for r in located} == {
        "HV0": "621123109201", "HV1": "621123109201", "HV2": "621123109201",
        "HV3": dazhuang.code,
    }  # fmt: skip
    # without a township, a name two townships share is ambiguous: refused with both
    household(9, "大庄村")
    ambiguous = _csv(tmp_path / "again.csv", [rows[0], rows[-1]])
    again = import_ledgers(store, [ambiguous], today=dt.date.today(), area="621123")
    (problem,) = again.problems
    assert "'大庄村' names 2 places in 甘肃省 定西市 渭源县" in problem.reason
    assert "(会川镇, 621123102214)" in problem.reason and "(上湾镇, 621123111211)" in problem.reason
