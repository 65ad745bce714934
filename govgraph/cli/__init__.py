"""The ``govgraph`` command: a thin layer over the library.

Each command parses options, calls one library function and formats the result: a table
for people, ``--json`` for scripts. Errors become one line on stderr saying what went
wrong and how to fix it. One module per group of commands; what they share (the root
group, the store, the common options, printing and progress) is in ``_common``.
"""

from __future__ import annotations

# each module registers its commands on the root group
from . import bench, cypher, demo, ledger, privacy, questions, serve, store, views  # noqa: F401
from ._common import cli

__all__ = ["cli", "main"]


def main() -> None:
    cli(prog_name="govgraph")
