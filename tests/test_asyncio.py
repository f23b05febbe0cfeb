"""zmq.asyncio: every send/recv variant awaitable, poll, contexts, shadowing,
timeouts, cancellation, closing, event loop kinds and threads."""

import asyncio
import gc
import json
import socket as pysocket
import sys
import threading

import pytest

import zmq
import zmq.asyncio

try:
    import uvloop
except ImportError:
    uvloop = None

LOOP_KINDS = ["asyncio", pytest.param("uvloop", marks=pytest.mark.skipif(uvloop is None, reason="uvloop not installed"))]


@pytest.fixture(params=LOOP_KINDS)
def run(request, run_in_new_loop):
    def runner(coro_fn, *args, timeout=10.0):
        return run_in_new_loop(coro_fn, *args, kind=request.param, timeout=timeout)

    return runner


# ---------------------------------------------------------------- basics


def test_module_api():
    assert issubclass(zmq.asyncio.Socket, zmq.Socket)
    assert issubclass(zmq.asyncio.Context, zmq.Context)
    assert issubclass(zmq.asyncio.Poller, zmq.Poller)
    assert zmq.asyncio.Context._socket_class is zmq.asyncio.Socket


def test_socket_is_async(actx):
    s = actx.socket(zmq.PAIR)
    assert isinstance(s, zmq.asyncio.Socket)
    assert isinstance(s, zmq.Socket)
    s.close()


def test_send_recv_bytes(run, actx, make_pair):
    a, b = make_pair(actx)

    async def main():
        f = a.send(b"hello")
        assert isinstance(f, asyncio.Future)
        assert await f is None
        r = b.recv()
        assert isinstance(r, asyncio.Future)
        assert await r == b"hello"
        await a.send(memoryview(b"view"))
        assert await b.recv() == b"view"
        await a.send(bytearray(b"array"))
        assert await b.recv() == b"array"

    run(main)


def test_ready_operations_give_done_futures(run, actx, make_pair):
    # Awaiting them costs no loop turn; the fast path exists for this.
    a, b = make_pair(actx)

    async def main():
        sent = a.send(b"now")
        assert sent.done() and sent.result() is None
        tracked = a.send(b"x" * 100_000, copy=False, track=True)
        assert tracked.done() and isinstance(tracked.result(), zmq.MessageTracker)
        got = b.recv()
        assert got.done() and got.result() == b"now"
        frame = b.recv(copy=False)
        assert frame.done() and frame.result().bytes == b"x" * 100_000
        # Flags given as the package's constants (enum members) work alike.
        await a.send(b"flagged", zmq.SNDMORE)
        await a.send(b"last", flags=0)
        assert await b.recv(zmq.NOBLOCK) == b"flagged"
        assert await b.recv() == b"last"
        failed = b.recv(flags=2**40)
        assert failed.done() and isinstance(failed.exception(), OverflowError)

    run(main)


def test_always_ready_sockets_let_other_tasks_run(run, actx, make_pair):
    # Operations that complete at once never suspend their task; every so
    # often one goes through the loop anyway, so a task streaming over ready
    # sockets cannot starve the others.
    a, b = make_pair(actx)
    ticks = []

    async def main():
        async def ticker():
            while True:
                ticks.append(None)
                await asyncio.sleep(0)

        t = asyncio.ensure_future(ticker())
        await asyncio.sleep(0)
        start = len(ticks)
        for _ in range(2000):
            await a.send(b"m")
            await b.recv()
        t.cancel()
        return len(ticks) - start

    assert run(main) >= 10


def test_recv_waits_for_message(run, actx, make_pair):
    a, b = make_pair(actx)

    async def main():
        fut = b.recv()
        await asyncio.sleep(0.02)
        assert not fut.done()
        await a.send(b"later")
        assert await asyncio.wait_for(fut, 2) == b"later"

    run(main)


def test_copy_false_and_track(run, actx, make_pair):
    a, b = make_pair(actx)

    async def main():
        data = b"x" * 100_000
        tracker = await a.send(data, copy=False, track=True)
        assert isinstance(tracker, zmq.MessageTracker)
        frame = await b.recv(copy=False)
        assert isinstance(frame, zmq.Frame)
        assert frame.bytes == data
        del frame  # over inproc the received frame shares the sent buffer
        tracker.wait(2)
        assert tracker.done

    run(main)


