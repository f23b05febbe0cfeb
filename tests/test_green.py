"""zmq.green: gevent-cooperative Context, Socket, Poller, select and device."""

import re
import socket as pysocket
import time
import warnings

import pytest

gevent = pytest.importorskip("gevent")

import zmq  # noqa: E402
import zmq.green as gzmq  # noqa: E402


@pytest.fixture
def gctx(keeping_context):
    return keeping_context(gzmq.Context)


def join_all(greenlets, timeout=5.0):
    gevent.joinall(greenlets, timeout=timeout, raise_error=True)
    assert all(g.dead for g in greenlets), "greenlets did not finish in time"


class Ticker:
    """A greenlet counting hub turns: it only advances while others yield."""

    def __init__(self):
        self.ticks = 0
        self.greenlet = gevent.spawn(self._run)

    def _run(self):
        while True:
            self.ticks += 1
            gevent.sleep(0.001)

    def stop(self):
        self.greenlet.kill()


def test_namespace_mirrors_zmq():
    for name in zmq.__all__:
        assert hasattr(gzmq, name), name
    assert gzmq.PUSH == zmq.PUSH and gzmq.SNDMORE == zmq.SNDMORE
    assert gzmq.ZMQError is zmq.ZMQError and gzmq.Again is zmq.Again
    assert gzmq.Frame is zmq.Frame
    assert issubclass(gzmq.Socket, zmq.Socket) and gzmq.Socket is not zmq.Socket
    assert issubclass(gzmq.Context, zmq.Context) and gzmq.Context is not zmq.Context
    assert issubclass(gzmq.Poller, zmq.Poller) and gzmq.Poller is not zmq.Poller
    assert gzmq.Context._socket_class is gzmq.Socket


def test_context_instance():
    inst = gzmq.Context.instance()
    try:
        assert isinstance(inst, gzmq.Context)
        assert inst is gzmq.Context.instance()
        assert inst is not zmq.Context.instance()
    finally:
        inst.destroy(linger=0)


def test_class_names_and_reprs():
    import zmq.green.core
    import zmq.green.poll

    # Where pyzmq defines them, and exported under the plain names.
    assert gzmq.Socket is zmq.green.core._Socket
    assert gzmq.Context is zmq.green.core._Context
    assert gzmq.Poller is zmq.green.poll._Poller
    ctx = gzmq.Context()
    try:
        assert re.fullmatch(r"<zmq\.green\.Context\(\) at 0x[0-9a-f]+>", repr(ctx))
        s = ctx.socket(zmq.PAIR)
        assert re.fullmatch(r"<zmq\.green\.Socket\(zmq\.PAIR\) at 0x[0-9a-f]+>", repr(s))
        assert re.fullmatch(r"<zmq\.green\.Context\(1 socket\) at 0x[0-9a-f]+>", repr(ctx))
        s.close()
        assert repr(s).endswith(" closed>")

        class Mine(gzmq.Socket):
            pass

        mine = Mine(ctx, zmq.PAIR)
        assert repr(mine).startswith(f"<{__name__}.test_class_names_and_reprs.<locals>.Mine(zmq.PAIR) at ")
        mine.close()
    finally:
        ctx.term()
    assert repr(ctx).endswith(" closed>")


def test_timeo_options_are_honoured_without_warning(gctx):
    import zmq.green.core

    assert zmq.green.core.TIMEOS == (zmq.RCVTIMEO, zmq.SNDTIMEO)
    s = gctx.socket(zmq.PULL)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s.rcvtimeo = 50
        s.setsockopt(zmq.SNDTIMEO, 50)
        s.set(zmq.RCVTIMEO, 50)
    started = time.monotonic()
    with pytest.raises(zmq.Again):
        s.recv()
    assert time.monotonic() - started < 2


def test_recv_yields_to_other_greenlets(gctx, make_pair):
    a, b = make_pair(gctx, zmq.PUSH, zmq.PULL)
    ticker = Ticker()
    got = []

    def consumer():
        for _ in range(3):
            got.append(b.recv())

    def producer():
        for i in range(3):
            gevent.sleep(0.02)
            a.send(b"%d" % i)

    try:
        join_all([gevent.spawn(consumer), gevent.spawn(producer)])
    finally:
        ticker.stop()
    assert got == [b"0", b"1", b"2"]
    assert ticker.ticks >= 20  # the hub kept running while recv waited


