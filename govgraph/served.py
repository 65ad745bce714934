"""Which process serves an embedded store: the marker file ``<store>.served.json``.

The embedded engine lets one process open a store for writing, and a reader in
another process does not follow the writer's checkpoints (LadybugDB issue 666),
so while ``govgraph serve`` holds a store no other process may open its files.
The server writes this marker when it has opened the store and removes it when
it closes; every other command that finds it sends its work through the server
(:class:`govgraph.backends.remote.RemoteBackend`) instead of opening the files.

The marker holds the server's process id, its loopback address and a control
secret that only the store's owner can read (mode 0600), as Jupyter's runtime
files do: whoever may read it may already read the store itself.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .errors import StoreUnavailable

__all__ = [
    "CONTROL_HEADER",
    "ServedStore",
    "find_server",
    "marker_path",
    "publish",
    "wait_until_serving",
    "withdraw",
]

#: the header that carries the control secret on the server's control routes
CONTROL_HEADER = "X-Govgraph-Control"


@dataclass(frozen=True)
class ServedStore:
    """A live server of a store, as its marker describes it."""

    pid: int
    url: str
    secret: str
    started: str
    store: str

    def describe(self) -> str:
        return f"process {self.pid} at {self.url}"


def marker_path(store: str | Path) -> Path:
    store = Path(store).expanduser()
    return store.with_name(store.name + ".served.json")


def publish(store: str | Path, url: str) -> ServedStore:
    """Write the marker for this process serving ``store`` at ``url`` (mode 0600)."""
    served = ServedStore(
        pid=os.getpid(),
        url=url,
        secret=secrets.token_urlsafe(32),
        started=datetime.now(UTC).isoformat(timespec="seconds"),
        store=str(Path(store).expanduser()),
    )
    path = marker_path(store)
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(asdict(served), f)
    os.replace(tmp, path)  # readers never see half a marker
    return served


def withdraw(store: str | Path) -> None:
    """Remove this process's marker (another server's is left alone)."""
    path = marker_path(store)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if data.get("pid") == os.getpid():
        path.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    """Whether ``pid`` is still a govgraph process (a dead server's id may have been
    given to an unrelated process since)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:  # no /proc (macOS): trust the id
        return True
    return b"govgraph" in cmdline


def find_server(store: str | Path) -> ServedStore | None:
    """The live server of ``store``, or None. A marker left by a server that died
    (killed, power cut) is removed: the store is free again."""
    path = marker_path(store)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        served = ServedStore(**data)
    except (FileNotFoundError, NotADirectoryError):  # no marker; no such folder either
        return None
    except PermissionError as exc:
        raise StoreUnavailable(
            f"store {store} is served by another user's process ({path} is not readable); "
            "ask them, or work through the API with a token"
        ) from exc
    except (ValueError, TypeError):
        path.unlink(missing_ok=True)  # a torn or foreign file: nobody serves with it
        return None
    if served.pid == os.getpid():
        return None  # this very process serves it and has it open
    if not _alive(served.pid):
        path.unlink(missing_ok=True)
        return None
    return served


def wait_until_serving(url: str, process: Any = None, *, timeout: float = 60.0) -> None:
    """Wait until ``url``/health answers; fail at once if ``process`` (a ``Popen``) exits."""
    import time
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise StoreUnavailable(f"the server exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise StoreUnavailable(f"the server at {url} did not answer within {timeout:.0f} s")
