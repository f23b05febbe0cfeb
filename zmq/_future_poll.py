"""The awaitable Poller of zmq.asyncio and zmq.eventloop.future.

poll() first answers with a zero-timeout zmq_poll. When nothing is ready it
waits on the SocketWatch of each polled zmq socket (see zmq._socket_watch) and
on the loop's reader/writer callbacks of each polled fd; any of them waking up
makes it poll again, without blocking, over everything it polls.
"""

from __future__ import annotations

from asyncio import Future as _Future
from asyncio import _get_running_loop

from zmq._async_ops import ENOTSOCK, POLLIN, POLLOUT, CoreSocket, core_zmq_poll, fd_of
from zmq._socket_watch import Listener, default_loop, recheck_polled, selector_for, watch_for
from zmq.error import ZMQError
from zmq.sugar.poll import Poller

__all__ = ["_AsyncPoller"]


class _PollerWait:
    """One pending Poller.poll: woken by any polled socket or fd, it answers
    with a zero-timeout zmq_poll over all of them."""

    __slots__ = ("fut", "items", "loop", "selector", "listeners", "readers", "writers", "timer")

    def __init__(self, fut, items, loop):
        self.fut = fut
        self.items = items
        self.loop = loop
        # Set when the first fd is registered.
        self.selector = None
        self.listeners: list = []
        self.readers: list = []
        self.writers: list = []
        self.timer = None

    def wake(self) -> int:
        fut = self.fut
        if fut.done():
            return 0
        try:
            ready = core_zmq_poll(self.items, 0)
        except Exception as e:
            fut.set_exception(e)
            self.cleanup()
            return 1
        if ready:
            fut.set_result(ready)
            self.cleanup()
        # zmq_poll read the events of every socket polled.
        for w, _ in self.listeners:
            if w.pending():
                w.schedule_check()
        return 1

    def expire(self) -> None:
        self.timer = None
        if not self.fut.done():
            self.fut.set_result([])
        self.cleanup()

    def watch_closed(self, reason: str) -> None:
        if not self.fut.done():
            self.fut.set_exception(ZMQError(ENOTSOCK, f"{reason}: a polled zmq socket was closed"))
        self.cleanup()

    def done_callback(self, fut) -> None:
        self.cleanup()

    def watch_fd(self, fd: int, mask: int) -> None:
        selector = self.selector
        if selector is None:
            selector = self.selector = selector_for(self.loop)
        if mask & POLLIN:
            selector.add_reader(fd, self.wake)
            self.readers.append(fd)
        if mask & POLLOUT:
            selector.add_writer(fd, self.wake)
            self.writers.append(fd)

    def cleanup(self) -> None:
        timer = self.timer
        if timer is not None:
            self.timer = None
            timer.cancel()
        listeners, self.listeners = self.listeners, []
        for w, listener in listeners:
            listener.mask = 0
            w.remove_listener(listener)
            w.release_if_idle()
        if self.loop.is_closed():
            self.readers = self.writers = []
            return
        selector = self.selector
        readers, self.readers = self.readers, []
        for fd in readers:
            selector.remove_reader(fd)
        writers, self.writers = self.writers, []
        for fd in writers:
            selector.remove_writer(fd)


class _PollerListener(Listener):
    __slots__ = ("wait", "mask")

    def __init__(self, wait, mask):
        self.wait = wait
        self.mask = mask

    def fire(self, events: int) -> int:
        return self.wait.wake()

    def watch_closed(self, reason: str) -> None:
        self.wait.watch_closed(reason)


class _AsyncPoller(Poller):
    """A Poller whose poll() returns a future of [(socket_or_fd, events)].
    Takes async or plain zmq sockets, int fds and objects with fileno()."""

    # The async socket class whose loop rules this poller follows (each
    # flavour sets its own); None: asyncio's.
    _socket_class = None

    def register(self, socket, flags: int = POLLIN | POLLOUT) -> None:
        """Poll socket for flags (POLLIN, POLLOUT, POLLERR): a zmq socket, an
        int file descriptor or an object with a fileno() method."""
        if not isinstance(socket, CoreSocket):
            if isinstance(socket, int):
                if socket < 0:
                    raise ValueError(f"cannot poll a negative file descriptor ({socket})")
            elif not callable(getattr(socket, "fileno", None)):
                raise TypeError(
                    f"cannot poll {socket!r}: it is neither a zmq socket, an int file descriptor, "
                    "nor an object with a fileno() method")
        super().register(socket, flags)

    def _loop(self):
        loop = _get_running_loop()
        if loop is not None:
            return loop
        cls = self._socket_class
        hint = getattr(self, "_loop_hint", None)
        if cls is None:
            loop = hint if hint is not None else default_loop()
        else:
            loop = cls._loop_of(hint) if hint is not None else cls._default_loop()
        if loop.is_closed():
            raise RuntimeError(f"cannot poll: the event loop {loop!r} is closed")
        return loop

    def poll(self, timeout=-1):
        """Wait up to timeout ms (None or negative: forever): a future of the
        list of (socket, events) that are ready."""
        loop = self._loop()
        fut = _Future(loop=loop)
        items = list(self.sockets)
        try:
            ready = core_zmq_poll(items, 0)
        except Exception as e:
            fut.set_exception(e)
            return fut
        recheck_polled(loop, items)
        if ready or timeout == 0:
            fut.set_result(ready)
            return fut
        wait = _PollerWait(fut, items, loop)
        try:
            for obj, mask in items:
                if isinstance(obj, CoreSocket):
                    # An async socket keeps track of the loop it is used in.
                    attach = getattr(obj, "_attach", None)
                    w = attach(loop) if attach is not None else watch_for(loop, obj)
                    listener = _PollerListener(wait, mask & (POLLIN | POLLOUT))
                    wait.listeners.append((w, listener))
                    w.add_listener(listener)
                else:
                    wait.watch_fd(fd_of(obj), mask)
        except Exception as e:
            wait.cleanup()
            fut.set_exception(e)
            return fut
        if timeout is not None and timeout > 0:
            wait.timer = loop.call_later(timeout / 1000.0, wait.expire)
        fut.add_done_callback(wait.done_callback)
        return fut
