from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from govgraph.backends.embedded import EmbeddedBackend
from govgraph.errors import QueryFailed, QueryNotFound, StoreUnavailable
from govgraph.schema.model import Label, Rel


def _grids(*rows: tuple[str, str, int]) -> pa.Table:
    return pa.table(
        {
            "id": [r[0] for r in rows],
            "name": [r[1] for r in rows],
            "level": [r[2] for r in rows],
            "division_code": ["621123109201"] * len(rows),
        }
    )


def _people(*ids: str) -> pa.Table:
    n = len(ids)
    return pa.table(
        {
            "id": list(ids),
            "name": ["张三"] * n,
            "gender": ["男"] * n,
            "birth_year": [1980] * n,
            "id_number": [None] * n,
            "phone": [None] * n,
            "party_member": [True] * n,
            "occupation": ["grid_worker"] * n,
            "division_code": ["621123109201"] * n,
        }
    )


def test_nodes_are_upserted_by_id(store: EmbeddedBackend) -> None:
    assert store.write_nodes(Label.GRID, _grids(("g1", "一", 3), ("g2", "二", 3))) == 2
    store.write_nodes(Label.GRID, _grids(("g2", "二改", 2), ("g3", "三", 3)))
    rows = store._run(
        "MATCH (g:Grid) RETURN g.id AS id, g.name AS name, g.level AS level ORDER BY g.id", {}
    )
    assert rows == [
        {"id": "g1", "name": "一", "level": 3},
        {"id": "g2", "name": "二改", "level": 2},
        {"id": "g3", "name": "三", "level": 3},
    ]


def test_a_new_validity_period_adds_a_link_and_a_closed_one_updates_it(
    store: EmbeddedBackend,
) -> None:
    store.write_nodes(Label.GRID, _grids(("g1", "一", 3)))
    store.write_nodes(Label.PERSON, _people("p1"))

    def serve(valid_from: date, valid_to: date | None) -> pa.Table:
        return pa.table(
            {
                "source": ["p1"],
                "target": ["g1"],
                "employment": ["full_time"],
                "valid_from": [valid_from],
                "valid_to": pa.array([valid_to], pa.date32()),
            }
        )

    store.write_relationships(
        Rel.GRID_WORKER_OF, Label.PERSON, Label.GRID, serve(date(2020, 1, 1), None)
    )
    store.write_relationships(
        Rel.GRID_WORKER_OF, Label.PERSON, Label.GRID, serve(date(2020, 1, 1), date(2022, 6, 30))
    )
    store.write_relationships(
        Rel.GRID_WORKER_OF, Label.PERSON, Label.GRID, serve(date(2023, 1, 1), None)
    )
    rows = store._run(
        "MATCH (:Person)-[w:GRID_WORKER_OF]->(:Grid) RETURN w.valid_from AS f, "
        "w.valid_to AS t ORDER BY w.valid_from",
        {},
    )
    assert rows == [
        {"f": date(2020, 1, 1), "t": date(2022, 6, 30)},
        {"f": date(2023, 1, 1), "t": None},
    ]


def test_rows_must_match_the_model(store: EmbeddedBackend) -> None:
    with pytest.raises(ValueError, match="missing columns"):
        store.write_nodes(Label.GRID, pa.table({"id": ["g1"]}))
    with pytest.raises(ValueError, match="unknown columns"):
        store.write_nodes(Label.GRID, _grids(("g1", "一", 3)).append_column("x", pa.array([1])))


def test_engine_errors_are_translated(store: EmbeddedBackend) -> None:
    with pytest.raises(QueryFailed, match="embedded store rejected"):
        store._run("MATCH (n:Nothing) RETURN n", {})
    with pytest.raises(QueryNotFound, match="no query named 'nope'"):
        store.read("nope")
    with pytest.raises(QueryNotFound):
        store.read("../schema")


def test_a_relationship_to_a_missing_node_fails_and_stores_nothing(store: EmbeddedBackend) -> None:
    store.write_nodes(Label.GRID, _grids(("g1", "一", 3)))
    table = pa.table(
        {
            "source": ["ghost"],
            "target": ["g1"],
            "employment": ["full_time"],
            "valid_from": [date(2020, 1, 1)],
            "valid_to": pa.array([None], pa.date32()),
        }
    )
    with pytest.raises(QueryFailed):
        store.write_relationships(Rel.GRID_WORKER_OF, Label.PERSON, Label.GRID, table)
    assert store.counts()["relationships"]["GRID_WORKER_OF"] == 0
    assert store.counts()["nodes"]["Grid"] == 1


