"""zmq.asyncio under load: no missed wakeups, no leaks on busy sockets,
timeouts that do not pin messages, many awaiters on one socket, fairness."""

import asyncio
import gc
import os
import random
import socket as pysocket
import threading
import time
import weakref

import pytest

import zmq
import zmq.asyncio

try:
    import uvloop
except ImportError:
    uvloop = None


@pytest.fixture
def run(run_in_new_loop):
    """As the shared one, with room for the load these tests make."""

    def runner(coro_fn, *args, timeout=60.0, kind="asyncio"):
        return run_in_new_loop(coro_fn, *args, kind=kind, timeout=timeout)

    return runner


def endpoints(inproc, transport):
    """(bind address, function giving the connect address of a bound socket)."""
    if transport == "inproc":
        url = inproc()
        return url, lambda s: url
    return "tcp://127.0.0.1:*", lambda s: s.get(zmq.LAST_ENDPOINT).decode()


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


# ---------------------------------------------------------------- missed wakeups


def _wakeup_cycles(run, inproc, actx, transport, pattern, cycles, kind="asyncio"):
    """A peer thread sends a burst, waits until the receiver has caught up and
    the loop idles, then sends one message, which must arrive within a second
    (pattern 'pull': counted by the receiver; 'echo': echoed back by it). A
    socketpair keeps a foreign fd busy in the same loop."""
    sync_ctx = zmq.Context(actx)  # shares the libzmq context, for inproc
    kind, peer_kind = (zmq.PULL, zmq.PUSH) if pattern == "pull" else (zmq.PAIR, zmq.PAIR)
    receiver = actx.socket(kind)
    receiver.linger = 0
    bind_url, connect_url = endpoints(inproc, transport)
    receiver.bind(bind_url)
    peer = sync_ctx.socket(peer_kind)
    peer.linger = 0
    peer.rcvtimeo = 2000
    peer.connect(connect_url(receiver))
    rsock, wsock = pysocket.socketpair()
    rsock.setblocking(False)
    state = {"received": 0, "failure": None, "foreign": 0}

    def driver():
        rng = random.Random(7)
        sent = echoed = 0

        def caught_up(deadline_s):
            nonlocal echoed
            deadline = time.monotonic() + deadline_s
            if pattern == "echo":
                while echoed < sent:
                    try:
                        peer.recv()
                    except zmq.Again:
                        return False
                    echoed += 1
                return True
            while state["received"] < sent:
                if time.monotonic() > deadline:
                    return False
                time.sleep(0.00005)
            return True

        try:
            for cycle in range(cycles):
                burst = rng.randint(1, 40)
                for _ in range(burst):
                    peer.send(b"burst")
                sent += burst
                if not caught_up(5.0):
                    state["failure"] = f"burst of cycle {cycle} not received ({state['received']}/{sent})"
                    return
                if cycle % 3 == 0:
                    wsock.send(b"f")
                # quiet: let the loop go idle in its selector
                time.sleep(rng.choice((0, 0, 0.00005, 0.0002)))
                peer.send(b"one")
                sent += 1
                if not caught_up(1.0):
                    state["failure"] = (f"receiver stalled at cycle {cycle}: "
                                        f"{state['received']} of {sent} messages handled")
                    return
        except Exception as e:  # reported by the test
            state["failure"] = repr(e)
        finally:
            state["done"] = True

    async def main():
        loop = asyncio.get_running_loop()

        def on_foreign():
            try:
                state["foreign"] += len(rsock.recv(4096))
            except BlockingIOError:
                pass

        loop.add_reader(rsock.fileno(), on_foreign)

        replies = asyncio.Queue()

        async def consume():
            while True:
                msg = await receiver.recv()
                state["received"] += 1
                if pattern == "echo":
                    replies.put_nowait(msg)

        async def reply():
            # Sends made while a receive waits on the same socket.
            while True:
                msg = await replies.get()
                await receiver.send(msg)

        tasks = [asyncio.ensure_future(consume()), asyncio.ensure_future(reply())]
        thread = threading.Thread(target=driver)
        thread.start()
        try:
            while thread.is_alive():
                await asyncio.sleep(0.01)
        finally:
            thread.join()
            for task in tasks:
                task.cancel()
            loop.remove_reader(rsock.fileno())

    try:
        run(main, timeout=120, kind=kind)
    finally:
        rsock.close()
        wsock.close()
        peer.close()
        receiver.close()
    assert state["failure"] is None, state["failure"]
    assert state["foreign"] > 0


