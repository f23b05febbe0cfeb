"""Proxy devices: a Device with a third, monitor socket, to which zmq.proxy
copies every message it forwards."""

from __future__ import annotations

from typing import Any

import zmq
from zmq.devices.basedevice import Device, ProcessDevice, ThreadDevice

__all__ = ["Proxy", "ThreadProxy", "ProcessProxy"]


class ProxyBase:
    """The monitor socket's part, mixed in before a Device class.

    mon_type is the monitor socket's type (PUB by default); the device type
    is always QUEUE.
    """

    mon_type: int
    _mon_binds: list[str]
    _mon_connects: list[str]
    _mon_sockopts: list[tuple[int, Any]]

    def __init__(self, in_type, out_type, mon_type=zmq.PUB):
        super().__init__(zmq.QUEUE, in_type, out_type)
        self.mon_type = mon_type
        self._mon_binds = []
        self._mon_connects = []
        self._mon_sockopts = []

    def bind_mon(self, addr):
        """Bind the monitor socket to addr when the device runs."""
        self._mon_binds.append(addr)

    def bind_mon_to_random_port(self, addr, *args, **kwargs):
        """Pick a free port for the monitor socket now (the arguments are those
        of Socket.bind_to_random_port), bind it there when the device runs,
        and return the port."""
        port = self._reserve_random_port(addr, *args, **kwargs)
        self.bind_mon(f"{addr}:{port}")
        return port

    def connect_mon(self, addr):
        """Connect the monitor socket to addr when the device runs."""
        self._mon_connects.append(addr)

    def setsockopt_mon(self, opt, value):
        """Set option opt of the monitor socket to value when the device runs."""
        self._mon_sockopts.append((opt, value))

    def _setup_sockets(self):
        ins, outs = super()._setup_sockets()
        mons = self._make_socket(self._context, self.mon_type)
        self._configure((mons, self._mon_sockopts, self._mon_binds, self._mon_connects))
        return ins, outs, mons

    def run_device(self):
        ins, outs, mons = self._setup_sockets()
        zmq.proxy(ins, outs, mons)


class Proxy(ProxyBase, Device):
    """A proxy device run in the foreground: start() blocks."""


class ThreadProxy(ProxyBase, ThreadDevice):
    """A proxy device run in a thread."""


class ProcessProxy(ProxyBase, ProcessDevice):
    """A proxy device run in a child process."""
