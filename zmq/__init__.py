"""Python bindings for ZeroMQ, carrying their own statically linked libzmq.

The API is pyzmq's: Context, Socket, Frame, Poller, the constants and errors.
"""

from __future__ import annotations

import os as _os

from zmq import backend as _backend
from zmq.error import *  # noqa: F401,F403
from zmq.error import __all__ as _error_all
from zmq.constants import *  # noqa: F401,F403
from zmq.constants import __all__ as _constants_all
from zmq.backend import (
    COPY_THRESHOLD,
    Frame,
    MessageTracker,
    curve_keypair,
    curve_public,
    device,
    has,
    proxy,
    proxy_steerable,
    strerror,
    zmq_errno,
)
from zmq.socket import Socket
from zmq.context import Context
from zmq.poll import Poller, select
from zmq.version import __version__, pyzmq_version, pyzmq_version_info, zmq_version, zmq_version_info
from zmq import utils  # noqa: F401

Message = Frame

# Whether libzmq's draft API (SERVER/CLIENT, RADIO/DISH, join/leave, routing ids)
# is available in this build.
DRAFT_API = bool(_backend.IS_DRAFT_BUILD and has("draft"))

def _installed_root() -> str:
    # Where the build installed its files (headers, static libraries). The same
    # as the package directory, except in an editable install, where the
    # Python sources stay in the source tree.
    from zmq import _build_info

    return _os.path.dirname(_os.path.abspath(_build_info.__file__))


def get_includes() -> list:
    """Include directories for building an extension against this package:
    the one holding zmq.h and zmq_utils.h, and the parent of the package (for
    `cimport zmq`)."""
    return [_os.path.join(_installed_root(), "include"), _os.path.dirname(_os.path.dirname(_os.path.abspath(__file__)))]


def get_library_dirs() -> list:
    """Library directories holding the libzmq this package uses: its bundled
    static libzmq.a and libsodium.a, or, for a build against an installed
    libzmq, that library's directory."""
    from zmq import _build_info

    if _build_info.LINK_MODE == "bundled":
        return [_os.path.join(_installed_root(), "lib")]
    return list(_build_info.SYSTEM_LIBRARY_DIRS)


__all__ = (
    [
        "Context", "Socket", "Frame", "Message", "MessageTracker", "Poller", "select",
        "device", "proxy", "proxy_steerable", "curve_keypair", "curve_public", "has",
        "strerror", "zmq_errno", "zmq_version", "zmq_version_info", "pyzmq_version",
        "pyzmq_version_info", "get_includes", "get_library_dirs", "COPY_THRESHOLD",
        "DRAFT_API",
    ]
    + list(_error_all)
    + list(_constants_all)
)
