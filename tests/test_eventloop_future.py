"""zmq.eventloop.future (tornado-flavoured awaitable sockets) and the
zmq.eventloop.ioloop compatibility module."""

import asyncio
import warnings

import pytest

tornado = pytest.importorskip("tornado")

from tornado import gen  # noqa: E402
from tornado.concurrent import Future as TornadoFuture  # noqa: E402
from tornado.ioloop import IOLoop  # noqa: E402

import zmq  # noqa: E402
import zmq.eventloop  # noqa: E402
from zmq.eventloop import future as zmq_future  # noqa: E402
from zmq.eventloop import ioloop  # noqa: E402


@pytest.fixture
def fctx(keeping_context):
    return keeping_context(zmq_future.Context)


@pytest.fixture
def pair(fctx, make_pair):
    return make_pair(fctx)


@pytest.fixture
def io_loop():
    loop = IOLoop(make_current=False)
    yield loop
    loop.close()


def test_ioloop_module():
    assert ioloop.IOLoop is IOLoop
    assert zmq.eventloop.IOLoop is IOLoop
    assert ioloop.ZMQIOLoop is IOLoop
    with pytest.warns(DeprecationWarning):
        ioloop.install()


def test_classes(fctx):
    s = fctx.socket(zmq.PUSH)
    assert isinstance(s, zmq_future.Socket)
    assert isinstance(s, zmq.Socket)
    s.close()
    assert issubclass(zmq_future.Poller, zmq.Poller)
    assert zmq_future.Future is TornadoFuture


def test_context_instance():
    inst = zmq_future.Context.instance()
    try:
        assert isinstance(inst, zmq_future.Context)
        assert inst is zmq_future.Context.instance()
        assert inst is not zmq.Context.instance()
    finally:
        inst.destroy(linger=0)


def test_send_recv_on_ioloop(pair, io_loop):
    a, b = pair

    async def main():
        fut = b.recv()
        assert isinstance(fut, TornadoFuture)
        await gen.sleep(0.01)
        await a.send(b"tornado")
        assert await gen.with_timeout(io_loop.time() + 2, fut) == b"tornado"
        await a.send_multipart([b"x", b"y"])
        assert await b.recv_multipart() == [b"x", b"y"]
        await a.send_json({"k": "v"})
        assert await b.recv_json() == {"k": "v"}
        await a.send_string("s")
        assert await b.recv_string() == "s"
        await a.send_pyobj(None)
        assert await b.recv_pyobj() is None
        assert await b.poll(10) == 0
        await a.send(b"z")
        assert await b.poll(1000) == zmq.POLLIN
        assert await b.recv() == b"z"

    io_loop.run_sync(main, timeout=10)


def test_gen_multi_and_timeouts(pair, io_loop):
    a, b = pair
    b.rcvtimeo = 30

    async def main():
        with pytest.raises(zmq.Again):
            await b.recv()
        b.rcvtimeo = -1
        futs = [b.recv() for _ in range(3)]
        for i in range(3):
            await a.send(b"%d" % i)
        assert await gen.multi(futs) == [b"0", b"1", b"2"]

    io_loop.run_sync(main, timeout=10)


def test_poller(pair, io_loop):
    a, b = pair

    async def main():
        poller = zmq_future.Poller()
        poller.register(b, zmq.POLLIN)
        assert await poller.poll(10) == []
        fut = poller.poll(2000)
        await a.send(b"wake")
        assert await fut == [(b, zmq.POLLIN)]

    io_loop.run_sync(main, timeout=10)


def test_io_loop_argument_used_outside_running_loop(fctx, io_loop, inproc):
    a = zmq_future.Socket(fctx, zmq.PAIR, io_loop=io_loop)
    b = zmq_future.Socket(fctx, zmq.PAIR, io_loop=io_loop)
    a.linger = b.linger = 0
    url = inproc()
    a.bind(url)
    b.connect(url)
    # no loop is running: the futures belong to io_loop
    try:
        fut = b.recv()
        a.send(b"before the loop runs")
        assert io_loop.run_sync(lambda: fut, timeout=5) == b"before the loop runs"
    finally:
        a.close()
        b.close()


def test_works_under_plain_asyncio(pair):
    a, b = pair

    async def main():
        fut = b.recv()
        await asyncio.sleep(0.01)
        await a.send(b"asyncio")
        return await asyncio.wait_for(fut, 2)

    loop = asyncio.new_event_loop()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)
            assert loop.run_until_complete(main()) == b"asyncio"
    finally:
        loop.close()
