"""zmq.green.eventloop: tornado's IOLoop and a ZMQStream for zmq.green
sockets, alone and alongside other greenlets under gevent's monkey-patching."""

import subprocess
import sys
import tempfile
import textwrap

import pytest

pytest.importorskip("gevent")
tornado_ioloop = pytest.importorskip("tornado.ioloop")

import zmq  # noqa: E402
import zmq.eventloop.ioloop  # noqa: E402
import zmq.eventloop.zmqstream  # noqa: E402
import zmq.green as gzmq  # noqa: E402
import zmq.green.eventloop  # noqa: E402
from zmq.green.eventloop import ioloop, zmqstream  # noqa: E402
from zmq.green.eventloop.zmqstream import ZMQStream  # noqa: E402


@pytest.fixture
def gctx(keeping_context):
    return keeping_context(gzmq.Context)


@pytest.fixture
def loop():
    """A fresh tornado IOLoop (on a new asyncio loop), closed after the test."""
    io_loop = tornado_ioloop.IOLoop(make_current=False)
    yield io_loop
    io_loop.close(all_fds=False)


def run_loop(io_loop, timeout=10.0):
    handle = io_loop.call_later(timeout, io_loop.stop)
    io_loop.start()
    io_loop.remove_timeout(handle)


def test_names():
    assert zmq.green.eventloop.IOLoop is tornado_ioloop.IOLoop
    assert ioloop.IOLoop is tornado_ioloop.IOLoop
    assert ioloop.ZMQIOLoop is tornado_ioloop.IOLoop
    assert ioloop.PeriodicCallback is tornado_ioloop.PeriodicCallback
    assert ioloop.install is zmq.eventloop.ioloop.install
    assert zmqstream.ZMQStream is ZMQStream
    assert issubclass(ZMQStream, zmq.eventloop.zmqstream.ZMQStream)
    assert ZMQStream is not zmq.eventloop.zmqstream.ZMQStream
    for name in getattr(zmq.eventloop.ioloop, "__all__", ["IOLoop", "PeriodicCallback", "ZMQIOLoop", "install"]):
        assert getattr(ioloop, name) is getattr(zmq.eventloop.ioloop, name)


def test_install_is_a_deprecated_no_op():
    with pytest.warns(DeprecationWarning):
        ioloop.install()


def test_stream_keeps_the_socket(gctx, loop, socket):
    green = gctx.socket(zmq.PUSH)
    green.linger = 0
    stream = ZMQStream(green, loop)
    try:
        assert stream.socket is green
        assert isinstance(stream.socket, gzmq.Socket)
        assert stream.io_loop is loop
    finally:
        stream.close()
    plain = socket(zmq.PUSH)
    stream = ZMQStream(plain, io_loop=loop)
    try:
        assert stream.socket is plain and type(stream.socket) is zmq.Socket
    finally:
        stream.close()


def test_stream_of_an_async_socket_warns(actx, loop):
    import zmq.asyncio

    asock = actx.socket(zmq.PUSH)
    asock.linger = 0
    with pytest.warns(RuntimeWarning):
        stream = ZMQStream(asock, loop)
    try:
        assert type(stream.socket) is zmq.Socket
        assert stream.socket.underlying == asock.underlying
    finally:
        stream.close()


def test_stream_of_a_non_socket():
    with pytest.raises(AttributeError):
        ZMQStream(5)


def test_green_echo_in_the_loop(gctx, loop):
    router = gctx.socket(zmq.ROUTER)
    dealer = gctx.socket(zmq.DEALER)
    router.linger = dealer.linger = 0
    port = router.bind_to_random_port("tcp://127.0.0.1")
    dealer.connect(f"tcp://127.0.0.1:{port}")
    server = ZMQStream(router, loop)
    client = ZMQStream(dealer, loop)
    server.on_recv(server.send_multipart)
    got = []
    sent = []

    def on_reply(msg):
        got.append(msg)
        if len(got) == 3:
            loop.stop()

    client.on_recv(on_reply)
    client.on_send(lambda msg, status: sent.append(msg))
    for i in range(3):
        client.send_multipart([b"hello", b"%d" % i])
    run_loop(loop)
    assert got == [[b"hello", b"%d" % i] for i in range(3)]
    assert len(sent) == 3
    server.close()
    client.close()
    assert router.closed and dealer.closed


