"""How much of the store an area holds.

An office's store usually holds its own county and nothing else, so a county-wide question
is about every household in it. LadybugDB reads a relationship whole several times faster
than joined through an area's villages (on 镇原县: the links counted per member in 11 ms
against 41, the grid memberships read in 9 against 51; measured), so where an area holds all
of the store — or, for the columns uncovered narrows afterwards, most of it — the questions
read the store's relationships whole. Both roads give the same answer; tests take each.
"""

from __future__ import annotations

from dataclasses import dataclass

from .backends.base import GraphBackend

__all__ = ["Scope", "scope"]


@dataclass(frozen=True)
class Scope:
    #: the households under the area (through their villages)
    households: int
    #: the households in the whole store
    stored: int

    @property
    def whole(self) -> bool:
        """Whether the area holds every household of the store."""
        return self.households == self.stored

    def share(self) -> float:
        """The area's share of the store's households."""
        return self.households / self.stored if self.stored else 0.0


def scope(backend: GraphBackend, area: str) -> Scope:
    """How many households ``area`` (a division code) holds, and the store."""
    inside, stored = backend.read_many([("area_household_count", {"area": area}),
                                        ("household_count", {})])  # fmt: skip
    return Scope(int(inside[0]["households"]), int(stored[0]["households"]))
