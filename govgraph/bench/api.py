"""``govgraph bench-api``: wrk against ``govgraph serve`` on loopback, for "who is responsible".

Loads the M scenario into a temporary store, creates a county token, starts the server
(the store's one owner; ``--workers`` threads), warms it with ``--warmup`` seconds of the
same load (recorded apart: the first requests about each village and grid read what a
server keeps about places, and the engine's pages come into its buffer pool), then runs
wrk ``--repeat`` times for ``--duration`` seconds with ``--connections`` connections cycling
through every household of the county that has a worker (about 42,000), in a random order
(each figure the median of the runs: one run on these shared machines moves by a tenth),
then once more while a writer posts ``--writer-rate`` visits a second, and records requests/s,
latency percentiles, writes/s and errors beside the other benchmarks. With ``--neo4j URI``
the scenario goes into that (empty) Neo4j instead, the server answers from it
(``--workers`` processes there), and the section is recorded as ``API on Neo4j``; the
database is emptied afterwards.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import GovgraphError
from ..served import wait_until_serving

__all__ = ["parse_wrk", "run_api_bench"]

TARGETS = {"requests_per_second": 1500, "p99_ms": 50}


def parse_wrk(text: str) -> dict[str, Any]:
    """The figures of ``wrk --latency`` output.

    >>> parse_wrk("  99%  12.50ms\\nRequests/sec:   1234.5\\n  10 requests in 30.0s")["p99_ms"]
    12.5
    """

    def ms(value: str, unit: str) -> float:
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    out: dict[str, Any] = {}
    for pct in ("50", "75", "90", "99"):
        m = re.search(rf"^\s*{pct}%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
        if m:
            out[f"p{pct}_ms"] = round(ms(m.group(1), m.group(2)), 3)
    m = re.search(r"Requests/sec:\s+([\d.]+)", text)
    out["requests_per_second"] = float(m.group(1)) if m else 0.0
    m = re.search(r"(\d+) requests in ([\d.]+)s", text)
    out["requests"] = int(m.group(1)) if m else 0
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    out["non_2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    out["socket_errors"] = sum(int(g) for g in m.groups()) if m else 0
    return out


def _median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Each figure the median of ``runs`` (errors summed: none may fail in any), with the
    wrk output of the run whose requests/s is the median.

    >>> _median_run([{"requests_per_second": r, "p99_ms": p, "requests": 1, "non_2xx": e,
    ...               "socket_errors": 0, "wrk_output": str(r)}
    ...              for r, p, e in ((900.0, 60.0, 0), (1000.0, 40.0, 1), (1100.0, 50.0, 0))])
    ... # doctest: +NORMALIZE_WHITESPACE
    {'requests_per_second': 1000.0, 'p99_ms': 50.0, 'requests': 3, 'non_2xx': 1,
     'socket_errors': 0, 'wrk_output': '1000.0'}
    """
    out: dict[str, Any] = {}
    for key in runs[0]:
        values = [r[key] for r in runs if r.get(key) is not None]
        if key in ("requests", "non_2xx", "socket_errors"):
            out[key] = sum(values)
        elif key != "wrk_output":
            out[key] = statistics.median(values) if values else None
    by_rate = sorted(runs, key=lambda r: r["requests_per_second"])
    out["wrk_output"] = by_rate[len(by_rate) // 2]["wrk_output"]
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Writer(threading.Thread):
    """Posts visits at a steady rate beside the readers: one per household, dated the
    day the scenario is asked about: a new write, but for the few households whose worker
    the scenario already has visiting that day, which the server answers 200 (already
    stored), counted apart from errors."""

    def __init__(self, port: int, token: str, visits: list[dict[str, str]], rate: float) -> None:
        super().__init__(daemon=True)
        self.port, self.token, self.visits, self.rate = port, token, visits, rate
        self.stop = threading.Event()
        self.latencies: list[float] = []
        self.errors = 0
        self.problems: list[str] = []  # the first few errors, as the writer saw them
        #: visits the store already held (200, not 201): the scenario's own visit that day
        self.unchanged = 0
        self.seconds = 0.0

    def run(self) -> None:
        import http.client

        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        started = time.perf_counter()
        try:
            for n, visit in enumerate(self.visits):
                due = started + n / self.rate
                pause = due - time.perf_counter()
                if pause > 0 and self.stop.wait(pause):
                    break
                if self.stop.is_set():
                    break
                t0 = time.perf_counter()
                try:
                    conn.request("POST", "/visits", body=json.dumps(visit), headers=headers)
                    reply = conn.getresponse()
                    body = reply.read()
                    if reply.status == 200:
                        self.unchanged += 1
                    elif reply.status != 201:
                        self._error(f"HTTP {reply.status}: {body[:300].decode(errors='replace')}")
                except OSError as exc:
                    self._error(f"{type(exc).__name__}: {exc}")
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                self.latencies.append((time.perf_counter() - t0) * 1000)
        finally:
            self.seconds = time.perf_counter() - started
            conn.close()

    def _error(self, what: str) -> None:
        self.errors += 1
        if len(self.problems) < 5:
            self.problems.append(what)

    def figures(self) -> dict[str, Any]:
        done = sorted(self.latencies)

        def pct(p: float) -> float | None:
            return round(done[min(len(done) - 1, int(p * len(done)))], 2) if done else None

        return {
            "writes": len(done),
            "writes_per_second": round(len(done) / self.seconds, 1) if self.seconds else 0.0,
            "write_p50_ms": pct(0.5),
            "write_p99_ms": pct(0.99),
            "write_errors": self.errors,
            "write_problems": self.problems,
            "writes_already_stored": self.unchanged,
        }


def _wrk(wrk: str, script: Path, port: int, connections: int, duration: int) -> dict[str, Any]:
    proc = subprocess.run(
        [wrk, "--latency", "-t", "2", "-c", str(connections), "-d", f"{duration}s",
         "--timeout", "10s", "-s", str(script), f"http://127.0.0.1:{port}"],
        capture_output=True, text=True, timeout=duration + 60, check=True,
    )  # fmt: skip
    return {**parse_wrk(proc.stdout), "wrk_output": proc.stdout}


def run_api_bench(
    *,
    duration: int = 30,
    connections: int = 64,
    warmup: int = 5,
    repeat: int = 3,
    workers: int | None = None,
    writer_rate: float = 50.0,
    neo4j: str | None = None,
    output: Path | None = None,
) -> dict[str, Any]:
    """Runs of ``duration`` seconds on one server, after ``warmup`` seconds of the same load
    (0: none): "who is responsible" alone ``repeat`` times (each figure the median of the
    runs), then the same while a writer posts ``writer_rate`` visits a second (0: skip that
    run); on the Neo4j at ``neo4j`` (which must be empty) when given, else on an embedded
    store."""
    import os

    from ..api.auth import AuthStore
    from ..backends.base import GraphBackend
    from ..backends.embedded import EmbeddedBackend
    from ..loaders.load import load_scenario
    from .results import machine, record_extra
    from .scale import open_bench_neo4j

    wrk = shutil.which("wrk")
    if wrk is None:
        raise GovgraphError("wrk is not installed (Debian: apt-get install wrk)")
    with tempfile.TemporaryDirectory(prefix="govgraph-api-bench-") as tmp:
        store = Path(tmp) / "store"
        auth_db = store.with_name(store.name + ".auth.sqlite3")
        neo = open_bench_neo4j(neo4j) if neo4j else None
        backend: GraphBackend = neo or EmbeddedBackend(store)
        try:
            scenario, _ = load_scenario(backend, "zhenyuan", consume=True)
            served = backend.read("households_with_worker")
        except BaseException:
            if neo is not None:
                neo.clear()
            backend.close()
            raise
        if neo is None:
            backend.close()  # the server becomes the store's one owner
        neo4j_version = neo.server_version() if neo is not None else None
        token = AuthStore(auth_db).create("county", "621027")
        rng = random.Random(7)
        # every household with a worker in the county, in a random order: no small set that
        # a cache (or the engine's page cache) could keep warm
        picked = rng.sample([h["id"] for h in served], len(served))
        as_of = scenario.spec.as_of.isoformat()
        visits = [
            {"household_id": h["id"], "person_id": h["worker"], "date": as_of, "purpose": "bench"}
            for h in rng.sample(served, min(len(served), 20_000))
        ]
        script = Path(tmp) / "responsible.lua"
        script.write_text(
            "local ids = {" + ",".join(f'"{h}"' for h in picked) + "}\n"
            "local i = 0\n"
            "request = function()\n"
            "  i = i % #ids + 1\n"
            f'  return wrk.format("GET", "/households/" .. ids[i] .. "/responsible?as_of={as_of}",'
            f' {{["Authorization"] = "Bearer {token[1]}"}})\n'
            "end\n",
            encoding="utf-8",
        )
        port = _free_port()
        command = [sys.executable, "-m", "govgraph", "--store", neo4j or str(store), "serve",
                   "--port", str(port), "--no-access-log"]  # fmt: skip
        if workers:
            command += ["--workers", str(workers)]
        env = {**os.environ, "GOVGRAPH_AUTH_DB": str(auth_db)}
        server = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env
        )
        try:
            wait_until_serving(f"http://127.0.0.1:{port}", server)
            warm = _wrk(wrk, script, port, connections, warmup) if warmup else None
            runs = [_wrk(wrk, script, port, connections, duration) for _ in range(repeat)]
            reads = _median_run(runs)
            mixed: dict[str, Any] | None = None
            if writer_rate > 0:
                writer = _Writer(port, token[1], visits, writer_rate)
                writer.start()
                try:
                    mixed = _wrk(wrk, script, port, connections, duration)
                finally:
                    writer.stop.set()
                    writer.join(timeout=60)
                mixed.update(writer.figures(), writer_rate=writer_rate)
        finally:
            server.terminate()
            server.wait(timeout=30)
            if server.stderr:
                server.stderr.close()
            if neo is not None:
                neo.clear()
                neo.close()
    result = {
        "name": "API on Neo4j" if neo4j else "API",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "endpoint": "GET /households/{id}/responsible",
        "scenario": "zhenyuan (M)",
        "store": "neo4j" if neo4j else "embedded",
        "server": neo4j_version,
        "duration_s": duration,
        "connections": connections,
        "warmup_s": warmup,
        "warmup": {k: v for k, v in warm.items() if k != "wrk_output"} if warm else None,
        "households": len(picked),
        "server_workers": workers or "default",
        "runs": len(runs),
        "figures": {k: v for k, v in reads.items() if k != "wrk_output"},
        "each_run": [{k: v for k, v in r.items() if k != "wrk_output"} for r in runs],
        "with_writer": {k: v for k, v in mixed.items() if k != "wrk_output"} if mixed else None,
        "targets": TARGETS,
        "wrk_output": reads["wrk_output"],
    }
    if output is not None:
        record_extra(result, output)
    return result


if __name__ == "__main__":  # pragma: no cover
    print(json.dumps(run_api_bench(duration=int(sys.argv[1])), indent=2))
