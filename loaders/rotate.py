"""``govgraph key rotate``: every sealed ID number and phone re-sealed under a new key.

The new key is written to its file (mode 0600) before anything is sealed with it; then, in
one write transaction, every person's values are opened with the old key, sealed with the
new one (their blind index recomputed) and the store's key fingerprint set to the new key's.
A rotation killed before the commit leaves the store under the old key; after it, under the
new one; never some people under each. The embedded store's file is then rewritten
(:meth:`~govgraph.backends.base.GraphBackend.compact`), so the old ciphertexts are not left
in freed pages. The old key file stays unless ``remove_old``: a copy or backup of the store
made before still needs it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..backends._arrow import node_table
from ..backends.base import GraphBackend
from ..keys import key_dir, new_key
from ..schema.model import Label

__all__ = ["Rotation", "rotate_key"]


@dataclass
class Rotation:
    old: str
    new: str
    key_file: str
    people: int
    removed_old: bool


def rotate_key(
    backend: GraphBackend, *, new_key_file: Path | None = None, remove_old: bool = False
) -> Rotation:
    """Re-seal the store's personal data under a new key (see the module docstring)."""
    old = backend.personal_data_key()  # the store's own, or a one-line refusal
    new = new_key(new_key_file)
    people = 0

    def reseal() -> None:
        nonlocal people
        rows = backend.every_node(Label.PERSON)
        opened = backend.reveal(rows, person="id")  # with the old key
        backend.use_key(new)  # what the write below seals with
        table = node_table(Label.PERSON, opened)
        if table.num_rows:
            backend.write_nodes(Label.PERSON, table)
        backend.record_key_fingerprint(new.fingerprint)
        backend.mark_residue()  # the old ciphertexts stay in freed pages until compacted
        people = table.num_rows

    try:
        backend.atomic(reseal)
    except BaseException:
        backend.use_key(None)
        raise
    if backend.residue():
        backend.compact()
    removed = False
    old_file = Path(old.source)
    in_key_dir = old_file.parent.resolve() == key_dir().resolve()
    if remove_old and in_key_dir and old_file.name == f"{old.fingerprint}.key":
        old_file.unlink(missing_ok=True)
        removed = True
    return Rotation(old.fingerprint, new.fingerprint, new.source, people, removed)
