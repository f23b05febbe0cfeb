"""Z85: ZeroMQ's printable encoding of binary data (RFC 32/Z85), used for CURVE keys.

Every 4 bytes become 5 characters; the input length must be a multiple of 4
(encode) or 5 (decode), else ValueError. Characters outside the alphabet raise
Z85DecodeError, which is both a ValueError and (as in pyzmq) a KeyError; a
group too large for 4 bytes raises Z85GroupOverflow, a Z85DecodeError that is
also the struct.error pyzmq raises there.
"""

from __future__ import annotations

import struct

__all__ = ["encode", "decode", "Z85DecodeError"]


class Z85DecodeError(ValueError, KeyError):
    """A character outside the Z85 alphabet, or a group too large for 4 bytes."""

    def __str__(self) -> str:
        return ValueError.__str__(self)


class Z85GroupOverflow(Z85DecodeError, struct.error):
    """Five Z85 characters whose value does not fit in 4 bytes."""


Z85CHARS = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#"
Z85MAP = {c: i for i, c in enumerate(Z85CHARS)}
_POWERS = [85**i for i in range(4, -1, -1)]


def encode(rawbytes: bytes | bytearray | memoryview) -> bytes:
    """Z85 text (bytes) of binary data whose length is a multiple of 4."""
    if isinstance(rawbytes, (int, str)):
        # bytes(4) would be four zero bytes, and a str has no bytes yet.
        raise TypeError(f"expected bytes, not {type(rawbytes).__name__}")
    rawbytes = bytes(rawbytes)
    if len(rawbytes) % 4:
        raise ValueError(f"length must be a multiple of 4, not {len(rawbytes)}")
    out = bytearray()
    for (value,) in struct.iter_unpack(">I", rawbytes):
        out += bytes(Z85CHARS[(value // p) % 85] for p in _POWERS)
    return bytes(out)


def decode(z85bytes: str | bytes | bytearray | memoryview) -> bytes:
    """The binary data of Z85 text (str or bytes) whose length is a multiple of 5."""
    if isinstance(z85bytes, str):
        try:
            z85bytes = z85bytes.encode("ascii")
        except UnicodeEncodeError:
            raise Z85DecodeError("Z85 text must be ASCII") from None
    z85bytes = bytes(z85bytes)
    if len(z85bytes) % 5:
        raise ValueError(f"Z85 length must be a multiple of 5, not {len(z85bytes)}")
    values = []
    for i in range(0, len(z85bytes), 5):
        value = 0
        for c in z85bytes[i:i + 5]:
            digit = Z85MAP.get(c)
            if digit is None:
                raise Z85DecodeError(f"invalid Z85 character {chr(c)!r}")
            value = value * 85 + digit
        if value > 0xFFFFFFFF:
            raise Z85GroupOverflow(f"invalid Z85 group {z85bytes[i:i + 5]!r}")
        values.append(value)
    return struct.pack(f">{len(values)}I", *values)
