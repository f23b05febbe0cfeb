"""JSON as bytes, the way send_json/recv_json put it on the wire."""

from __future__ import annotations

import json

__all__ = ["dumps", "loads"]


def dumps(obj, **kwargs) -> bytes:
    """obj as UTF-8 JSON bytes (kwargs go to json.dumps)."""
    return json.dumps(obj, **kwargs).encode("utf-8")


def loads(data, **kwargs):
    """Parse JSON from bytes or str. Invalid JSON raises ValueError
    (json.JSONDecodeError)."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        data = bytes(data).decode("utf-8")
    return json.loads(data, **kwargs)
