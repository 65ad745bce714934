"""paused_gc: the collector is off inside, back on after, and an outer pause wins."""

from __future__ import annotations

import gc

import pytest

from govgraph._memory import paused_gc


def test_the_collector_pauses_and_resumes_even_on_error() -> None:
    assert gc.isenabled()
    with pytest.raises(ValueError), paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block does not switch it back on
        raise ValueError("boom")
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_caller_stays_off() -> None:
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
