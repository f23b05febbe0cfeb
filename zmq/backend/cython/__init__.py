"""The Cython backend: one extension module, _zmq, linking the bundled libzmq."""

import os as _os
import sys as _sys

# Loaded with RTLD_GLOBAL so that extensions compiled against zmq.get_includes()
# resolve their zmq_* calls to the libzmq inside the backend (it exports only
# libzmq's C API), sharing one libzmq with this package.
_flags = _sys.getdlopenflags() if hasattr(_sys, "getdlopenflags") else None
if _flags is not None and hasattr(_os, "RTLD_GLOBAL"):
    _sys.setdlopenflags(_flags | _os.RTLD_GLOBAL)
try:
    from zmq.backend.cython import _zmq
finally:
    if _flags is not None:
        _sys.setdlopenflags(_flags)

from zmq.backend.cython._zmq import (  # noqa: E402
    CONSTANT_TABLE,
    COPY_THRESHOLD,
    HAUSNUMERO,
    IPC_PATH_MAX_LEN,
    PYZMQ_DRAFT_API,
    Context,
    Frame,
    Poller,
    Socket,
    _option_is_bytes,
    curve_keypair,
    curve_public,
    has,
    interpreter_exiting,
    monitored_queue,
    proxy,
    proxy_steerable,
    strerror,
    zmq_errno,
    zmq_poll,
    zmq_version_info,
)

Message = Frame

__all__ = [
    "Message", "IPC_PATH_MAX_LEN", "PYZMQ_DRAFT_API", "Context", "Socket", "Frame", "has",
    "curve_keypair", "curve_public", "zmq_version_info", "zmq_errno", "zmq_poll", "strerror",
    "proxy", "proxy_steerable",
]
