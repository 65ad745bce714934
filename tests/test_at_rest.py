"""Personal data at rest: ID numbers and phones sealed in the store (none in any file of it),
a missing or wrong key refused in one line, key rotation whole or not at all (killed at any
point), and an audit log whose edits, deletions and insertions are found."""

from __future__ import annotations

import base64
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pyarrow as pa
import pytest
from fastapi.testclient import TestClient

from govgraph.api import create_app
from govgraph.api.auth import AuthStore
from govgraph.backends.embedded import EmbeddedBackend
from govgraph.config import Settings
from govgraph.errors import KeyProblem
from govgraph.keys import key_dir
from govgraph.loaders.load import load_scenario

PEOPLE = (
    "MATCH (p:Person) RETURN p.id AS person, p.id_number AS id_number, p.id_number_sealed AS "
    "id_number_sealed, p.phone AS phone, p.phone_sealed AS phone_sealed ORDER BY person"
)


def _govgraph(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "govgraph", *args], capture_output=True,
                          text=True, timeout=600, env=env)  # fmt: skip


def _encodings(value: str) -> list[bytes]:
    """``value`` as any program might have written it."""
    out = [value.encode(enc) for enc in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le")]
    out += [base64.b64encode(value.encode()), value.encode().hex().encode()]
    if value.isdigit():
        out.append(int(value).to_bytes(8, "little"))
    return out


def _every_file(store: Path) -> bytes:
    """The store's own files and everything beside it that govgraph wrote there."""
    return b"".join(f.read_bytes() for f in store.parent.rglob("*") if f.is_file())


@pytest.fixture(scope="module")
def qingping(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """庆坪镇 in a store of its own, closed (every page on disk)."""
    path = tmp_path_factory.mktemp("at-rest") / "store"
    with EmbeddedBackend(path) as backend:
        load_scenario(backend, "qingping")
    return path


def test_a_number_read_through_a_pii_token_is_in_no_file_of_the_store(tmp_path: Path) -> None:
    path = tmp_path / "store"
    backend = EmbeddedBackend(path)
    try:
        load_scenario(backend, "qingping")
        auth = AuthStore(tmp_path / "auth.sqlite3")
        token = auth.create("township", "621123109", pii=True)[1]
        plain_token = auth.create("township", "621123109")[1]
        household = backend.read("sample_households", {"area": "621123109", "limit": 1})[0]["id"]
        app = create_app(Settings.load(str(path), {}), backend=backend, auth=auth)
        with TestClient(app) as client:
            got = client.get(f"/households/{household}", params={"unmasked": "true"},
                             headers={"Authorization": f"Bearer {token}"})  # fmt: skip
            masked = client.get(f"/households/{household}",
                                headers={"Authorization": f"Bearer {plain_token}"})  # fmt: skip
        member = next(m for m in got.json()["members"] if m["phone"])
        id_number, phone = member["id_number"], member["phone"]
        assert len(id_number) == 18 and "*" not in id_number and len(phone) == 11
        shown = next(m for m in masked.json()["members"] if m["person"] == member["person"])
        assert "*" in shown["id_number"] and "*" in shown["phone"]
    finally:
        backend.close()
    files = _every_file(path)
    assert path.exists() and len(files) > 1_000_000
    for value in (id_number, phone):
        for encoded in _encodings(value):
            assert encoded not in files, (value, encoded)
    # and the finding is not vacuous: a value the store does hold is found the same way
    assert any(member["person"].encode(enc) in files for enc in ("utf-8", "utf-16-le"))


def test_lookup_by_id_number_goes_through_the_blind_index(qingping: Path) -> None:
    with EmbeddedBackend(qingping, read_only=True) as backend:
        rows = backend.reveal(backend._run(PEOPLE + " LIMIT 3", {}))
        for row in rows:
            found = backend.people_with_id_number(row["id_number"].lower())
            assert [f["id"] for f in found] == [row["person"]]
        assert backend.people_with_id_number("11010519491231002X") == []
        stored = backend._run("MATCH (p:Person) WHERE p.id_number_index IS NOT NULL "
                              "RETURN p.id_number_index AS i LIMIT 1", {})  # fmt: skip
        assert len(stored[0]["i"]) == 32  # an HMAC-SHA256 cut to 128 bits, not the number


def test_the_blind_index_is_hmac_sha256_under_the_derived_key() -> None:
    """Written out over hash states for speed, it must stay the RFC 2104 HMAC the stores
    already hold: a person is found by the same index before and after."""
    import hashlib
    import hmac

    from govgraph.keys import Key, _derive

    key = Key(bytes(range(32)), "test")
    numbers = ["11010519491231002x", " 62102719800101001X ", "621027198001010018"]
    index_key = _derive(key.material, b"govgraph blind index v1")
    expected = [hmac.new(index_key, n.strip().upper().encode(), hashlib.sha256).hexdigest()[:32]
                for n in numbers]  # fmt: skip
    assert key.index_many(numbers) == expected
    assert [key.index(n) for n in numbers] == expected
    assert expected[0] != expected[1]


def test_a_missing_key_refuses_only_what_needs_it(qingping: Path, tmp_path: Path) -> None:
    env = {**os.environ, "GOVGRAPH_KEY_DIR": str(tmp_path / "empty-keys")}
    masked = _govgraph("--store", str(qingping), "export", "--area", "621123109", "-o",
                       str(tmp_path / "masked"), env=env)  # fmt: skip
    assert masked.returncode == 0, masked.stderr  # masked answers need no key
    answer = _govgraph("--store", str(qingping), "query", "uncovered", "--area", "621123109",
                       "--as-of", "2023-06-30", "--json", env=env)  # fmt: skip
    assert answer.returncode == 0, answer.stderr
    full = _govgraph("--store", str(qingping), "export", "--area", "621123109", "-o",
                     str(tmp_path / "full"), "--unmasked", env=env)  # fmt: skip
    assert full.returncode == 1
    assert full.stderr.count("\n") == 1 and "not on this machine" in full.stderr, full.stderr
    assert "GOVGRAPH_KEY_FILE" in full.stderr
    assert not (tmp_path / "full").exists() or not any((tmp_path / "full").iterdir())


def test_a_wrong_key_opens_nothing(qingping: Path, tmp_path: Path) -> None:
    wrong = base64.b64encode(os.urandom(32)).decode()
    env = {**os.environ, "GOVGRAPH_SECRET_KEY": wrong}
    full = _govgraph("--store", str(qingping), "export", "--area", "621123109", "-o",
                     str(tmp_path / "full"), "--unmasked", env=env)  # fmt: skip
    assert full.returncode == 1
    assert full.stderr.count("\n") == 1 and "is not this store's key" in full.stderr
    bad = _govgraph("--store", str(qingping), "key", "show", env={**os.environ,
                    "GOVGRAPH_SECRET_KEY": "not a key"})  # fmt: skip
    assert bad.returncode == 1 and "does not hold a key" in bad.stdout + bad.stderr


def test_a_sealed_value_moved_to_another_person_does_not_open(tmp_path: Path) -> None:
    with EmbeddedBackend(tmp_path / "store") as backend:
        load_scenario(backend, "qingping")
        a, b = backend._run(PEOPLE + " LIMIT 2", {})
        with pytest.raises(KeyProblem, match="does not open"):
            backend.reveal([{**a, "id_number_sealed": b["id_number_sealed"]}])


def _rotate(store: Path, *more: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "govgraph", "--store", str(store), "key",
                             "rotate", "--json", *more], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)  # fmt: skip


def _opened(store: Path) -> tuple[str, set[tuple[str, str, str]]]:
    with EmbeddedBackend(store, read_only=True) as backend:
        rows = backend.reveal(backend._run(PEOPLE, {}))
        fingerprint = backend.key_fingerprint()
        assert fingerprint is not None
        for row in rows[:: len(rows) // 5]:  # the blind index was rebuilt with the key
            if row["id_number"]:
                assert backend.people_with_id_number(row["id_number"])
    return fingerprint, {(r["person"], r["id_number"] or "", r["phone"] or "") for r in rows}


@pytest.mark.slow
def test_a_rotation_killed_at_any_point_leaves_one_key_for_everyone(
    qingping: Path, tmp_path: Path
) -> None:
    import shutil

    before_key, plain = _opened(qingping)
    keys = key_dir()
    for delay in (0.3, 1.0, 1.6, 2.2, 3.0):
        store = tmp_path / f"store-{delay}"
        shutil.copyfile(qingping, store)
        proc = _rotate(store)
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=60)
        fingerprint, opened = _opened(store)  # every person opens, under one key
        assert opened == plain
        assert (keys / f"{fingerprint}.key").exists()
    store = tmp_path / "store-whole"  # a store of its own: its old key is removed below
    with EmbeddedBackend(store) as backend:
        load_scenario(backend, "qingping")
    before_key, plain = _opened(store)
    backup = tmp_path / "backup"
    shutil.copyfile(store, backup)
    done = _rotate(store, "--remove-old")
    out, err = done.communicate(timeout=600)
    assert done.returncode == 0, err
    report = json.loads(out)
    assert report["old"] == before_key and report["new"] != before_key
    assert report["removed_old"] and report["people"] == len(plain)
    fingerprint, opened = _opened(store)
    assert fingerprint == report["new"] and opened == plain
    assert oct((keys / f"{fingerprint}.key").stat().st_mode & 0o777) == "0o600"
    assert not (keys / f"{before_key}.key").exists()  # asked for: a copy made before is lost
    with pytest.raises(KeyProblem, match="not on this machine"):
        _opened(backup)


# -- the audit log's chain -------------------------------------------------------------------


def _log(tmp_path: Path, entries: int = 5) -> Path:
    from govgraph.api.auth import Caller, Role

    auth = AuthStore(tmp_path / "auth.sqlite3")
    caller = Caller("abc", Role.COUNTY, "621027", True)
    for i in range(entries):
        auth.audit(caller, "GET", f"/households/H{i}", [f"P{i}"])
    return auth.path


def _verify(path: Path) -> subprocess.CompletedProcess[str]:
    return _govgraph("audit", "verify", "--json", env={**os.environ, "GOVGRAPH_AUTH_DB": str(path)})


def _behind_the_tools_back(path: Path, *statements: str) -> None:
    db = sqlite3.connect(path)
    with db:
        db.execute("DROP TRIGGER audit_no_update")
        db.execute("DROP TRIGGER audit_no_delete")
        for statement in statements:
            db.execute(statement)
    db.close()


def test_an_intact_log_verifies(tmp_path: Path) -> None:
    proc = _verify(_log(tmp_path))
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["intact"] and result["entries"] == 5 and len(result["head"]) == 64


#: an entry 4 slipped in between 3 and the old 4 (the later ones renumbered), and one after 5
_SLIPPED_IN = [
    "UPDATE audit SET seq = seq + 100 WHERE seq >= 4",
    "UPDATE audit SET seq = seq - 99 WHERE seq >= 100",
    "INSERT INTO audit (seq, at, token_id, method, path, records, prev, hash) "
    "SELECT 4, at, token_id, method, path, records, hash, hash FROM audit WHERE seq = 3",
]
_APPENDED = [
    "INSERT INTO audit (seq, at, token_id, method, path, records, prev, hash) "
    "SELECT 6, at, token_id, method, path, records, hash, hash FROM audit WHERE seq = 5"
]


@pytest.mark.parametrize(
    ("tampering", "first_bad", "reason"),
    [
        (["UPDATE audit SET records = '[\"P9\"]' WHERE seq = 3"], 3, "altered"),
        (["UPDATE audit SET token_id = 'someone' WHERE seq = 1"], 1, "altered"),
        (["DELETE FROM audit WHERE seq = 2"], 2, "missing"),
        (["DELETE FROM audit WHERE seq = 1"], 1, "missing"),
        (_SLIPPED_IN, 4, "altered"),
        (_APPENDED, 6, "altered"),
        (["UPDATE audit SET prev = hash WHERE seq = 5"], 5, "does not follow"),
    ],
)
def test_an_edited_deleted_or_inserted_entry_is_found(
    tmp_path: Path, tampering: list[str], first_bad: int, reason: str
) -> None:
    path = _log(tmp_path)
    _behind_the_tools_back(path, *tampering)
    proc = _verify(path)
    assert proc.returncode == 1
    result = json.loads(proc.stdout)
    assert not result["intact"] and result["first_bad"] == first_bad
    assert reason in result["reason"], result["reason"]


def test_the_chain_cannot_be_remade_without_the_audit_key(tmp_path: Path) -> None:
    """Recomputing every MAC needs the key, which is not in the log's file: a forger who
    edits an entry and rehashes the chain with plain SHA-256 is still found."""
    import hashlib

    path = _log(tmp_path)
    db = sqlite3.connect(path)
    rows = db.execute("SELECT seq, at, token_id, method, path, records FROM audit "
                      "ORDER BY seq").fetchall()  # fmt: skip
    db.close()
    prev, statements = "0" * 64, []
    for seq, *fields in rows:
        text = json.dumps([seq, *fields, prev], separators=(",", ":"))
        mac = hashlib.sha256(text.encode()).hexdigest()
        statements.append(f"UPDATE audit SET prev = '{prev}', hash = '{mac}' WHERE seq = {seq}")
        prev = mac
    _behind_the_tools_back(path, *statements)
    result = json.loads(_verify(path).stdout)
    assert not result["intact"] and result["first_bad"] == 1


def test_a_log_from_before_the_chain_is_chained_once(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    with db:  # the 0.1.0 layout, with two entries
        db.execute("CREATE TABLE tokens (token_id TEXT PRIMARY KEY, token_hash TEXT NOT NULL "
                   "UNIQUE, role TEXT NOT NULL, scope TEXT NOT NULL, pii INTEGER NOT NULL, "
                   "label TEXT NOT NULL, created TEXT NOT NULL, revoked TEXT)")  # fmt: skip
        db.execute("CREATE TABLE audit (seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT "
                   "NULL, token_id TEXT NOT NULL, method TEXT NOT NULL, path TEXT NOT NULL, "
                   "records TEXT NOT NULL)")  # fmt: skip
        insert = ("INSERT INTO audit (at, token_id, method, path, records) VALUES "
                  "('2026-01-01T00:00:00+00:00', 't', 'GET', ?, '[]')")  # fmt: skip
        for i in (1, 2):
            db.execute(insert, (f"/p/{i}",))
    db.close()
    auth = AuthStore(path)
    assert auth.verify_audit().intact and auth.verify_audit().entries == 2
    _, token = auth.create("county", "621027", expires=timedelta(days=1))
    assert auth.verify(token) is not None


def test_an_expired_token_is_refused(tmp_path: Path) -> None:
    auth = AuthStore(tmp_path / "auth.sqlite3")
    _, lasting = auth.create("county", "621027", expires=timedelta(days=90))
    _, expired = auth.create("county", "621027", expires=timedelta(seconds=-1))
    assert auth.verify(lasting) is not None and auth.verify(expired) is None
    env = {**os.environ, "GOVGRAPH_AUTH_DB": str(tmp_path / "auth.sqlite3")}
    made = _govgraph("token", "create", "--role", "township", "--area", "621027100",
                     "--expires", "12h", "--json", env=env)  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout)["expires"] is not None
    bad = _govgraph("token", "create", "--role", "township", "--area", "621027100",
                    "--expires", "soon", env=env)  # fmt: skip
    assert bad.returncode == 2 and "not a duration" in bad.stderr


def _people_stored(path: Path) -> list[dict[str, object]]:
    with EmbeddedBackend(path, read_only=True) as backend:
        rows = backend._run(PEOPLE.replace("RETURN", "RETURN p.id_number_index AS blind,"), {})
        return [dict(row, **backend.reveal([row])[0]) for row in rows]


def test_many_people_sealed_on_every_core_are_stored_as_one_by_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The parallel road (worker processes sealing slices into files the engine copies
    from), taken here for a township's people in slices of 700: the store holds what the
    sealing in the writing process stores, under the same key."""
    import govgraph.backends._sealing as sealing
    import govgraph.backends.embedded as embedded
    from govgraph.keys import ENV_KEY
    from govgraph.loaders.generator import generate
    from govgraph.loaders.scenarios import get_scenario
    from govgraph.schema.model import Label

    monkeypatch.setenv(ENV_KEY, base64.b64encode(os.urandom(32)).decode())
    people = generate(get_scenario("qingping")).tables.nodes[Label.PERSON]
    assert people.num_rows > 3 * 700
    stores, sealed_in_files = {}, []
    real = embedded.sealed_files

    def counted(*args: object) -> object:
        sealed_in_files.append(args[0].num_rows)  # type: ignore[attr-defined]
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(embedded, "sealed_files", counted)
    for road, threshold in (("one by one", 10**9), ("on every core", 1_000)):
        monkeypatch.setattr(embedded, "PARALLEL_PEOPLE", threshold)
        monkeypatch.setattr(embedded, "cores", lambda: 2)
        monkeypatch.setattr(sealing, "SLICE", 700)
        stores[road] = tmp_path / road / "store"
        with EmbeddedBackend(stores[road]) as backend:
            backend.apply_schema()
            backend.seal_seconds = 0.0
            assert backend.write_nodes(Label.PERSON, people) == people.num_rows
            assert backend.seal_seconds > 0
            # a worker's own peak (pyarrow alone is more than 50 MiB), not the writer's
            assert (50 < backend.seal_worker_peak_mib < 1_000) == (road == "on every core")
            # again: everyone known, sealed anew and updated in place
            assert backend.write_nodes(Label.PERSON, people.slice(0, 1_500)) == 1_500
    assert sealed_in_files == [people.num_rows]  # the first write on the second road only
    one, every = (_people_stored(stores[road]) for road in ("one by one", "on every core"))
    assert len(every) == people.num_rows
    same = ("person", "id_number", "phone", "blind")
    assert [{k: r[k] for k in same} for r in every] == [{k: r[k] for k in same} for r in one]
    given = {r["id"]: r for r in people.to_pylist()}
    assert all(r["id_number"] == (given[r["person"]]["id_number"] or None) for r in every)
    assert any(r["phone"] for r in every)
    pairs = zip(every, one, strict=True)  # sealed anew: random nonces
    assert all(r["id_number_sealed"] != o["id_number_sealed"] for r, o in pairs if o["id_number"])
    # the files the engine copied from are gone, and no plain number is in any file
    files = _every_file(stores["on every core"])
    assert not list(stores["on every core"].parent.glob(".govgraph-sealing-*"))
    sample = next(r for r in every if r["id_number"] and r["phone"])
    for value in (sample["id_number"], sample["phone"]):
        assert value.encode() not in files


def test_a_worker_s_refusal_reaches_the_writer_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import govgraph.backends._sealing as sealing
    import govgraph.backends.embedded as embedded
    from govgraph.loaders.generator import generate
    from govgraph.loaders.scenarios import get_scenario
    from govgraph.schema.model import Label

    monkeypatch.setattr(embedded, "PARALLEL_PEOPLE", 1_000)
    monkeypatch.setattr(embedded, "cores", lambda: 2)
    monkeypatch.setattr(sealing, "SLICE", 700)
    people = generate(get_scenario("qingping")).tables.nodes[Label.PERSON]
    at = 1_800  # in the third slice
    numbers = people.column("id_number").to_pylist()
    numbers[at] = "6211**********0012"  # masked, and without its sealed value
    people = people.set_column(people.column_names.index("id_number"), "id_number",
                               pa.array(numbers))  # fmt: skip
    person = people.column("id")[at].as_py()
    with EmbeddedBackend(tmp_path / "store") as backend:
        backend.apply_schema()
        with pytest.raises(KeyProblem, match=f"person {person}: id_number is masked"):
            backend.write_nodes(Label.PERSON, people)
        assert backend._run("MATCH (p:Person) RETURN count(*) AS n", {}) == [{"n": 0}]
    assert not list(tmp_path.glob(".govgraph-sealing-*"))