def test_a_second_writer_process_gets_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with EmbeddedBackend(path) as backend:
        backend.apply_schema()
        code = (
            "import sys\nfrom govgraph.backends.embedded import EmbeddedBackend\n"
            "from govgraph.errors import StoreUnavailable\n"
            f"try:\n    EmbeddedBackend({str(path)!r})\nexcept StoreUnavailable as e:\n"
            "    print(e); sys.exit(3)\n"
        )
        proc = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
        )
    assert proc.returncode == 3, proc.stderr
    assert "cannot open embedded store" in proc.stdout


def test_opening_a_missing_store_read_only_says_how_to_fix_it(tmp_path: Path) -> None:
    with pytest.raises(StoreUnavailable, match="load scenario"):
        EmbeddedBackend(tmp_path / "nothing", read_only=True)


def test_named_queries_run_with_parameters(store: EmbeddedBackend) -> None:
    store.write_nodes(Label.GRID, _grids(("g1", "一", 3), ("g2", "二", 2)))
    rows = store.read("figure_grids_by_level", {"area": "621123109"})
    assert sorted((r["key"], r["n"]) for r in rows) == [(2, 1), (3, 1)]
    assert store.read("figure_grids_by_level", {"area": "1101"}) == []


_ACTIVE = (
    "r.valid_from <= $as_of AND (r.valid_to IS NULL OR r.valid_to >= $as_of) "
    "AND w.valid_from <= $as_of AND (w.valid_to IS NULL OR w.valid_to >= $as_of)"
)
_PATTERN = (
    "MATCH (h:Household)-[r:IN_GRID]->(g:Grid)<-[w:GRID_WORKER_OF]-(:Person) "
    "WHERE h.division_code STARTS WITH $area "
)


@pytest.mark.xfail(
    strict=True,
    reason=(
        "LadybugDB 0.22: a filter on a node plus a validity filter on a nullable relationship "
        "property in one MATCH drops H6's current grid (H6 has an ended and a current IN_GRID). "
        "The queries test validity behind WITH or inside aggregates instead; when this passes, "
        "the engine is fixed and the workarounds can go."
    ),
)
def test_engine_bug_nullable_relationship_filter(store: EmbeddedBackend) -> None:
    from .factories import AS_OF, kite

    kite(store)
    rows = store._run(
        _PATTERN + "AND " + _ACTIVE + " RETURN DISTINCT h.id AS h",
        {"area": "620102001", "as_of": AS_OF},
    )
    assert sorted(r["h"] for r in rows) == ["H1", "H2", "H3", "H6"]


def test_the_workaround_for_the_engine_bug(store: EmbeddedBackend) -> None:
    from .factories import AS_OF, kite

    kite(store)
    rows = store._run(
        _PATTERN + "WITH h, r, w WHERE " + _ACTIVE + " RETURN DISTINCT h.id AS h",
        {"area": "620102001", "as_of": AS_OF},
    )
    assert sorted(r["h"] for r in rows) == ["H1", "H2", "H3", "H6"]


def test_a_query_timeout_stops_a_long_statement(tmp_path: Path) -> None:
    with EmbeddedBackend(tmp_path / "s") as backend:  # the schema's own reads unbounded
        backend.apply_schema()
    # the statement takes seconds; 100 ms leaves the opening reads room on a loaded machine
    with (
        EmbeddedBackend(tmp_path / "s", query_timeout_ms=100) as backend,
        pytest.raises(QueryFailed, match=r"(?i)interrupt|timeout"),
    ):
        backend._run("UNWIND range(1, 50000000) AS x RETURN sum(x) AS n", {})


def test_point_reads_are_untimed_and_every_other_read_timed(tmp_path: Path) -> None:
    """A point read (by id, a handful of relationships) runs without the engine's timer,
    which cost more than the read; every other read stays bounded by the timeout."""
    with EmbeddedBackend(tmp_path / "s") as backend:
        backend.apply_schema()
    long = "UNWIND range(1, 20000000) AS x RETURN sum(x) AS n"
    with EmbeddedBackend(tmp_path / "s", query_timeout_ms=100) as backend:
        # the same connection, untimed then timed then untimed again
        assert backend._run(long, {}, threads=1, timed=False) == [{"n": 200000010000000}]
        with pytest.raises(QueryFailed, match=r"(?i)interrupt|timeout"):
            backend._run(long, {}, threads=1)
        assert backend._run(long, {}, threads=1, timed=False) == [{"n": 200000010000000}]


