"""``govgraph load``, ``info``, ``scenarios``, ``figures``, ``copy`` and ``migrate``: what is
in the store, whether it holds what the reports published, and moving it on."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from ._common import (
    JSON,
    Context,
    cli,
    err,
    fail_cleanly,
    out,
    pass_ctx,
    print_json,
    progress,
)

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
@fail_cleanly
def load_scenario_cmd(
    ctx: Context,
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
    from ..loaders.load import load_scenario

    with ctx.backend() as backend, progress(quiet=as_json) as step:
        scenario, report = load_scenario(
            backend, name, seed=seed, households=households, progress=step, consume=True
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
        print_json(result)
        return
    out.print(
        f"Loaded [bold]{scenario.spec.title}[/bold] into {result['store']}: "
        f"{report.nodes:,} nodes, {report.relationships:,} relationships "
        f"(generated in {report.generate_seconds:.1f} s, written in "
        f"{report.write_seconds:.1f} s)."
    )
    print_planted(scenario.manifest.summary(), scenario.spec.as_of.isoformat())


def print_planted(summary: dict[str, int], as_of: str) -> None:
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
@fail_cleanly
def info(ctx: Context, as_json: bool) -> None:
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
        print_json(counts)
        return
    print_counts(counts, location)


def print_counts(counts: dict[str, dict[str, int]], location: str) -> None:
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
    from ..loaders.scenarios import SCENARIOS

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
        print_json(rows)
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
@fail_cleanly
def figures(ctx: Context, name: str, as_json: bool) -> None:
    """Compare scenario NAME's published figures with the loaded graph.

    Exits with status 1 if a figure does not hold.

    \b
    Example:
      govgraph --store ./zy figures zhenyuan
    """
    from ..figures import check_figures
    from ..loaders.scenarios import get_scenario

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
        print_figures(spec.title, spec.source, checks)
    if not all(c.holds for c in checks):
        sys.exit(1)


def print_figures(title: str, source: str, checks: list[Any]) -> None:
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


# -- divisions -------------------------------------------------------------------------------


@cli.command()
@click.argument("query")
@click.option(
    "--in", "within", default="", metavar="CODE", help="Only units under this division code."
)
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
@JSON
@fail_cleanly
def divisions(query: str, within: str, limit: int, as_json: bool) -> None:
    """Find administrative units (all of mainland China, NBS 2023) by code or by name, each
    with its full path.

    QUERY is a division code in any form (621027, 621027100, 621027000000) or part of a
    name (庆坪, 南头城社区). A name search reads every province's villages unless --in
    narrows it (a few seconds).

    \b
    Examples:
      govgraph divisions 440305001001
      govgraph divisions 城关镇 --in 6210
      govgraph divisions 庆坪村 --json
    """
    from ..loaders.divisions import load_divisions

    table = load_divisions()
    try:
        found = table.search(query, within=within, limit=limit)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--in") from None
    rows = [
        {"code": d.code, "level": d.level, "name": d.name, "path": table.path(d.code)}
        for d in found
    ]
    if as_json:
        print_json(rows)
        return
    if not rows:
        err.print(f"no unit matches {query!r}" + (f" under {within}" if within else ""))
        sys.exit(1)
    title = f"{len(rows)} unit{'s' if len(rows) > 1 else ''}"
    listing = Table(title=title + (" (the first)" if len(rows) == limit else ""),
                    title_justify="left")  # fmt: skip
    for column in ("code", "level", "path"):
        listing.add_column(column, overflow="fold")
    for r in rows:
        listing.add_row(r["code"], r["level"], r["path"])
    out.print(listing)


# -- copy ----------------------------------------------------------------------------------


@cli.command("copy")
@click.option("--from", "source", required=True, metavar="PATH|URI", help="The store to copy.")
@click.option("--to", "target", required=True, metavar="PATH|URI",
              help="The store to copy into: empty, or an earlier (unfinished) copy.")  # fmt: skip
@JSON
@fail_cleanly
def copy_cmd(source: str, target: str, as_json: bool) -> None:
    """Copy a whole store into another, through the backend interface (embedded → Neo4j
    when an office outgrows one machine; embedded → embedded; Neo4j → embedded).

    Idempotent: a copy killed at any point is finished by running it again. At the end the
    counts of every label and type must match, or the command fails saying which differ.
    Neo4j credentials come from GOVGRAPH_NEO4J_USER / GOVGRAPH_NEO4J_PASSWORD.

    \b
    Examples:
      govgraph copy --from ./zhenyuan --to ./zhenyuan-copy
      GOVGRAPH_NEO4J_PASSWORD=pw govgraph copy --from ./zhenyuan --to neo4j://db:7687
    """
    from pathlib import Path

    from ..backends import open_backend
    from ..config import Settings
    from ..loaders.copy import copy_store

    if source == target or (
        "://" not in source
        and "://" not in target
        and Path(source).resolve() == Path(target).resolve()
    ):
        raise click.BadParameter("--from and --to name the same store", param_hint="--to")
    with (
        open_backend(Settings.load(source), read_only=True) as reading,
        open_backend(Settings.load(target)) as writing,
        progress(as_json) as step,
    ):
        report = copy_store(reading, writing, progress=step)
    result = {"from": source, "to": target, "nodes": report.nodes,
              "relationships": report.relationships, "seconds": round(report.seconds, 2),
              "counts": report.counts}  # fmt: skip
    if as_json:
        print_json(result)
        return
    out.print(
        f"copied {report.nodes:,} nodes and {report.relationships:,} relationships from "
        f"{source} to {target} in {report.seconds:.1f} s; every count matches.",
        soft_wrap=True,
    )


# -- migrate -------------------------------------------------------------------------------


@cli.command()
@click.option("--check", is_flag=True,
              help="Only say which model version the store is at and what would run; "
              "exit status 1 if a migration is due.")  # fmt: skip
@JSON
@pass_ctx
@fail_cleanly
def migrate(ctx: Context, check: bool, as_json: bool) -> None:
    """Bring a store written by an older govgraph to this release's model.

    Most steps run by themselves when a store is opened; a step that rewrites much of the
    store waits for this command. Each step is one transaction with its version number: a
    migration killed at any point leaves a store that the release before or after the step
    opens, and running the command again finishes it. A store from a newer release is
    refused and left untouched.

    \b
    Examples:
      govgraph --store ./zy migrate --check
      govgraph --store ./zy migrate --json
    """
    from ..backends import open_backend
    from ..backends.versions import (
        COMPACT,
        MODEL_VERSION,
        describe,
        migrate,
        pending,
        refuse_newer,
    )

    with open_backend(ctx.settings(), read_only=check, check_model=False) as backend:
        version = backend.model_version()
        if version is not None:
            refuse_newer(backend, version)
        due = [] if version is None else [step.summary for step in pending(version)]
        if backend.residue():
            due.append(COMPACT)
        if check:
            result: dict[str, Any] = {
                "store": backend.location,
                "model_version": version,
                "current": MODEL_VERSION,
                "due": due,
            }
            if as_json:
                print_json(result)
            elif version is None:
                out.print(f"{backend.location} is empty (it will be written at "
                          f"{describe(MODEL_VERSION)})", soft_wrap=True)  # fmt: skip
            else:
                out.print(f"{backend.location} is at {describe(version)}; this release "
                          f"writes {describe(MODEL_VERSION)}", soft_wrap=True)  # fmt: skip
                for step in due:
                    out.print(f"  due: {step}")
            sys.exit(1 if due else 0)
        report = migrate(backend, progress=None if as_json else lambda step: err.print(f"  {step}"))
    if as_json:
        print_json({"store": report.location, "from": report.before, "to": report.after,
                    "steps": report.steps})  # fmt: skip
    elif not report.steps:
        state = "empty" if report.after is None else f"at {describe(report.after)} already"
        out.print(f"{report.location} is {state}: nothing to do", soft_wrap=True)
    else:
        assert report.before is not None and report.after is not None
        out.print(f"migrated {report.location} from {describe(report.before)} to "
                  f"{describe(report.after)}", soft_wrap=True)  # fmt: skip
