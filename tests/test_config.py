from __future__ import annotations

import pytest

from govgraph.config import Settings, default_store
from govgraph.errors import ConfigError


def test_explicit_store_beats_the_environment_which_beats_the_default() -> None:
    env = {"GOVGRAPH_STORE": "/from/env"}
    assert Settings.load("/explicit", env).store == "/explicit"
    assert Settings.load(None, env).store == "/from/env"
    assert Settings.load(None, {}).store == str(default_store())
    assert not Settings.load(None, {}).is_neo4j


@pytest.mark.parametrize(
    "uri", ["neo4j://h:7687", "neo4j+s://x.databases.neo4j.io", "bolt://localhost:7687"]
)
def test_neo4j_uris_select_neo4j_with_credentials_from_the_environment(uri: str) -> None:
    s = Settings.load(uri, {"GOVGRAPH_NEO4J_USER": "u", "GOVGRAPH_NEO4J_PASSWORD": "p"})
    assert s.is_neo4j and s.neo4j_user == "u" and s.neo4j_password == "p"


def test_a_neo4j_uri_without_a_password_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="GOVGRAPH_NEO4J_PASSWORD"):
        Settings.load("bolt://localhost:7687", {})


def test_an_unknown_scheme_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unsupported URI scheme"):
        Settings.load("http://localhost:7474", {})


def test_the_buffer_pool_size_comes_from_the_environment() -> None:
    assert Settings.load("/s", {}).buffer_pool_mb == 1024
    assert Settings.load("/s", {"GOVGRAPH_BUFFER_POOL_MB": "4096"}).buffer_pool_mb == 4096
    with pytest.raises(ConfigError, match="GOVGRAPH_BUFFER_POOL_MB='lots'"):
        Settings.load("/s", {"GOVGRAPH_BUFFER_POOL_MB": "lots"})
    with pytest.raises(ConfigError, match="must be positive"):
        Settings.load("/s", {"GOVGRAPH_BUFFER_POOL_MB": "0"})


def test_an_unreachable_neo4j_is_a_clear_store_error() -> None:
    from govgraph.backends import open_backend
    from govgraph.errors import StoreUnavailable

    settings = Settings.load("bolt://127.0.0.1:9", {"GOVGRAPH_NEO4J_PASSWORD": "x"})
    with pytest.raises(StoreUnavailable, match=r"cannot reach Neo4j at bolt://127\.0\.0\.1:9"):
        open_backend(settings)
