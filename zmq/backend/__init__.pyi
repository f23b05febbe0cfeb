# Type declarations for zmq.backend, which takes its names from the backend
# module at run time (see select.py); type checkers see the Cython backend's.

from zmq.backend.cython._zmq import (
    CONSTANT_TABLE as CONSTANT_TABLE,
    COPY_THRESHOLD as COPY_THRESHOLD,
    HAUSNUMERO as HAUSNUMERO,
    IPC_PATH_MAX_LEN as IPC_PATH_MAX_LEN,
    PYZMQ_DRAFT_API as PYZMQ_DRAFT_API,
    Context as Context,
    Frame as Frame,
    Message as Message,
    Poller as Poller,
    Socket as Socket,
    _option_is_bytes as _option_is_bytes,
    curve_keypair as curve_keypair,
    curve_public as curve_public,
    has as has,
    interpreter_exiting as interpreter_exiting,
    monitored_queue as monitored_queue,
    proxy as proxy,
    proxy_steerable as proxy_steerable,
    strerror as strerror,
    zmq_errno as zmq_errno,
    zmq_poll as zmq_poll,
    zmq_version_info as zmq_version_info,
)
from zmq.backend.select import public_api as public_api
from zmq.backend.select import select_backend as select_backend

__all__ = [
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
