"""``govgraph template``, ``govgraph import`` and ``govgraph export``: ledgers in and out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from ._common import (
    Context,
    area_option,
    cli,
    err,
    fail_cleanly,
    out,
    pass_ctx,
    print_json,
    progress,
)

_KINDS = ["workers", "households", "links", "cases", "visits"]


@cli.command()
@click.argument("kind", required=False, type=click.Choice(_KINDS))
@click.option(
    "-o",
    "--output",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("ledger-templates"),
    show_default=True,
    help="Directory to write into.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["both", "xlsx", "csv"]),
    default="both",
    show_default=True,
)
@fail_cleanly
def template(kind: str | None, directory: Path, fmt: str) -> None:
    """Write blank ledger templates (all thirteen kinds, or KIND) as Excel and CSV.

    Each has the Chinese headers (required columns marked *) over a row of
    English keys; the columns are explained in docs/ledgers.md.

    \b
    Kinds: workers (网格员名册), households (户情台账), links (党员联系户),
           cases (矛盾纠纷台账), visits (走访记录); the network above them:
           centers (综治中心), departments (部门名册), stations (部门派驻),
           grid_history (网格变更记录), party_orgs (党组织), party_members (党员名册),
           leaders (包抓台账), case_flow (案件流转).
    Examples:
      govgraph template -o templates/
      govgraph template households --format xlsx -o .
    """
    from ..loaders.ledger import Kind, write_templates

    formats = ("xlsx", "csv") if fmt == "both" else (fmt,)
    paths = write_templates(directory, [Kind(kind)] if kind else None, formats)
    for path in paths:
        out.print(str(path), soft_wrap=True)


@cli.command("import")
@click.argument(
    "ledgers", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--dry-run", is_flag=True, help="Check and report; write nothing to the store.")
@click.option("--strict", is_flag=True, help="Import nothing if any row has a problem.")
@click.option(
    "--kind",
    type=click.Choice(_KINDS),
    help="Read every file as this kind (default: recognised from each file's header).",
)
@click.option(
    "-q",
    "--quarantine",
    "quarantine_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("quarantine"),
    show_default=True,
    help="Where refused rows (same format as the input, plus the reasons) and report.json go.",
)
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The day dates are checked against and blank start dates take (default: today; "
    "for a generated scenario's store, its day).",
)
@area_option(
    help="Where villages written by name (庆坪村, 庆坪村委会) are looked up: a county or "
    "township code; a 所属乡镇（街道） column narrows it row by row."
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@pass_ctx
@fail_cleanly
def import_cmd(
    ctx: Context,
    ledgers: tuple[Path, ...],
    dry_run: bool,
    strict: bool,
    kind: str | None,
    quarantine_dir: Path,
    today: dt.datetime | None,
    area: str,
    as_json: bool,
) -> None:
    """Import ledger files (.xlsx, old .xls, or .csv in UTF-8, UTF-8 with BOM or GBK/GB18030).

    Every row is checked; rows with problems go to the quarantine directory
    with their reasons and the rest are imported. Importing the same files
    again changes nothing; a changed grid, post or link closes the old period
    and opens a new one. Exit status: 0 all rows imported, 2 some refused,
    1 nothing could be done.

    \b
    Examples:
      govgraph template -o ledgers/          # fill these in
      govgraph import ledgers/*.xlsx --dry-run
      govgraph import ledgers/*.xlsx
      govgraph import 户情台账.csv --strict --json
      govgraph import 户情台账.xls --area 621123109   # villages written by name
    """
    from ..errors import NotFound
    from ..loaders.divisions import load_divisions
    from ..loaders.ledger import import_ledgers

    if area:  # a code that names no place is refused before any file is read
        try:
            load_divisions().get(area)
        except NotFound as exc:
            raise click.BadParameter(str(exc), param_hint="--area") from None
    with ctx.backend() as backend, progress(as_json) as step:
        report = import_ledgers(
            backend,
            list(ledgers),
            today=today.date() if today else None,
            dry_run=dry_run,
            strict=strict,
            quarantine_dir=quarantine_dir,
            kind=kind,
            progress=step,
            area=area,
        )
    if as_json:
        print_json(report.to_dict())
    else:
        _show_import(report)
    if report.quarantined:
        raise SystemExit(2)


def _show_import(report: Any) -> None:
    table = Table(title="Ledgers", title_justify="left")
    for name in ("file", "kind", "read", "new", "updated", "unchanged", "quarantined"):
        table.add_column(name, justify="left" if name in ("file", "kind") else "right")
    for f in report.files:
        encoding = f" ({f.encoding})" if f.encoding else ""
        table.add_row(
            Path(f.file).name + encoding, f.kind, f"{f.rows:,}", f"{f.new:,}", f"{f.updated:,}",
            f"{f.unchanged:,}", f"{f.quarantined:,}",
        )  # fmt: skip
    out.print(table)
    for f in report.files:
        if f.ignored_columns:
            out.print(f"[yellow]{Path(f.file).name}: columns ignored:[/yellow] "
                      + ", ".join(f.ignored_columns))  # fmt: skip
    if report.problems:
        out.print(f"\n[bold]{len(report.problems):,} problems[/bold] (the first 20):")
        for p in report.problems[:20]:
            out.print(f"  {p}")
        for f in report.files:
            if f.quarantine_file:
                out.print(f"refused rows of {Path(f.file).name}: {f.quarantine_file}")
    changes = {**{f"+{k}": v for k, v in report.created.items()},
               **{f"~{k}": v for k, v in report.updated.items()}}  # fmt: skip
    if report.dry_run:
        verdict = "dry run: nothing written"
    elif report.strict and report.problems:
        verdict = "strict: nothing written because of the problems above"
    elif report.written:
        verdict = "written"
    elif report.rows and report.quarantined == report.rows:
        verdict = "nothing accepted: every row was refused (the problems above say why)"
    elif not report.rows:
        verdict = "nothing accepted: the files hold no rows"
    else:
        verdict = "nothing to change: the store already holds these ledgers"
    out.print(
        f"\n{report.rows:,} rows read, {report.quarantined:,} refused, "
        f"{report.rows - report.quarantined:,} accepted in {report.seconds:.1f} s "
        f"({report.rows_per_second:,.0f} rows/s); {verdict}."
    )
    if changes:
        out.print("changes (+ new, ~ updated): "
                  + ", ".join(f"{k} {v:,}" for k, v in changes.items()))  # fmt: skip
    if report.report_file:
        out.print(f"report: {report.report_file}")


@cli.command("export")
@area_option(required=True, help="The area whose ledgers are written (a division code).")
@click.option(
    "-o",
    "--output",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Directory to write the thirteen ledgers into.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv", show_default=True
)
@click.option(
    "--unmasked",
    is_flag=True,
    help="Write ID numbers and phones in full (needs the store's key; audited). Only such "
    "files can be imported back.",
)
@pass_ctx
@fail_cleanly
def export_cmd(ctx: Context, area: str, directory: Path, fmt: str, unmasked: bool) -> None:
    """Write the ledgers of an area as the office keeps them.

    ID numbers and phones are masked (6211**********8758) unless --unmasked, which opens
    them with the store's key and records the export in the audit log (`govgraph audit`).
    Unmasked files are what `govgraph import` reads back: export → import into an empty
    store → export gives the same files. Treat them as personal data.

    \b
    Examples:
      govgraph export --area 621027100 -o ledgers/
      govgraph export --area 621027 -o county/ --format xlsx --unmasked
    """
    from ..loaders.ledger import export_ledgers

    def audit(people: list[str]) -> None:
        from ..api.auth import AuthStore

        command = f"export --area {area} -o {directory} --format {fmt} --unmasked"
        AuthStore(ctx.settings().auth_path).audit_local("EXPORT", command, people)

    with ctx.backend(read_only=True) as backend:
        paths = export_ledgers(backend, area, directory, fmt=fmt, unmasked=unmasked, audit=audit)
    for kind, path in paths.items():
        out.print(f"{kind.value:<13} {path}")
    if unmasked:
        err.print("[yellow]note:[/yellow] these files hold ID numbers and phones in full; "
                  "the export is in the audit log.")  # fmt: skip
