"""Schema statements for each engine, generated from :mod:`govgraph.schema.model`.

LadybugDB needs node and relationship tables (primary keys come from the node
DDL); Neo4j needs uniqueness constraints on ``id`` and a few range indexes.
Both are derived from the same specs, so the engines cannot drift apart.
"""

from __future__ import annotations

from .model import NODES, RELATIONSHIPS, NodeSpec, RelSpec

__all__ = [
    "EMBEDDED_STORE_COLUMNS",
    "EMBEDDED_STORE_TABLE",
    "embedded_schema",
    "neo4j_schema",
    "quote",
]


#: LadybugDB: the columns of the node that records the model version (see schema/cypher.py),
#: in the order they came (a store made before the last ones gets them added)
EMBEDDED_STORE_COLUMNS = (
    ("key", "STRING"),
    ("model_version", "INT64"),
    ("release", "STRING"),
    ("key_fingerprint", "STRING"),
    ("residue", "BOOLEAN"),
    ("data_day", "DATE"),
)
EMBEDDED_STORE_TABLE = (
    "CREATE NODE TABLE IF NOT EXISTS GovgraphStore("
    + ", ".join(f"{name} {kind}" for name, kind in EMBEDDED_STORE_COLUMNS)
    + ", PRIMARY KEY(key))"
)


def quote(name: str) -> str:
    """Backtick a label or type name (``Case`` is a reserved word in LadybugDB)."""
    return "`" + name.replace("`", "``") + "`"


def _embedded_node(spec: NodeSpec) -> str:
    cols = ", ".join(f"{p.name} {p.type.value}" for p in spec.props)
    return f"CREATE NODE TABLE IF NOT EXISTS {quote(spec.label)}({cols}, PRIMARY KEY(id))"


def _embedded_rel(spec: RelSpec) -> str:
    parts = [f"FROM {quote(a)} TO {quote(b)}" for a, b in spec.pairs]
    parts += [f"{p.name} {p.type.value}" for p in spec.props]
    return f"CREATE REL TABLE IF NOT EXISTS {quote(spec.type)}({', '.join(parts)})"


def embedded_schema() -> list[str]:
    """LadybugDB DDL: one node table per label, one relationship table per type."""
    return [_embedded_node(n) for n in NODES] + [_embedded_rel(r) for r in RELATIONSHIPS]


def neo4j_schema() -> list[str]:
    """Neo4j 5 DDL: a uniqueness constraint on every label's ``id``, range indexes
    on the properties the model marks as indexed."""
    out: list[str] = []
    for n in NODES:
        low = n.label.lower()
        out.append(
            f"CREATE CONSTRAINT {low}_id IF NOT EXISTS "
            f"FOR (n:{quote(n.label)}) REQUIRE n.id IS UNIQUE"
        )
        for p in n.props:
            if p.indexed:
                out.append(
                    f"CREATE INDEX {low}_{p.name} IF NOT EXISTS "
                    f"FOR (n:{quote(n.label)}) ON (n.{p.name})"
                )
    return out
