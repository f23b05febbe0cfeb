"""Awaitable zmq sockets for tornado: the zmq.asyncio API, with tornado's
IOLoop as the loop to use outside a running loop (`io_loop=` at creation, else
IOLoop.current()). In tornado 6 a tornado Future is an asyncio Future, so the
futures returned work with both `await` and tornado's gen utilities."""

from __future__ import annotations

from asyncio import CancelledError

from tornado.concurrent import Future
from tornado.ioloop import IOLoop

from zmq._future import _AsyncContext, _AsyncPoller, _AsyncSocket

__all__ = ["Context", "Socket", "Poller", "Future", "CancelledError"]


def _asyncio_loop_of(io_loop):
    # A tornado IOLoop wraps an asyncio loop; a bare asyncio loop is accepted too.
    return getattr(io_loop, "asyncio_loop", io_loop)


class Socket(_AsyncSocket):
    """A zmq socket whose send/recv family return tornado (asyncio) futures."""

    @staticmethod
    def _loop_of(hint):
        return _asyncio_loop_of(hint)

    @staticmethod
    def _default_loop():
        return IOLoop.current().asyncio_loop


class Poller(_AsyncPoller):
    """A Poller whose poll() returns a tornado (asyncio) future."""

    _socket_class = Socket


class Context(_AsyncContext):
    """A Context whose sockets are zmq.eventloop.future.Socket."""

    _socket_class = Socket
    _instance = None
    _instance_pid = None
