"""govgraph copy: a whole store into another through the backend interface; equal counts
and answers; a copy killed halfway is finished by running it again."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from govgraph.backends.embedded import EmbeddedBackend
from govgraph.errors import GovgraphError
from govgraph.loaders.copy import copy_store
from govgraph.loaders.load import load_scenario

from .factories import same_answers


def test_a_copy_holds_every_count_and_answers_the_same(loaded: Any, tmp_path: Path) -> None:
    source = loaded("wucheng")
    spec = source.scenario.spec
    with EmbeddedBackend(tmp_path / "copy") as copy:
        report = copy_store(source.backend, copy)
        assert copy.counts() == source.backend.counts() == report.counts
        assert report.nodes == sum(report.counts["nodes"].values())
        same_answers(source.backend, copy, spec.area, spec.as_of)
        again = copy_store(source.backend, copy)  # into an earlier copy: nothing changes
        assert again.counts == report.counts


def test_a_store_holding_more_is_refused_and_left_alone(loaded: Any, tmp_path: Path) -> None:
    with EmbeddedBackend(tmp_path / "bigger") as bigger:
        load_scenario(bigger, "wucheng")
        before = bigger.counts()
        with pytest.raises(GovgraphError, match="holds more than"):
            copy_store(loaded("qingping").backend, bigger)
        assert bigger.counts() == before


def _copy(source: Path, target: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "govgraph", "copy", "--from", str(source), "--to", str(target),
         "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


@pytest.mark.slow
def test_a_copy_killed_halfway_is_finished_by_running_it_again(tmp_path: Path) -> None:
    source, target = tmp_path / "source", tmp_path / "target"
    with EmbeddedBackend(source) as backend:
        load_scenario(backend, "zhenyuan")
        counts = backend.counts()
    killed = _copy(source, target)
    deadline = time.monotonic() + 120
    while not target.exists() and time.monotonic() < deadline:  # the copy has begun writing
        time.sleep(0.05)
    time.sleep(0.5)  # the whole copy takes several seconds: this is part way
    os.kill(killed.pid, signal.SIGKILL)
    killed.communicate(timeout=60)
    assert killed.returncode == -signal.SIGKILL
    with EmbeddedBackend(target) as partial:  # opens after a kill, holds less
        assert partial.counts() != counts
    again = _copy(source, target)
    out, err = again.communicate(timeout=600)
    assert again.returncode == 0, err
    assert json.loads(out)["counts"] == counts
    with EmbeddedBackend(target) as finished:
        assert finished.counts() == counts
