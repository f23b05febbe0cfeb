"""Poller and select: wait for events on several sockets and file descriptors."""

from __future__ import annotations

from typing import Any

from zmq import backend, constants
from zmq.backend import zmq_poll

__all__ = ["Poller", "select"]


class Poller(backend.Poller):
    """Waits for events on zmq sockets and on anything with a file descriptor
    (an int, or an object with fileno()).

    register(socket, flags) / modify / unregister, then poll(timeout_ms)
    returns [(socket, events), ...]. `sockets` lists the registered
    (socket, flags) pairs in order. The work is compiled (see
    zmq/backend/cython/poll.pxi): the poll items are kept between calls, and a
    poll of sockets known to be idle costs one check of their FDs.
    """


def select(
    rlist: list[Any], wlist: list[Any], xlist: list[Any], timeout: float | None = None
) -> tuple[list[Any], list[Any], list[Any]]:
    """select.select for zmq sockets and fds: wait up to timeout seconds (None:
    forever) and return the (readable, writable, errored) lists."""
    if timeout is None:
        timeout = -1
    ms = int(timeout * 1000.0)
    if timeout >= 0 and ms < 0:
        ms = 0
    flags: dict[Any, int] = {}
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
