"""The HTTP API through the real app on a scenario, run once on a temp embedded store and
once on the test Neo4j server (scoping, masking, audit and errors on both engines)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from govgraph import questions as q
from govgraph.api import create_app
from govgraph.api.auth import AuthStore
from govgraph.backends.base import GraphBackend
from govgraph.backends.embedded import EmbeddedBackend
from govgraph.config import Settings
from govgraph.loaders.load import load_scenario

from .conftest import open_test_neo4j

AS_OF = "2023-12-15"
TOWN_A, TOWN_B = "621027100", "621027101"  # 城关镇, 屯字镇 in 镇原县


class Api:
    def __init__(
        self, client: TestClient, auth: AuthStore, backend: GraphBackend, manifest: object
    ) -> None:
        self.client, self.auth, self.backend, self.manifest = client, auth, backend, manifest
        self.tokens: dict[str, str] = {}

    def token(self, role: str, area: str, pii: bool = False) -> str:
        key = f"{role}:{area}:{pii}"
        if key not in self.tokens:
            self.tokens[key] = self.auth.create(role, area, pii=pii)[1]
        return self.tokens[key]

    def get(self, path: str, token: str | None, **params: object) -> object:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self.client.get(path, headers=headers, params=params)

    def household_in(self, town: str) -> str:
        return self.backend.read("sample_households", {"area": town, "limit": 1})[0]["id"]


@pytest.fixture(scope="module", params=["embedded", pytest.param("neo4j", marks=pytest.mark.slow)])
def api(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    path: Path = tmp_path_factory.mktemp("api") / "store"
    backend: GraphBackend
    if request.param == "neo4j":
        server = request.getfixturevalue("neo4j_server")
        backend = open_test_neo4j(server)
        settings = Settings.load(server[0], {"GOVGRAPH_NEO4J_PASSWORD": server[1]})
    else:
        backend = EmbeddedBackend(path)
        settings = Settings.load(str(path), {})
    try:
        scenario, _ = load_scenario(backend, "zhenyuan")
        auth = AuthStore(path.with_name("auth.sqlite3"))
        with TestClient(create_app(settings, backend=backend, auth=auth)) as client:
            yield Api(client, auth, backend, scenario.manifest)
    finally:
        backend.close()


def _is_problem(response: object, status: int) -> dict[str, object]:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    assert response.headers["content-type"].startswith("application/problem+json")  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert set(body) == {"type", "title", "status", "detail", "instance"}
    assert body["status"] == status
    return body  # type: ignore[no-any-return]


def test_health_needs_no_token(api: Api) -> None:
    r = api.get("/health", None)
    assert r.status_code == 200 and r.json() == {"status": "ok", "store": api.backend.dialect}


@pytest.mark.parametrize(
    "path",
    [
        "/households/uncovered",
        "/households/H1/responsible",
        "/households/H1",
        "/workers/overloaded",
        "/cases/overdue",
        "/cases/K1/coordination",
        "/areas/621027/summary",
        "/areas/621027/children",
        "/persons/P1",
        "/grids/G1",
        "/views/households/H1",
        "/views/grids/G1",
        "/views/cases/K1",
        "/views/areas/621027",
        "/views/areas/621027/departments",
    ],
)
def test_every_endpoint_needs_a_valid_token(api: Api, path: str) -> None:
    body = _is_problem(api.get(path, None), 401)
    assert "bearer token" in body["detail"]
    _is_problem(api.get(path, "ggt_not-a-token"), 401)


def test_county_token_happy_paths(api: Api) -> None:
    county = api.token("county", "621027")
    household = api.household_in(TOWN_A)
    r = api.get(f"/households/{household}/responsible", county, as_of=AS_OF)
    assert r.status_code == 200
    roles = {x["role"] for x in r.json()["roles"]}
    assert {"household", "grid", "grid_worker", "village", "township", "county"} <= roles
    r = api.get(f"/households/{household}", county)
    assert r.status_code == 200 and r.json()["members"]
    r = api.get("/households/uncovered", county, as_of=AS_OF, limit=10, offset=5)
    page = r.json()
    assert r.status_code == 200 and page["area"] == "621027" and len(page["households"]) == 10
    asked = q.uncovered(api.backend, "621027", as_of=date.fromisoformat(AS_OF))
    assert page["total"] == asked.total > 15
    assert [h["household"] for h in page["households"]] == [
        h.household for h in asked.households[5:15]
    ]
    assert sum(c["households"] for c in page["by_child_area"].values()) == page["total"]
    assert page["by_reason"]["no_grid"] == len(api.manifest.households_without_grid)
    only = api.get("/households/uncovered", county, as_of=AS_OF, reason="no_grid").json()
    assert only["total"] == len(api.manifest.households_without_grid)
    r = api.get("/workers/overloaded", county, as_of=AS_OF)
    assert r.status_code == 200
    workers = r.json()["workers"]
    expected = q.overloaded(api.backend, "621027", as_of=date.fromisoformat(AS_OF)).workers
    assert [w["person"] for w in workers] == [w.person for w in expected][: len(workers)]
    assert workers and all(w["ratio"] > 1 for w in workers)
    assert [w["ratio"] for w in workers] == sorted((w["ratio"] for w in workers), reverse=True)
    overdue = api.get("/cases/overdue", county, as_of=AS_OF).json()
    assert {c["case_id"] for c in overdue["overdue"]} == set(api.manifest.overdue_cases)
    case = overdue["overdue"][0]["case_id"]
    r = api.get(f"/cases/{case}/coordination", county, as_of=AS_OF)
    assert r.status_code == 200 and r.json()["paths"][0][-1] == "GC621027"
    r = api.get("/areas/621027/summary", county, as_of=AS_OF)
    assert r.status_code == 200 and r.json()["households"] == 42_000
    kids = api.get("/areas/621027/children", county).json()
    assert len(kids) == 19 and {k["kind"] for k in kids} <= {"镇", "乡"}
    grid = r2 = api.get("/grids/G62102710020101", county, as_of=AS_OF)
    assert r2.status_code == 200 and grid.json()["division_code"] == "621027100201"


def test_a_township_token_cannot_see_another_township_by_any_endpoint(api: Api) -> None:
    a = api.token("township", TOWN_A)
    other = api.household_in(TOWN_B)
    missing = "H621027101999999"
    for path in (f"/households/{other}/responsible", f"/households/{other}"):
        outside = _is_problem(api.get(path, a, as_of=AS_OF), 404)
        absent = _is_problem(api.get(path.replace(other, missing), a, as_of=AS_OF), 404)
        assert outside["title"] == absent["title"]
        assert outside["detail"].replace(other, "X") == absent["detail"].replace(missing, "X")
    member = api.get(f"/households/{other}", api.token("county", "621027")).json()["members"][0]
    _is_problem(api.get(f"/persons/{member['person']}", a), 404)
    for path in (f"/areas/{TOWN_B}/summary", f"/areas/{TOWN_B}/children", "/areas/621027/summary"):
        _is_problem(api.get(path, a, as_of=AS_OF), 404)
    _is_problem(api.get("/households/uncovered", a, area=TOWN_B), 404)
    _is_problem(api.get("/workers/overloaded", a, area="621027"), 404)
    _is_problem(api.get("/cases/overdue", a, area=TOWN_B), 404)
    _is_problem(api.get("/grids/G62102710100101", a), 404)
    b_cases = [c for c in api.manifest.overdue_cases if c.startswith("K621027101")]
    for case in b_cases[:2]:
        _is_problem(api.get(f"/cases/{case}/coordination", a, as_of=AS_OF), 404)
    mine = api.get("/households/uncovered", a, as_of=AS_OF).json()
    assert mine["area"] == TOWN_A
    assert all(h["division_code"].startswith(TOWN_A) for h in mine["households"])


def test_personal_data_is_masked_unless_the_token_allows_it_and_then_audited(api: Api) -> None:
    household = api.household_in(TOWN_A)
    masked = api.get(f"/households/{household}", api.token("township", TOWN_A)).json()
    head = masked["members"][0]
    assert "*" in head["id_number"] and head["id_number"][:4] == "6210"
    before = len(api.auth.audit_log(10_000))
    clear = api.get(f"/households/{household}", api.token("township", TOWN_A, pii=True)).json()
    assert "*" not in clear["members"][0]["id_number"]
    assert len(clear["members"][0]["id_number"]) == 18
    log = AuthStore(api.auth.path).audit_log(10_000)  # a fresh reader: it is on disk
    assert len(log) == before + 1
    assert log[0]["path"] == f"/households/{household}"
    assert set(log[0]["records"]) == {m["person"] for m in clear["members"]}
    person = api.get(f"/persons/{head['person']}", api.token("county", "621027")).json()
    assert "*" in person["id_number"] and (person["phone"] is None or "*" in person["phone"])


def test_asking_for_unmasked_data_without_permission_is_forbidden(api: Api) -> None:
    household = api.household_in(TOWN_A)
    body = _is_problem(
        api.get(f"/households/{household}", api.token("township", TOWN_A), unmasked="true"), 403
    )
    assert "unmasked" in body["detail"]
    allowed = api.get(
        f"/households/{household}", api.token("township", TOWN_A, pii=True), unmasked="true"
    )
    assert allowed.status_code == 200


def test_a_revoked_token_stops_working(api: Api) -> None:
    token_id, secret = api.auth.create("county", "621027")
    assert api.get("/areas/621027/children", secret).status_code == 200
    api.auth.revoke(token_id)
    _is_problem(api.get("/areas/621027/children", secret), 401)


def test_a_token_revoked_by_another_process_is_refused_on_the_next_request(
    api: Api, tmp_path: Path
) -> None:
    """Verified tokens are kept in memory; a revocation from the CLI, another process
    writing the token file, still takes effect at once."""
    import subprocess
    import sys

    token_id, secret = api.auth.create("county", "621027")
    for _ in range(3):  # verified once, then answered from memory
        assert api.get("/areas/621027/children", secret).status_code == 200
    assert api.auth._verified  # the cache is in use
    env = {**os.environ, "GOVGRAPH_AUTH_DB": str(api.auth.path)}
    subprocess.run([sys.executable, "-m", "govgraph", "token", "revoke", token_id], env=env,
                   check=True, capture_output=True, cwd=tmp_path)  # fmt: skip
    _is_problem(api.get("/areas/621027/children", secret), 401)


@pytest.mark.parametrize(("journal", "pread"), [("delete", True), ("wal", True),
                                                 ("delete", False)])  # fmt: skip
def test_a_token_revoked_through_another_connection_is_refused_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, journal: str, pread: bool
) -> None:
    """A change to the token file is seen by the next check, whether the server reads it in
    SQLite's rollback-journal mode, where the file's change counter says so, or in WAL mode
    (a file an operator turned), where the counter stays and the data version says so, as
    it does where the file's header cannot be read at an offset (no ``pread``: Windows)."""
    import sqlite3

    from govgraph.api import auth

    monkeypatch.setattr(auth, "_PREAD", pread)
    path = tmp_path / "auth.sqlite3"
    server, command = AuthStore(path), AuthStore(path)
    if journal == "wal":
        with sqlite3.connect(path) as db:
            assert db.execute("PRAGMA journal_mode=WAL").fetchone() == ("wal",)
    for _ in range(2):
        token_id, secret = command.create("county", "621027")
        assert server.verify(secret) is not None
        assert server.verify(secret) is not None  # from memory
        assert server._seen is not None
        assert server._seen[0] == ("counter" if journal == "delete" and pread else "data_version")
        command.revoke(token_id)  # another connection: the CLI, another process
        assert server.verify(secret) is None


