"""CURVE certificates in ZeroMQ's certificate file format (as czmq's zcert and
pyzmq write them): a public file NAME.key and a secret file NAME.key_secret."""

from __future__ import annotations

import datetime
import glob
import os
from typing import Optional, Union

import zmq

__all__ = ["create_certificates", "load_certificate", "load_certificates"]

_PUBLIC_BANNER = """#   ****  Generated on {0} by pyzmq  ****
#   ZeroMQ CURVE Public Certificate
#   Exchange securely, or use a secure mechanism to verify the contents
#   of this file after exchange. Store public certificates in your home
#   directory, in the .curve subdirectory.
"""

_SECRET_BANNER = """#   ****  Generated on {0} by pyzmq  ****
#   ZeroMQ CURVE **Secret** Certificate
#   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions.
"""


def _write_key_file(path: str, banner: str, public_key: bytes, secret_key: Optional[bytes] = None,
                    metadata: Optional[dict[str, str]] = None) -> None:
    lines = [banner.format(datetime.datetime.now()), "metadata"]
    for key, value in (metadata or {}).items():
        lines.append(f"    {key} = {value}")
    lines.append("curve")
    lines.append(f'    public-key = "{public_key.decode("ascii")}"')
    if secret_key is not None:
        lines.append(f'    secret-key = "{secret_key.decode("ascii")}"')
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def create_certificates(key_dir: Union[str, os.PathLike], name: str,
                        metadata: Optional[dict[str, str]] = None) -> tuple[str, str]:
    """Write a new CURVE key pair to key_dir/name.key (public) and
    key_dir/name.key_secret (secret, readable by the owner only); return both
    paths. metadata (str to str) goes into both files."""
    public_key, secret_key = zmq.curve_keypair()
    base = os.path.join(key_dir, name)
    public_file = f"{base}.key"
    secret_file = f"{base}.key_secret"
    _write_key_file(public_file, _PUBLIC_BANNER, public_key, metadata=metadata)
    _write_key_file(secret_file, _SECRET_BANNER, public_key, secret_key=secret_key, metadata=metadata)
    os.chmod(secret_file, 0o600)
    return public_file, secret_file


def load_certificate(filename: Union[str, os.PathLike]) -> tuple[bytes, Optional[bytes]]:
    """The (public_key, secret_key) of a certificate file; secret_key is None
    for a public certificate. OSError if the file is missing, ValueError if it
    holds no public key."""
    if not os.path.exists(filename):
        raise OSError(f"Invalid certificate file: {filename}")
    public_key = secret_key = None
    with open(filename, "rb") as f:
        for raw in f:
            line = raw.strip()
            if line.startswith(b"#") or b"=" not in line:
                continue
            key, _, value = line.partition(b"=")
            key = key.strip()
            value = value.strip().strip(b'"').strip(b"'")
            if key == b"public-key":
                public_key = value
            elif key == b"secret-key":
                secret_key = value
    if public_key is None:
        raise ValueError(f"No public key found in {filename}")
    return public_key, secret_key


def load_certificates(directory: Union[str, os.PathLike] = ".") -> dict[bytes, bool]:
    """The public keys of every *.key certificate in directory, as a dict
    {public_key: True} (the form Authenticator.configure_curve takes)."""
    if not os.path.isdir(directory):
        raise OSError(f"Invalid certificate directory: {directory}")
    keys = {}
    for path in glob.glob(os.path.join(glob.escape(os.fspath(directory)), "*.key")):
        public_key, _ = load_certificate(path)
        keys[public_key] = True
    return keys
