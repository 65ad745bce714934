"""govgraph's exceptions: one root, translated from engine errors at the boundary.

::

    GovgraphError
    ├── ConfigError              bad setting or option (store URI, credentials)
    ├── KeyProblem               the personal-data key is missing, malformed or not the store's
    ├── StoreError               the store failed
    │   ├── StoreUnavailable     cannot open or reach the store (lock held, server down)
    │   ├── StoreOutdated        written by an older release: run govgraph migrate
    │   ├── StoreTooNew          written by a newer release: refused, untouched
    │   └── QueryFailed          the engine rejected or failed a statement
    ├── QueryNotFound            no query of that name in the catalog
    ├── NotFound                 a household, case, area … that does not exist
    └── ScenarioError            unknown scenario or impossible parameters
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "GovgraphError",
    "KeyProblem",
    "NotFound",
    "QueryFailed",
    "QueryNotFound",
    "ScenarioError",
    "StoreError",
    "StoreOutdated",
    "StoreTooNew",
    "StoreUnavailable",
]


class GovgraphError(Exception):
    """Root of every error govgraph raises on purpose."""


class ConfigError(GovgraphError):
    """A setting or option is missing or malformed."""


class KeyProblem(GovgraphError):
    """The key that seals personal data is missing, malformed, or not the store's."""


class StoreError(GovgraphError):
    """The graph store failed."""


class StoreUnavailable(StoreError):
    """The store cannot be opened or reached."""


class StoreOutdated(StoreError):
    """The store was written by an older release and must be migrated first."""


class StoreTooNew(StoreError):
    """The store was written by a newer release, whose model this one cannot know."""


class QueryFailed(StoreError):
    """The engine rejected or failed a statement."""


class QueryNotFound(GovgraphError):
    """No query of that name exists in the catalog."""


class NotFound(GovgraphError):
    """The thing asked about does not exist in the store."""


class ScenarioError(GovgraphError):
    """A scenario name or parameter is not valid."""
