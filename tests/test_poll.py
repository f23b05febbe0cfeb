"""zmq.Poller, zmq.select and Socket.poll."""

import os
import threading

import pytest

import zmq


@pytest.fixture
def pipe():
    r, w = os.pipe()
    yield r, w
    os.close(r)
    os.close(w)


class HasFileno:
    def __init__(self, fd):
        self._fd = fd

    def fileno(self):
        return self._fd


def test_register_default_flags_are_pollin_pollout(pair):
    a, _ = pair
    poller = zmq.Poller()
    poller.register(a)
    assert poller.sockets == [(a, zmq.POLLIN | zmq.POLLOUT)]


def test_poll_returns_list_of_socket_event_tuples(pair):
    a, b = pair
    poller = zmq.Poller()
    poller.register(a)
    result = poller.poll(0)
    assert isinstance(result, list)
    assert result == [(a, zmq.POLLOUT)]
    assert isinstance(result[0], tuple)
    assert isinstance(result[0][1], int)
    b.send(b"x")
    assert poller.poll(5000) == [(a, zmq.POLLIN | zmq.POLLOUT)]


def test_poll_result_converts_to_dict(pair):
    a, b = pair
    poller = zmq.Poller()
    poller.register(a, zmq.POLLIN)
    poller.register(b, zmq.POLLIN)
    b.send(b"x")
    events = dict(poller.poll(5000))
    assert events == {a: zmq.POLLIN}
    assert b not in events


def test_poll_zero_with_nothing_ready_returns_empty(pair):
    a, _ = pair
    poller = zmq.Poller()
    poller.register(a, zmq.POLLIN)
    assert poller.poll(0) == []
    assert poller.poll(10) == []


def test_poll_empty_poller_returns_empty():
    assert zmq.Poller().poll(10) == []


def test_poll_accepts_float_and_keyword_timeout(pair):
    a, _ = pair
    poller = zmq.Poller()
    poller.register(a, zmq.POLLOUT)
    assert poller.poll(0.5) == [(a, zmq.POLLOUT)]
    assert poller.poll(timeout=1) == [(a, zmq.POLLOUT)]


def test_poll_bad_timeout_type_is_type_error(pair):
    a, _ = pair
    poller = zmq.Poller()
    poller.register(a, zmq.POLLIN)
    with pytest.raises(TypeError):
        poller.poll("soon")


def test_modify_changes_flags(pair):
    a, b = pair
    poller = zmq.Poller()
    poller.register(a)
    poller.modify(a, zmq.POLLIN)
    assert poller.sockets == [(a, zmq.POLLIN)]
    assert poller.poll(0) == []
    b.send(b"x")
    assert poller.poll(5000) == [(a, zmq.POLLIN)]


def test_modify_unknown_socket_registers_it(pair):
    a, _ = pair
    poller = zmq.Poller()
    poller.modify(a, zmq.POLLOUT)
    assert poller.sockets == [(a, zmq.POLLOUT)]


def test_register_twice_replaces_flags(pair):
    a, _ = pair
    poller = zmq.Poller()
    poller.register(a, zmq.POLLIN)
    poller.register(a, zmq.POLLOUT)
    assert poller.sockets == [(a, zmq.POLLOUT)]


def test_register_with_zero_flags_unregisters(pair):
    a, b = pair
    poller = zmq.Poller()
    poller.register(a)
    poller.register(b)
    poller.register(a, 0)
    assert poller.sockets == [(b, zmq.POLLIN | zmq.POLLOUT)]
    # Zero flags on an unknown socket is a no-op, not an error.
    poller.register(a, 0)
    assert [s for s, _ in poller.sockets] == [b]


def test_unregister(pair):
    a, b = pair
    poller = zmq.Poller()
    poller.register(a, zmq.POLLIN)
    poller.unregister(a)
    assert poller.sockets == []
    b.send(b"x")
    assert poller.poll(50) == []


def test_unregister_unknown_is_key_error(pair):
    a, b = pair
    poller = zmq.Poller()
    with pytest.raises(KeyError):
        poller.unregister(a)
    poller.register(b)
    poller.unregister(b)
    with pytest.raises(KeyError):
        poller.unregister(b)


def test_poll_none_blocks_until_message(pair):
    a, b = pair
    poller = zmq.Poller()
    poller.register(a, zmq.POLLIN)
    go = threading.Event()

    def send_later():
        go.wait(10)
        b.send(b"wake")

    t = threading.Thread(target=send_later)
    t.start()
    go.set()
    try:
        result = poller.poll(None)
    finally:
        t.join(10)
    assert not t.is_alive()
    assert result == [(a, zmq.POLLIN)]
    assert a.recv() == b"wake"


