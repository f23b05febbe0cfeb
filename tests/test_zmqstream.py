"""zmq.eventloop.zmqstream.ZMQStream on tornado 6 (asyncio underneath)."""

import asyncio
import logging
import pickle
import threading
import warnings

import pytest

tornado = pytest.importorskip("tornado")

from tornado.ioloop import IOLoop  # noqa: E402

import zmq  # noqa: E402
import zmq.asyncio  # noqa: E402
from zmq.eventloop.zmqstream import ZMQStream  # noqa: E402


async def until(predicate, timeout=2.0):
    """Let the loop run until predicate() holds (AssertionError after timeout s)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.001)


@pytest.fixture
def ctx(keeping_context):
    return keeping_context(zmq.Context)


@pytest.fixture
def pair(ctx, make_pair):
    return make_pair(ctx)


def test_attributes(pair, run):
    a, b = pair

    async def main():
        stream = ZMQStream(a)
        assert stream.socket is a
        assert stream.io_loop is IOLoop.current()
        assert not stream.closed()
        assert not stream.receiving() and not stream.sending()
        assert stream.getsockopt(zmq.TYPE) == zmq.PAIR
        stream.setsockopt(zmq.LINGER, 0)
        assert stream.connect.__self__ is a
        stream.close()

    run(main)


def test_on_recv(pair, run):
    a, b = pair
    got = []

    async def main():
        stream = ZMQStream(a)
        stream.on_recv(got.append)
        assert stream.receiving()
        b.send(b"one")
        b.send_multipart([b"two", b"parts"])
        await until(lambda: len(got) == 2)
        assert got == [[b"one"], [b"two", b"parts"]]
        stream.close()

    run(main)


def test_on_recv_copy_false_and_stream(pair, run):
    a, b = pair
    got = []

    async def main():
        stream = ZMQStream(a)
        stream.on_recv_stream(lambda s, msg: got.append((s, msg)), copy=False)
        b.send_multipart([b"x", b"y"])
        await until(lambda: got)
        s, msg = got[0]
        assert s is stream
        assert all(isinstance(f, zmq.Frame) for f in msg)
        assert [f.bytes for f in msg] == [b"x", b"y"]
        stream.close()

    run(main)


def test_messages_waiting_before_on_recv(pair, run):
    a, b = pair
    got = []

    async def main():
        b.send(b"early")
        await asyncio.sleep(0.01)
        a.get(zmq.EVENTS)  # the signal of the early message is consumed
        stream = ZMQStream(a)
        await asyncio.sleep(0.01)
        stream.on_recv(got.append)
        await until(lambda: got)
        assert got == [[b"early"]]
        stream.close()

    run(main)


def test_stop_on_recv_keeps_messages(pair, run):
    a, b = pair
    got = []

    async def main():
        stream = ZMQStream(a)
        stream.on_recv(got.append)
        b.send(b"1")
        await until(lambda: got)
        stream.stop_on_recv()
        assert not stream.receiving()
        b.send(b"2")
        await asyncio.sleep(0.02)
        assert got == [[b"1"]]
        stream.on_recv(got.append)
        await until(lambda: len(got) == 2)
        assert got[1] == [b"2"]
        stream.close()

    run(main)


def test_send_variants_and_on_send(pair, run):
    a, b = pair
    sent = []

    async def main():
        stream = ZMQStream(a)
        stream.on_send(lambda msg, status: sent.append((msg, status)))
        stream.send(b"plain")
        stream.send_multipart([b"multi", b"part"])
        stream.send_string("text")
        stream.send_unicode("unicode")
        stream.send_json({"j": 1})
        stream.send_pyobj([1, 2])
        assert stream.sending()
        # sends go out from the loop
        assert sent == []
        await until(lambda: len(sent) == 6)
        assert not stream.sending()
        assert [m for m, _ in sent][:5] == [[b"plain"], [b"multi", b"part"], [b"text"], [b"unicode"],
                                             [b'{"j": 1}']]
        assert pickle.loads(sent[5][0][0]) == [1, 2]
        assert all(status is None for _, status in sent)
        assert b.recv() == b"plain"
        assert b.recv_multipart() == [b"multi", b"part"]
        assert b.recv_string() == "text"
        assert b.recv_string() == "unicode"
        assert b.recv_json() == {"j": 1}
        assert b.recv_pyobj() == [1, 2]
        stream.close()

    run(main)


def test_send_callback_and_tracker(pair, run):
    a, b = pair
    seen = []

    async def main():
        stream = ZMQStream(a)
        stream.send(b"z" * 100_000, copy=False, track=True,
                    callback=lambda msg, status: seen.append(status))
        await until(lambda: seen)
        assert isinstance(seen[0], zmq.MessageTracker)
        assert b.recv() == b"z" * 100_000
        stream.on_send_stream(lambda s, msg, status: seen.append((s, msg)))
        stream.send(b"again")
        await until(lambda: len(seen) == 2)
        assert seen[1] == (stream, [b"again"])
        stream.close()

    run(main)


def test_flush(pair, run):
    a, b = pair
    got = []

    async def main():
        stream = ZMQStream(a)
        for i in range(5):
            b.send(b"%d" % i)
        await asyncio.sleep(0.01)
        # no callback: flush drops incoming messages
        assert stream.flush(zmq.POLLIN) == 5
        assert a.poll(0) == 0
        stream.on_recv(got.append)
        stream.stop_on_recv()
        b.send(b"x")
        b.send(b"y")
        await asyncio.sleep(0.01)
        stream.on_recv(got.append)
        assert stream.flush(zmq.POLLIN, limit=1) == 1
        assert got == [[b"x"]]
        stream.send(b"out")
        assert stream.flush(zmq.POLLOUT) == 1
        assert b.recv() == b"out"
        await until(lambda: len(got) == 2)
        stream.close()

    run(main)


def test_close(pair, run):
    a, b = pair
    closed = []

    async def main():
        stream = ZMQStream(a)
        stream.set_close_callback(lambda: closed.append(True))
        stream.on_recv(lambda msg: None)
        stream.close()
        assert closed == [True]
        assert stream.closed()
        assert stream.socket is None
        assert a.closed
        stream.close()  # twice is fine
        with pytest.raises(OSError):
            stream.send(b"after close")

    run(main)


def test_closed_notices_socket_closed_elsewhere(pair, run):
    a, b = pair
    closed = []

    async def main():
        stream = ZMQStream(a)
        stream.set_close_callback(lambda: closed.append(True))
        stream.on_recv(lambda msg: None)
        a.close()
        assert stream.closed()
        assert closed == [True]
        await asyncio.sleep(0.01)

    run(main)


def test_on_err_is_deprecated(pair, run):
    a, b = pair

    async def main():
        stream = ZMQStream(a)
        with pytest.warns(DeprecationWarning):
            stream.on_err(lambda *args: None)
        stream.close()

    run(main)


def test_async_socket_is_wrapped_with_warning(run, inproc):
    actx = zmq.asyncio.Context()
    a = actx.socket(zmq.PAIR)
    b = actx.socket(zmq.PAIR)
    url = inproc()
    a.bind(url)
    b.connect(url)
    got = []

    async def main():
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            stream = ZMQStream(a)
        assert caught
        assert type(stream.socket) is zmq.Socket
        stream.on_recv(got.append)
        await b.send(b"via async")
        await until(lambda: got)
        assert got == [[b"via async"]]

    try:
        run(main)
    finally:
        actx.destroy(linger=0)


def test_callback_errors_are_logged_and_stream_continues(pair, caplog, run):
    a, b = pair
    got = []

    def callback(msg):
        if msg == [b"bad"]:
            raise RuntimeError("callback failure")
        got.append(msg)

    async def main():
        stream = ZMQStream(a)
        stream.on_recv(callback)
        b.send(b"bad")
        b.send(b"good")
        await until(lambda: got)
        assert got == [[b"good"]]
        stream.close()

    with caplog.at_level(logging.ERROR):
        run(main)
    assert "callback failure" in caplog.text


def test_coroutine_callback(pair, run):
    a, b = pair
    got = []

    async def main():
        stream = ZMQStream(a)

        async def handler(msg):
            await asyncio.sleep(0.001)
            got.append(msg)

        stream.on_recv(handler)
        b.send(b"async handler")
        await until(lambda: got)
        assert got == [[b"async handler"]]
        stream.close()

    run(main)


def test_send_str_raises(pair, run):
    a, b = pair

    async def main():
        stream = ZMQStream(a)
        with pytest.raises(TypeError):
            stream.send("text")
        with pytest.raises(TypeError):
            stream.send_multipart([b"ok", "text"])
        stream.send(b"fine")
        await asyncio.sleep(0.01)
        assert b.recv() == b"fine"
        assert b.poll(10) == 0
        stream.close()

    run(main)


def test_explicit_ioloop(pair):
    a, b = pair
    loop = IOLoop(make_current=False)
    got = []
    try:
        stream = ZMQStream(a, io_loop=loop)
        assert stream.io_loop is loop
        stream.on_recv(got.append)

        async def main():
            b.send(b"on my loop")
            await until(lambda: got)
            stream.send(b"reply")
            await until(lambda: b.poll(0))

        loop.run_sync(main, timeout=5)
        assert got == [[b"on my loop"]]
        assert b.recv() == b"reply"
        stream.close()
    finally:
        loop.close()


def test_echo_over_tcp(ctx, run):
    server = ctx.socket(zmq.ROUTER)
    client = ctx.socket(zmq.DEALER)
    server.linger = client.linger = 0
    port = server.bind_to_random_port("tcp://127.0.0.1")
    client.connect(f"tcp://127.0.0.1:{port}")
    n = 20_000
    window = 200  # in flight at once; a ROUTER drops what its pipes cannot hold
    replies = []

    async def main():
        s_server = ZMQStream(server)
        s_client = ZMQStream(client)
        s_server.on_recv(s_server.send_multipart)
        sent = [0]

        def on_reply(msg):
            replies.append(msg)
            if sent[0] < n:
                s_client.send(b"%d" % sent[0])
                sent[0] += 1

        s_client.on_recv(on_reply)
        for _ in range(window):
            s_client.send(b"%d" % sent[0])
            sent[0] += 1
        await until(lambda: len(replies) == n, timeout=20)
        assert replies == [[b"%d" % i] for i in range(n)]
        s_server.close()
        s_client.close()

    run(main, timeout=30)


def test_two_streams_share_one_loop_fairly(ctx, run, inproc):
    a, b = ctx.socket(zmq.PULL), ctx.socket(zmq.PULL)
    feed_a, feed_b = ctx.socket(zmq.PUSH), ctx.socket(zmq.PUSH)
    url_a, url_b = inproc(), inproc()
    a.rcvhwm = feed_a.sndhwm = 0
    a.bind(url_a)
    b.bind(url_b)
    feed_a.connect(url_a)
    feed_b.connect(url_b)
    flood = 100_000
    for _ in range(flood):
        feed_a.send(b"a")
    counts = {"a": 0, "a_when_b": None}

    async def main():
        sa, sb = ZMQStream(a), ZMQStream(b)

        def on_a(msg):
            counts["a"] += 1

        def on_b(msg):
            counts["a_when_b"] = counts["a"]

        sa.on_recv(on_a)
        sb.on_recv(on_b)
        await asyncio.sleep(0)
        feed_b.send(b"b")
        await until(lambda: counts["a"] == flood, timeout=20)
        sa.close()
        sb.close()

    run(main, timeout=30)
    assert counts["a_when_b"] is not None and counts["a_when_b"] < flood


def test_stream_on_loop_of_other_thread(pair):
    # As in Jupyter kernels: the stream is made in one thread and its IOLoop
    # runs in another; sends and callback changes come from the first.
    a, b = pair
    b.rcvtimeo = 5000
    loop = IOLoop(make_current=False)
    got = []
    received = threading.Event()
    stream = ZMQStream(a, io_loop=loop)
    thread = threading.Thread(target=loop.start)
    thread.start()
    try:
        stream.on_recv(lambda msg: (got.append(msg), received.set()))
        b.send(b"to the loop thread")
        assert received.wait(5)
        assert got == [[b"to the loop thread"]]
        for i in range(20):
            stream.send(b"%d" % i)
        assert [b.recv() for _ in range(20)] == [b"%d" % i for i in range(20)]
    finally:
        loop.add_callback(loop.stop)
        thread.join(5)
        stream.close()
        loop.close()
    assert not thread.is_alive()


def test_flush_of_a_send_only_socket(run):
    # ipyparallel's heart monitor flushes its PUB stream: there is nothing to
    # receive there, and recv would fail with ENOTSUP.
    async def main():
        ctx = zmq.Context()
        pub = ZMQStream(ctx.socket(zmq.PUB))
        try:
            assert pub.flush() == 0
            pub.send(b"beat")
            assert pub.flush() == 1
        finally:
            pub.close(linger=0)
            ctx.term()

    run(main)
