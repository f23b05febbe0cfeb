"""zmq.devices: Device, Proxy, ProxySteerable and MonitoredQueue, in the
foreground, in a thread and in a child process.

Each test gets a Rig: a private context for the devices run in this process
(context_factory is pointed at it) and for the test's own sockets. Tearing the
rig down closes the test's sockets, terminates the context (which stops every
device still running on it) and checks that every device thread and child
process has ended, so no test leaves a thread or a process behind.
"""

from __future__ import annotations

import inspect
import itertools
import multiprocessing
import os
import subprocess
import sys
import textwrap
import threading
import time

import pytest

import zmq
import zmq.devices
from zmq.devices import (
    Device,
    MonitoredQueue,
    ProcessDevice,
    ProcessMonitoredQueue,
    ProcessProxy,
    ProcessProxySteerable,
    Proxy,
    ProxySteerable,
    ThreadDevice,
    ThreadMonitoredQueue,
    ThreadProxy,
    ThreadProxySteerable,
    basedevice,
    monitoredqueue,
    monitoredqueuedevice,
    proxydevice,
    proxysteerabledevice,
)

WAIT_MS = 5000
LOCAL = "tcp://127.0.0.1"
_names = itertools.count()


def inproc():
    return f"inproc://devices-{os.getpid()}-{next(_names)}"


class Rig:
    """A context for the test's sockets and its in-process devices, and the
    bookkeeping to stop all of them."""

    def __init__(self):
        self.ctx = zmq.Context()
        self.sockets = []
        self.devices = []
        self.started = []
        self.runners = []
        self.errors = []

    def socket(self, kind, bind=None, connect=None, **options):
        s = self.ctx.socket(kind)
        s.linger = 0
        s.rcvtimeo = WAIT_MS
        s.sndtimeo = WAIT_MS
        for name, value in options.items():
            s.setsockopt(getattr(zmq, name.upper()), value)
        if bind:
            s.bind(bind)
        if connect:
            s.connect(connect)
        self.sockets.append(s)
        return s

    def adopt(self, device):
        """Run `device` on this rig's context."""
        device.context_factory = lambda: self.ctx
        self.devices.append(device)
        return device

    def start(self, device):
        """Start an adopted device: a background one as it is, a foreground
        one (whose start() blocks) from a helper thread."""
        if device not in self.devices:
            self.adopt(device)
        self.started.append(device)
        if isinstance(device, basedevice.BackgroundDevice):
            device.start()
            return device

        def run():
            try:
                device.start()
            except Exception as e:  # noqa: BLE001 - reported by the test
                self.errors.append(e)

        runner = threading.Thread(target=run, daemon=True)
        runner.start()
        self.runners.append(runner)
        return device

    def close_sockets(self):
        for s in self.sockets:
            s.close(linger=0)

    def stop(self):
        self.close_sockets()
        # term() returns once the devices have closed their sockets, which
        # they do when term() makes their loop raise ContextTerminated.
        terminator = threading.Thread(target=self.ctx.term, daemon=True)
        terminator.start()
        for device in self.devices:
            launcher = getattr(device, "launcher", None)
            if launcher is not None:
                launcher.join(10)
                assert not launcher.is_alive(), f"{device} still running"
        for runner in self.runners:
            runner.join(10)
            assert not runner.is_alive()
        terminator.join(10)
        assert not terminator.is_alive(), "a device kept its sockets open"
        for device in self.started:
            assert device.done
            assert all(s.closed for s in device._sockets)


@pytest.fixture
def rig():
    threads_before = set(threading.enumerate())
    r = Rig()
    yield r
    r.stop()
    leftover = [t for t in threading.enumerate() if t not in threads_before and t.is_alive()]
    assert not leftover, leftover


@pytest.fixture
def children():
    """Process devices started by the test; each is stopped (terminated if
    still running) and joined afterwards, and no child process may remain."""
    started = []
    yield started.append
    for device in started:
        if device.launcher.is_alive():
            device.launcher.terminate()
        device.join(10)
        assert not device.launcher.is_alive()
    assert multiprocessing.active_children() == []


def sync_monitor(send, recv, mon):
    """Send probes through a device until its monitor copy arrives: a SUB's
    subscription reaches the PUB only after some delay. The probes that reached
    the other side are drained; returns what the monitor got for the probe."""
    for _ in range(100):
        send()
        recv()
        if mon.poll(100):
            copy = mon.recv_multipart()
            while mon.poll(50):
                copy = mon.recv_multipart()
            return copy
    raise AssertionError("the monitor never received a copy")


def assert_gone(pid):
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


# -- the public surface -----------------------------------------------------------