def test_multipart(run, actx, make_pair):
    a, b = make_pair(actx)

    async def main():
        assert await a.send_multipart([b"a", b"bb", memoryview(b"ccc")]) is None
        assert await b.recv_multipart() == [b"a", b"bb", b"ccc"]
        await a.send_multipart((b"x", b"y"))
        frames = await b.recv_multipart(copy=False)
        assert [f.bytes for f in frames] == [b"x", b"y"]
        tracker = await a.send_multipart([b"1" * 50_000, b"2" * 50_000], copy=False, track=True)
        assert isinstance(tracker, zmq.MessageTracker)
        assert await b.recv_multipart() == [b"1" * 50_000, b"2" * 50_000]

    run(main)


def test_multipart_waits_for_message(run, actx, make_pair):
    a, b = make_pair(actx)

    async def main():
        fut = b.recv_multipart()
        await asyncio.sleep(0.01)
        await a.send_multipart([b"p1", b"p2", b"p3"])
        assert await asyncio.wait_for(fut, 2) == [b"p1", b"p2", b"p3"]

    run(main)


def test_string_json_pyobj_serialized(run, actx, make_pair):
    a, b = make_pair(actx)

    async def main():
        await a.send_string("héllo")
        assert await b.recv_string() == "héllo"
        await a.send_string("latin", encoding="latin-1")
        assert await b.recv_string(encoding="latin-1") == "latin"
        await a.send_json({"a": [1, 2]})
        assert await b.recv_json() == {"a": [1, 2]}
        await a.send_pyobj({"set": {1, 2}})
        assert await b.recv_pyobj() == {"set": {1, 2}}
        await a.send_serialized({"k": 1}, lambda m: [json.dumps(m).encode(), b"tail"])
        got = await b.recv_serialized(lambda parts: (json.loads(parts[0]), parts[1]))
        assert got == ({"k": 1}, b"tail")

    run(main)


def test_deserializing_receives_wait(run, actx, make_pair):
    a, b = make_pair(actx)

    async def main():
        futs = [b.recv_string(), b.recv_json(), b.recv_pyobj()]
        await asyncio.sleep(0.01)
        await a.send_string("s")
        await a.send_json([1])
        await a.send_pyobj((2,))
        assert await asyncio.wait_for(asyncio.gather(*futs), 2) == ["s", [1], (2,)]

    run(main)


def test_recv_into(run, actx, make_pair):
    a, b = make_pair(actx)

    async def main():
        buf = bytearray(10)
        fut = b.recv_into(buf)
        await asyncio.sleep(0.01)
        await a.send(b"abc")
        assert await asyncio.wait_for(fut, 2) == 3
        assert buf[:3] == b"abc"
        await a.send(b"0123456789abcdef")
        assert await b.recv_into(buf, nbytes=4) == 16
        assert buf[:4] == b"0123"

    run(main)


def test_dontwait_gives_again_in_future(run, actx, make_pair):
    a, b = make_pair(actx)

    async def main():
        fut = b.recv(zmq.DONTWAIT)
        with pytest.raises(zmq.Again):
            await fut
        await a.send(b"x")
        assert await b.recv(zmq.DONTWAIT) == b"x"

    run(main)


def test_futures_work_with_asyncio_helpers(run, actx, make_pair):
    a, b = make_pair(actx)

    async def main():
        await a.send(b"1")
        assert await asyncio.wait_for(b.recv(), 1) == b"1"
        await a.send(b"2")
        assert await asyncio.ensure_future(b.recv()) == b"2"
        await a.send(b"3")
        await a.send(b"4")
        assert await asyncio.gather(b.recv(), b.recv()) == [b"3", b"4"]
        fut = b.recv()
        done, pending = await asyncio.wait([fut], timeout=0.01)
        assert fut in pending
        await a.send(b"5")
        done, pending = await asyncio.wait([fut], timeout=2)
        assert fut in done and fut.result() == b"5"
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(b.recv(), 0.01)

    run(main)


