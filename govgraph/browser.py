"""A headless Chromium driven over the DevTools protocol on a pipe (standard library only).

Used to time how long a page takes to render in a real browser (``govgraph
bench-brief``) and to check pages for script errors. Chromium is started with
``--remote-debugging-pipe``: it reads NUL-terminated JSON commands on fd 3 and
writes replies and events on fd 4, so no port, websocket library or driver
download is involved.

    with Browser() as browser:
        page = browser.open("file:///tmp/area.html", until="document.body.dataset.stable",
                            timings="({stable_ms: +document.body.dataset.stableMs})")
        page.timings      # {"load_ms": ..., "stable_ms": ...} from the page's own clock
        page.errors       # uncaught script errors, [] when none
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .errors import GovgraphError

__all__ = ["Browser", "BrowserError", "PageResult", "find_chromium"]


class BrowserError(GovgraphError):
    """Chromium is missing, crashed, or a page did not finish in time."""


def find_chromium() -> str | None:
    """The Chromium executable: $GOVGRAPH_CHROMIUM (a path or a command name), else
    ``chromium`` or ``chromium-browser`` on the PATH; None when there is none."""
    explicit = os.environ.get("GOVGRAPH_CHROMIUM")
    if explicit:
        return shutil.which(explicit)
    return shutil.which("chromium") or shutil.which("chromium-browser")


@dataclass
class PageResult:
    """What one page did: its own timings (ms since navigation start) and any script errors."""

    url: str
    timings: dict[str, float]
    errors: list[str] = field(default_factory=list)
    wall_seconds: float = 0.0


class Browser:
    """One headless Chromium process; ``open`` loads pages in a fresh tab each time."""

    def __init__(self, executable: str | None = None, *, width: int = 1280, height: int = 900):
        found = executable or find_chromium()
        if not found:
            raise BrowserError(
                "headless Chromium not found: install Debian's `chromium` "
                "(apt-get install chromium) or set GOVGRAPH_CHROMIUM"
            )
        self.executable: str = found
        self.size = (width, height)
        self._next_id = 0
        self._buffer = b""
        self._events: list[dict[str, Any]] = []
        self._process: subprocess.Popen[bytes] | None = None
        self.started_seconds = 0.0

    # -- process -------------------------------------------------------------------------

    def __enter__(self) -> Browser:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> float:
        """Start Chromium; returns the seconds until it answered its first command."""
        started = time.perf_counter()
        self._profile = tempfile.TemporaryDirectory(prefix="govgraph-chromium-")
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()

        def wire() -> None:  # in the child: the pipe ends on fds 3 and 4
            r, w = (fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (to_child_r, from_child_w))
            os.dup2(r, 3)
            os.dup2(w, 4)

        try:
            self._process = self._launch(wire)
        except OSError as e:
            for fd in (to_child_r, from_child_w, self._to_child, self._from_child):
                os.close(fd)
            self._profile.cleanup()
            raise BrowserError(f"cannot start Chromium ({self.executable}): {e}") from e
        os.close(to_child_r)
        os.close(from_child_w)
        try:
            self.call("Browser.getVersion", timeout=60)
        except BrowserError:
            self.close()
            raise
        self.started_seconds = time.perf_counter() - started
        return self.started_seconds

    def _launch(self, wire: Callable[[], None]) -> subprocess.Popen[bytes]:
        w, h = self.size
        return subprocess.Popen(
            [self.executable, "--headless", "--remote-debugging-pipe", "--no-sandbox",
             "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--mute-audio",
             "--disable-extensions", "--disable-background-networking",
             "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
             "--disable-backgrounding-occluded-windows",
             f"--user-data-dir={self._profile.name}", f"--window-size={w},{h}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=wire, pass_fds=(3, 4),
        )  # fmt: skip

    def close(self) -> None:
        if self._process is None:
            return
        with contextlib.suppress(BrowserError):
            self.call("Browser.close", timeout=5)
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        for fd in (self._to_child, self._from_child):
            os.close(fd)
        self._profile.cleanup()
        self._process = None

    # -- protocol --------------------------------------------------------------------------

    def _send(self, method: str, params: dict[str, Any] | None, session: str | None) -> int:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_child, json.dumps(message).encode() + b"\0")
        return self._next_id

    def _read(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserError("Chromium did not answer in time")
            ready, _, _ = select.select([self._from_child], [], [], left)
            if not ready:
                continue
            chunk = os.read(self._from_child, 1 << 16)
            if not chunk:
                raise BrowserError("Chromium exited unexpectedly")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        message: dict[str, Any] = json.loads(raw)
        return message

    def call(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        *,
        session: str | None = None,
        timeout: float = 30,
    ) -> dict[str, Any]:
        """Send one command and wait for its reply; events that arrive meanwhile are kept."""
        if self._process is None:
            raise BrowserError("the browser is not started")
        wanted = self._send(method, params, session)
        deadline = time.monotonic() + timeout
        while True:
            message = self._read(deadline)
            if message.get("id") == wanted:
                if "error" in message:
                    raise BrowserError(f"{method}: {message['error'].get('message')}")
                result: dict[str, Any] = message.get("result", {})
                return result
            if "method" in message:
                self._events.append(message)

    def _wait_event(self, method: str, session: str, deadline: float) -> dict[str, Any]:
        while True:
            for i, event in enumerate(self._events):
                if event["method"] == method and event.get("sessionId") == session:
                    return self._events.pop(i)
            message = self._read(deadline)
            if "method" in message:
                self._events.append(message)

    # -- pages -----------------------------------------------------------------------------

    def open(
        self,
        url: str,
        *,
        until: str | None = None,
        timings: str = "({})",
        timeout: float = 60,
        screenshot: str | None = None,
        full_page: bool = False,
    ) -> PageResult:
        """Load ``url`` in a new tab and wait for its load event, then for the JavaScript
        expression ``until`` to be truthy; ``timings`` is an expression giving the page's own
        figures (an object of numbers). Script errors are collected, not raised. With
        ``screenshot`` a PNG is written there: the window, or with ``full_page`` the whole page."""
        started = time.perf_counter()
        deadline = time.monotonic() + timeout
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        try:
            for domain in ("Page", "Runtime"):
                self.call(f"{domain}.enable", session=session)
            self.call("Page.navigate", {"url": url}, session=session)
            # the blank tab may report its own load first: wait for the page asked for
            loaded = "document.readyState === 'complete' && location.protocol !== 'about:'"
            while True:
                self._wait_event("Page.loadEventFired", session, deadline)
                if self._evaluate(loaded, session):
                    break
            if until:
                while not self._evaluate(f"!!({until})", session):
                    if time.monotonic() > deadline:
                        raise BrowserError(f"{url}: `{until}` still false after {timeout} s")
                    time.sleep(0.01)
            wall = time.perf_counter() - started
            load = self._evaluate(
                "performance.getEntriesByType('navigation')[0].loadEventEnd", session
            )
            figures = {"load_ms": float(load), **self._evaluate(timings, session)}
            if screenshot:
                params: dict[str, Any] = {"format": "png"}
                if full_page:
                    size = self.call("Page.getLayoutMetrics", session=session)["cssContentSize"]
                    params["captureBeyondViewport"] = True
                    params["clip"] = {"x": 0, "y": 0, "width": size["width"],
                                      "height": size["height"], "scale": 1}  # fmt: skip
                shot = self.call("Page.captureScreenshot", params, session=session)
                with open(screenshot, "wb") as f:
                    f.write(base64.b64decode(shot["data"]))
            errors = [
                e["params"]["exceptionDetails"].get("exception", {}).get("description")
                or e["params"]["exceptionDetails"].get("text", "script error")
                for e in self._events
                if e["method"] == "Runtime.exceptionThrown" and e.get("sessionId") == session
            ]
            page_errors = self._evaluate(
                "document.documentElement.getAttribute('data-errors') || ''", session
            )
            if page_errors:
                errors.append(page_errors)
            return PageResult(url, figures, errors, wall)
        finally:
            self.call("Target.closeTarget", {"targetId": target})
            self._events = [e for e in self._events if e.get("sessionId") != session]

    def _evaluate(self, expression: str, session: str) -> Any:
        reply = self.call(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=session
        )
        if "exceptionDetails" in reply:
            raise BrowserError(f"`{expression}` failed: {reply['exceptionDetails'].get('text')}")
        return reply["result"].get("value")
