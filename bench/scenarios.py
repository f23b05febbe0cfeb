"""Python scenario bodies, run as a plain script so that the very same file runs
under this project's interpreter and under the reference pyzmq virtualenv:

    python bench/scenarios.py <scenario> <count> [<warmup>]   one timed run
    python bench/scenarios.py info                            what `zmq` is here
    python bench/scenarios.py list                            scenario names

Each call prints one JSON line on stdout. Only pyzmq's public API is used.

A timed run reports {"count", "elapsed"} (seconds for `count` operations, the
timed region only: sockets are connected, payloads built and a warm-up done
before the clock starts), or {"na": reason} when the package lacks the feature.
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import resource
import subprocess
import sys
import time

# Any single wait longer than this is a failure, not a slow run: it turns a lost
# message into an exception instead of a hang.
WAIT_MS = 10_000
CHILD_TIMEOUT = 120.0
# In-flight messages for the ZMQStream echo: enough to measure throughput
# rather than one round trip at a time.
ECHO_WINDOW = 100

KB = 1024
MB = 1024 * 1024

SCENARIOS: dict = {}


def scenario(name):
    def register(fn):
        SCENARIOS[name] = fn
        return fn

    return register


def _zmq():
    import zmq

    return zmq


def _bounded(sock):
    sock.rcvtimeo = WAIT_MS
    sock.sndtimeo = WAIT_MS
    sock.linger = 0
    return sock


def _inproc_pair(ctx, name):
    zmq = _zmq()
    a = _bounded(ctx.socket(zmq.PAIR))
    a.bind(f"inproc://{name}")
    b = _bounded(ctx.socket(zmq.PAIR))
    b.connect(f"inproc://{name}")
    return a, b


def _time_it(body, count, warmup):
    """Run body(warmup) untimed, then time body(count)."""
    body(warmup)
    gc.collect()
    t0 = time.perf_counter()
    body(count)
    return time.perf_counter() - t0


def _result(count, elapsed, **extra):
    return {"count": count, "elapsed": elapsed, **extra}


# -- single-thread inproc PAIR ------------------------------------------------


def _pair_roundtrip(count, warmup, size, copy):
    zmq = _zmq()
    ctx = zmq.Context()
    a, b = _inproc_pair(ctx, "bench-pair")
    payload = os.urandom(size)

    if copy:

        def body(n):
            for _ in range(n):
                a.send(payload)
                b.recv()

    else:

        def body(n):
            for _ in range(n):
                a.send(payload, copy=False)
                b.recv(copy=False)

    elapsed = _time_it(body, count, warmup)
    ctx.destroy(linger=0)
    return _result(count, elapsed)


@scenario("pair_64_copy")
def pair_64_copy(count, warmup):
    return _pair_roundtrip(count, warmup, 64, copy=True)


@scenario("pair_64_nocopy")
def pair_64_nocopy(count, warmup):
    return _pair_roundtrip(count, warmup, 64, copy=False)


@scenario("pair_64k_nocopy")
def pair_64k_nocopy(count, warmup):
    return _pair_roundtrip(count, warmup, 64 * KB, copy=False)


@scenario("pair_1m_nocopy")
def pair_1m_nocopy(count, warmup):
    return _pair_roundtrip(count, warmup, MB, copy=False)


@scenario("multipart_3")
def multipart_3(count, warmup):
    zmq = _zmq()
    ctx = zmq.Context()
    a, b = _inproc_pair(ctx, "bench-multipart")
    parts = [b"id", b"", os.urandom(64)]

    def body(n):
        for _ in range(n):
            a.send_multipart(parts)
            b.recv_multipart()

    elapsed = _time_it(body, count, warmup)
    ctx.destroy(linger=0)
    return _result(count, elapsed)


@scenario("string_64")
def string_64(count, warmup):
    zmq = _zmq()
    ctx = zmq.Context()
    a, b = _inproc_pair(ctx, "bench-string")
    text = "zeromq-" * 9 + "s"  # 64 characters of ASCII, 64 bytes of UTF-8

    def body(n):
        for _ in range(n):
            a.send_string(text)
            b.recv_string()

    elapsed = _time_it(body, count, warmup)
    ctx.destroy(linger=0)
    return _result(count, elapsed)


@scenario("json_small")
def json_small(count, warmup):
    zmq = _zmq()
    ctx = zmq.Context()
    a, b = _inproc_pair(ctx, "bench-json")
    obj = {"id": 42, "method": "ping", "ok": True, "args": [1, 2.5, "three"]}

    def body(n):
        for _ in range(n):
            a.send_json(obj)
            b.recv_json()

    elapsed = _time_it(body, count, warmup)
    ctx.destroy(linger=0)
    return _result(count, elapsed)


@scenario("poll_idle_10")
def poll_idle_10(count, warmup):
    zmq = _zmq()
    ctx = zmq.Context()
    poller = zmq.Poller()
    # Connected pairs rather than lone sockets: idle, but with live pipes, as
    # in a real application waiting for traffic.
    for i in range(10):
        _, b = _inproc_pair(ctx, f"bench-idle-{i}")
        poller.register(b, zmq.POLLIN)
    if poller.poll(0):
        raise RuntimeError("idle sockets reported events")

    def body(n):
        for _ in range(n):
            poller.poll(0)

    elapsed = _time_it(body, count, warmup)
    ctx.destroy(linger=0)
    return _result(count, elapsed)


# -- tcp loopback with a peer process -----------------------------------------


def _spawn_peer(role, *args):
    return subprocess.Popen(
        [sys.executable, os.path.abspath(__file__), role, *map(str, args)],
        stdin=subprocess.DEVNULL,
    )


def _reap(child):
    try:
        rc = child.wait(timeout=CHILD_TIMEOUT)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait(timeout=CHILD_TIMEOUT)
        raise RuntimeError("peer process did not finish in time")
    if rc != 0:
        raise RuntimeError(f"peer process exited with status {rc}")


def _push_pull_tcp(count, warmup, size):
    zmq = _zmq()
    ctx = zmq.Context()
    pull = _bounded(ctx.socket(zmq.PULL))
    port = pull.bind_to_random_port("tcp://127.0.0.1")
    # One extra message: the clock starts when it arrives, so the rate covers
    # first-received to last-received on this side only.
    child = _spawn_peer("_push_sender", port, warmup + 1 + count, size)
    try:
        for _ in range(warmup + 1):
            pull.recv()
        t0 = time.perf_counter()
        for _ in range(count):
            pull.recv()
        elapsed = time.perf_counter() - t0
    except BaseException:
        child.kill()
        child.wait(timeout=CHILD_TIMEOUT)
        raise
    _reap(child)
    ctx.destroy(linger=0)
    return _result(count, elapsed)


@scenario("_push_sender")
def push_sender(port, total, size):
    zmq = _zmq()
    ctx = zmq.Context()
    push = ctx.socket(zmq.PUSH)
    push.sndtimeo = WAIT_MS
    push.connect(f"tcp://127.0.0.1:{port}")
    payload = os.urandom(int(size))
    for _ in range(int(total)):
        push.send(payload)
    # Default linger: term() returns once everything queued has been delivered.
    push.close()
    ctx.term()
    return None


@scenario("tcp_push_pull_64")
def tcp_push_pull_64(count, warmup):
    return _push_pull_tcp(count, warmup, 64)


@scenario("tcp_push_pull_1k")
def tcp_push_pull_1k(count, warmup):
    return _push_pull_tcp(count, warmup, KB)


@scenario("_rep_echo")
def rep_echo(port, total):
    zmq = _zmq()
    ctx = zmq.Context()
    rep = _bounded(ctx.socket(zmq.REP))
    # The last reply must reach the requester before this process exits.
    rep.linger = -1
    rep.connect(f"tcp://127.0.0.1:{port}")
    for _ in range(int(total)):
        rep.send(rep.recv())
    rep.close()
    ctx.term()
    return None


@scenario("tcp_req_rep_64")
def tcp_req_rep_64(count, warmup):
    zmq = _zmq()
    ctx = zmq.Context()
    req = _bounded(ctx.socket(zmq.REQ))
    port = req.bind_to_random_port("tcp://127.0.0.1")
    child = _spawn_peer("_rep_echo", port, warmup + count)
    payload = os.urandom(64)

    def body(n):
        for _ in range(n):
            req.send(payload)
            req.recv()

    try:
        elapsed = _time_it(body, count, warmup)
    except BaseException:
        child.kill()
        child.wait(timeout=CHILD_TIMEOUT)
        raise
    _reap(child)
    ctx.destroy(linger=0)
    return _result(count, elapsed)


# -- devices -------------------------------------------------------------------


@scenario("device_mq_tcp_64")
def device_mq_tcp_64(count, warmup):
    """zmq.devices.ThreadMonitoredQueue forwarding PUSH (child process, tcp)
    -> its PULL/PUSH pair -> PULL here (inproc), each message also copied to
    its PUB monitor, which a SUB here drains: the loop of ipyparallel's hub."""
    zmq = _zmq()
    try:
        from zmq.devices import ThreadMonitoredQueue
    except ImportError as e:
        return {"na": f"zmq.devices not importable: {e}"}
    # The device's sockets live in Context.instance() (its default), so the
    # inproc ends here must too.
    ctx = zmq.Context.instance()
    device = ThreadMonitoredQueue(zmq.PULL, zmq.PUSH, zmq.PUB)
    port = device.bind_in_to_random_port("tcp://127.0.0.1")
    device.bind_out("inproc://bench-mq-out")
    device.bind_mon("inproc://bench-mq-mon")
    # A PUB drops what a slow subscriber cannot take: no limit on the monitor
    # pipe, so that every copy arrives (the out side, which blocks when full,
    # paces the device).
    device.setsockopt_mon(zmq.SNDHWM, 0)
    device.start()
    pull = _bounded(ctx.socket(zmq.PULL))
    pull.connect("inproc://bench-mq-out")
    sub = _bounded(ctx.socket(zmq.SUB))
    sub.rcvhwm = 0
    sub.subscribe(b"")
    sub.connect("inproc://bench-mq-mon")
    # Until the subscription has reached the device, copies are dropped: send
    # probes from here until one comes back on the monitor.
    probe = _bounded(ctx.socket(zmq.PUSH))
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
    child = _spawn_peer("_push_sender", port, warmup + 1 + count, 64)
    try:
        for _ in range(warmup + 1):
            pull.recv()
            sub.recv_multipart()
        t0 = time.perf_counter()
        for _ in range(count):
            pull.recv()
            sub.recv_multipart()
        elapsed = time.perf_counter() - t0
    except BaseException:
        child.kill()
        child.wait(timeout=CHILD_TIMEOUT)
        raise
    _reap(child)
    pull.close()
    sub.close()
    # Terminating the context is what stops a ThreadDevice.
    ctx.term()
    device.join(CHILD_TIMEOUT)
    return _result(count, elapsed)