def test_order_is_kept(run, actx, make_pair):
    a, b = make_pair(actx, zmq.PUSH, zmq.PULL)

    async def main():
        receives = [b.recv() for _ in range(50)]
        for i in range(50):
            await a.send(b"%d" % i)
        assert await asyncio.gather(*receives) == [b"%d" % i for i in range(50)]

    run(main)


# ---------------------------------------------------------------- poll


def test_socket_poll(run, actx, make_pair):
    a, b = make_pair(actx)

    async def main():
        assert await b.poll(timeout=10) == 0
        assert await b.poll(timeout=0) == 0
        assert await a.poll(timeout=10, flags=zmq.POLLOUT) == zmq.POLLOUT
        fut = b.poll(timeout=2000)
        await asyncio.sleep(0.01)
        assert not fut.done()
        await a.send(b"x")
        assert await asyncio.wait_for(fut, 2) == zmq.POLLIN
        # poll does not consume the message
        assert await b.recv() == b"x"
        fut = b.poll()  # no timeout
        await a.send(b"y")
        assert await asyncio.wait_for(fut, 2) == zmq.POLLIN
        assert await b.recv() == b"y"

    run(main)


def test_poller(run, actx, make_pair):
    a, b = make_pair(actx)
    c, d = make_pair(actx)
    rsock, wsock = pysocket.socketpair()

    async def main():
        poller = zmq.asyncio.Poller()
        poller.register(b, zmq.POLLIN)
        poller.register(d, zmq.POLLIN)
        poller.register(rsock, zmq.POLLIN)
        assert await poller.poll(timeout=10) == []
        fut = poller.poll(timeout=2000)
        await asyncio.sleep(0.01)
        assert not fut.done()
        await c.send(b"to d")
        assert await asyncio.wait_for(fut, 2) == [(d, zmq.POLLIN)]
        assert await d.recv() == b"to d"
        wsock.send(b"!")
        events = await asyncio.wait_for(poller.poll(2000), 2)
        assert events == [(rsock.fileno(), zmq.POLLIN)]
        rsock.recv(1)
        await a.send(b"to b")
        assert await asyncio.wait_for(poller.poll(2000), 2) == [(b, zmq.POLLIN)]

    try:
        run(main)
    finally:
        rsock.close()
        wsock.close()


def test_poller_with_sync_socket_and_raw_fd(run, actx, inproc):
    sync_ctx = zmq.Context()
    push = sync_ctx.socket(zmq.PUSH)
    pull = sync_ctx.socket(zmq.PULL)
    url = inproc()
    push.bind(url)
    pull.connect(url)
    rsock, wsock = pysocket.socketpair()

    async def main():
        poller = zmq.asyncio.Poller()
        poller.register(pull, zmq.POLLIN)
        poller.register(rsock.fileno(), zmq.POLLIN)
        fut = poller.poll(2000)
        await asyncio.sleep(0.01)
        push.send(b"sync")
        assert await asyncio.wait_for(fut, 2) == [(pull, zmq.POLLIN)]
        assert pull.recv() == b"sync"
        fut = poller.poll(2000)
        await asyncio.sleep(0.01)
        wsock.send(b"?")
        assert await asyncio.wait_for(fut, 2) == [(rsock.fileno(), zmq.POLLIN)]

    try:
        run(main)
    finally:
        rsock.close()
        wsock.close()
        sync_ctx.destroy(linger=0)


# ---------------------------------------------------------------- contexts and shadows


def test_context_instance():
    inst = zmq.asyncio.Context.instance()
    try:
        assert isinstance(inst, zmq.asyncio.Context)
        assert zmq.asyncio.Context.instance() is inst
        assert inst is not zmq.Context.instance()
    finally:
        inst.destroy(linger=0)
    again = zmq.asyncio.Context.instance()
    assert again is not inst and not again.closed
    again.destroy(linger=0)


