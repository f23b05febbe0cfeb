"""Devices: two sockets (and, in subclasses, a monitor and a control socket)
configured up front, then handed to a forwarding loop that runs in the
foreground (Device), in a thread (ThreadDevice) or in a child process
(ProcessDevice).

A device only records what to do with its sockets (bind_*, connect_*,
setsockopt_*); the sockets themselves are made, configured and used by run(),
in whatever thread or process runs it. run() ends when the loop does: when
the context the sockets belong to is terminated (ETERM), when a socket is
closed under it (ENOTSOCK), or, for a steerable proxy, on a TERMINATE command.
Then `done` is True and the device's sockets are closed.
"""

from __future__ import annotations

import time
from multiprocessing import Process
from threading import Thread
from typing import Any, Callable, Optional

import zmq
from zmq import ENOTSOCK, ETERM, PUSH, QUEUE, Context, ZMQBindError, ZMQError, proxy

__all__ = ["Device", "ThreadDevice", "ProcessDevice"]

# How often a foreground Device's join() looks at `done`.
_JOIN_POLL_INTERVAL = 0.01


class Device:
    """A forwarding device between an 'in' and an 'out' socket.

    device_type (zmq.QUEUE, zmq.FORWARDER or zmq.STREAMER) is kept for
    compatibility: libzmq forwards the same way for all of them (zmq.proxy).
    in_type and out_type are the socket types of the two sides; both are
    required.

    Nothing is created until run(): the bind_*, connect_* and setsockopt_*
    methods record what run() will do to each socket, in this order: options,
    binds, connects. start() runs the device; in this class that blocks, in
    ThreadDevice and ProcessDevice it launches the device in the background.

    The sockets come from ``self.context_factory()``: the global
    ``Context.instance()`` by default, a fresh Context in a child process.
    Terminating that context stops the device.
    """

    context_factory: Callable[[], zmq.Context] = Context.instance
    """Called with no argument by run() to get the context of the sockets."""

    daemon: bool
    """Whether a background device's thread or process is a daemon (default
    True): the interpreter does not wait for it on exit."""
    done: bool
    """True once run() has finished."""
    device_type: int
    in_type: int
    out_type: int
    _in_binds: list[str]
    _in_connects: list[str]
    _in_sockopts: list[tuple[int, Any]]
    _out_binds: list[str]
    _out_connects: list[str]
    _out_sockopts: list[tuple[int, Any]]
    _random_addrs: list[str]
    _sockets: list[zmq.Socket]

    def __init__(
        self,
        device_type: int = QUEUE,
        in_type: Optional[int] = None,
        out_type: Optional[int] = None,
    ) -> None:
        if in_type is None:
            raise TypeError("in_type must be specified")
        if out_type is None:
            raise TypeError("out_type must be specified")
        self.device_type = device_type
        self.in_type = in_type
        self.out_type = out_type
        self._in_binds = []
        self._in_connects = []
        self._in_sockopts = []
        self._out_binds = []
        self._out_connects = []
        self._out_sockopts = []
        self._random_addrs = []
        self.daemon = True
        self.done = False
        self._sockets = []

    # -- the 'in' socket --------------------------------------------------------

    def bind_in(self, addr: str) -> None:
        """Bind the 'in' socket to addr when the device runs."""
        self._in_binds.append(addr)

    def bind_in_to_random_port(self, addr: str, *args: int, **kwargs: int) -> int:
        """Pick a free port for the 'in' socket now (the arguments are those of
        Socket.bind_to_random_port), bind it there when the device runs, and
        return the port."""
        port = self._reserve_random_port(addr, *args, **kwargs)
        self.bind_in(f"{addr}:{port}")
        return port

    def connect_in(self, addr: str) -> None:
        """Connect the 'in' socket to addr when the device runs."""
        self._in_connects.append(addr)

    def setsockopt_in(self, opt: int, value: Any) -> None:
        """Set option opt of the 'in' socket to value when the device runs."""
        self._in_sockopts.append((opt, value))

    # -- the 'out' socket -------------------------------------------------------

    def bind_out(self, addr: str) -> None:
        """Bind the 'out' socket to addr when the device runs."""
        self._out_binds.append(addr)

    def bind_out_to_random_port(self, addr: str, *args: int, **kwargs: int) -> int:
        """Like bind_in_to_random_port, for the 'out' socket."""
        port = self._reserve_random_port(addr, *args, **kwargs)
        self.bind_out(f"{addr}:{port}")
        return port

    def connect_out(self, addr: str) -> None:
        """Connect the 'out' socket to addr when the device runs."""
        self._out_connects.append(addr)

    def setsockopt_out(self, opt: int, value: Any) -> None:
        """Set option opt of the 'out' socket to value when the device runs."""
        self._out_sockopts.append((opt, value))

    # -- running ----------------------------------------------------------------

    def _reserve_random_port(self, addr: str, *args: int, **kwargs: int) -> int:
        """A port that Socket.bind_to_random_port(addr, *args, **kwargs) finds
        free now and that no other *_to_random_port call of this device has
        handed out (the real bind happens later, in run()). Raises
        ZMQBindError when there is none."""
        with Context() as ctx, ctx.socket(PUSH) as probe:
            probe.linger = 0
            # The probe keeps every port it is given bound until the end, so
            # each try yields a new port and the loop ends: at the latest after
            # one more try than there are ports already handed out.
            for _ in range(len(self._random_addrs) + 1):
                port = probe.bind_to_random_port(addr, *args, **kwargs)
                candidate = f"{addr}:{port}"
                if candidate not in self._random_addrs:
                    self._random_addrs.append(candidate)
                    return port
        raise ZMQBindError("Could not bind socket to random port.")

    def _make_socket(self, ctx: zmq.Context, socket_type: int) -> zmq.Socket:
        sock = ctx.socket(socket_type)
        # Kept at once, so that run() closes it even if configuring it fails.
        self._sockets.append(sock)
        return sock

    @staticmethod
    def _configure(*plans: tuple[zmq.Socket, list[tuple[int, Any]], list[str], list[str]]) -> None:
        """Apply (socket, options, binds, connects) plans: all the options
        first, then the binds, then the connects."""
        for sock, sockopts, _, _ in plans:
            for opt, value in sockopts:
                sock.setsockopt(opt, value)
        for sock, _, binds, _ in plans:
            for addr in binds:
                sock.bind(addr)
        for sock, _, _, connects in plans:
            for addr in connects:
                sock.connect(addr)

    def _setup_sockets(self) -> tuple[zmq.Socket, zmq.Socket]:
        """Make the 'in' and 'out' sockets in the context from
        context_factory(), and apply the recorded options, binds and
        connects."""
        ctx = self.context_factory()
        self._context = ctx
        ins = self._make_socket(ctx, self.in_type)
        outs = self._make_socket(ctx, self.out_type)
        self._configure(
            (ins, self._in_sockopts, self._in_binds, self._in_connects),
            (outs, self._out_sockopts, self._out_binds, self._out_connects),
        )
        return ins, outs

    def run_device(self) -> None:
        """Set up the sockets and forward between them (blocking)."""
        ins, outs = self._setup_sockets()
        proxy(ins, outs)

    def _close_sockets(self) -> None:
        for sock in self._sockets:
            if not sock.closed:
                sock.close()

    def run(self) -> None:
        """Run the device in the calling thread until it stops. Termination of
        its context (or its sockets being closed) is the normal end and
        returns; any other error is raised. Either way `done` becomes True
        and the device's sockets are closed."""
        try:
            self.run_device()
        except ZMQError as e:
            if e.errno not in (ETERM, ENOTSOCK):
                raise
        finally:
            self.done = True
            self._close_sockets()

    def start(self) -> None:
        """Run the device. Here that blocks, as run() does; the background
        classes return at once."""
        return self.run()

    def join(self, timeout: Optional[float] = None) -> None:
        """Wait until the device is done, or for at most timeout seconds."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self.done:
            if deadline is None:
                time.sleep(_JOIN_POLL_INTERVAL)
                continue
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            time.sleep(min(_JOIN_POLL_INTERVAL, remaining))


class BackgroundDevice(Device):
    """A Device whose start() runs it in a launcher: an object made by
    ``_launch_class(target=self.run)`` (a Thread or a Process), kept as
    `launcher`."""

    launcher: Any = None
    _launch_class: Any = None

    def start(self) -> None:
        """Launch run() in the background and return."""
        self.launcher = self._launch_class(target=self.run)
        self.launcher.daemon = self.daemon
        return self.launcher.start()

    def join(self, timeout: Optional[float] = None) -> None:
        """Wait for the launched thread or process to end (at most timeout
        seconds)."""
        return self.launcher.join(timeout=timeout)


class ThreadDevice(BackgroundDevice):
    """A Device running in a thread of this process. Its sockets belong to
    ``Context.instance()`` by default: terminating that context (or the one
    context_factory returns) stops it."""

    _launch_class = Thread


class ProcessDevice(BackgroundDevice):
    """A Device running in a child process (multiprocessing.Process), with
    sockets in a context of its own, made in the child. Stop it with
    ``launcher.terminate()``, or a steerable proxy's TERMINATE command."""

    _launch_class = Process
    context_factory = Context