# -- memory ---------------------------------------------------------------------


def _vm_hwm_kb():
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


@scenario("rss_pair_64")
def rss_pair_64(count, warmup):
    zmq = _zmq()
    ctx = zmq.Context()
    a, b = _inproc_pair(ctx, "bench-rss")
    payload = os.urandom(64)

    def body(n):
        for _ in range(n):
            a.send(payload)
            b.recv()

    # The warm-up lets allocator pools and libzmq's pipes reach their steady
    # size, so the growth that remains is what the loop itself keeps.
    body(warmup)
    gc.collect()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    hwm_before = _vm_hwm_kb()
    t0 = time.perf_counter()
    body(count)
    elapsed = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    hwm_after = _vm_hwm_kb()
    ctx.destroy(linger=0)
    return _result(
        count,
        elapsed,
        maxrss_before_kb=before,
        maxrss_after_kb=after,
        vmhwm_before_kb=hwm_before,
        vmhwm_after_kb=hwm_after,
        growth_mb=(after - before) / 1024.0,
    )


# -- asyncio and tornado --------------------------------------------------------


def _zmq_asyncio():
    try:
        import zmq.asyncio
    except ImportError as e:
        return None, f"zmq.asyncio not importable: {e}"
    return zmq.asyncio, None


def _run_async(coro_fn, timeout):
    import asyncio

    async def bounded():
        return await asyncio.wait_for(coro_fn(), timeout)

    return asyncio.run(bounded())