SURFACE = {
    zmq.devices: {
        "Device", "MonitoredQueue", "ProcessDevice", "ProcessMonitoredQueue", "ProcessProxy",
        "ProcessProxySteerable", "Proxy", "ProxySteerable", "ThreadDevice", "ThreadMonitoredQueue",
        "ThreadProxy", "ThreadProxySteerable", "monitored_queue",
    },
    basedevice: {"BackgroundDevice", "Device", "ProcessDevice", "ThreadDevice"},
    monitoredqueue: {"monitored_queue"},
    monitoredqueuedevice: {"MonitoredQueue", "MonitoredQueueBase", "ProcessMonitoredQueue", "ThreadMonitoredQueue"},
    proxydevice: {"ProcessProxy", "Proxy", "ProxyBase", "ThreadProxy"},
    proxysteerabledevice: {"ProcessProxySteerable", "ProxySteerable", "ProxySteerableBase", "ThreadProxySteerable"},
}


@pytest.mark.parametrize("module", list(SURFACE), ids=lambda m: m.__name__)
def test_module_names(module):
    assert SURFACE[module] <= set(dir(module))
    for name in getattr(module, "__all__", ()):
        assert hasattr(module, name)


def test_monitored_queue_is_the_compiled_loop():
    assert zmq.devices.monitored_queue is zmq.backend.monitored_queue
    assert monitoredqueue.monitored_queue is zmq.backend.monitored_queue
    assert not inspect.isfunction(zmq.devices.monitored_queue)  # compiled, not Python bytecode


@pytest.mark.parametrize(
    "cls, bases",
    [
        (ThreadDevice, [basedevice.BackgroundDevice, Device]),
        (ProcessDevice, [basedevice.BackgroundDevice, Device]),
        (Proxy, [proxydevice.ProxyBase, Device]),
        (ThreadProxy, [proxydevice.ProxyBase, ThreadDevice]),
        (ProcessProxy, [proxydevice.ProxyBase, ProcessDevice]),
        (ProxySteerable, [proxysteerabledevice.ProxySteerableBase, Proxy]),
        (ThreadProxySteerable, [proxysteerabledevice.ProxySteerableBase, ThreadProxy]),
        (ProcessProxySteerable, [proxysteerabledevice.ProxySteerableBase, ProcessProxy]),
        (MonitoredQueue, [monitoredqueuedevice.MonitoredQueueBase, Proxy]),
        (ThreadMonitoredQueue, [monitoredqueuedevice.MonitoredQueueBase, ThreadProxy]),
        (ProcessMonitoredQueue, [monitoredqueuedevice.MonitoredQueueBase, ProcessProxy]),
    ],
)
def test_class_hierarchy(cls, bases):
    for base in bases:
        assert issubclass(cls, base)


@pytest.mark.parametrize(
    "cls, params",
    [
        (Device, "device_type=3 in_type=None out_type=None"),
        (ThreadDevice, "device_type=3 in_type=None out_type=None"),
        (Proxy, "in_type out_type mon_type=1"),
        (ProcessProxy, "in_type out_type mon_type=1"),
        (ProxySteerable, "in_type out_type mon_type=1 ctrl_type=None"),
        (ThreadProxySteerable, "in_type out_type mon_type=1 ctrl_type=None"),
        (MonitoredQueue, "in_type out_type mon_type=1 in_prefix=b'in' out_prefix=b'out'"),
        (ProcessMonitoredQueue, "in_type out_type mon_type=1 in_prefix=b'in' out_prefix=b'out'"),
    ],
)
def test_constructor_signatures(cls, params):
    shown = []
    for p in list(inspect.signature(cls.__init__).parameters.values())[1:]:
        shown.append(p.name if p.default is p.empty else f"{p.name}={int(p.default) if isinstance(p.default, int) else p.default!r}")
    assert " ".join(shown) == params


def test_method_names():
    for name in ("bind_in", "bind_out", "connect_in", "connect_out", "setsockopt_in", "setsockopt_out",
                 "bind_in_to_random_port", "bind_out_to_random_port", "run", "run_device", "start", "join",
                 "_setup_sockets", "context_factory"):
        assert callable(getattr(Device, name)), name
    for name in ("bind_mon", "connect_mon", "setsockopt_mon", "bind_mon_to_random_port"):
        assert callable(getattr(Proxy, name)), name
    for name in ("bind_ctrl", "connect_ctrl", "setsockopt_ctrl", "bind_ctrl_to_random_port"):
        assert callable(getattr(ProxySteerable, name)), name


