"""The exceptions raised by zmq.

libzmq's errno values map to classes: EAGAIN -> Again, ETERM ->
ContextTerminated, EINTR -> InterruptedSystemCall, anything else -> ZMQError.
All derive from ZMQBaseError.
"""

from __future__ import annotations

import errno as _errno

__all__ = [
    "DraftFDWarning", "ZMQBaseError", "ZMQBindError", "ZMQError", "NotDone",
    "ContextTerminated", "InterruptedSystemCall", "Again", "ZMQVersionError",
]


class ZMQBaseError(Exception):
    """Base of every exception raised by zmq."""


class ZMQError(ZMQBaseError):
    """A libzmq call failed. `errno` holds the error number, `strerror` its text."""

    errno: int | None = None
    strerror: str = ""

    def __init__(self, errno: int | None = None, msg: str | None = None):
        if errno is None:
            from zmq.backend import zmq_errno

            errno = zmq_errno()
        if isinstance(errno, int):
            self.errno = errno
            if msg is None:
                from zmq.backend import strerror

                msg = strerror(errno)
            self.strerror = msg
        else:
            # ZMQError("text"): a message without an errno.
            self.errno = None
            self.strerror = str(errno) if msg is None else msg
        super().__init__(self.errno, self.strerror)

    def __str__(self) -> str:
        return self.strerror

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.strerror!r})"


class ZMQBindError(ZMQBaseError):
    """bind_to_random_port found no free port in its range."""


class Again(ZMQError):
    """EAGAIN: a non-blocking call would have blocked, or a timeout expired."""

    def __init__(self, errno: int | None = _errno.EAGAIN, msg: str | None = None):
        super().__init__(errno, msg)


class ContextTerminated(ZMQError):
    """ETERM: the socket's context was terminated."""

    def __init__(self, errno: int | None = None, msg: str | None = None):
        if errno is None:
            from zmq.constants import ETERM as errno
        super().__init__(errno, msg)


class InterruptedSystemCall(ZMQError, InterruptedError):
    """EINTR: the call was interrupted by a signal."""

    def __init__(self, errno: int | None = _errno.EINTR, msg: str | None = None):
        super().__init__(errno, msg)


class NotDone(ZMQBaseError):
    """MessageTracker.wait timed out before the message was released."""


class ZMQVersionError(NotImplementedError):
    """A feature needs a newer libzmq than the one linked."""

    min_version: str | None = None
    msg: str = "Feature"

    def __init__(self, min_version: str, msg: str = "Feature"):
        from zmq.sugar.version import zmq_version

        self.msg = msg
        self.min_version = min_version
        self.version = zmq_version()

    def __str__(self) -> str:
        return f"{self.msg} requires libzmq >= {self.min_version}, have {self.version}"

    def __repr__(self) -> str:
        return f"ZMQVersionError({str(self)!r})"


class DraftFDWarning(RuntimeWarning):
    """About reading the FD of a thread-safe (draft API) socket, which libzmq
    does not provide; filter it with warnings.simplefilter like any warning."""

    def __init__(self, msg: str = "") -> None:
        if not msg:
            msg = ("socket.FD of thread-safe (draft API) sockets is not provided by libzmq; "
                   "poll such sockets with zmq_poll instead")
        super().__init__(msg)


def _check_version(min_version_info: tuple, msg: str = "Feature") -> None:
    """Raise ZMQVersionError when libzmq is older than min_version_info."""
    from zmq.backend import zmq_version_info

    if zmq_version_info() < tuple(min_version_info):
        raise ZMQVersionError(".".join(str(v) for v in min_version_info), msg)
