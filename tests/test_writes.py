"""The field's writes over HTTP, through the real app on a real embedded store (庆坪镇).

Every write is read back by the questions at once; each is scoped as of today, checked by
the ledgers' rules (422 naming the field), refused when the store contradicts it (409),
audited, and answered again without writing when retried with its Idempotency-Key.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from govgraph import questions as q
from govgraph.api import create_app
from govgraph.api.auth import AuthStore
from govgraph.backends.embedded import EmbeddedBackend
from govgraph.config import Settings
from govgraph.loaders.load import load_scenario
from govgraph.loaders.scenarios import get_scenario

TOWN = "621123109"  # 庆坪镇
OTHER_TOWN = "621123100"  # another township of 渭源县 (the scenario holds only 庆坪镇)
#: the store is qingping's: its writes, like its questions, happen on the scenario's day
TODAY = get_scenario("qingping").as_of


class Field:
    def __init__(self, client: TestClient, auth: AuthStore, backend: EmbeddedBackend) -> None:
        self.client, self.auth, self.backend = client, auth, backend
        self._tokens: dict[tuple[str, str], str] = {}
        self._used: set[str] = set()

    def token(self, role: str, area: str) -> str:
        if (role, area) not in self._tokens:
            self._tokens[(role, area)] = self.auth.create(role, area)[1]
        return self._tokens[(role, area)]

    def post(self, path: str, token: str, body: dict[str, Any], key: str | None = None) -> Any:
        headers = {"Authorization": f"Bearer {token}"}
        if key:
            headers["Idempotency-Key"] = key
        return self.client.post(path, headers=headers, json=body)

    def get(self, path: str, token: str, **params: Any) -> Any:
        return self.client.get(path, headers={"Authorization": f"Bearer {token}"}, params=params)

    def household(self, area: str = TOWN) -> dict[str, Any]:
        """A household in a grid today, not visited lately, that no other test has used, with
        its grid's worker."""
        if not hasattr(self, "_unvisited"):
            answer = q.uncovered(self.backend, TOWN, as_of=TODAY)
            self._unvisited = {h.household for h in answer.households
                               if "not_visited" in h.reasons}  # fmt: skip
        rows = self.backend._run(
            "MATCH (h:Household)-[r:IN_GRID]->(g:Grid)<-[w:GRID_WORKER_OF]-(p:Person) "
            "WHERE h.division_code STARTS WITH $area AND r.valid_to IS NULL "
            "AND w.valid_to IS NULL AND g.level = 3 "
            "RETURN h.id AS id, g.id AS grid, p.id AS worker ORDER BY id",
            {"area": area},
        )
        row = next(r for r in rows if r["id"] not in self._used and r["id"] in self._unvisited)
        self._used.add(row["id"])
        return row

    def visits(self, household: str) -> list[dict[str, Any]]:
        return self.backend.read("household_visits", {"household": household})


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Field]:
    path: Path = tmp_path_factory.mktemp("writes") / "store"
    backend = EmbeddedBackend(path)
    load_scenario(backend, "qingping")
    auth = AuthStore(path.with_name("auth.sqlite3"))
    app = create_app(Settings.load(str(path), {}), backend=backend, auth=auth)
    with TestClient(app) as client:
        yield Field(client, auth, backend)
    backend.close()


