"""zmq.eventloop for gevent programs: tornado's IOLoop, and a ZMQStream that
takes zmq.green sockets.

With gevent's monkey-patching (which makes asyncio's selector cooperative),
tornado's loop and its ZMQStreams run alongside other greenlets.
"""

from zmq.green.eventloop.ioloop import IOLoop

__all__ = ["IOLoop"]
