"""``govgraph cypher``: an analyst's own read statement, answered as a table, JSON or CSV."""

from __future__ import annotations

import csv
import json
import sys
from typing import Any

import click
from rich.table import Table

from ._common import Context, cli, fail_cleanly, out, pass_ctx, print_json


def _param(text: str) -> tuple[str, Any]:
    """``name=value`` gives a string (a division code stays a code, not a number);
    ``name:=json`` a JSON value (``limit:=10``, ``ids:=["H1","H2"]``, ``flag:=true``)."""
    name, sep, value = text.partition("=")
    raw = name.endswith(":")
    name = name.removesuffix(":")
    if not sep or not name.isidentifier():
        raise click.BadParameter(f"{text!r}: expected NAME=VALUE or NAME:=JSON",
                                 param_hint="--param")  # fmt: skip
    if not raw:
        return name, value
    try:
        return name, json.loads(value)
    except json.JSONDecodeError as exc:
        raise click.BadParameter(f"{text!r}: not JSON ({exc.msg})", param_hint="--param") from None


@cli.command()
@click.argument("statement")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="A parameter ($NAME in the statement); repeat for more. NAME=VALUE is a "
              "string (codes stay codes); NAME:=JSON a number, list or true/false.")  # fmt: skip
@click.option("--json", "fmt", flag_value="json", help="Print the rows as JSON.")
@click.option("--csv", "fmt", flag_value="csv", help="Print the rows as CSV.")
@click.option("--unmasked", is_flag=True,
              help="Leave the rows as the store holds them (by default anything that looks "
              "like an ID number or phone is masked, wherever it is in the rows). The store "
              "itself holds them masked and sealed: full values come only through a --pii "
              "token or export --unmasked.")  # fmt: skip
@pass_ctx
@fail_cleanly
def cypher(
    ctx: Context, statement: str, params: tuple[str, ...], fmt: str | None, unmasked: bool
) -> None:
    """Run your own read-only Cypher STATEMENT on the store and print its rows.

    The engine refuses any write (CREATE, MERGE, SET, DELETE, COPY …) — the statement runs
    in a read-only transaction — so nothing in the store can change. On the embedded
    engine write Cypher as LadybugDB reads it (docs.ladybugdb.com); on Neo4j, as Neo4j
    does. A store that `govgraph serve` holds is asked through its server.

    \b
    Examples:
      govgraph cypher 'MATCH (h:Household) RETURN count(*) AS households'
      govgraph cypher 'MATCH (g:Grid)<-[:IN_GRID]-(h:Household)
                       WHERE g.division_code STARTS WITH $area
                       RETURN g.id AS grid, count(h) AS households ORDER BY households DESC'
                      --param area=621123109 --csv > grids.csv
      govgraph cypher 'MATCH (p:Person {id: $id}) RETURN p' -p id=P6211231092010001-1 --json
      govgraph cypher 'MATCH (h:Household) RETURN h.id AS id LIMIT $n' -p n:=5
    """
    values = dict(_param(p) for p in params)
    with ctx.backend(read_only=True) as backend:
        result = backend.query(statement, values, unmasked=unmasked)
    if fmt == "json":
        print_json(result.rows)
    elif fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(result.columns)
        for row in result.rows:
            writer.writerow([_cell(row.get(c)) for c in result.columns])
    else:
        table = Table(title=f"{len(result):,} rows", title_justify="left")
        for column in result.columns:
            table.add_column(column, overflow="fold")
        for row in result.rows:
            table.add_row(*(_cell(row.get(c)) for c in result.columns))
        out.print(table)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)
