"""Devices: forwarding loops between sockets, set up in advance and run in the
foreground, in a thread or in a child process.

- Device, ThreadDevice, ProcessDevice: zmq.proxy between an 'in' and an 'out'
  socket;
- Proxy, ThreadProxy, ProcessProxy: the same with a monitor socket that gets
  a copy of every message;
- ProxySteerable, ThreadProxySteerable, ProcessProxySteerable: with a control
  socket too (zmq.proxy_steerable: PAUSE, RESUME, TERMINATE, STATISTICS);
- MonitoredQueue, ThreadMonitoredQueue, ProcessMonitoredQueue: the compiled
  monitored_queue loop, whose monitor copies are led by a prefix telling the
  side they came from.
"""

from zmq.devices import basedevice, monitoredqueue, monitoredqueuedevice, proxydevice, proxysteerabledevice
from zmq.devices.basedevice import Device, ProcessDevice, ThreadDevice
from zmq.devices.monitoredqueue import monitored_queue
from zmq.devices.monitoredqueuedevice import MonitoredQueue, ProcessMonitoredQueue, ThreadMonitoredQueue
from zmq.devices.proxydevice import ProcessProxy, Proxy, ThreadProxy
from zmq.devices.proxysteerabledevice import ProcessProxySteerable, ProxySteerable, ThreadProxySteerable

__all__ = [
    "Device",
    "ThreadDevice",
    "ProcessDevice",
    "Proxy",
    "ThreadProxy",
    "ProcessProxy",
    "ProxySteerable",
    "ThreadProxySteerable",
    "ProcessProxySteerable",
    "monitored_queue",
    "MonitoredQueue",
    "ThreadMonitoredQueue",
    "ProcessMonitoredQueue",
]
