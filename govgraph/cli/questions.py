"""``govgraph query …``: the mission's questions, a table for people and ``--json`` for
scripts. Thresholds default to the questions' own (:mod:`govgraph.schema.vocab`)."""

from __future__ import annotations

from typing import Any

import click
from rich.table import Table

from ..schema.vocab import (
    DEFAULT_MAX_LINKED,
    DEFAULT_MAX_OPEN_CASES,
    DEFAULT_WINDOW_DAYS,
    GapReason,
    ResponsibleRole,
)
from ._common import (
    AREA,
    AS_OF,
    JSON,
    MAX_HOUSEHOLDS,
    Context,
    area_option,
    as_of_day,
    checked,
    cli,
    emit,
    fail_cleanly,
    out,
    pass_ctx,
    print_json,
)


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
      govgraph query summary --area 621027
    """


@query.command("responsible")
@click.argument("household")
@AS_OF
@JSON
@pass_ctx
@fail_cleanly
def query_responsible(ctx: Context, household: str, as_of: Any, as_json: bool) -> None:
    """Who and what is responsible for HOUSEHOLD: the whole chain, with roles.

    \b
    Example:
      govgraph query responsible H6211231092010001 --as-of 2022-10-25
    """
    from ..questions import responsible

    with ctx.backend(read_only=True) as backend:
        answer = responsible(backend, household, as_of=as_of_day(as_of, backend))
    emit(answer, as_json, _show_responsible)


def _show_responsible(a: Any) -> None:
    table = Table(
        title=f"Responsible for household {a.household} (as of {a.as_of})", title_justify="left"
    )
    for col in ("role", "id", "name", "via", "detail"):
        table.add_column(col, overflow="fold")
    for r in a.roles:
        table.add_row(role_label(r.role), r.id, r.name, r.via, r.detail)
    out.print(table)


def role_label(role: str) -> str:
    """A role of the responsible chain as the tables show it: English, then Chinese."""
    r = ResponsibleRole(role)
    return f"{r.en} {r.zh}"


@query.command("uncovered")
@area_option(grids=True)
@click.option(
    "--within-days",
    type=click.IntRange(min=0),
    default=DEFAULT_WINDOW_DAYS,
    show_default=True,
    help="A household not visited within this many days counts as a gap.",
)
@click.option(
    "--reason",
    type=click.Choice([r.value for r in GapReason]),
    help="Only households with it.",
)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=20,
    show_default=True,
    help="Households listed in the table (totals cover all).",
)
@AS_OF
@JSON
@pass_ctx
@fail_cleanly
def query_uncovered(
    ctx: Context,
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

    from ..questions import uncovered

    with ctx.backend(read_only=True) as backend:
        answer = checked(
            lambda: uncovered(
                backend, area, as_of=as_of_day(as_of, backend), within_days=within_days
            ),
            "--area",
        )
    if reason:
        answer = replace(answer, households=[h for h in answer.households if reason in h.reasons])
    if as_json:
        print_json(answer.to_dict())
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


@query.command("overloaded")
@AREA
@MAX_HOUSEHOLDS
@click.option(
    "--max-linked",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_LINKED,
    show_default=True,
    help="Households linked as a party member.",
)
@click.option(
    "--max-open-cases",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_OPEN_CASES,
    show_default=True,
    help="Open cases reported.",
)
@click.option("--limit", type=click.IntRange(min=0), default=20, show_default=True)
@AS_OF
@JSON
@pass_ctx
@fail_cleanly
def query_overloaded(
    ctx: Context,
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
    from ..questions import overloaded

    with ctx.backend(read_only=True) as backend:
        answer = checked(
            lambda: overloaded(
                backend,
                area,
                as_of=as_of_day(as_of, backend),
                max_households=max_households,
                max_linked=max_linked,
                max_open_cases=max_open_cases,
            ),
            "--area",
        )
    if as_json:
        print_json(answer.to_dict())
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
@AS_OF
@JSON
@pass_ctx
@fail_cleanly
def query_coordination(ctx: Context, case_id: str, as_of: Any, as_json: bool) -> None:
    """The escalation path(s) of CASE_ID and the departments that must coordinate.

    \b
    Example:
      govgraph query coordination K62112310920300085 --as-of 2022-10-25
    """
    from ..questions import coordination

    with ctx.backend(read_only=True) as backend:
        answer = coordination(backend, case_id, as_of=as_of_day(as_of, backend))
    emit(answer, as_json, _show_coordination)


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
@AREA
@click.option("--limit", type=click.IntRange(min=0), default=20, show_default=True)
@AS_OF
@JSON
@pass_ctx
@fail_cleanly
def query_overdue(ctx: Context, area: str, limit: int, as_of: Any, as_json: bool) -> None:
    """Open cases past their tier's deadline (3/7/15 days), and those stuck longest.

    \b
    Example:
      govgraph query overdue --as-of 2023-12-15 --area 621027
    """
    from ..questions import overdue

    with ctx.backend(read_only=True) as backend:
        answer = checked(
            lambda: overdue(backend, as_of=as_of_day(as_of, backend), area=area), "--area"
        )
    if as_json:
        print_json(answer.to_dict())
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
@area_option(required=True)
@AS_OF
@JSON
@pass_ctx
@fail_cleanly
def query_summary(ctx: Context, area: str, as_of: Any, as_json: bool) -> None:
    """Headline figures for an area (a division code at any level).

    \b
    Example:
      govgraph query summary --area 621027 --as-of 2023-12-15
    """
    from ..questions import area_summary

    with ctx.backend(read_only=True) as backend:
        answer = checked(
            lambda: area_summary(backend, area, as_of=as_of_day(as_of, backend)), "AREA"
        )
    emit(answer, as_json, _show_summary)


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
