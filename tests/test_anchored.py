""" "Who is responsible" from anchored statements (govgraph/responsibility.py) against the
catalog's one-statement union, role by role: on the kite grown a grid hierarchy, party posts
and leaders with periods, and on every household of scenarios; coordination and uncovered
likewise, and the overloaded named by key (govgraph/loads.py) against everyone's loads."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from govgraph import coverage, loads
from govgraph import questions as q
from govgraph.backends.base import GraphBackend
from govgraph.backends.embedded import EmbeddedBackend
from govgraph.field.households import move_household, record_visit
from govgraph.loaders.graph import GraphBuilder
from govgraph.loaders.load import write_graph
from govgraph.responsibility import anchored_rows
from govgraph.schema.model import Label as L
from govgraph.schema.model import Rel as R
from govgraph.scope import Scope, scope

from .factories import AS_OF, SINCE, V1, V2, T, _person, kite

ENDED = date(2023, 6, 30)


def _union(backend: GraphBackend, household: str, as_of: date) -> list[tuple[Any, ...]]:
    return _key(backend.read("responsible", {"household": household, "as_of": as_of}))


def _key(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return sorted({(r["role"], r["id"], r["name"] or "", r["via"] or "", r["detail"] or "")
                   for r in rows})  # fmt: skip


def _hierarchy(backend: GraphBackend) -> None:
    """The kite, and: G1 a sub-grid of village grid GV, itself under township grid GT (heads
    HV; HT, and HT0 whose term ended); H7 in sub-grid G1s under G1; a volunteer on G1; G1's
    party group PG1 (secretary S1, and S0 who left) and V1's branch PB1 (S2, a post with no
    first day); a township leader of V1 and two county leaders of T, one gone."""
    kite(backend)
    b = GraphBuilder()
    for grid, level, code in (("GV", 2, V1), ("GT", 1, T), ("G1s", 3, V1)):
        b.node(L.GRID, id=grid, name=f"{grid}网格", level=level, division_code=code)
    for child, parent in (("G1", "GV"), ("GV", "GT"), ("G1s", "G1")):
        b.rel(R.SUBGRID_OF, (L.GRID, child), (L.GRID, parent))
    b.node(L.HOUSEHOLD, id="H7", address="H7号", size=2, tags=[], division_code=V1)
    b.rel(R.LOCATED_IN, (L.HOUSEHOLD, "H7"), (L.VILLAGE, V1))
    b.rel(R.IN_GRID, (L.HOUSEHOLD, "H7"), (L.GRID, "G1s"), valid_from=SINCE)
    for pid in ("HV", "HT", "HT0", "VO", "S0", "S1", "S2", "TL", "KL", "KL0"):
        _person(b, pid, f"{pid}某")
    b.rel(R.GRID_HEAD_OF, (L.PERSON, "HV"), (L.GRID, "GV"), valid_from=SINCE)
    b.rel(R.GRID_HEAD_OF, (L.PERSON, "HT"), (L.GRID, "GT"), valid_from=SINCE)
    b.rel(R.GRID_HEAD_OF, (L.PERSON, "HT0"), (L.GRID, "GT"), valid_from=SINCE, valid_to=ENDED)
    b.rel(R.VOLUNTEER_OF, (L.PERSON, "VO"), (L.GRID, "G1"), valid_from=SINCE)
    for org, kind, target in (("PG1", "grid_group", (L.GRID, "G1")),
                              ("PB1", "branch", (L.VILLAGE, V1))):  # fmt: skip
        b.node(L.PARTY_ORGANIZATION, id=org, name=f"{org}党组织", kind=kind, division_code=V1)
        b.rel(R.PARTY_COVERS, (L.PARTY_ORGANIZATION, org), target)
    b.rel(
        R.SECRETARY_OF, (L.PERSON, "S1"), (L.PARTY_ORGANIZATION, "PG1"), valid_from=date(2023, 7, 1)
    )
    b.rel(
        R.SECRETARY_OF,
        (L.PERSON, "S0"),
        (L.PARTY_ORGANIZATION, "PG1"),
        valid_from=SINCE,
        valid_to=ENDED,
    )
    b.rel(R.SECRETARY_OF, (L.PERSON, "S2"), (L.PARTY_ORGANIZATION, "PB1"))
    b.rel(R.LEADER_OF, (L.PERSON, "TL"), (L.VILLAGE, V1), valid_from=SINCE)
    b.rel(R.LEADER_OF, (L.PERSON, "KL"), (L.TOWNSHIP, T), valid_from=SINCE)
    b.rel(R.LEADER_OF, (L.PERSON, "KL0"), (L.TOWNSHIP, T), valid_from=SINCE, valid_to=ENDED)
    write_graph(backend, b.build())


@pytest.fixture
def grown(store: EmbeddedBackend) -> EmbeddedBackend:
    _hierarchy(store)
    return store


def _roles(answer: q.Responsibility, role: str) -> list[tuple[str, str]]:
    return [(r.id, r.via) for r in answer.roles if r.role == role]


def test_the_anchored_rows_are_the_union_s_on_every_household_and_day(grown) -> None:  # type: ignore[no-untyped-def]
    households = [f"H{i}" for i in range(1, 8)]
    days = [AS_OF, ENDED, date(2023, 1, 15), date(2019, 6, 1)]
    for household in households:
        for day in days:
            union = _union(grown, household, day)
            assert union, (household, day)
            assert _key(anchored_rows(grown, household, day)) == union, (household, day)
    assert anchored_rows(grown, "H404", AS_OF) == []


def test_the_hierarchy_posts_and_leaders_come_back_with_their_periods(grown) -> None:  # type: ignore[no-untyped-def]
    a = q.responsible(grown, "H7", as_of=AS_OF)
    # two levels of parent grids above the household's sub-grid, and the heads of each
    assert _roles(a, "grid") == [("G1s", "H7")]
    assert _roles(a, "parent_grid") == [("G1", "G1s"), ("GV", "G1s")]
    assert _roles(a, "grid_head") == [("GH", "G1"), ("HV", "GV")]
    h1 = q.responsible(grown, "H1", as_of=AS_OF)
    assert _roles(h1, "grid_head") == [("GH", "G1"), ("HT", "GT"), ("HV", "GV")]
    assert _roles(h1, "volunteer") == [("VO", "G1")]
    assert _roles(h1, "grid_party_group_secretary") == [("S1", "PG1")]
    assert _roles(h1, "village_party_secretary") == [("S2", "PB1")]
    assert _roles(h1, "township_leader") == [("TL", V1)]
    assert _roles(h1, "county_leader") == [("KL", T)]
    before = q.responsible(grown, "H1", as_of=date(2023, 1, 15))
    assert ("HT0", "GT") in _roles(before, "grid_head")
    assert _roles(before, "grid_party_group_secretary") == [("S0", "PG1")]
    assert sorted(_roles(before, "county_leader")) == [("KL", T), ("KL0", T)]


def test_answers_about_places_are_read_again_after_every_kind_of_write(  # type: ignore[no-untyped-def]
    grown, tmp_path
) -> None:
    """The embedded backend keeps its answers about grids, villages, townships, counties, centers
    and party organisations between writes (``read_place``): a load, an import, a write
    statement and a transaction each make the next answer the store's own, and a
    transaction rolled back leaves nothing of itself behind."""
    from govgraph.loaders.ledger import import_ledgers

    def leaders() -> list[tuple[str, str]]:
        return _roles(q.responsible(grown, "H1", as_of=AS_OF), "township_leader")

    assert leaders() == [("TL", V1)]
    assert grown._kept.answers["places"]  # kept: the first answer is read, the rest from here
    b = GraphBuilder()
    _person(b, "TL2", "新某")
    b.rel(R.LEADER_OF, (L.PERSON, "TL2"), (L.VILLAGE, V1), valid_from=SINCE)
    write_graph(grown, b.build())  # a load
    assert leaders() == [("TL", V1), ("TL2", V1)]
    ledger = tmp_path / "包抓台账.csv"
    ledger.write_text(f"领导编号,领导姓名,包抓乡镇（村）代码,包抓开始日期\nTL3,又某,{V1},2021-03-01\n",
                      encoding="utf-8")  # fmt: skip
    report = import_ledgers(grown, [ledger], today=AS_OF)  # an import
    assert report.quarantined == 0, report.problems
    assert leaders() == [("TL", V1), ("TL2", V1), ("TL3", V1)]
    end = "MATCH (p:Person {id: 'TL2'})-[r:LEADER_OF]->(:Village) SET r.valid_to = $day"
    grown._run(end, {"day": date(2022, 1, 1)}, write=True)  # one write statement
    assert leaders() == [("TL", V1), ("TL3", V1)]

    def undone() -> None:
        grown._run(end.replace("TL2", "TL3"), {"day": date(2022, 1, 1)}, write=True)
        assert leaders() == [("TL", V1)]  # inside: its own write, never kept
        raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError, match="rolled back"):
        grown.atomic(undone)
    assert leaders() == [("TL", V1), ("TL3", V1)]
    grown.atomic(lambda: grown._run(end.replace("TL2", "TL3"), {"day": date(2022, 1, 1)},
                                    write=True))  # fmt: skip
    assert leaders() == [("TL", V1)]  # a committed transaction


def test_the_part_of_an_answer_a_grid_s_households_share_is_kept_by_grid_and_day(  # type: ignore[no-untyped-def]
    grown,
) -> None:
    """H1 and H2 share grid G1 and village V1: the second answer takes those parts as the
    first made them, on that day only; a write to a worker's post makes them again."""

    def workers(household: str, day: date) -> list[tuple[str, str]]:
        return _roles(q.responsible(grown, household, as_of=day), "grid_worker")

    made = grown._kept.answers["places"]
    assert workers("H1", AS_OF) == [("W1", "G1"), ("W2", "G1")]
    parts = {k[1:3] for k in made if k[0] == "made"}
    assert {("_grid", "G1"), ("_units", V1)} <= parts
    reads = len(made)
    assert workers("H2", AS_OF) == [("W1", "G1"), ("W2", "G1")]
    assert len(made) == reads  # nothing read again: H2's grid and village parts were kept
    assert workers("H4", date(2023, 3, 1)) == [("W3", "G3")]  # W3's post ended 2023-03-31
    assert workers("H4", AS_OF) == []  # the same grid on another day: made again
    end = "MATCH (:Person {id: 'W2'})-[r:GRID_WORKER_OF]->(:Grid {id: 'G1'}) SET r.valid_to = $day"
    grown._run(end, {"day": date(2022, 1, 1)}, write=True)
    assert workers("H2", AS_OF) == [("W1", "G1")]
    assert _key(anchored_rows(grown, "H2", AS_OF)) == _union(grown, "H2", AS_OF)