def test_defaults_and_attributes():
    d = Device(zmq.QUEUE, zmq.PULL, zmq.PUSH)
    assert (d.device_type, d.in_type, d.out_type) == (zmq.QUEUE, zmq.PULL, zmq.PUSH)
    assert d.daemon is True
    assert d.done is False
    assert Device.context_factory == zmq.Context.instance
    assert ThreadDevice.context_factory == zmq.Context.instance
    assert ProcessDevice.context_factory is zmq.Context
    assert ThreadDevice(zmq.QUEUE, zmq.PULL, zmq.PUSH).launcher is None
    assert ThreadDevice._launch_class is threading.Thread
    assert issubclass(ProcessDevice._launch_class, multiprocessing.process.BaseProcess)

    p = ThreadProxy(zmq.ROUTER, zmq.DEALER)
    assert (p.device_type, p.mon_type) == (zmq.QUEUE, zmq.PUB)
    s = ProxySteerable(zmq.ROUTER, zmq.DEALER)
    assert (s.mon_type, s.ctrl_type) == (zmq.PUB, None)
    s = ProxySteerable(zmq.ROUTER, zmq.DEALER, zmq.XPUB, zmq.SUB)
    assert (s.mon_type, s.ctrl_type) == (zmq.XPUB, zmq.SUB)
    m = MonitoredQueue(zmq.ROUTER, zmq.DEALER)
    assert (m.mon_type, m._in_prefix, m._out_prefix) == (zmq.PUB, b"in", b"out")
    m = ProcessMonitoredQueue(zmq.ROUTER, zmq.DEALER, zmq.PUSH, b"A", b"B")
    assert (m.mon_type, m._in_prefix, m._out_prefix) == (zmq.PUSH, b"A", b"B")


# -- configuration is recorded, then applied by run() --------------------------------


def test_configuration_is_applied_to_each_socket(rig):
    d = ProxySteerable(zmq.PULL, zmq.PUSH, zmq.PUB, zmq.PAIR)
    rig.adopt(d)
    addrs = {side: inproc() for side in ("in", "out", "mon", "ctrl")}
    peers = {side: rig.socket(zmq.PAIR, bind=inproc()) for side in ("in", "out", "mon", "ctrl")}
    for i, side in enumerate(("in", "out", "mon", "ctrl")):
        getattr(d, f"setsockopt_{side}")(zmq.SNDHWM, 100 + i)
        getattr(d, f"setsockopt_{side}")(zmq.RCVHWM, 200 + i)
        getattr(d, f"bind_{side}")(addrs[side])
        getattr(d, f"connect_{side}")(peers[side].last_endpoint.decode())
    # nothing exists before the device runs
    assert d._sockets == []
    sockets = d._setup_sockets()
    assert len(sockets) == 4
    assert list(sockets) == d._sockets
    assert [s.type for s in sockets] == [zmq.PULL, zmq.PUSH, zmq.PUB, zmq.PAIR]
    for i, (side, s) in enumerate(zip(("in", "out", "mon", "ctrl"), sockets)):
        assert s.context is rig.ctx
        assert s.getsockopt(zmq.SNDHWM) == 100 + i
        assert s.getsockopt(zmq.RCVHWM) == 200 + i
        # bound before connected: LAST_ENDPOINT is the connect's
        assert s.last_endpoint.decode() == peers[side].last_endpoint.decode()
    for s in sockets:
        s.close()


def test_bind_to_random_port_each_side(rig):
    d = rig.adopt(ThreadProxySteerable(zmq.PULL, zmq.PUSH, zmq.PUB, zmq.PAIR))
    ports = {side: getattr(d, f"bind_{side}_to_random_port")(LOCAL) for side in ("in", "out", "mon", "ctrl")}
    assert len(set(ports.values())) == 4
    assert d._in_binds == [f"{LOCAL}:{ports['in']}"]
    assert d._out_binds == [f"{LOCAL}:{ports['out']}"]
    assert d._mon_binds == [f"{LOCAL}:{ports['mon']}"]
    assert d._ctrl_binds == [f"{LOCAL}:{ports['ctrl']}"]
    rig.start(d)
    push = rig.socket(zmq.PUSH, connect=f"{LOCAL}:{ports['in']}")
    pull = rig.socket(zmq.PULL, connect=f"{LOCAL}:{ports['out']}")
    mon = rig.socket(zmq.SUB, connect=f"{LOCAL}:{ports['mon']}", subscribe=b"")
    sync_monitor(lambda: push.send(b"probe"), pull.recv, mon)
    push.send(b"hello")
    assert pull.recv() == b"hello"
    assert mon.recv() == b"hello"
    ctrl = rig.socket(zmq.PAIR, connect=f"{LOCAL}:{ports['ctrl']}")
    ctrl.send(b"TERMINATE")
    d.join(10)
    assert d.done


