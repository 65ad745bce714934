"""Shared fixtures: every test gets a real embedded store in a temp dir."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from govgraph.backends.embedded import EmbeddedBackend
from govgraph.backends.neo4j import Neo4jBackend
from govgraph.loaders.generator import Scenario
from govgraph.loaders.load import load_scenario


def pytest_configure(config: pytest.Config) -> None:
    """The keys that seal personal data go to a directory of this run, never the user's."""
    import os
    import tempfile

    for name in ("GOVGRAPH_SECRET_KEY", "GOVGRAPH_KEY_FILE"):
        os.environ.pop(name, None)
    os.environ["GOVGRAPH_KEY_DIR"] = tempfile.mkdtemp(prefix="govgraph-test-keys-")


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
    """``loaded(name)``: the named scenario in its own store, loaded once per session
    (``loaded(name, households=N)`` for a resizable one at another size)."""

    def get(name: str, households: int | None = None) -> Loaded:
        key = f"{name}-{households}" if households else name
        if key not in _LOADED:
            path = tmp_path_factory.mktemp(key) / "store"
            backend = EmbeddedBackend(path)
            scenario, _ = load_scenario(backend, name, households=households)
            _LOADED[key] = Loaded(backend, scenario, path)
        return _LOADED[key]

    yield get
    for item in _LOADED.values():
        item.backend.close()
    _LOADED.clear()


LAUNCHER = Path(__file__).resolve().parent.parent / "tools" / "neo4j-test-server" / "run"
NEO4J_TEST_PASSWORD = "govgraph-test"


@pytest.fixture(scope="session")
def neo4j_server() -> Iterator[tuple[str, str]]:
    """A real Neo4j 5 for the contract suite: ``GOVGRAPH_TEST_NEO4J_URI`` (with
    ``GOVGRAPH_NEO4J_PASSWORD``) when set, else one started by tools/neo4j-test-server on
    loopback for this session (Java 17+ and Maven needed: skipped, with the reason, without)."""
    import os
    import shutil
    import subprocess
    import threading

    uri = os.environ.get("GOVGRAPH_TEST_NEO4J_URI")
    if uri:
        yield uri, os.environ.get("GOVGRAPH_NEO4J_PASSWORD", "")
        return
    missing = [tool for tool in ("java", "mvn") if shutil.which(tool) is None]
    if missing:
        pytest.skip(
            f"no Neo4j: {' and '.join(missing)} not installed (or set GOVGRAPH_TEST_NEO4J_URI)"
        )
    process = subprocess.Popen(
        [str(LAUNCHER), "--password", NEO4J_TEST_PASSWORD],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    line: list[str] = []
    reader = threading.Thread(target=lambda: line.append(process.stdout.readline()))  # type: ignore[union-attr]
    reader.start()
    reader.join(timeout=600)  # the first run fetches the jars
    if not line or not line[0].startswith("bolt://"):
        process.kill()
        _, err = process.communicate(timeout=30)
        pytest.fail(f"tools/neo4j-test-server did not start: {err[-2000:]}")
    try:
        yield line[0].strip(), NEO4J_TEST_PASSWORD
    finally:
        process.terminate()
        process.wait(timeout=120)
        for stream in (process.stdout, process.stderr):
            if stream:
                stream.close()


def open_test_neo4j(server: tuple[str, str]) -> Neo4jBackend:
    """A backend on the test server, emptied: every test that writes starts from nothing."""
    import os

    from govgraph.backends.neo4j import Neo4jBackend

    uri, password = server
    backend = Neo4jBackend(
        uri,
        (os.environ.get("GOVGRAPH_NEO4J_USER", "neo4j"), password),
        database=os.environ.get("GOVGRAPH_NEO4J_DATABASE"),
    )
    backend.clear()
    return backend


@pytest.fixture
def neo4j(neo4j_server: tuple[str, str]) -> Iterator[Neo4jBackend]:
    """An empty database on the test Neo4j server."""
    backend = open_test_neo4j(neo4j_server)
    yield backend
    backend.close()
