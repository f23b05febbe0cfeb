"""The compiled core (zmq.backend._zmq) and what the rest of the package takes from it."""

import os as _os
import sys as _sys

# Loaded with RTLD_GLOBAL so that extensions compiled against zmq.get_includes()
# resolve their zmq_* calls to the libzmq inside the backend (it exports only
# libzmq's C API), sharing one libzmq with this package.
_flags = _sys.getdlopenflags() if hasattr(_sys, "getdlopenflags") else None
if _flags is not None and hasattr(_os, "RTLD_GLOBAL"):
    _sys.setdlopenflags(_flags | _os.RTLD_GLOBAL)
try:
    from zmq.backend._zmq import (
        CONSTANT_TABLE,
        COPY_THRESHOLD,
        HAUSNUMERO,
        IS_DRAFT_BUILD,
        Context,
        Frame,
        MessageTracker,
        Poller,
        Socket,
        curve_keypair,
        curve_public,
        device,
        has,
        proxy,
        proxy_steerable,
        strerror,
        zmq_errno,
        zmq_poll,
        zmq_version_info,
    )
finally:
    if _flags is not None:
        _sys.setdlopenflags(_flags)

__all__ = [
    "Context", "Socket", "Frame", "MessageTracker", "Poller", "zmq_poll", "device", "proxy",
    "proxy_steerable", "curve_keypair", "curve_public", "has", "strerror", "zmq_errno",
    "zmq_version_info",
]
