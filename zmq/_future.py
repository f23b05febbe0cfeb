"""Awaitable sockets and pollers, shared by zmq.asyncio and zmq.eventloop.future.

Every operation first tries the libzmq call without blocking. When that
succeeds (the common case: the peer keeps up) the caller gets a future that is
already done, and awaiting it costs next to nothing. Only an operation that
would block is queued on the socket's SocketWatch (see zmq._socket_watch),
which serves it when the socket becomes ready. After a run of operations that
completed at once, the next one goes through the loop anyway, so that a socket
that is always ready cannot starve the other tasks of the loop.
"""

from __future__ import annotations

import asyncio
import pickle
import warnings
from asyncio import Future as _Future
from asyncio import _get_running_loop

from zmq import backend, constants
from zmq._socket_watch import Listener, SocketWatch, watch_for, _registry, _registry_lock
from zmq.backend import zmq_poll
from zmq.error import Again, ZMQError
from zmq.sugar.context import Context

from zmq.sugar.poll import Poller
from zmq.sugar.socket import Socket
from zmq.sugar.tracker import MessageTracker
from zmq.utils import jsonapi

__all__ = ["_AsyncSocket", "_AsyncPoller", "_AsyncContext"]

_DONTWAIT = int(constants.DONTWAIT)
_SNDMORE = int(constants.SNDMORE)
_POLLIN = int(constants.POLLIN)
_POLLOUT = int(constants.POLLOUT)
_EVENTS = int(constants.EVENTS)
_RCVTIMEO = int(constants.RCVTIMEO)
_SNDTIMEO = int(constants.SNDTIMEO)
_EAGAIN = int(constants.EAGAIN)
_ENOTSOCK = int(constants.ENOTSOCK)
_ENOTSUP = int(constants.ENOTSUP)

_CoreSocket = backend.Socket
_core_send = backend.Socket.send
_core_recv = backend.Socket.recv
_core_send_multipart = backend.Socket.send_multipart
_core_recv_multipart = backend.Socket.recv_multipart
_core_recv_into = backend.Socket.recv_into
_core_get = backend.Socket.get

# Operations a socket completes at once before the next one is routed through
# the event loop (a loop turn every this many operations is the price of
# fairness; it is small next to the per-operation cost).
BURST_LIMIT = 64


# ---------------------------------------------------------------- operations
# Each performs one request without blocking (flags already carry DONTWAIT)
# and raises zmq.Again when the socket is not ready.

def _send_with_options(sock, data, flags, copy, track, kwargs):
    return _core_send(sock, data, flags, copy, track, **kwargs)


def _send_parts(sock, parts, flags, copy, track, kwargs):
    n = len(parts)
    if n == 1:
        result = _core_send(sock, parts[0], flags, copy, track, **kwargs)
        return MessageTracker(result) if (track and not copy and result is not None) else None
    # Only the first part can meet a full pipe: libzmq's high-water mark counts
    # whole messages, so once it has taken the first part it takes the rest.
    # The rest goes without DONTWAIT for the one case where it would not (the
    # peer vanished mid-message), where libzmq then drops the remainder rather
    # than failing half-way.
    first = _core_send(sock, parts[0], flags | _SNDMORE, copy, track, **kwargs)
    rest_flags = flags & ~_DONTWAIT
    if copy and not track and not kwargs:
        _core_send_multipart(sock, parts[1:], rest_flags)
        return None
    trackers = [first]
    last = n - 1
    for i in range(1, n):
        trackers.append(_core_send(sock, parts[i], rest_flags | _SNDMORE if i < last else rest_flags,
                                   copy, track, **kwargs))
    if track and not copy:
        return MessageTracker(*[t for t in trackers if t is not None])
    return None


def _recv_string(sock, flags, encoding):
    return _core_recv(sock, flags).decode(encoding)


def _recv_json(sock, flags, kwargs):
    return jsonapi.loads(_core_recv(sock, flags), **kwargs)


def _recv_pyobj(sock, flags):
    return pickle.loads(_core_recv(sock, flags))


