"""Python bindings for ZeroMQ, carrying their own statically linked libzmq.

The API is pyzmq's: Context, Socket, Frame, Poller, the constants and errors.
"""

from __future__ import annotations

import os as _os

from zmq import backend, constants, error, sugar
from zmq.backend import *  # noqa: F401,F403
from zmq.constants import *  # noqa: F401,F403
from zmq.error import *  # noqa: F401,F403
from zmq.sugar import *  # noqa: F401,F403
from zmq import utils  # noqa: F401

COPY_THRESHOLD = backend.COPY_THRESHOLD

# Whether libzmq's draft API (SERVER/CLIENT, RADIO/DISH, join/leave, routing ids)
# is available in this build.
DRAFT_API = bool(backend.PYZMQ_DRAFT_API and has("draft"))


def _installed_root() -> str:
    # Where the build installed its files (headers, static libraries). The same
    # as the package directory, except in an editable install, where the
    # Python sources stay in the source tree.
    from zmq import _build_info

    return _os.path.dirname(_os.path.abspath(_build_info.__file__))


def get_includes() -> list[str]:
    """Include directories for building an extension against this package:
    the one holding zmq.h and zmq_utils.h, and the parent of the package (for
    `cimport zmq`)."""
    return [_os.path.join(_installed_root(), "include"), _os.path.dirname(_os.path.dirname(_os.path.abspath(__file__)))]


def get_library_dirs() -> list[str]:
    """Library directories holding the libzmq this package uses: its bundled
    static libzmq.a and libsodium.a, or, for a build against an installed
    libzmq, that library's directory."""
    from zmq import _build_info

    if _build_info.LINK_MODE == "bundled":
        return [_os.path.join(_installed_root(), "lib")]
    return list(_build_info.SYSTEM_LIBRARY_DIRS)


# In forms static analysis understands: the constants, zmq.sugar's names, then
# the backend's that zmq.sugar does not already export. Type checkers read
# __init__.pyi, which spells the whole list out.
__all__ = ["get_includes", "get_library_dirs", "COPY_THRESHOLD", "DRAFT_API"]
__all__ += constants.__all__
__all__ += sugar.__all__
__all__ += [
    "proxy",
    "proxy_steerable",
    "zmq_poll",
    "strerror",
    "zmq_errno",
    "has",
    "curve_keypair",
    "curve_public",
    "IPC_PATH_MAX_LEN",
    "PYZMQ_DRAFT_API",
]