@pytest.mark.slow
@pytest.mark.parametrize("transport", ["inproc", "tcp"])
def test_no_missed_wakeups_pull(actx, transport, run, inproc):
    _wakeup_cycles(run, inproc, actx, transport, "pull", 10_000)


@pytest.mark.slow
@pytest.mark.skipif(uvloop is None, reason="uvloop not installed")
@pytest.mark.parametrize("transport", ["inproc", "tcp"])
def test_no_missed_wakeups_pull_uvloop(actx, transport, run, inproc):
    _wakeup_cycles(run, inproc, actx, transport, "pull", 10_000, kind="uvloop")


@pytest.mark.slow
@pytest.mark.parametrize("transport", ["inproc", "tcp"])
def test_no_missed_wakeups_echo(actx, transport, run, inproc):
    # The receiver also sends: its sends consume the edges of its receives.
    _wakeup_cycles(run, inproc, actx, transport, "echo", 10_000)


# ---------------------------------------------------------------- leaks


@pytest.mark.slow
def test_no_leak_on_permanently_busy_socket(actx, run, inproc):
    total = 1_000_000
    warmup = 50_000
    sync_ctx = zmq.Context(actx)
    url = inproc()
    pull = actx.socket(zmq.PULL)
    pull.linger = 0
    pull.bind(url)
    push = sync_ctx.socket(zmq.PUSH)
    push.linger = 0
    push.connect(url)
    errors = []

    def produce():
        try:
            msg = b"m" * 16
            for _ in range(total):
                push.send(msg)
        except Exception as e:  # reported by the test
            errors.append(e)

    async def main():
        thread = threading.Thread(target=produce)
        thread.start()
        try:
            for _ in range(warmup):
                await pull.recv()
            gc.collect()
            before = rss_bytes()
            for _ in range(total - warmup):
                await pull.recv()
            gc.collect()
            return rss_bytes() - before
        finally:
            thread.join()

    try:
        growth = run(main, timeout=110)
    finally:
        push.close()
        pull.close()
    assert not errors, errors
    assert growth < 5 * 1024 * 1024, f"RSS grew by {growth / 1e6:.1f} MB"


# ---------------------------------------------------------------- timeouts


def test_timeout_does_not_pin_message(actx, run, make_pair):
    a, b = make_pair(actx)
    b.rcvtimeo = 60_000
    refs = []

    async def main():
        fut = b.recv(copy=False)
        await asyncio.sleep(0.01)
        assert not fut.done()  # waiting, with its timeout armed
        await a.send(b"x" * 1000)
        frame = await asyncio.wait_for(fut, 2)
        refs.append(weakref.ref(frame))
        del frame, fut
        fut = b.recv_multipart(copy=False)
        await asyncio.sleep(0.01)
        await a.send_multipart([b"y" * 1000, b"z"])
        frames = await asyncio.wait_for(fut, 2)
        refs.extend(weakref.ref(f) for f in frames)
        del frames, fut
        gc.collect()
        await asyncio.sleep(0)
        return [r() for r in refs]

    alive = run(main)
    assert alive == [None, None, None]
    a.close()
    b.close()


# ---------------------------------------------------------------- many awaiters