@scenario("asyncio_pair_64")
def asyncio_pair_64(count, warmup):
    zaio, why = _zmq_asyncio()
    if zaio is None:
        return {"na": why}
    payload = os.urandom(64)

    async def main():
        ctx = zaio.Context()
        a, b = _inproc_pair(ctx, "bench-aio-pair")

        async def body(n):
            for _ in range(n):
                await a.send(payload)
                await b.recv()

        await body(warmup)
        gc.collect()
        t0 = time.perf_counter()
        await body(count)
        elapsed = time.perf_counter() - t0
        ctx.destroy(linger=0)
        return elapsed

    return _result(count, _run_async(main, CHILD_TIMEOUT))


@scenario("asyncio_push_pull_64")
def asyncio_push_pull_64(count, warmup):
    zaio, why = _zmq_asyncio()
    if zaio is None:
        return {"na": why}
    zmq = _zmq()
    payload = os.urandom(64)
    total = warmup + 1 + count

    async def main():
        import asyncio

        ctx = zaio.Context()
        push = _bounded(ctx.socket(zmq.PUSH))
        push.bind("inproc://bench-aio-pushpull")
        pull = _bounded(ctx.socket(zmq.PULL))
        pull.connect("inproc://bench-aio-pushpull")

        async def producer():
            for _ in range(total):
                await push.send(payload)

        async def consumer():
            for _ in range(warmup + 1):
                await pull.recv()
            t0 = time.perf_counter()
            for _ in range(count):
                await pull.recv()
            return time.perf_counter() - t0

        gc.collect()
        _, elapsed = await asyncio.gather(producer(), consumer())
        ctx.destroy(linger=0)
        return elapsed

    return _result(count, _run_async(main, CHILD_TIMEOUT))


