"""CURVE certificates in ZeroMQ's certificate file format (the ZPL layout of
czmq's zcert, which pyzmq reads and writes too): a public file NAME.key and a
secret file NAME.key_secret, each holding Z85-encoded keys."""

from __future__ import annotations

import datetime
import glob
import os
from typing import Optional, Union

import zmq
from zmq.utils import z85

__all__ = ["create_certificates", "load_certificate", "load_certificates"]

_PUBLIC_HEADER = """\
#   ****  Generated on {date} by pyzmq  ****
#   ZeroMQ CURVE public certificate.
#   Hand it to the peers that must recognise this key, over a channel
#   that protects it from tampering.
"""

_SECRET_HEADER = """\
#   ****  Generated on {date} by pyzmq  ****
#   ZeroMQ CURVE **secret** certificate.
#   Keep it private: anyone holding it can impersonate its owner.
"""

# A Z85 key is 40 characters for 32 bytes.
_Z85_KEY_LENGTH = 40


def _check_metadata(metadata: Optional[dict[str, str]]) -> dict[str, str]:
    if metadata is None:
        return {}
    checked = {}
    for key, value in dict(metadata).items():
        key, value = str(key), str(value)
        # A line break or '=' would change how every reader splits the line,
        # and a metadata entry named like a key would be read as that key.
        if not key or any(c in key for c in "=\r\n\t #") or key in ("public-key", "secret-key"):
            raise ValueError(f"invalid certificate metadata name: {key!r}")
        if any(c in value for c in "\r\n\""):
            raise ValueError(f"invalid certificate metadata value for {key!r}: {value!r}")
        checked[key] = value
    return checked


def _key_file_text(header: str, public_key: bytes, secret_key: Optional[bytes],
                   metadata: dict[str, str]) -> str:
    lines = [header.format(date=datetime.datetime.now()), "metadata"]
    lines += [f"    {key} = {value}" for key, value in metadata.items()]
    lines.append("curve")
    lines.append(f'    public-key = "{public_key.decode("ascii")}"')
    if secret_key is not None:
        lines.append(f'    secret-key = "{secret_key.decode("ascii")}"')
    return "\n".join(lines) + "\n"


def _write(path: str, text: str, private: bool = False) -> None:
    if not private:
        with open(path, "w", encoding="ascii") as f:
            f.write(text)
        return
    # The mode is set before the key is written: a chmod afterwards would leave
    # a moment where it is readable by others (also when overwriting a file).
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with open(fd, "w", encoding="ascii") as f:
        os.fchmod(fd, 0o600)
        f.write(text)


def create_certificates(key_dir: Union[str, os.PathLike[str]], name: str,
                        metadata: Optional[dict[str, str]] = None) -> tuple[str, str]:
    """Create a new CURVE key pair as two certificate files in key_dir:
    name.key (public key only) and name.key_secret (both keys, readable by
    the owner only). metadata (names to str values) is written to both.

    Returns (public_file, secret_file)."""
    meta = _check_metadata(metadata)
    public_key, secret_key = zmq.curve_keypair()
    base = os.path.join(os.fspath(key_dir), name)
    public_file = base + ".key"
    secret_file = base + ".key_secret"
    _write(public_file, _key_file_text(_PUBLIC_HEADER, public_key, None, meta))
    _write(secret_file, _key_file_text(_SECRET_HEADER, public_key, secret_key, meta), private=True)
    return public_file, secret_file


def _check_key(filename: Union[str, os.PathLike[str]], field: str, value: bytes) -> bytes:
    if len(value) != _Z85_KEY_LENGTH:
        raise ValueError(
            f"Invalid {field} in certificate {os.fspath(filename)!r}: expected "
            f"{_Z85_KEY_LENGTH} Z85 characters, got {len(value)}"
        )
    try:
        z85.decode(value)
    except Exception:
        raise ValueError(
            f"Invalid {field} in certificate {os.fspath(filename)!r}: not Z85 text"
        ) from None
    return value


def load_certificate(filename: Union[str, os.PathLike[str]]) -> tuple[bytes, Optional[bytes]]:
    """Read a certificate file: (public_key, secret_key) as Z85 bytes, with
    secret_key None for a public certificate.

    OSError if the file does not exist; ValueError if it holds no public key,
    a key that is not 40 Z85 characters, two different values for one key,
    or a secret key that does not belong to the public key."""
    if not os.path.exists(filename):
        raise OSError(f"Invalid certificate file: {os.fspath(filename)}")
    found: dict[bytes, bytes] = {}
    with open(filename, "rb") as f:
        for raw in f:
            line = raw.strip()
            if not line or line.startswith(b"#") or b"=" not in line:
                continue
            name, _, value = line.partition(b"=")
            name = name.strip()
            if name not in (b"public-key", b"secret-key"):
                continue
            value = value.strip()
            if len(value) >= 2 and value[0] == value[-1] and value[:1] in (b'"', b"'"):
                value = value[1:-1]
            field = name.decode()
            if name in found and found[name] != value:
                raise ValueError(
                    f"Invalid certificate {os.fspath(filename)!r}: two different {field} values"
                )
            found[name] = _check_key(filename, field, value)
    public_key = found.get(b"public-key")
    secret_key = found.get(b"secret-key")
    if public_key is None:
        raise ValueError(f"No public key found in {os.fspath(filename)}")
    if secret_key is not None and zmq.curve_public(secret_key) != public_key:
        raise ValueError(
            f"Invalid certificate {os.fspath(filename)!r}: secret-key does not match public-key"
        )
    return public_key, secret_key


def load_certificates(directory: Union[str, os.PathLike[str]] = ".") -> dict[bytes, bool]:
    """The public keys of all public certificates (*.key) in directory, as
    {public_key: True}: the form Authenticator.certs holds per domain.

    OSError if directory is not a directory; the errors of load_certificate
    for a bad file (naming it)."""
    if not os.path.isdir(directory):
        raise OSError(f"Invalid certificate directory: {os.fspath(directory)}")
    keys = {}
    for path in sorted(glob.glob(os.path.join(glob.escape(os.fspath(directory)), "*.key"))):
        public_key, _ = load_certificate(path)
        keys[public_key] = True
    return keys
