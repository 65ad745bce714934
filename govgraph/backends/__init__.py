"""Storage backends behind one small interface; :func:`open_backend` picks one."""

from __future__ import annotations

from ..config import Settings
from .base import GraphBackend

__all__ = ["GraphBackend", "open_backend"]


def open_backend(
    settings: Settings,
    *,
    read_only: bool = False,
    query_timeout_s: float | None = None,
    own: bool = False,
    check_model: bool = True,
) -> GraphBackend:
    """Open the store the settings name: a Neo4j URI or an embedded directory.

    An embedded store that ``govgraph serve`` holds is reached through that server
    (:mod:`govgraph.served`), never opened beside it; ``own`` is for the server itself.
    ``query_timeout_s`` bounds each read on the embedded engine (the server uses it).
    The store's model version is checked (:func:`.versions.check_model`: an older store
    migrated when that is automatic, a newer one refused) unless ``check_model`` is false
    (``govgraph migrate`` looks at the version itself).
    """
    backend = _open(settings, read_only=read_only, query_timeout_s=query_timeout_s, own=own)
    if check_model:
        from .versions import check_model as check

        try:
            check(backend, read_only=read_only)
        except BaseException:
            backend.close()
            raise
    return backend


def _open(
    settings: Settings, *, read_only: bool, query_timeout_s: float | None, own: bool
) -> GraphBackend:
    if settings.is_neo4j:
        from .neo4j import Neo4jBackend

        return Neo4jBackend(
            settings.store,
            (settings.neo4j_user, settings.neo4j_password or ""),
            database=settings.neo4j_database,
        )
    if not own:
        from ..served import find_server

        served = find_server(settings.store)
        if served is not None:
            from .remote import RemoteBackend

            remote = RemoteBackend(served)
            remote.check()
            return remote
    from .embedded import EmbeddedBackend

    return EmbeddedBackend(
        settings.store,
        read_only=read_only,
        buffer_pool_bytes=settings.buffer_pool_mb << 20,
        query_timeout_ms=int(query_timeout_s * 1000) if query_timeout_s else None,
    )
