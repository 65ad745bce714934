"""``govgraph copy``: a whole store into another through the backend interface — embedded
to Neo4j is the path an office takes when it outgrows one machine.

Label by label, then relationship type by type, each read whole from the source and
written with the target's bulk path (``MERGE`` on stable ids), so a copy killed at any point
is finished by running it again, and running it twice changes nothing. At the end the
target's counts must equal the source's, or the copy fails saying which differ.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ..backends._arrow import node_table, rel_table
from ..backends.base import GraphBackend
from ..errors import GovgraphError
from ..schema.model import NODES, RELATIONSHIPS

__all__ = ["CopyReport", "copy_store"]

Progress = Callable[[str, int], None]


@dataclass
class CopyReport:
    nodes: int = 0
    relationships: int = 0
    seconds: float = 0.0
    counts: dict[str, dict[str, int]] = field(default_factory=dict)


def _same_key(source: GraphBackend, target: GraphBackend) -> None:
    """The copy's sealed ID numbers and phones are the source's, so the target takes the
    source's key (its fingerprint: the key itself stays where it is)."""
    fingerprint = source.key_fingerprint()
    if fingerprint is None:
        return
    have = target.key_fingerprint()
    if have is None:
        target.record_key_fingerprint(fingerprint)
    elif have != fingerprint:
        raise GovgraphError(
            f"{target.location} seals personal data with another key ({have}) than "
            f"{source.location} ({fingerprint}): copy into an empty store"
        )


def copy_store(
    source: GraphBackend, target: GraphBackend, *, progress: Progress | None = None
) -> CopyReport:
    """Copy every node and relationship of ``source`` into ``target``; see the module
    docstring. Refused before any data is written (the schema is made first) when the
    target holds more of some label or type than the source: it is another store, not an
    earlier copy."""
    started = time.perf_counter()
    target.apply_schema()  # an empty store has no tables to count yet; idempotent
    have, want = target.counts(), source.counts()
    more = [
        f"{name} {have[kind][name]:,} > {n:,}"
        for kind in ("nodes", "relationships")
        for name, n in want[kind].items()
        if have[kind].get(name, 0) > n
    ]
    if more:
        raise GovgraphError(
            f"{target.location} holds more than {source.location} ({', '.join(more)}): "
            "copy into an empty store, or into an earlier copy of this one"
        )
    _same_key(source, target)
    report = CopyReport()
    for spec in NODES:
        table = node_table(spec.label, source.every_node(spec.label))
        if table.num_rows:
            report.nodes += target.write_nodes(spec.label, table)
        if progress:
            progress(f"nodes {spec.label.value}", table.num_rows)
    for rspec in RELATIONSHIPS:
        for a, b in rspec.pairs:
            table = rel_table(rspec.type, source.every_relationship(rspec.type, a, b))
            if table.num_rows:
                report.relationships += target.write_relationships(rspec.type, a, b, table)
            if progress:
                progress(f"relationships {rspec.type.value}", table.num_rows)
    report.counts = target.counts()
    if report.counts != want:
        differ = [
            f"{name} {report.counts[kind].get(name, 0):,} ≠ {n:,}"
            for kind in ("nodes", "relationships")
            for name, n in want[kind].items()
            if report.counts[kind].get(name, 0) != n
        ]
        raise GovgraphError(f"the copy's counts differ from the source's: {', '.join(differ)}")
    report.seconds = time.perf_counter() - started
    return report
