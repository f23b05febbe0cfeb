"""Scenarios across a process boundary, over tcp loopback or ipc: a peer process
(this script again, in a `_` role) sends or echoes; this process measures."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time

from scenario_kit import KB, WAIT_MS, Peer, bounded, result, scenario, time_it, with_peer, zmq_module


def delivery_linger():
    """Linger for a sender's last messages: long enough to deliver everything,
    still bounded unless socket timeouts are off."""
    return WAIT_MS if WAIT_MS > 0 else -1


@contextlib.contextmanager
def endpoint_for(transport):
    """Where a receiver binds: a random tcp port, or an ipc socket file in a
    private temporary directory (removed afterwards). Yields (bind_to, connect_to)
    where bind_to is None for tcp (bind_to_random_port picks the port)."""
    if transport == "tcp":
        yield None, "tcp://127.0.0.1"
        return
    d = tempfile.mkdtemp(prefix="bench-ipc-")
    try:
        ep = f"ipc://{d}/push-pull"
        yield ep, ep
    finally:
        shutil.rmtree(d, ignore_errors=True)


def bind_receiver(sock, bind_to, connect_to):
    """Bind sock; return the endpoint a peer connects to."""
    if bind_to is None:
        port = sock.bind_to_random_port(connect_to)
        return f"{connect_to}:{port}"
    sock.bind(bind_to)
    return connect_to


def push_pull(count, warmup, size, transport, probe=None):
    """PUSH in a peer process -> PULL here; times count receives after warmup.

    probe, if given, has start() and stop() -> dict, called right around the
    timed loop; its dict is added to the result."""
    zmq = zmq_module()
    ctx = zmq.Context()
    pull = bounded(ctx.socket(zmq.PULL))
    with endpoint_for(transport) as (bind_to, connect_to):
        endpoint = bind_receiver(pull, bind_to, connect_to)
        # One extra message: the clock starts when it arrives, so the rate
        # covers first-received to last-received on this side only.
        peer = Peer("_push_sender", endpoint, warmup + 1 + count, size)

        def receive():
            for _ in range(warmup + 1):
                pull.recv()
            if probe:
                probe.start()
            t0 = time.perf_counter()
            for _ in range(count):
                pull.recv()
            elapsed = time.perf_counter() - t0
            extra = probe.stop() if probe else {}
            return elapsed, extra

        elapsed, extra = with_peer(peer, receive)
        ctx.destroy(linger=0)
    return result(count, elapsed, **extra)


@scenario("_push_sender")
def push_sender(endpoint, total, size):
    zmq = zmq_module()
    ctx = zmq.Context()
    push = ctx.socket(zmq.PUSH)
    if WAIT_MS > 0:
        push.sndtimeo = WAIT_MS
    # Set explicitly, not left to the default: close() and term() must wait
    # until everything queued is delivered, and not every package defaults to
    # that.
    push.linger = delivery_linger()
    push.connect(endpoint)
    payload = os.urandom(int(size))
    for _ in range(int(total)):
        push.send(payload)
    push.close()
    ctx.term()


def _push_pull_row(name, size, transport):
    @scenario(name)
    def run(count, warmup):
        return push_pull(count, warmup, size, transport)

    return run


for _name, _size, _transport in (
    ("tcp_push_pull_64", 64, "tcp"),
    ("tcp_push_pull_1k", KB, "tcp"),
    ("tcp_push_pull_16k", 16 * KB, "tcp"),
    ("tcp_push_pull_256k", 256 * KB, "tcp"),
    ("ipc_push_pull_64", 64, "ipc"),
    ("ipc_push_pull_1k", KB, "ipc"),
):
    _push_pull_row(_name, _size, _transport)


@scenario("_rep_echo")
def rep_echo(endpoint, total):
    zmq = zmq_module()
    ctx = zmq.Context()
    rep = bounded(ctx.socket(zmq.REP))
    # The last reply must reach the requester before this process exits.
    rep.linger = delivery_linger()
    rep.connect(endpoint)
    for _ in range(int(total)):
        rep.send(rep.recv())
    rep.close()
    ctx.term()


@scenario("tcp_req_rep_64")
def tcp_req_rep_64(count, warmup):
    zmq = zmq_module()
    ctx = zmq.Context()
    req = bounded(ctx.socket(zmq.REQ))
    port = req.bind_to_random_port("tcp://127.0.0.1")
    peer = Peer("_rep_echo", f"tcp://127.0.0.1:{port}", warmup + count)
    payload = os.urandom(64)

    def body(n):
        for _ in range(n):
            req.send(payload)
            req.recv()

    elapsed = with_peer(peer, lambda: time_it(body, count, warmup))
    ctx.destroy(linger=0)
    return result(count, elapsed)
