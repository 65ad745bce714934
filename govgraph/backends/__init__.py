"""Storage backends behind one small interface; :func:`open_backend` picks one."""

from __future__ import annotations

from ..config import Settings
from .base import GraphBackend

__all__ = ["GraphBackend", "open_backend"]


def open_backend(settings: Settings, *, read_only: bool = False) -> GraphBackend:
    """Open the store the settings name: a Neo4j URI or an embedded directory."""
    if settings.is_neo4j:
        from .neo4j import Neo4jBackend

        return Neo4jBackend(
            settings.store,
            (settings.neo4j_user, settings.neo4j_password or ""),
            database=settings.neo4j_database,
        )
    from .embedded import EmbeddedBackend

    return EmbeddedBackend(
        settings.store, read_only=read_only, buffer_pool_bytes=settings.buffer_pool_mb << 20
    )
