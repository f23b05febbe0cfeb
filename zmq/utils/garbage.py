"""A keeper of Python objects that C code lends to libzmq.

Code that hands libzmq a pointer into a Python object (zero-copy from C) must
keep the object alive until libzmq lets go of it, and may be told so on a
libzmq thread where it must not touch Python. GarbageCollector.store(obj)
keeps obj and returns a key; sending that key (a native-endian unsigned
pointer-sized integer) to `gc.url` from any thread or process-local C code
releases obj and sets its event. This package's own zero-copy sends release
buffers from libzmq's callback directly and do not need it.
"""

from __future__ import annotations

import atexit
import struct
from os import getpid
from threading import Event, Lock, Thread
from typing import NamedTuple

import zmq

_KEY = struct.Struct("@N")


class gcref(NamedTuple):
    """What the collector keeps for a key: the object and its release event."""

    obj: object
    event: Event | None


class GarbageCollectorThread(Thread):
    """Receives released keys on the collector's PULL socket and drops them."""

    def __init__(self, gc: GarbageCollector) -> None:
        super().__init__(name="zmq.utils.garbage", daemon=True)
        self.gc = gc
        self.ready = Event()

    def run(self) -> None:
        sock = self.gc.context.socket(zmq.PULL)
        try:
            sock.linger = 0
            sock.bind(self.gc.url)
        finally:
            self.ready.set()
        try:
            while True:
                try:
                    msg = sock.recv()
                except zmq.ContextTerminated:
                    break
                if msg == b"DIE":
                    break
                if len(msg) != _KEY.size:
                    continue
                ref = self.gc.refs.pop(_KEY.unpack(msg)[0], None)
                if ref is not None and ref.event is not None:
                    ref.event.set()
        finally:
            sock.close()


class GarbageCollector:
    """Keeps objects until their key arrives on `url` (see the module doc)."""

    url = "inproc://pyzmq.gc.01"

    def __init__(self, context: zmq.Context | None = None) -> None:
        self.refs: dict[int, gcref] = {}
        self.pid: int | None = None
        self.thread: GarbageCollectorThread | None = None
        self._context = context
        self._lock = Lock()
        self._stay_down = False
        self._push: zmq.Socket | None = None
        self._push_mutex = Lock()
        atexit.register(self._atexit)

    @property
    def context(self) -> zmq.Context:
        """The context of the collector's sockets (a private one by default,
        so inproc keys stay within it)."""
        if self._context is None:
            self._context = zmq.Context()
        return self._context

    @context.setter
    def context(self, ctx: zmq.Context) -> None:
        if self.is_alive():
            if self.refs:
                raise RuntimeError("cannot change the context of a garbage collector holding references")
            self.stop()
        self._context = ctx

    @property
    def _push_socket(self) -> zmq.Socket:
        """A PUSH socket connected to url, to send keys from Python."""
        if self._push is None or self._push.closed:
            self._push = self.context.socket(zmq.PUSH)
            self._push.connect(self.url)
        return self._push

    def _atexit(self) -> None:
        self._stay_down = True
        self.stop()

    def _clear(self) -> None:
        self.refs.clear()
        self.pid = None
        self.thread = None
        self._push = None
        self._context = None

    def start(self) -> None:
        """Start the collector's thread (store does it when needed)."""
        if self.is_alive():
            return
        if self.pid != getpid():
            # In a forked child the parent's thread and context do not exist.
            self._clear()
        self.pid = getpid()
        self.thread = GarbageCollectorThread(self)
        self.thread.start()
        self.thread.ready.wait()

    def stop(self) -> None:
        """Stop the thread and close the collector's context."""
        if not self.is_alive():
            return
        with self._push_mutex:
            self._push_socket.send(b"DIE")
        assert self.thread is not None
        self.thread.join()
        if self._push is not None:
            self._push.close(linger=0)
        self.context.term()
        self._clear()

    def is_alive(self) -> bool:
        """Whether the thread runs in this process."""
        return self.pid == getpid() and self.thread is not None and self.thread.is_alive()

    def store(self, obj: object, event: Event | None = None) -> int:
        """Keep obj until its key (returned) is sent to url; then set event."""
        if self._stay_down:
            raise RuntimeError("the garbage collector is stopping: the interpreter is exiting")
        with self._lock:
            if not self.is_alive():
                self.start()
            key = id(obj)
            self.refs[key] = gcref(obj, event)
            return key

    def release(self, key: int) -> None:
        """Send key to the collector, from Python (C code sends it itself)."""
        with self._push_mutex:
            self._push_socket.send(_KEY.pack(key))


# The process-wide collector.
gc = GarbageCollector()
