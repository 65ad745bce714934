"""``govgraph viz``, ``govgraph brief`` and ``govgraph plan rebalance``."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from ._common import (
    AS_OF,
    MAX_HOUSEHOLDS,
    Context,
    area_option,
    as_of_day,
    cli,
    fail_cleanly,
    out,
    pass_ctx,
    print_json,
)


@cli.group()
def viz() -> None:
    """Network pictures as self-contained HTML (works offline; open in any browser).

    \b
    Examples:
      govgraph viz household H6210271002010001 -o household.html
      govgraph viz grid G62102710020101 -o grid.html
      govgraph viz case K62102710020402571 -o case.html
      govgraph viz area 621027100 -o township.html
      govgraph viz departments 621027100 -o departments.html
    """


def _write(html: str, output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(html, encoding="utf-8")
    out.print(str(output), soft_wrap=True)


_SAMPLES = {"household": "H6211231092010001", "grid": "G62112310920101",
            "case": "K62112310920400087", "area": "621123109",
            "departments": "621123109"}  # fmt: skip


def _view_command(name: str, argument: str, help_text: str) -> None:
    example = f"govgraph viz {name} {_SAMPLES[name]} -o {name}.html --as-of 2022-10-25"

    @viz.command(name, help=f"{help_text}\n\n\b\nExample:\n  {example}")
    @click.argument(argument)
    @click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
                  default=None, help="HTML file to write (default: NAME-ID.html).")  # fmt: skip
    @AS_OF
    @pass_ctx
    @fail_cleanly
    def command(ctx: Context, output: Path | None, as_of: datetime | None, **kw: str) -> None:
        from .. import viz as views

        subject = kw[argument]
        draw = {"household": views.household_view, "grid": views.grid_view,
                "case": views.case_view, "area": views.area_view,
                "departments": views.departments_view}[name]  # fmt: skip
        with ctx.backend(read_only=True) as backend:
            html = draw(backend, subject, as_of_day(as_of, backend))
        _write(html, output or Path(f"{name}-{subject}.html"))


_view_command("household", "household_id", "Who is responsible for a household, as a picture.")
_view_command("grid", "grid_id", "A grid: who serves it and its households.")
_view_command("case", "case_id", "A case's coordination path, laid out as a hierarchy.")
_view_command(
    "area",
    "area_code",
    "An area aggregated (grids, villages or townships sized by households, coloured by coverage).",
)
_view_command(
    "departments",
    "area_code",
    "Departments of an area joined by shared cases and centers, sized by betweenness.",
)


@cli.command()
@area_option(required=True, help="The township (or county) the briefing is on.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="HTML file to write (default: brief-CODE.html).")  # fmt: skip
@MAX_HOUSEHOLDS
@AS_OF
@pass_ctx
@fail_cleanly
def brief(
    ctx: Context, area: str, output: Path | None, max_households: int, as_of: datetime | None
) -> None:
    """Write a one-page briefing on an area for a meeting (projector and print).

    \b
    Example:
      govgraph brief --area 621027100 -o brief.html --as-of 2023-12-15
    """
    from ..brief import briefing

    with ctx.backend(read_only=True) as backend:
        html = briefing(backend, area, as_of=as_of_day(as_of, backend), threshold=max_households)
    _write(html, output or Path(f"brief-{area}.html"))


@cli.group()
def plan() -> None:
    """Plans computed from the graph.

    \b
    Example:
      govgraph plan rebalance --area 621123109 --as-of 2022-10-25
    """


@plan.command("rebalance")
@area_option(required=True, help="The township or county whose workers are rebalanced.")
@MAX_HOUSEHOLDS
@AS_OF
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
@fail_cleanly
def plan_rebalance(
    ctx: Context, area: str, max_households: int, as_of: datetime | None, as_json: bool
) -> None:
    """The fewest households to move between grid workers of the same village or township
    so that nobody serves more than --max-households (a min-cost flow); where that is
    impossible, how many more workers each township needs.

    \b
    Example:
      govgraph plan rebalance --area 621027100 --as-of 2023-12-15
    """
    from ..analytics.rebalance import rebalance_graph
    from ..analytics.subgraph import area_graph

    with ctx.backend(read_only=True) as backend:
        result = rebalance_graph(
            area_graph(backend, area), as_of_day(as_of, backend), max_households
        )
    if as_json:
        print_json(result.to_dict())
        return
    over = sum(1 for v in result.before.values() if v > max_households)
    out.print(
        f"{over} of {len(result.before)} grid workers serve more than {max_households} "
        f"households; moving {result.moved:,} households in {len(result.moves)} moves:"
    )
    for m in result.moves:
        where = "same village" if m.scope == "village" else "same township"
        out.print(f"  {m.source} → {m.target}: {m.households} households ({where})")
    if result.feasible:
        out.print("After the plan nobody is over the limit.")
    for township, n in result.hire.items():
        out.print(
            f"  {township}: {result.unplaced[township]} households have no room; "
            f"hire {n} more grid worker(s)."
        )
