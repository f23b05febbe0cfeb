"""pyzmq's Python classes over the compiled backend: Context, Socket, Frame,
MessageTracker, Poller and friends, each in the module pyzmq keeps it in."""

from __future__ import annotations

from typing import Any

from zmq import error
from zmq.backend import proxy
from zmq.error import *  # noqa: F401,F403
from zmq.sugar import context, frame, poll, socket, stopwatch, tracker, version
from zmq.sugar.context import *  # noqa: F401,F403
from zmq.sugar.frame import *  # noqa: F401,F403
from zmq.sugar.poll import *  # noqa: F401,F403
from zmq.sugar.socket import *  # noqa: F401,F403
from zmq.sugar.stopwatch import Stopwatch
from zmq.sugar.tracker import *  # noqa: F401,F403
from zmq.sugar.version import *  # noqa: F401,F403


def device(device_type: int, frontend: socket.Socket[Any], backend: socket.Socket[Any]) -> int:
    """The older name of zmq.proxy: forward messages between frontend and
    backend until the context is terminated. device_type (zmq.QUEUE,
    zmq.FORWARDER, zmq.STREAMER) is accepted for compatibility; libzmq treats
    all alike."""
    return proxy(frontend, backend)


# Spelled out (the submodules' __all__ in order) so that type checkers can read it.
__all__ = [
    "device",
    # context
    "Context",
    "SyncContext",
    # error
    "DraftFDWarning",
    "ZMQBaseError",
    "ZMQBindError",
    "ZMQError",
    "NotDone",
    "ContextTerminated",
    "InterruptedSystemCall",
    "Again",
    "ZMQVersionError",
    # frame
    "Frame",
    "Message",
    # poll
    "Poller",
    "select",
    # socket
    "Socket",
    "SyncSocket",
    # tracker
    "MessageTracker",
    "_FINISHED_TRACKER",
    # version
    "zmq_version",
    "zmq_version_info",
    "pyzmq_version",
    "pyzmq_version_info",
    "__version__",
    "__revision__",
    # stopwatch
    "Stopwatch",
]