def test_point_reads_on_the_direct_road_equal_those_through_execute(loaded: Any) -> None:
    """Point statements go to the engine's compiled connection (see ``_direct``); their
    rows are exactly those of ladybug's ``execute``, and its errors are the same."""
    from govgraph.backends._direct import Direct
    from govgraph.catalog import executable_text

    s = loaded("wucheng")
    b = s.backend
    sample = {"area": s.scenario.spec.area, "limit": 600}
    households = [r["id"] for r in b.read("sample_households", sample)][::20]  # across it
    reads = [(name, {"household": h}) for h in households for name in
             ("household_place", "household_village", "household_grids", "household_linking",
              "household_area", "household_lookup")]  # fmt: skip
    grids = {r["grid"] for h in households for r in b.read_point("household_grids",
                                                                   {"household": h})}  # fmt: skip
    reads += [(n, {"grid": g}) for g in grids for n in ("responsible_grid", "grid_party")]
    assert len(grids) > 1
    seen = 0
    for name, params in reads:
        text = executable_text(name, b.dialect)
        direct = b.read_point(name, params)
        assert direct == b._run(text, params), (name, params)  # timed: through execute
        seen += len(direct)
    assert seen > len(reads)  # rows, not only empty answers
    roads = list(b._direct.values())
    assert roads and all(isinstance(r, Direct) and r.usable for r in roads)
    assert any(r._prepared for r in roads)  # the road taken, under the pinned ladybug
    with pytest.raises(QueryFailed, match="Nowhere"):
        b._run("MATCH (x:Nowhere {id: $id}) RETURN x.id", {"id": "1"}, threads=1, timed=False)
    # a parameter that is not a string goes through execute, with the same rows
    rows = b._run("RETURN $n + 1 AS m", {"n": 41}, threads=1, timed=False)
    assert rows == [{"m": 42}]


def test_a_few_ids_read_by_key_equal_the_same_ids_unwound(loaded: Any) -> None:
    """Up to FEW_IDS ids are read one by one by key; the rows are those of the unwinding
    statement, each once though an id is given twice, none for an unknown id."""
    from govgraph.backends import embedded
    from govgraph.schema.cypher import fetch_relationships

    s = loaded("wucheng")
    b, area = s.backend, s.scenario.spec.area[:9]
    grids = b.nodes_in_area(Label.GRID, area).column("id").to_pylist()[:3]
    households = b.nodes_in_area(Label.HOUSEHOLD, area).column("id").to_pylist()[:3]
    posts = b.fetch_relationships(Rel.GRID_WORKER_OF, Label.PERSON, Label.GRID, grids,
                                  by_target=True)  # fmt: skip
    workers = posts.column("source").to_pylist()
    assert len(grids) == 3 and len(households) == 3 and workers
    for rel, source, target, ids, by_target in [
        (Rel.IN_GRID, Label.HOUSEHOLD, Label.GRID, grids, True),
        (Rel.IN_GRID, Label.HOUSEHOLD, Label.GRID, households, False),
        (Rel.VISITED, Label.PERSON, Label.HOUSEHOLD, workers[:2], False),
        (Rel.GRID_WORKER_OF, Label.PERSON, Label.GRID, grids, True),
    ]:
        asked = [*ids, ids[0], "NO-SUCH-ID"]
        assert len(asked) <= embedded.FEW_IDS
        few = b.fetch_relationships(rel, source, target, asked, by_target=by_target)
        unwound = b._arrow(fetch_relationships(rel, source, target, by_target=by_target),
                           {"ids": list(ids)}, few.schema)  # fmt: skip
        assert few.num_rows > 0, rel
        assert sorted(map(str, few.to_pylist())) == sorted(map(str, unwound.to_pylist())), rel


def test_reading_an_area_by_traversal_equals_reading_it_by_ids(loaded: Any) -> None:
    """relationships_in_area (what area_graph uses) returns exactly the links that the
    id-list read returns for the area's own nodes, properties included."""
    s = loaded("wucheng")
    b, area = s.backend, s.scenario.spec.area[:9]  # one township
    households = b.nodes_in_area(Label.HOUSEHOLD, area).column("id").to_pylist()
    grids = b.nodes_in_area(Label.GRID, area).column("id").to_pylist()
    assert households and grids

    def rows(table: Any) -> list[tuple[Any, ...]]:
        return sorted(tuple(r.values()) for r in table.to_pylist())

    for rel, source, target, ids, by_target in [
        (Rel.IN_GRID, Label.HOUSEHOLD, Label.GRID, grids, True),
        (Rel.LINKS_HOUSEHOLD, Label.PERSON, Label.HOUSEHOLD, households, True),
        (Rel.VISITED, Label.PERSON, Label.HOUSEHOLD, households, True),
        (Rel.LOCATED_IN, Label.HOUSEHOLD, Label.VILLAGE, households, False),
    ]:
        by_area = b.relationships_in_area(rel, source, target, area, by_target=by_target)
        by_ids = b.fetch_relationships(rel, source, target, ids, by_target=by_target)
        assert by_area.num_rows > 0, rel
        assert rows(by_area) == rows(by_ids), rel


