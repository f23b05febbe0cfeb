"""Loading a backend: the compiled module that gives the zmq package its core."""

from __future__ import annotations

from importlib import import_module
from typing import Any

# What every backend provides to the rest of the package (pyzmq's list).
public_api = [
    "Context",
    "Socket",
    "Frame",
    "Message",
    "proxy",
    "proxy_steerable",
    "zmq_poll",
    "strerror",
    "zmq_errno",
    "has",
    "curve_keypair",
    "curve_public",
    "zmq_version_info",
    "IPC_PATH_MAX_LEN",
    "PYZMQ_DRAFT_API",
]

# What the rest of this package takes from the backend besides the public API.
private_api = [
    "monitored_queue",
    "Poller",
    "COPY_THRESHOLD",
    "CONSTANT_TABLE",
    "HAUSNUMERO",
    "interpreter_exiting",
    "_option_is_bytes",
]


def select_backend(name: str) -> dict[str, Any]:
    """Import the backend module `name` and return the namespace it gives the
    package: the public API and the private names the package itself uses."""
    try:
        mod = import_module(name)
    except ImportError:
        raise
    except Exception as e:
        raise ImportError(f"Importing {name} failed with {e}") from e
    return {key: getattr(mod, key) for key in public_api + private_api}