def test_context_instance_after_sync_instance():
    sync_inst = zmq.Context.instance()
    inst = zmq.asyncio.Context.instance()
    try:
        assert isinstance(inst, zmq.asyncio.Context)
        assert inst is not sync_inst
    finally:
        inst.destroy(linger=0)


def test_context_shadows_sync_context(run, inproc):
    sync_ctx = zmq.Context()
    actx = zmq.asyncio.Context(sync_ctx)
    url = inproc()
    sync_push = sync_ctx.socket(zmq.PUSH)
    sync_push.bind(url)
    pull = actx.socket(zmq.PULL)
    pull.connect(url)
    assert actx.underlying == sync_ctx.underlying

    async def main():
        fut = pull.recv()
        await asyncio.sleep(0.01)
        sync_push.send(b"across")
        assert await asyncio.wait_for(fut, 2) == b"across"

    try:
        run(main)
    finally:
        pull.close(linger=0)
        sync_push.close(linger=0)
        sync_ctx.term()


def test_from_socket(run, inproc):
    sync_ctx = zmq.Context()
    a = sync_ctx.socket(zmq.PAIR)
    b = sync_ctx.socket(zmq.PAIR)
    url = inproc()
    a.bind(url)
    b.connect(url)
    ab = zmq.asyncio.Socket.from_socket(b)
    assert isinstance(ab, zmq.asyncio.Socket)
    assert ab.underlying == b.underlying

    async def main():
        fut = ab.recv()
        await asyncio.sleep(0.01)
        a.send(b"wrapped")
        assert await asyncio.wait_for(fut, 2) == b"wrapped"
        await ab.send(b"back")
        assert a.recv() == b"back"

    try:
        run(main)
        ab.close()
        # the wrapper took the socket over
        assert b.closed
    finally:
        sync_ctx.destroy(linger=0)


def test_shadow_close_closes_the_libzmq_socket(run, inproc):
    sync_ctx = zmq.Context()
    a = sync_ctx.socket(zmq.PAIR)
    b = sync_ctx.socket(zmq.PAIR)
    url = inproc()
    a.bind(url)
    b.connect(url)
    shadow = zmq.asyncio.Socket.shadow(b.underlying)

    async def main():
        fut = shadow.recv()
        await asyncio.sleep(0.01)
        a.send(b"to shadow")
        assert await asyncio.wait_for(fut, 2) == b"to shadow"

    try:
        run(main)
        shadow.close()
        # As in pyzmq, closing a shadow closes the libzmq socket; the owning
        # Socket object knows it, so it cannot touch a freed socket.
        assert b.closed
        with pytest.raises(zmq.ZMQError) as info:
            b.send(b"closed")
        assert info.value.errno == zmq.ENOTSOCK
        # term() no longer waits for it.
        a.close()
        sync_ctx.term()
    finally:
        sync_ctx.destroy(linger=0)


def test_two_wrappers_of_one_socket(run, inproc):
    sync_ctx = zmq.Context()
    a = sync_ctx.socket(zmq.PAIR)
    b = sync_ctx.socket(zmq.PAIR)
    url = inproc()
    a.bind(url)
    b.connect(url)
    w1 = zmq.asyncio.Socket.from_socket(b)
    w2 = zmq.asyncio.Socket.from_socket(b)

    async def main():
        f1 = w1.recv()
        f2 = w2.recv()
        await asyncio.sleep(0.01)
        a.send(b"1")
        a.send(b"2")
        got = await asyncio.wait_for(asyncio.gather(f1, f2), 2)
        assert sorted(got) == [b"1", b"2"]

    try:
        run(main)
    finally:
        w1.close()
        w2.close()
        sync_ctx.destroy(linger=0)


# ---------------------------------------------------------------- timeouts


def test_rcvtimeo_raises_again(run, actx, make_pair):
    a, b = make_pair(actx)
    b.rcvtimeo = 50

    async def main():
        loop = asyncio.get_running_loop()
        t0 = loop.time()
        with pytest.raises(zmq.Again):
            await b.recv()
        assert loop.time() - t0 >= 0.04
        with pytest.raises(zmq.Again):
            await b.recv_multipart()
        # still usable afterwards
        await a.send(b"ok")
        assert await b.recv() == b"ok"

    run(main)


