from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from govgraph.cli import cli
from govgraph.served import wait_until_serving


def _run(*args: str) -> click.testing.Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_demo_loads_qingping_and_points_onward(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the demo writes its briefing here
    store = str(tmp_path / "demo")
    result = _run("--store", store, "demo")
    assert result.exit_code == 0, result.output
    brief = tmp_path / "brief-621123109.html"
    assert "Briefing for the township" in result.output and brief.exists()
    assert "庆坪镇 网格化治理简报" in brief.read_text(encoding="utf-8")
    assert "3,545" in result.output and "14,784" in result.output
    assert "✗" not in result.output  # every published figure holds
    assert "Where to look next" in result.output
    again = _run("--store", store, "demo")  # idempotent
    assert again.exit_code == 0
    info = json.loads(_run("--store", store, "info", "--json").output)
    assert info["nodes"]["Household"] == 3545


def test_info_json_has_the_documented_shape(tmp_path: Path) -> None:
    store = str(tmp_path / "s")
    assert _run("--store", store, "load", "scenario", "wucheng", "--json").exit_code == 0
    info = json.loads(_run("--store", store, "info", "--json").output)
    assert set(info) == {"nodes", "relationships"}
    assert info["nodes"]["Township"] == 1
    assert info["nodes"]["Grid"] == 46
    assert info["relationships"]["GRID_WORKER_OF"] >= 105
    assert all(isinstance(v, int) for v in info["relationships"].values())


def test_figures_command_reports_and_sets_the_exit_status(tmp_path: Path) -> None:
    store = str(tmp_path / "s")
    _run("--store", store, "load", "scenario", "wucheng")
    ok = _run("--store", store, "figures", "wucheng", "--json")
    assert ok.exit_code == 0
    assert all(row["holds"] for row in json.loads(ok.output))
    wrong = _run("--store", store, "figures", "qingping")  # not loaded here
    assert wrong.exit_code == 1
    assert "✗" in wrong.output


def test_load_writes_the_manifest(tmp_path: Path) -> None:
    manifest = tmp_path / "truth.json"
    result = _run(
        "--store", str(tmp_path / "s"), "load", "scenario", "wucheng", "--manifest", str(manifest)
    )
    assert result.exit_code == 0
    truth = json.loads(manifest.read_text(encoding="utf-8"))
    assert truth["scenario"] == "wucheng" and truth["as_of"] == "2022-09-20"
    assert len(truth["households_without_grid"]) > 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["load", "scenario", "atlantis"], "unknown scenario 'atlantis'"),
        (["load", "scenario", "qingping", "--households", "5000"], "3,545"),
    ],
)
def test_bad_input_is_one_clear_line(tmp_path: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["--store", str(tmp_path / "s"), *args])
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_a_missing_store_is_explained(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--store", str(tmp_path / "none"), "info"])
    assert result.exit_code == 1
    assert "load scenario" in result.output


def test_a_bad_store_uri_is_explained() -> None:
    result = CliRunner().invoke(cli, ["--store", "http://example.org", "info"])
    assert result.exit_code == 1
    assert "unsupported URI scheme" in result.output


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    out = []
    for name, command in group.commands.items():
        out.append((f"{prefix}{name}", command))
        if isinstance(command, click.Group):
            out += _commands(command, f"{prefix}{name} ")
    return out


@pytest.mark.parametrize(("name", "command"), _commands(cli))
def test_every_command_has_help_with_an_example(name: str, command: click.Command) -> None:
    assert command.help and "Example" in command.help, f"govgraph {name} lacks an example"


def test_python_dash_m_works() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "govgraph", "--help"], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0
    assert "govgraph demo" in proc.stdout


def test_scenarios_lists_every_scenario() -> None:
    rows = json.loads(_run("scenarios", "--json").output)
    assert [r["name"] for r in rows] == [
        "qingping",
        "wucheng",
        "zhenyuan",
        "yuqing",
        "horqin",
        "qingyang",
    ]


