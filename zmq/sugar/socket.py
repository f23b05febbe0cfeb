"""zmq.Socket: the compiled socket plus pyzmq's conveniences (attribute-style
options, string/JSON/pickle helpers, monitoring, random-port binding)."""

from __future__ import annotations

import errno as _errno
import itertools
import pickle
import random
import warnings
from typing import TYPE_CHECKING, Any, Callable, Generic, Sequence, TypeVar, Union

from zmq import backend, constants
from zmq._typing import TypeAlias
from zmq.backend import _option_is_bytes, interpreter_exiting, zmq_poll
from zmq.error import ZMQBindError, ZMQError
from zmq.sugar.attrsettr import AttributeSetter, install_option_attributes
from zmq.utils.interop import _shadow_address
from zmq.utils import jsonapi

if TYPE_CHECKING:
    from typing import Literal, overload

    from typing_extensions import Buffer, Self

    from zmq.sugar.context import Context
    from zmq.sugar.frame import Frame
    from zmq.sugar.tracker import MessageTracker

__all__ = ["Socket", "SyncSocket"]

DEFAULT_PROTOCOL = pickle.DEFAULT_PROTOCOL

_monitor_ids = itertools.count()

# What recv returns: bytes for this class, awaitables in the async subclasses.
_SocketType = TypeVar("_SocketType", covariant=True)
# The socket a _SocketContext hands back from __enter__.
if TYPE_CHECKING:
    _BoundSocket = TypeVar("_BoundSocket", bound="Socket[Any]", covariant=True)
else:
    # The bound is for type checkers: at run time a string would make typing
    # import annotationlib and ast (3.14) for a forward reference.
    _BoundSocket = TypeVar("_BoundSocket", covariant=True)
_T = TypeVar("_T")
_R = TypeVar("_R")

# What recv_json can give: the types json.loads makes of a top-level value.
_JSONValue: TypeAlias = Union[dict[str, Any], list[Any], str, float]