def test_rcvtimeo_zero(run, actx, make_pair):
    a, b = make_pair(actx)
    b.rcvtimeo = 0

    async def main():
        with pytest.raises(zmq.Again):
            await b.recv()

    run(main)


def test_sndtimeo_raises_again(run, actx, inproc):
    push = actx.socket(zmq.PUSH)
    push.linger = 0
    push.sndtimeo = 50
    push.bind(inproc())  # no peer: send cannot proceed

    async def main():
        with pytest.raises(zmq.Again):
            await push.send(b"nobody")
        with pytest.raises(zmq.Again):
            await push.send_multipart([b"no", b"body"])

    run(main)


# ---------------------------------------------------------------- cancellation


def test_cancelled_recv_does_not_eat_message(run, actx, make_pair):
    a, b = make_pair(actx)

    async def main():
        fut = b.recv()
        await asyncio.sleep(0.01)
        fut.cancel()
        await a.send(b"keep me")
        await asyncio.sleep(0.01)
        assert await asyncio.wait_for(b.recv(), 2) == b"keep me"
        # cancelling the task awaiting it
        task = asyncio.ensure_future(b.recv())
        await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await a.send(b"and me")
        assert await asyncio.wait_for(b.recv(), 2) == b"and me"
        # wait_for timeouts
        for _ in range(5):
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(b.recv(), 0.005)
        await a.send(b"after timeouts")
        assert await asyncio.wait_for(b.recv(), 2) == b"after timeouts"

    run(main)


def test_cancelled_multipart_send_sends_nothing(run, actx, inproc):
    push = actx.socket(zmq.PUSH)
    pull = actx.socket(zmq.PULL)
    push.linger = pull.linger = 0
    push.sndhwm = pull.rcvhwm = 1
    url = inproc()
    push.bind(url)
    pull.connect(url)

    async def main():
        # fill the pipe until a send has to wait
        n = 0
        while True:
            fut = push.send_multipart([b"fill", b"%d" % n])
            await asyncio.sleep(0)
            if not fut.done():
                break
            await fut
            n += 1
        fut.cancel()
        await asyncio.sleep(0)
        # waits until there is room, made by the receives below
        after = asyncio.ensure_future(push.send_multipart([b"after", b"cancel"]))
        received = []
        while len(received) < n + 1:
            received.append(await asyncio.wait_for(pull.recv_multipart(), 2))
        await asyncio.wait_for(after, 2)
        assert received[:n] == [[b"fill", b"%d" % i] for i in range(n)]
        assert received[n] == [b"after", b"cancel"]
        assert await pull.poll(50) == 0

    run(main)


def test_cancelled_send_is_not_sent(run, actx, inproc):
    push = actx.socket(zmq.PUSH)
    push.linger = 0
    url = inproc()
    push.bind(url)

    async def main():
        fut = push.send(b"never")  # no peer yet: waits
        await asyncio.sleep(0.01)
        assert not fut.done()
        fut.cancel()
        pull = actx.socket(zmq.PULL)
        pull.linger = 0
        pull.connect(url)
        await push.send(b"second")
        assert await asyncio.wait_for(pull.recv(), 2) == b"second"
        assert await pull.poll(50) == 0

    run(main)


# ---------------------------------------------------------------- closing


def test_close_with_pending_operations(run, actx, make_pair):
    a, b = make_pair(actx)

    async def main():
        pending = [b.recv(), b.recv_multipart(), b.poll()]
        await asyncio.sleep(0.01)
        b.close()
        for fut in pending:
            with pytest.raises(asyncio.CancelledError) as info:
                await asyncio.wait_for(fut, 2)
            assert "closed" in str(info.value)
        # the loop and the other sockets go on
        c, d = make_pair(actx)
        await c.send(b"x")
        assert await asyncio.wait_for(d.recv(), 2) == b"x"

    run(main)


def test_close_while_task_awaits(run, actx, make_pair):
    a, b = make_pair(actx)

    async def reader():
        return await b.recv()

    async def main():
        task = asyncio.ensure_future(reader())
        await asyncio.sleep(0.01)
        b.close()
        with pytest.raises(asyncio.CancelledError):
            await asyncio.wait_for(task, 2)
        assert task.cancelled()

    run(main)


