"""The query catalog: one named Cypher query per file in ``govgraph/queries``.

``queries/<name>.cypher`` is the Neo4j text; where LadybugDB's dialect differs,
``queries/embedded/<name>.cypher`` overrides it for the embedded engine. Callers
pass names, never query text.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Literal

from .errors import QueryNotFound

__all__ = ["Dialect", "executable_text", "query_names", "query_text"]

Dialect = Literal["neo4j", "embedded"]
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def _folder() -> Traversable:
    return resources.files("govgraph") / "queries"


@cache
def query_names() -> tuple[str, ...]:
    """Every query in the catalog, sorted."""
    return tuple(
        sorted(p.name[: -len(".cypher")] for p in _folder().iterdir() if p.name.endswith(".cypher"))
    )


@cache
def query_text(name: str, dialect: Dialect) -> str:
    """The text of query ``name`` for ``dialect``; raises QueryNotFound."""
    if not _NAME.match(name) or name not in query_names():
        raise QueryNotFound(f"no query named {name!r}; known: {', '.join(query_names())}")
    if dialect == "embedded":
        override = _folder() / "embedded" / f"{name}.cypher"
        if override.is_file():
            return override.read_text(encoding="utf-8")
    return (_folder() / f"{name}.cypher").read_text(encoding="utf-8")


@cache
def executable_text(name: str, dialect: Dialect) -> str:
    """The text of query ``name`` as the backends send it: without its comment lines. The
    embedded engine's driver scans a statement's text on every call and its parser reads the
    comments too: a point read of ``household_village`` alone took 0.054 ms with its seven
    lines of comment and 0.044 without, "who is responsible" (sixteen reads) 1.20 ms and
    1.145 in the bench (镇原县, measured)."""
    lines = query_text(name, dialect).splitlines()
    return "\n".join(line for line in lines if not line.lstrip().startswith("//"))