def test_bind_to_random_port_arguments_and_exhaustion():
    d = ThreadProxySteerable(zmq.PULL, zmq.PUSH, zmq.PUB, zmq.PAIR)
    first = d.bind_in_to_random_port(LOCAL, min_port=20000, max_port=60000, max_tries=100)
    assert 20000 <= first < 60000
    # positional arguments too, as Socket.bind_to_random_port takes them
    second = d.bind_out_to_random_port(LOCAL, 20000, 60000, 100)
    assert 20000 <= second < 60000 and second != first
    # a range holding only ports this device already handed out
    for method in (d.bind_in_to_random_port, d.bind_out_to_random_port,
                   d.bind_mon_to_random_port, d.bind_ctrl_to_random_port):
        with pytest.raises(zmq.ZMQBindError):
            method(LOCAL, min_port=first, max_port=first + 1, max_tries=3)
    assert d._random_addrs == [f"{LOCAL}:{first}", f"{LOCAL}:{second}"]
    # a port that something else holds
    with zmq.Context() as ctx, ctx.socket(zmq.PULL) as holder:
        held = holder.bind_to_random_port(LOCAL)
        with pytest.raises(zmq.ZMQBindError):
            d.bind_mon_to_random_port(LOCAL, min_port=held, max_port=held + 1, max_tries=5)
    assert issubclass(zmq.ZMQBindError, zmq.ZMQBaseError)
    assert d._mon_binds == [] and d._ctrl_binds == []


def test_bind_to_random_port_wants_tcp():
    d = ThreadDevice(zmq.QUEUE, zmq.PULL, zmq.PUSH)
    with pytest.raises(ValueError):
        d.bind_in_to_random_port("ipc:///tmp/zmq-devices-test")
    with pytest.raises(zmq.ZMQError):
        d.bind_in_to_random_port("bogus://x")
    assert d._in_binds == []


# -- forwarding, thread and foreground forms ------------------------------------------


def request_reply(client, worker, n=3):
    for i in range(n):
        client.send(b"request %d" % i)
        request = worker.recv_multipart()
        assert request[-1] == b"request %d" % i
        worker.send_multipart(request[:-1] + [b"reply %d" % i])
        assert client.recv() == b"reply %d" % i


@pytest.mark.parametrize("device_type", [zmq.QUEUE, zmq.FORWARDER, zmq.STREAMER])
def test_thread_device_queue_over_tcp(rig, device_type):
    d = ThreadDevice(device_type, zmq.ROUTER, zmq.DEALER)
    port_in = d.bind_in_to_random_port(LOCAL)
    port_out = d.bind_out_to_random_port(LOCAL)
    rig.start(d)
    assert d.launcher.daemon is True
    client = rig.socket(zmq.REQ, connect=f"{LOCAL}:{port_in}")
    worker = rig.socket(zmq.REP, connect=f"{LOCAL}:{port_out}")
    request_reply(client, worker)
    assert not d.done


def test_thread_device_connects_out(rig):
    # the device connects to a bound peer, and takes options
    sink = rig.socket(zmq.PULL, bind=inproc())
    d = ThreadDevice(zmq.QUEUE, zmq.PULL, zmq.PUSH)
    addr = inproc()
    d.bind_in(addr)
    d.connect_out(sink.last_endpoint.decode())
    d.setsockopt_in(zmq.RCVHWM, 7)
    d.setsockopt_out(zmq.SNDHWM, 9)
    rig.start(d)
    source = rig.socket(zmq.PUSH, connect=addr)
    for i in range(10):
        source.send_multipart([b"part", b"%d" % i])
    assert [sink.recv_multipart() for _ in range(10)] == [[b"part", b"%d" % i] for i in range(10)]
    ins, outs = d._sockets
    assert ins.getsockopt(zmq.RCVHWM) == 7
    assert outs.getsockopt(zmq.SNDHWM) == 9


@pytest.mark.parametrize("cls", [ThreadProxy, Proxy])
def test_proxy_copies_to_monitor(rig, cls):
    d = cls(zmq.PULL, zmq.PUSH)
    addrs = [inproc() for _ in range(3)]
    d.bind_in(addrs[0])
    d.bind_out(addrs[1])
    d.bind_mon(addrs[2])
    rig.start(d)
    push = rig.socket(zmq.PUSH, connect=addrs[0])
    pull = rig.socket(zmq.PULL, connect=addrs[1])
    mon = rig.socket(zmq.SUB, connect=addrs[2], subscribe=b"")
    assert sync_monitor(lambda: push.send(b"probe"), pull.recv, mon) == [b"probe"]
    push.send_multipart([b"a", b"b"])
    assert pull.recv_multipart() == [b"a", b"b"]
    assert mon.recv_multipart() == [b"a", b"b"]