def _recv_serialized(sock, deserialize, flags, copy):
    return deserialize(_core_recv_multipart(sock, flags, copy))


def _recv_into(sock, buf, nbytes, flags):
    return _core_recv_into(sock, buf, nbytes=nbytes, flags=flags)


def _check_parts(msg_parts) -> list:
    """The parts as a list, every one checked before anything is sent."""
    parts = msg_parts if isinstance(msg_parts, list) else list(msg_parts)
    for i, part in enumerate(parts):
        if isinstance(part, (bytes, backend.Frame)):
            continue
        if isinstance(part, str):
            raise TypeError(f"Frame {i} ({part!r}) is a str: encode it, or use send_string")
        try:
            memoryview(part)
        except TypeError:
            raise TypeError(f"Frame {i} ({part!r}) does not support the buffer interface.") from None
    return parts


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
        if isinstance(context, _CoreSocket):
            self._sync_source = context
        if io_loop is not None:
            self._loop_hint = io_loop

    @classmethod
    def from_socket(cls, socket, io_loop=None):
        """An async socket sharing the libzmq socket of `socket` (usually a
        plain zmq.Socket). Closing the async socket closes `socket` too."""
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

    @staticmethod
    def _default_loop():
        """The loop to use when none is running."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            return asyncio.get_event_loop()

    def _attach(self, running) -> SocketWatch:
        """The watch of this socket in `running` (the running loop, or None
        when called outside one), made or moved there if needed."""
        if self.closed:
            raise ZMQError(_ENOTSOCK)
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
        loop = _get_running_loop()
        if w is None or w.loop is not loop:
            w = self._attach(loop)
        fut = _Future(loop=w.loop)
        q = w.recv_q if is_recv else w.send_q
        if q:
            w.purge(q)
        if flags & _DONTWAIT:
            try:
                fut.set_result(op(*args))
            except Again:
                fut.set_exception(Again(_EAGAIN))
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
        timeout = _core_get(self, _RCVTIMEO if is_recv else _SNDTIMEO)
        if timeout == 0:
            fut.set_exception(Again(_EAGAIN))
            return
        w.wait(q, fut, op, args, self, timeout)

    # ------------------------------------------------------------ receive

    def recv(self, flags: int = 0, copy: bool = True, track: bool = False):
        """Receive one message part: a future of bytes (or of a Frame with
        copy=False)."""
        # The body of _request, inlined: this is the hottest path.
        w = self._watch
        loop = _get_running_loop()
        if w is None or w.loop is not loop:
            w = self._attach(loop)
        fut = _Future(loop=w.loop)
        q = w.recv_q
        if not q and w.burst < BURST_LIMIT and not flags & _DONTWAIT:
            try:
                result = _core_recv(self, flags | _DONTWAIT, copy, track)
            except Again:
                self._wait(w, q, fut, _core_recv, (self, flags | _DONTWAIT, copy, track), True)
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
        return self._request(True, _core_recv, (self, flags | _DONTWAIT, copy, track), flags)

    def recv_multipart(self, flags: int = 0, copy: bool = True, track: bool = False):
        """Receive all parts of a message: a future of a list."""
        # Parts after the first are there already: libzmq delivers messages whole.
        return self._request(True, _core_recv_multipart, (self, flags | _DONTWAIT, copy, track), flags)

    def recv_string(self, flags: int = 0, encoding: str = "utf-8"):
        """Receive a message and decode it: a future of str."""
        return self._request(True, _recv_string, (self, flags | _DONTWAIT, encoding), flags)

    recv_unicode = recv_string

    def recv_json(self, flags: int = 0, **kwargs):
        """Receive a JSON message: a future of the parsed object. Invalid JSON
        fails the future (the message is consumed either way)."""
        return self._request(True, _recv_json, (self, flags | _DONTWAIT, kwargs), flags)

    def recv_pyobj(self, flags: int = 0):
        """Receive a pickled object: a future of it (trusted peers only)."""
        return self._request(True, _recv_pyobj, (self, flags | _DONTWAIT), flags)

    def recv_serialized(self, deserialize, flags: int = 0, copy: bool = True):
        """Receive a multipart message: a future of deserialize(parts)."""
        return self._request(True, _recv_serialized, (self, deserialize, flags | _DONTWAIT, copy), flags)

    def recv_into(self, buffer, /, *, nbytes: int = 0, flags: int = 0):
        """Receive into a writable buffer: a future of the message's size."""
        return self._request(True, _recv_into, (self, buffer, nbytes, flags | _DONTWAIT), flags)

    # ------------------------------------------------------------ send

    def send(self, data, flags: int = 0, copy: bool = True, track: bool = False, **kwargs):
        """Send one message part: a future of None (or of a MessageTracker
        with copy=False, track=True)."""
        if isinstance(data, str):
            fut = _Future(loop=self._attach(_get_running_loop()).loop)
            fut.set_exception(TypeError("unicode not allowed, use send_string"))
            return fut
        if kwargs:
            return self._request(False, _send_with_options, (self, data, flags | _DONTWAIT, copy, track, kwargs),
                                 flags)
        w = self._watch
        loop = _get_running_loop()
        if w is None or w.loop is not loop:
            w = self._attach(loop)
        fut = _Future(loop=w.loop)
        q = w.send_q
        if not q and w.burst < BURST_LIMIT and not flags & _DONTWAIT:
            try:
                result = _core_send(self, data, flags | _DONTWAIT, copy, track)
            except Again:
                self._wait(w, q, fut, _core_send, (self, data, flags | _DONTWAIT, copy, track), False)
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
        return self._request(False, _core_send, (self, data, flags | _DONTWAIT, copy, track), flags)

    def send_multipart(self, msg_parts, flags: int = 0, copy: bool = True, track: bool = False, **kwargs):
        """Send a multipart message, all parts or none: a future of None (or
        of a MessageTracker with copy=False, track=True)."""
        try:
            parts = _check_parts(msg_parts)
        except TypeError as e:
            fut = _Future(loop=self._attach(_get_running_loop()).loop)
            fut.set_exception(e)
            return fut
        if not parts:
            fut = _Future(loop=self._attach(_get_running_loop()).loop)
            fut.set_result(None)
            return fut
        return self._request(False, _send_parts, (self, parts, flags | _DONTWAIT, copy, track, kwargs), flags)

    def send_string(self, u, flags: int = 0, copy: bool = True, encoding: str = "utf-8", **kwargs):
        """Send a str, encoded: a future."""
        if not isinstance(u, str):
            raise TypeError("unicode/str objects only")
        return self.send(u.encode(encoding), flags, copy, **kwargs)

    send_unicode = send_string

    # ------------------------------------------------------------ poll, options, close

    def poll(self, timeout=None, flags: int = _POLLIN):
        """Wait up to timeout ms (None: forever) for the events in flags: a
        future of the events that occurred (0 on timeout)."""
        if self.closed:
            # As for the plain Socket.poll.
            raise ZMQError(_ENOTSUP)
        w = self._watch
        loop = _get_running_loop()
        if w is None or w.loop is not loop:
            w = self._attach(loop)
        fut = _Future(loop=w.loop)
        events = _core_get(self, _EVENTS) & flags
        # Reading the events may have eaten the signal others wait for.
        if w.pending():
            w.schedule_check()
        if events or timeout == 0:
            fut.set_result(events)
            return fut
        waiter = _PollWaiter(fut, flags & (_POLLIN | _POLLOUT), w)
        w.add_listener(waiter)
        if timeout is not None and timeout > 0:
            waiter.timer = w.loop.call_later(timeout / 1000.0, waiter.expire)
        fut.add_done_callback(waiter.done_callback)
        return fut

    def get(self, option: int):
        """A socket option. Reading zmq.EVENTS may consume the FD's signal, so
        it also makes the socket's pending operations look again."""
        result = _core_get(self, option)
        if option == _EVENTS:
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


