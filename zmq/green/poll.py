"""gevent-cooperative Poller, select and zmq_poll."""

from __future__ import annotations

from time import monotonic

import gevent.event
from gevent.hub import get_hub

import zmq
from zmq._async_ops import EVENTS, FD, POLLERR, POLLIN, POLLOUT, CoreSocket, core_get, core_zmq_poll, fd_of
from zmq.green.core import _Socket

__all__ = ["select", "zmq_poll"]

_READ, _WRITE = 1, 2


class _Poller(zmq.Poller):
    """A Poller whose poll() yields to other greenlets while it waits
    (exported as zmq.green.Poller)."""

    def poll(self, timeout=-1) -> list:
        """Wait up to timeout ms (None or negative: forever); returns
        [(socket_or_fd, events)] for what is ready."""
        items = list(self.sockets)
        ready = self._check(items, None)
        if ready or timeout == 0:
            return ready
        deadline = None if timeout is None or timeout < 0 else monotonic() + timeout / 1000.0
        hub = get_hub()
        bell = gevent.event.Event()

        def wake(*_):
            bell.set()

        watchers = []
        entered = []
        links = []
        try:
            for obj, mask in items:
                if isinstance(obj, _Socket):
                    w = obj._wakeup_here()
                    w.enter(mask)
                    entered.append((w, mask))
                    continue
                if isinstance(obj, CoreSocket):
                    fd, kind = core_get(obj, FD), _READ
                else:
                    fd = fd_of(obj)
                    kind = (_READ if mask & POLLIN else 0) | (_WRITE if mask & POLLOUT else 0)
                    if not kind:
                        continue
                watcher = hub.loop.io(fd, kind)
                watchers.append(watcher)
                watcher.start(wake)
            while True:
                bell.clear()
                for w, _ in entered:
                    # The generation current before the events are read:
                    # anything that happens after rings it.
                    w.bell.rawlink(wake)
                    links.append(w.bell)
                ready = self._check(items, entered)
                if ready:
                    return ready
                if deadline is None:
                    bell.wait()
                else:
                    remaining = deadline - monotonic()
                    if remaining <= 0:
                        return []
                    bell.wait(remaining)
                for event in links:
                    event.unlink(wake)
                links.clear()
        finally:
            for event in links:
                event.unlink(wake)
            for watcher in watchers:
                watcher.stop()
                watcher.close()
            for w, mask in entered:
                w.leave(mask)

    @staticmethod
    def _check(items, entered) -> list:
        ready = core_zmq_poll(items, 0)
        # zmq_poll read the events of each socket; greenlets waiting on them
        # must look again when what they wait for may now be there.
        own = {}
        if entered:
            for w, mask in entered:
                own[id(w)] = mask
        for obj, _ in items:
            if isinstance(obj, _Socket):
                w = obj._wakeup
                if w is not None and w.waiters > (1 if id(w) in own else 0):
                    if w.others_want(core_get(obj, EVENTS), own.get(id(w), 0)):
                        w.ring()
        return ready


def zmq_poll(sockets, timeout=-1) -> list:
    """zmq_poll([(socket_or_fd, events)], timeout ms), yielding while it waits."""
    poller = _Poller()
    for obj, flags in sockets:
        poller.register(obj, flags)
    return poller.poll(timeout)


def select(rlist, wlist, xlist, timeout=None):
    """select.select for zmq sockets and fds (timeout in seconds, None:
    forever), yielding while it waits."""
    ms = -1 if timeout is None else max(0, int(timeout * 1000.0))
    flags: dict = {}
    for objs, flag in ((rlist, POLLIN), (wlist, POLLOUT), (xlist, POLLERR)):
        for obj in objs:
            flags[obj] = flags.get(obj, 0) | flag
    poller = _Poller()
    for obj, flag in flags.items():
        poller.register(obj, flag)
    readable, writable, errored = [], [], []
    for obj, revents in poller.poll(ms):
        if revents & POLLIN:
            readable.append(obj)
        if revents & POLLOUT:
            writable.append(obj)
        if revents & POLLERR:
            errored.append(obj)
    return readable, writable, errored