# ---------------------------------------------------------------- loops and threads


def test_events_read_does_not_lose_wakeup(run, actx, make_pair):
    a, b = make_pair(actx)

    async def main():
        fut = b.recv()
        await asyncio.sleep(0.01)
        await a.send(b"x")
        # reading EVENTS consumes the FD's edge before the loop sees it
        assert b.get(zmq.EVENTS) & zmq.POLLIN
        assert b.events & zmq.POLLIN
        assert await asyncio.wait_for(fut, 2) == b"x"

    run(main)


def test_send_on_same_socket_does_not_lose_recv_wakeup(run, actx, make_pair):
    a, b = make_pair(actx)

    async def main():
        for i in range(200):
            fut = b.recv()
            await a.send(b"ping %d" % i)
            # an immediate send on b processes b's commands, possibly eating
            # the signal of the message that just arrived
            await b.send(b"pong %d" % i)
            assert await asyncio.wait_for(fut, 2) == b"ping %d" % i
            assert await asyncio.wait_for(a.recv(), 2) == b"pong %d" % i

    run(main)


def test_socket_moves_to_next_loop(actx, make_pair, run_in_new_loop):
    a, b = make_pair(actx)

    async def first():
        await a.send(b"1")
        assert await b.recv() == b"1"
        return b.recv()  # left pending when the loop closes

    run_in_new_loop(first)

    async def second():
        await a.send(b"2")
        return await b.recv()

    assert run_in_new_loop(second) == b"2"


def test_loop_in_other_thread(actx, make_pair, run_in_new_loop):
    a, b = make_pair(actx)
    result = {}

    async def main():
        fut = b.recv()
        await asyncio.sleep(0.01)
        await a.send(b"threaded")
        result["got"] = await asyncio.wait_for(fut, 2)
        result["poll"] = await b.poll(10)

    def target():
        try:
            run_in_new_loop(main)
        except BaseException as e:  # reported below
            result["error"] = e

    t = threading.Thread(target=target)
    t.start()
    t.join(10)
    assert not t.is_alive()
    assert "error" not in result, result.get("error")
    assert result == {"got": b"threaded", "poll": 0}


def _serve_loop_in_thread(loop):
    t = threading.Thread(target=loop.run_forever, daemon=True)
    t.start()
    return t


def _stop_loop_in_thread(loop, t):
    loop.call_soon_threadsafe(loop.stop)
    t.join(10)
    assert not t.is_alive()


def test_socket_waiting_in_other_threads_loop_refuses_this_loop(actx, make_pair, run_in_new_loop):
    # A receive waits in a loop running in another thread: this thread's loop
    # must not take the socket over (nor serve it through the other's watch).
    a, b = make_pair(actx)
    other = asyncio.new_event_loop()
    t = _serve_loop_in_thread(other)
    try:
        waiting = threading.Event()

        async def wait_there():
            fut = b.recv()
            waiting.set()
            return await fut

        pending = asyncio.run_coroutine_threadsafe(wait_there(), other)
        assert waiting.wait(5)

        async def here():
            with pytest.raises(RuntimeError, match="another thread"):
                b.recv()
            await a.send(b"to the other loop")

        run_in_new_loop(here)
        assert pending.result(5) == b"to the other loop"
    finally:
        _stop_loop_in_thread(other, t)
        other.close()


def test_loop_restarted_in_another_thread_keeps_serving_socket(actx, make_pair):
    # The socket's loop stops in one thread and runs again in another: it is
    # still the running loop there, whatever thread first ran it.
    a, b = make_pair(actx)
    loop = asyncio.new_event_loop()

    async def round_trip(payload):
        await a.send(payload)
        return await b.recv()

    try:
        first = _serve_loop_in_thread(loop)
        assert asyncio.run_coroutine_threadsafe(round_trip(b"1"), loop).result(5) == b"1"
        _stop_loop_in_thread(loop, first)
        second = _serve_loop_in_thread(loop)
        assert asyncio.run_coroutine_threadsafe(round_trip(b"2"), loop).result(5) == b"2"
        _stop_loop_in_thread(loop, second)
    finally:
        loop.close()