def test_many_concurrent_awaiters_get_distinct_messages(actx, run, make_pair):
    pull, push = make_pair(actx, zmq.PULL, zmq.PUSH)

    async def main():
        for round_ in range(10):
            tasks = [asyncio.ensure_future(pull.recv()) for _ in range(100)]
            await asyncio.sleep(0)
            # some awaiters give up before anything arrives
            cancelled = tasks[::10]
            for task in cancelled:
                task.cancel()
            await asyncio.sleep(0)
            expected = [b"%d-%d" % (round_, i) for i in range(90)]
            for msg in expected:
                await push.send(msg)
            live = [t for t in tasks if t not in cancelled]
            got = await asyncio.wait_for(asyncio.gather(*live), 5)
            assert sorted(got) == sorted(expected)
            assert len(set(got)) == 90
            assert all(t.cancelled() for t in cancelled)
        assert await pull.poll(20) == 0

    run(main)


def test_many_concurrent_senders_keep_messages_whole(actx, run, inproc):
    push = actx.socket(zmq.PUSH)
    pull = actx.socket(zmq.PULL)
    push.linger = pull.linger = 0
    push.sndhwm = pull.rcvhwm = 5
    url = inproc()
    pull.bind(url)
    push.connect(url)

    async def main():
        sends = [push.send_multipart([b"%d" % i, b"part2", b"part3"]) for i in range(100)]
        got = []
        for _ in range(100):
            got.append(await asyncio.wait_for(pull.recv_multipart(), 5))
        await asyncio.wait_for(asyncio.gather(*sends), 5)
        assert got == [[b"%d" % i, b"part2", b"part3"] for i in range(100)]

    run(main)


# ---------------------------------------------------------------- fairness


def test_receive_flood_does_not_starve_other_socket(actx, run, inproc):
    flood = 300_000
    sync_ctx = zmq.Context(actx)
    url_a, url_b = inproc(), inproc()
    a = actx.socket(zmq.PULL)
    b = actx.socket(zmq.PULL)
    a.rcvhwm = 0
    a.bind(url_a)
    b.bind(url_b)
    feeder = sync_ctx.socket(zmq.PUSH)
    feeder.sndhwm = 0
    feeder.connect(url_a)
    other = sync_ctx.socket(zmq.PUSH)
    other.connect(url_b)
    for _ in range(flood):
        feeder.send(b"flood")
    counts = {"a": 0}

    async def main():
        async def drain_a():
            for _ in range(flood):
                await a.recv()
                counts["a"] += 1

        flooder = asyncio.ensure_future(drain_a())
        b_fut = asyncio.ensure_future(b.recv())
        await asyncio.sleep(0)
        other.send(b"for b")
        t0 = time.monotonic()
        await asyncio.wait_for(b_fut, 10)
        latency = time.monotonic() - t0
        a_when_b_done = counts["a"]
        await asyncio.wait_for(flooder, 30)
        return latency, a_when_b_done

    try:
        latency, a_when_b_done = run(main)
    finally:
        for s in (a, b, feeder, other):
            s.close(linger=0)
    assert a_when_b_done < flood, "b was served only after the whole flood on a"
    assert latency < 0.5


def test_send_flood_does_not_starve_other_socket(actx, run, inproc):
    pub = actx.socket(zmq.PUB)  # no subscriber: every send completes at once
    pub.linger = 0
    pub.bind(inproc())
    a = actx.socket(zmq.PAIR)
    b = actx.socket(zmq.PAIR)
    a.linger = b.linger = 0
    url = inproc()
    a.bind(url)
    b.connect(url)
    limit = 300_000
    state = {"sent": 0}

    async def main():
        async def flood():
            while state["sent"] < limit:
                await pub.send(b"noise")
                state["sent"] += 1

        b_fut = asyncio.ensure_future(b.recv())
        await asyncio.sleep(0)
        flooder = asyncio.ensure_future(flood())
        await asyncio.sleep(0)
        await a.send(b"hello b")
        await asyncio.wait_for(b_fut, 10)
        sent_when_b_done = state["sent"]
        await asyncio.wait_for(flooder, 30)
        return sent_when_b_done

    assert run(main) < limit, "b was served only after the whole flood"