def test_an_expired_token_stops_working(api: Api) -> None:
    _, lasting = api.auth.create("county", "621027", expires=timedelta(days=90))
    _, expired = api.auth.create("county", "621027", expires=timedelta(seconds=-1))
    assert api.get("/areas/621027/children", lasting).status_code == 200
    _is_problem(api.get("/areas/621027/children", expired), 401)


def test_a_person_is_found_by_id_number_within_the_token_s_area(api: Api) -> None:
    household = api.household_in(TOWN_A)
    clear = api.get(f"/households/{household}", api.token("township", TOWN_A, pii=True)).json()
    member = clear["members"][0]

    def lookup(token: str, id_number: str) -> object:
        return api.client.post("/persons/lookup", json={"id_number": id_number},
                               headers={"Authorization": f"Bearer {token}"})  # fmt: skip

    found = lookup(api.token("township", TOWN_A), member["id_number"])
    assert found.status_code == 200, found.text  # type: ignore[attr-defined]
    assert [p["id"] for p in found.json()] == [member["person"]]  # type: ignore[attr-defined]
    assert found.json()[0]["household"] == household  # type: ignore[attr-defined]
    elsewhere = lookup(api.token("township", TOWN_B), member["id_number"])
    assert elsewhere.json() == []  # type: ignore[attr-defined]
    _is_problem(lookup(api.token("township", TOWN_A), member["id_number"][:4] + "*" * 10
                       + member["id_number"][-4:]), 422)  # fmt: skip


