"""ZMQStream for gevent programs: callbacks on a zmq.green socket (or a plain
one) in tornado's IOLoop.

The stream itself only ever reads and writes without blocking, so a green
socket works as a plain one does; the green socket stays usable from other
greenlets (e.g. to close it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zmq.eventloop import zmqstream

if TYPE_CHECKING:  # pragma: no cover
    import zmq
    from tornado.ioloop import IOLoop

__all__ = ["ZMQStream"]


class ZMQStream(zmqstream.ZMQStream):
    """zmq.eventloop.zmqstream.ZMQStream, for zmq.green sockets."""

    def __init__(self, socket: zmq.Socket[Any], io_loop: IOLoop | None = None) -> None:
        super().__init__(socket, io_loop=io_loop)
