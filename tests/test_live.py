"""A real ``govgraph serve`` owning an embedded store: writes by the API and by the other
commands (through the server) are read back at once; 32 readers beside a writer; a server
killed mid-burst loses nothing acknowledged and applies nothing twice or by halves."""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest

from govgraph import questions as q
from govgraph.api.auth import AuthStore
from govgraph.backends.embedded import EmbeddedBackend
from govgraph.config import Settings
from govgraph.loaders.load import load_scenario
from govgraph.loaders.scenarios import get_scenario
from govgraph.served import find_server, marker_path, wait_until_serving

pytestmark = pytest.mark.slow

TOWN = "621123109"  # 庆坪镇
#: the store is qingping's: its writes, like its questions, happen on the scenario's day
TODAY = get_scenario("qingping").as_of


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cli(store: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "govgraph", "--store", str(store), *args],
        capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip


class Server:
    """``govgraph serve`` in its own process."""

    def __init__(self, store: Path, log: Path) -> None:
        self.store, self.log, self.port = store, log, _free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "govgraph", "--store", str(self.store), "serve",
                 "--port", str(self.port)],
                stdout=log, stderr=log,
            )  # fmt: skip
        wait_until_serving(self.url, self.process)

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(timeout=60)
        self.process = None


class Client:
    """One keep-alive connection (one per thread); every one is closed after the test."""

    opened: ClassVar[list[Client]] = []

    def __init__(self, port: int, token: str) -> None:
        self.port, self.token = port, token
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        Client.opened.append(self)

    @classmethod
    def close_all(cls) -> None:
        for client in cls.opened:
            client.conn.close()
        cls.opened.clear()

    def call(
        self, method: str, path: str, body: dict[str, Any] | None = None, key: str | None = None
    ) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        if key:
            headers["Idempotency-Key"] = key
        data = json.dumps(body).encode() if body is not None else None
        try:
            self.conn.request(method, path, body=data, headers=headers)
            reply = self.conn.getresponse()
            return reply.status, json.loads(reply.read() or b"null")
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            raise


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Server, dict[str, str], list[dict[str, Any]]]]:
    """庆坪镇 in a fresh store, served; tokens; households with their grid and worker."""
    store = tmp_path / "store"
    with EmbeddedBackend(store) as backend:
        load_scenario(backend, "qingping")
        households = backend._run(
            "MATCH (h:Household)-[r:IN_GRID]->(g:Grid)<-[w:GRID_WORKER_OF]-(p:Person) "
            "WHERE r.valid_to IS NULL AND w.valid_to IS NULL AND g.level = 3 "
            "RETURN h.id AS id, g.id AS grid, min(p.id) AS worker ORDER BY id",
            {},
        )
        # the households not visited lately first: a visit to one of them shows in the answer
        answer = q.uncovered(backend, TOWN, as_of=TODAY)
        unvisited = {h.household for h in answer.households if "not_visited" in h.reasons}
        households.sort(key=lambda h: (h["id"] not in unvisited, h["id"]))
    auth = AuthStore(Settings.load(str(store), {}).auth_path)
    tokens = {
        "town": auth.create("township", TOWN)[1],
        "other": auth.create("township", "621123100")[1],
        "worker": auth.create("grid_worker", households[0]["grid"])[1],
    }
    server = Server(store, tmp_path / "server.log")
    server.start()
    try:
        yield server, tokens, households
    finally:
        Client.close_all()
        server.stop()


def _not_visited(client: Client) -> int:
    status, page = client.call("GET", f"/households/uncovered?area={TOWN}&limit=1")
    assert status == 200, page
    return int(page["by_reason"]["not_visited"])


