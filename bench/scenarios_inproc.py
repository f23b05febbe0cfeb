"""Single-thread inproc scenarios: one thread sends on one end of a PAIR and
receives on the other, so the figure is the binding's own cost per call."""

from __future__ import annotations

import os

from scenario_kit import KB, MB, inproc_pair, result, scenario, time_it, zmq_module


def _pair_roundtrip(count, warmup, size, copy):
    zmq = zmq_module()
    ctx = zmq.Context()
    a, b = inproc_pair(ctx, "bench-pair")
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

    elapsed = time_it(body, count, warmup)
    ctx.destroy(linger=0)
    return result(count, elapsed)


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
    zmq = zmq_module()
    ctx = zmq.Context()
    a, b = inproc_pair(ctx, "bench-multipart")
    parts = [b"id", b"", os.urandom(64)]

    def body(n):
        for _ in range(n):
            a.send_multipart(parts)
            b.recv_multipart()

    elapsed = time_it(body, count, warmup)
    ctx.destroy(linger=0)
    return result(count, elapsed)


@scenario("multipart_4x64k_nocopy")
def multipart_4x64k_nocopy(count, warmup):
    zmq = zmq_module()
    ctx = zmq.Context()
    a, b = inproc_pair(ctx, "bench-multipart-big")
    # Distinct buffers, as a real sender's frames would be.
    parts = [os.urandom(64 * KB) for _ in range(4)]

    def body(n):
        for _ in range(n):
            a.send_multipart(parts, copy=False)
            frames = b.recv_multipart(copy=False)
        if n and len(frames) != 4:
            raise RuntimeError(f"expected 4 frames, got {len(frames)}")

    elapsed = time_it(body, count, warmup)
    ctx.destroy(linger=0)
    return result(count, elapsed)


@scenario("string_64")
def string_64(count, warmup):
    zmq = zmq_module()
    ctx = zmq.Context()
    a, b = inproc_pair(ctx, "bench-string")
    text = "zeromq-" * 9 + "s"  # 64 characters of ASCII, 64 bytes of UTF-8

    def body(n):
        for _ in range(n):
            a.send_string(text)
            b.recv_string()

    elapsed = time_it(body, count, warmup)
    ctx.destroy(linger=0)
    return result(count, elapsed)


@scenario("json_small")
def json_small(count, warmup):
    zmq = zmq_module()
    ctx = zmq.Context()
    a, b = inproc_pair(ctx, "bench-json")
    obj = {"id": 42, "method": "ping", "ok": True, "args": [1, 2.5, "three"]}

    def body(n):
        for _ in range(n):
            a.send_json(obj)
            b.recv_json()

    elapsed = time_it(body, count, warmup)
    ctx.destroy(linger=0)
    return result(count, elapsed)


@scenario("poll_idle_10")
def poll_idle_10(count, warmup):
    zmq = zmq_module()
    ctx = zmq.Context()
    poller = zmq.Poller()
    # Connected pairs rather than lone sockets: idle, but with live pipes, as
    # in a real application waiting for traffic.
    for i in range(10):
        _, b = inproc_pair(ctx, f"bench-idle-{i}")
        poller.register(b, zmq.POLLIN)
    if poller.poll(0):
        raise RuntimeError("idle sockets reported events")

    def body(n):
        for _ in range(n):
            poller.poll(0)

    elapsed = time_it(body, count, warmup)
    ctx.destroy(linger=0)
    return result(count, elapsed)