def test_send_yields_when_pipe_is_full(gctx, inproc):
    push = gctx.socket(zmq.PUSH)
    pull = gctx.socket(zmq.PULL)
    push.linger = pull.linger = 0
    push.sndhwm = pull.rcvhwm = 2
    url = inproc()
    push.bind(url)
    pull.connect(url)
    n = 200
    got = []

    def producer():
        for i in range(n):
            push.send_multipart([b"%d" % i, b"tail"])

    def consumer():
        for _ in range(n):
            got.append(pull.recv_multipart())
            gevent.sleep(0)

    join_all([gevent.spawn(producer), gevent.spawn(consumer)], timeout=10)
    assert got == [[b"%d" % i, b"tail"] for i in range(n)]


def test_variants(gctx, make_pair):
    a, b = make_pair(gctx)

    def run():
        a.send_string("héllo")
        assert b.recv_string() == "héllo"
        a.send_json({"a": 1})
        assert b.recv_json() == {"a": 1}
        a.send_pyobj((1, 2))
        assert b.recv_pyobj() == (1, 2)
        a.send(b"frame", copy=False)
        assert b.recv(copy=False).bytes == b"frame"
        buf = bytearray(8)
        a.send(b"into")
        assert b.recv_into(buf) == 4 and buf[:4] == b"into"
        a.send_serialized([1, 2], lambda m: [bytes(m)])
        assert b.recv_serialized(lambda parts: list(parts[0])) == [1, 2]
        with pytest.raises(zmq.Again):
            b.recv(zmq.DONTWAIT)

    join_all([gevent.spawn(run)])


def test_rcvtimeo_and_sndtimeo(gctx, inproc, make_pair):
    a, b = make_pair(gctx)
    b.rcvtimeo = 50
    push = gctx.socket(zmq.PUSH)
    push.linger = 0
    push.sndtimeo = 50
    push.bind(inproc())  # no peer
    results = []

    def run():
        t0 = time.monotonic()
        try:
            b.recv()
        except zmq.Again:
            results.append(("recv", time.monotonic() - t0))
        try:
            push.send(b"x")
        except zmq.Again:
            results.append(("send", time.monotonic() - t0))

    with gevent.Timeout(5, False):
        join_all([gevent.spawn(run)])
    assert [r[0] for r in results] == ["recv", "send"]
    assert results[0][1] >= 0.04


def test_socket_poll(gctx, make_pair):
    a, b = make_pair(gctx)

    def run():
        assert b.poll(10) == 0
        assert a.poll(10, zmq.POLLOUT) == zmq.POLLOUT
        gevent.spawn_later(0.02, a.send, b"x")
        assert b.poll(2000) == zmq.POLLIN
        assert b.recv() == b"x"

    join_all([gevent.spawn(run)])


def test_poller(gctx, inproc, make_pair):
    a, b = make_pair(gctx)
    c, d = make_pair(gctx)
    sync_ctx = zmq.Context()
    sync_push = sync_ctx.socket(zmq.PUSH)
    sync_pull = sync_ctx.socket(zmq.PULL)
    url = inproc()
    sync_push.bind(url)
    sync_pull.connect(url)
    rsock, wsock = pysocket.socketpair()
    ticker = Ticker()

    def run():
        poller = gzmq.Poller()
        poller.register(b, zmq.POLLIN)
        poller.register(d, zmq.POLLIN)
        poller.register(sync_pull, zmq.POLLIN)
        poller.register(rsock, zmq.POLLIN)
        t0 = time.monotonic()
        assert poller.poll(50) == []
        assert time.monotonic() - t0 >= 0.04
        gevent.spawn_later(0.02, c.send, b"to d")
        assert poller.poll(2000) == [(d, zmq.POLLIN)]
        d.recv()
        gevent.spawn_later(0.02, sync_push.send, b"sync")
        assert poller.poll(2000) == [(sync_pull, zmq.POLLIN)]
        sync_pull.recv()
        gevent.spawn_later(0.02, wsock.send, b"!")
        assert poller.poll(2000) == [(rsock.fileno(), zmq.POLLIN)]

    try:
        join_all([gevent.spawn(run)])
    finally:
        ticker.stop()
        rsock.close()
        wsock.close()
        sync_ctx.destroy(linger=0)
    assert ticker.ticks >= 20