def test_api_and_import_writes_show_at_once_without_a_restart(
    served: tuple[Server, dict[str, str], list[dict[str, Any]]], tmp_path: Path
) -> None:
    server, tokens, households = served
    town = Client(server.port, tokens["town"])
    assert find_server(server.store) is not None
    assert oct(marker_path(server.store).stat().st_mode & 0o777) == "0o600"
    start = _not_visited(town)
    a, b = households[0], households[1]
    status, _ = town.call("POST", "/visits", {"household_id": a["id"], "person_id": a["worker"]})
    assert status == 201
    assert _not_visited(town) == start - 1
    # an import while the store is served goes through the server, not into its files
    ledger = tmp_path / "走访记录.csv"
    ledger.write_text(
        "走访人编号,户编号,走访日期,走访事由\n"
        f"{b['worker']},{b['id']},{TODAY.isoformat()},入户走访\n"
        f"{b['worker']},H-missing,{TODAY.isoformat()},入户走访\n",
        encoding="utf-8-sig",
    )
    done = _cli(server.store, "import", str(ledger), "--json", "-q", str(tmp_path / "q"))
    assert done.returncode == 2, done.stderr  # one row refused, as without a server
    assert "working through it" in done.stderr
    report = json.loads(done.stdout)
    assert report["written"] and report["quarantined"] == 1
    assert (tmp_path / "q" / "走访记录.quarantine.csv").exists()
    assert _not_visited(town) == start - 2
    status, visits = town.call("GET", f"/households/{b['id']}/visits")
    assert visits[0]["date"] == TODAY.isoformat() and visits[0]["purpose"] == "入户走访"
    # load through the server too: the same scenario again changes nothing
    before = _cli(server.store, "info", "--json")
    assert before.returncode == 0, before.stderr
    again = _cli(server.store, "load", "scenario", "qingping")
    assert again.returncode == 0, again.stderr
    assert json.loads(_cli(server.store, "info", "--json").stdout) == json.loads(before.stdout)
    # an analyst's own Cypher goes through the server too, and still cannot write
    asked = _cli(server.store, "cypher", "MATCH (h:Household) RETURN count(*) AS n", "--json")
    assert asked.returncode == 0, asked.stderr
    assert json.loads(asked.stdout) == [{"n": json.loads(before.stdout)["nodes"]["Household"]}]
    refused = _cli(server.store, "cypher", "MATCH (h:Household) DETACH DELETE h")
    assert refused.returncode == 1 and "read-only transaction" in refused.stderr
    assert json.loads(_cli(server.store, "info", "--json").stdout) == json.loads(before.stdout)
    # scope on writes: another township's token, a grid worker outside their grid
    other = Client(server.port, tokens["other"])
    body = {"household_id": a["id"], "person_id": a["worker"], "date": "2022-01-02"}
    assert other.call("POST", "/visits", body)[0] == 404
    outside = next(h for h in households if h["grid"] != a["grid"])
    worker = Client(server.port, tokens["worker"])
    far = {"household_id": outside["id"], "person_id": outside["worker"]}
    assert worker.call("POST", "/visits", far)[0] == 404
    assert worker.call("POST", "/visits", body)[0] == 201
    # no other process may open the files while they are served
    probe = subprocess.run(
        [sys.executable, "-c", f"import ladybug; ladybug.Database({str(server.store)!r})"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert probe.returncode != 0 and "lock" in probe.stderr.lower()


def _visit(h: dict[str, Any], day: dt.date) -> dict[str, Any]:
    return {"household_id": h["id"], "person_id": h["worker"], "date": day.isoformat()}


def test_32_readers_beside_a_writer_see_no_error_and_every_write_lands_once(
    served: tuple[Server, dict[str, str], list[dict[str, Any]]],
) -> None:
    server, tokens, households = served
    day = TODAY - dt.timedelta(days=100)
    writes = households[:500]
    done = threading.Event()
    errors: list[str] = []
    reads = [0]

    def reader(n: int) -> None:
        client = Client(server.port, tokens["town"])
        i = n
        while not done.is_set():
            h = households[(i * 37) % len(households)]["id"]
            path = (f"/households/{h}/responsible" if i % 4 else
                    f"/households/uncovered?area={TOWN}&limit=5")  # fmt: skip
            try:
                status, body = client.call("GET", path)
            except (OSError, http.client.HTTPException) as exc:
                errors.append(f"{path}: {exc!r}")
                continue
            if status != 200:
                errors.append(f"{path}: {status} {body}")
            reads[0] += 1
            i += 32

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(32)]
    for t in threads:
        t.start()
    acknowledged: list[str] = []
    try:
        writer = Client(server.port, tokens["town"])
        for h in writes:
            status, body = writer.call("POST", "/visits", _visit(h, day))
            assert status == 201, body
        cases = []
        for h in writes[:5]:
            status, case = writer.call("POST", "/cases", {"type": "debt", "households": [h["id"]]})
            assert status == 201, case
            cases.append(case["id"])
        for cid in cases:
            status, body = writer.call("POST", f"/cases/{cid}/escalations", {"tier": "township"})
            assert status == 201, body
            dept = "D62112301"
            status, body = writer.call("POST", f"/cases/{cid}/assignments", {"department_id": dept})
            assert status == 201, body
            status, body = writer.call("POST", f"/cases/{cid}/assignments/{dept}/report", {})
            assert status == 200, body
            acknowledged.append(cid)
    finally:
        done.set()
        for t in threads:
            t.join(timeout=120)
    assert errors == []
    assert reads[0] > 100
    server.stop()
    with EmbeddedBackend(server.store, read_only=True) as store:
        for h in writes:
            got = [v for v in store.read("household_visits", {"household": h["id"]})
                   if v["date"] == day and v["person_id"] == h["worker"]]  # fmt: skip
            assert len(got) == 1, h
        for cid in acknowledged:
            assert [e["tier"] for e in store.read("case_escalations", {"case_id": cid})] == [
                "township",
                "village",
            ] or len(store.read("case_escalations", {"case_id": cid})) == 2
            assigned = store.read("case_assignments", {"case_id": cid})
            assert len(assigned) == 1 and assigned[0]["reported"] == TODAY


def test_a_server_killed_mid_burst_keeps_every_acknowledged_write_exactly_once(
    served: tuple[Server, dict[str, str], list[dict[str, Any]]],
) -> None:
    server, tokens, households = served
    day = TODAY - dt.timedelta(days=120)
    jobs: list[tuple[str, str, dict[str, Any]]] = []
    for i, h in enumerate(households[:240]):
        if i % 8 == 0:  # a case: node, links and its village escalation in one transaction
            jobs.append((f"case-{i}", "/cases", {"type": "land", "households": [h["id"]]}))
        else:
            jobs.append((f"visit-{i}", "/visits", _visit(h, day)))
    answers: dict[str, Any] = {}
    lock = threading.Lock()
    killed = threading.Event()

    def writer(part: list[tuple[str, str, dict[str, Any]]]) -> None:
        client = Client(server.port, tokens["town"])
        for key, path, body in part:
            deadline = time.monotonic() + 120
            while True:
                try:
                    status, answer = client.call("POST", path, body, key=key)
                    break
                except (OSError, http.client.HTTPException):
                    assert time.monotonic() < deadline, f"{key} never acknowledged"
                    time.sleep(0.2)  # the server is down: retry with the same key
            assert status == 201, (key, status, answer)
            with lock:
                answers[key] = answer
                if len(answers) == 80 and not killed.is_set():
                    killed.set()
                    os.kill(server.process.pid, signal.SIGKILL)  # type: ignore[union-attr]

    threads = [threading.Thread(target=writer, args=(jobs[n::4],)) for n in range(4)]
    for t in threads:
        t.start()
    assert killed.wait(timeout=120)
    server.process.wait(timeout=30)  # type: ignore[union-attr]
    server.process = None
    server.start()  # the marker the killed server left is stale: the new one takes over
    for t in threads:
        t.join(timeout=300)
    assert len(answers) == len(jobs)
    server.stop()
    with EmbeddedBackend(server.store, read_only=True) as store:
        for key, path, body in jobs:
            if path == "/visits":
                visits = store.read("household_visits", {"household": body["household_id"]})
                got = [v for v in visits if v["date"] == day]
                assert len(got) == 1, key
            else:
                cid = answers[key]["id"]
                assert store.read("case_households", {"case_id": cid}) == [
                    {"household": body["households"][0]}]  # fmt: skip
                assert len(store.read("case_escalations", {"case_id": cid})) == 1
        cases = store._run(
            "MATCH (k:`Case`) WHERE k.opened = $today RETURN k.id AS id", {"today": TODAY}
        )
        assert sorted(r["id"] for r in cases) == sorted(
            answers[k]["id"] for k, p, _ in jobs if p == "/cases")  # fmt: skip