def test_a_place_answer_read_while_a_write_to_places_is_under_way_is_dated_before_it(  # type: ignore[no-untyped-def]
    store,
) -> None:
    kite(store)

    def served() -> int:
        """How many kept answers would be served now."""
        date_ = store._write_lock.dates["places"]
        return sum(1 for kept, _ in store._kept.answers["places"].values() if kept == date_)

    with store._write_lock:  # a write to places under way (on another thread, for readers)
        store._write_lock.touch("Grid")
        q.responsible(store, "H1", as_of=AS_OF)
        assert served()  # until it ends, the store's answer is the one from before it
    assert store._kept.answers["places"] and not served()  # it ended: none is served again
    q.responsible(store, "H1", as_of=AS_OF)
    assert served()
    with store._write_lock:  # a write that touches no place keeps them
        store._write_lock.touch("VISITED")
    assert served() == len(store._kept.answers["places"])


@pytest.mark.parametrize("family", ["places", "directory", "strays"])
def test_every_kept_statement_reads_only_the_tables_it_is_kept_for(family: str) -> None:
    """A write to a table outside PLACE_TABLES keeps the answers about places (outside
    DIRECTORY_TABLES, the names): each of their statements must read nothing else (its labels and
    relationship types, as written)."""
    import re

    from govgraph.backends import kept
    from govgraph.catalog import executable_text

    statements, kept_for = {
        "places": (kept.PLACE_STATEMENTS, kept.PLACE_TABLES),
        "directory": (kept.DIRECTORY_STATEMENTS, kept.DIRECTORY_TABLES),
        "strays": (kept.STRAY_STATEMENTS, kept.STRAY_TABLES),
    }[family]
    assert {n for n, f in kept.KEPT_ROWS.items() if f == family} == (
        set() if family == "places" else statements
    )
    assert kept.KEPT_TABLES[family] == kept_for
    for name in sorted(statements):
        text = executable_text(name, "embedded")
        tables = {t for group in re.findall(r":\s*`?([A-Za-z_|]+)", text) for t in group.split("|")}
        assert tables and tables <= kept_for, (name, tables - kept_for)
        # every node and relationship in it is named by its table: none could be another's
        unlabelled = r"(?<!\w)\(\s*\w*\s*(\{[^}]*\})?\s*\)|-\[\s*\w*\s*(\{[^}]*\})?\s*\]"
        assert not re.search(unlabelled, text), name


