"""ZAP authentication served by an asyncio event loop."""

from __future__ import annotations

import asyncio
import warnings
from typing import Any, Optional

import zmq

from .base import Authenticator, _describe_request, _ReadableWaiter

__all__ = ["AsyncioAuthenticator"]


class AsyncioAuthenticator(Authenticator):
    """An Authenticator whose ZAP requests are answered by a task of the
    asyncio event loop, from start() to stop().

    Call start() and stop() from the loop's thread. stop() releases the
    socket and its file descriptor at once; the task ends at the loop's next
    iteration. Credentials providers may be coroutines."""

    __task: Any

    def __init__(self, context: Optional[zmq.Context[Any]] = None, loop: Any = None,
                 encoding: str = "utf-8", log: Any = None) -> None:
        super().__init__(context=context, encoding=encoding, log=log)
        if loop is not None:
            warnings.warn(
                f"{self.__class__.__name__}(loop) is deprecated and ignored",
                DeprecationWarning,
                stacklevel=2,
            )
        self.__task = None
        self.__waiter = _ReadableWaiter()

    async def __handle_zap(self) -> None:
        sock = self.zap_socket
        try:
            while True:
                await self.__waiter.wait([sock])
                try:
                    msg = sock.recv_multipart(zmq.NOBLOCK)
                except zmq.Again:
                    continue
                try:
                    await self.handle_zap_message(msg)
                except zmq.ContextTerminated:
                    raise
                except Exception:
                    # The peer was refused; keep serving the others.
                    self.log.exception("Error handling %s", _describe_request(msg))
        except zmq.ContextTerminated:
            # term() (from another thread) waits for this socket to close.
            self.log.debug("context terminated: ZAP handling ends")
            self.__waiter.release()
            sock.close(linger=0)

    def start(self) -> None:
        """Bind the ZAP socket and start serving it in the event loop (the
        running one, else the current one)."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", DeprecationWarning)
                    loop = asyncio.get_event_loop()
            except RuntimeError:
                raise RuntimeError(
                    f"{self.__class__.__name__}.start() needs an asyncio event loop: "
                    "call it from a coroutine, or set one with asyncio.set_event_loop()"
                ) from None
        super().start()
        self.__task = loop.create_task(self.__handle_zap())

    def stop(self) -> None:
        """Stop serving and close the ZAP socket. Calling it again is a no-op."""
        task, self.__task = self.__task, None
        # Unwatched before the socket closes, so that the loop's selector never
        # holds a descriptor that is closed (and possibly reused).
        self.__waiter.release()
        if task is not None and not task.done():
            try:
                task.cancel()
            except RuntimeError:
                pass  # its loop is closed: the task can never run again
        super().stop()
