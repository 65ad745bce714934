"""What every command shares: the root group, the consoles, the store, the options that
mean the same everywhere (``--as-of``, ``--area``, ``--json``), one way to print an answer,
one progress renderer and one way to fail."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from functools import wraps
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.markup import escape

from ..backends.base import GraphBackend
from ..config import Settings
from ..errors import GovgraphError
from ..schema.vocab import DEFAULT_MAX_HOUSEHOLDS

__all__ = [
    "AREA",
    "AS_OF",
    "JSON",
    "MAX_HOUSEHOLDS",
    "AreaCode",
    "Context",
    "area_option",
    "as_of_day",
    "checked",
    "cli",
    "emit",
    "err",
    "fail_cleanly",
    "out",
    "pass_ctx",
    "print_json",
    "progress",
]

F = TypeVar("F", bound=Callable[..., Any])

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def fail_cleanly(fn: F) -> F:
    """A :class:`GovgraphError` becomes one red line on stderr and exit status 1."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except GovgraphError as exc:
            # one unbroken line (a path or command in it stays copyable), no markup from it
            err.print(f"[red]error:[/red] {escape(str(exc))}", soft_wrap=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


class Context:
    """The store the command was pointed at (``--store`` / ``GOVGRAPH_STORE``)."""

    def __init__(self, store: str | None) -> None:
        self.store = store

    def settings(self) -> Settings:
        return Settings.load(self.store)

    @contextmanager
    def backend(self, *, read_only: bool = False) -> Iterator[Any]:
        from ..backends import open_backend

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


pass_ctx = click.make_pass_decorator(Context)


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
    ctx.obj = Context(store)


# -- options that mean the same in every command ------------------------------------------

AS_OF = click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The day asked about (YYYY-MM-DD). Default: the day of a generated scenario's "
    "data, else today.",
)
JSON = click.option("--json", "as_json", is_flag=True, help="Print JSON.")
MAX_HOUSEHOLDS = click.option(
    "--max-households",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_HOUSEHOLDS,
    show_default=True,
    help="Households one grid worker can serve (a shared grid's households are split).",
)


class AreaCode(click.ParamType):
    """A division code at any level, in any accepted form (621027, 621027100, or padded to
    12 digits), given back in prefix form; with ``grids``, a grid id (G…) too."""

    name = "area"

    def __init__(self, *, grids: bool = False) -> None:
        self.grids = grids

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from ..loaders.divisions import normalize_code

        text = str(value).strip()
        if not text or (self.grids and text.upper().startswith("G")):
            return text
        try:
            return normalize_code(text)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


def area_option(*, required: bool = False, grids: bool = False, help: str = "") -> Any:
    """``--area CODE``: how every command is given an area (required, or everywhere when
    left out), in the same forms and with the same message for a bad one."""
    what = "Division code at any level (621027, 621027100 …)" + (", or a grid id" if grids else "")
    return click.option(
        "--area",
        type=AreaCode(grids=grids),
        default=None if required else "",
        required=required,
        metavar="CODE|GRID" if grids else "CODE",
        help=help or (what + ("." if required else ". Default: everywhere.")),
    )


#: ``--area CODE``, everywhere when left out
AREA = area_option()


def as_of_day(value: datetime | None, backend: GraphBackend | None = None) -> date:
    """The ``--as-of`` value as a day; when not given, the day of the store's scenario
    (a generated store is a picture of one day), else today."""
    if value is not None:
        return value.date()
    return backend.default_day() if backend is not None else date.today()


def print_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str))


def emit(answer: Any, as_json: bool, show: Callable[[Any], None]) -> None:
    """An answer as JSON (its ``to_dict()``) for scripts, else as ``show`` prints it."""
    if as_json:
        print_json(answer.to_dict())
    else:
        show(answer)


def checked(fn: Callable[[], Any], option: str) -> Any:
    """``fn()``, with a ValueError about the value of ``option`` as click's usage error."""
    try:
        return fn()
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint=option) from None


@contextmanager
def progress(quiet: bool) -> Iterator[Callable[[str, int], None] | None]:
    """A progress display on a terminal (nothing under ``--json`` or in a pipe): one line per
    stage with the rows done so far; ``step(stage, rows)`` advances it."""
    if quiet or not err.is_terminal:
        yield None
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description:<44}"),
        TextColumn("{task.completed:>10,.0f} rows"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        tasks: dict[str, Any] = {}

        def step(stage: str, n: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=None)
            bar.update(tasks[stage], advance=n)

        yield step
