"""The Examples in the package's docstrings run (they are documentation that must stay true)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

ROOTS = ["govgraph", "govgraph.schema", "govgraph.loaders", "govgraph.api", "govgraph.analytics"]


def _modules() -> list[str]:
    names = set(ROOTS)
    for root in ROOTS:
        package = importlib.import_module(root)
        names |= {m.name for m in pkgutil.walk_packages(package.__path__, f"{root}.")}
    return sorted(names - {"govgraph.__main__"})


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_examples_exist() -> None:
    total = sum(doctest.testmod(importlib.import_module(n)).attempted for n in _modules())
    assert total > 0