class _PollerWait:
    """One pending Poller.poll: woken by any polled socket or fd, it answers
    with a zero-timeout zmq_poll over all of them."""

    __slots__ = ("fut", "items", "loop", "listeners", "readers", "writers", "timer")

    def __init__(self, fut, items, loop):
        self.fut = fut
        self.items = items
        self.loop = loop
        self.listeners: list = []
        self.readers: list = []
        self.writers: list = []
        self.timer = None

    def wake(self) -> int:
        fut = self.fut
        if fut.done():
            return 0
        try:
            ready = zmq_poll(self.items, 0)
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
            self.fut.set_exception(ZMQError(_ENOTSOCK, f"{reason}: a polled zmq socket was closed"))
        self.cleanup()

    def done_callback(self, fut) -> None:
        self.cleanup()

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
        loop = self.loop
        if loop.is_closed():
            self.readers = self.writers = []
            return
        readers, self.readers = self.readers, []
        for fd in readers:
            loop.remove_reader(fd)
        writers, self.writers = self.writers, []
        for fd in writers:
            loop.remove_writer(fd)


class _PollerListener(Listener):
    __slots__ = ("wait", "mask")

    def __init__(self, wait, mask):
        self.wait = wait
        self.mask = mask

    def fire(self, events: int) -> int:
        return self.wait.wake()

    def watch_closed(self, reason: str) -> None:
        self.wait.watch_closed(reason)


