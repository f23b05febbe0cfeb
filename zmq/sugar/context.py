"""zmq.Context: the compiled context plus pyzmq's conveniences (the process-wide
instance, default socket options, attribute-style options, destroy)."""

from __future__ import annotations

import os
import threading
import warnings
from typing import TYPE_CHECKING, Any, Callable, Generic, TypeVar

from zmq import backend, constants
from zmq._typing import TypeAlias
from zmq.backend import interpreter_exiting
from zmq.error import ZMQError
from zmq.sugar.attrsettr import AttributeSetter, install_option_attributes
from zmq.utils.interop import _shadow_address
from zmq.sugar.socket import Socket

if TYPE_CHECKING:
    from typing import overload

    from typing_extensions import Self

__all__ = ["Context", "SyncContext"]

# The class of the sockets a context makes: Socket here, the async Socket
# classes for the async contexts.
_SocketType = TypeVar("_SocketType", bound=Socket, covariant=True)


class Context(backend.Context, AttributeSetter, Generic[_SocketType]):
    """A ZeroMQ context.

    Context(io_threads=1), or Context(shadow=address) / Context(other_context)
    to wrap an existing libzmq context without owning it. Used as a context
    manager, it is destroyed (sockets closed, then terminated) on exit.
    A context that is garbage-collected unterminated is terminated in the
    background, so queued messages are still delivered per their linger.
    """

    _socket_class = Socket
    _instance = None
    _instance_pid = None
    _instance_lock = threading.Lock()

    if TYPE_CHECKING:
        # The compiled base class does the work; these declare its ways of
        # being called. A Context made directly makes plain Socket[bytes].
        @overload
        def __init__(self: SyncContext, io_threads: int = 1) -> None: ...
        @overload
        def __init__(self: SyncContext, io_threads: Context[Any], /) -> None: ...
        @overload
        def __init__(self: SyncContext, *, shadow: Context[Any] | int) -> None: ...
        def __init__(self, *args: Any, **kwargs: Any) -> None: ...

    # The defaults keep what __del__ needs reachable while the interpreter
    # shuts down and clears module globals (a live Context.instance() is
    # collected then).
    def __del__(self, _exiting: Any = interpreter_exiting, _warn: Any = warnings.warn) -> None:
        # underlying is 0 when construction failed: nothing was opened.
        if not self.closed and not self._is_shadow and self.underlying and not _exiting():
            message = f"Unclosed context {self!r}"
            # Never waits for lingering messages: they are dropped (see README,
            # Reliability), and the user is told how many.
            discarded = self._terminate_dropped(self.dropped_linger)
            if discarded:
                message += f": {discarded} undelivered message{'s' if discarded != 1 else ''} discarded"
            _warn(message, ResourceWarning, stacklevel=2, source=self)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        open_sockets = [s for s in self._live_sockets() if not s.closed]
        for sock in open_sockets:
            warnings.warn(f"Destroying context with unclosed socket {sock!r}", ResourceWarning,
                          stacklevel=2, source=sock)
        self.destroy()

    def __repr__(self) -> str:
        cls = type(self)
        name = "zmq.Context" if cls is Context else f"{cls.__module__}.{cls.__qualname__}"
        n = len([s for s in self._live_sockets() if not s.closed])
        sockets = f"{n} socket{'s' if n != 1 else ''}" if n else ""
        closed = " closed" if self.closed else ""
        return f"<{name}({sockets}) at {hex(id(self))}{closed}>"

    def __copy__(self, memo: Any = None) -> Self:
        """A shadow: a second Context object on the same libzmq context."""
        return self.__class__.shadow(self.underlying)

    __deepcopy__ = __copy__

    @classmethod
    def instance(cls, io_threads: int = 1) -> Self:
        """The process-wide shared Context, created on first use (and anew after
        it was terminated, or in a forked child)."""
        pid = os.getpid()
        inst = cls._instance
        if inst is None or inst.closed or cls._instance_pid != pid:
            with cls._instance_lock:
                inst = cls._instance
                if inst is None or inst.closed or cls._instance_pid != pid:
                    inst = cls(io_threads=io_threads)
                    cls._instance = inst
                    cls._instance_pid = pid
        return inst

    @classmethod
    def shadow(cls, address: int | Context[Any]) -> Self:
        """A Context wrapping the libzmq context at `address` (an int, or an
        object with `underlying`), without owning it."""
        return cls(shadow=_shadow_address(address))

    @classmethod
    def shadow_pyczmq(cls, ctx: Any) -> Self:
        """Not supported: pyczmq is unmaintained. Use Context.shadow(address)
        with the address of the libzmq context instead."""
        raise NotImplementedError(
            "shadow_pyczmq is not supported; use Context.shadow(address) with the libzmq context's address")

    def socket(
        self,
        socket_type: int,
        socket_class: Callable[[Self, int], _SocketType] | None = None,
        **kwargs: Any,
    ) -> _SocketType:
        """A new socket of this context. socket_class defaults to
        `self._socket_class`; kwargs go to the socket class. The context's
        default socket options (setsockopt) are applied first."""
        if self.closed:
            raise ZMQError(constants.ENOTSUP)
        cls = socket_class if socket_class is not None else self._socket_class
        sock = cls(self, socket_type, **kwargs)
        # A copy: another thread may set a default meanwhile.
        for option, value in self.sockopts.copy().items():
            try:
                sock.setsockopt(option, value)
            except ZMQError:
                # Defaults that do not apply to this socket type are skipped,
                # e.g. SUBSCRIBE on anything but SUB.
                pass
        return sock

    def setsockopt(self, option: int, optval: Any) -> None:
        """Set a default option for sockets made by this context from now on."""
        self.sockopts[option] = optval

    def getsockopt(self, option: int) -> str | bytes | int:
        """A default socket option set with setsockopt."""
        return self.sockopts[option]

    def _set_attr_opt(self, name: str, option: int, value: Any) -> None:
        if isinstance(option, constants.ContextOption):
            self.set(option, value)
        else:
            self.setsockopt(option, value)

    def _get_attr_opt(self, name: str, option: int) -> Any:
        if isinstance(option, constants.ContextOption):
            return self.get(option)
        if option not in self.sockopts:
            raise AttributeError(name)
        return self.sockopts[option]

    def _del_attr_opt(self, name: str, option: int) -> None:
        if isinstance(option, constants.ContextOption) or option not in self.sockopts:
            raise AttributeError(name)
        del self.sockopts[option]

    def destroy(self, linger: int | None = None) -> None:
        """Close every socket of this context (with the given linger, in ms, if
        not None) and terminate it."""
        if self.closed:
            return
        for sock in self._live_sockets():
            if not sock.closed:
                sock.close(linger=linger)
        self.term()


install_option_attributes(Context, constants.ContextOption, constants.SocketOption)


# The plain (not async) Context, as a type: Context[Socket[bytes]].
SyncContext: TypeAlias = Context[Socket[bytes]]
