"""The marker that says who serves a store: written for this process, found by others,
and stale markers (dead server, recycled process id, torn file) cleared."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from govgraph.served import ServedStore, find_server, marker_path, publish, withdraw


def _sleeper(*extra: str) -> subprocess.Popen[bytes]:
    """A child that sleeps, once its command line is its own (not its parent's copy)."""
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", *extra])
    proc = Path(f"/proc/{child.pid}/cmdline")
    deadline = time.monotonic() + 10
    while proc.exists() and b"time.sleep" not in proc.read_bytes():
        assert time.monotonic() < deadline
        time.sleep(0.01)
    return child


def _marker(store: Path, pid: int) -> None:
    record = {"pid": pid, "url": "http://127.0.0.1:9", "secret": "s", "started": "", "store": ""}
    marker_path(store).write_text(json.dumps(record), encoding="utf-8")


def test_a_published_marker_is_private_and_withdrawn_by_its_owner(tmp_path: Path) -> None:
    store = tmp_path / "store"
    served = publish(store, "http://127.0.0.1:8000")
    path = marker_path(store)
    assert path.name == "store.served.json" and oct(path.stat().st_mode & 0o777) == "0o600"
    assert ServedStore(**json.loads(path.read_text(encoding="utf-8"))) == served
    assert find_server(store) is None  # this very process: it has the store open itself
    withdraw(store)
    assert not path.exists()


def test_another_live_govgraph_process_is_found(tmp_path: Path) -> None:
    store = tmp_path / "store"
    # a process whose command line says govgraph, as `govgraph serve` does
    child = _sleeper("govgraph")
    try:
        _marker(store, child.pid)
        found = find_server(store)
        assert found is not None and found.pid == child.pid
        assert found.describe() == f"process {child.pid} at http://127.0.0.1:9"
    finally:
        child.kill()
        child.wait()
    assert find_server(store) is None and not marker_path(store).exists()


def test_stale_markers_are_cleared(tmp_path: Path) -> None:
    store = tmp_path / "store"
    # a recycled id: alive, but not govgraph
    other = _sleeper()
    try:
        _marker(store, other.pid)
        assert find_server(store) is None and not marker_path(store).exists()
    finally:
        other.kill()
        other.wait()
    marker_path(store).write_text("{not json", encoding="utf-8")
    assert find_server(store) is None and not marker_path(store).exists()
    assert find_server(tmp_path / "never-served") is None
