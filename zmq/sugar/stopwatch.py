"""Stopwatch: microsecond timing, kept for programs written against pyzmq's."""

from __future__ import annotations

import time
import warnings

from zmq.error import ZMQError

__all__ = ["Stopwatch"]


class Stopwatch:
    """A stopwatch counting microseconds: start(), then stop() returns the
    time elapsed. Deprecated in pyzmq too: use time.monotonic."""

    def __init__(self) -> None:
        warnings.warn("zmq.Stopwatch is deprecated. Use stdlib time.monotonic and friends instead",
                      DeprecationWarning, stacklevel=2)
        self._start = 0

    def start(self) -> None:
        """Start (or restart) the stopwatch."""
        self._start = time.monotonic_ns()

    def stop(self) -> int:
        """The microseconds since start(); ZMQError if it was never started."""
        if self._start == 0:
            raise ZMQError(0, "Must start the Stopwatch before calling stop.")
        elapsed = time.monotonic_ns() - self._start
        self._start = 0
        return elapsed // 1000