@scenario("tornado_echo_64")
def tornado_echo_64(count, warmup):
    try:
        tornado_ioloop = importlib.import_module("tornado.ioloop")
    except ImportError as e:
        return {"na": f"tornado not importable: {e}"}
    try:
        from zmq.eventloop.zmqstream import ZMQStream
    except ImportError as e:
        return {"na": f"zmq.eventloop.zmqstream not importable: {e}"}
    zmq = _zmq()
    payload = os.urandom(64)
    # The clock starts at the warmup-th reply, so there must be one.
    warmup = max(1, warmup)
    total = warmup + count

    async def main():
        import asyncio

        ctx = zmq.Context()
        server = _bounded(ctx.socket(zmq.ROUTER))
        port = server.bind_to_random_port("tcp://127.0.0.1")
        client = _bounded(ctx.socket(zmq.DEALER))
        client.connect(f"tcp://127.0.0.1:{port}")
        # tornado's IOLoop for this thread: a wrapper around the running
        # asyncio loop (tornado >= 5), named so the scenario states its loop.
        io_loop = tornado_ioloop.IOLoop.current()
        server_stream = ZMQStream(server, io_loop=io_loop)
        client_stream = ZMQStream(client, io_loop=io_loop)
        server_stream.on_recv(server_stream.send_multipart)

        done = asyncio.get_running_loop().create_future()
        state = {"sent": 0, "received": 0, "t0": 0.0}

        def on_reply(_frames):
            state["received"] += 1
            received = state["received"]
            if received == warmup:
                state["t0"] = time.perf_counter()
            if received == total:
                if not done.done():
                    done.set_result(time.perf_counter() - state["t0"])
                return
            if state["sent"] < total:
                state["sent"] += 1
                client_stream.send(payload)

        client_stream.on_recv(on_reply)
        for _ in range(min(ECHO_WINDOW, total)):
            state["sent"] += 1
            client_stream.send(payload)
        elapsed = await done
        client_stream.close(linger=0)
        server_stream.close(linger=0)
        ctx.destroy(linger=0)
        return elapsed

    return _result(count, _run_async(main, CHILD_TIMEOUT))


# -- command line -------------------------------------------------------------------


def info():
    import platform

    zmq = _zmq()
    out = {
        "python": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "executable": sys.executable,
        "zmq_file": os.path.abspath(zmq.__file__),
        "pyzmq_version": zmq.pyzmq_version(),
        "libzmq_version": zmq.zmq_version(),
        "includes": list(zmq.get_includes()) if hasattr(zmq, "get_includes") else [],
        "library_dirs": list(zmq.get_library_dirs()) if hasattr(zmq, "get_library_dirs") else [],
        "has_asyncio": _zmq_asyncio()[0] is not None,
    }
    try:
        import tornado

        out["tornado_version"] = tornado.version
    except ImportError:
        out["tornado_version"] = None
    try:
        import zmq.eventloop.zmqstream  # noqa: F401

        out["has_zmqstream"] = True
    except ImportError:
        out["has_zmqstream"] = False
    return out


def main(argv):
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 0
    name, args = argv[0], argv[1:]
    if name == "info":
        print(json.dumps(info()))
        return 0
    if name == "list":
        print(json.dumps(sorted(n for n in SCENARIOS if not n.startswith("_"))))
        return 0
    fn = SCENARIOS.get(name)
    if fn is None:
        print(f"unknown scenario {name!r}; known: {', '.join(sorted(SCENARIOS))}", file=sys.stderr)
        return 2
    if name.startswith("_"):
        fn(*args)
        return 0
    count = int(args[0])
    warmup = int(args[1]) if len(args) > 1 else max(1, count // 10)
    result = fn(count, warmup)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