def test_select(gctx, make_pair):
    a, b = make_pair(gctx)

    def run():
        assert gzmq.select([b], [], [], 0.01) == ([], [], [])
        gevent.spawn_later(0.01, a.send, b"x")
        assert gzmq.select([b], [], [], 2) == ([b], [], [])
        assert gzmq.select([b], [a], [], 2) == ([b], [a], [])

    join_all([gevent.spawn(run)])


def test_many_greenlets_on_one_socket(gctx, make_pair):
    push, pull = make_pair(gctx, zmq.PUSH, zmq.PULL)
    got = []

    def receiver():
        got.append(pull.recv())

    greenlets = [gevent.spawn(receiver) for _ in range(100)]
    gevent.sleep(0.01)
    for i in range(100):
        push.send(b"%d" % i)
    join_all(greenlets)
    assert sorted(got) == sorted(b"%d" % i for i in range(100))


def test_send_wakes_receiver_on_same_socket(gctx, make_pair):
    a, b = make_pair(gctx)
    got = []

    def receiver():
        for _ in range(200):
            got.append(b.recv())

    def pinger():
        for i in range(200):
            a.send(b"%d" % i)
            # a send on b, while another greenlet waits to receive on b
            b.send(b"pong")
            a.recv()
            gevent.sleep(0)

    join_all([gevent.spawn(receiver), gevent.spawn(pinger)], timeout=10)
    assert got == [b"%d" % i for i in range(200)]


def test_close_wakes_waiting_greenlet(gctx, make_pair):
    a, b = make_pair(gctx)
    errors = []

    def receiver():
        try:
            b.recv()
        except zmq.ZMQError as e:
            errors.append(e.errno)

    g = gevent.spawn(receiver)
    gevent.sleep(0.01)
    b.close()
    join_all([g])
    assert errors == [zmq.ENOTSOCK]


def test_device(gctx, inproc):
    front = gctx.socket(zmq.PULL)
    back = gctx.socket(zmq.PUSH)
    src = gctx.socket(zmq.PUSH)
    dst = gctx.socket(zmq.PULL)
    for s in (front, back, src, dst):
        s.linger = 0
    u1, u2 = inproc(), inproc()
    front.bind(u1)
    back.bind(u2)
    src.connect(u1)
    dst.connect(u2)
    dev = gevent.spawn(gzmq.device, zmq.STREAMER, front, back)
    got = []

    def run():
        for i in range(50):
            src.send_multipart([b"%d" % i, b"x"])
        for _ in range(50):
            got.append(dst.recv_multipart())

    try:
        join_all([gevent.spawn(run)])
    finally:
        dev.kill()
    assert got == [[b"%d" % i, b"x"] for i in range(50)]


def test_proxy_steerable_terminate(gctx, inproc):
    front = gctx.socket(zmq.PAIR)
    back = gctx.socket(zmq.PAIR)
    control_in = gctx.socket(zmq.PAIR)
    control_out = gctx.socket(zmq.PAIR)
    for s in (front, back, control_in, control_out):
        s.linger = 0
    url = inproc()
    control_in.bind(url)
    control_out.connect(url)
    front.bind(inproc())
    back.bind(inproc())
    proxy = gevent.spawn(gzmq.proxy_steerable, front, back, None, control_in)
    gevent.sleep(0.01)
    control_out.send(b"TERMINATE")
    join_all([proxy])
    assert proxy.value == 0


def test_term_keeps_context_semantics():
    # The termination runs in a worker thread, yet term() must behave as
    # zmq.Context.term: idempotent, and closing the shadows too.
    ctx = gzmq.Context()
    shadow = gzmq.Context.shadow(ctx.underlying)
    ctx.socket(zmq.PAIR).close()
    ctx.term()
    assert ctx.closed and shadow.closed, "term did not close the context and its shadow"
    ctx.term()
    shadow.term()
    with pytest.raises(zmq.ZMQError):
        ctx.socket(zmq.PAIR)

def test_term_from_the_hub_itself():
    # The hub cannot wait for a worker thread: a term run as a hub callback
    # terminates in place.
    ctx = gzmq.Context()
    ctx.socket(zmq.PAIR).close()
    gevent.get_hub().loop.run_callback(ctx.term)
    deadline = time.monotonic() + 5
    while not ctx.closed and time.monotonic() < deadline:
        gevent.sleep(0.01)
    assert ctx.closed, "term run by the hub did not terminate the context"
