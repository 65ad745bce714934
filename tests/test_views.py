"""Pictures and the briefing: offline HTML, then a real headless Chromium opens each one,
waits for the network to settle, and the screenshot must show a drawn network."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from govgraph import questions as q
from govgraph import viz
from govgraph.brief import briefing

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"),
    reason="headless Chromium (Debian `chromium`) is not installed; .ci/run installs it",
)


@pytest.fixture(scope="module")
def pages(loaded: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    s = loaded("qingping")
    b, area, as_of = s.backend, s.scenario.spec.area, s.scenario.spec.as_of
    household = b.read("sample_households", {"area": area, "limit": 1})[0]["id"]
    grid = q.responsible(b, household, as_of=as_of).roles[1].id
    case = q.overdue(b, as_of=as_of, area=area).stuck[0].case_id
    out = tmp_path_factory.mktemp("pages")
    html = {
        "household": viz.household_view(b, household, as_of),
        "grid": viz.grid_view(b, grid, as_of),
        "case": viz.case_view(b, case, as_of),
        "area": viz.area_view(b, area, as_of),
        "area-villages": viz.area_view(b, area, as_of, by="village"),
        "brief": briefing(b, area, as_of=as_of),
    }
    paths = {}
    for name, text in html.items():
        paths[name] = out / f"{name}.html"
        paths[name].write_text(text, encoding="utf-8")
    return paths


def test_pages_work_offline_with_legends_and_no_personal_data(
    pages: dict[str, Path], loaded: Any
) -> None:
    for name, path in pages.items():
        text = path.read_text(encoding="utf-8")
        assert "vis.Network" in text, name  # vis-network inlined
        assert "cdn.jsdelivr" not in text and "cdnjs.cloudflare" not in text.split("</head>")[0]
        assert 'src="http' not in text and 'href="http' not in text, name
        assert "gg-legend" in text or name == "brief", name
    people = (
        loaded("qingping")
        .backend.nodes_in_area(
            __import__("govgraph.schema.model", fromlist=["Label"]).Label.PERSON,
            loaded("qingping").scenario.spec.area,
        )
        .to_pylist()[:200]
    )
    numbers = {p["id_number"] for p in people if p["id_number"]}
    phones = {p["phone"] for p in people if p["phone"]}
    for path in pages.values():
        text = path.read_text(encoding="utf-8")
        assert not any(n in text for n in numbers) and not any(p in text for p in phones)


def test_the_area_view_aggregates_large_areas(loaded: Any) -> None:
    s = loaded("qingping")
    grids = viz.area_view(s.backend, s.scenario.spec.area, s.scenario.spec.as_of)
    villages = viz.area_view(s.backend, s.scenario.spec.area, s.scenario.spec.as_of, by="village")
    assert grids.count('"id": "g:') > villages.count('"id": "a:') > 0


def _chromium(*args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM, "chromium is needed for this test"
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         "--no-first-run", "--window-size=1280,900", "--virtual-time-budget=15000", *args],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip


def _drawn(png: Path, top: int) -> tuple[float, int]:
    """Share of non-white pixels below ``top`` and the number of distinct colours there."""
    from PIL import Image

    image = Image.open(png).convert("RGB")
    w, h = image.size
    region = image.crop((0, top, w, h))
    pixels = list(region.get_flattened_data())
    ink = sum(1 for p in pixels if sum(p) < 720)
    return ink / len(pixels), len(set(pixels))


@needs_chromium
@pytest.mark.slow
def test_chromium_draws_every_view_without_script_errors(
    pages: dict[str, Path], tmp_path: Path
) -> None:
    shots = Path(os.environ.get("GOVGRAPH_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    for name, path in pages.items():
        dom = _chromium("--dump-dom", path.as_uri()).stdout
        assert 'data-errors="' not in dom, (name, dom[:300])
        if name != "brief":
            assert 'data-stable="1"' in dom, name  # the layout settled
        png = shots / f"{name}.png"
        _chromium(f"--screenshot={png}", path.as_uri())
        ink, colours = _drawn(png, top=90)
        assert ink > 0.004 and colours > 20, (name, ink, colours)  # a network, not a blank canvas
