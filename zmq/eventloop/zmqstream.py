"""ZMQStream: callbacks for a zmq socket in tornado's IOLoop.

    stream = ZMQStream(sock)
    stream.on_recv(lambda msg: stream.send_multipart(msg))   # an echo server

Received messages are handed to the `on_recv` callback as lists of parts, in
batches, from the event loop. Sends are queued and go out from the loop on its
next turn (or at once with `flush()`), each reported to the `on_send`
callback. A callback may be a coroutine function: its coroutine is scheduled
on the loop, and its exceptions logged.
"""

from __future__ import annotations

import asyncio
import inspect
import pickle
import warnings
from collections import deque
from typing import TYPE_CHECKING, Any, Callable, Sequence

from tornado.ioloop import IOLoop
from tornado.log import gen_log

import zmq
from zmq._async_ops import DONTWAIT, ENOTSOCK, EVENTS, POLLIN, POLLOUT, check_parts, send_parts
from zmq._future import _AsyncSocket
from zmq._socket_watch import Listener, watch_for
from zmq.error import Again, ZMQError
from zmq.utils import jsonapi

if TYPE_CHECKING:
    from typing import Literal, TypeVar, Union, overload

    from typing_extensions import Concatenate, Self

    from zmq._typing import TypeAlias
    from zmq.sugar.frame import Frame
    from zmq.sugar.socket import _SocketContext
    from zmq.sugar.tracker import MessageTracker

    # What a message is handed to the recv callbacks as: parts of this type.
    _RecvT = TypeVar("_RecvT", bound=Union[bytes, Frame])
    # Callbacks may return anything (a coroutine is scheduled on the loop).
    _Ignored: TypeAlias = object
    _CallbackRecv: TypeAlias = Callable[[list[_RecvT]], _Ignored]
    _CallbackRecvStream: TypeAlias = Callable[["ZMQStream", list[_RecvT]], _Ignored]
    _CallbackSend: TypeAlias = Callable[[list[Any], Union[MessageTracker, None]], _Ignored]

__all__ = ["ZMQStream"]


# Messages handled per direction each time the loop hands the socket over.
BATCH = 64


def _log_async_failure(fut) -> None:
    if not fut.cancelled() and fut.exception() is not None:
        gen_log.error("Uncaught exception in ZMQStream callback", exc_info=fut.exception())


class _StreamListener(Listener):
    __slots__ = ("stream", "mask")

    def __init__(self, stream):
        self.stream = stream
        self.mask = 0

    def fire(self, events: int) -> int:
        stream = self.stream
        work = 0
        if events & POLLIN and stream._recv_callback is not None:
            work += stream._receive_some(BATCH)
        if events & POLLOUT and stream._send_queue and stream.socket is not None:
            work += stream._send_some(BATCH)
        return work

    def watch_closed(self, reason: str) -> None:
        stream = self.stream
        stream._watch = None
        if stream.socket is not None:
            stream._close(None)


