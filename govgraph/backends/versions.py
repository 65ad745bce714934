"""Which model version wrote a store, and the migrations from one version to the next.

A store records its model version in one node outside the model (``GovgraphStore``, key
``model``); a store with tables but no such node was written by govgraph 0.1.0, before
versions were recorded: version 1. Opening a store (:func:`govgraph.backends.open_backend`)
checks the version:

- a store of this version, or an empty one, opens;
- a store from a newer release is refused, untouched: this release cannot know its model;
- an older store is migrated on a writable open when every step between is *automatic*
  (quick and needing nothing from the user); read-only it opens as it is when this release
  reads that version; otherwise the open stops with one line naming ``govgraph migrate``.

Each step runs in one write transaction together with the new version number, so a
migration killed at any point leaves the store at the version before the step or after it,
never between: the old release or the new one opens it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .. import __version__
from ..errors import StoreOutdated, StoreTooNew
from .base import GraphBackend

__all__ = [
    "MIGRATIONS",
    "MODEL_VERSION",
    "RELEASES",
    "Migration",
    "MigrationReport",
    "check_model",
    "migrate",
    "pending",
    "refuse_newer",
]

#: the model version this release writes
MODEL_VERSION = 4
#: the first release that wrote each model version
RELEASES = {1: "0.1.0", 2: "0.2.0.dev0", 3: "0.2.0", 4: "0.3.0.dev0"}


@dataclass(frozen=True)
class Migration:
    """One step: brings a store from ``version - 1`` to ``version``."""

    version: int
    summary: str
    #: quick and needing nothing from the user: run on a writable open, unasked
    automatic: bool
    #: this release reads a store that has not had this step yet
    readable_before: bool
    #: the work itself, run inside the step's transaction (the version is recorded after)
    apply: Callable[[GraphBackend], None]


def _nothing_to_change(backend: GraphBackend) -> None:
    """0.1.0's tables and properties are this release's: only the version is new."""


def _add_properties(backend: GraphBackend) -> None:
    """New properties only: null where the store has rows already."""
    backend.add_missing_properties()


def _seal_personal_data(backend: GraphBackend) -> None:
    """ID numbers and phones sealed with the store's key (created on first use), their
    masked forms in their place, and the ID numbers' blind index (:mod:`govgraph.keys`)."""
    from ..schema.model import Label
    from ._arrow import node_table

    backend.add_missing_properties()
    people = node_table(Label.PERSON, backend.every_node(Label.PERSON))
    if people.num_rows:
        backend.write_nodes(Label.PERSON, people)
        backend.mark_residue()  # the plain values stay in freed pages until compacted


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        2,
        "record the model version in the store (0.1.0's tables are unchanged)",
        automatic=True,
        readable_before=True,
        apply=_nothing_to_change,
    ),
    Migration(
        3,
        "seal ID numbers and phones with the store's key, keeping masked forms and a blind "
        "index of ID numbers",
        automatic=False,
        readable_before=False,
        apply=_seal_personal_data,
    ),
    Migration(
        4,
        "make room for the day a generated scenario's data is as of (what questions default "
        "to; none for an office's own data)",
        automatic=True,
        readable_before=True,
        apply=_add_properties,
    ),
)


COMPACT = "rewrite the store file, leaving no freed page with plain personal data in it"


@dataclass
class MigrationReport:
    location: str
    before: int | None
    after: int | None
    steps: list[str]


def describe(version: int) -> str:
    release = RELEASES.get(version)
    return f"model version {version}" + (f" (govgraph {release})" if release else "")


def pending(version: int) -> list[Migration]:
    """The steps that bring a store of ``version`` to :data:`MODEL_VERSION`, in order."""
    return [m for m in MIGRATIONS if m.version > version]


def refuse_newer(backend: GraphBackend, version: int) -> None:
    if version > MODEL_VERSION:
        raise StoreTooNew(
            f"store {backend.location} was written by a newer govgraph ({describe(version)}); "
            f"this is govgraph {__version__} ({describe(MODEL_VERSION)}), which cannot read "
            "it: upgrade govgraph (the store was not changed)"
        )


def check_model(backend: GraphBackend, *, read_only: bool) -> MigrationReport | None:
    """The check made on every open (see the module docstring): returns the report of the
    automatic migration it ran, if it ran one."""
    version = backend.model_version()
    if version is None or version == MODEL_VERSION:
        return None
    refuse_newer(backend, version)
    steps = pending(version)
    if read_only and all(m.readable_before for m in steps):
        return None
    if not read_only and all(m.automatic for m in steps):
        return migrate(backend)
    raise StoreOutdated(
        f"store {backend.location} is at {describe(version)} and this release needs "
        f"{describe(MODEL_VERSION)}: run  govgraph --store {backend.location} migrate"
    )


def migrate(
    backend: GraphBackend, *, progress: Callable[[str], None] | None = None
) -> MigrationReport:
    """Bring the store to :data:`MODEL_VERSION`, one transaction per step, then rewrite its
    file if a step left plain values in freed pages (:meth:`GraphBackend.compact`: a copy
    and one rename); a store at that version already, or empty, is left as it is."""
    before = backend.model_version()
    if before is None:
        return MigrationReport(backend.location, before, before, [])
    refuse_newer(backend, before)
    done: list[str] = []
    for step in pending(before):

        def run(step: Migration = step) -> None:
            step.apply(backend)
            backend.record_model_version(step.version, RELEASES[step.version])

        backend.atomic(run)
        done.append(step.summary)
        if progress is not None:
            progress(step.summary)
    if backend.residue():  # also after a migration killed between its steps and the rewrite
        backend.compact()
        done.append(COMPACT)
        if progress is not None:
            progress(COMPACT)
    return MigrationReport(backend.location, before, backend.model_version(), done)
