"""gevent-cooperative Socket and Context.

A send or receive first tries libzmq without blocking; only when that would
block does the greenlet wait, on a gevent io watcher of the socket's ZMQ_FD, so
other greenlets run meanwhile. The FD is edge-triggered and any libzmq call
may consume its signal, so a waiting greenlet re-reads ZMQ_EVENTS whenever it
is woken, and every completed operation wakes the other greenlets waiting on
the same socket (the operation may have eaten the signal they wait for).
"""

from __future__ import annotations

import os
import weakref
from time import monotonic

import gevent.event
from gevent import getcurrent
from gevent.hub import get_hub

import zmq
from zmq._async_ops import (
    DONTWAIT,
    EAGAIN,
    ENOTSOCK,
    ENOTSUP,
    EVENTS,
    FD,
    POLLIN,
    POLLOUT,
    RCVTIMEO,
    SNDTIMEO,
    check_parts,
    core_get,
    core_recv,
    core_recv_multipart,
    recv_into,
    send_parts,
    send_with_options,
)
from zmq.error import Again, ZMQError

__all__ = ["TIMEOS"]

# The timeout options. pyzmq's green sockets ignore them and warn when they
# are set; these sockets honour them as blocking sockets do, so setting them is
# silent.
TIMEOS = (zmq.RCVTIMEO, zmq.SNDTIMEO)

_READ = 1  # libev/libuv read interest


class _Wakeup:
    """The greenlets waiting on one socket in one hub, and the io watcher of
    its FD that runs while any are waiting."""

    __slots__ = ("hub", "sock_ref", "watcher", "bell", "waiters", "n_in", "n_out", "closed")

    def __init__(self, hub, sock):
        self.hub = hub
        self.sock_ref = weakref.ref(sock)
        self.closed = False
        self.watcher = hub.loop.io(core_get(sock, FD), _READ)
        # Replaced each time it is rung: a waiter holds the one current when
        # it last read the events, so no ring between that reading and its
        # wait can be missed.
        self.bell = gevent.event.Event()
        self.waiters = 0
        # How many waiters want POLLIN, POLLOUT.
        self.n_in = 0
        self.n_out = 0

    def ring(self) -> None:
        bell = self.bell
        self.bell = gevent.event.Event()
        bell.set()

    def others_want(self, events: int, own_mask: int) -> bool:
        """Whether events would release a waiter other than the caller (who
        waits for own_mask, 0 if not waiting)."""
        if events & POLLIN and self.n_in > (1 if own_mask & POLLIN else 0):
            return True
        return bool(events & POLLOUT and self.n_out > (1 if own_mask & POLLOUT else 0))

    def _on_fd(self) -> None:
        sock = self.sock_ref()
        if sock is not None and not sock.closed:
            try:
                # Drains the FD, which the watcher reports level-triggered.
                core_get(sock, EVENTS)
            except ZMQError:
                pass
        self.ring()

    def enter(self, mask: int) -> None:
        self.waiters += 1
        self.n_in += bool(mask & POLLIN)
        self.n_out += bool(mask & POLLOUT)
        if self.waiters == 1 and not self.closed:
            self.watcher.start(self._on_fd)

    def leave(self, mask: int) -> None:
        self.waiters -= 1
        self.n_in -= bool(mask & POLLIN)
        self.n_out -= bool(mask & POLLOUT)
        if self.waiters == 0 and not self.closed:
            self.watcher.stop()

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.watcher.stop()
            self.watcher.close()
        self.ring()


def _deadline(sock, option: int):
    """When a wait for `option` (RCVTIMEO/SNDTIMEO) must give up: None for
    never, or a monotonic time."""
    ms = core_get(sock, option)
    if ms < 0:
        return None
    return monotonic() + ms / 1000.0


def _exported_repr(text: str, name: str) -> str:
    # The name zmq.green exports the class by, as the plain Socket shows
    # zmq.Socket rather than its module path; a subclass keeps its own name.
    return f"<{name}{text[text.index('('):]}"