def test_proxy_monitor_connects(rig):
    mon = rig.socket(zmq.PULL, bind=inproc())
    d = ThreadProxy(zmq.PULL, zmq.PUSH, zmq.PUSH)
    addrs = [inproc(), inproc()]
    d.bind_in(addrs[0])
    d.bind_out(addrs[1])
    d.connect_mon(mon.last_endpoint.decode())
    d.setsockopt_mon(zmq.SNDHWM, 5)
    rig.start(d)
    push = rig.socket(zmq.PUSH, connect=addrs[0])
    pull = rig.socket(zmq.PULL, connect=addrs[1])
    push.send(b"x")
    assert pull.recv() == b"x"
    assert mon.recv() == b"x"
    assert d._sockets[2].getsockopt(zmq.SNDHWM) == 5


@pytest.mark.parametrize("cls", [ThreadMonitoredQueue, MonitoredQueue])
@pytest.mark.parametrize("prefixes", [(), (b"IN", b"OUT"), (b"", b"")])
def test_monitored_queue_prefixes(rig, cls, prefixes):
    in_prefix, out_prefix = prefixes or (b"in", b"out")
    d = cls(zmq.ROUTER, zmq.DEALER, zmq.PUB, *prefixes)
    port_in = d.bind_in_to_random_port(LOCAL)
    port_out = d.bind_out_to_random_port(LOCAL)
    port_mon = d.bind_mon_to_random_port(LOCAL)
    rig.start(d)
    client = rig.socket(zmq.DEALER, connect=f"{LOCAL}:{port_in}", routing_id=b"client")
    worker = rig.socket(zmq.DEALER, connect=f"{LOCAL}:{port_out}")
    mon = rig.socket(zmq.SUB, connect=f"{LOCAL}:{port_mon}", subscribe=b"")

    def probe_round():
        client.send(b"probe")
        worker.send_multipart(worker.recv_multipart())
        client.recv()

    sync_monitor(probe_round, lambda: None, mon)
    client.send_multipart([b"", b"question"])
    request = worker.recv_multipart()
    assert request == [b"client", b"", b"question"]
    assert mon.recv_multipart() == [in_prefix, b"client", b"", b"question"]
    worker.send_multipart([b"client", b"", b"answer"])
    assert client.recv_multipart() == [b"", b"answer"]
    assert mon.recv_multipart() == [out_prefix, b"client", b"", b"answer"]


def _router_to_router_queue(rig):
    """A ThreadMonitoredQueue between two ROUTERs, a client DEALER 'C1' on its
    in side, a worker DEALER 'W1' on its out side and a SUB on its monitor,
    with the routes known and the monitor drained."""
    d = rig.adopt(ThreadMonitoredQueue(zmq.ROUTER, zmq.ROUTER, zmq.PUB, b"c", b"w"))
    addrs = [inproc() for _ in range(3)]
    d.bind_in(addrs[0])
    d.bind_out(addrs[1])
    d.bind_mon(addrs[2])
    rig.start(d)
    client = rig.socket(zmq.DEALER, routing_id=b"C1", connect=addrs[0])
    worker = rig.socket(zmq.DEALER, routing_id=b"W1", connect=addrs[1])
    mon = rig.socket(zmq.SUB, connect=addrs[2], subscribe=b"")
    # the out ROUTER must know the worker before anything is routed to it
    for _ in range(100):
        client.send_multipart([b"W1", b"hello"])
        if worker.poll(100):
            break
    assert worker.recv_multipart() == [b"C1", b"hello"]
    while worker.poll(100):
        worker.recv_multipart()
    while mon.poll(100):
        mon.recv_multipart()
    return client, worker, mon


def test_monitored_queue_router_to_router(rig):
    client, worker, mon = _router_to_router_queue(rig)
    # each side names its peer; the peer sees who sent it
    worker.send_multipart([b"C1", b"back"])
    assert client.recv_multipart() == [b"W1", b"back"]
    client.send_multipart([b"W1", b"again"])
    assert worker.recv_multipart() == [b"C1", b"again"]
    copies = [mon.recv_multipart(), mon.recv_multipart()]
    assert [c[0] for c in copies] == [b"w", b"c"]
    assert [sorted(c[1:3]) for c in copies] == [[b"C1", b"W1"]] * 2
    assert [c[3:] for c in copies] == [[b"back"], [b"again"]]


def test_monitored_queue_router_to_router_monitor_order(rig):
    client, worker, mon = _router_to_router_queue(rig)
    worker.send_multipart([b"C1", b"back"])
    assert client.recv_multipart() == [b"W1", b"back"]
    assert mon.recv_multipart() == [b"w", b"C1", b"W1", b"back"]
    client.send_multipart([b"W1", b"again"])
    assert worker.recv_multipart() == [b"C1", b"again"]
    assert mon.recv_multipart() == [b"c", b"W1", b"C1", b"again"]


