"""SocketWatch: everything one asyncio event loop knows about one libzmq socket.

libzmq's ZMQ_FD tells that *something* may have changed on a socket, not what,
and it is edge-triggered: any libzmq call on the socket (an operation, or
reading ZMQ_EVENTS) may consume the signal without the loop ever seeing it. All
waiting on a socket therefore goes through one SocketWatch per (loop, libzmq
socket), shared by every Python object wrapping that socket (async sockets,
their shadows, ZMQStreams, pollers). It

- registers the FD with the loop once, for as long as someone uses the socket;
- keeps the receives and sends that could not complete at once, in order, and
  the listeners (poll waiters, streams) interested in readiness;
- on every wake-up reads ZMQ_EVENTS and serves what it can, then reads
  ZMQ_EVENTS again, until a reading shows that nothing waiting can proceed.
  Only that final reading guarantees the FD will signal the next change;
- is asked for a re-check (`schedule_check`) by whoever touched the socket
  outside of it while something is waiting, since that touch may have eaten
  the signal.

A request is performed only when its future is still pending, so a cancelled
or timed-out receive never consumes a message and a cancelled send never
sends. Each wake-up serves a bounded amount of work and then yields to the
loop, so a busy socket cannot starve the rest of the loop.

A loop without add_reader (asyncio's proactor loop, the default on Windows)
cannot watch an FD itself: a selector thread from tornado does it for that
loop (see selector_for), after a zmq.asyncio.ProactorSelectorThreadWarning;
without tornado, using a zmq socket in such a loop raises RuntimeError.
"""

from __future__ import annotations

import asyncio
import os
import sys
import threading
import warnings
import weakref
from asyncio import _get_running_loop
from collections import deque
from threading import get_ident

from zmq._async_ops import EAGAIN, ENOTSOCK, EVENTS, FD, POLLIN, POLLOUT, CoreSocket, core_get
from zmq.error import Again, ZMQError

__all__ = ["SocketWatch", "Listener", "Request", "watch_for", "recheck_polled", "selector_for",
           "default_loop", "DRAIN_BUDGET"]

# Operations served per wake-up before the loop gets its turn back.
DRAIN_BUDGET = 256

# Before Python 3.12, asyncio's running-loop lookup calls getpid() (a system
# call since glibc 2.25) to ignore a loop inherited through fork: about 200 ns
# of every send and recv. A loop of asyncio's own kind (BaseEventLoop) records
# the thread it runs in (_thread_id, None when it is not running), and only
# one loop runs in a thread at a time, so comparing that with the caller's
# thread answers "is this the running loop?" without the system call. (A
# process forked inside a running loop still sees it as running, where asyncio
# would not; libzmq fails every operation on the sockets the child inherited,
# so nothing runs there either way.)
_THREAD_ID_CHECK = sys.version_info < (3, 12)

# loop -> {libzmq socket address: SocketWatch}
_registry: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_registry_lock = threading.Lock()


def default_loop():
    """The asyncio loop to use when none is running."""
    with warnings.catch_warnings():
        # Python 3.10-3.13 deprecate asking for a loop outside one; old
        # pyzmq code does it, and gets the loop it asked for.
        warnings.simplefilter("ignore", DeprecationWarning)
        return asyncio.get_event_loop()


# ------------------------------------------------------------ fd registration

# Loops whose add_reader is the abstract one that raises NotImplementedError:
# asyncio's proactor loop, the default on Windows, is one.
_NO_READERS = (asyncio.AbstractEventLoop.add_reader, asyncio.BaseEventLoop.add_reader)

# loop -> a weak reference to the selector thread watching fds for it (loops
# without add_reader). tornado itself holds each thread until it closes, when
# its loop shuts down its async generators (asyncio.run does) or at exit; a
# strong reference here would keep every such loop alive for good.
_selector_threads: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def selector_for(loop):
    """What registers file descriptors for `loop` (add_reader, remove_reader,
    add_writer, remove_writer): the loop itself, or for a loop without
    add_reader a selector thread serving it (from tornado), announced by
    zmq.asyncio.ProactorSelectorThreadWarning."""
    if getattr(type(loop), "add_reader", None) not in _NO_READERS:
        return loop
    with _registry_lock:
        ref = _selector_threads.get(loop)
    selector = ref() if ref is not None else None
    if selector is None:
        selector = _start_selector_thread(loop)
    return selector


