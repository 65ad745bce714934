"""``govgraph bench-api``: wrk against ``govgraph serve`` on loopback, for "who is responsible".

Loads the M scenario into a temporary store, creates a county token, starts the
server (``--workers`` processes), runs wrk for ``--duration`` seconds with
``--connections`` connections cycling through 500 households, and records
requests/s, latency percentiles and errors beside the other benchmarks.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .errors import GovgraphError

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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run_api_bench(
    *, duration: int = 30, connections: int = 64, workers: int = 2, output: Path | None = None
) -> dict[str, Any]:
    from .api.auth import AuthStore
    from .backends.embedded import EmbeddedBackend
    from .bench import machine, record_extra
    from .loaders.load import load_scenario

    wrk = shutil.which("wrk")
    if wrk is None:
        raise GovgraphError("wrk is not installed (Debian: apt-get install wrk)")
    with tempfile.TemporaryDirectory(prefix="govgraph-api-bench-") as tmp:
        store = Path(tmp) / "store"
        with EmbeddedBackend(store) as backend:
            scenario, _ = load_scenario(backend, "zhenyuan", consume=True)
            households = [
                r["id"]
                for r in backend.read("sample_households", {"area": "621027", "limit": 100_000})
            ]
        token = AuthStore(store.with_name(store.name + ".auth.sqlite3")).create("county", "621027")[
            1
        ]
        picked = random.Random(7).sample(households, 500)
        script = Path(tmp) / "responsible.lua"
        as_of = scenario.spec.as_of.isoformat()
        script.write_text(
            "local ids = {" + ",".join(f'"{h}"' for h in picked) + "}\n"
            "local i = 0\n"
            "request = function()\n"
            "  i = i % #ids + 1\n"
            f'  return wrk.format("GET", "/households/" .. ids[i] .. "/responsible?as_of={as_of}",'
            f' {{["Authorization"] = "Bearer {token}"}})\n'
            "end\n",
            encoding="utf-8",
        )
        port = _free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "govgraph",
                "--store",
                str(store),
                "serve",
                "--port",
                str(port),
                "--workers",
                str(workers),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            for _ in range(150):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1).read()
                    break
                except OSError:
                    time.sleep(0.2)
            else:
                raise GovgraphError("the server did not start")
            proc = subprocess.run(
                [
                    wrk,
                    "--latency",
                    "-t",
                    "2",
                    "-c",
                    str(connections),
                    "-d",
                    f"{duration}s",
                    "--timeout",
                    "10s",
                    "-s",
                    str(script),
                    f"http://127.0.0.1:{port}",
                ],
                capture_output=True,
                text=True,
                timeout=duration + 60,
                check=True,
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
            if server.stderr:
                server.stderr.close()
    figures = parse_wrk(proc.stdout)
    result = {
        "name": "API",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "endpoint": "GET /households/{id}/responsible",
        "scenario": "zhenyuan (M)",
        "duration_s": duration,
        "connections": connections,
        "server_workers": workers,
        "figures": figures,
        "targets": TARGETS,
        "wrk_output": proc.stdout,
    }
    if output is not None:
        record_extra(result, output)
    return result


if __name__ == "__main__":  # pragma: no cover
    print(json.dumps(run_api_bench(duration=int(sys.argv[1])), indent=2))
