"""Event-loop scenarios: zmq.asyncio, and ZMQStream on tornado's IOLoop.

Each runs under a stall watchdog (scenario_kit.until_done): a callback that
never fires cannot time out on its own, so no message moving for STALL_S fails
the scenario instead of waiting for the overall limit.
"""

from __future__ import annotations

import gc
import importlib
import os
import time

from scenario_kit import (
    Peer, bounded, inproc_pair, na, peer_blame, result, run_async, scenario, until_done, zmq_module,
)

# Requests in flight in the echo scenarios: enough to measure throughput
# rather than one round trip at a time.
WINDOW = 100


def _zmq_asyncio():
    try:
        import zmq.asyncio
    except ImportError as e:
        return None, f"zmq.asyncio not importable: {e}"
    return zmq.asyncio, None


def _zmqstream():
    try:
        tornado_ioloop = importlib.import_module("tornado.ioloop")
    except ImportError as e:
        return None, None, f"tornado not importable: {e}"
    try:
        from zmq.eventloop.zmqstream import ZMQStream
    except ImportError as e:
        return None, None, f"zmq.eventloop.zmqstream not importable: {e}"
    return tornado_ioloop, ZMQStream, None


async def _watched(coro, progress):
    import asyncio

    return await until_done(asyncio.ensure_future(coro), progress)


@scenario("asyncio_pair_64")
def asyncio_pair_64(count, warmup):
    zaio, why = _zmq_asyncio()
    if zaio is None:
        return na(why)
    payload = os.urandom(64)
    done = [0]

    async def main():
        ctx = zaio.Context()
        a, b = inproc_pair(ctx, "bench-aio-pair")

        async def body(n):
            for i in range(n):
                await a.send(payload)
                await b.recv()
                done[0] = i

        await _watched(body(warmup), lambda: done[0])
        gc.collect()
        t0 = time.perf_counter()
        await _watched(body(count), lambda: done[0])
        elapsed = time.perf_counter() - t0
        ctx.destroy(linger=0)
        return elapsed

    return result(count, run_async(main))


@scenario("asyncio_push_pull_64")
def asyncio_push_pull_64(count, warmup):
    zaio, why = _zmq_asyncio()
    if zaio is None:
        return na(why)
    zmq = zmq_module()
    payload = os.urandom(64)
    total = warmup + 1 + count
    received = [0]

    async def main():
        import asyncio

        ctx = zaio.Context()
        push = bounded(ctx.socket(zmq.PUSH))
        push.bind("inproc://bench-aio-pushpull")
        pull = bounded(ctx.socket(zmq.PULL))
        pull.connect("inproc://bench-aio-pushpull")

        async def producer():
            for _ in range(total):
                await push.send(payload)

        async def consumer():
            for _ in range(warmup + 1):
                await pull.recv()
            t0 = time.perf_counter()
            for i in range(count):
                await pull.recv()
                received[0] = i
            return time.perf_counter() - t0

        gc.collect()
        both = asyncio.gather(producer(), consumer())
        _, elapsed = await until_done(both, lambda: received[0])
        ctx.destroy(linger=0)
        return elapsed

    return result(count, run_async(main))


@scenario("asyncio_router_dealer_64")
def asyncio_router_dealer_64(count, warmup):
    """A DEALER client task keeps WINDOW requests in flight to a ROUTER echo
    task in the same event loop, over tcp; the figure is replies per second."""
    zaio, why = _zmq_asyncio()
    if zaio is None:
        return na(why)
    zmq = zmq_module()
    payload = os.urandom(64)
    warmup = max(1, warmup)
    total = warmup + count
    replies = [0]

    async def main():
        import asyncio

        ctx = zaio.Context()
        router = bounded(ctx.socket(zmq.ROUTER))
        port = router.bind_to_random_port("tcp://127.0.0.1")
        dealer = bounded(ctx.socket(zmq.DEALER))
        dealer.connect(f"tcp://127.0.0.1:{port}")

        async def server():
            for _ in range(total):
                await router.send_multipart(await router.recv_multipart())

        async def client():
            sent = 0
            for _ in range(min(WINDOW, total)):
                await dealer.send(payload)
                sent += 1
            t0 = 0.0
            for i in range(1, total + 1):
                await dealer.recv()
                replies[0] = i
                if i == warmup:
                    t0 = time.perf_counter()
                if sent < total:
                    await dealer.send(payload)
                    sent += 1
            return time.perf_counter() - t0

        gc.collect()
        both = asyncio.gather(server(), client())
        _, elapsed = await until_done(both, lambda: replies[0])
        ctx.destroy(linger=0)
        return elapsed

    return result(count, run_async(main))


@scenario("tornado_echo_64")
def tornado_echo_64(count, warmup):
    tornado_ioloop, ZMQStream, why = _zmqstream()
    if why:
        return na(why)
    zmq = zmq_module()
    payload = os.urandom(64)
    # The clock starts at the warmup-th reply, so there must be one.
    warmup = max(1, warmup)
    total = warmup + count

    async def main():
        import asyncio

        ctx = zmq.Context()
        server = bounded(ctx.socket(zmq.ROUTER))
        port = server.bind_to_random_port("tcp://127.0.0.1")
        client = bounded(ctx.socket(zmq.DEALER))
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
        for _ in range(min(WINDOW, total)):
            state["sent"] += 1
            client_stream.send(payload)
        elapsed = await until_done(done, lambda: state["received"])
        client_stream.close(linger=0)
        server_stream.close(linger=0)
        ctx.destroy(linger=0)
        return elapsed

    return result(count, run_async(main))


@scenario("tornado_stream_pull_64")
def tornado_stream_pull_64(count, warmup):
    """PUSH in a peer process -> ZMQStream(PULL).on_recv here over tcp, the
    callback only counting: the stream's own receive path, msgs/s."""
    tornado_ioloop, ZMQStream, why = _zmqstream()
    if why:
        return na(why)
    zmq = zmq_module()
    total = warmup + 1 + count

    async def main():
        import asyncio

        ctx = zmq.Context()
        pull = bounded(ctx.socket(zmq.PULL))
        port = pull.bind_to_random_port("tcp://127.0.0.1")
        stream = ZMQStream(pull, io_loop=tornado_ioloop.IOLoop.current())
        done = asyncio.get_running_loop().create_future()
        state = {"n": 0, "t0": 0.0}

        def on_recv(_frames):
            state["n"] += 1
            n = state["n"]
            if n == warmup + 1:
                state["t0"] = time.perf_counter()
            elif n == total and not done.done():
                done.set_result(time.perf_counter() - state["t0"])

        stream.on_recv(on_recv)
        peer = Peer("_push_sender", f"tcp://127.0.0.1:{port}", total, 64)
        try:
            elapsed = await until_done(done, lambda: state["n"])
        except BaseException as e:
            await asyncio.sleep(0.1)
            blame = peer_blame(peer, e)
            if blame:
                raise blame from e
            raise
        peer.reap()
        stream.close(linger=0)
        ctx.destroy(linger=0)
        return elapsed

    return result(count, run_async(main))
