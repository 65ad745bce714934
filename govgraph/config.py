"""Settings, built once at the edge (the CLI entry point, the API factory).

Precedence, highest first: explicit arguments (``--store``), environment
variables (``GOVGRAPH_STORE``, ``GOVGRAPH_NEO4J_USER``, ``GOVGRAPH_NEO4J_PASSWORD``,
``GOVGRAPH_NEO4J_DATABASE``, ``GOVGRAPH_BUFFER_POOL_MB`` for the embedded
engine's page cache, ``GOVGRAPH_AUTH_DB`` for API tokens and the audit log), defaults
(an embedded store in the per-user data directory).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import ConfigError

__all__ = ["NEO4J_SCHEMES", "Settings", "default_store", "is_neo4j_uri"]

NEO4J_SCHEMES = ("neo4j://", "neo4j+s://", "neo4j+ssc://", "bolt://", "bolt+s://", "bolt+ssc://")


def default_store() -> Path:
    """The embedded store used when none is given: ``<user data dir>/govgraph/store``."""
    from platformdirs import user_data_path

    return user_data_path("govgraph") / "store"


def is_neo4j_uri(store: str) -> bool:
    return store.lower().startswith(NEO4J_SCHEMES)


@dataclass(frozen=True)
class Settings:
    """Where the graph lives and how to reach it."""

    store: str
    neo4j_user: str = "neo4j"
    neo4j_password: str | None = None
    neo4j_database: str | None = None
    buffer_pool_mb: int = 1024
    auth_db: str | None = None

    @property
    def auth_path(self) -> Path:
        """Where API tokens and the audit log live: ``GOVGRAPH_AUTH_DB``, else beside an
        embedded store (``<store>.auth.sqlite3``), else in the user data directory."""
        if self.auth_db:
            return Path(self.auth_db).expanduser()
        if not self.is_neo4j:
            store = Path(self.store).expanduser()
            return store.with_name(store.name + ".auth.sqlite3")
        return default_store().with_name("neo4j.auth.sqlite3")

    @property
    def is_neo4j(self) -> bool:
        return is_neo4j_uri(self.store)

    @classmethod
    def load(cls, store: str | None = None, env: Mapping[str, str] | None = None) -> Settings:
        """Build settings from an explicit store, then the environment, then defaults."""
        env = os.environ if env is None else env
        chosen = store or env.get("GOVGRAPH_STORE") or str(default_store())
        if "://" in chosen and not is_neo4j_uri(chosen):
            raise ConfigError(
                f"store {chosen!r}: unsupported URI scheme; use a directory path for the "
                f"embedded store or one of {', '.join(NEO4J_SCHEMES)} for Neo4j"
            )
        settings = cls(
            store=chosen,
            neo4j_user=env.get("GOVGRAPH_NEO4J_USER", "neo4j"),
            neo4j_password=env.get("GOVGRAPH_NEO4J_PASSWORD"),
            neo4j_database=env.get("GOVGRAPH_NEO4J_DATABASE") or None,
            buffer_pool_mb=_positive_int(env, "GOVGRAPH_BUFFER_POOL_MB", 1024),
            auth_db=env.get("GOVGRAPH_AUTH_DB") or None,
        )
        if settings.is_neo4j and not settings.neo4j_password:
            raise ConfigError(
                f"store {chosen!r} is a Neo4j URI but GOVGRAPH_NEO4J_PASSWORD is not set"
            )
        return settings


def _positive_int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r}: expected a whole number") from None
    if value <= 0:
        raise ConfigError(f"{name}={raw!r}: must be positive")
    return value