def test_reads_at_once_answer_as_reads_in_turn(loaded: Any) -> None:
    """read_many / read_arrow_many run side by side on the embedded engine: each result has
    the rows its read gives alone, in the order asked; inside a transaction they see its
    writes."""
    s = loaded("qingping")
    b, area, as_of = s.backend, s.scenario.spec.area, s.scenario.spec.as_of
    reads: list[tuple[str, dict[str, Any]]] = [
        ("household_names", {}),
        ("area_household_keys", {"area": area}),
        ("all_linked_households", {"as_of": as_of}),
        ("grid_sizes", {"area": area, "as_of": as_of}),
        ("household_count", {}),
        ("grid_keys", {}),
    ]

    def rows(table: pa.Table) -> list[Any]:  # a scan's order depends on its threads
        return sorted(table.to_pylist(), key=repr)

    alone = [b.read_arrow(name, params) for name, params in reads]
    for _ in range(5):
        at_once = b.read_arrow_many(reads)
        assert [t.schema for t in at_once] == [t.schema for t in alone]
        assert [rows(t) for t in at_once] == [rows(t) for t in alone]
    in_turn = [sorted(b.read(name, params), key=repr) for name, params in reads]
    assert [sorted(found, key=repr) for found in b.read_many(reads)] == in_turn
    count = [("household_count", {}), ("grid_keys", {})]

    def inside() -> None:
        b._run("CREATE (:Household {id: 'H-new', division_code: '6211231090'})", {}, write=True)
        seen = b.read_many(count)[0][0]["households"]
        raise RuntimeError(seen)

    with pytest.raises(RuntimeError) as raised:
        b.atomic(inside)
    assert raised.value.args[0] == alone[4]["households"][0].as_py() + 1  # its own write
    assert b.read_many(count)[0][0]["households"] == alone[4]["households"][0].as_py()


def test_a_read_that_fails_among_reads_at_once_fails_them_after_the_rest_end(
    loaded: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whichever thread takes it, a failing read's error goes up once every other read has
    ended, and the next reads at once answer as before."""
    from govgraph.backends import embedded

    s = loaded("qingping")
    b, as_of = s.backend, s.scenario.spec.as_of
    good = ("all_linked_households", {"as_of": as_of})
    want = sorted(b.read_arrow(*good)["key"].to_pylist())
    ended: list[str] = []
    real = b.read_arrow

    def read_arrow(name: str, params: Any = None, *, threads: int = 0) -> pa.Table:
        if name == "missing":
            raise QueryFailed("no such read")
        table = real(name, params, threads=threads)
        ended.append(name)
        return table

    monkeypatch.setattr(b, "read_arrow", read_arrow)
    monkeypatch.setattr(embedded, "FAN_OUT", 2)  # at once on any machine, one core or more
    for at in range(3):  # the asking thread's read, a helper's, the last
        reads: list[tuple[str, Any]] = [good, good, good]
        reads[at] = ("missing", {})
        ended.clear()
        with pytest.raises(QueryFailed, match="no such read"):
            b.read_arrow_many(reads)
        assert ended == ["all_linked_households"] * 2
    tables = b.read_arrow_many([good] * 4)
    assert [sorted(t["key"].to_pylist()) for t in tables] == [want] * 4


def test_readers_share_a_bounded_pool_of_connections(tmp_path: Path) -> None:
    """Twelve threads reading at once on a store with two reader connections: every read
    answers with its own rows, no more than two connections are ever opened, and a read
    that fails gives its connection back."""
    import threading

    with EmbeddedBackend(tmp_path / "s", read_connections=2) as b:
        b.apply_schema()
        b.write_nodes(Label.PERSON, _people(*(f"P{i}" for i in range(12))))
        answers: dict[int, Any] = {}
        go = threading.Barrier(12)

        def ask(i: int) -> None:
            go.wait()
            for _ in range(20):
                rows = b.query("MATCH (p:Person {id: $id}) RETURN p.id AS id", {"id": f"P{i}"})
                answers.setdefault(i, set()).update(r["id"] for r in rows)

        threads = [threading.Thread(target=ask, args=(i,)) for i in range(12)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert answers == {i: {f"P{i}"} for i in range(12)}
        assert len(b._readers) == 2
        for _ in range(3):  # the connections come back after an error, too
            with pytest.raises(QueryFailed):
                b.query("MATCH (p:Nobody) RETURN p")
        assert b.read_point("household_count")[0]["households"] == 0
        assert len(b._readers) == 2 and len(b._idle) == 2