def test_bench_records_medians_and_the_machine(tmp_path: Path) -> None:
    output = tmp_path / "bench.json"
    result = _run(
        "bench", "--scale", "S", "--repeat", "1", "--runs", "5", "--output", str(output), "--json"
    )
    assert result.exit_code == 0, result.output
    data = json.loads(output.read_text(encoding="utf-8"))["S"]
    assert data["size"]["households"] == 3545
    assert data["load"]["load_seconds_median"] > 0
    assert data["machine"]["cores"] >= 1
    assert set(data["questions"]["timings"]) >= {
        "responsible",
        "uncovered_township",
        "overloaded_county",
        "coordination",
        "overdue",
    }
    assert data["networkx"]["timings"]["uncovered_county"]["median_ms"] > 0
    load = data["load"]
    assert load["end_to_end_seconds_median"] >= load["load_seconds_median"]
    # the floors the ratios divide by, and DuckDB's answers on the same rows
    assert {"floor_lookup", "floor_scan_county"} <= set(data["questions"]["timings"])
    for key in ("uncovered_county", "overloaded_county"):
        peer = data["duckdb"][key]
        assert peer["identical"] is True and peer["rows"] > 0, peer
        assert peer["govgraph_median_ms"] > 0 and peer["duckdb_median_ms"] > 0
    text = output.with_suffix(".md").read_text(encoding="utf-8")
    assert "| load_seconds_median |" in text and "| responsible |" in text
    assert "| responsible | floor_lookup |" in text and "≤ 25× at M" in text
    assert "| uncovered_county (" in text and "| yes |" in text


def test_the_bench_results_say_met_or_missed_beside_each_target(tmp_path: Path) -> None:
    """At L every target's cell says whether it was met; the figures are made up here,
    one each side of its target."""
    from govgraph.bench.results import TARGETS_MS, _write_markdown, met

    assert met(0.9, 1) == "met" and met(1.1, 1) == "MISSED"
    assert met(1600, 1500, at_least=True) == "met" and met(10, 1500, at_least=True) == "MISSED"
    timings = {key: {"median_ms": limit * (0.5 if i % 2 else 2), "p95_ms": 0, "runs": 1}
               for i, (key, limit) in enumerate(TARGETS_MS.items())}  # fmt: skip
    result = {
        "scenario": "made up", "when": "now", "machine": {"summary": "this"},
        "load": {"load_seconds_median": 31.0, "peak_rss_mib_max": 2000},
        "questions": {"subjects": {"township": "t", "county": "c"}, "timings": timings},
    }  # fmt: skip
    path = tmp_path / "r.md"
    _write_markdown({"L": result}, path)
    text = path.read_text(encoding="utf-8")
    assert "| load_seconds_median | 31.0 | ≤ 30 (MISSED) |" in text
    assert "| peak_rss_mib_max | 2,000 | ≤ 3,000 (met) |" in text
    for i, key in enumerate(TARGETS_MS):
        line = next(line for line in text.splitlines() if line.startswith(f"| {key} |"))
        assert ("(met)" if i % 2 else "(MISSED)") in line, line
    # at M, each question against its floor: 20× a 0.1 ms lookup is met, 90× is not
    medians = {
        "floor_lookup": 0.1, "responsible": 2.0, "coordination": 9.0,
        "floor_scan_county": 5.0, "uncovered_county": 50.0, "overloaded_county": 45.0,
    }  # fmt: skip
    timings = {key: {"median_ms": ms, "p95_ms": 0, "runs": 1} for key, ms in medians.items()}
    result["questions"] = {"subjects": {"township": "t", "county": "c"}, "timings": timings}
    _write_markdown({"M": result}, path)
    text = path.read_text(encoding="utf-8")
    assert "| responsible | floor_lookup | 20.0× | ≤ 25× (met) |" in text
    assert "| coordination | floor_lookup | 90.0× | ≤ 60× (MISSED) |" in text
    assert "| uncovered_county | floor_scan_county | 10.0× | ≤ 12× (met) |" in text
    assert "| overloaded_county | floor_scan_county | 9.0× | ≤ 8× (MISSED) |" in text


