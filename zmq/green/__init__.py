"""zmq for gevent: `import zmq.green as zmq`.

The same namespace as zmq (constants, errors, Frame, ...), with Context,
Socket, Poller, select, zmq_poll, proxy and device that yield to other
greenlets where the plain ones would block."""

from zmq import *  # noqa: F401,F403
from zmq import __all__ as _zmq_all
from zmq import utils  # noqa: F401
from zmq.green.core import _Context as Context
from zmq.green.core import _Socket as Socket
from zmq.green.device import device, proxy, proxy_steerable
from zmq.green.poll import _Poller as Poller
from zmq.green.poll import select, zmq_poll

__all__ = list(_zmq_all) + ["zmq_poll"]