@pytest.mark.parametrize("cls", [ThreadProxySteerable, ProxySteerable])
def test_proxy_steerable_control(rig, cls):
    d = cls(zmq.PULL, zmq.PUSH, zmq.PUB, zmq.PAIR)
    addrs = [inproc() for _ in range(4)]
    d.bind_in(addrs[0])
    d.bind_out(addrs[1])
    d.bind_mon(addrs[2])
    d.bind_ctrl(addrs[3])
    rig.start(d)
    push = rig.socket(zmq.PUSH, connect=addrs[0])
    pull = rig.socket(zmq.PULL, connect=addrs[1])
    mon = rig.socket(zmq.SUB, connect=addrs[2], subscribe=b"")
    ctrl = rig.socket(zmq.PAIR, connect=addrs[3])
    sync_monitor(lambda: push.send(b"probe"), pull.recv, mon)

    def barrier():
        # commands are handled in order: once STATISTICS is answered, the
        # ones before it have taken effect
        ctrl.send(b"STATISTICS")
        stats = ctrl.recv_multipart()
        assert len(stats) == 8
        return stats

    ctrl.send(b"PAUSE")
    barrier()
    push.send(b"held")
    assert not pull.poll(200)
    ctrl.send(b"RESUME")
    assert pull.recv() == b"held"
    # libzmq copies the commands to the monitor too, in the order handled
    assert [mon.recv() for _ in range(4)] == [b"PAUSE", b"STATISTICS", b"RESUME", b"held"]
    ctrl.send(b"TERMINATE")
    if isinstance(d, basedevice.BackgroundDevice):
        d.join(10)
        assert not d.launcher.is_alive()
    else:
        d.join(10)
    assert d.done
    # the device closed its own sockets on the way out
    assert all(s.closed for s in d._sockets)
    assert rig.errors == []


def test_foreground_device_start_blocks_and_join_waits(rig):
    d = Device(zmq.QUEUE, zmq.PULL, zmq.PUSH)
    addr_in, addr_out = inproc(), inproc()
    d.bind_in(addr_in)
    d.bind_out(addr_out)
    t0 = time.monotonic()
    d.join(0.2)  # not started: waits the whole timeout
    assert time.monotonic() - t0 >= 0.19
    assert not d.done
    rig.start(d)
    push = rig.socket(zmq.PUSH, connect=addr_in)
    pull = rig.socket(zmq.PULL, connect=addr_out)
    push.send(b"x")
    assert pull.recv() == b"x"
    assert rig.runners[0].is_alive()  # start() is still running
    rig.close_sockets()
    terminator = threading.Timer(0.1, rig.ctx.term)
    terminator.start()
    d.join()
    assert d.done
    rig.runners[0].join(10)
    assert not rig.runners[0].is_alive()
    # The device is done once its sockets are closed; term() returns a moment later.
    terminator.join(10)
    assert not terminator.is_alive()
    assert rig.errors == []


# -- stopping ----------------------------------------------------------------------------


def test_thread_device_stops_when_context_terminated(rig):
    threads_before = set(threading.enumerate())
    devices = [
        ThreadDevice(zmq.QUEUE, zmq.PULL, zmq.PUSH),
        ThreadProxy(zmq.PULL, zmq.PUSH),
        ThreadProxySteerable(zmq.PULL, zmq.PUSH, zmq.PUB, zmq.PAIR),
        ThreadMonitoredQueue(zmq.PULL, zmq.PUSH),
    ]
    for d in devices:
        d.bind_in(inproc())
        d.connect_out(inproc())
        rig.start(d)
    time.sleep(0.1)
    assert all(d.launcher.is_alive() and not d.done for d in devices)
    rig.ctx.term()  # returns only once every device has closed its sockets
    for d in devices:
        d.join(10)
        assert not d.launcher.is_alive()
        assert d.done
        assert all(s.closed for s in d._sockets)
    assert set(threading.enumerate()) <= threads_before


def test_thread_device_default_context_is_the_global_instance():
    threads_before = set(threading.enumerate())
    d = ThreadMonitoredQueue(zmq.PULL, zmq.PUSH)
    addr_in, addr_out = inproc(), inproc()
    d.bind_in(addr_in)
    d.bind_out(addr_out)
    d.start()
    instance = zmq.Context.instance()
    push = instance.socket(zmq.PUSH)
    pull = instance.socket(zmq.PULL)
    try:
        push.connect(addr_in)
        pull.connect(addr_out)
        pull.rcvtimeo = WAIT_MS
        push.send(b"via instance")
        assert pull.recv() == b"via instance"
        assert d._context is instance
    finally:
        push.close(linger=0)
        pull.close(linger=0)
        instance.term()
    d.join(10)
    assert not d.launcher.is_alive()
    assert d.done
    assert set(threading.enumerate()) <= threads_before
    fresh = zmq.Context.instance()  # a new one for later users
    assert fresh is not instance
    fresh.term()


