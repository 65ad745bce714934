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
from rich.markup import escape
from rich.table import Table

from .config import Settings
from .errors import GovgraphError, StoreUnavailable

F = TypeVar("F", bound=Callable[..., Any])

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def _fail_cleanly(fn: F) -> F:
    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except GovgraphError as exc:
            # one unbroken line (a path or command in it stays copyable), no markup from it
            err.print(f"[red]error:[/red] {escape(str(exc))}", soft_wrap=True)
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
        served = getattr(backend, "served", None)
        if served is not None:  # say where the work goes: not into the files
            err.print(
                f"[dim]{served.store} is served by {served.describe()}: working through it[/dim]",
                soft_wrap=True,
            )
        try:
            yield backend
        finally:
            backend.close()


pass_ctx = click.make_pass_decorator(_Context)

#: requests in hand at once when the server owns an embedded store: most wait for one of
#: the few reader connections (see EmbeddedBackend), but a write finds a thread at once and
#: reads on the writer's connection (16 threads: 2.6 writes/s beside 64 readers; 64: 12/s)
EMBEDDED_THREADS = 64


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


# -- query ----------------------------------------------------------------------------

_AS_OF = click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The day the question is asked for (YYYY-MM-DD). Default: today.",
)
_JSON = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


def _day(value: Any) -> Any:
    from datetime import date

    return value.date() if value is not None else date.today()


def _emit(answer: Any, as_json: bool, show: Callable[[Any], None]) -> None:
    if as_json:
        click.echo(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
    else:
        show(answer)


@cli.group()
def query() -> None:
    """Ask the mission's questions of the store.

    \b
    Examples:
      govgraph query responsible H6211231092010001 --as-of 2022-10-25
      govgraph query uncovered --area 621123109 --as-of 2022-10-25
      govgraph query overloaded --area 621027 --max-households 50
      govgraph query coordination K62112310920300085
      govgraph query overdue --as-of 2023-12-15
      govgraph query summary 621027
    """


@query.command("responsible")
@click.argument("household")
@_AS_OF
@_JSON
@pass_ctx
@_fail_cleanly
def query_responsible(ctx: _Context, household: str, as_of: Any, as_json: bool) -> None:
    """Who and what is responsible for HOUSEHOLD: the whole chain, with roles.

    \b
    Example:
      govgraph query responsible H6211231092010001 --as-of 2022-10-25
    """
    from .questions import responsible

    with ctx.backend(read_only=True) as backend:
        answer = responsible(backend, household, as_of=_day(as_of))
    _emit(answer, as_json, _show_responsible)


def _show_responsible(a: Any) -> None:
    table = Table(
        title=f"Responsible for household {a.household} (as of {a.as_of})", title_justify="left"
    )
    for col in ("role", "id", "name", "via", "detail"):
        table.add_column(col, overflow="fold")
    for r in a.roles:
        table.add_row(_ROLE_ZH.get(r.role, r.role), r.id, r.name, r.via, r.detail)
    out.print(table)


_ROLE_ZH = {
    "household": "household 户",
    "grid": "grid 网格",
    "parent_grid": "parent grid 上级网格",
    "grid_worker": "grid worker 网格员",
    "grid_head": "grid head 网格长",
    "volunteer": "volunteer 志愿者",
    "sunk_cadre": "sunk cadre 下沉干部",
    "linking_party_member": "linking party member 联户党员",
    "grid_party_group": "grid party group 网格党小组",
    "grid_party_group_secretary": "group secretary 党小组长",
    "village_party_branch": "village branch 村党支部",
    "village_party_secretary": "branch secretary 支部书记",
    "village": "village 村",
    "township": "township 乡镇",
    "county": "county 县",
    "village_center": "village center",
    "township_center": "township center",
    "county_center": "county center",
    "township_leader": "township leader 包村领导",
    "county_leader": "county leader 包镇领导",
}


@query.command("uncovered")
@click.option(
    "--area",
    default="",
    metavar="CODE|GRID",
    help="Division code at any level, or a grid id. Default: everywhere.",
)
@click.option(
    "--within-days",
    type=click.IntRange(min=0),
    default=90,
    show_default=True,
    help="A household not visited within this many days counts as a gap.",
)
@click.option(
    "--reason",
    type=click.Choice(["no_grid", "no_worker", "no_linking_member", "not_visited"]),
    help="Only households with it.",
)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=20,
    show_default=True,
    help="Households listed in the table (totals cover all).",
)
@_AS_OF
@_JSON
@pass_ctx
@_fail_cleanly
def query_uncovered(
    ctx: _Context,
    area: str,
    within_days: int,
    reason: str | None,
    limit: int,
    as_of: Any,
    as_json: bool,
) -> None:
    """Households nobody covers, with every reason, totals per reason and per child area.

    \b
    Examples:
      govgraph query uncovered --area 621123109 --as-of 2022-10-25
      govgraph query uncovered --area 621027 --reason no_worker --json
    """
    from dataclasses import replace

    from .questions import uncovered

    with ctx.backend(read_only=True) as backend:
        answer = _checked(
            lambda: uncovered(backend, area, as_of=_day(as_of), within_days=within_days), "--area"
        )
    if reason:
        answer = replace(answer, households=[h for h in answer.households if reason in h.reasons])
    if as_json:
        click.echo(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return
    out.print(
        f"[bold]{len(answer.households):,}[/bold] households lack coverage under "
        f"{answer.area or 'all areas'} as of {answer.as_of} (visits within "
        f"{answer.within_days} days):"
    )
    totals = Table(title="per reason", title_justify="left")
    totals.add_column("reason")
    totals.add_column("households", justify="right")
    for r, n in answer.by_reason.items():
        totals.add_row(r, f"{n:,}")
    out.print(totals)
    areas = Table(title="per child area", title_justify="left")
    areas.add_column("area")
    for col in ("households", *answer.by_reason):
        areas.add_column(col, justify="right")
    for child, counts in answer.by_child_area.items():
        areas.add_row(child, *(f"{counts.get(c, 0):,}" for c in ("households", *answer.by_reason)))
    out.print(areas)
    listing = Table(title=f"first {min(limit, len(answer.households))}", title_justify="left")
    for col in ("household", "grid", "reasons"):
        listing.add_column(col, overflow="fold")
    for h in answer.households[:limit]:
        listing.add_row(h.household, h.grid or "—", ", ".join(h.reasons))
    out.print(listing)


def _checked(fn: Callable[[], Any], option: str) -> Any:
    try:
        return fn()
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint=option) from None