def test_the_api_bench_section_says_its_warm_up_and_each_target(tmp_path: Path) -> None:
    """The API section names its runs and the warm-up with what it measured, apart from the
    measured runs (figures made up: one target met, one missed); a record made before warm-ups
    and repeats says one run and no warm-up."""
    from govgraph.bench.results import _write_markdown

    figures = {"requests_per_second": 1600.5, "p50_ms": 30.0, "p90_ms": 35.0, "p99_ms": 55.0,
               "requests": 48000, "non_2xx": 0, "socket_errors": 0}  # fmt: skip
    api = {
        "endpoint": "GET /households/{id}/responsible", "when": "now",
        "machine": {"summary": "this"}, "server_workers": "default", "scenario": "zhenyuan (M)",
        "duration_s": 30, "connections": 64, "households": 42000, "figures": figures,
        "targets": {"requests_per_second": 1500, "p99_ms": 50}, "with_writer": None,
        "warmup_s": 5, "warmup": {**figures, "requests_per_second": 900.0, "p99_ms": 480.0},
        "runs": 3,
    }  # fmt: skip
    path = tmp_path / "r.md"
    _write_markdown({"API": api}, path)
    text = path.read_text(encoding="utf-8")
    assert "each figure the median of 3 runs of 30 s, 64 connections after 5 s of the same " in text
    assert "load (a warm-up: 900.0 requests/s, " in text
    assert "p99 480.0 ms)" in text
    assert "| requests/s | 1,600.5 | ≥ 1,500 (met) |" in text
    assert "| p99 ms | 55.0 | < 50 (MISSED) |" in text
    del api["warmup"], api["warmup_s"], api["runs"]
    _write_markdown({"API": api}, path)
    text = path.read_text(encoding="utf-8")
    assert "warm-up" not in text and "zhenyuan (M), 30 s, 64 connections, every one" in text


@pytest.mark.slow
def test_bench_brief_times_the_command_and_the_browser(tmp_path: Path) -> None:
    from govgraph.bench.browser import find_chromium

    output = tmp_path / "bench.json"
    args = ["bench-brief", "--repeat", "1", "--output", str(output), "--json"]
    if find_chromium() is None:
        args.append("--no-browser")
    result = _run(*args)
    assert result.exit_code == 0, result.output
    data = json.loads(output.read_text(encoding="utf-8"))["BRIEF"]
    assert set(data["townships"]) == {"621123109", "621027101"}
    qingping = data["townships"]["621123109"]
    assert qingping["households"] == 3545 and qingping["cli_seconds_median"] > 0
    assert qingping["page_kib"] > 10 and qingping["generate_seconds_first"] > 0
    if find_chromium() is not None:
        assert qingping["render_ms_median"] > 0
        assert qingping["total_seconds"] > qingping["cli_seconds_median"]
    text = output.with_suffix(".md").read_text(encoding="utf-8")
    assert "## Township briefing" in text and "| 621027101 (zhenyuan) |" in text


def test_bench_brief_without_a_browser_says_so_before_loading_anything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOVGRAPH_CHROMIUM", str(tmp_path / "no-such-chromium"))
    result = _run("bench-brief", "--output", str(tmp_path / "b.json"))
    assert result.exit_code == 1
    assert "Chromium not found" in result.output and "--no-browser" in result.output
    assert not (tmp_path / "b.json").exists()


@pytest.mark.parametrize("command", ["bench", "bench-api", "bench-import", "bench-brief"])
def test_a_bench_refuses_a_results_file_it_cannot_merge_into_before_running(
    tmp_path: Path, command: str
) -> None:
    markdown = _run(command, "--output", str(tmp_path / "results.md"))
    assert markdown.exit_code == 2
    assert "results.md is not a .json file" in markdown.output
    broken = tmp_path / "results.json"
    broken.write_text("| not json |", encoding="utf-8")
    refused = _run(command, "--output", str(broken))
    assert refused.exit_code == 2 and "holds no JSON results" in refused.output
    assert broken.read_text(encoding="utf-8") == "| not json |"
    assert not (tmp_path / "results.md").exists()


