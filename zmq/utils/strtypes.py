"""Python 2 era str/bytes helpers, kept for programs that still import them
(deprecated, as in pyzmq: use str.encode/bytes.decode)."""

from __future__ import annotations

import warnings

warnings.warn("zmq.utils.strtypes is deprecated in pyzmq 23.", DeprecationWarning, stacklevel=2)

bytes = bytes
unicode = str
basestring = (str,)


def cast_bytes(s: str | bytes, encoding: str = "utf8", errors: str = "strict") -> bytes:
    """s as bytes: str is encoded, bytes returned as they are."""
    if isinstance(s, bytes):
        return s
    if isinstance(s, str):
        return s.encode(encoding, errors)
    raise TypeError(f"Expected unicode or bytes, got {s!r}")


def cast_unicode(s: str | bytes, encoding: str = "utf8", errors: str = "strict") -> str:
    """s as str: bytes are decoded, str returned as it is."""
    if isinstance(s, bytes):
        return s.decode(encoding, errors)
    if isinstance(s, str):
        return s
    raise TypeError(f"Expected unicode or bytes, got {s!r}")


b = asbytes = cast_bytes
u = cast_unicode

__all__ = ["asbytes", "bytes", "unicode", "basestring", "b", "u", "cast_bytes", "cast_unicode"]