@query.command("overloaded")
@click.option("--area", default="", metavar="CODE", help="Division code. Default: everywhere.")
@click.option(
    "--max-households",
    type=click.IntRange(min=1),
    default=50,
    show_default=True,
    help="Households served (share of each grid's households).",
)
@click.option(
    "--max-linked",
    type=click.IntRange(min=1),
    default=50,
    show_default=True,
    help="Households linked as a party member.",
)
@click.option(
    "--max-open-cases",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="Open cases reported.",
)
@click.option("--limit", type=click.IntRange(min=0), default=20, show_default=True)
@_AS_OF
@_JSON
@pass_ctx
@_fail_cleanly
def query_overloaded(
    ctx: _Context,
    area: str,
    max_households: int,
    max_linked: int,
    max_open_cases: int,
    limit: int,
    as_of: Any,
    as_json: bool,
) -> None:
    """Workers over a threshold, each person once, ranked by load ratio, with their grids.

    \b
    Example:
      govgraph query overloaded --area 621027 --max-households 50 --as-of 2023-12-15
    """
    from .questions import overloaded

    with ctx.backend(read_only=True) as backend:
        answer = _checked(
            lambda: overloaded(
                backend,
                area,
                as_of=_day(as_of),
                max_households=max_households,
                max_linked=max_linked,
                max_open_cases=max_open_cases,
            ),
            "--area",
        )
    if as_json:
        click.echo(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return
    table = Table(
        title=f"{len(answer.workers):,} overloaded under {answer.area or 'all areas'} "
        f"as of {answer.as_of}",
        title_justify="left",
    )
    for col in ("person", "name", "households", "linked", "open cases", "ratio", "grids"):
        table.add_column(
            col,
            justify="right" if col in {"households", "linked", "open cases", "ratio"} else "left",
        )
    for w in answer.workers[:limit]:
        table.add_row(
            w.person,
            w.name,
            f"{w.households:.1f}",
            str(w.linked),
            str(w.open_cases),
            f"{w.ratio:.2f}",
            ", ".join(w.grids),
        )
    out.print(table)


@query.command("coordination")
@click.argument("case_id")
@_AS_OF
@_JSON
@pass_ctx
@_fail_cleanly
def query_coordination(ctx: _Context, case_id: str, as_of: Any, as_json: bool) -> None:
    """The escalation path(s) of CASE_ID and the departments that must coordinate.

    \b
    Example:
      govgraph query coordination K62112310920300085 --as-of 2022-10-25
    """
    from .questions import coordination

    with ctx.backend(read_only=True) as backend:
        answer = coordination(backend, case_id, as_of=_day(as_of))
    _emit(answer, as_json, _show_coordination)


def _show_coordination(c: Any) -> None:
    out.print(
        f"Case [bold]{c.case_id}[/bold] ({c.type}, {c.status}, at the {c.tier} tier), "
        f"household {c.household}"
    )
    for ids, names in zip(c.paths, c.path_names, strict=True):
        out.print("  path: " + " → ".join(n or i for i, n in zip(ids, names, strict=True)))
    table = Table(title="departments stationed on the path", title_justify="left")
    for col in ("center", "tier", "department", "kind", "mode"):
        table.add_column(col, overflow="fold")
    for s in c.stations:
        table.add_row(s.center_name, s.tier, s.department_name, s.kind, s.mode)
    out.print(table)
    assigned = Table(title="assigned", title_justify="left")
    for col in ("department", "role", "assigned", "reported"):
        assigned.add_column(col, overflow="fold")
    for a in c.assigned:
        assigned.add_row(
            a.department_name,
            a.role,
            str(a.assigned or ""),
            str(a.reported or "[red]not yet[/red]"),
        )
    out.print(assigned)
    out.print("must coordinate: " + (", ".join(c.must_coordinate) or "—"))


@query.command("overdue")
@click.option("--area", default="", metavar="CODE", help="Division code. Default: everywhere.")
@click.option("--limit", type=click.IntRange(min=0), default=20, show_default=True)
@_AS_OF
@_JSON
@pass_ctx
@_fail_cleanly
def query_overdue(ctx: _Context, area: str, limit: int, as_of: Any, as_json: bool) -> None:
    """Open cases past their tier's deadline (3/7/15 days), and those stuck longest.

    \b
    Example:
      govgraph query overdue --as-of 2023-12-15 --area 621027
    """
    from .questions import overdue

    with ctx.backend(read_only=True) as backend:
        answer = _checked(lambda: overdue(backend, as_of=_day(as_of), area=area), "--area")
    if as_json:
        click.echo(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return
    for title, rows in (
        (f"{len(answer.overdue):,} overdue as of {answer.as_of}", answer.overdue),
        ("stuck longest at one tier", answer.stuck),
    ):
        table = Table(title=title, title_justify="left")
        for col in ("case", "type", "tier", "due", "days overdue", "days at tier", "escalate to"):
            table.add_column(col, overflow="fold")
        for c in rows[:limit]:
            table.add_row(
                c.case_id,
                c.type,
                c.tier,
                str(c.due),
                str(max(c.days_overdue, 0)),
                str(c.days_at_tier),
                c.escalate_to or "county leadership",
            )
        out.print(table)


@query.command("summary")
@click.argument("area")
@_AS_OF
@_JSON
@pass_ctx
@_fail_cleanly
def query_summary(ctx: _Context, area: str, as_of: Any, as_json: bool) -> None:
    """Headline figures for AREA (a division code at any level).

    \b
    Example:
      govgraph query summary 621027 --as-of 2023-12-15
    """
    from .questions import area_summary

    with ctx.backend(read_only=True) as backend:
        answer = _checked(lambda: area_summary(backend, area, as_of=_day(as_of)), "AREA")
    _emit(answer, as_json, _show_summary)


def _show_summary(s: Any) -> None:
    table = Table(title=f"Area {s.area} as of {s.as_of}", title_justify="left")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for key, value in s.to_dict().items():
        if key not in {"area", "as_of"}:
            table.add_row(
                key.replace("_", " "), f"{value:,}" if isinstance(value, int) else str(value)
            )
    out.print(table)


# -- serve, tokens, audit ----------------------------------------------------------------


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Embedded store: threads answering at once in the one process that owns the store "
    f"(default {EMBEDDED_THREADS}). Neo4j: server processes (default 1).",
)
@click.option(
    "--access-log/--no-access-log",
    default=True,
    show_default=True,
    help="One JSON line per request on stderr (method, path, status, ms, token id).",
)
@pass_ctx
@_fail_cleanly
def serve(ctx: _Context, host: str, port: int, workers: int | None, access_log: bool) -> None:
    """Serve the questions and the field's writes over HTTP (OpenAPI at /docs).

    On the embedded store this process becomes the store's one owner: it opens it
    for reading and writing, and while it runs every other govgraph command on the
    store (import, load, query, export …) sends its work through it, so each
    change is in the very next answer.

    \b
    Examples:
      govgraph serve
      govgraph --store ./zy serve --port 9000 --workers 32
      curl -H "Authorization: Bearer $TOKEN" localhost:8000/households/H6211231092010001/responsible
    """
    import logging

    import uvicorn

    from .api import create_app

    settings = ctx.settings()
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "timeout_keep_alive": 5,
        "log_level": "warning",
        "access_log": False,
    }
    if access_log:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger = logging.getLogger("govgraph.access")
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    if settings.is_neo4j:
        from .backends import open_backend

        open_backend(settings).close()  # unreachable or refused: one clear line, here
        err.print(
            f"serving {settings.store} on http://{host}:{port} (tokens: {settings.auth_path})"
        )
        if (workers or 1) > 1:  # Neo4j arbitrates between processes
            import os

            os.environ["GOVGRAPH_STORE"] = settings.store
            uvicorn.run("govgraph.api.serve:app_from_env", factory=True, workers=workers, **options)
        else:
            uvicorn.run(create_app(settings), **options)
        return
    from .served import find_server

    store = Path(settings.store).expanduser()
    if not store.exists():
        raise StoreUnavailable(
            f"no store at {store}; load a scenario first "
            f"(govgraph --store {store} load scenario qingping)"
        )
    served = find_server(store)
    if served is not None:
        raise StoreUnavailable(f"store {store} is already served by {served.describe()}")
    local = "[::1]" if host in ("::", "::1") else "127.0.0.1"
    app = create_app(
        settings, served_at=f"http://{local}:{port}", threads=workers or EMBEDDED_THREADS
    )
    err.print(
        f"serving {settings.store} on http://{host}:{port} — this process owns the store; "
        f"other govgraph commands on it go through here (tokens: {settings.auth_path})",
        soft_wrap=True,
    )
    uvicorn.run(app, **options)