@pytest.mark.parametrize("daemon", [True, False])
def test_daemon_flag(rig, daemon):
    d = ThreadDevice(zmq.QUEUE, zmq.PULL, zmq.PUSH)
    d.daemon = daemon
    d.bind_in(inproc())
    rig.start(d)
    assert d.launcher.daemon is daemon
    assert isinstance(d.launcher, threading.Thread)


DAEMON_SCRIPT = textwrap.dedent(
    """
    import sys, threading, time, zmq
    from zmq.devices import ThreadDevice, ProcessDevice

    def main():
        daemon = sys.argv[1] == "daemon"
        t = ThreadDevice(zmq.QUEUE, zmq.PULL, zmq.PUSH)
        t.daemon = daemon
        t.bind_in("inproc://daemon-test")
        t.start()
        p = ProcessDevice(zmq.QUEUE, zmq.PULL, zmq.PUSH)
        p.bind_in_to_random_port("tcp://127.0.0.1")
        p.start()
        print(p.launcher.pid, flush=True)
        if not daemon:
            # the interpreter waits for the device thread, which ends only when
            # its context is terminated
            def stop():
                time.sleep(0.3)
                print("terminating", flush=True)
                zmq.Context.instance().term()
                p.launcher.terminate()
            threading.Thread(target=stop, daemon=True).start()
        # the main thread ends here, without joining either device

    # A ProcessDevice starts a multiprocessing.Process, whose default start
    # method on Linux from Python 3.14 on (forkserver) imports this script again.
    if __name__ == "__main__":
        main()
    """
)


