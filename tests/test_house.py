"""The house rules of the code base, checked on the source: module size, no import cycles,
backends' private statement runner used only inside backends/, one vocabulary."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parent.parent
#: the folders that make the package, and the import names they go by
PACKAGES = {
    "govgraph": "govgraph",
    "schema": "govgraph.schema",
    "loaders": "govgraph.loaders",
    "api": "govgraph.api",
    "analytics": "govgraph.analytics",
}
MAX_LINES = 700


def _modules() -> dict[str, Path]:
    found = {}
    for folder, name in PACKAGES.items():
        for path in (ROOT / folder).rglob("*.py"):
            parts = list(path.relative_to(ROOT / folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join([name, *parts])] = path
    return found


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> list[str]:
    if node.level == 0:
        bases = [node.module or ""]
    else:
        package = module.split(".") if is_package else module.split(".")[:-1]
        base = ".".join(package[: len(package) - node.level + 1])
        bases = [f"{base}.{node.module}" if node.module else base]
    # `from . import x` names a module x; `from .m import y` names module m
    return [f"{bases[0]}.{a.name}" for a in node.names] + bases


def _import_graph() -> nx.DiGraph:
    """Module → modules it imports when it is imported (function-level imports are lazy
    and left out; so are imports under TYPE_CHECKING)."""
    modules = _modules()
    graph = nx.DiGraph()
    for name, path in modules.items():
        graph.add_node(name)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                targets = _resolve(name, path.name == "__init__.py", node)
            for target in targets:
                if target in modules and target != name:
                    graph.add_edge(name, target)
    return graph


def test_the_import_graph_is_read_the_way_python_reads_it() -> None:
    graph = _import_graph()
    assert graph.has_edge("govgraph.cli", "govgraph.cli.questions")
    assert graph.has_edge("govgraph.cli.questions", "govgraph.cli._common")
    assert graph.has_edge("govgraph.questions", "govgraph.schema.vocab")


def test_no_import_cycle() -> None:
    graph = _import_graph()
    # a package importing its own submodules is how packages work; a submodule importing
    # its package back (or two modules importing each other) is a cycle
    cycles = [
        c for c in nx.simple_cycles(graph)
        if not (len(c) == 2 and any(a.startswith(b + ".") or b.startswith(a + ".")
                                    for a, b in [c]))
    ]  # fmt: skip
    assert cycles == []


@pytest.mark.parametrize("name", sorted(_modules()))
def test_no_module_is_over_the_limit(name: str) -> None:
    lines = _modules()[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{name}: {lines} lines (at most {MAX_LINES})"


def test_only_the_backends_run_statements_themselves() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for name, path in _modules().items()
        if not name.startswith("govgraph.backends") and "._run(" in path.read_text("utf-8")
    ]
    assert offenders == []


def test_the_vocabulary_is_declared_once() -> None:
    """The gap reasons, the role names and the tiers' Chinese names are spelled out in
    schema/vocab.py and nowhere else in the package."""
    spelled = {'"no_linking_member"': [], '"村党支部书记"': [], '"township": "乡镇级"': []}
    for name, path in _modules().items():
        text = path.read_text(encoding="utf-8")
        for needle, where in spelled.items():
            if needle in text:
                where.append(name)
    assert spelled == {k: ["govgraph.schema.vocab"] for k in spelled}
