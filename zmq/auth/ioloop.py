"""ZAP authentication for tornado's IOLoop: tornado runs on asyncio, so this
is AsyncioAuthenticator under its former name (deprecated)."""

from __future__ import annotations

import warnings
from typing import Any, Optional

import zmq

from .asyncio import AsyncioAuthenticator

__all__ = ["IOLoopAuthenticator"]

warnings.warn(
    "zmq.auth.ioloop.IOLoopAuthenticator is deprecated. Use zmq.auth.asyncio.AsyncioAuthenticator",
    DeprecationWarning,
    stacklevel=2,
)


class IOLoopAuthenticator(AsyncioAuthenticator):
    """AsyncioAuthenticator, kept for code written for tornado's IOLoop;
    io_loop is ignored (the authenticator serves the running asyncio loop,
    which is the one under tornado's current IOLoop)."""

    def __init__(self, context: Optional[zmq.Context[Any]] = None, encoding: str = "utf-8",
                 log: Any = None, io_loop: Any = None) -> None:
        if io_loop is not None:
            warnings.warn(
                f"{self.__class__.__name__}(io_loop) is deprecated and ignored",
                DeprecationWarning,
                stacklevel=2,
            )
        super().__init__(context=context, encoding=encoding, log=log)
