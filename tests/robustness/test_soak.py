"""Soak: every message sent right before its socket is closed arrives.

A sender sends N messages as fast as it can and closes its socket right after
the last send with the default linger (-1: everything must be delivered); over
tcp and ipc it is a separate process that then terminates its context and
exits. The receiver counts every message and checks its sequence number, so a
loss, a duplicate or a reordering fails the test with how many arrived of how
many, after at most RECV_TIMEOUT_MS without a message.

Shortly before the end the receiver stalls, so that the sender closes while
the receiver's queue is full and data still waits in the socket: the case in
which libzmq 4.3.4 dropped the end of an ipc stream (see
bundled/libzmq-0001-*.patch).

N comes from ZMQ_SOAK_MESSAGES.
"""

import os
import subprocess
import sys
import tempfile
import threading
import time

import pytest

import zmq

MESSAGES = int(os.environ.get("ZMQ_SOAK_MESSAGES", "10000000"))

# Longest pause between two messages before the receiver gives up: far more
# than a sender needs to start or to catch up, far less than the per-test
# watchdog, so that a lost message fails with a count instead of a hang.
RECV_TIMEOUT_MS = 10_000
# How long a finished sender may take to exit once everything has arrived.
SENDER_EXIT_TIMEOUT = 30
# The receiver stalls this long when this many messages are still to come:
# they fit in the queues and socket buffers between the two ends, so the sender
# gets to send them all, close and go away while the receiver's queue is full
# and the rest still waits in the socket. Losses that depend on the timing of
# the close then show at any N, not only when the sender happens to outrun the
# receiver.
STALL_BEFORE_END = 2000
STALL_SECONDS = 0.5

PAD = b"." * 12

# (sending socket type, receiving socket type); ROUTER sends by routing id to
# a DEALER that said hello first, so both directions of ROUTER<->DEALER count.
PATTERNS = {
    "push-pull": (zmq.PUSH, zmq.PULL),
    "dealer-router": (zmq.DEALER, zmq.ROUTER),
    "router-dealer": (zmq.ROUTER, zmq.DEALER),
}

SENDER = r'''
import sys
import zmq

pattern, endpoint, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
pad = b"." * 12
ctx = zmq.Context()
kind = {"push-pull": zmq.PUSH, "dealer-router": zmq.DEALER, "router-dealer": zmq.ROUTER}[pattern]
s = ctx.socket(kind)
# Never outlive a receiver that is gone.
s.sndtimeo = s.rcvtimeo = 60_000
if kind == zmq.ROUTER:
    # Without it a ROUTER drops at the high-water mark instead of blocking.
    s.router_mandatory = True
s.connect(endpoint)
if kind == zmq.ROUTER:
    peer, _ = s.recv_multipart()
    for i in range(n):
        s.send(peer, zmq.SNDMORE)
        s.send(i.to_bytes(8, "little") + pad)
else:
    for i in range(n):
        s.send(i.to_bytes(8, "little") + pad)
s.close()
ctx.term()
'''


def receive_all(sock, n, routed, sender_state):
    """Receive n messages with sequence numbers 0..n-1, in order.
    sender_state() says how the sender is doing, for a failure message."""
    recv = sock.recv_multipart if routed else sock.recv
    stall_at = max(n - STALL_BEFORE_END, 0)
    for expected in range(n):
        if expected == stall_at:
            time.sleep(STALL_SECONDS)
        try:
            msg = recv()
        except zmq.Again:
            pytest.fail(
                f"received {expected} of {n} messages, then nothing for "
                f"{RECV_TIMEOUT_MS / 1000:.0f} s; {sender_state()}"
            )
        if routed:
            msg = msg[1]
        if msg[:8] != expected.to_bytes(8, "little") or len(msg) != 8 + len(PAD):
            pytest.fail(f"message {expected} of {n} is {msg!r}")
    # A duplicate would show as one more message.
    assert not sock.poll(100), f"more than the {n} messages sent arrived"


