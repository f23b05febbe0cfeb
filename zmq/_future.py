"""Awaitable sockets and contexts, shared by zmq.asyncio and zmq.eventloop.future
(their Poller is in zmq._future_poll; this module exposes it too, as pyzmq's does).

Every operation first tries the libzmq call without blocking. When that
succeeds (the common case: the peer keeps up) the caller gets a future that is
already done, and awaiting it costs next to nothing. Only an operation that
would block is queued on the socket's SocketWatch (see zmq._socket_watch),
which serves it when the socket becomes ready. After a run of operations that
completed at once, the next one goes through the loop anyway, so that a socket
that is always ready cannot starve the other tasks of the loop.
"""

from __future__ import annotations

from asyncio import Future as _Future
from asyncio import _get_running_loop
from threading import get_ident

from zmq._async_ops import (
    DONTWAIT,
    EAGAIN,
    ENOTSOCK,
    ENOTSUP,
    EVENTS,
    POLLIN,
    POLLOUT,
    RCVTIMEO,
    SNDTIMEO,
    CoreSocket,
    check_parts,
    core_get,
    core_recv,
    core_recv_multipart,
    core_send,
    recv_into,
    recv_json,
    recv_pyobj,
    recv_serialized,
    recv_string,
    send_parts,
    send_with_options,
)
from zmq._future_poll import _AsyncPoller
from zmq._socket_watch import Listener, SocketWatch, default_loop, watch_for
from zmq.error import Again, ZMQError
from zmq.sugar.context import Context
from zmq.sugar.socket import Socket

__all__ = ["_AsyncSocket", "_AsyncPoller", "_AsyncContext"]

# Operations a socket completes at once before the next one is routed through
# the event loop (a loop turn every this many operations is the price of
# fairness; it is small next to the per-operation cost).
BURST_LIMIT = 64


class _PollWaiter(Listener):
    """Socket.poll waiting for events."""

    __slots__ = ("fut", "mask", "watch", "timer")

    def __init__(self, fut, mask, watch):
        self.fut = fut
        self.mask = mask
        self.watch = watch
        self.timer = None

    def fire(self, events: int) -> int:
        if not self.fut.done():
            self.fut.set_result(events & self.mask)
        self._finish()
        return 0

    def expire(self) -> None:
        if not self.fut.done():
            self.fut.set_result(0)
        self._finish()

    def watch_closed(self, reason: str) -> None:
        self.timer_off()
        if not self.fut.done():
            try:
                self.fut.cancel(reason)
            except RuntimeError:
                pass

    def done_callback(self, fut) -> None:
        self._finish()

    def timer_off(self) -> None:
        timer = self.timer
        if timer is not None:
            self.timer = None
            timer.cancel()

    def _finish(self) -> None:
        self.mask = 0
        self.timer_off()
        self.watch.remove_listener(self)


