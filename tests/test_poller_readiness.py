"""Poller remembers that its sockets were idle and then asks only their FDs
(see zmq/backend/cython/poll.pxi). These tests try to make that memory lie: every
way readiness can change must still be reported."""

import random
import threading

import pytest

import zmq


def _connected_pairs(socket, n, prefix):
    pairs = []
    for i in range(n):
        rx = socket(zmq.PAIR)
        tx = socket(zmq.PAIR)
        rx.bind(f"inproc://{prefix}-{i}")
        tx.connect(f"inproc://{prefix}-{i}")
        pairs.append((rx, tx))
    return pairs


def test_idle_then_arrival_is_reported(socket):
    (rx, tx), (rx2, _) = _connected_pairs(socket, 2, "arrival")
    poller = zmq.Poller()
    poller.register(rx, zmq.POLLIN)
    poller.register(rx2, zmq.POLLIN)
    for _ in range(3):
        assert poller.poll(0) == []
    tx.send(b"x")
    assert poller.poll(0) == [(rx, zmq.POLLIN)]
    assert poller.poll(0) == [(rx, zmq.POLLIN)]
    assert rx.recv() == b"x"
    assert poller.poll(0) == []


def test_remaining_messages_after_a_recv_are_reported(socket):
    ((rx, tx),) = _connected_pairs(socket, 1, "remaining")
    poller = zmq.Poller()
    poller.register(rx, zmq.POLLIN)
    assert poller.poll(0) == []
    tx.send(b"1")
    tx.send(b"2")
    # The recv processes the socket's commands, consuming the FD's edge, while
    # a second message stays queued.
    assert rx.recv() == b"1"
    assert poller.poll(0) == [(rx, zmq.POLLIN)]
    assert rx.recv() == b"2"
    assert poller.poll(0) == []
    tx.send(b"3")
    assert poller.poll(0) == [(rx, zmq.POLLIN)]


def test_recv_through_a_shadow_is_noticed(socket):
    ((rx, tx),) = _connected_pairs(socket, 1, "shadow")
    shadow = zmq.Socket.shadow(rx.underlying)
    poller = zmq.Poller()
    poller.register(rx, zmq.POLLIN)
    assert poller.poll(0) == []
    tx.send(b"a")
    tx.send(b"b")
    assert shadow.recv() == b"a"
    assert poller.poll(0) == [(rx, zmq.POLLIN)]


def test_two_pollers_on_one_socket_do_not_hide_events_from_each_other(socket):
    ((rx, tx),) = _connected_pairs(socket, 1, "two-pollers")
    first, second = zmq.Poller(), zmq.Poller()
    first.register(rx, zmq.POLLIN)
    second.register(rx, zmq.POLLIN)
    assert first.poll(0) == [] and second.poll(0) == []
    tx.send(b"x")
    # The second poller's reading consumes the FD's edge...
    assert second.poll(0) == [(rx, zmq.POLLIN)]
    # ...and the first must not take the quiet FD for "still idle".
    assert first.poll(0) == [(rx, zmq.POLLIN)]


def test_module_level_poll_consuming_the_edge_is_noticed(socket):
    ((rx, tx),) = _connected_pairs(socket, 1, "module-poll")
    poller = zmq.Poller()
    poller.register(rx, zmq.POLLIN)
    assert poller.poll(0) == []
    tx.send(b"x")
    assert zmq.select([rx], [], [], 0)[0] == [rx]
    assert poller.poll(0) == [(rx, zmq.POLLIN)]


def test_writability_returning_is_reported(socket):
    push = socket(zmq.PUSH, sndhwm=1)
    pull = socket(zmq.PULL, rcvhwm=1)
    push.bind("inproc://writable")
    pull.connect("inproc://writable")
    sent = 0
    while push.poll(0, zmq.POLLOUT):
        push.send(b"fill", zmq.NOBLOCK)
        sent += 1
        assert sent < 100
    poller = zmq.Poller()
    poller.register(push, zmq.POLLOUT)
    assert poller.poll(0) == []
    assert poller.poll(0) == []
    for _ in range(sent):
        pull.recv()
    assert poller.poll(0) == [(push, zmq.POLLOUT)]


def test_blocking_poll_wakes_for_a_message_from_another_thread(socket):
    ((rx, tx),) = _connected_pairs(socket, 1, "threaded")
    poller = zmq.Poller()
    poller.register(rx, zmq.POLLIN)
    assert poller.poll(0) == []
    timer = threading.Timer(0.05, tx.send, (b"late",))
    timer.start()
    try:
        assert poller.poll(10000) == [(rx, zmq.POLLIN)]
    finally:
        timer.join()


def test_registration_changes_take_effect(socket):
    (rx, tx), (rx2, tx2) = _connected_pairs(socket, 2, "registration")
    poller = zmq.Poller()
    poller.register(rx, zmq.POLLIN)
    assert poller.poll(0) == []
    tx2.send(b"y")
    poller.register(rx2, zmq.POLLIN)
    assert poller.poll(0) == [(rx2, zmq.POLLIN)]
    poller.unregister(rx2)
    assert poller.poll(0) == []


def test_random_interleaving_matches_a_model(socket):
    # inproc delivery is synchronous, so the number of queued messages per
    # socket is known exactly and the poll result must match it at every step.
    rng = random.Random(20261124)
    pairs = _connected_pairs(socket, 4, "model")
    queued = [0] * len(pairs)
    poller = zmq.Poller()
    for rx, _ in pairs:
        poller.register(rx, zmq.POLLIN)
    for step in range(3000):
        op = rng.random()
        k = rng.randrange(len(pairs))
        rx, tx = pairs[k]
        if op < 0.3:
            tx.send(b"m")
            queued[k] += 1
        elif op < 0.55 and queued[k]:
            assert rx.recv(zmq.NOBLOCK) == b"m"
            queued[k] -= 1
        elif op < 0.6:
            zmq.Poller().poll(0)  # another poller reading the same sockets
        else:
            ready = {s for s, _ in poller.poll(0)}
            expected = {pairs[i][0] for i, n in enumerate(queued) if n}
            assert ready == expected, f"step {step}"


def test_closed_socket_in_poller_raises(socket):
    ((rx, _),) = _connected_pairs(socket, 1, "closed")
    poller = zmq.Poller()
    poller.register(rx, zmq.POLLIN)
    assert poller.poll(0) == []
    rx.close()
    with pytest.raises(zmq.ZMQError) as excinfo:
        poller.poll(0)
    assert excinfo.value.errno == zmq.ENOTSOCK
