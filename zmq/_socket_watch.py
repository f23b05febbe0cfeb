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
"""

from __future__ import annotations

import threading
import weakref
from asyncio import _get_running_loop
from collections import deque

from zmq import backend, constants
from zmq.error import Again, ZMQError

_POLLIN = int(constants.POLLIN)
_POLLOUT = int(constants.POLLOUT)
_EVENTS = int(constants.EVENTS)
_FD = int(constants.FD)
_EAGAIN = int(constants.EAGAIN)
_ENOTSOCK = int(constants.ENOTSOCK)

_CoreSocket = backend.Socket
_core_get = backend.Socket.get

# Operations served per wake-up before the loop gets its turn back.
DRAIN_BUDGET = 256

# loop -> {libzmq socket address: SocketWatch}
_registry: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_registry_lock = threading.Lock()


def _expire(fut) -> None:
    # RCVTIMEO/SNDTIMEO ran out before the socket was ready.
    if not fut.done():
        fut.set_exception(Again(_EAGAIN))


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
        "loop", "handle", "fd", "recv_q", "send_q", "listeners", "burst", "closed",
        "users", "_events_sock", "_check_pending", "_draining", "_recheck", "_tornado_loop",
        "__weakref__",
    )

    def __init__(self, loop, sock):
        self.loop = loop
        self.handle = sock.underlying
        # A private shadow of the libzmq socket, to read ZMQ_EVENTS whichever
        # wrapper asked. It never closes the socket, and like every Socket
        # object on it, it is marked closed when any of them closes it.
        self._events_sock = _CoreSocket(shadow=self.handle)
        self.fd = _core_get(self._events_sock, _FD)
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
        # register_with_tornado); otherwise it is registered with `loop`.
        self._tornado_loop = None
        try:
            loop.add_reader(self.fd, self._drain)
        except OSError:
            # The fd number was registered for a socket closed behind the
            # loop's back, and is reused now; the selector dropped the stale
            # entry when updating it failed.
            loop.remove_reader(self.fd)
            loop.add_reader(self.fd, self._drain)

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
        if _get_running_loop() is not loop:
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
                events = _core_get(esock, _EVENTS)
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
            if events & _POLLIN and self.recv_q:
                work += self._serve(self.recv_q, budget)
                touched = True
            if events & _POLLOUT and self.send_q and not self.closed:
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
        self.loop.remove_reader(self.fd)
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
                loop.remove_reader(self.fd)
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
        raise ZMQError(_ENOTSOCK)
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
