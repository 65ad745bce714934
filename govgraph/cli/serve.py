"""``govgraph serve``, ``token`` and ``audit``: the HTTP API and who may use it."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import click
from rich.table import Table

from ..errors import StoreUnavailable
from ._common import (
    Context,
    area_option,
    cli,
    err,
    fail_cleanly,
    out,
    pass_ctx,
    print_json,
)

# -- serve, tokens, audit ----------------------------------------------------------------


#: requests in hand at once when the server owns an embedded store: most wait for one of
#: the few reader connections (see EmbeddedBackend), but a write finds a thread at once and
#: reads on the writer's connection (16 threads: 2.6 writes/s beside 64 readers; 64: 12/s)
EMBEDDED_THREADS = 64


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
@fail_cleanly
def serve(ctx: Context, host: str, port: int, workers: int | None, access_log: bool) -> None:
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
    from importlib.util import find_spec

    import uvicorn

    from ..api import create_app

    settings = ctx.settings()
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "timeout_keep_alive": 5,
        "log_level": "warning",
        "access_log": False,
        # the C event loop and HTTP parser (uvicorn[standard]); plain asyncio and h11 serve
        # a small fraction of the requests on the same cores
        "loop": "uvloop" if find_spec("uvloop") else "auto",
        "http": "httptools" if find_spec("httptools") else "auto",
    }
    if access_log:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger = logging.getLogger("govgraph.access")
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    if settings.is_neo4j:
        from ..backends import open_backend

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
    from ..served import find_server

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


def auth_store(ctx: Context) -> Any:
    from ..api.auth import AuthStore

    return AuthStore(ctx.settings().auth_path)


class Duration(click.ParamType):
    """A length of time: 90d, 12h, 30m, 2w."""

    name = "duration"
    _UNITS: ClassVar[dict[str, str]] = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from datetime import timedelta

        if isinstance(value, timedelta):
            return value
        text = str(value).strip().lower()
        if len(text) < 2 or text[-1] not in self._UNITS or not text[:-1].isdigit():
            self.fail(f"{value!r} is not a duration like 90d, 12h, 30m or 2w", param, ctx)
        if int(text[:-1]) == 0:
            self.fail("a token must last longer than nothing", param, ctx)
        return timedelta(**{self._UNITS[text[-1]]: int(text[:-1])})


@token.command("create")
@click.option(
    "--role",
    type=click.Choice(["grid_worker", "township", "county", "admin"]),
    required=True,
    help="What the token may see: one grid, a township, a county, or anything under its area.",
)
@area_option(
    required=True,
    grids=True,
    help="Division code of the subtree (9 digits for township, 6 for county; admin "
    'any prefix or "" for everything) or the grid id of a grid worker.',
)
@click.option("--pii", is_flag=True, help="May read ID numbers and phones unmasked (audited).")
@click.option("--label", default="", help="A note on who holds it.")
@click.option(
    "--expires",
    type=Duration(),
    default=None,
    metavar="DURATION",
    help="Stop working after this long: 90d, 12h, 30m, 2w (default: until revoked).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
@fail_cleanly
def token_create(
    ctx: Context, role: str, area: str, pii: bool, label: str, expires: Any, as_json: bool
) -> None:
    """Create a token; its secret is printed once and never stored.

    \b
    Examples:
      govgraph token create --role county --area 621027 --label 综治中心
      govgraph token create --role township --area 621123109 --expires 90d
    """
    store = auth_store(ctx)
    token_id, secret = store.create(role, area, pii=pii, label=label, expires=expires)
    until = next(t["expires"] for t in store.tokens() if t["token_id"] == token_id)
    if as_json:
        print_json({"token_id": token_id, "token": secret, "expires": until})
    else:
        out.print(
            f"token {token_id} ({role}, area {area or 'everywhere'}, "
            f"pii {'yes' if pii else 'no'}, {'until ' + until if until else 'until revoked'}):"
            f"\n{secret}"
        )


@token.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
@fail_cleanly
def token_list(ctx: Context, as_json: bool) -> None:
    """List tokens (ids, roles, areas; never the secrets).

    \b
    Example:
      govgraph token list --json
    """
    rows = auth_store(ctx).tokens()
    if as_json:
        print_json(rows)
        return
    table = Table(title="API tokens", title_justify="left")
    columns = ("token_id", "role", "scope", "pii", "label", "created", "expires", "revoked")
    for col in columns:
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(*(str(r[c] if r[c] is not None else "") for c in columns))
    out.print(table)


@token.command("revoke")
@click.argument("token_id")
@pass_ctx
@fail_cleanly
def token_revoke(ctx: Context, token_id: str) -> None:
    """Revoke a token by id; it stops working at once, even on a running server.

    \b
    Example:
      govgraph token revoke 3fa2c1d09e8b
    """
    auth_store(ctx).revoke(token_id)
    out.print(f"revoked {token_id}")
