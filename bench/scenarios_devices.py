"""zmq.devices scenarios: a device thread forwards what a peer process pushes
over tcp to a PULL here over inproc; the figure is messages received here per
second."""

from __future__ import annotations

import time

from scenario_kit import CHILD_TIMEOUT, Peer, bounded, na, result, scenario, with_peer, zmq_module


def _devices():
    try:
        import zmq.devices as devices
    except ImportError as e:
        return None, f"zmq.devices not importable: {e}"
    return devices, None


def _timed_receive(pull, count, warmup, also=None):
    """Receive warmup + 1 untimed, then time count more (each also drained
    from `also`, the monitor, when there is one)."""

    def one():
        pull.recv()
        if also is not None:
            also.recv_multipart()

    for _ in range(warmup + 1):
        one()
    t0 = time.perf_counter()
    for _ in range(count):
        one()
    return time.perf_counter() - t0


@scenario("device_mq_tcp_64")
def device_mq_tcp_64(count, warmup):
    """ThreadMonitoredQueue forwarding PUSH (peer process, tcp) -> its PULL/PUSH
    pair -> PULL here (inproc), each message also copied to its PUB monitor,
    which a SUB here drains: the loop of ipyparallel's hub."""
    devices, why = _devices()
    if devices is None:
        return na(why)
    zmq = zmq_module()
    # The device's sockets live in Context.instance() (its default), so the
    # inproc ends here must too.
    ctx = zmq.Context.instance()
    device = devices.ThreadMonitoredQueue(zmq.PULL, zmq.PUSH, zmq.PUB)
    port = device.bind_in_to_random_port("tcp://127.0.0.1")
    device.bind_out("inproc://bench-mq-out")
    device.bind_mon("inproc://bench-mq-mon")
    # A PUB drops what a slow subscriber cannot take: no limit on the monitor
    # pipe, so that every copy arrives (the out side, which blocks when full,
    # paces the device).
    device.setsockopt_mon(zmq.SNDHWM, 0)
    device.start()
    pull = bounded(ctx.socket(zmq.PULL))
    pull.connect("inproc://bench-mq-out")
    sub = bounded(ctx.socket(zmq.SUB))
    sub.rcvhwm = 0
    sub.subscribe(b"")
    sub.connect("inproc://bench-mq-mon")
    # Until the subscription has reached the device, copies are dropped: send
    # probes from here until one comes back on the monitor.
    probe = bounded(ctx.socket(zmq.PUSH))
    probe.connect(f"tcp://127.0.0.1:{port}")
    for _ in range(1000):
        probe.send(b"probe")
        pull.recv()
        if sub.poll(10):
            break
    else:
        raise RuntimeError("the monitor subscription never took effect")
    while sub.poll(100):
        sub.recv_multipart()
    probe.close()
    peer = Peer("_push_sender", f"tcp://127.0.0.1:{port}", warmup + 1 + count, 64)
    elapsed = with_peer(peer, lambda: _timed_receive(pull, count, warmup, also=sub))
    pull.close()
    sub.close()
    # Terminating the context is what stops a ThreadDevice.
    ctx.term()
    device.join(CHILD_TIMEOUT)
    return result(count, elapsed)


@scenario("device_streamer_tcp_64")
def device_streamer_tcp_64(count, warmup):
    """A plain ThreadDevice(STREAMER, PULL, PUSH): PUSH (peer process, tcp) ->
    the device's PULL -> its PUSH -> PULL here (inproc)."""
    devices, why = _devices()
    if devices is None:
        return na(why)
    zmq = zmq_module()
    ctx = zmq.Context.instance()
    device = devices.ThreadDevice(zmq.STREAMER, zmq.PULL, zmq.PUSH)
    port = device.bind_in_to_random_port("tcp://127.0.0.1")
    device.bind_out("inproc://bench-streamer-out")
    device.start()
    pull = bounded(ctx.socket(zmq.PULL))
    pull.connect("inproc://bench-streamer-out")
    peer = Peer("_push_sender", f"tcp://127.0.0.1:{port}", warmup + 1 + count, 64)
    elapsed = with_peer(peer, lambda: _timed_receive(pull, count, warmup))
    pull.close()
    ctx.term()
    device.join(CHILD_TIMEOUT)
    return result(count, elapsed)
