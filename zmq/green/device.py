"""gevent-cooperative proxy, proxy_steerable and device: message forwarding
that yields to other greenlets instead of blocking the hub."""

from __future__ import annotations

import struct

from zmq._async_ops import DONTWAIT, POLLIN
from zmq.error import Again
from zmq.green.core import _Socket
from zmq.green.poll import _Poller

__all__ = ["proxy", "proxy_steerable", "device"]

# Messages forwarded from one socket before the other gets its turn.
_BATCH = 100


def _green(sock):
    # A plain socket would block the hub: use a cooperative one on the same
    # libzmq socket.
    if sock is None or isinstance(sock, _Socket):
        return sock
    return _Socket.shadow(sock.underlying)


def _forward(source, dest, capture, stats, index) -> None:
    for _ in range(_BATCH):
        try:
            msg = source.recv_multipart(DONTWAIT)
        except Again:
            return
        stats[index] += 1
        stats[index + 1] += sum(len(part) for part in msg)
        if capture is not None:
            capture.send_multipart(msg)
        dest.send_multipart(msg)
        stats[(index + 6) % 8] += 1
        stats[(index + 6) % 8 + 1] += sum(len(part) for part in msg)


def proxy_steerable(frontend, backend, capture=None, control=None):
    """Forward messages between frontend and backend (copies to capture, if
    given) until the context is terminated (zmq.ContextTerminated is raised,
    as by zmq.proxy). A control socket takes b'PAUSE', b'RESUME',
    b'TERMINATE' (then this returns 0) and b'STATISTICS' (answered with the
    eight counters libzmq's proxy reports)."""
    frontend, backend = _green(frontend), _green(backend)
    capture, control = _green(capture), _green(control)
    # Messages and bytes: frontend in, frontend out, backend in, backend out.
    stats = [0] * 8
    poller = _Poller()
    poller.register(frontend, POLLIN)
    if backend is not frontend:
        poller.register(backend, POLLIN)
    if control is not None:
        poller.register(control, POLLIN)
    paused = False
    while True:
        events = dict(poller.poll())
        if control is not None and control in events:
            command = control.recv()
            if command == b"TERMINATE":
                return 0
            if command == b"PAUSE":
                paused = True
                poller.unregister(frontend)
                if backend is not frontend:
                    poller.unregister(backend)
            elif command == b"RESUME" and paused:
                paused = False
                poller.register(frontend, POLLIN)
                if backend is not frontend:
                    poller.register(backend, POLLIN)
            elif command == b"STATISTICS":
                control.send_multipart([struct.pack("=Q", n) for n in stats])
        if paused:
            continue
        if frontend in events:
            _forward(frontend, backend, capture, stats, 0)
        if backend is not frontend and backend in events:
            _forward(backend, frontend, capture, stats, 4)


def proxy(frontend, backend, capture=None):
    """Forward messages between frontend and backend (copies to capture, if
    given) until the context is terminated: then zmq.ContextTerminated."""
    return proxy_steerable(frontend, backend, capture)


def device(device_type: int, frontend, backend):
    """The older name of proxy (device_type QUEUE, FORWARDER or STREAMER:
    all behave alike)."""
    return proxy_steerable(frontend, backend)
