"""Many people sealed on every core, into Parquet files the engine copies from.

Sealing is Python per value: an AES-GCM seal of each ID number and phone and an HMAC of
each ID number, about 4.5 µs a person on one core, so a million households' 3.7 million
people took 16.5 s of a 48 s load in the writing process (measured at L), and their sealed
values, some 0.9 GB, sat in its memory beside the engine's while it copied them. Here worker
processes seal a slice each and write it to a Parquet file: the sealing takes every core,
and the sealed values never gather in the writing process. LadybugDB copies from the files
as fast as from memory (3.55 s against 3.83 for 741,000 people, measured side by side), in
one COPY: copied in slices, into a table that already holds rows, the same people took
three times as long.

The files hold what the store holds (ID numbers and phones masked, sealed beside), in a
temporary directory beside the store, removed once copied.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pyarrow as pa

from .. import errors
from ..errors import StoreError
from ..keys import Key

__all__ = ["PARALLEL_PEOPLE", "Sealed", "cores", "sealed_files"]

#: fewer new people than this are sealed in the writing process: starting the workers
#: (a fresh interpreter each, 0.23 s measured) would cost more than it saves
PARALLEL_PEOPLE = 200_000
#: people a worker seals and writes at a time
SLICE = 100_000


def cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


@dataclass
class Sealed:
    """What :func:`sealed_files` made: the Cypher list of the files' paths, and the largest
    peak memory of a worker (MiB, its own since it started)."""

    files: str
    peak_mib: float


@contextmanager
def sealed_files(people: pa.Table, key: Key, beside: Path) -> Iterator[Sealed]:
    """``people`` (a Person table as written, ID numbers and phones in full) sealed on every
    core into Parquet files in a temporary directory under ``beside``, conformed to the
    Person table, for a COPY while the block runs; the files go when it ends. A worker's
    error (a masked value without its sealed one) is raised here, and the slices not yet
    sealed are dropped."""
    with tempfile.TemporaryDirectory(prefix=".govgraph-sealing-", dir=beside) as tmp:
        paths, peak = _seal_all(people, key, Path(tmp))
        yield Sealed("[" + ", ".join(_quoted(str(p)) for p in paths) + "]", peak)


def _quoted(text: str) -> str:
    """``text`` as a Cypher string literal."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _seal_all(people: pa.Table, key: Key, directory: Path) -> tuple[list[Path], float]:
    """Seal ``people`` slice by slice, as many workers at once as there are cores: each
    worker a process of its own, fed by a thread of this one that takes the next slice."""
    starts = list(range(0, people.num_rows, SLICE))
    paths = [directory / f"people-{i:05d}.parquet" for i in range(len(starts))]
    taken = iter(range(len(starts)))
    lock, failed = threading.Lock(), threading.Event()

    def feed() -> float:
        with _Worker(key) as worker:
            while not failed.is_set():
                with lock:
                    i = next(taken, None)
                if i is None:
                    return worker.peak_mib
                try:
                    worker.seal(people.slice(starts[i], SLICE), paths[i])
                except BaseException:
                    failed.set()  # the other workers stop after their slice
                    raise
            return worker.peak_mib

    workers = max(1, min(cores(), len(starts)))
    with ThreadPoolExecutor(workers, thread_name_prefix="govgraph-seal") as pool:
        peaks = [future.result() for future in [pool.submit(feed) for _ in range(workers)]]
    return paths, max(peaks)


class _Worker:
    """A process that seals slices (``python -m govgraph.backends._sealing``), given the key
    once, then each slice as Arrow IPC bytes and the file to write, over its standard input.
    Started as a command of its own, not through :mod:`multiprocessing`, whose spawned
    children would first run the caller's main script again."""

    def __init__(self, key: Key) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", __name__], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.to, self.back = self.process.stdin, self.process.stdout
        _send(self.to, (key.material, key.source))
        self.peak_mib = 0.0

    def seal(self, table: pa.Table, path: Path) -> int:
        _send(self.to, (_stream(table), str(path)))
        reply = _receive(self.back)
        if reply is None:
            raise StoreError(
                f"a worker sealing personal data stopped (exit status {self.process.wait()})"
            )
        if reply[0] == "error":
            kind = getattr(errors, reply[1], None)
            if isinstance(kind, type) and issubclass(kind, errors.GovgraphError):
                raise kind(reply[2])
            raise StoreError(f"a worker sealing personal data failed: {reply[2]}")
        self.peak_mib = max(self.peak_mib, reply[2])
        return int(reply[1])

    def __enter__(self) -> _Worker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.to.close()  # end of input: the worker returns
        status = self.process.wait(timeout=60)
        self.back.close()
        if status != 0 and exc[0] is None:
            raise StoreError(f"a worker sealing personal data exited {self.process.returncode}")


def _send(stream: IO[bytes], message: Any) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(len(data).to_bytes(8, "little") + data)
    stream.flush()


def _receive(stream: IO[bytes]) -> Any:
    """The next message, or None at the end of the stream."""
    head = stream.read(8)
    if len(head) < 8:
        return None
    return pickle.loads(stream.read(int.from_bytes(head, "little")))  # our own child's


def _stream(table: pa.Table) -> bytes:
    """``table`` as Arrow IPC bytes: a slice's own rows only (pickling a slice of a table
    would carry its whole buffers: 33 MB for 1,000 rows of a million, measured)."""
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def _own_peak_mib() -> float:
    """This process's peak resident memory since it started, in MiB: the kernel's VmHWM
    (``ru_maxrss`` would count the writing process's pages, shared for a moment between
    fork and exec)."""
    with suppress(OSError, StopIteration, ValueError), open("/proc/self/status") as status:
        line = next(x for x in status if x.startswith("VmHWM:"))
        return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _serve() -> None:
    """A worker: the key, then slices to seal until the input ends; each answered with
    ``("ok", rows, peak MiB)`` or ``("error", kind, message)``."""
    import pyarrow.parquet as pq

    from ..privacy import seal_people
    from ..schema.model import Label
    from ._arrow import conform_nodes

    given, answer = sys.stdin.buffer, sys.stdout.buffer
    first = _receive(given)
    if first is None:
        return
    key = Key(*first)
    while (job := _receive(given)) is not None:
        data, path = job
        try:
            table = pa.ipc.open_stream(data).read_all()
            sealed = conform_nodes(Label.PERSON, seal_people(table, lambda: key))
            pq.write_table(sealed, path, compression="none")
            _send(answer, ("ok", sealed.num_rows, _own_peak_mib()))
        except Exception as exc:  # told to the writing process
            _send(answer, ("error", type(exc).__name__, str(exc)))


if __name__ == "__main__":
    _serve()
