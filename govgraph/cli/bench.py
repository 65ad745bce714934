"""``govgraph bench``, ``bench-api``, ``bench-import`` and ``bench-brief``: figures with the
machine, written to the benchmarks file."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ._common import (
    cli,
    err,
    fail_cleanly,
    out,
    print_json,
)

# -- bench -----------------------------------------------------------------------------

#: every benchmark merges its section into one results file (and its Markdown twin)
_BENCH_OUTPUT = click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("benchmarks/results.json"),
    show_default=True,
    help="JSON file the results are merged into (one section per benchmark), with a .md twin.",
    callback=lambda ctx, param, value: _json_output(value),
)


def _json_output(path: Path) -> Path:
    """Refused before a benchmark runs (minutes) rather than after: the results file is JSON,
    merged section by section, and its Markdown twin is written beside it."""
    if path.suffix.lower() != ".json":
        raise click.BadParameter(
            f"{path} is not a .json file: the results are merged into JSON and "
            f"{path.with_suffix('.md').name} is written beside it"
        )
    if path.exists():
        try:
            json.loads(path.read_text(encoding="utf-8") or "{}")
        except (ValueError, UnicodeDecodeError) as exc:
            raise click.BadParameter(f"{path} holds no JSON results to merge into: {exc}") from None
    return path


@cli.command()
@click.option(
    "--scale",
    type=click.Choice(["S", "M", "L"]),
    default="S",
    show_default=True,
    help="S = qingping, M = zhenyuan county (~42k households), "
    "L = qingyang prefecture (~1M households).",
)
@click.option(
    "--households",
    type=click.IntRange(min=100),
    metavar="N",
    help="Override the L scale's household count.",
)
@click.option(
    "--repeat",
    type=click.IntRange(min=1),
    default=3,
    show_default=True,
    help="Loads, each in a fresh process; medians are reported.",
)
@click.option(
    "--runs",
    type=click.IntRange(min=5),
    default=200,
    show_default=True,
    help="Calls of each fast question (slow ones get fewer).",
)
@click.option(
    "--networkx/--no-networkx",
    "with_networkx",
    default=None,
    help="Also answer on an in-memory networkx graph. Default: at S and M.",
)
@click.option(
    "--neo4j",
    metavar="URI",
    help="Also load into this Neo4j and ask the same questions there (it must be empty, and "
    "is emptied afterwards; password from GOVGRAPH_NEO4J_PASSWORD).",
)
@_BENCH_OUTPUT
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@fail_cleanly
def bench(
    scale: str,
    households: int | None,
    repeat: int,
    runs: int,
    with_networkx: bool | None,
    neo4j: str | None,
    output: Path,
    as_json: bool,
) -> None:
    """Benchmark loading and every question on a fresh embedded store.

    Prints load time, peak memory, median and p95 latency of each question (and
    the networkx ratio), and records them with a description of the machine in
    OUTPUT and its Markdown twin.

    \b
    Examples:
      govgraph bench --scale S
      govgraph bench --scale L --repeat 3
      GOVGRAPH_NEO4J_PASSWORD=pw govgraph bench --scale M --neo4j bolt://127.0.0.1:7687
    """
    from ..bench.scale import run_bench

    result = run_bench(
        scale,
        households=households,
        repeat=repeat,
        runs=runs,
        with_networkx=with_networkx,
        neo4j=neo4j,
        output=output,
    )
    if as_json:
        print_json(result)
        return
    out.print(
        output.with_suffix(".md")
        .read_text(encoding="utf-8")
        .split(f"## Scale {scale}", 1)[1]
        .split("\n## Scale", 1)[0]
        .join([f"## Scale {scale}", ""])
    )
    out.print(f"written to {output}", soft_wrap=True)


@cli.command("bench-api")
@click.option(
    "--duration", type=click.IntRange(min=1), default=30, show_default=True, help="Seconds of load."
)
@click.option("--connections", type=click.IntRange(min=1), default=64, show_default=True)
@click.option(
    "--warmup",
    type=click.IntRange(min=0),
    default=5,
    show_default=True,
    help="Seconds of the same load before the measured runs (recorded apart; 0: none).",
)
@click.option(
    "--repeat",
    type=click.IntRange(min=1),
    default=3,
    show_default=True,
    help="Measured runs of the reads alone; each figure is the median of the runs.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="The server's threads (default: serve's own default).",
)
@click.option(
    "--writer-rate",
    type=click.FloatRange(min=0),
    default=50.0,
    show_default=True,
    help="Visits a second posted during the second run (0: no second run).",
)
@click.option(
    "--neo4j",
    metavar="URI",
    help="Serve from this Neo4j instead (it must be empty, and is emptied afterwards; "
    "password from GOVGRAPH_NEO4J_PASSWORD).",
)
@_BENCH_OUTPUT
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@fail_cleanly
def bench_api(
    duration: int,
    connections: int,
    warmup: int,
    repeat: int,
    workers: int | None,
    writer_rate: float,
    neo4j: str | None,
    output: Path,
    as_json: bool,
) -> None:
    """Load-test "who is responsible" over HTTP with wrk on loopback (M scenario), alone
    and then beside a writer posting visits.

    \b
    Example:
      govgraph bench-api --duration 30 --connections 64 --writer-rate 50
      GOVGRAPH_NEO4J_PASSWORD=pw govgraph bench-api --neo4j bolt://127.0.0.1:7687 --workers 2
    """
    from ..bench.api import run_api_bench

    result = run_api_bench(
        duration=duration,
        connections=connections,
        warmup=warmup,
        repeat=repeat,
        workers=workers,
        writer_rate=writer_rate,
        neo4j=neo4j,
        output=output,
    )
    if as_json:
        print_json({k: v for k, v in result.items() if k != "wrk_output"})
        return
    from ..bench.results import met

    out.print(result["wrk_output"])
    f, t = result["figures"], result["targets"]
    rate, p99 = f["requests_per_second"], f.get("p99_ms") or float("inf")
    out.print(
        f"{rate:,} requests/s (target ≥ {t['requests_per_second']:,}: "
        f"{met(rate, t['requests_per_second'], at_least=True)}), p99 {p99} ms (target < "
        f"{t['p99_ms']}: {met(p99, t['p99_ms'] - 1e-9)}), {f['non_2xx']} non-2xx, "
        f"{f['socket_errors']} socket errors"
    )
    out.print(f"written to {output}", soft_wrap=True)


@cli.command("bench-import")
@click.option("--repeat", type=click.IntRange(min=1), default=3, show_default=True)
@_BENCH_OUTPUT
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@fail_cleanly
def bench_import(repeat: int, output: Path, as_json: bool) -> None:
    """Import a county's ledgers (镇原县, all thirteen kinds) into a fresh store; record
    rows/s, in all and per kind.

    \b
    Example:
      govgraph bench-import --repeat 3
    """
    from ..bench.importing import run_import_bench
    from ..bench.results import met

    result = run_import_bench(repeat=repeat, output=output)
    if as_json:
        print_json(result)
        return
    f = result["figures"]
    out.print(
        f"{f['rows']:,} rows in {f['import_seconds_median']} s (median of {repeat}): "
        f"{f['rows_per_second']:,} rows/s (target {result['target_rows_per_second']:,}: "
        f"{met(f['rows_per_second'], result['target_rows_per_second'], at_least=True)}); "
        f"re-import {f['reimport_seconds_median']} s; peak {f['peak_rss_mib']:,} MiB."
    )
    if f.get("stage_seconds_median"):
        out.print("  stages (median s): " + ", ".join(
            f"{stage} {s}" for stage, s in f["stage_seconds_median"].items()))  # fmt: skip
    for kind, k in result["per_kind"].items():
        out.print(f"  {kind:<14} {k['rows']:>8,} rows  {k['seconds']:>7.2f} s  "
                  f"{k['rows_per_second']:>8,} rows/s")  # fmt: skip
    out.print(f"written to {output}", soft_wrap=True)


@cli.command("bench-brief")
@click.option("--repeat", type=click.IntRange(min=1), default=5, show_default=True)
@_BENCH_OUTPUT
@click.option("--no-browser", is_flag=True, help="Skip the Chromium render (no browser here).")
@click.option(
    "--large", is_flag=True, help="Also the largest township of 庆阳市 (1M households; ~3 GB)."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@fail_cleanly
def bench_brief(repeat: int, output: Path, no_browser: bool, large: bool, as_json: bool) -> None:
    """Time township briefings: `govgraph brief`, then the page rendered in headless Chromium.

    \b
    Townships: 庆坪镇 (the demo's) and 镇原县's most populous, 屯字镇 (with --large
    also 庆阳市's most populous). Target: the command plus the rendered page under 2 s.

    \b
    Example:
      govgraph bench-brief --repeat 5
      govgraph bench-brief --large --json
    """
    from ..bench.brief import run_brief_bench

    say = (lambda _: None) if as_json else (lambda line: err.print(f"[dim]{line}[/dim]"))
    result = run_brief_bench(
        repeat=repeat, output=output, browser=not no_browser, large=large, say=say
    )
    if as_json:
        print_json(result)
        return
    for area, t in result["townships"].items():
        render = (
            f" + page rendered {t['render_ms_median']:.0f} ms = {t['total_seconds']} s "
            f"({'met' if t['met'] else 'MISSED'}, target < {result['target_seconds']} s)"
            if "total_seconds" in t
            else ""
        )
        out.print(
            f"{area} ({t['households']:,} households): govgraph brief "
            f"{t['cli_seconds_median']} s{render}"
        )
    out.print(f"written to {output}", soft_wrap=True)
