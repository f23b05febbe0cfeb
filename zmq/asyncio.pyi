# Type declarations for zmq.asyncio: sockets whose send/recv family return
# awaitables. Written against the module's public API (the classes below and
# their pyzmq-compatible methods), not its implementation in zmq._future.
#
# The awaitable socket and poller are declared once here, as bases that exist
# only for type checkers, and shared with zmq.eventloop.future.

import asyncio as _asyncio
from collections.abc import Awaitable, Sequence
from typing import Any, Literal, overload, type_check_only

from typing_extensions import Self

import zmq
from zmq.sugar.frame import Frame
from zmq.sugar.tracker import MessageTracker

__all__ = ["Context", "Socket", "Poller", "ZMQEventLoop", "install"]

@type_check_only
class _AwaitableSocket(zmq.Socket[_asyncio.Future[Any]]):
    """The send/recv family of an async socket: each returns an awaitable."""

    @classmethod
    def from_socket(cls, socket: zmq.Socket[Any], io_loop: Any = None) -> Self: ...
    def send(  # type: ignore[override]
        self,
        data: Any,
        flags: int = 0,
        copy: bool = True,
        track: bool = False,
        routing_id: int | None = None,
        group: str | None = None,
    ) -> Awaitable[MessageTracker | None]: ...
    @overload  # type: ignore[override]
    def recv(self, flags: int = 0, *, track: bool = False) -> Awaitable[bytes]: ...
    @overload
    def recv(self, flags: int = 0, *, copy: Literal[True], track: bool = False) -> Awaitable[bytes]: ...
    @overload
    def recv(self, flags: int = 0, *, copy: Literal[False], track: bool = False) -> Awaitable[Frame]: ...
    @overload
    def recv(self, flags: int = 0, copy: bool = True, track: bool = False) -> Awaitable[bytes | Frame]: ...
    def recv_into(  # type: ignore[override]
        self, buffer: Any, /, *, nbytes: int = 0, flags: int = 0
    ) -> Awaitable[int]: ...
    def send_multipart(  # type: ignore[override]
        self,
        msg_parts: Sequence[Any],
        flags: int = 0,
        copy: bool = True,
        track: bool = False,
        **kwargs: Any,
    ) -> Awaitable[MessageTracker | None]: ...
    @overload  # type: ignore[override]
    def recv_multipart(self, flags: int = 0, *, track: bool = False) -> Awaitable[list[bytes]]: ...
    @overload
    def recv_multipart(
        self, flags: int = 0, *, copy: Literal[True], track: bool = False
    ) -> Awaitable[list[bytes]]: ...
    @overload
    def recv_multipart(
        self, flags: int = 0, *, copy: Literal[False], track: bool = False
    ) -> Awaitable[list[Frame]]: ...
    @overload
    def recv_multipart(
        self, flags: int = 0, copy: bool = True, track: bool = False
    ) -> Awaitable[list[bytes] | list[Frame]]: ...
    # The serializing senders are declared as pyzmq declares them (an
    # awaitable of Frame | None), so that code checked against pyzmq checks
    # the same here.
    def send_string(  # type: ignore[override]
        self,
        u: str,
        flags: int = 0,
        copy: bool = True,
        encoding: str = "utf-8",
        **kwargs: Any,
    ) -> Awaitable[Frame | None]: ...
    def recv_string(self, flags: int = 0, encoding: str = "utf-8") -> Awaitable[str]: ...  # type: ignore[override]
    def send_pyobj(  # type: ignore[override]
        self, obj: Any, flags: int = 0, protocol: int = ..., **kwargs: Any
    ) -> Awaitable[Frame | None]: ...
    def recv_pyobj(self, flags: int = 0) -> Awaitable[Any]: ...
    def send_json(self, obj: Any, flags: int = 0, **kwargs: Any) -> Awaitable[Frame | None]: ...  # type: ignore[override]
    def recv_json(self, flags: int = 0, **kwargs: Any) -> Awaitable[Any]: ...  # type: ignore[override]
    # As pyzmq declares it; what the awaitable gives is the events that
    # occurred (an int, 0 on timeout).
    def poll(  # type: ignore[override]
        self, timeout: float | None = None, flags: int = ...
    ) -> Awaitable[list[tuple[Any, int]]]: ...

@type_check_only
class _AwaitablePoller(zmq.Poller):
    """A Poller whose poll() returns an awaitable."""

    def poll(self, timeout: float | None = -1) -> Awaitable[list[tuple[Any, int]]]: ...  # type: ignore[override]

class Socket(_AwaitableSocket):
    """A zmq socket for asyncio."""

class Poller(_AwaitablePoller):
    """A Poller for asyncio."""

    _socket_class: type[Socket]

class Context(zmq.Context[Socket]):
    """A Context whose sockets are zmq.asyncio.Socket."""

    _socket_class: type[Socket]  # type: ignore[assignment]
    def __init__(
        self,
        io_threads: int | zmq.Context[Any] = 1,
        shadow: zmq.Context[Any] | int = 0,
    ) -> None: ...

class ProactorSelectorThreadWarning(RuntimeWarning):
    """Warned once per loop that lacks add_reader (Windows' proactor loop)."""

ZMQEventLoop = _asyncio.SelectorEventLoop

def install() -> None: ...
