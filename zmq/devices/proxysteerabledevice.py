"""Steerable proxy devices: a proxy with a fourth, control socket, on which
zmq.proxy_steerable takes the commands PAUSE, RESUME, TERMINATE and
STATISTICS. TERMINATE ends the device normally."""

from __future__ import annotations

from typing import Any

import zmq
from zmq.devices.proxydevice import ProcessProxy, Proxy, ThreadProxy

__all__ = ["ProxySteerable", "ThreadProxySteerable", "ProcessProxySteerable"]


class ProxySteerableBase:
    """The control socket's part, mixed in before a proxy class.

    ctrl_type is the control socket's type; it must be given a socket type
    (for example PAIR or SUB) before the device runs.
    """

    ctrl_type: Any
    _ctrl_binds: list[str]
    _ctrl_connects: list[str]
    _ctrl_sockopts: list[tuple[int, Any]]

    def __init__(self, in_type, out_type, mon_type=zmq.PUB, ctrl_type=None):
        super().__init__(in_type, out_type, mon_type)
        self.ctrl_type = ctrl_type
        self._ctrl_binds = []
        self._ctrl_connects = []
        self._ctrl_sockopts = []

    def bind_ctrl(self, addr):
        """Bind the control socket to addr when the device runs."""
        self._ctrl_binds.append(addr)

    def bind_ctrl_to_random_port(self, addr, *args, **kwargs):
        """Pick a free port for the control socket now (the arguments are those
        of Socket.bind_to_random_port), bind it there when the device runs,
        and return the port."""
        port = self._reserve_random_port(addr, *args, **kwargs)
        self.bind_ctrl(f"{addr}:{port}")
        return port

    def connect_ctrl(self, addr):
        """Connect the control socket to addr when the device runs."""
        self._ctrl_connects.append(addr)

    def setsockopt_ctrl(self, opt, value):
        """Set option opt of the control socket to value when the device runs."""
        self._ctrl_sockopts.append((opt, value))

    def _setup_sockets(self):
        ins, outs, mons = super()._setup_sockets()
        ctrl = self._make_socket(self._context, self.ctrl_type)
        self._configure((ctrl, self._ctrl_sockopts, self._ctrl_binds, self._ctrl_connects))
        return ins, outs, mons, ctrl

    def run_device(self):
        ins, outs, mons, ctrl = self._setup_sockets()
        zmq.proxy_steerable(ins, outs, mons, ctrl)


class ProxySteerable(ProxySteerableBase, Proxy):
    """A steerable proxy run in the foreground: start() blocks."""


class ThreadProxySteerable(ProxySteerableBase, ThreadProxy):
    """A steerable proxy run in a thread."""


class ProcessProxySteerable(ProxySteerableBase, ProcessProxy):
    """A steerable proxy run in a child process."""
