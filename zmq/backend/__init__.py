"""The compiled core (zmq.backend._zmq) and what the rest of the package takes from it."""

from zmq.backend._zmq import (
    CONSTANT_TABLE,
    COPY_THRESHOLD,
    HAUSNUMERO,
    IS_DRAFT_BUILD,
    Context,
    Frame,
    MessageTracker,
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

__all__ = [
    "Context", "Socket", "Frame", "MessageTracker", "zmq_poll", "device", "proxy",
    "proxy_steerable", "curve_keypair", "curve_public", "has", "strerror", "zmq_errno",
    "zmq_version_info",
]
