"""``paused_gc()``: no cyclic garbage collection while a bulk job builds many objects.

Building a networkx graph of a county (2·10^5 links) or planning a ledger import makes
millions of small dicts and tuples and frees almost none of them until the end. Each
time the allocation count passes a threshold, CPython's cyclic collector walks the
ever larger heap and finds nothing: measured, 40 % of a county briefing and a third of
an import. Reference counting still frees everything acyclic meanwhile; cycles made
in the block are collected once it ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused_gc"]


@contextmanager
def paused_gc() -> Iterator[None]:
    """Disable the cyclic collector for the block (re-entrant: an outer pause wins)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