class Socket(backend.Socket, AttributeSetter, Generic[_SocketType]):
    """A ZeroMQ socket. Make one with `context.socket(socket_type)`.

    Socket(context, socket_type), Socket(shadow=address) to wrap an existing
    libzmq socket, or Socket(other_socket) for a second object on the same one.
    Closing any of them closes the libzmq socket.
    """

    _monitor_socket = None
    # `sub.subscribe = b"topic"` subscribes, although subscribe is a method.
    _option_first = frozenset({"subscribe", "unsubscribe"})

    if TYPE_CHECKING:
        # The compiled base class does the work; these declare its ways of
        # being called. A Socket made directly is a plain Socket[bytes].
        @overload
        def __init__(
            self: Socket[bytes],
            ctx_or_socket: Context[Any],
            socket_type: int,
            *,
            copy_threshold: int | None = None,
        ) -> None: ...
        @overload
        def __init__(
            self: Socket[bytes],
            *,
            shadow: Socket[Any] | int,
            copy_threshold: int | None = None,
        ) -> None: ...
        @overload
        def __init__(self: Socket[bytes], ctx_or_socket: Socket[Any]) -> None: ...
        def __init__(self, *args: Any, **kwargs: Any) -> None: ...

    # The defaults keep what __del__ needs reachable while the interpreter
    # shuts down and clears module globals.
    def __del__(self, _exiting: Any = interpreter_exiting, _warn: Any = warnings.warn) -> None:
        # underlying is 0 when construction failed: nothing was opened.
        if self.closed or self._is_shadow or not self.underlying or _exiting():
            return
        _warn(f"Unclosed socket {self!r}", ResourceWarning, stacklevel=2, source=self)
        # A recorded warning keeps its source alive, which would keep the
        # libzmq socket open and make ctx.term() wait for ever: close it now.
        if self._owned_by_this_process:
            self.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def __copy__(self, memo: Any = None) -> Self:
        """A shadow: a second Socket object on the same libzmq socket."""
        return self.__class__.shadow(self.underlying)

    __deepcopy__ = __copy__

    def __repr__(self) -> str:
        cls = type(self)
        name = "zmq.Socket" if cls is Socket else f"{cls.__module__}.{cls.__qualname__}"
        try:
            kind = f"zmq.{self.type.name}"
        except ValueError:
            kind = str(self._socket_type_number)
        closed = " closed" if self.closed else ""
        return f"<{name}({kind}) at {hex(id(self))}{closed}>"

    @classmethod
    def shadow(cls, address: int | Socket[Any]) -> Self:
        """A Socket wrapping the libzmq socket at `address` (an int, or an
        object with `underlying` such as another Socket), without owning it."""
        return cls(shadow=_shadow_address(address))

    def bind(self, addr: str) -> _SocketContext[Self]:  # type: ignore[override]
        """Bind to an endpoint, e.g. 'tcp://127.0.0.1:5555' or 'inproc://name'.
        The result can be used as a context manager that unbinds on exit."""
        super().bind(addr)
        if isinstance(addr, str) and (addr.endswith(":0") or "*" in addr):
            # A wildcard is unbound by the endpoint it resolved to.
            addr = self.get(constants.LAST_ENDPOINT).decode("utf-8")
        return _SocketContext(self, "bind", addr)

    def connect(self, addr: str) -> _SocketContext[Self]:  # type: ignore[override]
        """Connect to an endpoint. The result can be used as a context manager
        that disconnects on exit."""
        super().connect(addr)
        return _SocketContext(self, "connect", addr)

    # ------------------------------------------------------------- options

    setsockopt = backend.Socket.set
    getsockopt = backend.Socket.get

    def set_string(self, option: int, optval: str, encoding: str = "utf-8") -> None:
        """Set a bytes option from a str."""
        if not isinstance(optval, str):
            raise TypeError(f"unicode strings only, got: {optval!r}")
        self.set(option, optval.encode(encoding))

    def get_string(self, option: int, encoding: str = "utf-8") -> str:
        """Get a bytes option decoded to str."""
        if not _option_is_bytes(option):
            raise TypeError(f"option {option} will not return a string to be decoded")
        return self.get(option).decode(encoding)

    setsockopt_string = setsockopt_unicode = set_string
    getsockopt_string = getsockopt_unicode = get_string

    def _set_attr_opt(self, name: str, option: int, value: Any) -> None:
        if name == "HWM":
            self.set_hwm(value)
        else:
            self.set(option, value)

    def _get_attr_opt(self, name: str, option: int) -> Any:
        if name == "HWM":
            return self.get_hwm()
        if name in ("CURVE_PUBLICKEY", "CURVE_SECRETKEY", "CURVE_SERVERKEY", "SUBSCRIBE", "UNSUBSCRIBE"):
            try:
                return self.get(option)
            except ZMQError as e:
                if e.errno == _errno.EINVAL:
                    raise AttributeError(f"{name.lower()} attribute is write-only") from None
                raise
        return self.get(option)

    def set_hwm(self, value: int) -> None:
        """Set both the send and the receive high-water mark."""
        self.set(constants.SNDHWM, value)
        self.set(constants.RCVHWM, value)

    def get_hwm(self) -> int:
        """The high-water mark (SNDHWM; set_hwm keeps both equal)."""
        return self.get(constants.SNDHWM)

    if TYPE_CHECKING:

        @property
        def hwm(self) -> int:
            """The send and receive high-water mark."""

        @hwm.setter
        def hwm(self, value: int) -> None: ...

    else:
        hwm = property(get_hwm, set_hwm, doc="The send and receive high-water mark.")

    @property
    def type(self) -> constants.SocketType:
        """The socket type, as a zmq.SocketType (also after close)."""
        return constants.SocketType(self._socket_type_number)

    @property
    def socket_type(self) -> constants.SocketType:
        """Deprecated alias of `type`."""
        warnings.warn("Socket.socket_type is deprecated, use Socket.type", DeprecationWarning, stacklevel=2)
        return self.type

    def fileno(self) -> int:
        """The file descriptor that signals pending events (the FD option);
        edge-triggered: check `events` after it becomes readable."""
        return self.get(constants.FD)

    def subscribe(self, topic: str | bytes) -> None:
        """Subscribe a SUB socket to messages starting with topic (str or bytes)."""
        if isinstance(topic, str):
            topic = topic.encode("utf-8")
        self.set(constants.SUBSCRIBE, topic)

    def unsubscribe(self, topic: str | bytes) -> None:
        """Undo subscribe(topic)."""
        if isinstance(topic, str):
            topic = topic.encode("utf-8")
        self.set(constants.UNSUBSCRIBE, topic)

    # ------------------------------------------------------------- binding

    def bind_to_random_port(self, addr: str, min_port: int = 49152, max_port: int = 65536,
                            max_tries: int = 100) -> int:
        """Bind to a random port of addr ('tcp://127.0.0.1') and return it.

        With the default range the OS picks a free ephemeral port. Otherwise up
        to max_tries ports in [min_port, max_port) are tried; ZMQBindError if
        none could be bound."""
        if min_port == 49152 and max_port == 65536:
            self.bind(f"{addr}:*")
            endpoint = self.get(constants.LAST_ENDPOINT).decode("ascii")
            return int(endpoint.rsplit(":", 1)[-1])
        for _ in range(max_tries):
            port = random.randrange(min_port, max_port)
            try:
                self.bind(f"{addr}:{port}")
            except ZMQError as e:
                if e.errno not in (_errno.EADDRINUSE, _errno.EACCES):
                    raise
            else:
                return port
        raise ZMQBindError("Could not bind socket to random port.")

    # ------------------------------------------------------------- polling

    def poll(self, timeout: int | None = None, flags: int = constants.POLLIN) -> int:
        """Wait up to timeout ms (None: forever) for the events in flags;
        return the events that occurred (0 on timeout)."""
        if self.closed:
            raise ZMQError(constants.ENOTSUP)
        events = zmq_poll([(self, flags)], -1 if timeout is None else timeout)
        return events[0][1] if events else 0

    # ------------------------------------------------------------- monitor

    def get_monitor_socket(self, events: int | None = None, addr: str | None = None) -> Self:
        """Start monitoring and return a PAIR socket that receives the events
        (parse them with zmq.utils.monitor.recv_monitor_message)."""
        if self._monitor_socket is not None and not self._monitor_socket.closed:
            return self._monitor_socket
        if addr is None:
            # The counter keeps it unique: a new socket may get the address of
            # a closed one whose monitor endpoint is still bound.
            addr = f"inproc://monitor.s-{self.underlying}.{next(_monitor_ids)}"
        if events is None:
            events = constants.EVENT_ALL
        self.monitor(addr, events)
        monitor = self.context.socket(constants.PAIR)
        monitor.connect(addr)
        self._monitor_socket = monitor
        return monitor

    def disable_monitor(self) -> None:
        """Stop the monitoring started by get_monitor_socket or monitor."""
        self._monitor_socket = None
        self.monitor(None, 0)

    # ------------------------------------------------------------- serialization

    def send_json(self, obj: object, flags: int = 0, **kwargs: Any) -> None:
        """Send obj as one JSON message; kwargs go to json.dumps, except the
        send options copy, track, routing_id and group."""
        send_kwargs = {k: kwargs.pop(k) for k in ("copy", "track", "routing_id", "group") if k in kwargs}
        return self.send(jsonapi.dumps(obj, **kwargs), flags, **send_kwargs)

    def recv_json(self, flags: int = 0, **kwargs: Any) -> _JSONValue:
        """Receive one message and parse it as JSON (kwargs go to json.loads).
        Invalid JSON raises ValueError; the message is consumed either way."""
        return jsonapi.loads(self.recv(flags), **kwargs)

    def send_pyobj(
        self, obj: object, flags: int = 0, protocol: int = DEFAULT_PROTOCOL, **kwargs: Any
    ) -> MessageTracker | None:
        """Send a pickled object."""
        return self.send(pickle.dumps(obj, protocol), flags, **kwargs)

    def recv_pyobj(self, flags: int = 0) -> Any:
        """Receive and unpickle an object. Only use with trusted peers:
        unpickling can run arbitrary code."""
        return pickle.loads(self.recv(flags))

    send_unicode = backend.Socket.send_string
    recv_unicode = backend.Socket.recv_string

    def send_serialized(
        self,
        msg: _T,
        serialize: Callable[[_T], Sequence[Frame | Buffer]],
        flags: int = 0,
        copy: bool = True,
        **kwargs: Any,
    ) -> MessageTracker | None:
        """Send serialize(msg), a list of parts, as one multipart message."""
        return self.send_multipart(serialize(msg), flags, copy=copy, **kwargs)

    if TYPE_CHECKING:

        @overload
        def recv_serialized(
            self, deserialize: Callable[[list[bytes]], _R], flags: int = 0, copy: bool = True
        ) -> _R: ...
        @overload
        def recv_serialized(
            self, deserialize: Callable[[list[Frame]], _R], flags: int = 0, copy: bool = True
        ) -> _R: ...

    def recv_serialized(self, deserialize: Callable[[list[Any]], _R], flags: int = 0, copy: bool = True) -> _R:
        """Receive a multipart message and return deserialize(parts)."""
        return deserialize(self.recv_multipart(flags, copy=copy))


install_option_attributes(Socket, constants.SocketOption)


class _SocketContext(Generic[_BoundSocket]):
    """What bind/connect return: `with sock.bind(url):` unbinds on exit."""

    __slots__ = ("socket", "kind", "addr")

    if TYPE_CHECKING:
        socket: _BoundSocket
        kind: str
        addr: str

    def __init__(self, socket: _BoundSocket, kind: str, addr: str) -> None:
        self.socket = socket
        self.kind = kind
        self.addr = addr

    def __repr__(self) -> str:
        return f"<SocketContext({self.kind}={self.addr!r})>"

    def __enter__(self) -> _BoundSocket:
        return self.socket

    def __exit__(self, *exc_info: Any) -> None:
        if self.socket.closed:
            return
        if self.kind == "bind":
            self.socket.unbind(self.addr)
        else:
            self.socket.disconnect(self.addr)


# The plain (not async) Socket, as a type: Socket[bytes].
SyncSocket: TypeAlias = Socket[bytes]
