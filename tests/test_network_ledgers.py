"""The ledgers of the network above the households (综治中心, 部门名册, 部门派驻, 网格变更记录,
党组织, 党员名册, 包抓台账, 案件流转): broken files quarantined row by row for the right reason,
re-import a no-op, and every scenario exported, imported into an empty store and exported
again, with the same files, counts and answers."""

from __future__ import annotations

import csv
import datetime as dt
import filecmp
import io
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from govgraph import questions as q
from govgraph.backends.embedded import EmbeddedBackend
from govgraph.loaders.ledger import Kind, export_ledgers, import_ledgers, kind_spec, read_ledger
from govgraph.schema.model import Label, Rel

from .factories import same_answers

TODAY = dt.date(2024, 6, 30)
COUNTY, TOWN = "621027", "621027100"  # 镇原县, 城关镇
V1, V2 = "621027100001", "621027100002"  # 东街社区, 西街社区


def _id_number(born: str, seq: str) -> str:
    body = COUNTY + born + seq
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]


ID1, ID2, ID3 = (
    _id_number("19700101", "011"),
    _id_number("19750505", "022"),
    _id_number("19800303", "033"),
)
BAD_ID = ID1[:17] + ("0" if ID1[17] != "0" else "1")


def _csv(path: Path, kind: Kind, keys: list[str], rows: list[list[str]], encoding: str = "utf-8"
         ) -> Path:  # fmt: skip
    spec = kind_spec(kind)
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows([[spec.column(k).zh for k in keys], *rows])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def _merged_centers_xlsx(path: Path, rows: list[list[str]]) -> Path:
    """An office's center list: a merged title and a two-row header whose upper cells are
    merged over a group of columns (and over both rows for the others)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["镇原县综治中心名录（2024年6月）"])
    sheet.merge_cells("A1:F1")
    sheet.append(["*中心编号", "中心信息", "", "", "服务区划代码", "上级中心编号"])
    sheet.append(["", "中心名称", "*层级", "*所在区划代码", "", ""])
    for col in "AEF":
        sheet.merge_cells(f"{col}2:{col}3")
    sheet.merge_cells("B2:D2")
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _broken_network(tmp: Path) -> list[Path]:
    """A small network with every kind of problem, each in a known row."""
    workers = _csv(tmp / "workers.csv", Kind.WORKERS,
                   ["grid_id", "grid_name", "grid_division", "person_id", "name", "role"], [
        ["G1", "东街第1网格", V1, "W1", "李明", "网格员"],
        ["G2", "东街第2网格", V1, "", "", ""],
    ])  # fmt: skip
    households = _csv(tmp / "households.csv", Kind.HOUSEHOLDS,
                      ["household_id", "village_code", "grid_id", "grid_since", "person_id",
                       "name", "relation"], [
        ["H1", V1, "G2", "2023-01-01", "P1", "张三", "户主"],
    ])  # fmt: skip
    cases = _csv(tmp / "cases.csv", Kind.CASES,
                 ["case_id", "village_code", "type", "opened", "tier", "status"], [
        ["K1", V1, "邻里纠纷", "2024-06-01", "乡镇级", "联合办理"],
    ])  # fmt: skip
    centers = _merged_centers_xlsx(tmp / "centers.xlsx", [
        ["GC1", "镇原县综治中心", "县级", COUNTY, "", ""],                      # 4 ok
        ["GC2", "城关镇综治中心", "乡镇级", TOWN, "", "GC1"],                   # 5 ok
        ["GC3", "东街社区综治中心", "村级", V1, f"{V1}、{V2}", "GC2"],          # 6 ok
        ["GC4", "某中心", "村级", "621027999999", "", "GC2"],                   # 7 code
        ["GC5", "某中心", "乡镇级", V1, "", "GC1"],                             # 8 level
        ["GC6", "某中心", "村级", V2, "", "GC404"],                             # 9 dangling
        ["GC2", "城关镇社会治理中心", "乡镇级", TOWN, "", "GC1"],               # 10 conflict
        ["GC7", "西街社区综治中心", "村级", V2, "", "GC3"],                     # 11 not above
        ["GC8", "", "村级", V2, "", "GC2"],                                     # 12 no name
    ])  # fmt: skip
    departments = _csv(tmp / "departments.csv", Kind.DEPARTMENTS,
                       ["department_id", "name", "kind", "tier", "division"], [
        ["D1", "城关派出所", "派出所", "乡镇级", TOWN],              # 2 ok
        ["D2", "镇原县公安局", "公安局", "县级", COUNTY],            # 3 ok (the county's word)
        ["D3", "某所", "派出所", "县级", TOWN],                      # 4 tier vs code
        ["D4", "", "派出所", "", TOWN],                              # 5 new without a name
        ["D5", "某局", "税务局", "", COUNTY],                        # 6 kind
        ["D1", "城关派出所", "司法所", "乡镇级", TOWN],              # 7 conflict
        ["D6", "某所", "司法所", "", V1],                            # 8 a village's
    ], "gbk")  # fmt: skip
    stations = _csv(tmp / "stations.csv", Kind.STATIONS, ["department_id", "center_id", "mode"], [
        ["D1", "GC2", "常驻"],       # 2 ok
        ["D2", "GC2", "随叫随驻"],   # 3 ok
        ["D9", "GC2", "常驻"],       # 4 no such department
        ["D1", "GC404", "常驻"],     # 5 no such center
        ["D1", "GC2", "轮驻"],       # 6 conflict
        ["D2", "GC1", "长期"],       # 7 mode
    ])  # fmt: skip
    history = _csv(tmp / "grid_history.csv", Kind.GRID_HISTORY,
                   ["household_id", "grid_id", "valid_from", "valid_to"], [
        ["H1", "G1", "2021-01-01", "2022-12-31"],    # 2 ok
        ["H1", "G404", "2020-01-01", "2020-12-31"],  # 3 no such grid
        ["H9", "G1", "2020-01-01", "2020-12-31"],    # 4 no such household
        ["H1", "G1", "2022-01-01", "2023-06-01"],    # 5 overlaps the current grid
        ["H1", "G1", "2022-01-01", "2021-01-01"],    # 6 ends before it starts
    ])  # fmt: skip
    orgs = _csv(tmp / "party_orgs.csv", Kind.PARTY_ORGS,
                ["org_id", "name", "kind", "division", "parent", "covers"], [
        ["PC1", "中共镇原县委员会", "党委", COUNTY, "", ""],            # 2 ok
        ["PC2", "中共城关镇委员会", "党委", TOWN, "PC1", TOWN],         # 3 ok
        ["PB1", "东街社区党支部", "党支部", V1, "PC2", V1],             # 4 ok
        ["PG1", "东街第1网格党小组", "党小组", V1, "PB1", "G1、G404"],  # 5 grid unknown
        ["PB2", "西街社区党支部", "党支部", V2, "PB404", V2],           # 6 parent unknown
        ["PB3", "", "党支部", V2, "PC2", ""],                           # 7 no name
        ["PB4", "某支部", "联合会", V2, "PC2", ""],                     # 8 kind
        ["PB5", "某支部", "党支部", "621027999999", "PC2", ""],         # 9 code
        ["PG2", "东街第2网格党小组", "党小组", V1, "PB1", "G2"],        # 10 ok
    ], "utf-8-sig")  # fmt: skip
    members = _csv(tmp / "party_members.csv", Kind.PARTY_MEMBERS,
                   ["person_id", "name", "gender", "id_number", "org_id", "post", "flow"], [
        ["", "周书记", "男", ID3, "PB1", "书记", ""],     # 2 ok: id from the ID number
        ["M2", "王芳", "女", ID2, "PB1", "党员", "流出"],  # 3 ok
        ["M3", "赵四", "", "", "PB404", "党员", ""],       # 4 no such organisation
        ["M4", "", "", "", "PB1", "党员", ""],             # 5 new without a name
        ["M5", "钱五", "", BAD_ID, "PB1", "", ""],         # 6 check digit
        ["M2", "王芳", "女", ID2, "PB1", "党员", "流入"],  # 7 conflicts with row 3
        ["M6", "孙六", "", "", "PB1", "书记", "流出"],     # 8 flow is a member's
        ["W1", "", "", "", "PG2", "书记", ""],             # 9 ok: a worker, known
    ])  # fmt: skip
    leaders = _csv(tmp / "leaders.csv", Kind.LEADERS,
                   ["person_id", "name", "id_number", "target", "township", "valid_from",
                    "valid_to"], [
        ["L1", "周局长", ID1, TOWN, "", "2023-01-01", ""],          # 2 ok: county → township
        ["L2", "吴镇长", "", "东街社区", TOWN, "2023-02-01", ""],  # 3 ok: by name
        ["L3", "郑某", "", "621027999", "", "", ""],                 # 4 code
        ["L4", "冯某", "", TOWN, "", "2024-01-01", "2023-01-01"],    # 5 ends before it starts
        ["L5", "", "", TOWN, "", "", ""],                            # 6 new without a name
        ["L6", "陈某", "", "不存在村", TOWN, "", ""],             # 7 no such village
    ])  # fmt: skip
    flow = _csv(tmp / "case_flow.csv", Kind.CASE_FLOW,
                ["case_id", "center_id", "tier", "date", "department_id", "role", "assigned",
                 "reported"], [
        ["K1", "GC3", "村级", "2024-06-01", "", "", "", ""],            # 2 ok
        ["K1", "GC2", "", "2024-06-03", "", "", "", ""],                # 3 ok: tier the center's
        ["K1", "", "", "", "D1", "牵头", "2024-06-03", "2024-06-04"],   # 4 ok
        ["K9", "GC3", "村级", "2024-06-01", "", "", "", ""],            # 5 no such case
        ["K1", "GC1", "村级", "2024-06-05", "", "", "", ""],            # 6 tier not the center's
        ["K1", "GC3", "村级", "2024-06-02", "", "", "", ""],            # 7 conflicts with row 2
        ["K1", "GC3", "", "2024-06-01", "D1", "", "", ""],              # 8 both
        ["K1", "", "", "", "D2", "协办", "2024-06-05", "2024-06-04"],   # 9 reported before
        ["K1", "", "", "", "D404", "协办", "2024-06-05", ""],           # 10 no such department
        ["K1", "", "村级", "", "", "", "", ""],                         # 11 neither
        ["K1", "", "", "", "D2", "协办", "2024-06-05", ""],             # 12 ok
    ])  # fmt: skip
    return [workers, households, cases, centers, departments, stations, history, orgs, members,
            leaders, flow]  # fmt: skip


EXPECTED = {
    ("centers.xlsx", 7): ("*所在区划代码", "no village or community with code 621027999999"),
    ("centers.xlsx", 8): ("*所在区划代码", f"no township with code {V1}"),
    ("centers.xlsx", 9): ("上级中心编号", "GovernanceCenter GC404 does not exist"),
    ("centers.xlsx", 10): ("中心名称", "has name = '城关镇综治中心' on row 5"),
    ("centers.xlsx", 11): ("上级中心编号", "center GC3 is not above a village-level center"),
    ("centers.xlsx", 12): ("*中心编号", "give 中心名称 to create it"),
    ("departments.csv", 4): ("层级", "a county-level department belongs to a county"),
    ("departments.csv", 5): ("部门编号", "give 部门名称 to create it"),
    ("departments.csv", 6): ("部门类别", "not one of 派出所"),
    ("departments.csv", 7): ("部门类别", "has kind = 'police_station' on row 2"),
    ("departments.csv", 8): ("所属区划代码", "no county or township with code"),
    ("stations.csv", 4): ("部门编号", "Department D9 does not exist"),
    ("stations.csv", 5): ("派驻中心编号", "GovernanceCenter GC404 does not exist"),
    ("stations.csv", 6): (
        "派驻方式",
        "D1 → GC2 is on row 2 of stations.csv with mode = 'resident'",
    ),
    ("stations.csv", 7): ("派驻方式", "not one of 常驻"),
    ("grid_history.csv", 3): ("原网格编号", "Grid G404 does not exist"),
    ("grid_history.csv", 4): ("户编号", "Household H9 does not exist"),
    ("grid_history.csv", 5): ("出格日期", "current grid from 2023-01-01"),
    ("grid_history.csv", 6): ("出格日期", "ends before it starts"),
    ("party_orgs.csv", 5): ("覆盖范围", "Grid G404 does not exist"),
    ("party_orgs.csv", 6): ("上级党组织编号", "PartyOrganization PB404 does not exist"),
    ("party_orgs.csv", 7): ("党组织编号", "give 党组织名称 to create it"),
    ("party_orgs.csv", 8): ("组织类别", "not one of 党委"),
    ("party_orgs.csv", 9): ("所在区划代码", "unknown division code"),
    ("party_members.csv", 4): ("所在党组织编号", "PartyOrganization PB404 does not exist"),
    ("party_members.csv", 5): ("党员编号", "person M4 is new: give 党员姓名"),
    ("party_members.csv", 6): ("身份证号", "check digit wrong"),
    ("party_members.csv", 7): ("流动情况", "M2 → PB1 is on row 3 of party_members.csv"),
    ("party_members.csv", 8): ("流动情况", "a member's"),
    ("leaders.csv", 4): ("包抓乡镇（村）代码", "no township or village or community"),
    ("leaders.csv", 5): ("包抓结束日期", "ends before it starts"),
    ("leaders.csv", 6): ("领导编号", "person L5 is new: give 领导姓名"),
    ("leaders.csv", 7): ("包抓乡镇（村）代码", "no village named '不存在村'"),
    ("case_flow.csv", 5): ("案件编号", "Case K9 does not exist"),
    ("case_flow.csv", 6): ("流转层级", "center GC1 is county-level"),
    ("case_flow.csv", 7): ("流转日期", "K1 → GC3 is on row 2 of case_flow.csv"),
    ("case_flow.csv", 8): ("承办部门编号", "not both"),
    ("case_flow.csv", 9): ("报到日期", "reported in before it was assigned"),
    ("case_flow.csv", 10): ("承办部门编号", "Department D404 does not exist"),
    ("case_flow.csv", 11): ("接收中心编号", "missing: the center it arrived at"),
}


def test_broken_network_ledgers_quarantine_exactly_the_bad_rows(
    store: EmbeddedBackend, tmp_path: Path
) -> None:
    files = _broken_network(tmp_path)
    report = import_ledgers(store, files, today=TODAY, quarantine_dir=tmp_path / "q")
    got: dict[tuple[str, int], list[tuple[str, str]]] = {}
    for p in report.problems:
        got.setdefault((Path(p.file).name, p.row), []).append((p.column, p.reason))
    assert set(got) == set(EXPECTED), sorted(set(got) ^ set(EXPECTED))
    for where, (column, reason) in EXPECTED.items():
        assert any(c == column and reason in r for c, r in got[where]), (where, got[where])
    # the good rows went in, and only they
    counts = store.counts()
    assert counts["nodes"]["GovernanceCenter"] == 3 and counts["nodes"]["Department"] == 2
    assert counts["nodes"]["PartyOrganization"] == 4
    want = {"CENTER_SERVES": 4, "REPORTS_TO": 2, "STATIONED_AT": 2, "SUBORDINATE_TO": 3,
            "PARTY_COVERS": 3, "PARTY_MEMBER_OF": 1, "SECRETARY_OF": 2, "LEADER_OF": 2,
            "ESCALATED_TO": 2, "ASSIGNED_TO": 2, "IN_GRID": 2}  # fmt: skip
    for rel, n in want.items():
        assert counts["relationships"][rel] == n, rel
    served = store.fetch_relationships(Rel.CENTER_SERVES, Label.GOVERNANCE_CENTER, Label.VILLAGE,
                                       ["GC3"]).column("target").to_pylist()  # fmt: skip
    assert sorted(served) == [V1, V2]
    (leader,) = store.fetch_relationships(
        Rel.LEADER_OF, Label.PERSON, Label.VILLAGE, ["L2"]
    ).to_pylist()
    assert leader["target"] == V1 and leader["valid_from"] == dt.date(2023, 2, 1)
    assert store.fetch_nodes(Label.DEPARTMENT, ["D2"]).to_pylist()[0]["kind"] == "police_station"
    grids = store.fetch_relationships(Rel.IN_GRID, Label.HOUSEHOLD, Label.GRID, ["H1"]).to_pylist()
    assert sorted((g["target"], g["valid_to"]) for g in grids) == [
        ("G1", dt.date(2022, 12, 31)), ("G2", None)
    ]  # fmt: skip
    # the escalated case's coordination reads the imported network
    path = q.coordination(store, "K1", as_of=TODAY)
    assert path.to_dict()["case_id"] == "K1"
    # quarantine: each file's refused rows, in its own format and encoding
    text = (tmp_path / "q" / "departments.quarantine.csv").read_bytes().decode("gb18030")
    lines = list(csv.reader(io.StringIO(text)))
    assert [line[0] for line in lines[1:]] == ["D3", "D4", "D5", "D1", "D6"]
    assert lines[0][-2:] == ["问题说明", "原行号"] and lines[4][-1] == "7"
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "q" / "centers.quarantine.xlsx").active
    assert sheet is not None
    refused = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert refused == ["GC4", "GC5", "GC6", "GC2", "GC7", "GC8"]
    # the same files again: nothing changes
    again = import_ledgers(store, files, today=TODAY)
    assert again.created == {} and again.updated == {} and store.counts() == counts


# -- every scenario: export → import → export ----------------------------------------------

SCENARIOS = ["qingping", "wucheng", "zhenyuan", "yuqing", "horqin"]


@pytest.mark.slow
@pytest.mark.parametrize("name", SCENARIOS)
def test_a_scenario_comes_back_whole_from_its_ledgers(
    loaded: Any, tmp_path: Path, name: str
) -> None:
    source = loaded(name)
    area, day = source.scenario.spec.area, source.scenario.spec.as_of
    first = export_ledgers(source.backend, area, tmp_path / "a", unmasked=True)
    assert set(first) == set(Kind)
    target = EmbeddedBackend(tmp_path / "store")
    try:
        report = import_ledgers(target, list(first.values()), today=dt.date.today())
        assert report.problems == [] and report.written
        theirs, ours = source.backend.counts(), target.counts()
        for part in ("nodes", "relationships"):
            differ = {k: (theirs[part][k], ours[part].get(k)) for k in theirs[part]
                      if theirs[part][k] != ours[part].get(k)}  # fmt: skip
            assert differ == {}, part
        second = export_ledgers(target, area, tmp_path / "b", unmasked=True)
        for kind in first:
            assert filecmp.cmp(first[kind], second[kind], shallow=False), kind
        same_answers(source.backend, target, area, day)
        # coordination, case by case, for every case that went beyond its first center
        escalated = source.backend.query(
            "MATCH (k:`Case`)-[e:ESCALATED_TO]->() WITH k.id AS id, count(e) AS n "
            "WHERE n > 1 RETURN id ORDER BY id"
        ).rows
        assert escalated
        for row in escalated:
            assert q.coordination(source.backend, row["id"], as_of=day) == q.coordination(
                target, row["id"], as_of=day
            ), row["id"]
        again = import_ledgers(target, list(second.values()), today=dt.date.today())
        assert again.created == {} and again.updated == {}
    finally:
        target.close()


def test_an_exported_village_carries_the_network_above_it(loaded: Any, tmp_path: Path) -> None:
    source = loaded("qingping")
    village = source.backend.read("sample_households", {"area": source.scenario.spec.area,
                                                         "limit": 1})[0]["id"][1:13]  # fmt: skip
    paths = export_ledgers(source.backend, village, tmp_path / "v", unmasked=True)
    centers = {cells[0]: cells for _, cells in read_ledger(paths[Kind.CENTERS]).rows}
    township, county = village[:9], village[:6]
    assert f"GC{county}" in centers and f"GC{township}" in centers  # the centers above it
    orgs = {cells[0] for _, cells in read_ledger(paths[Kind.PARTY_ORGS]).rows}
    assert {f"PC{county}", f"PC{township}", f"PB{village}"} <= orgs
    leaders = read_ledger(paths[Kind.LEADERS])
    led = {cells[leaders.positions["target"]] for _, cells in leaders.rows}
    assert led == {village, township + "000"}  # its own leader and the township's
    with EmbeddedBackend(tmp_path / "store") as target:
        report = import_ledgers(target, list(paths.values()), today=dt.date.today())
        assert report.problems == []
        for household in source.backend.nodes_in_area(Label.HOUSEHOLD, village).to_pylist()[::50]:
            day = source.scenario.spec.as_of
            assert q.responsible(target, household["id"], as_of=day) == q.responsible(
                source.backend, household["id"], as_of=day
            )


# -- a scenario store answers as of its scenario's day ----------------------------------


def test_a_scenario_store_answers_as_of_its_day(tmp_path: Path) -> None:
    from govgraph.cli import cli
    from govgraph.loaders.load import load_scenario

    with EmbeddedBackend(tmp_path / "store") as backend:
        scenario, _ = load_scenario(backend, "qingping")
        assert backend.data_day() == scenario.spec.as_of == backend.default_day()
    runner = CliRunner()
    got = runner.invoke(cli, ["--store", str(tmp_path / "store"), "query", "summary", "--area",
                              scenario.spec.area, "--json"])  # fmt: skip
    assert got.exit_code == 0, got.output
    assert f'"as_of": "{scenario.spec.as_of.isoformat()}"' in got.output
    with EmbeddedBackend(tmp_path / "store", read_only=True) as backend:
        answer = q.uncovered(backend, scenario.spec.area, as_of=backend.default_day())
        households = backend.nodes_in_area(Label.HOUSEHOLD, scenario.spec.area).num_rows
        # on its day most households were visited; years later none would be
        assert answer.total < households / 5
    # a store of an office's own ledgers has no such day: its questions ask about today
    with EmbeddedBackend(tmp_path / "own") as own:
        own.apply_schema()
        assert own.data_day() is None and own.default_day() == dt.date.today()


def test_stations_and_party_posts_keep_their_periods(
    store: EmbeddedBackend, tmp_path: Path
) -> None:
    centers = _csv(tmp_path / "centers.csv", Kind.CENTERS,
                   ["center_id", "name", "tier", "division", "reports_to"], [
        ["GC1", "镇原县综治中心", "县级", COUNTY, ""],
        ["GC2", "城关镇综治中心", "乡镇级", TOWN, "GC1"],
    ])  # fmt: skip
    departments = _csv(tmp_path / "departments.csv", Kind.DEPARTMENTS,
                       ["department_id", "name", "kind", "division"], [
        ["D1", "镇原县人民法院", "人民法院", COUNTY],
    ])  # fmt: skip
    orgs = _csv(tmp_path / "party_orgs.csv", Kind.PARTY_ORGS,
                ["org_id", "name", "kind", "division", "parent"], [
        ["PC2", "中共城关镇委员会", "党委", TOWN, ""],
        ["PB1", "东街社区党支部", "党支部", V1, "PC2"],
        ["PB2", "西街社区党支部", "党支部", V2, "PC2"],
    ])  # fmt: skip
    station_keys = ["department_id", "center_id", "mode", "valid_from", "valid_to"]
    member_keys = ["person_id", "name", "org_id", "post", "valid_from", "valid_to"]

    def stations(rows: list[list[str]], name: str) -> Path:
        return _csv(tmp_path / name, Kind.STATIONS, station_keys, rows)

    def members(rows: list[list[str]], name: str) -> Path:
        return _csv(tmp_path / name, Kind.PARTY_MEMBERS, member_keys, rows)

    first = [centers, departments, orgs,
             stations([["D1", "GC1", "常驻", "2020-01-01", ""],
                       ["D1", "GC2", "随叫随驻", "2023-01-01", ""]], "s1.csv"),
             members([["M1", "王芳", "PB1", "党员", "2022-01-01", ""],
                      ["M1", "王芳", "PB1", "书记", "2022-06-01", ""],
                      ["M1", "王芳", "PC2", "书记", "2023-01-01", ""]], "m1.csv")]  # fmt: skip
    assert import_ledgers(store, first, today=TODAY).problems == []
    # later: the court's post at the township ends; the member moves to another branch and
    # is secretary there, still the committee's secretary (not listed: it holds)
    later = [
        stations([["D1", "GC2", "随叫随驻", "2023-01-01", "2024-03-31"]], "s2.csv"),
        members([["M1", "王芳", "PB2", "党员", "2024-05-01", ""],
                 ["M1", "王芳", "PB1", "书记", "2022-06-01", "2024-04-30"]], "m2.csv"),
    ]  # fmt: skip
    report = import_ledgers(store, later, today=TODAY)
    assert report.problems == []

    def held(rel: Rel, source: Label, target: Label, ident: str) -> list[tuple[Any, ...]]:
        rows = store.fetch_relationships(rel, source, target, [ident]).to_pylist()
        return sorted((r["target"], r["valid_from"], r["valid_to"]) for r in rows)

    d = dt.date
    assert held(Rel.STATIONED_AT, Label.DEPARTMENT, Label.GOVERNANCE_CENTER, "D1") == [
        ("GC1", d(2020, 1, 1), None), ("GC2", d(2023, 1, 1), d(2024, 3, 31))
    ]  # fmt: skip
    assert held(Rel.PARTY_MEMBER_OF, Label.PERSON, Label.PARTY_ORGANIZATION, "M1") == [
        ("PB1", d(2022, 1, 1), d(2024, 4, 30)), ("PB2", d(2024, 5, 1), None)
    ]  # fmt: skip
    assert held(Rel.SECRETARY_OF, Label.PERSON, Label.PARTY_ORGANIZATION, "M1") == [
        ("PB1", d(2022, 6, 1), d(2024, 4, 30)), ("PC2", d(2023, 1, 1), None)
    ]  # fmt: skip
    # the coordination of a case at the township center lists the court only while stationed
    on = store.read("center_stations", {"centers": ["GC2"], "as_of": d(2024, 3, 1)})
    off = store.read("center_stations", {"centers": ["GC2"], "as_of": d(2024, 4, 1)})
    assert [r["department"] for r in on] == ["D1"] and [r["department"] for r in off] == [None]
    # and it all comes back out with its periods
    paths = export_ledgers(store, COUNTY, tmp_path / "out", unmasked=True)
    again = import_ledgers(store, list(paths.values()), today=TODAY)
    assert again.created == {} and again.updated == {}
