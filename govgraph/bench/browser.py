"""A headless Chromium driven by Playwright: Debian's ``chromium`` through
``executable_path``, so no browser is downloaded.

Used to time how long a page takes to render in a real browser (``govgraph
bench-brief``) and by the tests to check pages for script errors and look at them.
Playwright comes with the ``bench`` extra (and ``dev``), not the core install.

    with Browser() as browser:
        page = browser.open("file:///tmp/area.html", until="document.body.dataset.stable",
                            timings="({stable_ms: +document.body.dataset.stableMs})")
        page.timings      # {"load_ms": ..., "stable_ms": ...} from the page's own clock
        page.errors       # uncaught script errors, [] when none
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, field
from typing import Any

from ..errors import GovgraphError

__all__ = ["Browser", "BrowserError", "PageResult", "find_chromium"]


class BrowserError(GovgraphError):
    """Chromium or Playwright is missing, crashed, or a page did not finish in time."""


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
    """One headless Chromium for many pages; each page opens in a fresh tab."""

    def __init__(self, executable: str | None = None, *, width: int = 1280, height: int = 900):
        self.executable = executable or find_chromium()
        self.viewport = {"width": width, "height": height}
        self._playwright: Any = None
        self._browser: Any = None
        self.started_seconds = 0.0

    def __enter__(self) -> Browser:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> float:
        """Start Chromium; returns the seconds it took."""
        try:
            from playwright.sync_api import Error, sync_playwright
        except ImportError as exc:
            raise BrowserError(
                "Playwright is not installed: pip install 'govgraph[bench]'"
            ) from exc
        if not self.executable:
            raise BrowserError(
                "cannot start Chromium: none found (Debian: apt-get install chromium; "
                "or set GOVGRAPH_CHROMIUM)"
            )
        started = time.perf_counter()
        self._playwright = sync_playwright().start()
        try:
            self._browser = self._playwright.chromium.launch(
                executable_path=self.executable, headless=True, args=["--no-sandbox"]
            )
        except Error as exc:
            self._playwright.stop()
            self._playwright = None
            raise BrowserError(f"cannot start Chromium at {self.executable}: {exc}") from exc
        self.started_seconds = time.perf_counter() - started
        return self.started_seconds

    def version(self) -> str:
        return str(self._browser.version) if self._browser else ""

    def close(self) -> None:
        if self._browser is not None:
            self._browser.close()
            self._browser = None
        if self._playwright is not None:
            self._playwright.stop()
            self._playwright = None

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
        from playwright.sync_api import Error

        if self._browser is None:
            self.start()
        started = time.perf_counter()
        page = self._browser.new_page(viewport=self.viewport)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        try:
            page.goto(url, wait_until="load", timeout=timeout * 1000)
            if until:
                try:
                    page.wait_for_function(f"!!({until})", timeout=timeout * 1000, polling=10)
                except Error as exc:
                    raise BrowserError(f"{url}: `{until}` still false after {timeout} s") from exc
            wall = time.perf_counter() - started
            load = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
            figures = {"load_ms": float(load), **page.evaluate(timings)}
            if screenshot:
                page.screenshot(path=screenshot, full_page=full_page)
            page_errors = page.evaluate(
                "document.documentElement.getAttribute('data-errors') || ''"
            )
            if page_errors:
                errors.append(page_errors)
            return PageResult(url, figures, errors, wall)
        except Error as exc:
            raise BrowserError(f"{url}: {exc}") from exc
        finally:
            page.close()
