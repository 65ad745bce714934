"""Pictures and the briefing: offline HTML, then a real headless Chromium opens each one,
waits for the network to settle, and the screenshot must show a drawn network."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from govgraph import questions as q
from govgraph import viz
from govgraph.bench.browser import Browser, BrowserError, find_chromium
from govgraph.brief import briefing
from govgraph.schema.model import Label

CHROMIUM = find_chromium()
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
        "departments": viz.departments_view(b, area, as_of),
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
        if name == "brief":  # the briefing's network is a still picture: nothing to run
            assert '<svg class="net"' in text and "<script src" not in text
        else:
            assert "vis.Network" in text, name  # vis-network inlined
        assert "cdn.jsdelivr" not in text and "cdnjs.cloudflare" not in text.split("</head>")[0]
        assert 'src="http' not in text and 'href="http' not in text, name
        assert "gg-legend" in text or name == "brief", name
    people = (
        loaded("qingping")
        .backend.nodes_in_area(
            Label.PERSON,
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
    with Browser() as chromium:
        for name, path in pages.items():
            png = shots / f"{name}.png"
            # the views report when their layout has settled; the briefing is done at load
            until = None if name == "brief" else "document.body.dataset.stable"
            page = chromium.open(path.as_uri(), until=until, screenshot=str(png))
            assert page.errors == [], (name, page.errors)
            ink, colours = _drawn(png, top=90)
            assert ink > 0.004 and colours > 20, (name, ink, colours)  # drawn, not blank


@needs_chromium
def test_the_browser_reports_script_errors_and_page_timings(tmp_path: Path) -> None:
    page = tmp_path / "broken.html"
    page.write_text(
        "<html><body><script>document.body.dataset.stable = '1'; "
        "window.later = performance.now(); undefinedFunction();</script></body></html>",
        encoding="utf-8",
    )
    with Browser() as chromium:
        result = chromium.open(
            page.as_uri(), until="document.body.dataset.stable", timings="({later: window.later})"
        )
    assert any("undefinedFunction" in e for e in result.errors), result.errors
    assert result.timings["load_ms"] >= result.timings["later"] > 0
    with pytest.raises(BrowserError, match="cannot start Chromium"):
        Browser("/nonexistent/chromium").start()


@pytest.mark.parametrize("name", ["qingping", "wucheng"])
def test_the_summary_and_the_briefing_mean_the_same_by_the_same_name(loaded, name: str) -> None:  # type: ignore[no-untyped-def]
    from govgraph.brief import briefing_figures

    item = loaded(name)
    area, as_of = item.scenario.spec.area, item.scenario.spec.as_of
    summary = q.area_summary(item.backend, area, as_of=as_of).to_dict()
    figures = briefing_figures(item.backend, area, as_of=as_of)
    shared = set(summary) & set(figures)
    assert shared >= {"households", "grid_workers", "open_cases", "households_per_worker_max"}
    assert {k: figures[k] for k in shared} == pytest.approx({k: summary[k] for k in shared})
    gaps = q.uncovered(item.backend, area, as_of=as_of)
    assert figures["households_with_gaps"] == gaps.total
    assert figures["covered_rate"] == round(1 - gaps.total / summary["households"], 4)
    assert "coverage_rate" not in summary and summary["staffed_rate"] >= figures["covered_rate"]
