"""zmq for asyncio: sockets whose send/recv family return awaitables.

    import zmq, zmq.asyncio

    ctx = zmq.asyncio.Context()
    sock = ctx.socket(zmq.PULL)
    msg = await sock.recv()

Works with any asyncio event loop (the default one, uvloop, one per thread).
A socket follows the loop it is used from: after one loop is closed, the next
running loop takes it over. A loop that cannot watch file descriptors (the
proactor loop, Windows' default) gets a selector thread from tornado to do it,
with a ProactorSelectorThreadWarning; without tornado such a loop cannot be
used (RuntimeError).
"""

from __future__ import annotations

import asyncio as _asyncio
import warnings as _warnings

from zmq._future import _AsyncContext, _AsyncPoller, _AsyncSocket

__all__ = ["Context", "Socket", "Poller", "ZMQEventLoop", "install"]


class ProactorSelectorThreadWarning(RuntimeWarning):
    """Warned once for each event loop without add_reader (asyncio's proactor
    loop, the default on Windows) in which zmq sockets are used: a selector
    thread watches their file descriptors for it. A selector event loop needs
    no such thread."""


class Socket(_AsyncSocket):
    """A zmq socket for asyncio: recv, send and their variants, and poll,
    return futures. `Socket.from_socket(sync_socket)` wraps a plain socket."""


class Poller(_AsyncPoller):
    """A Poller whose poll() returns a future (asyncio)."""

    _socket_class = Socket


class Context(_AsyncContext):
    """A Context whose sockets are zmq.asyncio.Socket. Context(other_context)
    wraps an existing (e.g. plain) context without owning it."""

    _socket_class = Socket
    _instance = None
    _instance_pid = None


# The selector loop is what pyzmq once needed; any loop works now.
ZMQEventLoop = _asyncio.SelectorEventLoop


def install() -> None:
    """Does nothing: kept for old code. Any asyncio loop works."""
    _warnings.warn("zmq.asyncio.install is not needed: any asyncio event loop works",
                   DeprecationWarning, stacklevel=2)