def test_poll_negative_blocks_until_message(pair):
    a, b = pair
    poller = zmq.Poller()
    poller.register(a, zmq.POLLIN)
    t = threading.Timer(0.05, b.send, args=(b"wake",))
    t.start()
    try:
        result = poller.poll(-1)
    finally:
        t.join(10)
    assert result == [(a, zmq.POLLIN)]


def test_poll_raw_fd(pipe):
    r, w = pipe
    poller = zmq.Poller()
    poller.register(r, zmq.POLLIN)
    assert poller.poll(0) == []
    os.write(w, b"x")
    assert poller.poll(5000) == [(r, zmq.POLLIN)]


def test_poll_raw_fd_pollout(pipe):
    _, w = pipe
    poller = zmq.Poller()
    poller.register(w, zmq.POLLOUT)
    assert poller.poll(1000) == [(w, zmq.POLLOUT)]


def test_poll_object_with_fileno_reports_the_fd(pipe):
    # The result carries the integer fd, not the registered object.
    r, w = pipe
    obj = HasFileno(r)
    poller = zmq.Poller()
    poller.register(obj, zmq.POLLIN)
    assert poller.sockets == [(obj, zmq.POLLIN)]
    os.write(w, b"x")
    assert poller.poll(5000) == [(r, zmq.POLLIN)]


def test_poll_mixed_sockets_and_fds(pair, pipe):
    a, b = pair
    r, w = pipe
    poller = zmq.Poller()
    poller.register(a, zmq.POLLIN)
    poller.register(r, zmq.POLLIN)
    b.send(b"x")
    os.write(w, b"x")
    events = dict(poller.poll(5000))
    if len(events) < 2:
        events.update(poller.poll(5000))
    assert events == {a: zmq.POLLIN, r: zmq.POLLIN}


@pytest.mark.parametrize("bad", [object(), "abc", 1.5, None])
def test_unpollable_object_registers_but_poll_is_type_error(bad):
    poller = zmq.Poller()
    poller.register(bad, zmq.POLLIN)
    assert poller.sockets == [(bad, zmq.POLLIN)]
    with pytest.raises(TypeError):
        poller.poll(0)


def test_select_returns_three_lists(pair):
    a, b = pair
    result = zmq.select([a], [a], [a], 0)
    assert isinstance(result, tuple)
    assert len(result) == 3
    assert all(isinstance(x, list) for x in result)
    assert result == ([], [a], [])


def test_select_readable(pair):
    a, b = pair
    b.send(b"x")
    rlist, wlist, xlist = zmq.select([a, b], [], [], 5)
    assert rlist == [a]
    assert wlist == []
    assert xlist == []


def test_select_timeout_in_seconds_returns_empty(pair):
    a, _ = pair
    assert zmq.select([a], [], [], 0.01) == ([], [], [])


def test_select_none_timeout_blocks_until_ready(pair):
    a, b = pair
    t = threading.Timer(0.05, b.send, args=(b"x",))
    t.start()
    try:
        rlist, _, _ = zmq.select([a], [], [], None)
    finally:
        t.join(10)
    assert rlist == [a]


def test_select_fds_and_fileno_objects(pipe):
    r, w = pipe
    assert zmq.select([r], [w], [], 0) == ([], [w], [])
    os.write(w, b"x")
    obj = HasFileno(r)
    assert zmq.select([obj], [], [], 5) == ([r], [], [])


def test_select_bad_object_is_type_error():
    with pytest.raises(TypeError):
        zmq.select([object()], [], [], 0)


def test_socket_poll_defaults_to_pollin(pair):
    a, b = pair
    result = a.poll(0)
    assert result == 0
    assert isinstance(result, int)
    b.send(b"x")
    assert a.poll(5000) == zmq.POLLIN


def test_socket_poll_flags(pair):
    a, b = pair
    assert a.poll(0, zmq.POLLOUT) == zmq.POLLOUT
    assert a.poll(timeout=0, flags=zmq.POLLIN | zmq.POLLOUT) == zmq.POLLOUT
    b.send(b"x")
    assert a.poll(5000, zmq.POLLIN | zmq.POLLOUT) == zmq.POLLIN | zmq.POLLOUT


def test_socket_poll_none_blocks_until_message(pair):
    a, b = pair
    t = threading.Timer(0.05, b.send, args=(b"x",))
    t.start()
    try:
        assert a.poll(None) == zmq.POLLIN
    finally:
        t.join(10)


def test_socket_poll_on_closed_socket_is_enotsup(socket):
    s = socket(zmq.PAIR)
    s.close()
    with pytest.raises(zmq.ZMQError) as exc:
        s.poll(0)
    assert exc.value.errno == zmq.ENOTSUP


def test_poll_constants():
    assert zmq.POLLIN == 1
    assert zmq.POLLOUT == 2
    assert zmq.POLLERR == 4