@pytest.fixture(scope="module")
def wucheng_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    store = str(tmp_path_factory.mktemp("cli") / "wucheng")
    assert _run("--store", store, "load", "scenario", "wucheng").exit_code == 0
    return store


AS_OF = ["--as-of", "2022-09-20"]


def _json(store: str, *args: str) -> object:
    result = _run("--store", store, "query", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_query_commands_answer_in_json(wucheng_store: str) -> None:
    area = "140225210"
    u = _json(wucheng_store, "uncovered", "--area", area, *AS_OF)
    assert u["area"] == area and u["households"]
    assert set(u["by_reason"]) == {"no_grid", "no_worker", "no_linking_member", "not_visited"}
    for reason, n in u["by_reason"].items():  # the totals are the listed households' reasons
        assert n == sum(reason in h["reasons"] for h in u["households"]), reason
    household = u["households"][0]["household"]
    r = _json(wucheng_store, "responsible", household, *AS_OF)
    assert r["roles"][0] == {
        "role": "household",
        "id": household,
        "name": r["roles"][0]["name"],
        "via": "140225210" + household[10:13],
        "detail": "",
    }
    o = _json(wucheng_store, "overloaded", "--area", area, "--max-households", "20", *AS_OF)
    assert o["workers"] and all(w["ratio"] > 1 for w in o["workers"])
    late = _json(wucheng_store, "overdue", "--area", area, *AS_OF)
    assert late["overdue"]
    c = _json(wucheng_store, "coordination", late["overdue"][0]["case_id"], *AS_OF)
    assert c["paths"] and c["paths"][0][-1] == "GC140225"
    s = _json(wucheng_store, "summary", "--area", area, *AS_OF)
    assert s["households"] == 3454


def test_query_tables_for_people(wucheng_store: str) -> None:
    result = _run(
        "--store",
        wucheng_store,
        "query",
        "uncovered",
        "--area",
        "140225210",
        "--reason",
        "no_grid",
        *AS_OF,
    )
    assert result.exit_code == 0
    assert "no_grid" in result.output and "per child area" in result.output
    every = _json(wucheng_store, "uncovered", "--area", "140225210", *AS_OF)
    for reason in ("no_grid", "no_worker", "not_visited"):
        only = _json(wucheng_store, "uncovered", "--area", "140225210", "--reason", reason, *AS_OF)
        listed = [h["household"] for h in only["households"]]
        assert listed == [h["household"] for h in every["households"] if reason in h["reasons"]]
        assert len(listed) == every["by_reason"][reason] > 0, reason


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["responsible", "H0000"], "household 'H0000' does not exist"),
        (["coordination", "K0000"], "case 'K0000' does not exist"),
        (["summary", "--area", "1101"], "no households or grids under area '1101'"),
    ],
)
def test_query_not_found_is_one_line(wucheng_store: str, args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["--store", wucheng_store, "query", *args])
    assert result.exit_code == 1
    assert message in result.output


def test_query_rejects_a_malformed_area(wucheng_store: str) -> None:
    result = CliRunner().invoke(
        cli, ["--store", wucheng_store, "query", "uncovered", "--area", "14022"]
    )
    assert result.exit_code == 2
    assert "--area" in result.output and "expected 2, 4, 6, 9 or 12 digits" in result.output


