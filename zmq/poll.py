"""Poller and select: wait for events on several sockets and file descriptors.

Poller is compiled (zmq/backend/poll.pxi): it keeps its poll items between
calls and answers from the sockets' EVENTS when it can, without a system call.
"""

from __future__ import annotations

from zmq import constants
from zmq.backend import Poller, zmq_poll

__all__ = ["Poller", "select"]


def select(rlist, wlist, xlist, timeout=None):
    """select.select for zmq sockets and fds: wait up to timeout seconds (None:
    forever) and return the (readable, writable, errored) lists."""
    if timeout is None:
        timeout = -1
    ms = int(timeout * 1000.0)
    if timeout >= 0 and ms < 0:
        ms = 0
    flags: dict = {}
    for objs, flag in ((rlist, constants.POLLIN), (wlist, constants.POLLOUT), (xlist, constants.POLLERR)):
        for obj in objs:
            flags[obj] = flags.get(obj, 0) | flag
    events = zmq_poll(list(flags.items()), ms)
    readable, writable, errored = [], [], []
    for obj, revents in events:
        if revents & constants.POLLIN:
            readable.append(obj)
        if revents & constants.POLLOUT:
            writable.append(obj)
        if revents & constants.POLLERR:
            errored.append(obj)
    return readable, writable, errored
