"""Poller and select: wait for events on several sockets and file descriptors."""

from __future__ import annotations

from zmq import constants
from zmq.backend import zmq_poll

__all__ = ["Poller", "select"]


class Poller:
    """Waits for events on zmq sockets and on anything with a file descriptor
    (an int, or an object with fileno())."""

    def __init__(self):
        self.sockets: list = []
        self._map: dict = {}

    def __contains__(self, socket) -> bool:
        return socket in self._map

    def register(self, socket, flags: int = constants.POLLIN | constants.POLLOUT) -> None:
        """Poll socket for flags (POLLIN, POLLOUT, POLLERR). Registering again
        replaces the flags; flags=0 unregisters."""
        if not flags:
            if socket in self._map:
                self.unregister(socket)
            return
        if socket in self._map:
            self.sockets[self._map[socket]] = (socket, flags)
        else:
            self._map[socket] = len(self.sockets)
            self.sockets.append((socket, flags))

    def modify(self, socket, flags: int = constants.POLLIN | constants.POLLOUT) -> None:
        """Change the flags of a registered socket."""
        self.register(socket, flags)

    def unregister(self, socket) -> None:
        """Stop polling socket (KeyError if it was not registered)."""
        index = self._map.pop(socket)
        self.sockets.pop(index)
        for sock, i in self._map.items():
            if i > index:
                self._map[sock] = i - 1

    def poll(self, timeout=None) -> list:
        """Wait up to timeout milliseconds (None or negative: forever) and
        return [(socket, events), ...] for the sockets with events."""
        if timeout is None or timeout < 0:
            timeout = -1
        return zmq_poll(self.sockets, int(timeout))


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
