"""``govgraph demo``: load 庆坪镇 and ask every question once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ._common import (
    Context,
    cli,
    fail_cleanly,
    out,
    pass_ctx,
    progress,
)
from .questions import role_label
from .store import print_counts, print_figures, print_planted

# -- demo ------------------------------------------------------------------------------


@cli.command()
@pass_ctx
@fail_cleanly
def demo(ctx: Context) -> None:
    """Load 庆坪镇 (Qingping town) into the store and show what is there.

    \b
    Example:
      govgraph demo
      govgraph --store /tmp/demo demo
    """
    from ..figures import check_figures
    from ..loaders.load import load_scenario

    store = ctx.settings().store
    out.print(f"Loading scenario [bold]qingping[/bold] (庆坪镇, 渭源县, 甘肃) into {store} …")
    with ctx.backend() as backend:
        with progress(quiet=False) as step:
            scenario, report = load_scenario(backend, "qingping", progress=step, consume=True)
        counts = backend.counts()
        checks = check_figures(backend, scenario.spec)
    out.print(
        f"{report.nodes:,} nodes and {report.relationships:,} relationships written in "
        f"{report.generate_seconds + report.write_seconds:.1f} s.\n"
    )
    print_counts(counts, store)
    print_figures(scenario.spec.title, scenario.spec.source, checks)
    print_planted(scenario.manifest.summary(), scenario.spec.as_of.isoformat())
    with ctx.backend(read_only=True) as backend:
        examples = _demo_questions(backend, scenario.spec.area, scenario.spec.as_of)
    from ..brief import briefing

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
    from .. import questions as q

    day = f"--as-of {as_of.isoformat()}"
    household = backend.read("sample_households", {"area": area, "limit": 1})[0]["id"]
    out.print(f"\n[bold]Who is responsible for household {household}?[/bold]")
    for r in q.responsible(backend, household, as_of=as_of).people()[:6]:
        out.print(f"  {role_label(r.role):<36} {r.name} ({r.id})")
    u = q.uncovered(backend, area, as_of=as_of)
    out.print(
        f"\n[bold]Which households does nobody cover?[/bold] {u.total:,} under {area}: "
        + ", ".join(f"{k} {v:,}" for k, v in u.by_reason.items())
    )
    o = q.overloaded(backend, area, as_of=as_of)
    out.print(
        f"\n[bold]Which workers are overloaded?[/bold] {len(o.workers)} over a limit "
        f"({o.max_households} households, {o.max_linked} linked households or "
        f"{o.max_open_cases} open cases); the top three:"
    )
    for w in o.workers[:3]:
        out.print(
            f"  {w.name} ({w.person}): {w.households:.0f} households, {w.linked} linked, "
            f"{w.open_cases} open cases"
        )
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
    covered = (s.households - u.total) / s.households
    out.print(
        f"\n[bold]Area {area}:[/bold] {s.households:,} households, {s.people:,} people, "
        f"{s.grid_workers} grid workers; covered {covered:.1%} (no gap), staffed "
        f"{s.staffed_rate:.1%} (grid has a grid worker); "
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
    lines.append(f"  govgraph query summary --area {area} {day}")
    return "".join(line + "\n" for line in lines)
