"""``govgraph audit`` and ``govgraph key``: the log of who saw personal data in full, whether
anyone edited it, and the key that seals ID numbers and phones at rest."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.table import Table

from ._common import JSON, Context, cli, err, fail_cleanly, out, pass_ctx, print_json
from .serve import auth_store

# -- audit ---------------------------------------------------------------------------------


@cli.group(invoke_without_command=True)
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
@JSON
@pass_ctx
@click.pass_context
@fail_cleanly
def audit(click_ctx: click.Context, ctx: Context, limit: int, as_json: bool) -> None:
    """Show the audit log of unmasked personal-data reads and API writes, newest first.

    Each entry carries an HMAC of its contents and the entry before it (a chain): `govgraph
    audit verify` says whether any entry was edited, deleted or inserted behind the tool's
    back.

    \b
    Examples:
      govgraph audit --limit 20
      govgraph audit verify
    """
    if click_ctx.invoked_subcommand is not None:
        return
    rows = auth_store(ctx).audit_log(limit)
    if as_json:
        print_json(rows)
        return
    table = Table(title="Unmasked reads and writes", title_justify="left")
    for col in ("seq", "at", "who", "request", "records"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(str(r["seq"]), r["at"], r["token_id"], f"{r['method']} {r['path']}",
                      ", ".join(r["records"]))  # fmt: skip
    out.print(table)


@audit.command("verify")
@JSON
@pass_ctx
@fail_cleanly
def audit_verify(ctx: Context, as_json: bool) -> None:
    """Check the audit log's chain; exit status 1, naming the first bad entry, if an entry
    was edited, deleted or inserted. The newest entries deleted together leave a whole
    chain: compare the head printed here with one noted before.

    \b
    Example:
      govgraph audit verify --json
    """
    check = auth_store(ctx).verify_audit()
    result = {"intact": check.intact, "entries": check.entries, "head": check.head,
              "first_bad": check.first_bad, "reason": check.reason}  # fmt: skip
    if as_json:
        print_json(result)
    elif check.intact:
        out.print(f"audit log intact: {check.entries:,} entries, head {check.head}")
    else:
        err.print(f"[red]audit log broken:[/red] {check.reason}", soft_wrap=True)
    sys.exit(0 if check.intact else 1)


# -- key -----------------------------------------------------------------------------------


@cli.group()
def key() -> None:
    """The key that seals ID numbers and phones in the store.

    The key is looked for in GOVGRAPH_SECRET_KEY (base64 or 64 hex digits), then the file
    GOVGRAPH_KEY_FILE names, then the key directory (GOVGRAPH_KEY_DIR, by default
    ~/.config/govgraph/keys) under the fingerprint the store records. A new store makes its
    key there (mode 0600) the first time it stores a person. Keep a copy of it somewhere
    safe: without it, nobody can read the ID numbers and phones in full again.

    \b
    Examples:
      govgraph key show
      govgraph key rotate
    """


@key.command("show")
@JSON
@pass_ctx
@fail_cleanly
def key_show(ctx: Context, as_json: bool) -> None:
    """Say which key the store needs and whether this machine has it (never the key).

    \b
    Example:
      govgraph --store ./zy key show --json
    """
    from ..errors import KeyProblem
    from ..keys import find_key, key_dir

    with ctx.backend(read_only=True) as backend:
        fingerprint = backend.key_fingerprint()
        location = backend.location
    try:
        found = find_key(fingerprint)
        problem = ""
    except KeyProblem as exc:
        found, problem = None, str(exc)
    result = {"store": location, "fingerprint": fingerprint, "key_dir": str(key_dir()),
              "key": found.source if found else None, "problem": problem}  # fmt: skip
    if as_json:
        print_json(result)
    elif fingerprint is None:
        out.print(f"{location} has sealed nothing yet: its first person makes its key")
    elif found is not None:
        out.print(f"{location} is sealed with key {fingerprint}, found in {found.source}",
                  soft_wrap=True)  # fmt: skip
    else:
        out.print(f"{location} is sealed with key {fingerprint}, not found here"
                  f"{': ' + problem if problem else ''}", soft_wrap=True)  # fmt: skip
    sys.exit(0 if fingerprint is None or found is not None else 1)


@key.command("rotate")
@click.option("--new-key-file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the new key here (a new file) instead of the key directory.")  # fmt: skip
@click.option("--remove-old", is_flag=True,
              help="Delete the old key's file from the key directory (no copy or backup of "
              "the store made before can then be read in full).")  # fmt: skip
@JSON
@pass_ctx
@fail_cleanly
def key_rotate(ctx: Context, new_key_file: Path | None, remove_old: bool, as_json: bool) -> None:
    """Re-seal every ID number and phone under a new key, in one transaction.

    The new key is saved before anything is sealed with it; killed at any point, the store
    opens with the old key or the new one, never some people under each. An embedded
    store's file is then rewritten so that no old ciphertext stays in it. The old key file
    stays (backups made before need it) unless --remove-old.

    \b
    Examples:
      govgraph --store ./zy key rotate
      govgraph --store ./zy key rotate --new-key-file /secure/zy.key --remove-old
    """
    import os

    from ..keys import ENV_KEY, ENV_KEY_FILE
    from ..loaders.rotate import rotate_key

    with ctx.backend() as backend:
        done = rotate_key(backend, new_key_file=new_key_file, remove_old=remove_old)
    result = {"store": backend.location, "old": done.old, "new": done.new,
              "key_file": done.key_file, "people": done.people,
              "removed_old": done.removed_old}  # fmt: skip
    if as_json:
        print_json(result)
    else:
        out.print(f"re-sealed {done.people:,} people under key {done.new} ({done.key_file}); "
                  f"key {done.old} {'removed' if done.removed_old else 'kept'}",
                  soft_wrap=True)  # fmt: skip
    configured = [name for name in (ENV_KEY, ENV_KEY_FILE) if os.environ.get(name)]
    if configured:
        err.print(f"[yellow]note:[/yellow] {' and '.join(configured)} still name the old key: "
                  f"set {ENV_KEY_FILE}={done.key_file}", soft_wrap=True)  # fmt: skip
