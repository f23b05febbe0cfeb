# Type declarations for zmq.eventloop.future: the awaitable sockets of
# zmq.asyncio (see zmq/asyncio.pyi), with tornado's IOLoop as the default loop.

from asyncio import CancelledError as CancelledError
from typing import Any

from tornado.concurrent import Future as Future

import zmq
from zmq.asyncio import _AwaitablePoller, _AwaitableSocket

__all__ = ["Context", "Socket", "Poller", "Future", "CancelledError"]

class Socket(_AwaitableSocket):
    """A zmq socket whose send/recv family return tornado (asyncio) futures."""

class Poller(_AwaitablePoller):
    """A Poller whose poll() returns a tornado (asyncio) future."""

    _socket_class: type[Socket]

class Context(zmq.Context[Socket]):
    """A Context whose sockets are zmq.eventloop.future.Socket."""

    _socket_class: type[Socket]  # type: ignore[assignment]
    def __init__(
        self,
        io_threads: int | zmq.Context[Any] = 1,
        shadow: zmq.Context[Any] | int = 0,
    ) -> None: ...
