"""Resource leaks: 10 000 create/use/drop cycles of each kind of zmq object
must leave the process's threads, file descriptors, memory and Python objects
where they were.

Each kind runs in a fresh interpreter, which loads this file and calls
`_measure(kind, cycles)`: the RSS and object count of the pytest process depend
on every test run before, and a leak found in one kind must not skew the next.
A kind is a setup function that returns the cycle (a function of the cycle
number); what the setup creates is part of the baseline.

ZMQ_LEAK_CYCLES overrides the number of cycles.
"""

from __future__ import annotations

import asyncio
import collections
import ctypes
import gc
import json
import os
import sys
import threading
import time
import warnings

import pytest

import zmq

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="reads the process's resources from /proc")

# What the bounds below are made for.
FULL_CYCLES = 10_000
CYCLES = int(os.environ.get("ZMQ_LEAK_CYCLES", FULL_CYCLES))
# Enough for what is created once and kept (what libraries start lazily,
# tornado's IOLoop for an asyncio loop, malloc arenas of new threads, caches)
# to exist before the baseline.
WARMUP = 200

# Bounds. Threads and file descriptors must come back exactly: nothing in a
# cycle may keep one, and libzmq gives its own back once settled.
#
# Python objects (those the garbage collector tracks) may grow by a few
# (caches, free lists), never by one every ten cycles.
OBJECTS_PER_CYCLE = 0.1
# Native memory. Freed memory that malloc keeps is trimmed before each reading,
# which leaves a noise of at most ~200 KB over 10 000 cycles. The bound,
# 1.25 MiB for 10 000 cycles, is crossed by a leak of 128 bytes or more a
# cycle: a libzmq socket (several KB with its mailbox), a pipe (its message
# queue chunk alone is KBs), a zero-copy buffer, a message content of ~100
# payload bytes (test_bounds_catch_one_leak_per_cycle leaks 160 bytes).
RSS_BYTES_PER_CYCLE = 128
# Memory mappings. A thread that ends without being joined keeps its stack:
# two mappings (8 MiB of address space) and only ~8 KB of RSS each. glibc gives threads up to 8 malloc
# arenas per core (a mapping or two each) before it shares them.
MAPS_SLACK = 16 * (os.cpu_count() or 1)

# libzmq closes sockets and joins threads asynchronously (its reaper thread):
# resources come back some time after the last cycle.
SETTLE_SECONDS = 15.0
# Sockets closed faster than the reaper destroys them still count against the
# context's 1023 sockets (ZMQ_MAX_SOCKETS): the cycles wait for the reaper
# whenever this many more descriptors (one per libzmq socket) are open than
# before, as a loaded machine can starve it. A count that stops going down is
# a leak, not a lag: the cycles go on, and the end of the test reports it.
REAPER_LAG = 256
PACE_EVERY = 32
STUCK_SECONDS = 0.5

KINDS = {}
# Deliberate leaks that show the bounds catch one leaked object a cycle.
LEAKY_KINDS = {}


def kind(func):
    KINDS[func.__name__] = func
    return func


def leaky_kind(func):
    LEAKY_KINDS[func.__name__] = func
    return func


# ---------------------------------------------------------------- measuring

try:
    _malloc_trim = ctypes.CDLL(None).malloc_trim
except (AttributeError, OSError):  # not glibc
    _malloc_trim = None


def _os_threads():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("Threads:"):
                return int(line.split()[1])
    raise AssertionError("no Threads: line in /proc/self/status")


def _fds():
    return len(os.listdir("/proc/self/fd"))


def _maps():
    with open("/proc/self/maps") as f:
        return sum(1 for _ in f)


def _rss():
    if _malloc_trim is not None:
        _malloc_trim(0)
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _snapshot():
    return {"os_threads": _os_threads(), "py_threads": threading.active_count(), "fds": _fds()}


def _objects():
    gc.collect()
    return len(gc.get_objects())


def _type_histogram():
    gc.collect()
    return collections.Counter(type(o).__qualname__ for o in gc.get_objects())


def _settle(done):
    deadline = time.monotonic() + SETTLE_SECONDS
    while True:
        gc.collect()
        now = _snapshot()
        if done(now) or time.monotonic() > deadline:
            return now
        time.sleep(0.02)