def _run_python(code, timeout=60):
    # From outside the source tree, whose uncompiled zmq/ would shadow the
    # installed package in the child.
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          timeout=timeout, cwd=tempfile.gettempdir())


def test_stream_alongside_greenlets_under_monkey_patching():
    # The loop waits in gevent's select: greenlets run while it does, and a
    # green client in a greenlet talks to a stream served by the loop.
    result = _run_python("""
        from gevent import monkey
        monkey.patch_all()

        import time

        import gevent
        import zmq.green as zmq
        from zmq.green.eventloop.ioloop import IOLoop
        from zmq.green.eventloop.zmqstream import ZMQStream

        ctx = zmq.Context()
        router = ctx.socket(zmq.ROUTER)
        router.linger = 0
        port = router.bind_to_random_port("tcp://127.0.0.1")
        loop = IOLoop.current()
        stream = ZMQStream(router)
        stream.on_recv(stream.send_multipart)

        ticks = []
        replies = []

        def ticker():
            while True:
                ticks.append(time.monotonic())
                gevent.sleep(0.01)

        def client():
            dealer = ctx.socket(zmq.DEALER)
            dealer.linger = 0
            dealer.connect("tcp://127.0.0.1:%d" % port)
            for i in range(20):
                dealer.send(b"%d" % i)
                replies.append(dealer.recv())
                gevent.sleep(0.01)
            dealer.close()
            # From a greenlet (same thread as the loop) add_callback would not
            # wake the loop's wait: use the thread-safe wake-up.
            loop.asyncio_loop.call_soon_threadsafe(loop.stop)

        t = gevent.spawn(ticker)
        c = gevent.spawn(client)
        timeout = loop.call_later(20, loop.stop)
        start = time.monotonic()
        loop.start()
        elapsed = time.monotonic() - start
        t.kill()
        assert c.dead and c.successful(), c.exception
        assert replies == [b"%d" % i for i in range(20)], replies
        # The ticker ran throughout, not only after the loop ended.
        assert len(ticks) >= 10, len(ticks)
        assert elapsed < 15, elapsed
        stream.close()
        ctx.term()
        print("OK")
    """)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "OK"


def test_green_device_forwards_under_the_loop():
    # zmq.green.device alongside: a queue device in a greenlet between a
    # stream-served ROUTER and a green client.
    result = _run_python("""
        from gevent import monkey
        monkey.patch_all()

        import time

        import gevent
        import zmq.green as zmq
        from zmq.green.eventloop.ioloop import IOLoop
        from zmq.green.eventloop.zmqstream import ZMQStream

        ctx = zmq.Context()
        front = ctx.socket(zmq.ROUTER)
        back = ctx.socket(zmq.DEALER)
        worker = ctx.socket(zmq.REP)
        for s in (front, back, worker):
            s.linger = 0
        front.bind("inproc://front")
        back.bind("inproc://back")
        worker.connect("inproc://back")
        device = gevent.spawn(zmq.device, zmq.QUEUE, front, back)

        loop = IOLoop.current()
        stream = ZMQStream(worker)
        stream.on_recv(lambda msg: stream.send_multipart([b"re:" + msg[0]]))

        replies = []

        def client():
            req = ctx.socket(zmq.REQ)
            req.linger = 0
            req.connect("inproc://front")
            for i in range(5):
                req.send(b"%d" % i)
                replies.append(req.recv())
            req.close()
            loop.asyncio_loop.call_soon_threadsafe(loop.stop)

        c = gevent.spawn(client)
        loop.call_later(20, loop.stop)
        start = time.monotonic()
        loop.start()
        assert time.monotonic() - start < 15
        assert c.dead and c.successful(), c.exception
        assert replies == [b"re:%d" % i for i in range(5)], replies
        device.kill()
        stream.close()
        front.close()
        back.close()
        ctx.term()
        print("OK")
    """)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "OK"
