"""tornado's IOLoop, under the names old pyzmq code imports it by.

Since tornado 5 the IOLoop runs on asyncio and zmq sockets need no special
loop; `install()` and `ZMQIOLoop` remain for code that still uses them."""

import warnings as _warnings

from tornado.ioloop import IOLoop, PeriodicCallback
from tornado.util import TimeoutError

__all__ = ["IOLoop", "PeriodicCallback", "TimeoutError", "ZMQIOLoop", "install"]

ZMQIOLoop = IOLoop


def install() -> None:
    """Does nothing: kept for old code. tornado's own IOLoop handles zmq sockets."""
    _warnings.warn("zmq.eventloop.ioloop.install is not needed: tornado's IOLoop works as it is",
                   DeprecationWarning, stacklevel=2)