def _wait_for_reaper(target):
    """The open descriptors once down to target, or once stuck."""
    fds = _fds()
    stuck_since = time.monotonic()
    while fds > target and time.monotonic() - stuck_since < STUCK_SECONDS:
        time.sleep(0.005)
        now = _fds()
        if now < fds:
            stuck_since = time.monotonic()
        fds = now
    return fds


def _measure(name, cycles):
    """Prints the growth over `cycles` cycles of the kind `name` as JSON."""
    # Expected of the dropped kinds; each message names an address, so that
    # shown warnings would fill the registry of those already shown.
    warnings.simplefilter("ignore", ResourceWarning)
    cycle = {**KINDS, **LEAKY_KINDS}[name]()
    # Its first run fills abc's caches for the types it meets.
    _type_histogram()
    for i in range(WARMUP):
        cycle(i)
    # The baseline once what the warm-up set going has come to rest: two
    # readings alike in a row.
    readings = [None]

    def steady(now):
        readings.append(now)
        return readings[-2] == now

    base = _settle(steady)
    base_maps = _maps()
    base_objects = _objects()
    base_types = _type_histogram()
    base_rss = _rss()

    start = time.perf_counter()
    floor = base["fds"]
    for i in range(WARMUP, WARMUP + cycles):
        cycle(i)
        if i % PACE_EVERY == 0 and _fds() > floor + REAPER_LAG:
            left = _wait_for_reaper(floor + REAPER_LAG // 2)
            # Where the count is stuck, the next wait is a lag above it.
            floor = max(floor, left - REAPER_LAG // 2)
    elapsed = time.perf_counter() - start

    end = _settle(lambda now: all(now[k] <= base[k] for k in base))
    report = {k: end[k] - base[k] for k in base}
    report.update(
        maps=_maps() - base_maps,
        objects=_objects() - base_objects,
        rss=_rss() - base_rss,
        seconds=round(elapsed, 2),
        growing_types=(_type_histogram() - base_types).most_common(8),
    )
    print(json.dumps(report))


def _failures(report, cycles):
    """The names of the bounds the report crosses."""
    limits = {
        "os_threads": 0,
        "py_threads": 0,
        "fds": 0,
        "maps": MAPS_SLACK,
        "objects": cycles * OBJECTS_PER_CYCLE,
        "rss": cycles * RSS_BYTES_PER_CYCLE,
    }
    return sorted(k for k, limit in limits.items() if report[k] > limit)


# ---------------------------------------------------------------- the kinds


def _pair(ctx, i):
    a = ctx.socket(zmq.PAIR)
    b = ctx.socket(zmq.PAIR)
    a.linger = b.linger = 0
    a.bind(f"inproc://leak-{i}")
    b.connect(f"inproc://leak-{i}")
    return a, b


@kind
def context_term():
    def cycle(i):
        ctx = zmq.Context()
        # The first socket starts libzmq's I/O and reaper threads.
        ctx.socket(zmq.PAIR).close()
        ctx.term()

    return cycle


@kind
def context_dropped():
    def cycle(i):
        zmq.Context()

    return cycle


@kind
def context_dropped_closed_socket():
    def cycle(i):
        ctx = zmq.Context()
        ctx.socket(zmq.PAIR).close()
        del ctx

    return cycle


@kind
def context_dropped_in_cycle():
    def cycle(i):
        ctx = zmq.Context()
        s = ctx.socket(zmq.PAIR)
        # Collected together, the context before its socket is closed: its
        # termination has to wait for the socket's close.
        garbage = [ctx, s]
        garbage.append(garbage)
        del ctx, s, garbage
        gc.collect(0)

    return cycle


@kind
def context_manager():
    def cycle(i):
        with zmq.Context() as ctx:
            ctx.socket(zmq.PAIR).close()

    return cycle


@kind
def socket():
    ctx = zmq.Context()

    def cycle(i):
        a, b = _pair(ctx, i)
        a.send(b"ping")
        assert b.recv() == b"ping"
        a.close()
        b.close()

    return cycle


@kind
def socket_dropped():
    ctx = zmq.Context()

    def cycle(i):
        a, b = _pair(ctx, i)
        a.send(b"ping")
        assert b.recv() == b"ping"

    return cycle


# Above the copy threshold: shared with libzmq, not copied. A buffer kept
# alive by a leaked frame or message is 64 KiB a cycle.
BIG = 64 * 1024


@kind
def frame_tracked():
    ctx = zmq.Context()
    a, b = _pair(ctx, "frame-tracked")

    def cycle(i):
        # A fresh buffer each cycle, so that one kept alive shows in RSS.
        tracker = a.send(b"t" * BIG, copy=False, track=True)
        frame = b.recv(copy=False)
        assert len(frame.bytes) == len(frame.buffer) == BIG
        # On inproc the received frame shares the sent buffer.
        del frame
        tracker.wait(10)
        assert tracker.done

    return cycle


@kind
def frame_buffers():
    def cycle(i):
        for data in (b"s" * 10, b"b" * BIG, bytearray(BIG), memoryview(b"m" * BIG)):
            frame = zmq.Frame(data)
            assert len(frame.bytes) == len(frame.buffer) == len(data)
            frame = zmq.Frame(data, copy=False)
            view = frame.buffer
            assert len(view) == len(frame) == len(data)
            del frame
            assert len(view.tobytes()) == len(data)
            del view

    return cycle


@kind
def poller():
    ctx = zmq.Context()
    a, b = _pair(ctx, "poller")
    r, w = os.pipe()
    b.send(b"ready")

    def cycle(i):
        p = zmq.Poller()
        p.register(a, zmq.POLLIN | zmq.POLLOUT)
        p.register(b, zmq.POLLIN)
        p.register(r, zmq.POLLIN)
        p.register(w, zmq.POLLOUT)
        assert dict(p.poll(0)) == {a: zmq.POLLIN | zmq.POLLOUT, w: zmq.POLLOUT}
        p.unregister(a)
        p.unregister(r)
        assert dict(p.poll(0)) == {w: zmq.POLLOUT}
        assert zmq.select([a, b, r], [a, w], [a], 0) == ([a], [a, w], [])

    return cycle


def _in_loop(coro_fn):
    loop = asyncio.new_event_loop()

    def cycle(i):
        loop.run_until_complete(asyncio.wait_for(coro_fn(i), 10))

    return cycle


@kind
def asyncio_pending_closed():
    import zmq.asyncio

    ctx = zmq.asyncio.Context()

    async def one(i):
        s = ctx.socket(zmq.PULL)
        s.linger = 0
        s.bind(f"inproc://leak-{i}")
        recv = s.recv()
        # A long timeout: a timer the close does not cancel stays in the loop.
        poll = s.poll(timeout=600_000)
        await asyncio.sleep(0)
        s.close()
        await asyncio.sleep(0)
        assert recv.cancelled() and poll.done()

    return _in_loop(one)


@kind
def asyncio_pending_cancelled():
    import zmq.asyncio

    ctx = zmq.asyncio.Context()

    async def one(i):
        s = ctx.socket(zmq.PULL)
        s.linger = 0
        s.bind(f"inproc://leak-{i}")
        recv = s.recv()
        poll = s.poll(timeout=600_000)
        poller = zmq.asyncio.Poller()
        poller.register(s, zmq.POLLIN)
        polled = poller.poll(timeout=600_000)
        await asyncio.sleep(0)
        for fut in recv, poll, polled:
            fut.cancel()
        await asyncio.sleep(0)
        s.close()

    return _in_loop(one)


@kind
def asyncio_context():
    import zmq.asyncio

    async def one(i):
        ctx = zmq.asyncio.Context()
        a, b = _pair(ctx, i)
        # Waits in the loop: the message is sent only after.
        received = b.recv()
        await asyncio.sleep(0)
        await a.send(b"ping")
        assert await received == b"ping"
        a.close()
        b.close()
        ctx.term()

    return _in_loop(one)


@kind
def zmqstream_ioloop():
    from tornado.ioloop import IOLoop

    from zmq.eventloop.zmqstream import ZMQStream

    ctx = zmq.Context()
    loop = IOLoop()

    def cycle(i):
        a, b = _pair(ctx, i)
        stream = ZMQStream(b, loop)
        got = []

        def on_recv(msg):
            got.append(msg)
            loop.stop()

        stream.on_recv(on_recv)
        a.send(b"ping")
        timeout = loop.call_later(10, loop.stop)
        loop.start()
        loop.remove_timeout(timeout)
        assert got == [[b"ping"]]
        stream.close()
        a.close()

    return cycle


@kind
def zmqstream_asyncio():
    from zmq.eventloop.zmqstream import ZMQStream

    ctx = zmq.Context()

    async def one(i):
        a, b = _pair(ctx, i)
        sender, receiver = ZMQStream(a), ZMQStream(b)
        got = asyncio.get_running_loop().create_future()
        receiver.on_recv(got.set_result)
        sender.send(b"ping")
        assert await got == [b"ping"]
        sender.close()
        receiver.close()

    return _in_loop(one)


@kind
def green_socket():
    import gevent

    import zmq.green

    ctx = zmq.green.Context()

    def cycle(i):
        a, b = _pair(ctx, i)
        # Blocks in gevent's hub until the send: the socket's watchers run.
        receiver = gevent.spawn(b.recv)
        gevent.sleep(0)
        a.send(b"ping")
        assert receiver.get(timeout=10) == b"ping"
        a.close()
        b.close()

    return cycle


@kind
def monitor():
    from zmq.utils.monitor import recv_monitor_message

    ctx = zmq.Context()

    def cycle(i):
        s = ctx.socket(zmq.PAIR)
        s.linger = 0
        m = s.get_monitor_socket()
        m.linger = 0
        m.rcvtimeo = 10_000
        # tcp, as inproc endpoints raise no events.
        s.bind("tcp://127.0.0.1:0")
        assert recv_monitor_message(m)["event"] == zmq.EVENT_LISTENING
        s.disable_monitor()
        m.close()
        s.close()

    return cycle


@leaky_kind
def leak_one_object():
    kept = []

    def cycle(i):
        kept.append([])

    return cycle


@leaky_kind
def leak_small_malloc():
    libc = ctypes.CDLL(None)
    libc.malloc.restype = ctypes.c_void_p

    def cycle(i):
        # Lost, as a message content of ~100 payload bytes would be.
        ctypes.memset(libc.malloc(160), 1, 160)

    return cycle


@leaky_kind
def leak_thread_stack():
    libc = ctypes.CDLL(None)
    libc.mmap.restype = ctypes.c_void_p
    libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int,
                          ctypes.c_int, ctypes.c_long]
    libc.mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    page = os.sysconf("SC_PAGE_SIZE")
    prot_none, prot_rw, map_private_anonymous = 0, 3, 0x22

    def cycle(i):
        # A guard page and an untouched stack page, as an unjoined thread
        # leaves: two mappings, no RSS.
        address = libc.mmap(None, 2 * page, prot_none, map_private_anonymous, -1, 0)
        libc.mprotect(address + page, page, prot_rw)

    return cycle


# ---------------------------------------------------------------- the tests

_CHILD = """
import importlib.util, sys
spec = importlib.util.spec_from_file_location("leak_kinds", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
module._measure(sys.argv[2], int(sys.argv[3]))
"""


def _report(run_python, name, cycles):
    # Under the per-test watchdog, with room for a loaded machine.
    result = run_python(_CHILD, __file__, name, str(cycles), timeout=110)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("name", list(KINDS))
def test_no_leak(run_python, name):
    report = _report(run_python, name, CYCLES)
    crossed = _failures(report, CYCLES)
    assert not crossed, f"{name}: {crossed} grew over {CYCLES} cycles: {report}"


@pytest.mark.skipif(_malloc_trim is None, reason="the RSS bound relies on glibc's malloc_trim")
@pytest.mark.parametrize("name, caught_by", [("leak_one_object", ["objects"]),
                                             ("leak_small_malloc", ["rss"]),
                                             ("leak_thread_stack", ["maps"])])
def test_bounds_catch_one_leak_per_cycle(run_python, name, caught_by):
    # Whatever ZMQ_LEAK_CYCLES says: the bounds are made for the full count.
    report = _report(run_python, name, FULL_CYCLES)
    assert _failures(report, FULL_CYCLES) == caught_by, report
