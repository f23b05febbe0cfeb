"""Socket: creation, endpoints, lifetime, send/recv variants and error reporting."""

import errno
import gc
import threading
import time
import warnings

import pytest

import zmq


def drain_sub_until(pub, sub, probe, timeout=5.0):
    """Publish probe until the subscription has propagated and sub receives it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pub.send(probe)
        if sub.poll(20):
            assert sub.recv() == probe
            # drop any duplicate probes still in flight
            while sub.poll(20):
                assert sub.recv() == probe
            return
    pytest.fail("subscription never became active")


# --- creation ----------------------------------------------------------------------------


def test_ctx_socket_type_and_closed(socket):
    s = socket(zmq.PUSH)
    assert isinstance(s, zmq.Socket)
    assert not s.closed
    assert s.type == zmq.PUSH
    assert isinstance(s.type, zmq.SocketType)


@pytest.mark.parametrize(
    "socket_type",
    [zmq.PAIR, zmq.PUB, zmq.SUB, zmq.REQ, zmq.REP, zmq.DEALER, zmq.ROUTER,
     zmq.PULL, zmq.PUSH, zmq.XPUB, zmq.XSUB, zmq.STREAM],
)
def test_all_stable_socket_types(socket, socket_type):
    s = socket(socket_type)
    assert s.type == socket_type
    assert s.getsockopt(zmq.TYPE) == int(socket_type)


def test_socket_constructor_directly(ctx):
    s = zmq.Socket(ctx, zmq.DEALER)
    try:
        s.linger = 0
        assert s.context is ctx
        assert s.type == zmq.DEALER
    finally:
        # sockets made this way are not tracked by the context, so close explicitly
        s.close()
    assert s.closed


def test_socket_constructor_copy_threshold_keyword(ctx):
    s = zmq.Socket(ctx, zmq.PAIR, copy_threshold=123)
    try:
        assert s.copy_threshold == 123
    finally:
        s.close(linger=0)


def test_socket_constructor_requires_context():
    with pytest.raises(TypeError):
        zmq.Socket()
    with pytest.raises(TypeError):
        zmq.Socket(None, zmq.PAIR)


def test_socket_type_attribute_is_deprecated_alias(socket):
    s = socket(zmq.REQ)
    with pytest.warns(DeprecationWarning):
        value = s.socket_type
    assert value == zmq.REQ


def test_type_is_still_readable_after_close(socket):
    s = socket(zmq.ROUTER)
    s.close()
    assert s.type == zmq.ROUTER


def test_repr(socket):
    s = socket(zmq.DEALER)
    text = repr(s)
    assert "zmq.Socket" in text
    assert "zmq.DEALER" in text
    s.close()
    assert "closed" in repr(s)


def test_fd_and_fileno_are_ints(socket):
    s = socket(zmq.PAIR)
    assert type(s.FD) is int
    assert type(s.fileno()) is int
    assert s.fileno() == s.FD == s.getsockopt(zmq.FD)
    assert s.fileno() >= 0


def test_underlying_is_int(socket):
    s = socket(zmq.PAIR)
    assert type(s.underlying) is int
    assert s.underlying != 0


# --- shadow --------------------------------------------------------------------------------


def test_shadow_from_address(pair):
    a, b = pair
    b.rcvtimeo = 2000
    shadow = zmq.Socket.shadow(a.underlying)
    assert isinstance(shadow, zmq.Socket)
    assert shadow.underlying == a.underlying
    assert shadow.type == zmq.PAIR
    shadow.send(b"via shadow")
    assert b.recv() == b"via shadow"


def test_shadow_forms(pair):
    a, _ = pair
    assert zmq.Socket(shadow=a.underlying).underlying == a.underlying
    assert zmq.Socket.shadow(a).underlying == a.underlying
    assert zmq.Socket(a).underlying == a.underlying


def test_discarding_shadow_leaves_original_open(pair):
    a, b = pair
    b.rcvtimeo = 2000
    shadow = zmq.Socket.shadow(a.underlying)
    del shadow
    gc.collect()
    assert not a.closed
    a.send(b"still open")
    assert b.recv() == b"still open"


def test_shadow_subclass(pair):
    class Sub(zmq.Socket):
        pass

    a, _ = pair
    assert type(Sub.shadow(a.underlying)) is Sub


def test_shadow_of_non_int():
    with pytest.raises(ValueError):
        zmq.Socket.shadow("nope")


# --- bind / connect / unbind / disconnect ----------------------------------------------------


def test_inproc_bind_connect(socket):
    a = socket(zmq.PAIR)
    b = socket(zmq.PAIR)
    a.bind("inproc://sock-bind-connect")
    b.connect("inproc://sock-bind-connect")
    b.rcvtimeo = 2000
    a.send(b"ping")
    assert b.recv() == b"ping"


def test_inproc_connect_before_bind(socket):
    b = socket(zmq.PAIR)
    b.connect("inproc://sock-connect-first")
    a = socket(zmq.PAIR)
    a.bind("inproc://sock-connect-first")
    b.rcvtimeo = 2000
    a.send(b"late bind")
    assert b.recv() == b"late bind"


def test_tcp_bind_wildcard_port(socket):
    a = socket(zmq.PAIR)
    a.bind("tcp://127.0.0.1:*")
    endpoint = a.last_endpoint
    assert endpoint.startswith(b"tcp://127.0.0.1:")
    port = int(endpoint.rsplit(b":", 1)[1])
    b = socket(zmq.PAIR)
    b.connect(f"tcp://127.0.0.1:{port}")
    b.rcvtimeo = 5000
    a.send(b"over tcp")
    assert b.recv() == b"over tcp"


def test_unbind_inproc_frees_name(socket):
    a = socket(zmq.PAIR)
    a.bind("inproc://sock-unbind")
    a.unbind("inproc://sock-unbind")
    other = socket(zmq.PAIR)
    other.bind("inproc://sock-unbind")


def test_unbind_tcp_by_last_endpoint(socket):
    a = socket(zmq.PAIR)
    a.bind("tcp://127.0.0.1:*")
    a.unbind(a.last_endpoint.decode())
    with pytest.raises(zmq.ZMQError) as info:
        a.unbind(a.last_endpoint.decode())
    assert info.value.errno == errno.ENOENT


def test_unbind_not_bound_is_enoent(socket):
    s = socket(zmq.PAIR)
    with pytest.raises(zmq.ZMQError) as info:
        s.unbind("inproc://sock-never-bound")
    assert info.value.errno == errno.ENOENT


def test_disconnect(socket):
    a = socket(zmq.PAIR)
    a.bind("inproc://sock-disconnect")
    b = socket(zmq.PAIR)
    b.connect("inproc://sock-disconnect")
    b.disconnect("inproc://sock-disconnect")
    with pytest.raises(zmq.ZMQError) as info:
        b.disconnect("inproc://sock-disconnect")
    assert info.value.errno == errno.ENOENT


def test_bind_inproc_name_in_use(socket):
    a = socket(zmq.PAIR)
    a.bind("inproc://sock-in-use")
    b = socket(zmq.PAIR)
    with pytest.raises(zmq.ZMQError) as info:
        b.bind("inproc://sock-in-use")
    assert info.value.errno == errno.EADDRINUSE
    assert str(info.value) == zmq.strerror(errno.EADDRINUSE) + " (addr='inproc://sock-in-use')"


def test_bind_tcp_port_in_use(socket):
    a = socket(zmq.PAIR)
    port = a.bind_to_random_port("tcp://127.0.0.1")
    b = socket(zmq.PAIR)
    addr = f"tcp://127.0.0.1:{port}"
    with pytest.raises(zmq.ZMQError) as info:
        b.bind(addr)
    assert info.value.errno == errno.EADDRINUSE
    assert repr(addr) in str(info.value)


@pytest.mark.parametrize("method", ["bind", "connect"])
@pytest.mark.parametrize(
    "addr, code",
    [
        ("foo", errno.EINVAL),
        ("tcp://", errno.EINVAL),
        ("tcp://127.0.0.1", errno.EINVAL),
        ("tcp://127.0.0.1:notaport", errno.EINVAL),
        ("inproc://", errno.EINVAL),
        ("", errno.EINVAL),
        ("nosuch://x", errno.EPROTONOSUPPORT),
    ],
)
def test_malformed_endpoints(socket, method, addr, code):
    s = socket(zmq.PAIR)
    with pytest.raises(zmq.ZMQError) as info:
        getattr(s, method)(addr)
    assert type(info.value) is zmq.ZMQError
    assert info.value.errno == code
    # the message names the offending endpoint
    assert str(info.value) == f"{zmq.strerror(code)} (addr={addr!r})"


@pytest.mark.parametrize("method", ["bind", "connect", "unbind", "disconnect"])
def test_endpoint_must_be_str(socket, method):
    s = socket(zmq.PAIR)
    with pytest.raises(TypeError):
        getattr(s, method)(5)


def test_bind_as_context_manager_unbinds(socket):
    s = socket(zmq.PAIR)
    with s.bind("inproc://sock-bind-cm") as entered:
        assert entered is s
        other = socket(zmq.PAIR)
        with pytest.raises(zmq.ZMQError):
            other.bind("inproc://sock-bind-cm")
    # the name is free again after the block
    other.bind("inproc://sock-bind-cm")
    with pytest.raises(zmq.ZMQError) as info:
        s.unbind("inproc://sock-bind-cm")
    assert info.value.errno == errno.ENOENT


def test_connect_as_context_manager_disconnects(socket):
    a = socket(zmq.PAIR)
    a.bind("inproc://sock-connect-cm")
    b = socket(zmq.PAIR)
    with b.connect("inproc://sock-connect-cm") as entered:
        assert entered is b
    with pytest.raises(zmq.ZMQError) as info:
        b.disconnect("inproc://sock-connect-cm")
    assert info.value.errno == errno.ENOENT


# --- bind_to_random_port ----------------------------------------------------------------------


def test_bind_to_random_port_default(socket):
    s = socket(zmq.PAIR)
    port = s.bind_to_random_port("tcp://127.0.0.1")
    assert type(port) is int
    assert 0 < port < 65536
    assert s.last_endpoint == f"tcp://127.0.0.1:{port}".encode()


def test_bind_to_random_port_in_range(socket):
    s = socket(zmq.PAIR)
    port = s.bind_to_random_port("tcp://127.0.0.1", min_port=41000, max_port=41100, max_tries=100)
    assert type(port) is int
    assert 41000 <= port < 41100


def test_bind_to_random_port_connectable(socket):
    a = socket(zmq.PAIR)
    port = a.bind_to_random_port("tcp://127.0.0.1", min_port=42000, max_port=42500)
    b = socket(zmq.PAIR)
    b.connect(f"tcp://127.0.0.1:{port}")
    b.rcvtimeo = 5000
    a.send(b"random port")
    assert b.recv() == b"random port"


def test_bind_to_random_port_all_taken(socket):
    blocker = socket(zmq.PAIR)
    port = blocker.bind_to_random_port("tcp://127.0.0.1", min_port=43000, max_port=43500)
    s = socket(zmq.PAIR)
    with pytest.raises(zmq.ZMQBindError) as info:
        # max_port is exclusive: the only candidate is the occupied port
        s.bind_to_random_port("tcp://127.0.0.1", min_port=port, max_port=port + 1, max_tries=5)
    assert not isinstance(info.value, zmq.ZMQError)
    assert str(info.value) == "Could not bind socket to random port."


def test_bind_to_random_port_zero_tries(socket):
    s = socket(zmq.PAIR)
    with pytest.raises(zmq.ZMQBindError):
        s.bind_to_random_port("tcp://127.0.0.1", min_port=44000, max_port=44100, max_tries=0)


@pytest.mark.parametrize("min_port, max_port", [(45000, 44000), (45000, 45000)])
def test_bind_to_random_port_empty_range(socket, min_port, max_port):
    s = socket(zmq.PAIR)
    with pytest.raises(ValueError):
        s.bind_to_random_port("tcp://127.0.0.1", min_port=min_port, max_port=max_port)


def test_bind_to_random_port_bad_address(socket):
    s = socket(zmq.PAIR)
    with pytest.raises(zmq.ZMQError) as info:
        s.bind_to_random_port("nosuch://127.0.0.1", min_port=46000, max_port=46010)
    assert info.value.errno == errno.EPROTONOSUPPORT


# --- close / context manager ----------------------------------------------------------------------


def test_close(socket):
    s = socket(zmq.PAIR)
    s.close()
    assert s.closed


def test_close_twice_is_harmless(socket):
    s = socket(zmq.PAIR)
    s.close()
    s.close()
    assert s.closed


def test_close_with_linger(ctx):
    s = ctx.socket(zmq.PUSH)
    s.connect("tcp://127.0.0.1:1")
    s.send(b"undeliverable", zmq.NOBLOCK)
    s.close(linger=0)
    assert s.closed
    # the pending message does not hold up termination
    t = threading.Thread(target=ctx.term, daemon=True)
    t.start()
    t.join(10)
    assert not t.is_alive()


def test_socket_context_manager(ctx):
    with ctx.socket(zmq.PAIR) as s:
        s.linger = 0
        assert not s.closed
    assert s.closed


def test_garbage_collected_socket_is_closed(ctx):
    import weakref

    s = ctx.socket(zmq.PAIR)
    s.linger = 0
    ref = weakref.ref(s)
    with warnings.catch_warnings():
        # a recorded warning would hold a reference to the socket
        warnings.simplefilter("ignore", ResourceWarning)
        del s
        gc.collect()
    assert ref() is None
    # ctx teardown would hang if the socket were still open


@pytest.mark.parametrize(
    "operation",
    [
        lambda s: s.send(b"x"),
        lambda s: s.recv(),
        lambda s: s.recv(zmq.NOBLOCK),
        lambda s: s.send_multipart([b"a", b"b"]),
        lambda s: s.recv_multipart(),
        lambda s: s.send_string("x"),
        lambda s: s.recv_string(),
        lambda s: s.recv_into(bytearray(4)),
        lambda s: s.bind("inproc://sock-closed-bind"),
        lambda s: s.connect("inproc://sock-closed-connect"),
        lambda s: s.getsockopt(zmq.LINGER),
        lambda s: s.setsockopt(zmq.LINGER, 0),
        lambda s: s.linger,
        lambda s: s.subscribe(b""),
        lambda s: s.fileno(),
        lambda s: s.FD,
    ],
    ids=[
        "send", "recv", "recv-noblock", "send_multipart", "recv_multipart", "send_string",
        "recv_string", "recv_into", "bind", "connect", "getsockopt", "setsockopt",
        "attr-get", "subscribe", "fileno", "FD",
    ],
)
def test_operations_on_closed_socket_raise_enotsock(socket, operation):
    s = socket(zmq.PAIR)
    s.close()
    with pytest.raises(zmq.ZMQError) as info:
        operation(s)
    assert type(info.value) is zmq.ZMQError
    assert info.value.errno == errno.ENOTSOCK


def test_bind_on_closed_socket_message_names_endpoint(socket):
    s = socket(zmq.PAIR)
    s.close()
    with pytest.raises(zmq.ZMQError) as info:
        s.bind("inproc://sock-closed-msg")
    assert str(info.value) == zmq.strerror(errno.ENOTSOCK) + " (addr='inproc://sock-closed-msg')"


def test_poll_on_closed_socket_is_enotsup(socket):
    s = socket(zmq.PAIR)
    s.close()
    with pytest.raises(zmq.ZMQError) as info:
        s.poll(0)
    assert info.value.errno == errno.ENOTSUP


# --- copy_threshold ------------------------------------------------------------------------------


def test_copy_threshold_default_and_settable(socket):
    s = socket(zmq.PAIR)
    assert s.copy_threshold == zmq.COPY_THRESHOLD
    s.copy_threshold = 10
    assert s.copy_threshold == 10


# --- subscribe ------------------------------------------------------------------------------------


def test_subscribe_filters_by_prefix(socket):
    pub = socket(zmq.PUB)
    sub = socket(zmq.SUB)
    pub.bind("inproc://sock-subscribe")
    sub.connect("inproc://sock-subscribe")
    sub.subscribe("top")
    sub.subscribe(b"bin")
    drain_sub_until(pub, sub, b"top-probe")
    for message in [b"topic", b"other", b"binary", b"to", b"top"]:
        pub.send(message)
    received = []
    while sub.poll(100):
        received.append(sub.recv())
    assert received == [b"topic", b"binary", b"top"]


def test_unsubscribe_stops_delivery(socket):
    pub = socket(zmq.PUB)
    sub = socket(zmq.SUB)
    pub.bind("inproc://sock-unsubscribe")
    sub.connect("inproc://sock-unsubscribe")
    sub.subscribe(b"a")
    sub.subscribe("b")
    drain_sub_until(pub, sub, b"a-probe")
    sub.unsubscribe("a")
    sub.unsubscribe(b"never-subscribed")  # not an error
    drain_sub_until(pub, sub, b"b-probe")
    pub.send(b"a-dropped")
    pub.send(b"b-kept")
    assert sub.poll(2000)
    assert sub.recv() == b"b-kept"
    assert not sub.poll(50)


def test_empty_subscription_receives_everything(socket):
    pub = socket(zmq.PUB)
    sub = socket(zmq.SUB)
    pub.bind("inproc://sock-subscribe-all")
    sub.connect("inproc://sock-subscribe-all")
    sub.subscribe(b"")
    drain_sub_until(pub, sub, b"probe")
    pub.send(b"\x00anything")
    assert sub.poll(2000)
    assert sub.recv() == b"\x00anything"


def test_subscribe_wrong_type(socket):
    sub = socket(zmq.SUB)
    with pytest.raises(TypeError):
        sub.subscribe(5)


def test_subscribe_on_non_sub_socket_is_einval(socket):
    s = socket(zmq.DEALER)
    with pytest.raises(zmq.ZMQError) as info:
        s.subscribe(b"x")
    assert info.value.errno == errno.EINVAL


# --- poll ---------------------------------------------------------------------------------------


def test_poll_returns_event_mask(pair):
    a, b = pair
    assert b.poll(0) == 0
    assert type(b.poll(0)) is int
    assert a.poll(0, zmq.POLLOUT) == zmq.POLLOUT
    a.send(b"x")
    assert b.poll(2000) == zmq.POLLIN
    assert b.poll(2000, zmq.POLLIN | zmq.POLLOUT) == zmq.POLLIN | zmq.POLLOUT
    assert b.poll(timeout=0, flags=zmq.POLLOUT) == zmq.POLLOUT
    b.recv()
    assert b.poll(0) == 0


def test_poll_unconnected_socket(socket):
    s = socket(zmq.PAIR)
    assert s.poll(0, zmq.POLLIN | zmq.POLLOUT) == 0


def test_events_option(pair):
    a, b = pair
    assert b.events & zmq.POLLIN == 0
    a.send(b"x")
    assert b.poll(2000)
    assert b.events & zmq.POLLIN
    assert b.getsockopt(zmq.EVENTS) & zmq.POLLIN


# --- send / recv ------------------------------------------------------------------------------------


def test_send_recv_bytes(pair):
    a, b = pair
    b.rcvtimeo = 2000
    assert a.send(b"payload") is None
    msg = b.recv()
    assert msg == b"payload"
    assert type(msg) is bytes


@pytest.mark.parametrize("data", [bytearray(b"ba"), memoryview(b"mv"), b"", b"\x00" * 100000])
def test_send_buffer_types(pair, data):
    a, b = pair
    b.rcvtimeo = 2000
    a.send(data)
    assert b.recv() == bytes(data)


def test_send_frame(pair):
    a, b = pair
    b.rcvtimeo = 2000
    a.send(zmq.Frame(b"framed"))
    assert b.recv() == b"framed"


def test_recv_noblock_on_empty_raises_again(pair):
    _, b = pair
    with pytest.raises(zmq.Again):
        b.recv(zmq.NOBLOCK)
    with pytest.raises(zmq.Again):
        b.recv(flags=zmq.DONTWAIT)


def test_send_noblock_without_peer_raises_again(socket):
    s = socket(zmq.PUSH)
    with pytest.raises(zmq.Again):
        s.send(b"x", zmq.NOBLOCK)


def test_recv_copy_false_returns_frame(pair):
    a, b = pair
    b.rcvtimeo = 2000
    a.send(b"as frame")
    frame = b.recv(copy=False)
    assert isinstance(frame, zmq.Frame)
    assert frame.bytes == b"as frame"
    assert bytes(frame) == b"as frame"


def test_send_track(pair):
    a, b = pair
    b.rcvtimeo = 2000
    big = b"x" * (zmq.COPY_THRESHOLD * 2)
    tracker = a.send(big, copy=False, track=True)
    assert isinstance(tracker, zmq.MessageTracker)
    assert b.recv() == big
    tracker.wait(5)
    assert tracker.done


def test_send_track_ignored_when_copying(pair):
    a, b = pair
    b.rcvtimeo = 2000
    assert a.send(b"copied", track=True) is None
    assert b.recv() == b"copied"
    assert a.send(b"y" * (zmq.COPY_THRESHOLD * 2), copy=False) is None
    b.recv()


@pytest.mark.parametrize("value", ["text", 5, None, 1.5])
def test_send_non_buffer_is_type_error(pair, value):
    a, b = pair
    with pytest.raises(TypeError):
        a.send(value)
    with pytest.raises(zmq.Again):
        b.recv(zmq.NOBLOCK)


def test_send_str_message_mentions_send_string(pair):
    a, _ = pair
    with pytest.raises(TypeError, match="send_string"):
        a.send("text")


# --- send_string / recv_string ------------------------------------------------------------------------


def test_send_string_default_utf8(pair):
    a, b = pair
    b.rcvtimeo = 2000
    a.send_string("h\u00e9llo \u2603")
    assert b.recv() == "h\u00e9llo \u2603".encode("utf-8")
    a.send_string("h\u00e9llo \u2603")
    result = b.recv_string()
    assert result == "h\u00e9llo \u2603"
    assert type(result) is str


def test_send_string_encoding(pair):
    a, b = pair
    b.rcvtimeo = 2000
    a.send_string("h\u00e9", encoding="latin-1")
    assert b.recv() == b"h\xe9"
    a.send_string("h\u00e9", encoding="utf-16")
    assert b.recv_string(encoding="utf-16") == "h\u00e9"


def test_send_string_rejects_bytes(pair):
    a, _ = pair
    with pytest.raises(TypeError):
        a.send_string(b"bytes")


def test_recv_string_undecodable_consumes_message(pair):
    a, b = pair
    b.rcvtimeo = 2000
    a.send(b"\xff\xfe")
    a.send(b"next")
    with pytest.raises(UnicodeDecodeError):
        b.recv_string()
    assert b.recv() == b"next"


# --- recv_into ------------------------------------------------------------------------------------------


def test_recv_into_exact(pair):
    a, b = pair
    b.rcvtimeo = 2000
    a.send(b"abc")
    buf = bytearray(10)
    n = b.recv_into(buf)
    assert n == 3
    assert buf == b"abc" + b"\x00" * 7


def test_recv_into_truncates_but_reports_full_size(pair):
    a, b = pair
    b.rcvtimeo = 2000
    a.send(b"0123456789")
    buf = bytearray(4)
    n = b.recv_into(buf)
    assert n == 10
    assert buf == b"0123"


def test_recv_into_nbytes_limits_write(pair):
    a, b = pair
    b.rcvtimeo = 2000
    a.send(b"abcdef")
    buf = bytearray(10)
    n = b.recv_into(buf, nbytes=2)
    assert n == 6
    assert buf == b"ab" + b"\x00" * 8


def test_recv_into_nbytes_zero_means_whole_buffer(pair):
    a, b = pair
    b.rcvtimeo = 2000
    a.send(b"abcdef")
    buf = bytearray(10)
    assert b.recv_into(buf, nbytes=0) == 6
    assert buf[:6] == b"abcdef"


@pytest.mark.parametrize("nbytes", [11, -1])
def test_recv_into_bad_nbytes(pair, nbytes):
    _, b = pair
    with pytest.raises(ValueError):
        b.recv_into(bytearray(10), nbytes=nbytes)


def test_recv_into_memoryview_slice_and_array(pair):
    import array

    a, b = pair
    b.rcvtimeo = 2000
    a.send(b"xyz")
    buf = bytearray(8)
    assert b.recv_into(memoryview(buf)[4:]) == 3
    assert buf == b"\x00\x00\x00\x00xyz\x00"
    ints = array.array("B", [0, 0, 0])
    a.send(b"\x01\x02\x03")
    assert b.recv_into(ints) == 3
    assert list(ints) == [1, 2, 3]


def test_recv_into_empty_message(pair):
    a, b = pair
    b.rcvtimeo = 2000
    a.send(b"")
    assert b.recv_into(bytearray(3)) == 0


def test_recv_into_noblock(pair):
    _, b = pair
    with pytest.raises(zmq.Again):
        b.recv_into(bytearray(5), flags=zmq.NOBLOCK)


def test_recv_into_readonly_buffer(pair):
    _, b = pair
    with pytest.raises(BufferError):
        b.recv_into(b"readonly")


@pytest.mark.parametrize("bad", [None, "text"])
def test_recv_into_non_buffer(pair, bad):
    _, b = pair
    with pytest.raises(TypeError):
        b.recv_into(bad)


def test_recv_into_multipart_sets_rcvmore(pair):
    a, b = pair
    b.rcvtimeo = 2000
    a.send_multipart([b"one", b"two"])
    buf = bytearray(8)
    assert b.recv_into(buf) == 3
    assert b.rcvmore
    assert b.recv_into(buf) == 3
    assert not b.rcvmore


# --- after the context is terminated ---------------------------------------------------------------------


def test_blocked_recv_interrupted_by_term():
    ctx = zmq.Context()
    s = ctx.socket(zmq.PULL)
    s.linger = 0
    outcome = []

    def reader():
        try:
            s.recv()
        except BaseException as exc:  # examined below
            outcome.append(exc)
        finally:
            s.close()

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    terminator = threading.Thread(target=ctx.term, daemon=True)
    terminator.start()
    t.join(10)
    terminator.join(10)
    assert not t.is_alive() and not terminator.is_alive()
    assert len(outcome) == 1
    assert isinstance(outcome[0], zmq.ContextTerminated)


def test_operations_while_terminating_raise_context_terminated():
    ctx = zmq.Context()
    s = ctx.socket(zmq.PAIR)
    s.linger = 0
    terminator = threading.Thread(target=ctx.term, daemon=True)
    terminator.start()
    try:
        deadline = time.monotonic() + 5
        while True:
            try:
                s.recv(zmq.NOBLOCK)
            except zmq.ContextTerminated:
                break
            except zmq.Again:
                assert time.monotonic() < deadline, "termination never reached the socket"
                time.sleep(0.01)
        with pytest.raises(zmq.ContextTerminated):
            s.send(b"x", zmq.NOBLOCK)
        with pytest.raises(zmq.ContextTerminated):
            s.send_multipart([b"a", b"b"])
        with pytest.raises(zmq.ContextTerminated):
            s.poll(10)
        with pytest.raises(zmq.ContextTerminated):
            s.bind("inproc://sock-terminating")
    finally:
        s.close()
        terminator.join(10)
    assert not terminator.is_alive()
    with pytest.raises(zmq.ZMQError) as info:
        s.recv(zmq.NOBLOCK)
    assert info.value.errno == errno.ENOTSOCK