class ZMQStream:
    """Callbacks for the messages a zmq socket receives and sends, run by
    tornado's IOLoop (`io_loop`, default IOLoop.current()).

    The socket must be a plain zmq.Socket; an async socket is replaced (with a
    warning) by a plain socket sharing its libzmq socket.
    """

    # None once the stream is closed; declared without None (as pyzmq declares
    # it) so that users need not check it on an open stream.
    socket: zmq.Socket[Any]
    io_loop: IOLoop
    poller: zmq.Poller

    if TYPE_CHECKING:
        # The socket's own methods, bound at creation.
        bind: Callable[[str], _SocketContext[zmq.Socket[Any]]]
        bind_to_random_port: Callable[Concatenate[str, ...], int]
        connect: Callable[[str], _SocketContext[zmq.Socket[Any]]]
        setsockopt: Callable[[int, Union[int, bytes]], None]
        getsockopt: Callable[[int], Union[int, bytes]]
        setsockopt_string: Callable[Concatenate[int, str, ...], None]
        setsockopt_unicode: Callable[Concatenate[int, str, ...], None]
        getsockopt_string: Callable[Concatenate[int, ...], str]
        getsockopt_unicode: Callable[Concatenate[int, ...], str]

    def __init__(self, socket: zmq.Socket[Any], io_loop: IOLoop | None = None) -> None:
        if isinstance(socket, _AsyncSocket):
            warnings.warn(
                "ZMQStream takes a plain zmq.Socket; using zmq.Socket(shadow=...) of the async socket "
                "given. Make a plain socket with ctx.socket(type, socket_class=zmq.Socket).",
                RuntimeWarning, stacklevel=2)
            self._async_source = socket
            socket = zmq.Socket.shadow(socket.underlying)
        self.socket = socket
        self.io_loop = io_loop or IOLoop.current()
        self._loop = getattr(self.io_loop, "asyncio_loop", self.io_loop)
        self.poller = zmq.Poller()
        self.poller.register(socket, zmq.POLLIN | zmq.POLLOUT)
        self._recv_callback = None
        self._recv_copy = True
        self._send_callback = None
        self._close_callback = None
        self._send_queue: deque = deque()
        self._listener = _StreamListener(self)
        self._watch = watch_for(self._loop, socket)
        self._fd = self._watch.fd
        if self._loop is not self.io_loop:
            self._watch.register_with_tornado(self.io_loop, socket)
        self._watch.users.add(self)
        self._watch.add_listener(self._listener)

        self.bind = socket.bind
        self.bind_to_random_port = socket.bind_to_random_port
        self.connect = socket.connect
        self.setsockopt = socket.setsockopt
        self.getsockopt = socket.getsockopt
        self.setsockopt_string = socket.setsockopt_string
        self.getsockopt_string = socket.getsockopt_string
        self.setsockopt_unicode = socket.setsockopt_unicode
        self.getsockopt_unicode = socket.getsockopt_unicode

    def __repr__(self) -> str:
        state = "closed" if self.socket is None else repr(self.socket)
        return f"<ZMQStream {state}>"

    # ------------------------------------------------------------ callbacks

    def _update_interest(self) -> None:
        listener = self._listener
        mask = (POLLIN if self._recv_callback is not None else 0) | (POLLOUT if self._send_queue else 0)
        grew = mask & ~listener.mask
        listener.mask = mask
        w = self._watch
        if grew and w is not None:
            # What we now want may have been ready for a while, its signal
            # long consumed: look now rather than wait for the next one.
            w.schedule_check()

    if TYPE_CHECKING:

        @overload
        def on_recv(self, callback: _CallbackRecv[bytes] | None, copy: Literal[True] = True) -> None: ...
        @overload
        def on_recv(self, callback: _CallbackRecv[Frame], copy: Literal[False]) -> None: ...
        @overload
        def on_recv(self, callback: _CallbackRecv[_RecvT] | None, copy: bool = True) -> None: ...

    def on_recv(self, callback: _CallbackRecv[Any] | None, copy: bool = True) -> None:
        """Call callback(msg) with each message received, a list of bytes (of
        Frames with copy=False). None stops receiving."""
        # AssertionError, as pyzmq raises.
        assert callback is None or callable(callback), f"callback must be callable, not {callback!r}"
        self._check_closed()
        self._recv_callback = callback
        self._recv_copy = copy
        self._update_interest()

    if TYPE_CHECKING:

        @overload
        def on_recv_stream(
            self, callback: _CallbackRecvStream[bytes] | None, copy: Literal[True] = True
        ) -> None: ...
        @overload
        def on_recv_stream(self, callback: _CallbackRecvStream[Frame], copy: Literal[False]) -> None: ...
        @overload
        def on_recv_stream(self, callback: _CallbackRecvStream[_RecvT] | None, copy: bool = True) -> None: ...

    def on_recv_stream(self, callback: _CallbackRecvStream[Any] | None, copy: bool = True) -> None:
        """Like on_recv, with callback(stream, msg)."""
        assert callback is None or callable(callback), f"callback must be callable, not {callback!r}"
        if callback is None:
            self.on_recv(None)
        else:
            self.on_recv(lambda msg: callback(self, msg), copy=copy)

    def stop_on_recv(self) -> None:
        """Stop receiving (messages stay queued in the socket)."""
        self.on_recv(None)

    def on_send(self, callback: _CallbackSend | None) -> None:
        """Call callback(msg, status) after each message is sent: msg as given
        to send, status the send's result (a MessageTracker or None), or the
        zmq.ZMQError that failed it. None removes the callback."""
        assert callback is None or callable(callback), f"callback must be callable, not {callback!r}"
        self._check_closed()
        self._send_callback = callback

    def on_send_stream(
        self, callback: Callable[[Self, list[Any], MessageTracker | None], Any] | None
    ) -> None:
        """Like on_send, with callback(stream, msg, status)."""
        assert callback is None or callable(callback), f"callback must be callable, not {callback!r}"
        if callback is None:
            self.on_send(None)
        else:
            self.on_send(lambda msg, status: callback(self, msg, status))

    def stop_on_send(self) -> None:
        """Remove the send callback."""
        self.on_send(None)

    def on_err(self, callback: Callable[..., Any]) -> None:
        """Does nothing: libzmq reports no error events. Kept for old code."""
        warnings.warn("ZMQStream.on_err does nothing and will be removed", DeprecationWarning, stacklevel=2)

    def stop_on_err(self) -> None:
        """Does nothing: kept for old code."""
        warnings.warn("ZMQStream.on_err does nothing and will be removed", DeprecationWarning, stacklevel=2)

    def set_close_callback(self, callback: Callable[[], _Ignored] | None) -> None:
        """Call callback() when the stream is closed."""
        self._close_callback = callback

    def _run_callback(self, callback: Callable[..., Any], *args: Any) -> None:
        try:
            result = callback(*args)
        except Exception:
            # One failing callback must not stop the stream or lose the
            # messages after it.
            gen_log.error("Uncaught exception in ZMQStream callback", exc_info=True)
            return
        if result is not None and inspect.isawaitable(result):
            fut = asyncio.ensure_future(result, loop=self._loop)
            fut.add_done_callback(_log_async_failure)

    # ------------------------------------------------------------ sending

    def send(
        self,
        msg: Any,
        flags: int = 0,
        copy: bool = True,
        track: bool = False,
        callback: _CallbackSend | None = None,
        **kwargs: Any,
    ) -> None:
        """Queue a one-part message (sent from the loop)."""
        self.send_multipart([msg], flags=flags, copy=copy, track=track, callback=callback, **kwargs)

    def send_multipart(
        self,
        msg: Sequence[Any],
        flags: int = 0,
        copy: bool = True,
        track: bool = False,
        callback: _CallbackSend | None = None,
        **kwargs: Any,
    ) -> None:
        """Queue a multipart message (sent whole, from the loop). callback,
        if given, becomes the on_send callback."""
        self._check_closed()
        parts = check_parts(msg)
        self._send_queue.append((msg, parts, flags, copy, track, kwargs))
        if callback is not None:
            self.on_send(callback)
        listener = self._listener
        if not listener.mask & POLLOUT:
            self._update_interest()

    def send_string(
        self,
        u: str,
        flags: int = 0,
        encoding: str = "utf-8",
        callback: _CallbackSend | None = None,
        **kwargs: Any,
    ) -> None:
        """Queue a str, encoded."""
        if not isinstance(u, str):
            raise TypeError("unicode/str objects only")
        self.send(u.encode(encoding), flags=flags, callback=callback, **kwargs)

    send_unicode = send_string

    def send_json(self, obj: Any, flags: int = 0, callback: _CallbackSend | None = None, **kwargs: Any) -> None:
        """Queue obj as JSON."""
        self.send(jsonapi.dumps(obj), flags=flags, callback=callback, **kwargs)

    def send_pyobj(
        self,
        obj: Any,
        flags: int = 0,
        protocol: int = -1,
        callback: _CallbackSend | None = None,
        **kwargs: Any,
    ) -> None:
        """Queue obj pickled (with the highest protocol unless told)."""
        self.send(pickle.dumps(obj, protocol), flags=flags, callback=callback, **kwargs)

    # ------------------------------------------------------------ the work

    def _receive_some(self, limit: int) -> int:
        """Receive up to limit messages into the callback; returns the libzmq
        calls made."""
        n = 0
        while n < limit:
            callback = self._recv_callback
            sock = self.socket
            if callback is None or sock is None or sock.closed:
                break
            n += 1
            try:
                msg = sock.recv_multipart(DONTWAIT, copy=self._recv_copy)
            except Again:
                break
            except ZMQError as e:
                gen_log.error("RECV Error: %s", e)
                break
            self._run_callback(callback, msg)
        return n

    def _send_one(self) -> bool:
        """Send the first queued message; False if the socket cannot take it now."""
        msg, parts, flags, copy, track, kwargs = self._send_queue[0]
        try:
            status = send_parts(self.socket, parts, flags | DONTWAIT, copy, track, kwargs)
        except Again:
            return False
        except ZMQError as e:
            gen_log.error("SEND Error: %s", e)
            status = e
        self._send_queue.popleft()
        callback = self._send_callback
        if callback is not None:
            self._run_callback(callback, msg, status)
        return True

    def _send_some(self, limit: int) -> int:
        n = 0
        while self._send_queue and n < limit:
            sock = self.socket
            if sock is None or sock.closed:
                break
            n += 1
            if not self._send_one():
                break
        if not self._send_queue:
            self._listener.mask &= ~POLLOUT
        return n

    def flush(self, flag: int = POLLIN | POLLOUT, limit: int | None = None) -> int:
        """Handle what is ready now, without waiting for the loop: received
        messages go to the recv callback (or are dropped when there is none),
        queued messages are sent. Stops at the first direction with nothing
        ready, or after `limit` messages; returns how many were handled."""
        self._check_closed()
        count = 0
        touched = False
        sock = self.socket
        # Only when the socket has something to receive: a send-only socket
        # (PUB, PUSH) would fail with ENOTSUP (ipyparallel flushes its PUB
        # heartbeat stream).
        if flag & POLLIN and sock.get(EVENTS) & POLLIN:
            while limit is None or count < limit:
                touched = True
                try:
                    msg = sock.recv_multipart(DONTWAIT, copy=self._recv_copy)
                except Again:
                    break
                count += 1
                callback = self._recv_callback
                if callback is not None:
                    self._run_callback(callback, msg)
                if self.socket is None:
                    return count
        if flag & POLLOUT:
            while self._send_queue and (limit is None or count < limit):
                touched = True
                if not self._send_one():
                    break
                count += 1
                if self.socket is None:
                    return count
            if not self._send_queue:
                self._listener.mask &= ~POLLOUT
        if touched and self._watch is not None:
            self._watch.schedule_check()
        return count

    # ------------------------------------------------------------ state

    def receiving(self) -> bool:
        """Whether a recv callback is set."""
        return self._recv_callback is not None

    def sending(self) -> bool:
        """Whether messages are queued for sending."""
        return bool(self._send_queue)

    def closed(self) -> bool:
        """Whether the stream (or its socket) is closed."""
        if self.socket is None:
            return True
        if self.socket.closed:
            self._warn_socket_closed_directly()
            self._close(None)
            return True
        return False

    def _check_closed(self) -> None:
        if self.socket is None:
            # OSError, as pyzmq raises.
            raise OSError("the ZMQStream is closed")
        if self.socket.closed:
            raise ZMQError(ENOTSOCK)

    def _warn_socket_closed_directly(self) -> None:
        # pyzmq's warning: it unregisters by a raw FD number then, which may
        # belong to another socket by now. Here the stream knows the socket is
        # gone, but the advice holds.
        warnings.warn(
            f"Unregistering FD {self._fd} after closing socket. Close the stream with "
            "stream.close() rather than closing its socket directly.", stacklevel=3)

    def close(self, linger: int | None = None) -> None:
        """Close the socket (linger in ms, as for Socket.close) and stop
        handling it; queued sends are dropped. Runs the close callback."""
        sock = self.socket
        if sock is not None and sock.closed:
            self._warn_socket_closed_directly()
        self._close(linger)

    def _close(self, linger: int | None) -> None:
        sock = self.socket
        if sock is None:
            return
        self.socket = None  # type: ignore[assignment]
        listener = self._listener
        listener.mask = 0
        w = self._watch
        self._watch = None
        if w is not None:
            w.remove_listener(listener)
            w.release(self, socket_closing=not sock.closed)
        if not sock.closed:
            sock.close(linger)
        self._send_queue.clear()
        callback = self._close_callback
        if callback is not None:
            self._close_callback = None
            self._run_callback(callback)
