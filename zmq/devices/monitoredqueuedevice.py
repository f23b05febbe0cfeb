"""MonitoredQueue devices: proxies whose loop is monitored_queue, which tells
the monitor which side each copied message came from by a prefix frame."""

from __future__ import annotations

import zmq
from zmq.devices.monitoredqueue import monitored_queue
from zmq.devices.proxydevice import ProcessProxy, Proxy, ThreadProxy

__all__ = ["MonitoredQueue", "ThreadMonitoredQueue", "ProcessMonitoredQueue"]


class MonitoredQueueBase:
    """The monitored_queue loop, mixed in before a proxy class.

    in_prefix and out_prefix (bytes) lead the copies on the monitor socket of
    messages that came in on the 'in' and on the 'out' socket. Both sides may
    be ROUTER sockets.
    """

    _in_prefix: bytes = b""
    _out_prefix: bytes = b""

    def __init__(self, in_type, out_type, mon_type=zmq.PUB, in_prefix=b"in", out_prefix=b"out"):
        super().__init__(in_type, out_type, mon_type)
        self._in_prefix = in_prefix
        self._out_prefix = out_prefix

    def run_device(self):
        ins, outs, mons = self._setup_sockets()
        monitored_queue(ins, outs, mons, self._in_prefix, self._out_prefix)


class MonitoredQueue(MonitoredQueueBase, Proxy):
    """A monitored queue run in the foreground: start() blocks."""


class ThreadMonitoredQueue(MonitoredQueueBase, ThreadProxy):
    """A monitored queue run in a thread."""


class ProcessMonitoredQueue(MonitoredQueueBase, ProcessProxy):
    """A monitored queue run in a child process."""
