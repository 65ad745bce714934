"""Stores that last: a store records its model version; one written by govgraph 0.1.0
(commit 313f664, installed from this repository's history into a temporary environment)
opens with this release with every count and answer unchanged, and is migrated; one from a
newer release is refused untouched; a migration step is one transaction, killed or not."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import sysconfig
import tarfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from govgraph.backends import open_backend
from govgraph.backends import versions as v
from govgraph.backends.embedded import EmbeddedBackend
from govgraph.config import Settings
from govgraph.errors import StoreOutdated, StoreTooNew
from govgraph.loaders.load import load_scenario

from .factories import same_answers

ROOT = Path(__file__).resolve().parents[1]
#: the last commit of govgraph 0.1.0, the release before versions were recorded
RELEASE_0_1_0 = "313f664"

OldRelease = Callable[..., str]
#: every person's masked and sealed personal data
PEOPLE = (
    "MATCH (p:Person) RETURN p.id AS person, p.id_number AS id_number, p.id_number_sealed AS "
    "id_number_sealed, p.phone AS phone, p.phone_sealed AS phone_sealed ORDER BY person"
)


def _has_history() -> bool:
    probe = ["git", "-C", str(ROOT), "cat-file", "-e", f"{RELEASE_0_1_0}^{{commit}}"]
    return shutil.which("git") is not None and subprocess.run(probe).returncode == 0


@pytest.fixture(scope="module")
def old_release(tmp_path_factory: pytest.TempPathFactory) -> OldRelease:
    """``govgraph`` as released at 313f664: its code from ``git archive``, installed with pip
    into a fresh virtual environment whose dependencies are this one's (0.1.0 pins the same
    LadybugDB), run as ``python -P -m govgraph`` (``-P``: never this checkout's code)."""
    if not _has_history():
        pytest.skip(f"needs this repository's git history ({RELEASE_0_1_0}); a clone has it")
    base = tmp_path_factory.mktemp("release-0.1.0")
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", RELEASE_0_1_0],
                             capture_output=True, check=True).stdout  # fmt: skip
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(base / "src", filter="data")
    env = base / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True)
    python = env / "bin" / "python"
    where = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    purelib = subprocess.run([str(python), "-c", where], capture_output=True, text=True,
                             check=True)  # fmt: skip
    # the dependencies: this environment's packages, after the old release's own
    Path(purelib.stdout.strip(), "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    site = base / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--no-build-isolation", "--no-index", "--target", str(site),
                    str(base / "src")], check=True, capture_output=True)  # fmt: skip

    def run(*args: str) -> str:
        proc = subprocess.run(
            [str(python), "-P", "-m", "govgraph", *args],
            env={**os.environ, "PYTHONPATH": str(site)},
            cwd=base, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    assert run("--version").split()[-1] == "0.1.0"
    return run


def _digest(path: Path) -> str:
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    h = hashlib.sha256()
    for f in files:
        h.update(f.read_bytes())
    return h.hexdigest()


def _contents(path: Path) -> tuple[Any, ...]:
    """What a store holds, read without writing: its tables, counts and version (a writable
    open rewrites the engine's own header on close, so bytes are not the measure there)."""
    with EmbeddedBackend(path, read_only=True) as backend:
        tables = sorted(r["name"] for r in backend._run("CALL show_tables() RETURN name", {}))
        return tables, backend.counts(), backend.model_version()


def _govgraph(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "govgraph", *args],
                          capture_output=True, text=True, timeout=600)  # fmt: skip