def make_receiver(ctx, pattern):
    sock = ctx.socket(PATTERNS[pattern][1])
    sock.linger = 0
    sock.rcvtimeo = RECV_TIMEOUT_MS
    sock.sndtimeo = RECV_TIMEOUT_MS
    return sock


def say_hello(sock, pattern):
    if pattern == "router-dealer":
        try:
            sock.send(b"hello")
        except zmq.Again:
            pytest.fail("the ROUTER sender never connected")


@pytest.mark.slow
@pytest.mark.parametrize("pattern", list(PATTERNS))
@pytest.mark.parametrize("transport", ["tcp", "ipc"])
def test_soak_process(ctx, transport, pattern):
    receiver = make_receiver(ctx, pattern)
    with tempfile.TemporaryDirectory(prefix="zmq-soak-") as tmp:
        if transport == "tcp":
            receiver.bind("tcp://127.0.0.1:*")
        else:
            receiver.bind(f"ipc://{tmp}/soak")
        endpoint = receiver.last_endpoint.decode()
        # Started outside the source tree, whose zmq/ would shadow the
        # installed package.
        sender = subprocess.Popen(
            [sys.executable, "-c", SENDER, pattern, endpoint, str(MESSAGES)],
            cwd=tempfile.gettempdir(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        def sender_state():
            if sender.poll() is None:
                return "the sender is still running"
            err = sender.stderr.read() if sender.returncode else ""
            return f"the sender exited with {sender.returncode}\n{err}"

        try:
            say_hello(receiver, pattern)
            receive_all(receiver, MESSAGES, pattern == "dealer-router", sender_state)
            try:
                out, err = sender.communicate(timeout=SENDER_EXIT_TIMEOUT)
            except subprocess.TimeoutExpired:
                pytest.fail(f"sender still running {SENDER_EXIT_TIMEOUT} s after its last message arrived")
            assert sender.returncode == 0, f"sender exited with {sender.returncode}\n{out}\n{err}"
        finally:
            if sender.poll() is None:
                sender.kill()
                sender.communicate()
            receiver.close()


@pytest.mark.slow
@pytest.mark.parametrize("pattern", list(PATTERNS))
def test_soak_inproc(pattern):
    # inproc peers share one context: the sender thread closes its socket
    # right after its last send, and the context is terminated once the
    # receiver is done.
    ctx = zmq.Context()
    errors = []
    endpoint = f"inproc://soak-{pattern}"

    def send():
        s = ctx.socket(PATTERNS[pattern][0])
        try:
            s.sndtimeo = s.rcvtimeo = 60_000
            if pattern == "router-dealer":
                s.router_mandatory = True
            s.connect(endpoint)
            if pattern == "router-dealer":
                peer, _ = s.recv_multipart()
                for i in range(MESSAGES):
                    s.send(peer, zmq.SNDMORE)
                    s.send(i.to_bytes(8, "little") + PAD)
            else:
                for i in range(MESSAGES):
                    s.send(i.to_bytes(8, "little") + PAD)
        except BaseException as e:
            errors.append(e)
            s.linger = 0
        finally:
            s.close()

    receiver = make_receiver(ctx, pattern)
    receiver.bind(endpoint)
    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    try:
        say_hello(receiver, pattern)
        receive_all(
            receiver, MESSAGES, pattern == "dealer-router",
            lambda: f"the sender {'is still running' if sender.is_alive() else 'has finished'}"
            + (f" and failed: {errors[0]!r}" if errors else ""),
        )
        sender.join(SENDER_EXIT_TIMEOUT)
        assert not sender.is_alive(), "sender thread still running after its last message arrived"
        assert not errors, f"sender failed: {errors[0]!r}"
    finally:
        receiver.close()
        # Also unblocks a sender still waiting in send() (with ETERM).
        ctx.term()
        sender.join(5)