def test_a_grid_worker_sees_only_their_grid(api: Api) -> None:
    grid = "G62102710020101"
    worker = api.token("grid_worker", grid)
    today = api.backend.default_day()  # the scenario's day: its grid workers' today
    assert today == date.fromisoformat(AS_OF)
    inside = api.backend.read(
        "uncovered_in_grid",
        {"grid": grid, "as_of": today, "cutoff": today - timedelta(days=90)},
    )
    page = api.get("/households/uncovered", worker).json()
    assert page["area"] == grid and page["total"] == len(inside)
    # their grid as of today only: another day's households are the township's question
    _is_problem(api.get("/households/uncovered", worker, as_of="2023-06-30"), 403)
    _is_problem(api.get("/households/uncovered", worker, area="621027"), 404)
    _is_problem(api.get("/workers/overloaded", worker), 404)
    _is_problem(api.get(f"/households/{api.household_in(TOWN_B)}", worker), 404)
    assert api.get(f"/grids/{grid}", worker).status_code == 200


class _Spy:
    """Counts the answers the hot route writes itself (see ``api/hot.py``)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from govgraph.api import hot

        self.count, real = 0, hot.responsible_json

        def counted(answer: q.Responsibility) -> bytes:
            self.count += 1
            return real(answer)

        monkeypatch.setattr(hot, "responsible_json", counted)


def test_the_hot_route_writes_what_the_fastapi_route_writes(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Who is responsible is answered beside FastAPI for an ordinary request on the
    embedded store (on Neo4j, by the FastAPI route: each statement a round trip); the same
    request with a parameter the route ignores goes through FastAPI: status, type and
    every byte are the same, for tokens of every reach, with and without ``as_of``."""
    spy = _Spy(monkeypatch)
    hot_road = int(api.backend.answers_in_process)
    assert hot_road == (api.backend.dialect == "embedded")
    grid = "G62102710020101"  # in village 621027100201
    sample = {"area": "621027100201", "limit": 40}
    village = [r["id"] for r in api.backend.read("sample_households", sample)]
    in_grid = [h for h in village if any(
        r["grid"] == grid and r["valid_to"] is None
        for r in api.backend.read("household_grids", {"household": h}))]  # fmt: skip
    households = [r["id"] for r in api.backend.read("sample_households",
                                                    {"area": TOWN_A, "limit": 12})]  # fmt: skip
    assert len(households) == 12 and len(in_grid) >= 3
    asked = [(api.token("county", "621027"), h) for h in households]
    asked += [(api.token("township", TOWN_A), h) for h in households[:4]]
    asked += [(api.token("grid_worker", grid), h) for h in in_grid[:3]]
    answered = 0
    for token, household in asked:
        for params in ({"as_of": AS_OF}, {}, {"as_of": "2022-01-31"}):
            path = f"/households/{household}/responsible"
            before = spy.count
            hot = api.get(path, token, **params)
            assert hot.status_code == 200, hot.text
            assert spy.count == before + hot_road  # answered beside FastAPI
            plain = api.get(path, token, **params, ignored="1")
            assert spy.count == before + hot_road  # answered by the FastAPI route
            assert hot.content == plain.content
            assert hot.headers["content-type"] == plain.headers["content-type"]
            assert hot.headers["content-length"] == plain.headers["content-length"]
            answered += 1
    assert answered == len(asked) * 3
    day = date.fromisoformat(AS_OF)
    assert api.get(f"/households/{households[0]}/responsible", asked[0][0],
                   as_of=AS_OF).json() == q.responsible(api.backend, households[0],
                                                        as_of=day).to_dict()  # fmt: skip