def test_a_store_written_by_0_1_0_keeps_every_count_and_answer(
    old_release: OldRelease, loaded: Any, tmp_path: Path
) -> None:
    store = tmp_path / "from-0.1.0"
    old_release("--store", str(store), "load", "scenario", "qingping")
    counts = json.loads(old_release("--store", str(store), "info", "--json"))
    now = loaded("qingping")  # the same scenario loaded by this release
    spec = now.scenario.spec
    assert counts == now.backend.counts()

    # read-only, this release cannot read it before its ID numbers are sealed: it says so
    # and writes nothing
    before = _digest(store)
    with pytest.raises(StoreOutdated, match=r"govgraph --store .* migrate"):
        open_backend(Settings.load(str(store)), read_only=True)
    info = _govgraph("--store", str(store), "info")
    assert info.returncode == 1 and "migrate" in info.stderr
    assert _digest(store) == before

    check = _govgraph("--store", str(store), "migrate", "--check", "--json")
    assert check.returncode == 1, check.stderr  # a migration is due
    assert json.loads(check.stdout)["model_version"] == 1
    assert json.loads(check.stdout)["due"] == [m.summary for m in v.MIGRATIONS]

    done = _govgraph("--store", str(store), "migrate", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert (report["from"], report["to"]) == (1, v.MODEL_VERSION)
    assert report["steps"] == [m.summary for m in v.MIGRATIONS] + [v.COMPACT]

    with open_backend(Settings.load(str(store))) as backend:
        assert backend.model_version() == v.MODEL_VERSION
        assert backend.counts() == counts
        same_answers(backend, now.backend, spec.area, spec.as_of)
        # the ID numbers and phones are sealed now, and open to what 0.1.0 stored
        people = backend._run(PEOPLE, {})
        assert all("*" in p["id_number"] for p in people if p["id_number"])
        opened = backend.reveal(people)
    plain = now.backend.reveal(now.backend._run(PEOPLE, {}))
    assert opened == plain
    # and the store file holds none of them in the clear (it was rewritten after sealing)
    assert _found_in(store, {v for r in plain for v in (r["id_number"], r["phone"]) if v}) == set()
    again = _govgraph("--store", str(store), "migrate", "--check", "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["due"] == []
    # the release before the step still opens the migrated store and counts the same
    assert json.loads(old_release("--store", str(store), "info", "--json")) == counts


def test_the_sealing_step_waits_for_govgraph_migrate(
    old_release: OldRelease, tmp_path: Path
) -> None:
    store = tmp_path / "old"
    old_release("--store", str(store), "load", "scenario", "qingping")
    with pytest.raises(StoreOutdated, match="migrate"):
        open_backend(Settings.load(str(store)))
    with EmbeddedBackend(store) as backend:  # no check on a bare open …
        counts = backend.counts()
        with pytest.raises(StoreOutdated, match="migrate"):
            load_scenario(backend, "qingping")  # … but a write path checks before it writes
        assert backend.model_version() == 1 and backend.counts() == counts


def test_an_automatic_step_runs_on_the_first_writable_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "store"
    with EmbeddedBackend(path) as backend:
        load_scenario(backend, "qingping")
    ran: list[int] = []
    step = v.Migration(NEXT, "nothing much", automatic=True, readable_before=True,
                       apply=lambda backend: ran.append(1))  # fmt: skip
    monkeypatch.setattr(v, "MODEL_VERSION", NEXT)
    monkeypatch.setattr(v, "MIGRATIONS", (*v.MIGRATIONS, step))
    monkeypatch.setitem(v.RELEASES, NEXT, "9.0.0")
    with open_backend(Settings.load(str(path)), read_only=True) as backend:  # read as it is
        assert backend.model_version() == NEXT - 1 and ran == []
    with open_backend(Settings.load(str(path))) as backend:
        assert backend.model_version() == NEXT and ran == [1]


def _plain_values(backend: Any) -> set[str]:
    rows = backend._run(PEOPLE, {})
    return {v for r in backend.reveal(rows) for v in (r.get("id_number"), r.get("phone")) if v}


def _found_in(path: Path, values: set[str]) -> set[str]:
    """Those of ``values`` (ID numbers, phones) anywhere in the store's files, as UTF-8 or
    UTF-16 text: every run of 11 or 18 characters that could be one, against the set."""
    import re

    data = b"".join(f.read_bytes() for f in path.parent.glob(path.name + "*") if f.is_file())
    seen: set[str] = set()
    for width in (11, 18):
        digits = rb"(?=([0-9Xx]{%d}))" % width
        seen |= {m.decode() for m in re.findall(digits, data)}
        wide = rb"(?=((?:[0-9Xx]\x00){%d}))" % width
        seen |= {m.decode("utf-16-le") for m in re.findall(wide, data)}
    return values & seen


@pytest.mark.slow
def test_a_migration_killed_at_any_point_is_finished_by_running_it_again(
    old_release: OldRelease, loaded: Any, tmp_path: Path
) -> None:
    built = tmp_path / "built"
    old_release("--store", str(built), "load", "scenario", "qingping")
    counts = loaded("qingping").backend.counts()
    plain = _plain_values(loaded("qingping").backend)
    assert _found_in(built, plain) == plain  # 0.1.0 kept them in the clear
    for delay in (0.5, 1.5, 2.5, 3.5, 5.0):
        store = tmp_path / f"killed-{delay}"
        shutil.copyfile(built, store)
        proc = subprocess.Popen([sys.executable, "-m", "govgraph", "--store", str(store),
                                 "migrate", "--json"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)  # fmt: skip
        time.sleep(delay)
        proc.kill()
        proc.communicate(timeout=60)
        state = _govgraph("--store", str(store), "migrate", "--check", "--json")
        assert 1 <= json.loads(state.stdout)["model_version"] <= v.MODEL_VERSION, state.stderr
        done = _govgraph("--store", str(store), "migrate", "--json")
        assert done.returncode == 0, done.stderr
        with EmbeddedBackend(store, read_only=True) as backend:
            assert backend.model_version() == v.MODEL_VERSION and not backend.residue()
            assert backend.counts() == counts
            assert _plain_values(backend) == plain
        assert _found_in(store, plain) == set(), delay


def test_a_new_store_records_this_release_s_model(tmp_path: Path) -> None:
    with EmbeddedBackend(tmp_path / "new") as store:
        assert store.model_version() is None  # empty
        load_scenario(store, "qingping")
        assert store.model_version() == v.MODEL_VERSION
        assert "GovgraphStore" not in store.counts()["nodes"]  # outside the model's data


def test_a_store_from_a_newer_release_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "newer"
    with EmbeddedBackend(path) as backend:
        load_scenario(backend, "qingping")
        backend.record_model_version(v.MODEL_VERSION + 1, "9.0.0")
    before = _contents(path)
    for read_only in (True, False):
        with pytest.raises(StoreTooNew, match=r"newer govgraph .*upgrade govgraph"):
            open_backend(Settings.load(str(path)), read_only=read_only)
    with EmbeddedBackend(path) as backend, pytest.raises(StoreTooNew):
        backend.apply_schema()
    for args in (["info"], ["migrate"], ["migrate", "--check"], ["load", "scenario", "qingping"]):
        proc = _govgraph("--store", str(path), *args)
        assert proc.returncode == 1
        assert proc.stderr.count("\n") == 1 and "newer govgraph" in proc.stderr, proc.stderr
    assert _contents(path) == before


#: the model of the release after this one (in the tests that make one up)
NEXT = v.MODEL_VERSION + 1


@pytest.fixture
def step_next(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A release whose next model needs a step that is not automatic and that this release
    cannot read before: it adds a Province node (so a rolled-back step can be seen)."""
    ran: list[str] = []

    def apply(backend: Any) -> None:
        ran.append("next")
        backend._run("CREATE (:Province {id: 'step-next', name: 'x'})", {}, write=True)

    step = v.Migration(NEXT, "add a province", automatic=False, readable_before=False,
                       apply=apply)  # fmt: skip
    monkeypatch.setattr(v, "MODEL_VERSION", NEXT)
    monkeypatch.setattr(v, "MIGRATIONS", (*v.MIGRATIONS, step))
    monkeypatch.setitem(v.RELEASES, NEXT, "9.0.0")
    return ran


def test_a_step_that_is_not_automatic_waits_for_govgraph_migrate(
    tmp_path: Path, step_next: list[str]
) -> None:
    path = tmp_path / "store"
    with EmbeddedBackend(path) as backend:
        load_scenario(backend, "qingping")
        backend.record_model_version(NEXT - 1, "0.2.0")
    for read_only in (True, False):
        with pytest.raises(StoreOutdated, match=f"govgraph --store {path} migrate"):
            open_backend(Settings.load(str(path)), read_only=read_only)
    assert step_next == []
    with open_backend(Settings.load(str(path)), check_model=False) as backend:
        report = v.migrate(backend)
        assert (report.before, report.after, report.steps) == (NEXT - 1, NEXT, ["add a province"])
        assert backend.counts()["nodes"]["Province"] == 2
    with open_backend(Settings.load(str(path))) as backend:  # now it opens
        assert backend.model_version() == NEXT


def test_a_failed_step_leaves_the_store_at_the_version_before(
    tmp_path: Path, step_next: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "store"
    with EmbeddedBackend(path) as backend:
        load_scenario(backend, "qingping")
        backend.record_model_version(NEXT - 1, "0.2.0")
        provinces = backend.counts()["nodes"]["Province"]
    (step,) = [m for m in v.MIGRATIONS if m.version == NEXT]

    def half_then_fail(backend: Any) -> None:
        step.apply(backend)
        raise RuntimeError("the disk is full")

    failing = v.Migration(NEXT, step.summary, automatic=False, readable_before=False,
                          apply=half_then_fail)  # fmt: skip
    monkeypatch.setattr(v, "MIGRATIONS", (*v.MIGRATIONS[:-1], failing))
    with open_backend(Settings.load(str(path)), check_model=False) as backend:
        with pytest.raises(RuntimeError, match="disk is full"):
            v.migrate(backend)
        assert backend.model_version() == NEXT - 1
        assert backend.counts()["nodes"]["Province"] == provinces


_KILLED_MIDWAY = """
import sys, time
from govgraph.backends import versions as v
from govgraph.backends.embedded import EmbeddedBackend

def apply(backend):
    for i in range(50):  # writes, then lingers inside the step's transaction
        backend._run(f"CREATE (:Province {{id: 'p{i}', name: 'x'}})", {}, write=True)
    print("inside", flush=True)
    time.sleep(60)

v.MODEL_VERSION += 1
v.RELEASES[v.MODEL_VERSION] = "9.0.0"
v.MIGRATIONS = (*v.MIGRATIONS, v.Migration(v.MODEL_VERSION, "slow", automatic=False,
                                           readable_before=False, apply=apply))
with EmbeddedBackend(sys.argv[1]) as backend:
    v.migrate(backend)
"""


def test_a_migration_killed_inside_a_step_leaves_the_version_before(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with EmbeddedBackend(path) as backend:
        load_scenario(backend, "qingping")
        counts = backend.counts()
    proc = subprocess.Popen([sys.executable, "-c", textwrap.dedent(_KILLED_MIDWAY), str(path)],
                            stdout=subprocess.PIPE, text=True)  # fmt: skip
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "inside"
    time.sleep(0.2)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    with open_backend(Settings.load(str(path))) as backend:  # this release opens it as it was
        assert backend.model_version() == v.MODEL_VERSION
        assert backend.counts() == counts


_KILLED_MAKING_TABLES = """
import os, signal, sys
from govgraph.backends.embedded import EmbeddedBackend

backend = EmbeddedBackend(sys.argv[1])
run, made = backend._run, [0]

def counted(text, params, **kw):
    if text.startswith("CREATE"):
        made[0] += 1
        if made[0] > int(sys.argv[2]):
            os.kill(os.getpid(), signal.SIGKILL)
    return run(text, params, **kw)

backend._run = counted
backend.apply_schema()
"""


@pytest.mark.parametrize("made", [1, 12, 30])
def test_a_new_store_killed_while_its_tables_are_made_opens_as_new(
    tmp_path: Path, made: int
) -> None:
    """Killed between two of the schema's statements, a new store must not pass for one
    written by 0.1.0 (tables, no version) and refuse every command: it has nothing."""
    path = tmp_path / "store"
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(_KILLED_MAKING_TABLES),
                           str(path), str(made)], capture_output=True, text=True)  # fmt: skip
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    with open_backend(Settings.load(str(path))) as backend:
        assert backend.model_version() is None
        load_scenario(backend, "qingping")
        assert backend.model_version() == v.MODEL_VERSION