class _AsyncSocket(Socket):
    """A zmq.Socket whose send/recv family return awaitable futures."""

    # The SocketWatch of the loop this socket last ran in.
    _watch: SocketWatch | None = None
    # The loop (or tornado IOLoop) given at creation, for use outside a running loop.
    _loop_hint = None
    # The socket this one shadows (from_socket), kept alive with it.
    _sync_source = None

    def __init__(self, context=None, socket_type=-1, io_loop=None, **kwargs):
        # A socket given as `context` is shadowed.
        super().__init__(context, socket_type, **kwargs)
        if isinstance(context, CoreSocket):
            self._sync_source = context
        if io_loop is not None:
            self._loop_hint = io_loop

    @classmethod
    def from_socket(cls, socket, io_loop=None):
        """An async socket sharing the libzmq socket of `socket` (usually a
        plain zmq.Socket). Closing the async socket closes `socket` too."""
        if socket is not None and not hasattr(socket, "underlying"):
            # What pyzmq raises for anything that is not a socket.
            raise AttributeError(f"{type(socket).__name__!r} object has no attribute 'underlying'")
        return cls(socket, io_loop=io_loop)

    def __del__(self):
        w = self._watch
        if w is not None and not self.closed:
            try:
                w.release(self, socket_closing=not self._is_shadow)
            except Exception:
                pass
        super().__del__()

    # ------------------------------------------------------------ loops

    @staticmethod
    def _loop_of(hint):
        """The asyncio loop that an io_loop argument designates."""
        return hint

    # The loop to use when none is running.
    _default_loop = staticmethod(default_loop)

    def _attach(self, running) -> SocketWatch:
        """The watch of this socket in `running` (the running loop, or None
        when called outside one), made or moved there if needed."""
        if self.closed:
            raise ZMQError(ENOTSOCK)
        old = self._watch
        if running is None:
            if old is not None and not old.closed and not old.loop.is_closed():
                return old
            if old is not None and old.loop.is_closed():
                raise RuntimeError(
                    f"{self!r} was last used in an event loop that is now closed, and no event "
                    "loop is running: use it from a coroutine in a running loop")
            loop = self._loop_of(self._loop_hint) if self._loop_hint is not None else self._default_loop()
            if loop.is_closed():
                raise RuntimeError(f"cannot use {self!r}: its event loop {loop!r} is closed")
        else:
            loop = running
        if old is not None:
            if old.loop is loop and not old.closed:
                return old
            self._leave(old)
        w = watch_for(loop, self)
        w.users.add(self)
        self._watch = w
        return w

    def _leave(self, old: SocketWatch) -> None:
        old_loop = old.loop
        if not old.closed and not old_loop.is_closed() and old_loop.is_running():
            # That loop runs in another thread.
            others = [u for u in old.users if u is not self]
            if old.pending() or others:
                raise RuntimeError(
                    f"{self!r} is in use by the event loop {old_loop!r}, which runs in another "
                    "thread: a zmq socket can be used by one event loop at a time")
            self._watch = None
            old.abandon_from_other_thread()
            return
        self._watch = None
        old.release(self, socket_closing=False)

    # ------------------------------------------------------------ plumbing

    def _request(self, is_recv: bool, op, args: tuple, flags: int):
        """Perform op(*args) now if possible, else queue it: a future either way."""
        w = self._watch
        if w is None or not w.thread_checked or w.loop._thread_id != get_ident():
            loop = _get_running_loop()
            if w is None or w.loop is not loop:
                w = self._attach(loop)
        fut = _Future(loop=w.loop)
        q = w.recv_q if is_recv else w.send_q
        if q:
            w.purge(q)
        if flags & DONTWAIT:
            try:
                fut.set_result(op(*args))
            except Again:
                fut.set_exception(Again(EAGAIN))
            except Exception as e:
                fut.set_exception(e)
            if w.recv_q or w.send_q or w.listeners:
                w.schedule_check()
            return fut
        if q:
            # Earlier requests go first.
            self._wait(w, q, fut, op, args, is_recv)
            return fut
        if w.burst >= BURST_LIMIT:
            self._wait(w, q, fut, op, args, is_recv)
            w.schedule_check()
            return fut
        try:
            result = op(*args)
        except Again:
            self._wait(w, q, fut, op, args, is_recv)
            if (w.recv_q and w.send_q) or w.listeners:
                w.schedule_check()
            return fut
        except Exception as e:
            fut.set_exception(e)
        else:
            fut.set_result(result)
            w.burst += 1
        if w.recv_q or w.send_q or w.listeners:
            w.schedule_check()
        return fut

    def _wait(self, w: SocketWatch, q, fut, op, args, is_recv: bool) -> None:
        timeout = core_get(self, RCVTIMEO if is_recv else SNDTIMEO)
        if timeout == 0:
            fut.set_exception(Again(EAGAIN))
            return
        w.wait(q, fut, op, args, self, timeout)

    # ------------------------------------------------------------ receive

    def recv(self, flags: int = 0, copy: bool = True, track: bool = False):
        """Receive one message part: a future of bytes (or of a Frame with
        copy=False)."""
        # The body of _request, inlined: this is the hottest path.
        w = self._watch
        if w is None or not w.thread_checked or w.loop._thread_id != get_ident():
            loop = _get_running_loop()
            if w is None or w.loop is not loop:
                w = self._attach(loop)
        fut = _Future(loop=w.loop)
        q = w.recv_q
        if not q and w.burst < BURST_LIMIT and not flags & DONTWAIT:
            try:
                result = core_recv(self, flags | DONTWAIT, copy, track)
            except Again:
                self._wait(w, q, fut, core_recv, (self, flags | DONTWAIT, copy, track), True)
                if w.send_q or w.listeners:
                    w.schedule_check()
                return fut
            except Exception as e:
                fut.set_exception(e)
            else:
                fut.set_result(result)
                w.burst += 1
            if w.send_q or w.listeners:
                w.schedule_check()
            return fut
        return self._request(True, core_recv, (self, flags | DONTWAIT, copy, track), flags)

    def recv_multipart(self, flags: int = 0, copy: bool = True, track: bool = False):
        """Receive all parts of a message: a future of a list."""
        # Parts after the first are there already: libzmq delivers messages whole.
        return self._request(True, core_recv_multipart, (self, flags | DONTWAIT, copy, track), flags)

    def recv_string(self, flags: int = 0, encoding: str = "utf-8"):
        """Receive a message and decode it: a future of str."""
        return self._request(True, recv_string, (self, flags | DONTWAIT, encoding), flags)

    recv_unicode = recv_string

    def recv_json(self, flags: int = 0, **kwargs):
        """Receive a JSON message: a future of the parsed object. Invalid JSON
        fails the future (the message is consumed either way)."""
        return self._request(True, recv_json, (self, flags | DONTWAIT, kwargs), flags)

    def recv_pyobj(self, flags: int = 0):
        """Receive a pickled object: a future of it (trusted peers only)."""
        return self._request(True, recv_pyobj, (self, flags | DONTWAIT), flags)

    def recv_serialized(self, deserialize, flags: int = 0, copy: bool = True):
        """Receive a multipart message: a future of deserialize(parts)."""
        return self._request(True, recv_serialized, (self, deserialize, flags | DONTWAIT, copy), flags)

    def recv_into(self, buffer, /, *, nbytes: int = 0, flags: int = 0):
        """Receive into a writable buffer: a future of the message's size."""
        return self._request(True, recv_into, (self, buffer, nbytes, flags | DONTWAIT), flags)

    # ------------------------------------------------------------ send

    def send(self, data, flags: int = 0, copy: bool = True, track: bool = False, **kwargs):
        """Send one message part: a future of None (or of a MessageTracker
        with copy=False, track=True)."""
        if isinstance(data, str):
            fut = _Future(loop=self._attach(_get_running_loop()).loop)
            fut.set_exception(TypeError("unicode not allowed, use send_string"))
            return fut
        if kwargs:
            return self._request(False, send_with_options, (self, data, flags | DONTWAIT, copy, track, kwargs),
                                 flags)
        w = self._watch
        if w is None or not w.thread_checked or w.loop._thread_id != get_ident():
            loop = _get_running_loop()
            if w is None or w.loop is not loop:
                w = self._attach(loop)
        fut = _Future(loop=w.loop)
        q = w.send_q
        if not q and w.burst < BURST_LIMIT and not flags & DONTWAIT:
            try:
                result = core_send(self, data, flags | DONTWAIT, copy, track)
            except Again:
                self._wait(w, q, fut, core_send, (self, data, flags | DONTWAIT, copy, track), False)
                if w.recv_q or w.listeners:
                    w.schedule_check()
                return fut
            except Exception as e:
                fut.set_exception(e)
            else:
                fut.set_result(result)
                w.burst += 1
            if w.recv_q or w.listeners:
                w.schedule_check()
            return fut
        return self._request(False, core_send, (self, data, flags | DONTWAIT, copy, track), flags)

    def send_multipart(self, msg_parts, flags: int = 0, copy: bool = True, track: bool = False, **kwargs):
        """Send a multipart message, all parts or none: a future of None (or
        of a MessageTracker with copy=False, track=True)."""
        try:
            parts = check_parts(msg_parts)
        except (TypeError, IndexError) as e:
            fut = _Future(loop=self._attach(_get_running_loop()).loop)
            fut.set_exception(e)
            return fut
        return self._request(False, send_parts, (self, parts, flags | DONTWAIT, copy, track, kwargs), flags)

    def send_string(self, u, flags: int = 0, copy: bool = True, encoding: str = "utf-8", **kwargs):
        """Send a str, encoded: a future."""
        if not isinstance(u, str):
            raise TypeError("unicode/str objects only")
        return self.send(u.encode(encoding), flags, copy, **kwargs)

    send_unicode = send_string

    # ------------------------------------------------------------ poll, options, close

    def poll(self, timeout=None, flags: int = POLLIN):
        """Wait up to timeout ms (None: forever) for the events in flags: a
        future of the events that occurred (0 on timeout)."""
        if self.closed:
            # As for the plain Socket.poll.
            raise ZMQError(ENOTSUP)
        w = self._watch
        if w is None or not w.thread_checked or w.loop._thread_id != get_ident():
            loop = _get_running_loop()
            if w is None or w.loop is not loop:
                w = self._attach(loop)
        fut = _Future(loop=w.loop)
        events = core_get(self, EVENTS) & flags
        # Reading the events may have eaten the signal others wait for.
        if w.pending():
            w.schedule_check()
        if events or timeout == 0:
            fut.set_result(events)
            return fut
        waiter = _PollWaiter(fut, flags & (POLLIN | POLLOUT), w)
        w.add_listener(waiter)
        if timeout is not None and timeout > 0:
            waiter.timer = w.loop.call_later(timeout / 1000.0, waiter.expire)
        fut.add_done_callback(waiter.done_callback)
        return fut

    def get(self, option: int):
        """A socket option. Reading zmq.EVENTS may consume the FD's signal, so
        it also makes the socket's pending operations look again."""
        result = core_get(self, option)
        if option == EVENTS:
            w = self._watch
            if w is not None and not w.closed and w.pending():
                w.schedule_check()
        return result

    getsockopt = get

    def close(self, linger=None):
        """Close the socket (also when it is a shadow or made by from_socket:
        the libzmq socket is closed, as in pyzmq); operations still waiting are
        cancelled (their CancelledError says the socket was closed)."""
        if self.closed:
            return
        w = self._watch
        if w is not None:
            self._watch = None
            w.release(self, socket_closing=True)
        super().close(linger)


class _AsyncContext(Context):
    """A Context whose sockets are async; Context(sync_context) shadows one."""

    _instance = None
    _instance_pid = None
