"""The one place that pulls a graph out of a backend into networkx."""

from __future__ import annotations

from typing import Any

import networkx as nx

from ..backends.base import GraphBackend
from ..schema.model import NODES, RELATIONSHIPS, Label, Rel

__all__ = ["node_key", "to_networkx"]


def node_key(label: Label | str, node_id: str) -> tuple[str, str]:
    """Nodes are keyed by (label, id): ids are unique per label."""
    return (str(label), node_id)


def to_networkx(
    backend: GraphBackend,
    *,
    labels: set[Label] | None = None,
    relationships: set[Rel] | None = None,
) -> nx.MultiDiGraph:
    """The store (or the chosen labels and types) as a ``MultiDiGraph``.

    Nodes carry their properties and ``label``; edges carry ``type`` and their
    properties; both directions of the model are kept (source → target).
    """
    graph = nx.MultiDiGraph()
    for spec in NODES:
        if labels is not None and spec.label not in labels:
            continue
        for row in backend.every_node(spec.label):
            graph.add_node(node_key(spec.label, row["id"]), label=spec.label.value, **row)
    for rspec in RELATIONSHIPS:
        if relationships is not None and rspec.type not in relationships:
            continue
        for source, target in rspec.pairs:
            for row in backend.every_relationship(rspec.type, source, target):
                props: dict[str, Any] = {
                    k: v for k, v in row.items() if k not in {"source", "target"}
                }
                graph.add_edge(
                    node_key(source, row["source"]),
                    node_key(target, row["target"]),
                    type=rspec.type.value,
                    **props,
                )
    return graph
