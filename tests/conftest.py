"""Shared fixtures: every test gets a real embedded store in a temp dir."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from govgraph.backends.embedded import EmbeddedBackend
from govgraph.loaders.generator import Scenario
from govgraph.loaders.load import load_scenario


@pytest.fixture
def store(tmp_path: Path) -> Iterator[EmbeddedBackend]:
    """A fresh, empty embedded store."""
    backend = EmbeddedBackend(tmp_path / "store")
    backend.apply_schema()
    yield backend
    backend.close()


class Loaded:
    def __init__(self, backend: EmbeddedBackend, scenario: Scenario, path: Path) -> None:
        self.backend, self.scenario, self.path = backend, scenario, path


_LOADED: dict[str, Loaded] = {}


@pytest.fixture(scope="session")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """``loaded(name)``: the named scenario in its own store, loaded once per session."""

    def get(name: str) -> Loaded:
        if name not in _LOADED:
            path = tmp_path_factory.mktemp(name) / "store"
            backend = EmbeddedBackend(path)
            scenario, _ = load_scenario(backend, name)
            _LOADED[name] = Loaded(backend, scenario, path)
        return _LOADED[name]

    yield get
    for item in _LOADED.values():
        item.backend.close()
    _LOADED.clear()