def test_a_store_opened_read_only_keeps_no_answers(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with EmbeddedBackend(tmp_path / "store") as backend:
        kite(backend)
    with EmbeddedBackend(tmp_path / "store", read_only=True) as backend:  # another may write
        assert _roles(q.responsible(backend, "H1", as_of=AS_OF), "village") == [(V1, "H1")]
        assert not any(backend._kept.answers.values())


def test_a_household_with_no_relationship_is_still_found(store: EmbeddedBackend) -> None:
    b = GraphBuilder()
    b.node(L.HOUSEHOLD, id="H0", address="孤户", size=1, tags=[], division_code=V1)
    write_graph(store, b.build())
    a = q.responsible(store, "H0", as_of=AS_OF)
    assert [(r.role, r.id, r.name, r.via) for r in a.roles] == [("household", "H0", "孤户", V1)]


@pytest.mark.parametrize("name", ["qingping", "wucheng"])
def test_anchored_and_union_agree_on_a_scenario(loaded, name) -> None:  # type: ignore[no-untyped-def]
    item = loaded(name)
    backend, spec = item.backend, item.scenario.spec
    households = [
        r["id"] for r in backend.read("sample_households", {"area": spec.area, "limit": 10**6})
    ]
    for household in random.Random(name).sample(households, min(400, len(households))):
        assert _key(anchored_rows(backend, household, spec.as_of)) == _union(
            backend, household, spec.as_of
        ), household


def _both_ways(backend: EmbeddedBackend, flag: str, ask: Callable[[], Any]) -> tuple[Any, Any]:
    """``ask()`` as the embedded engine answers it, then with its ``flag`` (``anchored_reads``,
    ``columnar_reads``) off: from the catalog's one statement."""
    own = ask()
    setattr(backend, flag, False)
    try:
        return own, ask()
    finally:
        delattr(backend, flag)  # the class's again


def _coordination(backend: EmbeddedBackend, case_id: str, as_of: date) -> tuple[Any, Any]:
    return _both_ways(
        backend, "anchored_reads", lambda: q.coordination(backend, case_id, as_of=as_of)
    )


def test_coordination_is_the_same_from_anchored_statements(grown) -> None:  # type: ignore[no-untyped-def]
    for case_id in ("K1", "K2", "K3", "K4"):
        for day in (AS_OF, date(2023, 12, 1)):
            anchored, union = _coordination(grown, case_id, day)
            assert anchored == union, (case_id, day)
    # the tie at the village (VC1, VC1b) gives two paths, both to the county's center
    k1, _ = _coordination(grown, "K1", AS_OF)
    assert [p[-3:] for p in k1.paths] == [["VC1", "TC", "KC"], ["VC1b", "TC", "KC"]]
    assert {s.department for s in k1.stations} == {"P", "J", "K"}


def test_a_household_in_no_grid_escalates_from_its_village(grown) -> None:  # type: ignore[no-untyped-def]
    b = GraphBuilder()
    b.node(L.CASE, id="K5", type="neighbour", opened=AS_OF, tier="village", due=AS_OF,
           status="joint_handling", closed=None, outcome=None, satisfaction=None,
           supervised=False, summary="", division_code=V1)  # fmt: skip
    b.rel(R.CONCERNS, (L.CASE, "K5"), (L.HOUSEHOLD, "H5"))
    write_graph(grown, b.build())
    anchored, union = _coordination(grown, "K5", AS_OF)
    assert anchored == union
    assert anchored.paths and all(p[:2] == ["H5", V1] for p in anchored.paths)


@pytest.mark.parametrize("name", ["qingping", "wucheng"])
def test_coordination_agrees_on_every_case_of_a_scenario(loaded, name) -> None:  # type: ignore[no-untyped-def]
    item = loaded(name)
    backend, spec = item.backend, item.scenario.spec
    cases = [r["id"] for r in backend.query("MATCH (k:`Case`) RETURN k.id AS id").rows]
    assert len(cases) > 20
    for case_id in cases:
        anchored, union = _coordination(backend, case_id, spec.as_of)
        assert anchored == union, case_id


def _uncovered(backend: EmbeddedBackend, area: str, as_of: date) -> tuple[Any, Any]:
    return _both_ways(backend, "columnar_reads", lambda: q.uncovered(backend, area, as_of=as_of))


#: the roads uncovered reads its columns by that hold for any area: the store's relationships
#: read whole and narrowed to the area's keys, or through the area's villages (the third,
#: the store read whole, is taken where the area holds all of it)
ROADS = pytest.mark.parametrize("road", ["narrowed", "area", None])


def _take(monkeypatch: pytest.MonkeyPatch, road: str | None) -> None:
    if road is not None:
        monkeypatch.setattr(coverage, "_road", lambda backend, area: road)


@ROADS
def test_uncovered_from_columns_is_the_statement_s_answer(grown, monkeypatch, road) -> None:  # type: ignore[no-untyped-def]
    _take(monkeypatch, road)
    for area in (T, "620102", "6201"):
        for day in (AS_OF, date(2023, 1, 15), date(2019, 6, 1)):
            columnar, union = _uncovered(grown, area, day)
            assert columnar == union, (area, day)
    columnar, _ = _uncovered(grown, T, AS_OF)
    assert {h.household: h.reasons for h in columnar.households}["H5"] == [
        "no_grid", "no_linking_member", "not_visited"
    ]  # fmt: skip
    assert q.uncovered(grown, "620199", as_of=AS_OF).households == []  # an area with nobody


@ROADS
@pytest.mark.parametrize("name", ["qingping", "wucheng"])
def test_uncovered_from_columns_agrees_on_a_scenario(loaded, monkeypatch, name, road) -> None:  # type: ignore[no-untyped-def]
    item = loaded(name)
    backend, spec = item.backend, item.scenario.spec
    county = spec.area[:6]
    assert coverage._road(backend, county) == "store"  # a county's own store: read whole
    _take(monkeypatch, road)
    for area in (spec.area, county):
        columnar, union = _uncovered(backend, area, spec.as_of)
        assert columnar.households and columnar == union, area


T2, V3 = "620102002", "620102002001"


def _strays(backend: EmbeddedBackend) -> None:
    """Beside the hierarchy: a second township T2, its village V3 and grid GX (with a
    worker); HS of V1 in GX, a grid of another township; HX of V3 in T's grid G1; HN of V1
    in GN, a grid with no division; and HO of V3, once in G3 (another township's grid) and
    in GX since."""
    b = GraphBuilder()
    b.node(L.TOWNSHIP, id=T2, code=T2 + "000", name="二镇", kind="镇")
    b.rel(R.PART_OF, (L.TOWNSHIP, T2), (L.COUNTY, "620102"))
    b.node(L.VILLAGE, id=V3, code=V3, name="三村", kind="村")
    b.rel(R.PART_OF, (L.VILLAGE, V3), (L.TOWNSHIP, T2))
    b.node(L.GRID, id="GX", name="GX网格", level=2, division_code=V3)
    b.node(L.GRID, id="GN", name="GN网格", level=2, division_code=None)
    _person(b, "WX", "王四", V3)
    b.rel(R.GRID_WORKER_OF, (L.PERSON, "WX"), (L.GRID, "GX"), employment="full_time",
          valid_from=SINCE)  # fmt: skip
    for household, village, grid in (("HS", V1, "GX"), ("HX", V3, "G1"), ("HN", V1, "GN"),
                                     ("HO", V3, "G3")):  # fmt: skip
        b.node(L.HOUSEHOLD, id=household, address=f"{household}号", size=2, tags=[],
               division_code=village)  # fmt: skip
        b.rel(R.LOCATED_IN, (L.HOUSEHOLD, household), (L.VILLAGE, village))
        ended = ENDED if household == "HO" else None
        b.rel(R.IN_GRID, (L.HOUSEHOLD, household), (L.GRID, grid), valid_from=SINCE,
              valid_to=ended)  # fmt: skip
    b.rel(R.IN_GRID, (L.HOUSEHOLD, "HO"), (L.GRID, "GX"), valid_from=ENDED.replace(day=1),
          valid_to=None)  # fmt: skip
    write_graph(backend, b.build())


@ROADS
def test_a_household_in_another_area_s_grid_is_counted_in_its_own(grown, monkeypatch, road) -> None:  # type: ignore[no-untyped-def]
    """The area road reads memberships from the area's grids: those in a grid outside the
    household's village (kept beside them) are read too, and a move into one is seen at once."""
    _strays(grown)
    _take(monkeypatch, road)
    for area in (T, T2, "620102"):
        for day in (AS_OF, ENDED, date(2023, 1, 15), date(2019, 6, 1)):
            columnar, union = _uncovered(grown, area, day)
            assert columnar == union, (area, day)

    def gaps(area: str, day: date = AS_OF) -> dict[str, tuple[str | None, list[str]]]:
        answer = q.uncovered(grown, area, as_of=day)
        return {h.household: (h.grid, h.reasons) for h in answer.households}

    assert gaps(T)["HS"] == ("GX", ["no_linking_member", "not_visited"])
    assert gaps(T)["HN"] == ("GN", ["no_worker", "no_linking_member", "not_visited"])
    assert "HX" not in gaps(T) and gaps(T2)["HX"][0] == "G1"
    assert gaps(T2, date(2023, 1, 15))["HO"][0] == "G3"  # another township's grid, then
    assert gaps(T2, ENDED)["HO"][0] == "G3"  # both on the day they overlap: the first by id
    assert gaps(T2)["HO"] == ("GX", ["no_linking_member", "not_visited"])
    move_household(grown, "H4", "GN", since=AS_OF, today=AS_OF)  # a field write
    assert gaps(T)["H4"][0] == "GN"
    assert q.uncovered(grown, T, as_of=AS_OF) == _uncovered(grown, T, AS_OF)[1]


def test_the_names_behind_the_columns_are_kept_until_a_household_or_grid_is_written(  # type: ignore[no-untyped-def]
    grown, tmp_path
) -> None:
    from govgraph.loaders.ledger import import_ledgers

    """The households' ids and division codes, the grids' ids and the households counted under
    an area (DIRECTORY_STATEMENTS) are kept between writes: a visit keeps them and shows at
    once; a new household (by a load and by an import), a new grid (by a write statement) and
    a transaction each make the next answer the store's own."""

    def gaps() -> dict[str, tuple[str | None, list[str]]]:
        answer = q.uncovered(grown, "620102", as_of=AS_OF)  # the store's own county: read whole
        assert answer == _uncovered(grown, "620102", AS_OF)[1]  # what the statement says
        return {h.household: (h.grid, h.reasons) for h in answer.households}

    def date_() -> int:
        return grown._write_lock.dates["directory"]

    def code(household: str) -> str:
        gaps()  # kept or not, what the statement says
        answer = q.uncovered(grown, "620102", as_of=AS_OF).households
        return next(h.division_code for h in answer if h.household == household)

    before = gaps()
    assert {name for _, name, *_ in grown._kept.answers["directory"]} == {
        "household_names", "grid_keys", "area_household_count", "household_count"
    }  # fmt: skip
    counted = scope(grown, "620102")
    kept = date_()
    record_visit(grown, "H5", "W1", AS_OF, today=AS_OF)  # a field write: the names stay
    assert date_() == kept
    assert "not_visited" in before["H5"][1] and "not_visited" not in gaps()["H5"][1]
    b = GraphBuilder()
    b.node(L.HOUSEHOLD, id="H8", address="新户", size=1, tags=[], division_code=V1)
    b.rel(R.LOCATED_IN, (L.HOUSEHOLD, "H8"), (L.VILLAGE, V1))
    write_graph(grown, b.build())  # a new household
    assert date_() > kept
    assert gaps()["H8"] == (None, ["no_grid", "no_linking_member", "not_visited"])
    assert scope(grown, "620102") == Scope(counted.households + 1, counted.stored + 1)
    kept = date_()
    grown._run("CREATE (:Grid {id: 'G0', name: '新网格', level: 3, division_code: $v})",
               {"v": V1}, write=True)  # fmt: skip
    assert date_() > kept  # any statement
    kept = date_()
    grown._run("MATCH (h:Household {id: 'H8'}), (g:Grid {id: 'G0'}) "
               "CREATE (h)-[:IN_GRID {valid_from: $since}]->(g)", {"since": SINCE},
               write=True)  # fmt: skip
    assert gaps()["H8"] == ("G0", ["no_worker", "no_linking_member", "not_visited"])
    kept = date_()
    move = "MATCH (h:Household {id: 'H8'}) SET h.division_code = $code"
    with pytest.raises(RuntimeError, match="rolled back"):
        grown.atomic(lambda: (grown._run(move, {"code": V2}, write=True), gaps(), _fail()))
    assert date_() > kept and code("H8") == V1  # rolled back, and read again
    assert grown.atomic(lambda: grown._run(move, {"code": V2}, write=True)) == []
    assert code("H8") == V2  # committed
    kept = date_()
    ledger = tmp_path / "住户台账.csv"
    ledger.write_text(f"户编号,所属村（社区）代码,所属网格编号,入格日期,住址\nH9,{V1},G1,2021-03-01,新户\n",
                      encoding="utf-8")  # fmt: skip
    report = import_ledgers(grown, [ledger], today=AS_OF)  # an import
    assert report.quarantined == 0, report.problems
    assert date_() > kept
    assert gaps()["H9"] == ("G1", ["no_linking_member", "not_visited"])


def test_the_directory_keeps_no_more_rows_than_its_limit(grown, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from govgraph.backends import kept

    monkeypatch.setattr(kept, "DIRECTORY_ROWS", 8)
    first = q.uncovered(grown, "620102", as_of=AS_OF)
    for area in (T, "620102", "6201", T):
        assert grown._kept.size("directory") <= 8 + 7  # past the limit by one answer at most
        assert q.uncovered(grown, area, as_of=AS_OF) == _uncovered(grown, area, AS_OF)[1]
    assert q.uncovered(grown, "620102", as_of=AS_OF) == first
    from concurrent.futures import ThreadPoolExecutor  # readers keeping and dropping at once

    areas = [T, "620102", "6201"] * 20
    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(lambda area: q.uncovered(grown, area, as_of=AS_OF), areas))
    assert answers == [q.uncovered(grown, area, as_of=AS_OF) for area in areas]


def _fail() -> None:
    raise RuntimeError("rolled back")


def _heavier(backend: GraphBackend, area: str, as_of: date, **limits: int) -> list[q.WorkerLoad]:
    """The overloaded as every person's load names them (ids and names with the counts)."""
    return [w for w in q.worker_loads(backend, area, as_of=as_of, **limits) if w.overloaded]


def test_first_grids_by_rank_are_arrow_s_least_by_id() -> None:
    """The households' first grid (by id) from ranks in numpy, against Arrow's group-by on
    the same keys: households in several grids or none, grids listed in any order, a grid
    key the table does not name, ids whose order is not their keys'."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from govgraph.coverage import _first_grids_by_rank

    rng = random.Random(3)
    names = [f"G{rng.randrange(10**6):06d}" for _ in range(40)]
    grid_keys = list(range(0, 80, 2))
    rng.shuffle(grid_keys)
    members, grid = [], []
    for household in range(300):
        for _ in range(rng.choice([0, 1, 1, 1, 2, 3])):
            members.append(household)
            grid.append(rng.choice([*grid_keys, 81]))  # 81: named by no row of the table
    chosen = sorted(rng.sample(range(300), 120))
    table = pa.table({"key": grid_keys, "grid": names})
    named = pc.take(table["grid"], pc.index_in(pa.array(grid), value_set=table["key"]))
    pairs = pa.table({"key": members, "grid": named}).group_by("key").aggregate([("grid", "min")])
    expected = pc.take(pairs["grid_min"], pc.index_in(pa.array(chosen), value_set=pairs["key"]))
    keys, ids = table["key"].combine_chunks(), table["grid"].combine_chunks()
    got = _first_grids_by_rank(pa.array(chosen), pa.array(members), pa.array(grid), keys, ids)
    assert got.to_pylist() == expected.to_pylist()
    assert 0 < got.null_count < len(chosen)


def test_loads_are_rounded_to_six_places_as_python_rounds_them() -> None:
    """numpy rounds only where it gives a value back; the rest go through ``round``: every
    value ends up ``round(x, 6)`` to the last bit, halves and near-halves included."""
    import numpy as np

    rng = random.Random(16)
    values = [rng.randint(0, 400) / rng.randint(1, 9) for _ in range(20_000)]
    values += [rng.randint(0, 400) / 3 + rng.randint(0, 400) / 7 for _ in range(5_000)]
    values += [k / 1e6 for k in range(0, 5_000)] + [(k + 0.5) / 1e6 for k in range(5_000)]
    values += [2.675, 0.0000005, 1.0000005, 123.4567895, 1e-7, 0.1 + 0.2, 22.5, 47 / 3]
    rounded = loads._round6(np.array(values))
    assert rounded.tolist() == [round(x, 6) for x in values]


def test_the_overloaded_named_by_key_are_everyone_s_heaviest(grown) -> None:  # type: ignore[no-untyped-def]
    tight = {"max_households": 1, "max_linked": 1, "max_open_cases": 1}
    for area in (T, V1, "6201"):
        for day in (AS_OF, date(2022, 6, 1), date(2019, 6, 1)):
            for limits in ({}, tight):
                answer = q.overloaded(grown, area, as_of=day, **limits).workers
                assert answer == _heavier(grown, area, day, **limits), (area, day, limits)
    assert scope(grown, "6201").whole and not scope(grown, V1).whole  # both linking counts
    # M1 serves no grid and reported no case: only the linking counts know it, by key
    m1 = {w.person: w for w in q.overloaded(grown, T, as_of=AS_OF, **tight).workers}["M1"]
    assert (m1.name, m1.linked, m1.grids, m1.open_cases) == ("李党", 3, [], 0)


@pytest.mark.parametrize("whole", [True, False], ids=["store's links", "area's links"])
@pytest.mark.parametrize("name", ["qingping", "wucheng"])
def test_the_overloaded_agree_with_every_load_on_a_scenario(
    loaded, monkeypatch, name, whole
) -> None:  # type: ignore[no-untyped-def]
    item = loaded(name)
    assert scope(item.backend, item.scenario.spec.area).whole  # a scenario's own store
    if not whole:  # counted through the area's villages, as for an area that holds less
        monkeypatch.setattr(loads, "scope", lambda backend, area: Scope(1, 2))
    backend, spec = item.backend, item.scenario.spec
    for limits in ({}, {"max_linked": 5}):
        answer = q.overloaded(backend, spec.area, as_of=spec.as_of, **limits).workers
        assert answer and answer == _heavier(backend, spec.area, spec.as_of, **limits)
    # some of the members over five households serve no grid: named through linking_people
    members = q.overloaded(backend, spec.area, as_of=spec.as_of, max_linked=5).workers
    assert any(not w.grids and not w.open_cases for w in members)