def test_what_the_hot_route_cannot_answer_the_fastapi_route_answers(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No token, an unknown or revoked one, a day FastAPI reads another way or not at all,
    a household outside the token's reach or in no store: each answered as documented,
    and none by the hot route."""
    spy = _Spy(monkeypatch)
    county, town_a = api.token("county", "621027"), api.token("township", TOWN_A)
    mine, other = api.household_in(TOWN_A), api.household_in(TOWN_B)
    path = f"/households/{mine}/responsible"
    _is_problem(api.get(path, None, as_of=AS_OF), 401)
    _is_problem(api.get(path, "ggt_not-a-token", as_of=AS_OF), 401)
    r = api.client.get(path, headers={"Authorization": f"Basic {county}"})
    _is_problem(r, 401)
    _is_problem(api.get(path, county, as_of="2023-02-30"), 422)
    _is_problem(api.get(path, county, as_of="yesterday"), 422)
    _is_problem(api.get(f"/households/{other}/responsible", town_a, as_of=AS_OF), 404)
    _is_problem(api.get("/households/H621027100999999/responsible", county), 404)
    _is_problem(api.get(f"/households/{other}/responsible", api.token("grid_worker",
                        "G62102710020101")), 404)  # fmt: skip
    assert spy.count == 0
    token_id, secret = api.auth.create("township", TOWN_A)
    hot_road = int(api.backend.answers_in_process)
    assert api.get(path, secret, as_of=AS_OF).status_code == 200 and spy.count == hot_road
    api.auth.revoke(token_id)
    _is_problem(api.get(path, secret, as_of=AS_OF), 401)  # at once
    assert spy.count == hot_road


def test_the_hot_route_is_counted_and_logged_as_the_route(
    api: Api, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    spy = _Spy(monkeypatch)
    admin = api.token("admin", "621027")

    def answered() -> int:
        text = api.get("/metrics", admin).text  # type: ignore[attr-defined]
        line = ('govgraph_requests_total{method="GET",'
                'route="/households/{household_id}/responsible",status="200"} ')  # fmt: skip
        found = [x for x in text.splitlines() if x.startswith(line)]
        return int(found[0].rsplit(" ", 1)[1]) if found else 0

    before = answered()
    token_id, secret = api.auth.create("county", "621027")
    with caplog.at_level(logging.INFO, logger="govgraph.access"):
        household = api.household_in(TOWN_A)
        assert api.get(f"/households/{household}/responsible", secret).status_code == 200
    assert spy.count == int(api.backend.answers_in_process) and answered() == before + 1
    logged = [json.loads(r.getMessage()) for r in caplog.records if r.name == "govgraph.access"]
    line = next(x for x in logged if x["path"].endswith("/responsible"))
    assert line["status"] == 200 and line["token"] == token_id
    assert "as_of" not in line["path"]


def test_bad_parameters_are_422_problems(api: Api) -> None:
    county = api.token("county", "621027")
    body = _is_problem(api.get("/households/uncovered", county, area="62102"), 422)
    assert "area" in body["detail"]
    _is_problem(api.get("/households/uncovered", county, limit=0), 422)
    _is_problem(api.get("/areas/621027/summary", county, as_of="yesterday"), 422)


@pytest.mark.parametrize(
    "attempt",
    [
        "' OR 1=1 //",
        "}) MATCH (n) DETACH DELETE n //",
        '" RETURN 1',
        "MATCH (n) RETURN n",
        "户\u202e١٢",
        "G1' UNION ALL MATCH (p:Person) RETURN p.phone //",
    ],
)
def test_injection_attempts_change_nothing(api: Api, attempt: str) -> None:
    county = api.token("county", "621027")
    before = api.backend.counts()
    for path, params in (
        (f"/households/{attempt}/responsible", {}),
        (f"/households/{attempt}", {}),
        (f"/cases/{attempt}/coordination", {}),
        (f"/persons/{attempt}", {}),
        (f"/grids/{attempt}", {}),
        (f"/areas/{attempt}/summary", {}),
        ("/households/uncovered", {"area": attempt}),
    ):
        r = api.get(path, county, **params)
        assert 400 <= r.status_code < 500, (path, r.status_code, r.text)
    assert api.backend.counts() == before


def test_oversized_requests_are_refused(api: Api) -> None:
    r = api.client.get(
        "/areas/621027/children",
        headers={"Authorization": f"Bearer {api.token('county', '621027')}"},
        params={"x": "y" * 20_000},
    )
    _is_problem(r, 413)


def test_the_openapi_documents_every_error(api: Api) -> None:
    spec = api.client.get("/openapi.json").json()
    for path, item in spec["paths"].items():
        if path == "/health":
            continue
        for method, operation in item.items():
            responses = operation["responses"]
            ok = "200" if method == "get" else ("201" if "201" in responses else "200")
            assert {ok, "401", "404", "422"} <= set(responses), (method, path)
            if method == "post" and path != "/persons/lookup":  # a read, asked in the body
                assert "409" in responses, path


def test_pictures_are_html_and_scoped(api: Api) -> None:
    own, other = api.token("township", TOWN_A), api.token("township", TOWN_B)
    household = api.household_in(TOWN_A)
    r = api.get(f"/views/households/{household}", own, as_of=AS_OF)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "vis.Network" in r.text and household in r.text
    _is_problem(api.get(f"/views/households/{household}", other, as_of=AS_OF), 404)
    _is_problem(api.get(f"/views/areas/{TOWN_A}", other, as_of=AS_OF), 404)
    r = api.get(f"/views/areas/{TOWN_A}", own, as_of=AS_OF)
    assert r.status_code == 200 and "覆盖率" in r.text
    r = api.get(f"/views/areas/{TOWN_A}/departments", own, as_of=AS_OF)
    assert r.status_code == 200 and "部门协同网络" in r.text and "vis.Network" in r.text
    _is_problem(api.get(f"/views/areas/{TOWN_A}/departments", other, as_of=AS_OF), 404)


def test_an_area_too_large_to_draw_is_refused_with_the_reason(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    from govgraph.api.routes import views

    county = api.token("county", "621027")
    monkeypatch.setattr(views, "MAX_PICTURE_HOUSEHOLDS", 5_000)  # 镇原县 has 42,000
    body = _is_problem(api.get("/views/areas/621027", county, as_of=AS_OF), 422)
    assert "42,000 households" in str(body["detail"]) and "5,000" in str(body["detail"])
    r = api.get(f"/views/areas/{TOWN_A}", county, as_of=AS_OF)  # a township is drawn
    assert r.status_code == 200


def test_an_unknown_path_or_method_answers_problem_details(api: Api) -> None:
    town = api.token("township", TOWN_A)
    body = _is_problem(api.get("/no/such/path", town), 404)
    assert "/no/such/path" in str(body["detail"]) and "/docs" in str(body["detail"])
    wrong = api.client.delete("/health")
    assert _is_problem(wrong, 405)["title"] == "Method not allowed"
    assert "GET" in wrong.headers["allow"]


def test_the_read_gate_lets_so_many_reads_in_at_once_and_every_write() -> None:
    """On the one owner of an embedded store, reads wait in the event loop beyond a few at
    once (``ReadGate``), so that a write is never starved of the interpreter; writes pass."""
    import asyncio

    from govgraph.api.app import ReadGate

    inside = {"GET": 0, "POST": 0}
    most = {"GET": 0, "POST": 0}

    async def app(scope: Any, receive: Any, send: Any) -> None:
        method = scope["method"]
        inside[method] += 1
        most[method] = max(most[method], inside[method])
        await asyncio.sleep(0.01)
        inside[method] -= 1

    gate = ReadGate(app, limit=3)

    async def many() -> None:
        requests = [{"type": "http", "method": m} for m in ["GET"] * 20 + ["POST"] * 10]
        await asyncio.gather(*(gate(r, None, None) for r in requests))

    asyncio.run(many())
    assert most == {"GET": 3, "POST": 10}
    assert inside == {"GET": 0, "POST": 0}