def test_tokens_and_audit_from_the_cli(tmp_path: Path) -> None:
    store = str(tmp_path / "s")
    created = _run(
        "--store",
        store,
        "token",
        "create",
        "--role",
        "township",
        "--area",
        "140225210",
        "--pii",
        "--label",
        "乡综治中心",
        "--json",
    )
    assert created.exit_code == 0, created.output
    token = json.loads(created.output)
    assert token["token"].startswith("ggt_")
    listed = json.loads(_run("--store", store, "token", "list", "--json").output)
    assert [t["token_id"] for t in listed] == [token["token_id"]]
    assert token["token"] not in json.dumps(listed)  # the secret is never stored
    assert _run("--store", store, "token", "revoke", token["token_id"]).exit_code == 0
    again = CliRunner().invoke(cli, ["--store", store, "token", "revoke", token["token_id"]])
    assert again.exit_code == 1 and "no active token" in again.output
    bad = CliRunner().invoke(
        cli, ["--store", store, "token", "create", "--role", "county", "--area", "621027100"]
    )
    assert bad.exit_code == 1 and "6 digits" in bad.output
    assert json.loads(_run("--store", store, "audit", "--json").output) == []


def test_serve_answers_over_real_http(wucheng_store: str, tmp_path: Path) -> None:
    import os
    import socket
    import urllib.request

    token = json.loads(
        _run(
            "--store",
            wucheng_store,
            "token",
            "create",
            "--role",
            "county",
            "--area",
            "140225",
            "--json",
        ).output
    )["token"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "govgraph", "--store", wucheng_store, "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ},
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_serving(base, proc)
        request = urllib.request.Request(
            f"{base}/areas/140225210/summary?as_of=2022-09-20",
            headers={"Authorization": f"Bearer {token}"},
        )
        body = json.loads(urllib.request.urlopen(request, timeout=10).read())
        assert body["households"] == 3454
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        for stream in (proc.stdout, proc.stderr):
            if stream:
                stream.close()


def test_serve_on_a_missing_store_is_one_clear_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--store", str(tmp_path / "none"), "serve"])
    assert result.exit_code == 1
    assert "no store at" in result.output and "load scenario" in result.output


def test_divisions_finds_units_anywhere_by_code_or_name_with_their_path() -> None:
    found = json.loads(_run("divisions", "440305001001", "--json").output)
    assert found == [{"code": "440305001001", "level": "village", "name": "南头城社区居委会",
                      "path": "广东省 深圳市 南山区 南头街道 南头城社区居委会"}]  # fmt: skip
    named = json.loads(_run("divisions", "庆坪", "--in", "621123", "--json").output)
    assert named[0]["code"] == "621123109" and named[0]["path"] == "甘肃省 定西市 渭源县 庆坪镇"
    assert all(r["code"].startswith("621123") and "庆坪" in r["name"] for r in named)
    table = _run("divisions", "621027000000")
    assert table.exit_code == 0 and "甘肃省 庆阳市 镇原县" in table.output
    missing = _run("divisions", "不存在的地方", "--in", "62")
    assert missing.exit_code == 1 and "no unit matches" in missing.output
    bad = _run("divisions", "庆坪", "--in", "62x")
    assert bad.exit_code == 2 and "--in" in bad.output


@pytest.mark.parametrize(
    "command",
    [
        ["query", "summary"],
        ["query", "uncovered"],
        ["query", "overloaded"],
        ["query", "overdue"],
        ["brief"],
        ["export", "-o", "out"],
        ["plan", "rebalance"],
        ["import", "x.csv"],
        ["token", "create", "--role", "county"],
    ],
)
def test_every_command_takes_an_area_the_same_way(command: list[str], tmp_path: Path) -> None:
    """``--area CODE`` everywhere, in the same forms, refused with the same message."""
    if command[0] == "import":
        (tmp_path / "x.csv").write_text("户编号\n", encoding="utf-8")
        command = ["import", str(tmp_path / "x.csv")]
    bad = _run("--store", str(tmp_path / "s"), *command, "--area", "62x")
    assert bad.exit_code == 2, bad.output
    assert "Invalid value for '--area'" in bad.output or "Invalid value for --area" in bad.output
    assert "division code '62x': expected 2, 4, 6, 9 or 12 digits" in bad.output