class _Socket(zmq.Socket):
    """A zmq socket whose blocking calls yield to the gevent hub (exported as
    zmq.green.Socket)."""

    _wakeup: _Wakeup | None = None

    def __repr__(self) -> str:
        text = super().__repr__()
        return _exported_repr(text, "zmq.green.Socket") if type(self) is _Socket else text

    def _wakeup_here(self) -> _Wakeup:
        hub = get_hub()
        w = self._wakeup
        if w is None or w.hub is not hub:
            w = _Wakeup(hub, self)
            self._wakeup = w
        return w

    def _after_op(self) -> None:
        # This call may have consumed the FD's signal others are waiting for.
        w = self._wakeup
        if w is not None and w.waiters:
            w.ring()

    def _wait(self, mask: int, deadline) -> int:
        """Wait until the socket's events meet mask (returns them) or the
        deadline passes (returns 0)."""
        w = self._wakeup_here()
        w.enter(mask)
        try:
            while True:
                bell = w.bell
                if self.closed:
                    raise ZMQError(ENOTSOCK)
                events = core_get(self, EVENTS)
                if events & mask:
                    return events & mask
                if w.others_want(events, mask):
                    # Reading the events may have consumed the signal another
                    # waiter needs.
                    w.ring()
                    bell = w.bell
                if deadline is None:
                    bell.wait()
                else:
                    remaining = deadline - monotonic()
                    if remaining <= 0:
                        return 0
                    bell.wait(remaining)
        finally:
            w.leave(mask)

    def _green(self, op, args, flags: int, mask: int, timeout_option: int):
        """op(*args) with DONTWAIT, retried after waiting for mask until the
        timeout option runs out."""
        if flags & DONTWAIT:
            try:
                return op(*args)
            finally:
                self._after_op()
        deadline = False
        while True:
            try:
                result = op(*args)
            except Again:
                if deadline is False:
                    deadline = _deadline(self, timeout_option)
                if not self._wait(mask, deadline):
                    raise Again(EAGAIN) from None
                continue
            self._after_op()
            return result

    # ------------------------------------------------------------ receive

    def recv(self, flags: int = 0, copy: bool = True, track: bool = False):
        """Receive one message part, yielding to other greenlets while waiting."""
        return self._green(core_recv, (self, flags | DONTWAIT, copy, track), flags, POLLIN, RCVTIMEO)

    def recv_multipart(self, flags: int = 0, copy: bool = True, track: bool = False):
        """Receive all parts of a message."""
        return self._green(core_recv_multipart, (self, flags | DONTWAIT, copy, track), flags, POLLIN,
                           RCVTIMEO)

    def recv_string(self, flags: int = 0, encoding: str = "utf-8"):
        """Receive a message and decode it."""
        return self.recv(flags).decode(encoding)

    recv_unicode = recv_string

    def recv_into(self, buffer, /, *, nbytes: int = 0, flags: int = 0):
        """Receive into a writable buffer; returns the message's size."""
        return self._green(recv_into, (self, buffer, nbytes, flags | DONTWAIT), flags, POLLIN, RCVTIMEO)

    # ------------------------------------------------------------ send

    def send(self, data, flags: int = 0, copy: bool = True, track: bool = False, **kwargs):
        """Send one message part, yielding to other greenlets while waiting."""
        return self._green(send_with_options, (self, data, flags | DONTWAIT, copy, track, kwargs), flags,
                           POLLOUT, SNDTIMEO)

    def send_multipart(self, msg_parts, flags: int = 0, copy: bool = True, track: bool = False, **kwargs):
        """Send a multipart message, all parts or none."""
        parts = check_parts(msg_parts)
        return self._green(send_parts, (self, parts, flags | DONTWAIT, copy, track, kwargs), flags,
                           POLLOUT, SNDTIMEO)

    def send_string(self, u, flags: int = 0, copy: bool = True, encoding: str = "utf-8", **kwargs):
        """Send a str, encoded."""
        if not isinstance(u, str):
            raise TypeError("unicode/str objects only")
        return self.send(u.encode(encoding), flags, copy, **kwargs)

    send_unicode = send_string

    # ------------------------------------------------------------ the rest

    def poll(self, timeout=None, flags: int = POLLIN) -> int:
        """Wait up to timeout ms (None: forever) for the events in flags,
        yielding to other greenlets; returns the events (0 on timeout)."""
        if self.closed:
            raise ZMQError(ENOTSUP)
        deadline = None if timeout is None or timeout < 0 else monotonic() + timeout / 1000.0
        if timeout == 0:
            events = core_get(self, EVENTS) & flags
            self._after_op()
            return events
        return self._wait(flags, deadline)

    def get(self, option: int):
        """A socket option (reading zmq.EVENTS wakes the greenlets waiting on
        this socket: it may have consumed their signal)."""
        result = core_get(self, option)
        if option == EVENTS:
            self._after_op()
        return result

    getsockopt = get

    def close(self, linger=None):
        """Close the socket; greenlets waiting on it get zmq.ZMQError (ENOTSOCK)."""
        w = self._wakeup
        super().close(linger)
        if w is not None:
            self._wakeup = None
            w.close()


# The terminations under way, by libzmq context address: the owner and its
# shadows share one, and a term() interrupted by a gevent.Timeout leaves it
# running. Each is an AsyncResult of _outcome; _RETRY means "none was started".
_terminations: dict = {}
_RETRY = object()
# A forked child has none of the parent's worker threads: nothing would ever
# finish what is listed.
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_terminations.clear)


def _outcome(term):
    # Returned, not raised: the threadpool would report a raised exception on
    # stderr through the hub, although the greenlet that waits re-raises it.
    try:
        term()
    except BaseException as e:  # noqa: BLE001
        return e
    return None


class _Context(zmq.Context):
    """A Context whose sockets are gevent-cooperative (exported as
    zmq.green.Context)."""

    _socket_class = _Socket
    _instance = None
    _instance_pid = None

    def __repr__(self) -> str:
        text = super().__repr__()
        return _exported_repr(text, "zmq.green.Context") if type(self) is _Context else text

    def term(self) -> None:
        """Terminate the context, as zmq.Context.term, while other greenlets
        keep running: libzmq's blocking termination (which waits for lingering
        messages) runs in a thread of the hub's threadpool. If the wait is
        interrupted (gevent.Timeout, kill), the termination goes on; a later
        term() waits for the same one."""
        hub = get_hub()
        if getcurrent() is hub:
            # The hub cannot wait for anything: block as zmq.Context does.
            super().term()
            return
        base_term = super().term
        while not self.closed:
            key = self.underlying
            done = _terminations.get(key)
            if done is None:
                done = _terminations[key] = gevent.event.AsyncResult()
                try:
                    # May wait for a free worker thread.
                    job = hub.threadpool.spawn(_outcome, base_term)
                except BaseException:
                    del _terminations[key]
                    done.set(_RETRY)
                    raise

                def finished(job, key=key, done=done):
                    if _terminations.get(key) is done:
                        del _terminations[key]
                    done.set(job.value if job.successful() else job.exception)

                job.rawlink(finished)
            result = done.get()
            if result is None:
                return
            if result is not _RETRY:
                raise result
