"""zmq with tornado: ZMQStream (callbacks on a socket) in zmq.eventloop.zmqstream,
tornado-flavoured awaitable sockets in zmq.eventloop.future. Needs tornado 6,
whose IOLoop runs on asyncio."""

from zmq.eventloop.ioloop import IOLoop

__all__ = ["IOLoop"]