@pytest.mark.parametrize("mode", ["daemon", "non-daemon"])
def test_interpreter_exit_with_running_devices(tmp_path, mode):
    script = tmp_path / "daemon_devices.py"
    script.write_text(DAEMON_SCRIPT)
    t0 = time.monotonic()
    out = subprocess.run(
        [sys.executable, str(script), mode], capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert out.returncode == 0, out.stderr
    lines = out.stdout.split()
    child = int(lines[0])
    if mode == "daemon":
        # daemon thread and daemon process: the interpreter does not wait for
        # them, and multiprocessing ends the daemon child on the way out
        assert lines[1:] == []
    else:
        assert lines[1:] == ["terminating"]
        assert time.monotonic() - t0 >= 0.3
    assert_gone(child)


# -- process forms -------------------------------------------------------------------------


def test_process_device_forwards_and_is_terminated(rig, children):
    d = ProcessDevice(zmq.QUEUE, zmq.ROUTER, zmq.DEALER)
    port_in = d.bind_in_to_random_port(LOCAL)
    port_out = d.bind_out_to_random_port(LOCAL)
    d.setsockopt_in(zmq.RCVHWM, 11)
    d.start()
    children(d)
    assert isinstance(d.launcher, multiprocessing.process.BaseProcess)
    assert d.launcher.daemon is True
    client = rig.socket(zmq.REQ, connect=f"{LOCAL}:{port_in}")
    worker = rig.socket(zmq.REP, connect=f"{LOCAL}:{port_out}")
    request_reply(client, worker)
    # the device object here never ran: the child has its own copy
    assert d._sockets == [] and not d.done
    t0 = time.monotonic()
    d.join(0.2)
    assert time.monotonic() - t0 >= 0.19
    assert d.launcher.is_alive()
    pid = d.launcher.pid
    d.launcher.terminate()
    d.join(10)
    assert d.launcher.exitcode == -15
    assert_gone(pid)
    assert multiprocessing.active_children() == []


def test_process_proxy_and_monitored_queue(rig, children):
    proxy = ProcessProxy(zmq.PULL, zmq.PUSH)
    queue = ProcessMonitoredQueue(zmq.PULL, zmq.PUSH, zmq.PUB, b"<", b">")
    ports = {}
    for name, d in (("proxy", proxy), ("queue", queue)):
        ports[name] = [d.bind_in_to_random_port(LOCAL), d.bind_out_to_random_port(LOCAL),
                       d.bind_mon_to_random_port(LOCAL)]
        d.daemon = False
        d.start()
        children(d)
        assert d.launcher.daemon is False
    for name, expected_copy in (("proxy", [b"m1", b"m2"]), ("queue", [b"<", b"m1", b"m2"])):
        pin, pout, pmon = ports[name]
        push = rig.socket(zmq.PUSH, connect=f"{LOCAL}:{pin}")
        pull = rig.socket(zmq.PULL, connect=f"{LOCAL}:{pout}")
        mon = rig.socket(zmq.SUB, connect=f"{LOCAL}:{pmon}", subscribe=b"")
        sync_monitor(lambda: push.send(b"probe"), pull.recv, mon)
        push.send_multipart([b"m1", b"m2"])
        assert pull.recv_multipart() == [b"m1", b"m2"]
        assert mon.recv_multipart() == expected_copy
    for d in (proxy, queue):
        d.launcher.terminate()
        d.join(10)
        assert not d.launcher.is_alive()
    assert multiprocessing.active_children() == []


def test_process_proxy_steerable_terminate_ends_child_cleanly(rig, children):
    d = ProcessProxySteerable(zmq.PULL, zmq.PUSH, zmq.PUB, zmq.PAIR)
    pin = d.bind_in_to_random_port(LOCAL)
    pout = d.bind_out_to_random_port(LOCAL)
    pctrl = d.bind_ctrl_to_random_port(LOCAL)
    d.start()
    children(d)
    push = rig.socket(zmq.PUSH, connect=f"{LOCAL}:{pin}")
    pull = rig.socket(zmq.PULL, connect=f"{LOCAL}:{pout}")
    ctrl = rig.socket(zmq.PAIR, connect=f"{LOCAL}:{pctrl}")
    push.send(b"through a child")
    assert pull.recv() == b"through a child"
    ctrl.send(b"TERMINATE")
    d.join(10)
    assert d.launcher.exitcode == 0
    assert multiprocessing.active_children() == []


# -- bad input ---------------------------------------------------------------------------


def test_device_requires_socket_types():
    with pytest.raises(TypeError, match="in_type"):
        Device()
    with pytest.raises(TypeError, match="out_type"):
        Device(zmq.QUEUE, zmq.PULL)
    with pytest.raises(TypeError, match="out_type"):
        ThreadDevice(in_type=zmq.PULL)
    with pytest.raises(TypeError):
        Proxy(zmq.PULL)  # out_type is a required argument
    with pytest.raises(TypeError):
        MonitoredQueue()


def test_background_join_before_start():
    with pytest.raises(AttributeError):
        ThreadDevice(zmq.QUEUE, zmq.PULL, zmq.PUSH).join(0.1)


@pytest.mark.parametrize(
    "make, error",
    [
        (lambda: Device(zmq.QUEUE, 12345, zmq.PUSH), zmq.ZMQError),  # no such socket type
        (lambda: Device(zmq.QUEUE, "PULL", zmq.PUSH), TypeError),
        (lambda: Proxy(zmq.PULL, zmq.PUSH, None), TypeError),
        (lambda: ProxySteerable(zmq.PULL, zmq.PUSH), TypeError),  # ctrl_type left at None
        (lambda: MonitoredQueue(zmq.PULL, zmq.PUSH, zmq.PUB, "in"), TypeError),  # prefixes are bytes
        (lambda: MonitoredQueue(zmq.PULL, zmq.PUSH, zmq.PUB, b"in", "out"), TypeError),
    ],
)
def test_bad_types_raise_at_run(rig, make, error):
    d = rig.adopt(make())  # accepted as given: checked when the sockets are made
    with pytest.raises(error):
        d.run()
    assert d.done
    assert all(s.closed for s in d._sockets)


def test_bad_address_and_option_raise_at_run(rig):
    d = rig.adopt(Proxy(zmq.PULL, zmq.PUSH))
    d.bind_mon("bogus://nowhere")
    with pytest.raises(zmq.ZMQError) as info:
        d.run()
    assert info.value.errno == zmq.EPROTONOSUPPORT
    assert d.done and len(d._sockets) == 3 and all(s.closed for s in d._sockets)

    d = rig.adopt(Device(zmq.QUEUE, zmq.PULL, zmq.PUSH))
    d.setsockopt_out(999999, 1)
    with pytest.raises(zmq.ZMQError) as info:
        d.run()
    assert info.value.errno == zmq.EINVAL
    assert d.done and all(s.closed for s in d._sockets)


def test_thread_device_error_ends_the_thread(rig):
    d = ThreadDevice(zmq.QUEUE, zmq.PULL, zmq.PUSH)
    d.bind_in("bogus://nowhere")
    seen = []
    hook = threading.excepthook
    threading.excepthook = lambda args: seen.append(args.exc_type)
    try:
        rig.start(d)
        d.join(10)
    finally:
        threading.excepthook = hook
    assert not d.launcher.is_alive()
    assert d.done
    assert seen == [zmq.ZMQError]
    assert all(s.closed for s in d._sockets)
