"""Every Neo4j query text, the schema DDL and the write statements pass Neo4j's own Cypher
analyser (npm @neo4j-cypher/language-support 2.0.0-next.38, run offline by Node).

The model supplies the labels, relationship types (with their endpoints) and property keys;
the test fails on any error and on any warning about an unknown label, type or property.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from govgraph.catalog import executable_text, query_names, query_text
from govgraph.schema.cypher import (
    ANY_NODE_NEO4J,
    CLEAR_NEO4J,
    READ_DATA_DAY,
    READ_KEY_FINGERPRINT,
    READ_MODEL_VERSION,
    RECORD_DATA_DAY,
    RECORD_KEY_FINGERPRINT,
    RECORD_MODEL_VERSION,
    STORE_LABEL,
    area_nodes,
    area_relationships,
    count_nodes,
    count_relationships,
    fetch_nodes,
    fetch_relationships,
    fetch_relationships_of_one,
    merge_nodes,
    merge_relationships,
)
from govgraph.schema.ddl import neo4j_schema
from govgraph.schema.model import NODES, RELATIONSHIPS, node_spec

TOOL = Path(__file__).resolve().parents[1] / "tools" / "cypher-lint"
INSTALLED = (TOOL / "node_modules" / "@neo4j-cypher" / "language-support").is_dir()

pytestmark = pytest.mark.skipif(
    not INSTALLED and not os.environ.get("CI"),
    reason="run `npm install --prefix tools/cypher-lint` to lint the Neo4j queries",
)

PARAMETERS = {
    "area": "621027",
    "limit": 10,
    "person": "P6210271002010001-1",
    "as_of": "2023-12-15",
    "cutoff": "2023-09-16",
    "since": "2022-12-15",
    "household": "H6210271002010001",
    "grid": "G62102710020101",
    "case_id": "K62102710020100001",
    "centers": ["GC621027"],
    "center": "GC621027",
    "village": "621027100201",
    "township": "621027100",
    "county": "621027",
    "org": "PB621027100201",
    "rows": [{}],
    "ids": ["H6210271002010001"],
    "id": "H6210271002010001",
    "keys": ["P6210271002010001-1"],
    "version": 3,
    "release": "0.2.0",
    "fingerprint": "0123456789abcdef",
    "blind": "0" * 32,
    "day": "2023-12-15",
}


def _schema() -> dict[str, object]:
    keys = {p.name for n in NODES for p in n.props} | {
        p.name for r in RELATIONSHIPS for p in r.props
    }
    # `source` and `target` are keys of the UNWIND row maps in the write statements; the
    # store's version node is outside the model
    return {
        "labels": [n.label.value for n in NODES] + [STORE_LABEL],
        "relationshipTypes": [r.type.value for r in RELATIONSHIPS],
        "propertyKeys": sorted(
            keys
            | {
                "source",
                "target",
                "key",
                "model_version",
                "release",
                "key_fingerprint",
                "residue",
                "data_day",
            }
        ),
        "graphSchema": [
            {"from": a.value, "to": b.value, "relType": r.type.value}
            for r in RELATIONSHIPS
            for a, b in r.pairs
        ],
        "parameters": PARAMETERS,
    }


def _statements() -> list[dict[str, str]]:
    # the text the backends send: the catalog's without its comment lines
    out = [{"name": f"query {n}", "text": executable_text(n, "neo4j")} for n in query_names()]
    out += [{"name": f"ddl {i}", "text": s} for i, s in enumerate(neo4j_schema())]
    out.append({"name": "clear", "text": CLEAR_NEO4J})
    out += [{"name": "read model version", "text": READ_MODEL_VERSION},
            {"name": "record model version", "text": RECORD_MODEL_VERSION},
            {"name": "any node", "text": ANY_NODE_NEO4J},
            {"name": "read key fingerprint", "text": READ_KEY_FINGERPRINT},
            {"name": "record key fingerprint", "text": RECORD_KEY_FINGERPRINT},
            {"name": "read data day", "text": READ_DATA_DAY},
            {"name": "record data day", "text": RECORD_DATA_DAY}]  # fmt: skip
    for n in NODES:
        out.append({"name": f"merge {n.label}", "text": merge_nodes(n.label)})
        out.append({"name": f"count {n.label}", "text": count_nodes(n.label)})
        out.append({"name": f"fetch {n.label}", "text": fetch_nodes(n.label)})
        out.append({"name": f"area {n.label}", "text": area_nodes(n.label)})
    for r in RELATIONSHIPS:
        out.append({"name": f"count {r.type}", "text": count_relationships(r.type)})
        for a, b in r.pairs:
            out.append(
                {"name": f"merge {r.type} {a}->{b}", "text": merge_relationships(r.type, a, b)}
            )
            for by_target in (False, True):
                text = fetch_relationships(r.type, a, b, by_target=by_target)
                out.append({"name": f"fetch {r.type} {a}->{b} {by_target}", "text": text})
                text = fetch_relationships_of_one(r.type, a, b, by_target=by_target)
                out.append({"name": f"fetch one {r.type} {a}->{b} {by_target}", "text": text})
                if "division_code" in node_spec(b if by_target else a).prop_names:
                    text = area_relationships(r.type, a, b, by_target=by_target)
                    out.append({"name": f"area {r.type} {a}->{b} {by_target}", "text": text})
    return out


def _lint(statements: list[dict[str, str]]) -> list[dict[str, object]]:
    node = shutil.which("node")
    assert node, "Node.js is needed to run Neo4j's Cypher analyser"
    proc = subprocess.run(
        [node, str(TOOL / "lint.mjs")],
        input=json.dumps({"schema": _schema(), "queries": statements}),
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(proc.stdout)  # type: ignore[no-any-return]


def _problems(results: list[dict[str, object]]) -> list[str]:
    bad = []
    for result in results:
        for d in result["diagnostics"]:  # type: ignore[attr-defined]
            unknown = any(
                w in d["message"]
                for w in ("is not present in the database", "not defined", "does not exist")
            )
            if d["severity"] == "error" or unknown:
                bad.append(f"{result['name']}: {d['message']}")
    return bad


def test_every_neo4j_statement_passes_the_analyser() -> None:
    statements = _statements()
    assert len(statements) > 80
    assert _problems(_lint(statements)) == []


def test_a_statement_is_sent_as_the_catalog_has_it_less_its_comments() -> None:
    for name in query_names():
        for dialect in ("neo4j", "embedded"):
            written, sent = query_text(name, dialect), executable_text(name, dialect)
            assert "//" in written and "//" not in sent, (name, dialect)  # each says why
            assert sent.split() == [
                word
                for line in written.splitlines()
                if not line.lstrip().startswith("//")
                for word in line.split()
            ], (name, dialect)


def test_the_analyser_catches_what_it_should() -> None:
    broken = [
        {"name": "unknown label", "text": "MATCH (h:Househod) RETURN h.id"},
        {"name": "unknown type", "text": "MATCH (h:Household)-[:IN_GIRD]->(g) RETURN g.id"},
        {"name": "unknown property", "text": "MATCH (h:Household) RETURN h.adress"},
        {"name": "undefined variable", "text": "MATCH (h:Household) RETURN g"},
        {
            "name": "ladybug dialect",
            "text": "MATCH p = (a:Household)-[* SHORTEST 1..3]-(b:Grid) "
            "RETURN properties(nodes(p), 'id')",
        },
    ]
    results = _lint(broken)
    assert [r["name"] for r in results if not _problems([r])] == []