def _start_selector_thread(loop):
    try:
        from tornado.platform.asyncio import SelectorThread  # tornado >= 6.3
    except ImportError:
        SelectorThread = None
        try:
            from tornado.platform.asyncio import AddThreadSelectorEventLoop
        except ImportError:
            raise RuntimeError(
                f"the event loop {loop!r} cannot watch file descriptors (it has no add_reader), "
                "which zmq sockets need: run a selector event loop (on Windows: "
                "asyncio.set_event_loop_policy(asyncio.WindowsSelectorEventLoopPolicy())), or "
                "install tornado >= 6.1 to have a selector thread serve this loop") from None
    from zmq.asyncio import ProactorSelectorThreadWarning

    with _registry_lock:
        ref = _selector_threads.get(loop)
        selector = ref() if ref is not None else None
        if selector is not None:
            return selector
        if SelectorThread is not None:
            selector = SelectorThread(loop)
            _selector_threads[loop] = weakref.ref(selector)
        else:
            # Nobody else holds this wrapper, so this entry does (for good).
            # Only its add/remove methods are used: its close() would close `loop`.
            selector = AddThreadSelectorEventLoop(loop)
            _selector_threads[loop] = lambda: selector
    warnings.warn(
        f"the event loop {loop!r} has no add_reader, which zmq sockets need: a selector "
        "thread (from tornado) watches their file descriptors for it. A selector event loop "
        "needs no extra thread (on Windows: "
        "asyncio.set_event_loop_policy(asyncio.WindowsSelectorEventLoopPolicy())).",
        ProactorSelectorThreadWarning, stacklevel=_caller_level())
    return selector


_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


def _caller_level() -> int:
    """The stacklevel of the first frame outside zmq, for a warning to name
    the user's line that led to it."""
    frame = sys._getframe(1)
    level = 1
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        frame = frame.f_back
        level += 1
    return level


def _expire(fut) -> None:
    # RCVTIMEO/SNDTIMEO ran out before the socket was ready.
    if not fut.done():
        fut.set_exception(Again(EAGAIN))


def _cancel_quietly(fut, msg: str) -> None:
    # A future of a closed loop cannot schedule its callbacks; nobody can be
    # waiting on it any more, so a failed cancel is of no consequence.
    try:
        fut.cancel(msg)
    except RuntimeError:
        pass


class Request:
    """One receive or send waiting for the socket: `op(*args)` performs it
    without blocking, raising zmq.Again when the socket is not ready after all."""

    __slots__ = ("fut", "op", "args", "sock", "timer")

    def __init__(self, fut, op, args, sock, timer):
        self.fut = fut
        self.op = op
        self.args = args
        self.sock = sock
        self.timer = timer

    def finish(self) -> None:
        # A timer still pending would keep the future, and so its result (the
        # message), alive until it fired.
        timer = self.timer
        if timer is not None:
            self.timer = None
            timer.cancel()
        self.args = None


class Listener:
    """Something that wants to hear about readiness: `mask` is the POLLIN /
    POLLOUT events it cares about now (0 for none). `fire(events)` is called
    with the socket's current events when they intersect the mask; it returns
    how many libzmq calls it made on the socket (any call means the events
    must be read again). `watch_closed(reason)` is called when the watch goes
    away."""

    __slots__ = ()
    mask = 0

    def fire(self, events: int) -> int:
        raise NotImplementedError

    def watch_closed(self, reason: str) -> None:
        pass