def _fd_of(obj) -> int:
    if isinstance(obj, int):
        return obj
    return obj.fileno()


class _AsyncPoller(Poller):
    """A Poller whose poll() returns a future of [(socket_or_fd, events)].
    Takes async or plain zmq sockets, int fds and objects with fileno()."""

    # The async socket class whose loop rules this poller follows.
    _socket_class = _AsyncSocket

    def register(self, socket, flags: int = _POLLIN | _POLLOUT) -> None:
        """Poll socket for flags (POLLIN, POLLOUT, POLLERR): a zmq socket, an
        int file descriptor or an object with a fileno() method."""
        if not isinstance(socket, _CoreSocket):
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
        loop = cls._loop_of(self._loop_hint) if getattr(self, "_loop_hint", None) is not None \
            else cls._default_loop()
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
            ready = zmq_poll(items, 0)
        except Exception as e:
            fut.set_exception(e)
            return fut
        self._recheck_watches(loop, items)
        if ready or timeout == 0:
            fut.set_result(ready)
            return fut
        wait = _PollerWait(fut, items, loop)
        try:
            for obj, mask in items:
                if isinstance(obj, _CoreSocket):
                    if isinstance(obj, _AsyncSocket):
                        w = obj._attach(loop)
                    else:
                        w = watch_for(loop, obj)
                    listener = _PollerListener(wait, mask & (_POLLIN | _POLLOUT))
                    wait.listeners.append((w, listener))
                    w.add_listener(listener)
                else:
                    fd = _fd_of(obj)
                    if mask & _POLLIN:
                        loop.add_reader(fd, wait.wake)
                        wait.readers.append(fd)
                    if mask & _POLLOUT:
                        loop.add_writer(fd, wait.wake)
                        wait.writers.append(fd)
        except Exception as e:
            wait.cleanup()
            fut.set_exception(e)
            return fut
        if timeout is not None and timeout > 0:
            wait.timer = loop.call_later(timeout / 1000.0, wait.expire)
        fut.add_done_callback(wait.done_callback)
        return fut

    @staticmethod
    def _recheck_watches(loop, items) -> None:
        # zmq_poll read the events of the polled sockets; whoever waits on
        # them in this loop must look again.
        with _registry_lock:
            watches = _registry.get(loop)
            if not watches:
                return
            found = [watches.get(obj.underlying) for obj, _ in items if isinstance(obj, _CoreSocket)]
        for w in found:
            if w is not None and w.pending():
                w.schedule_check()


class _AsyncContext(Context):
    """A Context whose sockets are async; Context(sync_context) shadows one."""

    _instance = None
    _instance_pid = None