def test_run_until_complete_outside_running_loop(actx, make_pair):
    a, b = make_pair(actx)
    loop = asyncio.new_event_loop()
    try:
        asyncio.set_event_loop(loop)
        fut = b.recv()
        a.send(b"from outside")  # schedules nothing: completes at once
        assert loop.run_until_complete(asyncio.wait_for(fut, 2)) == b"from outside"
    finally:
        asyncio.set_event_loop(None)
        loop.close()


def test_unclosed_socket_collected_while_registered(run, make_pair):
    # Its FD must leave the loop with it: a later socket may get the same fd
    # number, and registering that must work.
    context = zmq.asyncio.Context()

    async def main():
        for i in range(20):
            a, b = make_pair(context)
            fut = b.recv()
            await asyncio.sleep(0)
            await a.send(b"%d" % i)
            assert await asyncio.wait_for(fut, 2) == b"%d" % i
            with pytest.warns(ResourceWarning):
                del a, b, fut
                gc.collect()

    try:
        run(main)
    finally:
        context.destroy(linger=0)


class NoReaderLoop(asyncio.SelectorEventLoop):
    """Stands for asyncio's proactor loop (Windows' default): it cannot watch
    file descriptors, its add_reader family raises NotImplementedError."""

    add_reader = asyncio.AbstractEventLoop.add_reader
    remove_reader = asyncio.AbstractEventLoop.remove_reader
    add_writer = asyncio.AbstractEventLoop.add_writer
    remove_writer = asyncio.AbstractEventLoop.remove_writer


def test_loop_without_add_reader_gets_selector_thread(actx, make_pair):
    pytest.importorskip("tornado")
    a, b = make_pair(actx)
    rsock, wsock = pysocket.socketpair()

    async def main():
        fut = b.recv()
        await asyncio.sleep(0.01)
        await a.send(b"through the thread")
        assert await asyncio.wait_for(fut, 2) == b"through the thread"
        poller = zmq.asyncio.Poller()
        poller.register(rsock, zmq.POLLIN)
        poller.register(b, zmq.POLLIN)
        polled = poller.poll(2000)
        await asyncio.sleep(0.01)
        wsock.send(b"x")
        assert await asyncio.wait_for(polled, 2) == [(rsock.fileno(), zmq.POLLIN)]

    loop = NoReaderLoop()
    try:
        with pytest.warns(zmq.asyncio.ProactorSelectorThreadWarning) as warned:
            loop.run_until_complete(main())
            # Once for each loop.
            loop.run_until_complete(main())
        assert len(warned) == 1
        assert issubclass(zmq.asyncio.ProactorSelectorThreadWarning, RuntimeWarning)
        assert warned[0].filename == __file__
    finally:
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()
        rsock.close()
        wsock.close()


def test_loop_without_add_reader_nor_tornado_is_an_error(actx, make_pair, monkeypatch):
    monkeypatch.setitem(sys.modules, "tornado.platform.asyncio", None)
    a, b = make_pair(actx)

    async def main():
        with pytest.raises(RuntimeError, match="add_reader"):
            b.recv()

    loop = NoReaderLoop()
    try:
        loop.run_until_complete(main())
    finally:
        loop.close()


def test_tcp_roundtrip(run, actx):
    server = actx.socket(zmq.ROUTER)
    client = actx.socket(zmq.DEALER)
    server.linger = client.linger = 0
    port = server.bind_to_random_port("tcp://127.0.0.1")
    client.connect(f"tcp://127.0.0.1:{port}")

    async def serve(n):
        for _ in range(n):
            ident, msg = await server.recv_multipart()
            await server.send_multipart([ident, msg.upper()])

    async def main():
        task = asyncio.ensure_future(serve(100))
        for i in range(100):
            await client.send(b"hello %d" % i)
            assert await asyncio.wait_for(client.recv(), 5) == b"HELLO %d" % i
        await task

    run(main, timeout=20)