class SocketWatch:
    __slots__ = (
        "loop", "thread_checked", "selector", "handle", "fd", "recv_q", "send_q", "listeners",
        "burst", "closed",
        "users", "_events_sock", "_check_pending", "_draining", "_recheck", "_tornado_loop",
        "__weakref__",
    )

    def __init__(self, loop, sock):
        self.loop = loop
        # Whether `loop._thread_id == get_ident()` tells that loop is the
        # running one (see _THREAD_ID_CHECK); callers on hot paths test it
        # before asking asyncio.
        self.thread_checked = _THREAD_ID_CHECK and isinstance(loop, asyncio.BaseEventLoop)
        self.selector = selector = selector_for(loop)
        self.handle = sock.underlying
        # A private shadow of the libzmq socket, to read ZMQ_EVENTS whichever
        # wrapper asked. It never closes the socket, and like every Socket
        # object on it, it is marked closed when any of them closes it.
        self._events_sock = CoreSocket(shadow=self.handle)
        self.fd = core_get(self._events_sock, FD)
        self.recv_q: deque = deque()
        self.send_q: deque = deque()
        self.listeners: list = []
        # Operations completed at once since the loop last ran this watch.
        self.burst = 0
        self.closed = False
        self.users: "weakref.WeakSet" = weakref.WeakSet()
        self._check_pending = False
        self._draining = False
        self._recheck = False
        # The tornado IOLoop the FD is registered through, if any (see
        # register_with_tornado); otherwise it is registered with `selector`.
        self._tornado_loop = None
        try:
            selector.add_reader(self.fd, self._drain)
        except OSError:
            # The fd number was registered for a socket closed behind the
            # loop's back, and is reused now; the selector dropped the stale
            # entry when updating it failed.
            selector.remove_reader(self.fd)
            selector.add_reader(self.fd, self._drain)

    def __repr__(self) -> str:
        state = " closed" if self.closed else ""
        return (f"<SocketWatch fd={self.fd} recv={len(self.recv_q)} send={len(self.send_q)} "
                f"listeners={len(self.listeners)}{state}>")

    # ------------------------------------------------------------ state

    def pending(self) -> bool:
        return bool(self.recv_q or self.send_q or self.listeners)

    def _socket_gone(self) -> bool:
        return self._events_sock.closed

    @staticmethod
    def purge(q: deque) -> None:
        """Drop finished (cancelled, timed-out) requests from the head of q."""
        while q and q[0].fut.done():
            q.popleft().finish()

    # ------------------------------------------------------------ waiting

    def wait(self, q: deque, fut, op, args, sock, timeout_ms: int) -> None:
        """Queue a request that could not complete at once (timeout_ms < 0:
        wait forever). Whoever made a libzmq call on the socket before calls
        schedule_check when others are waiting."""
        timer = None
        if timeout_ms >= 0:
            timer = self.loop.call_later(timeout_ms / 1000.0, _expire, fut)
        q.append(Request(fut, op, args, sock, timer))

    def add_listener(self, listener: Listener) -> None:
        self.listeners.append(listener)
        # Readiness may already be there, its edge consumed long ago.
        self.schedule_check()

    def remove_listener(self, listener: Listener) -> None:
        try:
            self.listeners.remove(listener)
        except ValueError:
            pass

    def schedule_check(self) -> None:
        """Re-read the socket's events soon (after somebody touched it).
        May be called from any thread (e.g. ZMQStream.send from another one,
        as tornado's add_callback allows)."""
        if self.closed:
            return
        loop = self.loop
        if not (self.thread_checked and loop._thread_id == get_ident()) and _get_running_loop() is not loop:
            # Another thread, or the loop is not running yet: the thread-safe
            # call also wakes a loop that sleeps in its selector.
            try:
                loop.call_soon_threadsafe(self._drain)
            except RuntimeError:
                pass  # that loop is closed
            return
        if self._draining:
            self._recheck = True
        elif not self._check_pending:
            self._check_pending = True
            loop.call_soon(self._drain)

    # ------------------------------------------------------------ serving

    def _drain(self) -> None:
        self._check_pending = False
        self.burst = 0
        if self.closed or self._draining:
            return
        if self._socket_gone():
            self.shutdown("the zmq socket was closed")
            return
        self._draining = True
        try:
            self._serve_rounds()
        finally:
            self._draining = False
        if self._recheck and not self.closed:
            # Out of budget, or asked to look again at the very end.
            self._recheck = False
            self._check_pending = True
            self.loop.call_soon(self._drain)

    def _serve_rounds(self) -> None:
        budget = DRAIN_BUDGET
        esock = self._events_sock
        while True:
            self._recheck = False
            try:
                events = core_get(esock, EVENTS)
            except ZMQError as e:
                self.shutdown(f"the zmq socket failed: {e}")
                return
            # Work done this round, in libzmq calls.
            work = 0
            touched = False
            if self.listeners:
                for listener in tuple(self.listeners):
                    if events & listener.mask:
                        n = listener.fire(events)
                        if n:
                            touched = True
                            work += n
                        if self.closed:
                            return
            if events & POLLIN and self.recv_q:
                work += self._serve(self.recv_q, budget)
                touched = True
            if events & POLLOUT and self.send_q and not self.closed:
                work += self._serve(self.send_q, budget)
                touched = True
            if self.closed:
                return
            if not (touched or self._recheck):
                return
            budget -= work if work else 1
            if budget <= 0:
                # More may be ready: let the loop run others first.
                self._recheck = True
                return

    def _serve(self, q: deque, budget: int) -> int:
        n = 0
        while q and n < budget:
            req = q[0]
            fut = req.fut
            if fut.done():
                q.popleft()
                req.finish()
                continue
            try:
                result = req.op(*req.args)
            except Again:
                break
            except Exception as e:
                q.popleft()
                req.finish()
                fut.set_exception(e)
            else:
                q.popleft()
                req.finish()
                fut.set_result(result)
            n += 1
        return n

    # ------------------------------------------------------------ ending

    def release(self, sock, socket_closing: bool) -> None:
        """`sock` stops using this watch. socket_closing: the libzmq socket
        itself is about to be closed, so everything waiting on it ends."""
        self.users.discard(sock)
        if self.closed:
            return
        if socket_closing:
            self.shutdown("the zmq socket was closed")
            return
        msg = "the zmq socket object was closed"
        for q in (self.recv_q, self.send_q):
            if q:
                keep = deque()
                for req in q:
                    if req.sock is sock:
                        req.finish()
                        _cancel_quietly(req.fut, msg)
                    else:
                        keep.append(req)
                q.clear()
                q.extend(keep)
        self.release_if_idle()

    def release_if_idle(self) -> None:
        if not self.closed and not len(self.users) and not self.pending():
            self.shutdown("idle")

    def shutdown(self, reason: str) -> None:
        """Unregister from the loop and end everything still waiting."""
        if self.closed:
            return
        self.closed = True
        self._unregister()
        msg = f"{reason} while this operation was waiting"
        for q in (self.recv_q, self.send_q):
            while q:
                req = q.popleft()
                req.finish()
                if not req.fut.done():
                    _cancel_quietly(req.fut, msg)
        listeners, self.listeners = self.listeners, []
        for listener in listeners:
            listener.watch_closed(msg)
        self.users = weakref.WeakSet()

    def register_with_tornado(self, io_loop, fileobj) -> None:
        """Register the FD through tornado's IOLoop (running on this watch's
        loop) with `fileobj`, a zmq.Socket, as its file object: as in pyzmq,
        IOLoop.close(all_fds=True) then closes the socket (ipykernel relies on
        it to shut down)."""
        if self._tornado_loop is not None or self.closed:
            return
        self.selector.remove_reader(self.fd)
        io_loop.add_handler(fileobj, self._tornado_ready, io_loop.READ)
        self._tornado_loop = io_loop

    def _tornado_ready(self, fd, events) -> None:
        self._drain()

    def _unregister(self) -> None:
        with _registry_lock:
            watches = _registry.get(self.loop)
            if watches is not None and watches.get(self.handle) is self:
                del watches[self.handle]
        loop = self.loop
        if self._tornado_loop is not None:
            # A no-op if IOLoop.close already removed it.
            if not loop.is_closed():
                self._tornado_loop.remove_handler(self.fd)
        elif not loop.is_closed():
            try:
                self.selector.remove_reader(self.fd)
            except (RuntimeError, ValueError, OSError):
                pass

    def abandon_from_other_thread(self) -> None:
        """Give the socket up while this watch's loop runs in another thread
        (nothing may be waiting on it). From now on the watch makes no libzmq
        call; its loop unregisters the FD on its next turn."""
        self.closed = True
        self.users = weakref.WeakSet()
        try:
            self.loop.call_soon_threadsafe(self._unregister)
        except RuntimeError:
            pass  # that loop closed meanwhile


def watch_for(loop, sock) -> SocketWatch:
    """The SocketWatch of `sock`'s libzmq socket in `loop`, made on first use."""
    if sock.closed:
        raise ZMQError(ENOTSOCK)
    handle = sock.underlying
    with _registry_lock:
        watches = _registry.get(loop)
        if watches is None:
            watches = _registry[loop] = {}
        w = watches.get(handle)
    if w is not None and (w.closed or w._socket_gone()):
        # A libzmq socket at the same address, closed behind our back: the
        # address now belongs to a new socket.
        w.shutdown("the zmq socket was closed")
        w = None
    if w is None:
        w = SocketWatch(loop, sock)
        with _registry_lock:
            watches[handle] = w
    return w


def recheck_polled(loop, items) -> None:
    """After a zmq_poll over `items` ([(socket_or_fd, flags)]) outside of the
    watches: that poll read the events of each zmq socket in it, which may
    have consumed the signal their watches in `loop` wait for, so those with
    something waiting look again."""
    with _registry_lock:
        watches = _registry.get(loop)
        if not watches:
            return
        found = [watches.get(obj.underlying) for obj, _ in items if isinstance(obj, CoreSocket)]
    for w in found:
        if w is not None and w.pending():
            w.schedule_check()
