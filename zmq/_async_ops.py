"""Non-blocking operations on the compiled core, shared by the async layers.

zmq.asyncio and zmq.eventloop (through zmq._future and zmq._socket_watch) and
zmq.green all work the same way: try the libzmq call with DONTWAIT, and wait
for the socket only when it raises zmq.Again. This module holds what they
share for that: the constants as plain ints, the compiled core's methods, and
operations that each perform one request without blocking.

The core methods are taken from the compiled class rather than looked up on
the socket: a subclass may override send/recv (zmq.asyncio.Socket.send returns
a future), and the operations must reach libzmq whatever the subclass. As
module globals they cost one dict lookup per call on the hot paths.
"""

from __future__ import annotations

import pickle

from zmq import backend, constants
from zmq.sugar.tracker import MessageTracker
from zmq.utils import jsonapi

__all__ = [
    "DONTWAIT", "SNDMORE", "POLLIN", "POLLOUT", "POLLERR", "EVENTS", "FD", "RCVTIMEO",
    "SNDTIMEO", "EAGAIN", "ENOTSOCK", "ENOTSUP",
    "CoreSocket", "core_send", "core_recv", "core_send_multipart", "core_recv_multipart",
    "core_recv_into", "core_get", "core_zmq_poll",
    "send_with_options", "send_parts", "recv_string", "recv_json", "recv_pyobj",
    "recv_serialized", "recv_into", "check_parts", "fd_of",
]

# Plain ints: bit operations on enum members are many times slower.
DONTWAIT = int(constants.DONTWAIT)
SNDMORE = int(constants.SNDMORE)
POLLIN = int(constants.POLLIN)
POLLOUT = int(constants.POLLOUT)
POLLERR = int(constants.POLLERR)
EVENTS = int(constants.EVENTS)
FD = int(constants.FD)
RCVTIMEO = int(constants.RCVTIMEO)
SNDTIMEO = int(constants.SNDTIMEO)
EAGAIN = int(constants.EAGAIN)
ENOTSOCK = int(constants.ENOTSOCK)
ENOTSUP = int(constants.ENOTSUP)

CoreSocket = backend.Socket
core_send = backend.Socket.send
core_recv = backend.Socket.recv
core_send_multipart = backend.Socket.send_multipart
core_recv_multipart = backend.Socket.recv_multipart
core_recv_into = backend.Socket.recv_into
core_get = backend.Socket.get
core_zmq_poll = backend.zmq_poll


# ---------------------------------------------------------------- operations
# Each performs one request without blocking (flags already carry DONTWAIT)
# and raises zmq.Again when the socket is not ready.

def send_with_options(sock, data, flags, copy, track, kwargs):
    return core_send(sock, data, flags, copy, track, **kwargs)


def send_parts(sock, parts, flags, copy, track, kwargs):
    """Send a checked list of parts (see check_parts): all of them or none."""
    n = len(parts)
    if n == 1:
        result = core_send(sock, parts[0], flags, copy, track, **kwargs)
        return MessageTracker(result) if (track and not copy and result is not None) else None
    # Only the first part can meet a full pipe: libzmq's high-water mark counts
    # whole messages, so once it has taken the first part it takes the rest.
    # The rest goes without DONTWAIT for the one case where it would not (the
    # peer vanished mid-message), where libzmq then drops the remainder rather
    # than failing half-way.
    first = core_send(sock, parts[0], flags | SNDMORE, copy, track, **kwargs)
    rest_flags = flags & ~DONTWAIT
    if copy and not track and not kwargs:
        core_send_multipart(sock, parts[1:], rest_flags)
        return None
    trackers = [first]
    last = n - 1
    for i in range(1, n):
        trackers.append(core_send(sock, parts[i], rest_flags | SNDMORE if i < last else rest_flags,
                                  copy, track, **kwargs))
    if track and not copy:
        return MessageTracker(*[t for t in trackers if t is not None])
    return None


def recv_string(sock, flags, encoding):
    return core_recv(sock, flags).decode(encoding)


def recv_json(sock, flags, kwargs):
    return jsonapi.loads(core_recv(sock, flags), **kwargs)


def recv_pyobj(sock, flags):
    return pickle.loads(core_recv(sock, flags))


def recv_serialized(sock, deserialize, flags, copy):
    return deserialize(core_recv_multipart(sock, flags, copy))


def recv_into(sock, buf, nbytes, flags):
    return core_recv_into(sock, buf, nbytes=nbytes, flags=flags)


# ---------------------------------------------------------------- arguments

def check_parts(msg_parts) -> list:
    """The parts as a list, every one checked before anything is sent (a
    multipart message goes whole or not at all)."""
    parts = msg_parts if isinstance(msg_parts, list) else list(msg_parts)
    if not parts:
        raise IndexError("send_multipart needs at least one part")
    for i, part in enumerate(parts):
        if isinstance(part, (bytes, backend.Frame)):
            continue
        if isinstance(part, str):
            raise TypeError(f"Frame {i} ({part!r}) is a str: encode it, or use send_string")
        try:
            memoryview(part)
        except TypeError:
            raise TypeError(f"Frame {i} ({part!r}) does not support the buffer interface.") from None
    return parts


def fd_of(obj) -> int:
    """The file descriptor of a non-zmq item of a poll: an int, or an object
    with a fileno() method."""
    if isinstance(obj, int):
        return obj
    fileno = getattr(obj, "fileno", None)
    if not callable(fileno):
        raise TypeError(f"cannot poll {obj!r}: it is neither a zmq socket, an int fd, nor has a fileno() method")
    return fileno()
