"""The ``govgraph`` command: a thin layer over the library.

Each command parses options, calls one library function and formats the
result: a table for people, ``--json`` for scripts. Errors become one line on
stderr saying what went wrong and how to fix it.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.table import Table

from .config import Settings
from .errors import GovgraphError

F = TypeVar("F", bound=Callable[..., Any])

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def _fail_cleanly(fn: F) -> F:
    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except GovgraphError as exc:
            err.print(f"[red]error:[/red] {exc}")
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


class _Context:
    def __init__(self, store: str | None) -> None:
        self.store = store

    def settings(self) -> Settings:
        return Settings.load(self.store)

    @contextmanager
    def backend(self, *, read_only: bool = False) -> Iterator[Any]:
        from .backends import open_backend

        backend = open_backend(self.settings(), read_only=read_only)
        try:
            yield backend
        finally:
            backend.close()


pass_ctx = click.make_pass_decorator(_Context)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--store",
    metavar="PATH|URI",
    envvar="GOVGRAPH_STORE",
    help="Embedded store directory, or a neo4j://, neo4j+s:// or bolt:// URI "
    "(credentials from GOVGRAPH_NEO4J_USER / GOVGRAPH_NEO4J_PASSWORD). "
    "Default: an embedded store in your user data directory.",
)
@click.version_option(package_name="govgraph")
@click.pass_context
def cli(ctx: click.Context, store: str | None) -> None:
    """govgraph: the grassroots grid-governance network (网格化管理) as a graph.

    \b
    Examples:
      govgraph demo                                  load 庆坪镇 and show what is there
      govgraph --store ./zy load scenario zhenyuan   a whole county into ./zy
      govgraph --store ./zy info --json              node and relationship counts
      govgraph --store ./zy figures zhenyuan         published figures vs the graph
    """
    ctx.obj = _Context(store)


# -- load ------------------------------------------------------------------------------


@cli.group()
def load() -> None:
    """Load data into the store.

    \b
    Example:
      govgraph load scenario qingping
    """


@load.command("scenario")
@click.argument("name")
@click.option("--seed", type=int, help="Random seed (default: the scenario's own).")
@click.option(
    "--households",
    type=click.IntRange(min=100),
    metavar="N",
    help="Resize a scenario whose report leaves households open "
    "(zhenyuan, yuqing, horqin, qingyang).",
)
@click.option(
    "--manifest",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the ground-truth manifest of planted imperfections (JSON).",
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON report.")
@pass_ctx
@_fail_cleanly
def load_scenario_cmd(
    ctx: _Context,
    name: str,
    seed: int | None,
    households: int | None,
    manifest: Path | None,
    as_json: bool,
) -> None:
    """Generate scenario NAME on real divisions and load it (idempotent).

    Scenarios: qingping (庆坪镇), wucheng (吴城乡), zhenyuan (镇原县),
    yuqing (余庆县), horqin (科右前旗), qingyang (庆阳市, scale: --households).

    \b
    Examples:
      govgraph load scenario zhenyuan
      govgraph load scenario qingyang --households 1000000 --manifest truth.json
    """
    from .loaders.load import load_scenario

    with ctx.backend() as backend, _progress(quiet=as_json) as progress:
        scenario, report = load_scenario(
            backend, name, seed=seed, households=households, progress=progress, consume=True
        )
    if manifest:
        scenario.manifest.write(manifest)
    result = {
        "scenario": name,
        "store": ctx.settings().store,
        "nodes": report.nodes,
        "relationships": report.relationships,
        "generate_seconds": round(report.generate_seconds, 3),
        "write_seconds": round(report.write_seconds, 3),
        "planted": scenario.manifest.summary(),
    }
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    out.print(
        f"Loaded [bold]{scenario.spec.title}[/bold] into {result['store']}: "
        f"{report.nodes:,} nodes, {report.relationships:,} relationships "
        f"(generated in {report.generate_seconds:.1f} s, written in "
        f"{report.write_seconds:.1f} s)."
    )
    _print_planted(scenario.manifest.summary(), scenario.spec.as_of.isoformat())


@contextmanager
def _progress(quiet: bool) -> Iterator[Callable[[str, int], None] | None]:
    if quiet or not err.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description:<40}"),
        BarColumn(),
        TextColumn("{task.fields[n]}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task("writing", total=None, n="")

        def step(what: str, rows: int) -> None:
            bar.update(task, description=f"writing {what}", n=f"{rows:,} rows", advance=1)

        yield step


def _print_planted(summary: dict[str, int], as_of: str) -> None:
    table = Table(title=f"Imperfections planted (as of {as_of})", title_justify="left")
    table.add_column("what")
    table.add_column("count", justify="right")
    for what, n in summary.items():
        table.add_row(what, f"{n:,}")
    out.print(table)


# -- info ------------------------------------------------------------------------------


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
@_fail_cleanly
def info(ctx: _Context, as_json: bool) -> None:
    """Node counts per label and relationship counts per type.

    \b
    Examples:
      govgraph info
      govgraph --store ./zy info --json
    """
    with ctx.backend(read_only=True) as backend:
        counts = backend.counts()
        location = backend.location
    if as_json:
        click.echo(json.dumps(counts, ensure_ascii=False, indent=2))
        return
    _print_counts(counts, location)


def _print_counts(counts: dict[str, dict[str, int]], location: str) -> None:
    table = Table(title=f"Store {location}", title_justify="left")
    table.add_column("node label")
    table.add_column("count", justify="right")
    table.add_column("relationship type")
    table.add_column("count", justify="right")
    nodes = list(counts["nodes"].items())
    rels = list(counts["relationships"].items())
    for i in range(max(len(nodes), len(rels))):
        n = nodes[i] if i < len(nodes) else ("", None)
        r = rels[i] if i < len(rels) else ("", None)
        table.add_row(
            n[0], "" if n[1] is None else f"{n[1]:,}", r[0], "" if r[1] is None else f"{r[1]:,}"
        )
    out.print(table)


# -- scenarios and figures ---------------------------------------------------------------


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def scenarios(as_json: bool) -> None:
    """List the scenarios, their sources and what each reproduces.

    \b
    Example:
      govgraph scenarios
    """
    from .loaders.scenarios import SCENARIOS

    rows = [
        {
            "name": s.name,
            "title": s.title,
            "source": s.source,
            "as_of": s.as_of.isoformat(),
            "figures": len(s.figures),
            "notes": s.notes,
        }
        for s in SCENARIOS.values()
    ]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        out.print(
            f"[bold]{r['name']}[/bold]  {r['title']}  (source {r['source']}, "
            f"as of {r['as_of']}, {r['figures']} published figures)"
        )
        out.print(f"    {r['notes']}\n")


@cli.command()
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
@_fail_cleanly
def figures(ctx: _Context, name: str, as_json: bool) -> None:
    """Compare scenario NAME's published figures with the loaded graph.

    Exits with status 1 if a figure does not hold.

    \b
    Example:
      govgraph --store ./zy figures zhenyuan
    """
    from .figures import check_figures
    from .loaders.scenarios import get_scenario

    spec = get_scenario(name)
    with ctx.backend(read_only=True) as backend:
        checks = check_figures(backend, spec)
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "what": c.figure.what,
                        "published": c.figure.published,
                        "found": c.found,
                        "holds": c.holds,
                    }
                    for c in checks
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        _print_figures(spec.title, spec.source, checks)
    if not all(c.holds for c in checks):
        sys.exit(1)


def _print_figures(title: str, source: str, checks: list[Any]) -> None:
    table = Table(title=f"{title} — published figures ({source})", title_justify="left")
    table.add_column("figure")
    table.add_column("published", justify="right")
    table.add_column("in the graph", justify="right")
    table.add_column("")
    for c in checks:
        table.add_row(
            c.figure.what,
            c.figure.published,
            f"{c.found:,}",
            "[green]✓[/green]" if c.holds else "[red]✗[/red]",
        )
    out.print(table)


# -- demo ------------------------------------------------------------------------------


@cli.command()
@pass_ctx
@_fail_cleanly
def demo(ctx: _Context) -> None:
    """Load 庆坪镇 (Qingping town) into the store and show what is there.

    \b
    Example:
      govgraph demo
      govgraph --store /tmp/demo demo
    """
    from .figures import check_figures
    from .loaders.load import load_scenario

    store = ctx.settings().store
    out.print(f"Loading scenario [bold]qingping[/bold] (庆坪镇, 渭源县, 甘肃) into {store} …")
    with ctx.backend() as backend:
        with _progress(quiet=False) as progress:
            scenario, report = load_scenario(backend, "qingping", progress=progress, consume=True)
        counts = backend.counts()
        checks = check_figures(backend, scenario.spec)
    out.print(
        f"{report.nodes:,} nodes and {report.relationships:,} relationships written in "
        f"{report.generate_seconds + report.write_seconds:.1f} s.\n"
    )
    _print_counts(counts, store)
    _print_figures(scenario.spec.title, scenario.spec.source, checks)
    _print_planted(scenario.manifest.summary(), scenario.spec.as_of.isoformat())
    out.print(
        "\nWhere to look next:\n"
        f"  govgraph --store {store} info --json\n"
        "  govgraph scenarios\n"
        "  govgraph --store ./zhenyuan load scenario zhenyuan\n"
        "  govgraph bench --scale S"
    )


# -- bench -----------------------------------------------------------------------------


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
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("benchmarks/results.json"),
    show_default=True,
    help="JSON file the results are merged into (keyed by scale).",
)
@click.option(
    "--repeat",
    type=click.IntRange(min=1),
    default=3,
    show_default=True,
    help="Measurements, each in a fresh process; medians are reported.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@_fail_cleanly
def bench(scale: str, households: int | None, output: Path, repeat: int, as_json: bool) -> None:
    """Benchmark generating and loading a scenario into a fresh embedded store.

    Prints load time and peak memory, and records them, with a description of
    the machine, in OUTPUT.

    \b
    Examples:
      govgraph bench --scale S
      govgraph bench --scale L --json
    """
    from .bench import run_bench

    result = run_bench(scale, households=households, repeat=repeat, output=output)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    table = Table(
        title=f"govgraph bench --scale {scale} ({result['scenario']})", title_justify="left"
    )
    table.add_column("measure")
    table.add_column("value", justify="right")
    for key, value in result["load"].items():
        table.add_row(key, f"{value:,}" if isinstance(value, int) else str(value))
    out.print(table)
    out.print(f"machine: {result['machine']['summary']}")
    out.print(f"written to {output}")


def main() -> None:
    cli(prog_name="govgraph")


if __name__ == "__main__":  # pragma: no cover
    main()
