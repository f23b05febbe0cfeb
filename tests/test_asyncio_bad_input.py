"""zmq.asyncio given bad input: each case raises a clear exception, and the
event loop (and the other sockets on it) keeps running."""

import asyncio
import socket as pysocket
import threading

import pytest

import zmq
import zmq.asyncio


@pytest.fixture
def pair(actx, make_pair):
    return make_pair(actx)


@pytest.fixture
def assert_loop_alive(make_pair):
    """await assert_loop_alive(actx): another pair of sockets still works on
    the same loop."""

    async def check(actx):
        c, d = make_pair(actx)
        fut = d.recv()
        await asyncio.sleep(0.005)
        await c.send(b"alive")
        assert await asyncio.wait_for(fut, 2) == b"alive"
        c.close()
        d.close()

    return check


def test_await_on_closed_socket(actx, pair, run, assert_loop_alive):
    a, b = pair
    b.close()

    async def main():
        for op in (lambda: b.recv(), lambda: b.send(b"x"), lambda: b.recv_multipart(),
                   lambda: b.send_multipart([b"x"]), lambda: b.recv_string()):
            with pytest.raises(zmq.ZMQError) as info:
                await op()
            assert info.value.errno == zmq.ENOTSOCK
        # as the plain Socket.poll does
        with pytest.raises(zmq.ZMQError) as info:
            await b.poll(10)
        assert info.value.errno == zmq.ENOTSUP
        await assert_loop_alive(actx)

    run(main)


def test_send_str(actx, pair, run, assert_loop_alive):
    a, b = pair

    async def main():
        with pytest.raises(TypeError):
            await a.send("not bytes")
        with pytest.raises(TypeError):
            await a.send_multipart([b"ok", "not bytes"])
        with pytest.raises(TypeError):
            await a.send_multipart([b"ok", object()])
        with pytest.raises(TypeError):
            a.send_string(b"bytes")
        # nothing at all was sent, not even the valid first parts
        assert await b.poll(20) == 0
        await a.send(b"fine")
        assert await b.recv() == b"fine"
        await assert_loop_alive(actx)

    run(main)


def test_recv_json_of_bad_json(actx, pair, run, assert_loop_alive):
    a, b = pair

    async def main():
        await a.send(b"{not json")
        with pytest.raises(ValueError):
            await b.recv_json()
        # the bad message was consumed; the next one is fine
        fut = b.recv_json()
        await asyncio.sleep(0.005)
        await a.send(b"[1, 2]")
        assert await asyncio.wait_for(fut, 2) == [1, 2]
        # also when the bad message arrives while waiting
        fut = b.recv_json()
        await asyncio.sleep(0.005)
        await a.send(b"\xff\xfe")
        with pytest.raises(ValueError):
            await asyncio.wait_for(fut, 2)
        await assert_loop_alive(actx)

    run(main)


def test_recv_pyobj_of_garbage(actx, pair, run, assert_loop_alive):
    a, b = pair

    async def main():
        await a.send(b"not a pickle")
        with pytest.raises(Exception):
            await b.recv_pyobj()
        await assert_loop_alive(actx)

    run(main)


def test_poller_register_bad_object(actx, pair, run, assert_loop_alive):
    a, b = pair
    poller = zmq.asyncio.Poller()
    with pytest.raises(TypeError) as info:
        poller.register(object(), zmq.POLLIN)
    assert "fileno" in str(info.value)
    with pytest.raises(TypeError):
        poller.register("tcp://127.0.0.1:1", zmq.POLLIN)

    # sync sockets, async sockets and raw fds are all fine
    sync_ctx = zmq.Context()
    sync_sock = sync_ctx.socket(zmq.PULL)
    rsock, wsock = pysocket.socketpair()
    try:
        poller.register(sync_sock, zmq.POLLIN)
        poller.register(b, zmq.POLLIN)
        poller.register(rsock, zmq.POLLIN)
        poller.register(wsock.fileno(), zmq.POLLOUT)

        async def main():
            events = dict(await poller.poll(100))
            assert events == {wsock.fileno(): zmq.POLLOUT}
            await assert_loop_alive(actx)

        run(main)
    finally:
        rsock.close()
        wsock.close()
        sync_sock.close(linger=0)
        sync_ctx.term()


def test_poll_closed_socket(actx, pair, run, assert_loop_alive):
    a, b = pair
    poller = zmq.asyncio.Poller()
    poller.register(b, zmq.POLLIN)
    b.close()

    async def main():
        with pytest.raises(zmq.ZMQError):
            await poller.poll(10)
        await assert_loop_alive(actx)

    run(main)


def test_socket_used_after_its_loop_closed(actx, pair, run, assert_loop_alive):
    a, b = pair

    async def first():
        await a.send(b"1")
        assert await b.recv() == b"1"
        return b.recv()  # pending when the loop closes

    run(first)
    # No loop runs now, and the one the socket knew is closed.
    with pytest.raises(RuntimeError) as info:
        b.recv()
    assert "closed" in str(info.value)

    async def second():
        # a running loop takes the socket over
        await a.send(b"2")
        assert await asyncio.wait_for(b.recv(), 2) == b"2"
        await assert_loop_alive(actx)

    run(second)


def test_close_from_other_task_while_sending(actx, run, inproc, assert_loop_alive):
    push = actx.socket(zmq.PUSH)
    push.linger = 0
    push.bind(inproc())  # no peer: sends wait

    async def main():
        fut = push.send_multipart([b"a", b"b"])
        await asyncio.sleep(0.005)
        push.close()
        with pytest.raises(asyncio.CancelledError):
            await fut
        with pytest.raises(zmq.ZMQError):
            await push.send(b"x")
        await assert_loop_alive(actx)

    run(main)


def test_socket_in_use_by_loop_of_other_thread(actx, pair, run, assert_loop_alive):
    a, b = pair
    started = threading.Event()
    release = threading.Event()
    outcome = {}

    async def hold():
        fut = b.recv()  # b now belongs to this thread's loop
        started.set()
        while not release.is_set():
            await asyncio.sleep(0.005)
        fut.cancel()

    def target():
        try:
            run(hold)
        except BaseException as e:  # reported below
            outcome["error"] = e

    t = threading.Thread(target=target)
    t.start()
    try:
        assert started.wait(5)

        async def main():
            with pytest.raises(RuntimeError) as info:
                b.recv()
            assert "another thread" in str(info.value)
            await assert_loop_alive(actx)

        run(main)
    finally:
        release.set()
        t.join(5)
    assert not t.is_alive()
    assert "error" not in outcome, outcome.get("error")


def test_idle_socket_moves_from_loop_of_other_thread(actx, pair, run):
    a, b = pair
    started = threading.Event()
    release = threading.Event()

    async def use_then_idle():
        await a.send(b"1")
        assert await b.recv() == b"1"  # b is registered with this loop
        started.set()
        while not release.is_set():
            await asyncio.sleep(0.005)

    t = threading.Thread(target=run, args=(use_then_idle,))
    t.start()
    try:
        assert started.wait(5)

        async def main():
            # nothing waits on b over there: it moves to this loop
            fut = b.recv()
            await asyncio.sleep(0.01)
            await a.send(b"2")
            assert await asyncio.wait_for(fut, 2) == b"2"

        run(main)
    finally:
        release.set()
        t.join(5)
    assert not t.is_alive()