@cli.group()
def token() -> None:
    """Create, list and revoke API tokens (stored hashed, beside the store).

    \b
    Examples:
      govgraph token create --role township --area 621123109
      govgraph token create --role admin --area "" --pii --label ops
      govgraph token list
      govgraph token revoke 3fa2c1d09e8b
    """


def _auth_store(ctx: _Context) -> Any:
    from .api.auth import AuthStore

    return AuthStore(ctx.settings().auth_path)


@token.command("create")
@click.option(
    "--role",
    type=click.Choice(["grid_worker", "township", "county", "admin"]),
    required=True,
    help="What the token may see: one grid, a township, a county, or anything under its area.",
)
@click.option(
    "--area",
    required=True,
    metavar="CODE|GRID",
    help="Division code of the subtree (9 digits for township, 6 for county; admin "
    'any prefix or "" for everything) or the grid id of a grid worker.',
)
@click.option("--pii", is_flag=True, help="May read ID numbers and phones unmasked (audited).")
@click.option("--label", default="", help="A note on who holds it.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
@_fail_cleanly
def token_create(ctx: _Context, role: str, area: str, pii: bool, label: str, as_json: bool) -> None:
    """Create a token; its secret is printed once and never stored.

    \b
    Example:
      govgraph token create --role county --area 621027 --label 综治中心
    """
    token_id, secret = _auth_store(ctx).create(role, area, pii=pii, label=label)
    if as_json:
        click.echo(json.dumps({"token_id": token_id, "token": secret}))
    else:
        out.print(
            f"token {token_id} ({role}, area {area or 'everywhere'}, "
            f"pii {'yes' if pii else 'no'}):\n{secret}"
        )


@token.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
@_fail_cleanly
def token_list(ctx: _Context, as_json: bool) -> None:
    """List tokens (ids, roles, areas; never the secrets).

    \b
    Example:
      govgraph token list --json
    """
    rows = _auth_store(ctx).tokens()
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table(title="API tokens", title_justify="left")
    for col in ("token_id", "role", "scope", "pii", "label", "created", "revoked"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(
            *(
                str(r[c] if r[c] is not None else "")
                for c in ("token_id", "role", "scope", "pii", "label", "created", "revoked")
            )
        )
    out.print(table)


@token.command("revoke")
@click.argument("token_id")
@pass_ctx
@_fail_cleanly
def token_revoke(ctx: _Context, token_id: str) -> None:
    """Revoke a token by id; it stops working at once, even on a running server.

    \b
    Example:
      govgraph token revoke 3fa2c1d09e8b
    """
    _auth_store(ctx).revoke(token_id)
    out.print(f"revoked {token_id}")


@cli.command()
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
@_fail_cleanly
def audit(ctx: _Context, limit: int, as_json: bool) -> None:
    """Show the audit log of unmasked personal-data reads, newest first.

    \b
    Example:
      govgraph audit --limit 20
    """
    rows = _auth_store(ctx).audit_log(limit)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table(title="Unmasked reads", title_justify="left")
    for col in ("seq", "at", "token", "request", "records"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(
            str(r["seq"]),
            r["at"],
            r["token_id"],
            f"{r['method']} {r['path']}",
            ", ".join(r["records"]),
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
    with ctx.backend(read_only=True) as backend:
        examples = _demo_questions(backend, scenario.spec.area, scenario.spec.as_of)
    from .brief import briefing

    with ctx.backend(read_only=True) as backend:
        page = briefing(backend, scenario.spec.area, as_of=scenario.spec.as_of)
    brief_path = Path(f"brief-{scenario.spec.area}.html").resolve()
    brief_path.write_text(page, encoding="utf-8")
    # the default store needs no --store; one chosen by --store or GOVGRAPH_STORE does
    here = f"govgraph --store {store}" if ctx.store else "govgraph"
    out.print(
        "\nWhere to look next:\n"
        + examples.replace("govgraph ", f"{here} ")
        + f"  {here} info --json\n"
        "  govgraph scenarios\n"
        "  govgraph --store ./zhenyuan load scenario zhenyuan\n"
        "  govgraph bench --scale S",
        soft_wrap=True,  # whole commands, to copy and paste
    )
    out.print(f"\n[bold]Briefing for the township:[/bold] {brief_path}", soft_wrap=True)


def _demo_questions(backend: Any, area: str, as_of: Any) -> str:
    """Ask each question once on the demo scenario; return the commands to ask it again."""
    from . import questions as q

    day = f"--as-of {as_of.isoformat()}"
    household = backend.read("sample_households", {"area": area, "limit": 1})[0]["id"]
    out.print(f"\n[bold]Who is responsible for household {household}?[/bold]")
    for r in q.responsible(backend, household, as_of=as_of).people()[:6]:
        out.print(f"  {_ROLE_ZH.get(r.role, r.role):<36} {r.name} ({r.id})")
    u = q.uncovered(backend, area, as_of=as_of)
    out.print(
        f"\n[bold]Which households does nobody cover?[/bold] {u.total:,} under {area}: "
        + ", ".join(f"{k} {v:,}" for k, v in u.by_reason.items())
    )
    o = q.overloaded(backend, area, as_of=as_of)
    out.print(
        f"\n[bold]Which workers are overloaded?[/bold] {len(o.workers)} over "
        f"{o.max_households} households; the top three:"
    )
    for w in o.workers[:3]:
        out.print(f"  {w.name} ({w.person}): {w.households:.0f} households in {', '.join(w.grids)}")
    late = q.overdue(backend, as_of=as_of, area=area)
    out.print(f"\n[bold]Which deadlines are broken?[/bold] {len(late.overdue)} overdue cases:")
    for c in late.overdue[:3]:
        out.print(
            f"  {c.case_id} ({c.type}) {c.days_overdue} days past the {c.tier} deadline, "
            f"escalate to {c.escalate_to or 'county leadership'}"
        )
    case = late.overdue[0].case_id if late.overdue else None
    if case:
        path = q.coordination(backend, case, as_of=as_of)
        out.print(f"\n[bold]Which path must case {case} take?[/bold]")
        for ids, names in zip(path.paths, path.path_names, strict=True):
            out.print("  " + " → ".join(n or i for i, n in zip(ids, names, strict=True)))
    s = q.area_summary(backend, area, as_of=as_of)
    out.print(
        f"\n[bold]Area {area}:[/bold] {s.households:,} households, {s.people:,} people, "
        f"{s.grid_workers} grid workers, coverage {s.coverage_rate:.1%}, "
        f"{s.households_per_worker_mean:.0f} households per worker (max "
        f"{s.households_per_worker_max:.0f})."
    )
    lines = [
        f"  govgraph query responsible {household} {day}",
        f"  govgraph query uncovered --area {area} {day}",
        f"  govgraph query overloaded --area {area} {day}",
        f"  govgraph query overdue --area {area} {day}",
    ]
    if case:
        lines.append(f"  govgraph query coordination {case} {day}")
    lines.append(f"  govgraph query summary {area} {day}")
    return "".join(line + "\n" for line in lines)


# -- bench -----------------------------------------------------------------------------

#: every benchmark merges its section into one results file (and its Markdown twin)
_BENCH_OUTPUT = click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("benchmarks/results.json"),
    show_default=True,
    help="JSON file the results are merged into (one section per benchmark), with a .md twin.",
)


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
@_fail_cleanly
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
    from .bench import run_bench

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
        click.echo(json.dumps(result, ensure_ascii=False, indent=2, default=str))
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
@_fail_cleanly
def bench_api(
    duration: int,
    connections: int,
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
    from .bench_api import run_api_bench

    result = run_api_bench(
        duration=duration,
        connections=connections,
        workers=workers,
        writer_rate=writer_rate,
        neo4j=neo4j,
        output=output,
    )
    if as_json:
        click.echo(
            json.dumps(
                {k: v for k, v in result.items() if k != "wrk_output"}, ensure_ascii=False, indent=2
            )
        )
        return
    out.print(result["wrk_output"])
    out.print(f"written to {output}", soft_wrap=True)


@cli.command("bench-import")
@click.option("--repeat", type=click.IntRange(min=1), default=3, show_default=True)
@_BENCH_OUTPUT
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@_fail_cleanly
def bench_import(repeat: int, output: Path, as_json: bool) -> None:
    """Import a county's ledgers (镇原县, ~283k rows) into a fresh store; record rows/s.

    \b
    Example:
      govgraph bench-import --repeat 3
    """
    from .bench_import import run_import_bench

    result = run_import_bench(repeat=repeat, output=output)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    f = result["figures"]
    out.print(
        f"{f['rows']:,} rows in {f['import_seconds_median']} s (median of {repeat}): "
        f"{f['rows_per_second']:,} rows/s (target {result['target_rows_per_second']:,}); "
        f"re-import {f['reimport_seconds_median']} s; peak {f['peak_rss_mib']:,} MiB."
    )
    out.print(f"written to {output}", soft_wrap=True)


@cli.command("bench-brief")
@click.option("--repeat", type=click.IntRange(min=1), default=5, show_default=True)
@_BENCH_OUTPUT
@click.option("--no-browser", is_flag=True, help="Skip the Chromium render (no browser here).")
@click.option(
    "--large", is_flag=True, help="Also the largest township of 庆阳市 (1M households; ~3 GB)."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@_fail_cleanly
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
    from .bench_brief import run_brief_bench

    say = (lambda _: None) if as_json else (lambda line: err.print(f"[dim]{line}[/dim]"))
    result = run_brief_bench(
        repeat=repeat, output=output, browser=not no_browser, large=large, say=say
    )
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
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


# the other commands register themselves on `cli` when imported
from . import cli_ledger, cli_views  # noqa: E402, F401


def main() -> None:
    cli(prog_name="govgraph")


if __name__ == "__main__":  # pragma: no cover
    main()
