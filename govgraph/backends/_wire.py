"""The control protocol between a served store's server and the other commands.

A request body is one Arrow IPC stream: the table a call carries (nodes or
relationships to write, ids to fetch; an empty table when it carries none) with
the call's other arguments as JSON in the schema metadata. A reply is an Arrow
IPC stream for calls that answer a table, JSON otherwise. JSON tags dates, so
rows come back with the types the engine gave them.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pyarrow as pa

__all__ = ["ARROW", "CALLS", "decode_json", "encode_json", "pack", "unpack"]

ARROW = "application/vnd.apache.arrow.stream"
#: the backend methods the control route runs; the value says whether the answer is a table
CALLS = {
    "run": False,
    "read_only": False,
    "apply_schema": False,
    "write_nodes": False,
    "write_relationships": False,
    "counts": False,
    "model_version": False,
    "key_fingerprint": False,
    "fetch_nodes": True,
    "fetch_relationships": True,
    "nodes_in_area": True,
    "relationships_in_area": True,
}


def _tag(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    raise TypeError(f"cannot send {type(value).__name__} to the server")


def _untag(obj: dict[str, Any]) -> Any:
    if len(obj) == 1:
        if "$date" in obj:
            return dt.date.fromisoformat(obj["$date"])
        if "$datetime" in obj:
            return dt.datetime.fromisoformat(obj["$datetime"])
    return obj


def encode_json(value: Any) -> bytes:
    return json.dumps(value, default=_tag, ensure_ascii=False).encode("utf-8")


def decode_json(data: bytes) -> Any:
    return json.loads(data, object_hook=_untag)


def pack(args: dict[str, Any], table: pa.Table | None = None) -> bytes:
    """One call's body: ``table`` (or an empty one) with ``args`` in its metadata."""
    table = table if table is not None else pa.table({})
    table = table.replace_schema_metadata({b"args": encode_json(args)})
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return bytes(sink.getvalue())


def unpack(data: bytes) -> tuple[dict[str, Any], pa.Table]:
    """The inverse of :func:`pack`; a reply table comes back without metadata."""
    table = pa.ipc.open_stream(pa.py_buffer(data)).read_all()
    meta = table.schema.metadata or {}
    args = decode_json(meta[b"args"]) if b"args" in meta else {}
    return args, table.replace_schema_metadata(None)
