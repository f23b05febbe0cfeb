"""zmq.eventloop.ioloop's names, for gevent programs: tornado's IOLoop."""

from zmq.eventloop.ioloop import *  # noqa: F401,F403
from zmq.eventloop.ioloop import IOLoop, PeriodicCallback, ZMQIOLoop, install  # noqa: F401
from zmq.eventloop.ioloop import __all__  # noqa: F401