def _problem(response: Any, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return str(response.json()["detail"])


def _not_visited(api: Field, token: str, household: str) -> bool:
    ids: set[str] = set()
    offset, total = 0, 1
    while offset < total:
        page = api.get("/households/uncovered", token, area=TOWN, reason="not_visited",
                       limit=1000, offset=offset).json()  # fmt: skip
        ids |= {h["household"] for h in page["households"]}
        offset, total = offset + 1000, page["total"]
    return household in ids


def test_a_visit_counts_in_the_very_next_answer(api: Field) -> None:
    town = api.token("township", TOWN)
    h = api.household()
    assert _not_visited(api, town, h["id"])
    before = api.get("/households/uncovered", town, area=TOWN).json()["by_reason"]
    r = api.post("/visits", town, {"household_id": h["id"], "person_id": h["worker"],
                                   "purpose": "走访"})  # fmt: skip
    assert r.status_code == 201, r.text
    assert r.headers["location"] == f"/households/{h['id']}/visits"
    assert r.json() == {"household_id": h["id"], "person_id": h["worker"],
                        "date": TODAY.isoformat(), "purpose": "走访"}  # fmt: skip
    after = api.get("/households/uncovered", town, area=TOWN).json()["by_reason"]
    assert after["not_visited"] == before["not_visited"] - 1
    assert not _not_visited(api, town, h["id"])
    assert api.visits(h["id"])[0]["date"] == TODAY


def test_a_retry_with_the_same_key_writes_once_and_answers_the_same(api: Field) -> None:
    town = api.token("township", TOWN)
    h = api.household()
    body = {"household_id": h["id"], "person_id": h["worker"], "date": "2022-03-01"}
    first = api.post("/visits", town, body, key="visit-retry-1")
    again = api.post("/visits", town, body, key="visit-retry-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert [v["date"] for v in api.visits(h["id"])].count(dt.date(2022, 3, 1)) == 1
    # the same visit again without a key: the store holds it already
    assert "already holds" in _problem(api.post("/visits", town, body), 409)
    # the key reused for another request
    other = {**body, "date": "2024-03-02"}
    assert "another request" in _problem(api.post("/visits", town, other, "visit-retry-1"), 422)


def test_bad_writes_name_the_field_with_the_ledger_s_words(api: Field) -> None:
    town = api.token("township", TOWN)
    h = api.household()
    future = (TODAY + dt.timedelta(days=3)).isoformat()
    detail = _problem(
        api.post(
            "/visits", town, {"household_id": h["id"], "person_id": h["worker"], "date": future}
        ),
        422,
    )
    assert detail == f"date: date in the future (today is {TODAY.isoformat()})"
    detail = _problem(api.post("/visits", town, {"household_id": h["id"],
                                                 "person_id": "P-nobody"}), 422)  # fmt: skip
    assert (
        detail == "person_id: Person P-nobody does not exist (not in these files, not in the store)"
    )
    detail = _problem(api.post("/cases", town, {"type": "吵架", "households": [h["id"]]}), 422)
    assert detail.startswith("type: not one of 邻里纠纷")
    detail = _problem(api.post("/visits", town, {"person_id": h["worker"]}), 422)
    assert "household_id" in detail
    assert h["id"] not in {v["person_id"] for v in api.visits(h["id"])}


def test_writes_are_scoped_to_the_caller_s_area_today(api: Field) -> None:
    town, other = api.token("township", TOWN), api.token("township", OTHER_TOWN)
    h = api.household()
    neighbour = next(x for x in iter(api.household, None) if x["grid"] != h["grid"])
    before = api.backend.counts()
    _problem(api.post("/visits", other, {"household_id": h["id"], "person_id": h["worker"]}), 404)
    _problem(api.post("/cases", other, {"type": "debt", "households": [h["id"]]}), 404)
    _problem(api.post(f"/households/{h['id']}/grid", other, {"grid_id": h["grid"]}), 404)
    _problem(api.post(f"/grids/{h['grid']}/posts", other,
                      {"person_id": h["worker"], "role": "volunteer"}), 404)  # fmt: skip
    _problem(api.post(f"/households/{h['id']}/links", other, {"person_id": h["worker"]}), 404)
    _problem(api.post(f"/households/{h['id']}/links/{h['worker']}/end", other, {}), 404)
    _problem(api.post(f"/grids/{h['grid']}/posts/{h['worker']}/end", other,
                      {"role": "grid_worker"}), 404)  # fmt: skip
    _problem(api.get(f"/households/{h['id']}/visits", other), 404)
    case = api.post("/cases", town, {"type": "debt", "households": [h["id"]]}).json()["id"]
    before = api.backend.counts()
    for step, body in (
        ("escalations", {"tier": "township"}),
        ("assignments", {"department_id": "D62112301"}),
        ("assignments/D62112301/report", {}),
        ("closing", {"outcome": "resolved"}),
    ):
        _problem(api.post(f"/cases/{case}/{step}", other, body), 404)  # fmt: skip
    # a grid worker: only in their own grid, and not what the township decides
    worker = api.token("grid_worker", h["grid"])
    visit = {"household_id": neighbour["id"], "person_id": neighbour["worker"]}
    _problem(api.post("/visits", worker, visit), 404)
    assert api.post("/visits", town, visit).status_code == 201
    before = api.backend.counts()
    _problem(api.post(f"/grids/{h['grid']}/posts", worker,
                      {"person_id": h["worker"], "role": "volunteer"}), 403)  # fmt: skip
    _problem(api.post(f"/households/{h['id']}/grid", worker, {"grid_id": h["grid"]}), 403)
    assert api.backend.counts() == before
    own = {"household_id": h["id"], "person_id": h["worker"]}
    assert api.post("/visits", worker, own).status_code == 201


def test_a_case_s_whole_loop_and_the_conflicts_on_the_way(api: Field) -> None:
    town = api.token("township", TOWN)
    h = api.household()
    opened = api.post("/cases", town, {"type": "邻里纠纷", "households": [h["id"]],
                                       "reporter_id": h["worker"], "summary": "宅基地边界"},
                      key="case-loop")  # fmt: skip
    assert opened.status_code == 201, opened.text
    case = opened.json()
    cid = case["id"]
    assert opened.headers["location"] == f"/cases/{cid}"
    assert (case["tier"], case["status"], case["due"]) == (
        "village",
        "intake",
        (TODAY + dt.timedelta(days=3)).isoformat(),
    )
    assert [e["tier"] for e in case["escalations"]] == ["village"]
    # the same key makes the same case, once
    assert api.post("/cases", town, {"type": "邻里纠纷", "households": [h["id"]],
                                     "reporter_id": h["worker"], "summary": "宅基地边界"},
                    key="case-loop").json()["id"] == cid  # fmt: skip
    assert "township tier only" in _problem(api.post(f"/cases/{cid}/escalations", town,
                                         {"tier": "county"}), 409)  # fmt: skip
    up = api.post(f"/cases/{cid}/escalations", town, {"tier": "township"})
    assert up.status_code == 201 and up.json()["tier"] == "township"
    assert up.json()["due"] == (TODAY + dt.timedelta(days=7)).isoformat()
    path = api.get(f"/cases/{cid}/coordination", town).json()
    assert path["tier"] == "township" and path["paths"]
    dept = api.backend._run(
        "MATCH (d:Department) WHERE d.division_code = '621123' RETURN d.id AS id ORDER BY id "
        "LIMIT 1", {})[0]["id"]  # fmt: skip
    assert api.post(f"/cases/{cid}/assignments", town, {"department_id": dept}).status_code == 201
    assert "was assigned" in _problem(
        api.post(f"/cases/{cid}/assignments", town, {"department_id": dept, "role": "assist"}), 409
    )
    _problem(api.post(f"/cases/{cid}/assignments/D-none/report", town, {}), 404)
    reported = api.post(f"/cases/{cid}/assignments/{dept}/report", town, {})
    assert reported.status_code == 200
    assert reported.json()["assignments"][0]["reported"] == TODAY.isoformat()
    closed = api.post(f"/cases/{cid}/closing", town, {"outcome": "resolved", "satisfaction": 5})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert "closed on" in _problem(api.post(f"/cases/{cid}/closing", town,
                                            {"outcome": "unresolved"}), 409)  # fmt: skip
    assert "closed on" in _problem(api.post(f"/cases/{cid}/escalations", town,
                                            {"tier": "county"}), 409)  # fmt: skip
    overdue = api.get("/cases/overdue", town, area=TOWN).json()
    assert cid not in json.dumps(overdue)


def test_moving_a_household_closes_its_old_period_and_the_answers_follow(api: Field) -> None:
    town = api.token("township", TOWN)
    h = api.household()
    target = api.backend._run(
        "MATCH (g:Grid) WHERE g.division_code = $v AND g.level = 3 AND g.id <> $g "
        "RETURN g.id AS id ORDER BY id LIMIT 1",
        {"v": h["id"][1:13], "g": h["grid"]},
    )[0]["id"]
    old_worker = api.token("grid_worker", h["grid"])
    member = next(
        r["person"]
        for r in api.backend.read("household_detail", {"household": h["id"]})
        if r["person"]
    )
    case = api.post("/cases", old_worker, {"type": "debt", "households": [h["id"]]}).json()["id"]
    theirs = (f"/households/{h['id']}", f"/households/{h['id']}/responsible",
              f"/views/households/{h['id']}", f"/persons/{member}",
              f"/cases/{case}/coordination", f"/views/cases/{case}")  # fmt: skip
    for path in theirs:
        assert api.get(path, old_worker).status_code == 200, path
    r = api.post(f"/households/{h['id']}/grid", town, {"grid_id": target})
    assert r.status_code == 200, r.text
    periods = {p["grid"]: p for p in api.backend.read("household_grids", {"household": h["id"]})}
    assert periods[h["grid"]]["valid_to"] == TODAY - dt.timedelta(days=1)
    assert periods[target]["valid_from"] == TODAY and periods[target]["valid_to"] is None
    grids = [r["id"] for r in api.get(f"/households/{h['id']}/responsible", town).json()["roles"]
             if r["role"] == "grid"]  # fmt: skip
    assert grids == [target]
    # the old grid's worker no longer reads it — whatever day they ask about
    yesterday = (TODAY - dt.timedelta(days=1)).isoformat()
    for path in theirs:
        _problem(api.get(path, old_worker, as_of=yesterday), 404)
        _problem(api.get(path, old_worker), 404)
    _problem(api.post(f"/cases/{case}/closing", old_worker, {"outcome": "resolved"}), 404)
    assert api.get(f"/households/{h['id']}", api.token("grid_worker", target)).status_code == 200
    _problem(api.post(f"/households/{h['id']}/grid", town, {"grid_id": target}), 409)


def test_a_grid_worker_asks_about_their_grid_as_of_today_only(api: Field) -> None:
    h = api.household()
    worker = api.token("grid_worker", h["grid"])
    assert api.get("/households/uncovered", worker).status_code == 200
    last_year = (TODAY - dt.timedelta(days=365)).isoformat()
    assert "as of today" in _problem(api.get("/households/uncovered", worker, as_of=last_year), 403)
    _problem(api.get(f"/views/grids/{h['grid']}", worker, as_of=last_year), 403)
    town = api.token("township", TOWN)
    assert api.get("/households/uncovered", town, as_of=last_year).status_code == 200


def test_posts_and_links_keep_the_person_s_other_memberships(api: Field) -> None:
    town = api.token("township", TOWN)
    h, other = api.household(), api.household()
    worker = h["worker"]
    held = api.backend.fetch_relationships("GRID_WORKER_OF", "Person", "Grid", [worker])
    before = {r["target"] for r in held.to_pylist() if r["valid_to"] is None}
    r = api.post(
        f"/grids/{other['grid']}/posts",
        town,
        {"person_id": worker, "role": "grid_worker", "employment": "part_time"},
    )
    assert r.status_code in (201, 409), r.text  # 409: already serves that grid
    now = api.backend.fetch_relationships("GRID_WORKER_OF", "Person", "Grid", [worker])
    current = {r["target"] for r in now.to_pylist() if r["valid_to"] is None}
    assert current == before | {other["grid"]}
    if other["grid"] not in before:
        end = api.post(f"/grids/{other['grid']}/posts/{worker}/end", town,
                       {"role": "grid_worker"})  # fmt: skip
        assert end.status_code == 200
        after = api.backend.fetch_relationships("GRID_WORKER_OF", "Person", "Grid", [worker])
        assert {r["target"] for r in after.to_pylist() if r["valid_to"] is None} == before
    _problem(api.post(f"/grids/{other['grid']}/posts/{worker}/end", town,
                      {"role": "grid_head"}), 404)  # fmt: skip
    member = api.backend._run(
        "MATCH (p:Person)-[l:LINKS_HOUSEHOLD]->(x:Household) WHERE l.valid_to IS NULL "
        "AND x.division_code STARTS WITH $t RETURN p.id AS id ORDER BY id LIMIT 1",
        {"t": TOWN},
    )[0]["id"]
    links = api.backend.fetch_relationships("LINKS_HOUSEHOLD", "Person", "Household", [member])
    linked = {r["target"] for r in links.to_pylist() if r["valid_to"] is None}
    assert api.post(f"/households/{h['id']}/links", town, {"person_id": member}).status_code == 201
    roles = api.get(f"/households/{h['id']}/responsible", town).json()["roles"]
    assert member in {r["id"] for r in roles if r["role"] == "linking_party_member"}
    assert api.post(f"/households/{h['id']}/links/{member}/end", town, {}).status_code == 200
    links = api.backend.fetch_relationships("LINKS_HOUSEHOLD", "Person", "Household", [member])
    assert {r["target"] for r in links.to_pylist() if r["valid_to"] is None} == linked
    _problem(api.post(f"/households/{h['id']}/links/{member}/end", town, {}), 409)


def test_writes_are_audited_with_who_when_and_what(api: Field) -> None:
    town = api.token("township", TOWN)
    h = api.household()
    token_id = api.auth.verify(town).token_id  # type: ignore[union-attr]
    api.post("/visits", town, {"household_id": h["id"], "person_id": h["worker"]})
    entry = api.auth.audit_log(1)[0]
    assert (entry["token_id"], entry["method"], entry["path"]) == (token_id, "POST", "/visits")
    assert entry["records"] == [h["id"], h["worker"]]
    # the audit log keeps the clock's time, whatever day the store lives on
    assert entry["at"].startswith(dt.date.today().isoformat()[:4])


def test_metrics_are_for_admins_in_prometheus_form(api: Field) -> None:
    town, admin = api.token("township", TOWN), api.token("admin", "")
    api.get("/households/uncovered", town, area=TOWN)
    _problem(api.get("/metrics", town), 403)
    text = api.get("/metrics", admin).text
    assert (
        'govgraph_requests_total{method="GET",route="/households/uncovered",status="200"}' in text
    )
    assert "# TYPE govgraph_request_duration_seconds histogram" in text
    assert 'govgraph_writes_total{status="201"}' in text
    count = int(text.split("govgraph_request_duration_seconds_count ")[1].split()[0])
    inf = int(text.split('le="+Inf"} ')[1].split()[0])
    assert count == inf > 0


def test_a_request_that_fails_on_the_server_is_counted_and_logged_as_a_500(
    api: Field, caplog: pytest.LogCaptureFixture
) -> None:
    app = api.client.app

    def fails() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/_test/fails", fails)  # type: ignore[attr-defined]
    with caplog.at_level(logging.INFO, logger="govgraph.access"):
        r = TestClient(app, raise_server_exceptions=False).get("/_test/fails")
    assert r.status_code == 500
    lines = [json.loads(x.getMessage()) for x in caplog.records if x.name == "govgraph.access"]
    assert [(line["path"], line["status"]) for line in lines] == [("/_test/fails", 500)]
    text = api.get("/metrics", api.token("admin", "")).text
    assert 'govgraph_requests_total{method="GET",route="/_test/fails",status="500"} 1' in text
    assert int(text.split("\ngovgraph_errors_total ")[1].split()[0]) >= 1


def test_the_access_log_has_one_line_per_request_without_secrets(
    api: Field, caplog: pytest.LogCaptureFixture
) -> None:
    town = api.token("township", TOWN)
    with caplog.at_level(logging.INFO, logger="govgraph.access"):
        api.get(f"/households/{api.household()['id']}", town)
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "govgraph.access"]
    assert len(lines) == 1
    line = lines[0]
    assert set(line) == {"method", "path", "status", "ms", "token"} and line["status"] == 200
    assert line["token"] == api.auth.verify(town).token_id  # type: ignore[union-attr]
    assert town not in caplog.text


def test_the_control_route_is_hidden_from_everyone_else(api: Field) -> None:
    r = api.client.post("/_control/run", content=b"x", headers={"X-Govgraph-Control": "guess"})
    _problem(r, 404)
    assert "/_control/{name}" not in api.client.get("/openapi.json").json()["paths"]


def test_a_day_of_field_writes_is_idempotent_and_atomic(tmp_path: Path) -> None:
    from govgraph.errors import QueryFailed
    from govgraph.schema.model import Label

    from .factories import field_day

    with EmbeddedBackend(tmp_path / "store") as store:
        scenario, _ = load_scenario(store, "wucheng")
        first = field_day(store, scenario.spec.area, TODAY)
        assert all(w.changed for w in first[:11])
        again = field_day(store, scenario.spec.area, TODAY, retry=True)
        assert not any(w.changed for w in again[:11])
        # each answer is the record as it stands now (a case answered at its closing)
        assert [w.location for w in again[:11]] == [w.location for w in first[:11]]
        assert again[5].answer == first[5].answer
        assert again[11:] == first[11:]  # the questions and every count: unchanged
        counts = store.counts()

        def half_then_fail() -> None:
            store._run("CREATE (:Grid {id: 'G-half', name: 'x', level: 3})", {}, write=True)
            raise QueryFailed("stop here")

        with pytest.raises(QueryFailed):
            store.atomic(half_then_fail)
        assert store.counts() == counts
        assert store.fetch_nodes(Label.GRID, ["G-half"]).num_rows == 0


def test_after_every_kind_of_write_the_answers_are_the_store_s(api: Field) -> None:
    """The embedded backend keeps answers about grids, villages, townships, counties, centers
    and party organisations between writes that may change them (``read_place``): after
    each kind of field write, "who is responsible" with what is kept is the answer read
    afresh, a new post shows at once, and the writes that touch no place (a visit, a link,
    a case, a household's grid) keep them."""
    town = api.token("township", TOWN)
    h = api.household()
    other = api.household()
    while other["grid"] == h["grid"]:
        other = api.household()

    def served() -> int:
        places = api.backend._write_lock.dates["places"]
        return sum(
            1 for date_, _ in api.backend._kept.answers["places"].values() if date_ == places
        )

    def answer() -> list[Any]:
        r = api.get(f"/households/{h['id']}/responsible", town)
        assert r.status_code == 200, r.text
        return [(x["role"], x["id"], x["via"]) for x in r.json()["roles"]]

    def gaps() -> Any:  # the township holds the whole store: the households' names read whole
        r = api.get(f"/households/uncovered?area={TOWN}&limit=1000", town)
        assert r.status_code == 200, r.text
        return r.json()

    def write(path: str, body: dict[str, Any], status: int, *, places: bool) -> Any:
        answer(), gaps()
        assert served() > 0, path  # its grid's, village's, township's and county's answers
        names = api.backend._write_lock.dates["directory"]
        r = api.post(path, town, body)
        assert r.status_code == status, (path, r.text)
        assert (served() == 0) is places, path  # dropped only by a write to a place
        assert api.backend._write_lock.dates["directory"] == names, path  # none adds a household
        kept = answer(), gaps()
        api.backend.forget_kept()
        assert kept == (answer(), gaps()), path  # what is kept is what the store says
        return r.json()

    write("/visits", {"household_id": h["id"], "person_id": h["worker"]}, 201, places=False)
    member = api.backend._run(
        "MATCH (p:Person)-[l:LINKS_HOUSEHOLD]->(x:Household) WHERE l.valid_to IS NULL "
        "AND x.division_code STARTS WITH $t RETURN p.id AS id ORDER BY id LIMIT 1",
        {"t": TOWN},
    )[0]["id"]
    write(f"/households/{h['id']}/links", {"person_id": member}, 201, places=False)
    write(f"/households/{h['id']}/links/{member}/end", {}, 200, places=False)
    post = {"person_id": other["worker"], "role": "grid_worker", "employment": "part_time"}
    write(f"/grids/{h['grid']}/posts", post, 201, places=True)
    assert ("grid_worker", other["worker"], h["grid"]) in answer()  # at once
    write(f"/grids/{h['grid']}/posts/{other['worker']}/end", {"role": "grid_worker"}, 200,
          places=True)  # fmt: skip
    case = write("/cases", {"type": "邻里纠纷", "households": [h["id"]],
                            "reporter_id": h["worker"], "summary": "院墙"}, 201,
                 places=False)["id"]  # fmt: skip
    write(f"/cases/{case}/escalations", {"tier": "township"}, 201, places=False)
    dept = api.backend._run(
        "MATCH (d:Department) WHERE d.division_code = '621123' RETURN d.id AS id ORDER BY id "
        "LIMIT 1", {})[0]["id"]  # fmt: skip
    write(f"/cases/{case}/assignments", {"department_id": dept}, 201, places=False)
    write(f"/cases/{case}/assignments/{dept}/report", {}, 200, places=False)
    write(f"/cases/{case}/closing", {"outcome": "resolved", "satisfaction": 5}, 200,
          places=False)  # fmt: skip
    write(f"/households/{h['id']}/grid", {"grid_id": other["grid"]}, 200, places=False)
