"""Behaviours that programs written against pyzmq 27.3.0 rely on: shadow
ownership, generic aliases, attribute options on subclasses, socket_class
kwargs, copying, bind/connect context managers, mocking, monitor helpers on
asyncio sockets, ZMQStream misuse, constant aliases, green reprs, message
trackers, class locations and the exception classes raised on bad input."""

import asyncio
import copy
import gc
import inspect
import re
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import typing
import warnings
from unittest import mock

import pytest

import zmq
import zmq.asyncio

# A terminate that blocks on an unclosed socket must fail the test, not hang it.
TERM_TIMEOUT = 5.0


def term_within(context, timeout=TERM_TIMEOUT):
    """True when context.term() returned within timeout seconds."""
    t = threading.Thread(target=context.term, daemon=True)
    t.start()
    t.join(timeout)
    return not t.is_alive()


def run_async(coro, timeout=10.0):
    return asyncio.run(asyncio.wait_for(coro, timeout))


# -- 1. shadows own the libzmq socket / context they wrap ---------------------


SHADOW_KINDS = {
    "Socket.shadow": lambda s: zmq.Socket.shadow(s.underlying),
    "Socket(socket)": zmq.Socket,
    "asyncio.from_socket": zmq.asyncio.Socket.from_socket,
    "asyncio.shadow": lambda s: zmq.asyncio.Socket.shadow(s.underlying),
}


@pytest.mark.parametrize("kind", list(SHADOW_KINDS))
def test_closing_a_shadow_closes_the_libzmq_socket(kind):
    context = zmq.Context()
    owner = context.socket(zmq.PAIR)
    owner.linger = 0

    def close_shadow():
        shadow = SHADOW_KINDS[kind](owner)
        assert shadow.underlying == owner.underlying
        shadow.close()
        return shadow

    async def close_shadow_in_loop():
        return close_shadow()

    try:
        shadow = run_async(close_shadow_in_loop()) if kind.startswith("asyncio") else close_shadow()
        assert shadow.closed
        assert owner.closed
        with pytest.raises(zmq.ZMQError) as info:
            owner.getsockopt(zmq.TYPE)
        assert info.value.errno == zmq.ENOTSOCK
    finally:
        terminated = term_within(context)
        if not terminated:
            # Unblock the stuck term so the rest of the session can go on.
            owner.close(linger=0)
    assert terminated, "ctx.term() blocked: closing the shadow left the libzmq socket open"


def test_collected_shadow_leaves_socket_open(ctx):
    owner = ctx.socket(zmq.PAIR)
    shadow = zmq.Socket.shadow(owner.underlying)
    del shadow
    gc.collect()
    assert not owner.closed
    assert owner.getsockopt(zmq.TYPE) == zmq.PAIR


def test_collected_unclosed_socket_is_closed_while_warnings_are_recorded():
    # Recording keeps the warned-about socket alive (as the warning's source),
    # which pytest itself does around every test.
    context = zmq.Context()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        s = context.socket(zmq.PAIR)
        del s
        gc.collect()
        assert any(issubclass(w.category, ResourceWarning) for w in caught)
        terminated = term_within(context)
        if not terminated:
            caught.clear()
            gc.collect()
            term_within(context)
    assert terminated, "ctx.term() blocked on a garbage-collected socket"


def test_shadow_context_term_terminates_libzmq_context():
    context = zmq.Context()
    s = context.socket(zmq.PULL)
    s.linger = 0
    errnos = []

    def blocked_recv():
        try:
            s.recv()
        except zmq.ZMQError as e:
            errnos.append(e.errno)
        s.close()

    receiver = threading.Thread(target=blocked_recv, daemon=True)
    receiver.start()
    time.sleep(0.1)
    shadow = zmq.Context.shadow(context.underlying)
    assert term_within(shadow)
    receiver.join(TERM_TIMEOUT)
    assert errnos == [zmq.ETERM]
    assert shadow.closed


# -- 2. generic aliases -------------------------------------------------------


def test_sync_classes_are_subscriptable():
    alias = zmq.Context[zmq.Socket]
    assert typing.get_origin(alias) is zmq.Context
    assert typing.get_args(alias) == (zmq.Socket,)
    assert typing.get_origin(zmq.Socket[bytes]) is zmq.Socket
    assert typing.get_args(zmq.Socket[bytes]) == (bytes,)
    assert typing.get_args(zmq.Context[zmq.Socket[bytes]]) == (zmq.Socket[bytes],)
    c = zmq.Context[zmq.Socket]()
    try:
        assert type(c) is zmq.Context
    finally:
        c.term()


def test_sync_aliases():
    assert typing.get_origin(zmq.SyncContext) is zmq.Context
    assert typing.get_args(zmq.SyncContext) == (zmq.Socket[bytes],)
    assert typing.get_origin(zmq.SyncSocket) is zmq.Socket
    assert typing.get_args(zmq.SyncSocket) == (bytes,)


@pytest.mark.parametrize("cls", [zmq.asyncio.Context, zmq.asyncio.Socket], ids=["Context", "Socket"])
def test_asyncio_classes_are_not_generic(cls):
    with pytest.raises(TypeError):
        cls[bytes]


# -- 3. attribute options and subclass attributes -----------------------------


class AnnotatedSocket(zmq.Socket):
    started: bool
    klass_attr = 1

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.started = True

    @property
    def prop(self):
        return self.__dict__["_prop"]

    @prop.setter
    def prop(self, value):
        self.__dict__["_prop"] = value

    def method(self):
        return "method"


class AnnotatedContext(zmq.Context):
    tag: str

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.tag = "t"


def test_socket_subclass_attributes_can_be_assigned(ctx):
    s = ctx.socket(zmq.PAIR, socket_class=AnnotatedSocket)
    s.linger = 0
    assert s.started is True
    s.started = False
    assert s.started is False
    s.klass_attr = 5
    assert s.klass_attr == 5
    assert AnnotatedSocket.klass_attr == 1
    s.prop = 7
    assert s.prop == 7
    s.method = 9
    assert s.method == 9


def test_context_subclass_annotation_can_be_assigned():
    c = AnnotatedContext()
    try:
        assert c.tag == "t"
    finally:
        c.term()


@pytest.mark.parametrize("name, upper", [("FOO", "FOO"), ("foo", "FOO"), ("linger_x", "LINGER_X")])
def test_unknown_socket_attribute_message(ctx, name, upper):
    plain = ctx.socket(zmq.PAIR)
    sub = ctx.socket(zmq.PAIR, socket_class=AnnotatedSocket)
    for obj, cls_name in ((plain, "Socket"), (sub, "AnnotatedSocket")):
        # Reading names the attribute; pyzmq words it as for setting, which
        # needs a __getattr__ hook this package avoids for speed (README).
        with pytest.raises(AttributeError, match=name):
            getattr(obj, name)
        with pytest.raises(AttributeError, match=f"^{cls_name} has no such option: {upper}$"):
            setattr(obj, name, 1)


def test_unknown_context_attribute_message(ctx):
    with pytest.raises(AttributeError, match="FOO"):
        ctx.FOO
    with pytest.raises(AttributeError, match="^Context has no such option: BOGUS$"):
        ctx.bogus = 1
    c = AnnotatedContext()
    try:
        with pytest.raises(AttributeError, match="foo"):
            c.foo
        with pytest.raises(AttributeError, match="^AnnotatedContext has no such option: FOO$"):
            c.foo = 1
    finally:
        c.term()


def test_option_attributes(ctx):
    s = ctx.socket(zmq.PAIR)
    s.linger = 0
    assert s.LINGER == 0
    s.LINGER = 10
    assert s.linger == 10
    s.linger = 0


def test_context_option_attributes(ctx):
    ctx.linger = 5
    assert ctx.linger == 5
    assert ctx.LINGER == 5
    s = ctx.socket(zmq.PAIR)
    assert s.linger == 5
    s.linger = 0
    assert ctx.io_threads == 1
    assert ctx.IO_THREADS == 1
    ctx.io_threads = 2
    assert ctx.io_threads == 2


def _recv_matching(pub, sub, skip, match):
    """Publish skip then match until the subscriber gets something; subscriptions
    reach the publisher asynchronously."""
    for _ in range(200):
        pub.send(skip)
        pub.send(match)
        if sub.poll(25):
            return sub.recv()
    raise AssertionError("nothing received")


def test_subscribe_and_unsubscribe_attributes(socket):
    pub = socket(zmq.PUB)
    sub = socket(zmq.SUB)
    port = pub.bind_to_random_port("tcp://127.0.0.1")
    sub.connect(f"tcp://127.0.0.1:{port}")
    sub.subscribe = b"x"
    assert "subscribe" not in sub.__dict__
    assert callable(sub.subscribe)
    assert _recv_matching(pub, sub, b"y-before", b"x-before") == b"x-before"
    while sub.poll(50):
        sub.recv()
    sub.unsubscribe = b"x"
    sub.subscribe = b"y"
    assert _recv_matching(pub, sub, b"x-skip", b"y-match").startswith(b"y")
    while sub.poll(50):
        sub.recv()
    pub.send(b"x-after")
    pub.send(b"y-after")
    assert sub.recv() == b"y-after"


# -- 4. subclasses with their own constructor arguments -----------------------


class NamedContext(zmq.Context):
    name: str

    def __init__(self, name, **kwargs):
        super().__init__(**kwargs)
        self.name = name


class ExtraSocket(zmq.Socket):
    extra: object

    def __init__(self, ctx, socket_type, extra):
        super().__init__(ctx, socket_type)
        self.extra = extra


def test_context_subclass_with_own_arguments():
    c = NamedContext("n1", io_threads=2)
    try:
        assert c.name == "n1"
        assert c.io_threads == 2
    finally:
        c.term()


def test_socket_class_receives_extra_kwargs(ctx):
    s = ctx.socket(zmq.PAIR, socket_class=ExtraSocket, extra="E")
    s.linger = 0
    assert type(s) is ExtraSocket
    assert s.extra == "E"
    with pytest.raises(TypeError):
        ctx.socket(zmq.PAIR, ExtraSocket, "E")


def test_context_socket_class_attribute_receives_kwargs():
    class ExtraContext(zmq.Context):
        _socket_class = ExtraSocket

    c = ExtraContext()
    try:
        s = c.socket(zmq.PAIR, extra="z")
        assert type(s) is ExtraSocket
        assert s.extra == "z"
        s.close(linger=0)
    finally:
        c.term()


# -- 5. copies are shadows ----------------------------------------------------


class PlainSubSocket(zmq.Socket):
    pass


class PlainSubContext(zmq.Context):
    pass


def _subclassed_pair():
    c = PlainSubContext()
    return c, c.socket(zmq.PAIR, socket_class=PlainSubSocket)


def _asyncio_pair():
    c = zmq.asyncio.Context()
    return c, c.socket(zmq.PAIR)


@pytest.mark.parametrize("copier", [copy.copy, copy.deepcopy])
@pytest.mark.parametrize("make", [_subclassed_pair, _asyncio_pair], ids=["subclass", "asyncio"])
def test_copy_is_a_shadow(copier, make):
    c, s = make()
    s.linger = 0
    try:
        for obj in (c, s):
            dup = copier(obj)
            assert dup is not obj
            assert type(dup) is type(obj)
            assert dup.underlying == obj.underlying
    finally:
        s.close()
        c.term()


# -- 6. bind/connect as context managers ---------------------------------------


def _bind_eventually(s, endpoint, timeout=2.0):
    # The listener is released by libzmq's I/O thread, a little after unbind.
    deadline = time.monotonic() + timeout
    while True:
        try:
            s.bind(endpoint)
            return
        except zmq.ZMQError as e:
            if e.errno != zmq.EADDRINUSE or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


@pytest.mark.parametrize("addr", ["tcp://127.0.0.1:0", "tcp://127.0.0.1:*"])
def test_bind_context_unbinds_resolved_endpoint(socket, addr):
    s = socket(zmq.PAIR)
    with s.bind(addr) as entered:
        assert entered is s
        endpoint = s.last_endpoint.decode()
        assert not endpoint.endswith((":0", ":*"))
    other = socket(zmq.PAIR)
    _bind_eventually(other, endpoint)


def test_socket_context_repr(socket):
    s = socket(zmq.PAIR)
    bound = s.bind("tcp://127.0.0.1:0")
    assert repr(bound) == f"<SocketContext(bind='{s.last_endpoint.decode()}')>"
    assert re.fullmatch(r"<SocketContext\(bind='tcp://127\.0\.0\.1:\d+'\)>", repr(bound))
    assert repr(s.bind("inproc://dropin-repr")) == "<SocketContext(bind='inproc://dropin-repr')>"
    peer = socket(zmq.PAIR)
    assert repr(peer.connect("inproc://dropin-repr")) == "<SocketContext(connect='inproc://dropin-repr')>"


# -- 7. mocking -----------------------------------------------------------------


@pytest.mark.parametrize("cls", [zmq.Socket, zmq.asyncio.Socket], ids=["sync", "asyncio"])
def test_mock_with_socket_spec(cls):
    m = mock.Mock(spec=cls)
    assert isinstance(m, cls)
    m.send(b"x")
    m.recv()
    m.setsockopt(zmq.LINGER, 0)
    m.bind("tcp://127.0.0.1:5555")
    m.close()
    m.send.assert_called_once_with(b"x")
    with pytest.raises(AttributeError):
        m.bogus_attr


@pytest.mark.parametrize("cls", [zmq.Context, zmq.asyncio.Context], ids=["sync", "asyncio"])
def test_mock_with_context_spec(cls):
    m = mock.Mock(spec=cls)
    assert isinstance(m, cls)
    m.socket(zmq.PAIR)
    m.term()
    m.destroy()
    m.socket.assert_called_once_with(zmq.PAIR)


@pytest.mark.parametrize("cls", [zmq.Socket, zmq.asyncio.Socket], ids=["sync", "asyncio"])
def test_autospec_socket(cls):
    m = mock.create_autospec(cls, instance=True)
    m.send(b"x")
    m.send.assert_called_once_with(b"x")
    m.recv_multipart(copy=False)
    m.recv_multipart.assert_called_once_with(copy=False)


def test_autospec_async_socket_checks_call_signatures():
    # The sync Socket's send is compiled, and autospec checks the arguments of
    # Python functions only (README: differences).
    m = mock.create_autospec(zmq.asyncio.Socket, instance=True)
    with pytest.raises(TypeError):
        m.send(1, 2, 3, 4, 5, 6, 7)


@pytest.mark.parametrize("cls", [zmq.Context, zmq.asyncio.Context], ids=["sync", "asyncio"])
def test_autospec_context_checks_call_signatures(cls):
    m = mock.create_autospec(cls, instance=True)
    m.socket(zmq.PAIR)
    with pytest.raises(TypeError):
        m.socket(1, 2, 3, 4, 5)


def test_magicmock_spec_supports_with():
    m = mock.MagicMock(spec=zmq.Socket)
    with m:
        pass


# -- 8. monitor helpers -------------------------------------------------------


def test_recv_monitor_message_plain_socket(socket):
    from zmq.utils.monitor import recv_monitor_message

    s = socket(zmq.PAIR)
    mon = s.get_monitor_socket()
    s.bind("tcp://127.0.0.1:0")
    assert mon.poll(5000)
    event = recv_monitor_message(mon)
    assert type(event) is dict
    assert set(event) == {"event", "value", "endpoint"}
    assert event["event"] == zmq.Event.LISTENING
    assert isinstance(event["event"], zmq.Event)
    assert event["endpoint"] == s.last_endpoint


def test_recv_monitor_message_asyncio_socket():
    from zmq.utils.monitor import recv_monitor_message

    async def main():
        c = zmq.asyncio.Context()
        s = c.socket(zmq.PAIR)
        s.linger = 0
        mon = s.get_monitor_socket()
        try:
            assert isinstance(mon, zmq.asyncio.Socket)
            s.bind("tcp://127.0.0.1:0")
            pending = recv_monitor_message(mon)
            assert inspect.isawaitable(pending)
            event = await pending
            assert type(event) is dict
            assert set(event) == {"event", "value", "endpoint"}
            assert event["event"] == zmq.Event.LISTENING
            assert event["endpoint"] == s.last_endpoint
            with pytest.raises(zmq.Again):
                await recv_monitor_message(mon, flags=zmq.NOBLOCK)
        finally:
            mon.close(linger=0)
            s.close()
            c.term()

    run_async(main())


# -- 9. misuse warnings and errors ------------------------------------------


def _with_stream(body):
    pytest.importorskip("tornado")
    from zmq.eventloop.zmqstream import ZMQStream

    async def main():
        c = zmq.Context()
        s = c.socket(zmq.PAIR)
        s.linger = 0
        stream = ZMQStream(s)
        try:
            await body(stream, s)
        finally:
            if not s.closed:
                s.close()
            c.term()

    # A fresh loop each time: a closed socket's fd number is reused by the next one.
    run_async(main())


@pytest.mark.parametrize("method", ["on_recv", "on_send"])
def test_zmqstream_rejects_non_callable(method):
    async def body(stream, s):
        for bad in (5, "x"):
            with pytest.raises(AssertionError):
                getattr(stream, method)(bad)
        stream.close()

    _with_stream(body)


@pytest.mark.parametrize("call", ["closed", "close"])
def test_zmqstream_warns_after_socket_closed(call):
    async def body(stream, s):
        stream.on_recv(lambda msg: None)
        await asyncio.sleep(0.01)
        s.close()
        with pytest.warns(UserWarning, match=r"^Unregistering FD \d+ after closing socket\."):
            result = getattr(stream, call)()
        if call == "closed":
            assert result is True
        assert stream.closed()

    _with_stream(body)


def test_zmqstream_send_after_socket_closed_raises():
    async def body(stream, s):
        s.close()
        with pytest.raises(zmq.ZMQError) as info:
            stream.send(b"x")
        assert info.value.errno == zmq.ENOTSOCK
        with pytest.warns(UserWarning, match="after closing socket"):
            stream.close()

    _with_stream(body)


def test_context_exit_with_open_socket_warns():
    with pytest.warns(ResourceWarning, match=r"^Destroying context with unclosed socket <zmq\.Socket\(zmq\.PAIR\)"):
        with zmq.Context() as c:
            s = c.socket(zmq.PAIR)
    assert s.closed
    assert c.closed


def test_context_exit_with_closed_sockets_is_quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("error", ResourceWarning)
        with zmq.Context() as c:
            c.socket(zmq.PAIR).close()


# -- 10. constants and green reprs --------------------------------------------

EVENT_MEMBERS = {
    "CONNECTED": 1,
    "CONNECT_DELAYED": 2,
    "CONNECT_RETRIED": 4,
    "LISTENING": 8,
    "BIND_FAILED": 16,
    "ACCEPTED": 32,
    "ACCEPT_FAILED": 64,
    "CLOSED": 128,
    "CLOSE_FAILED": 256,
    "DISCONNECTED": 512,
    "MONITOR_STOPPED": 1024,
    "HANDSHAKE_FAILED_NO_DETAIL": 2048,
    "HANDSHAKE_SUCCEEDED": 4096,
    "HANDSHAKE_FAILED_PROTOCOL": 8192,
    "HANDSHAKE_FAILED_AUTH": 16384,
    "ALL": 0xFFFF,
    "ALL_V1": 0xFFFF,
    "PIPES_STATS": 0x10000,
    "ALL_V2": 0x1FFFF,
    "PROTOCOL_ERROR_ZMTP_UNSPECIFIED": 0x10000000,
    "PROTOCOL_ERROR_ZMTP_UNEXPECTED_COMMAND": 0x10000001,
    "PROTOCOL_ERROR_ZMTP_INVALID_SEQUENCE": 0x10000002,
    "PROTOCOL_ERROR_ZMTP_KEY_EXCHANGE": 0x10000003,
    "PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_UNSPECIFIED": 0x10000011,
    "PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_MESSAGE": 0x10000012,
    "PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_HELLO": 0x10000013,
    "PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_INITIATE": 0x10000014,
    "PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_ERROR": 0x10000015,
    "PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_READY": 0x10000016,
    "PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_WELCOME": 0x10000017,
    "PROTOCOL_ERROR_ZMTP_INVALID_METADATA": 0x10000018,
    "PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC": 0x11000001,
    "PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH": 0x11000002,
    "PROTOCOL_ERROR_ZAP_UNSPECIFIED": 0x20000000,
    "PROTOCOL_ERROR_ZAP_MALFORMED_REPLY": 0x20000001,
    "PROTOCOL_ERROR_ZAP_BAD_REQUEST_ID": 0x20000002,
    "PROTOCOL_ERROR_ZAP_BAD_VERSION": 0x20000003,
    "PROTOCOL_ERROR_ZAP_INVALID_STATUS_CODE": 0x20000004,
    "PROTOCOL_ERROR_ZAP_INVALID_METADATA": 0x20000005,
    "PROTOCOL_ERROR_WS_UNSPECIFIED": 0x30000000,
}


def test_event_all_v1():
    assert zmq.Event.ALL_V1 == 0xFFFF
    assert zmq.EVENT_ALL_V1 == 0xFFFF
    assert zmq.EVENT_ALL_V1 is zmq.Event.ALL_V1
    assert zmq.EVENT_ALL_V2 == 0x1FFFF


def test_event_members_and_values():
    assert {k: int(v) for k, v in zmq.Event.__members__.items()} == EVENT_MEMBERS


def test_event_alias_names():
    # ALL_V1 is the canonical name for 0xFFFF; ALL is its alias.
    aliases = {k: v.name for k, v in zmq.Event.__members__.items() if v.name != k}
    assert aliases == {"ALL": "ALL_V1"}
    assert zmq.EVENT_ALL.name == "ALL_V1"
    assert repr(zmq.Event(0xFFFF)) == "<Event.ALL_V1: 65535>"


# The green classes' names and reprs are tested in test_green.py.


# -- 11. message trackers -----------------------------------------------------

# Above the default copy threshold, so the frame is zero-copy and really tracked.
BIG = b"y" * 100_000


def test_finished_tracker():
    done = zmq._FINISHED_TRACKER
    assert isinstance(done, zmq.MessageTracker)
    assert done.done
    assert done.events == set()
    assert done.peers == set()


def test_small_tracked_frame_uses_finished_tracker():
    assert zmq.Frame(b"x", track=True).tracker is zmq._FINISHED_TRACKER
    assert zmq.Frame(b"x").tracker is None


def test_big_tracked_frame_completes_after_send(pair):
    a, b = pair
    frame = zmq.Frame(BIG, track=True)
    tracker = frame.tracker
    assert tracker is not zmq._FINISHED_TRACKER
    assert not tracker.done
    assert len(tracker.events) == 1
    with pytest.raises(zmq.NotDone):
        tracker.wait(0.01)
    a.send(frame, copy=False)
    received = b.recv(copy=False)
    assert received.bytes == BIG
    del frame, received
    gc.collect()
    tracker.wait(5)
    assert tracker.done


def test_message_tracker_construction():
    frame = zmq.Frame(BIG, track=True)
    event = threading.Event()
    tracker = zmq.MessageTracker(frame, event)
    assert not tracker.done
    assert frame.tracker in tracker.peers
    assert event in tracker.events
    with pytest.raises(zmq.NotDone):
        tracker.wait(0.01)
    with pytest.raises(ValueError):
        zmq.MessageTracker(zmq.Frame(b"x"))
    with pytest.raises(TypeError):
        zmq.MessageTracker(object())
    with pytest.raises(TypeError):
        zmq.MessageTracker(frame, "x")


def test_small_zero_copy_send_returns_finished_tracker(pair):
    a, b = pair
    assert a.send(b"small", copy=False, track=True) is zmq._FINISHED_TRACKER
    assert a.send(b"small", copy=False) is zmq._FINISHED_TRACKER
    assert a.send(b"small", track=True) is None
    for _ in range(3):
        b.recv()


def test_small_zero_copy_send_multipart_returns_finished_tracker(pair):
    a, b = pair
    assert a.send_multipart([b"a", b"b"], copy=False, track=True) is zmq._FINISHED_TRACKER
    assert b.recv_multipart() == [b"a", b"b"]


# -- 12. where classes live -------------------------------------------------------


@pytest.mark.parametrize(
    "module, name",
    [
        ("zmq.sugar.socket", "Socket"),
        ("zmq.sugar.context", "Context"),
        ("zmq.sugar.frame", "Frame"),
        ("zmq.sugar.tracker", "MessageTracker"),
        ("zmq.sugar.poll", "Poller"),
        ("zmq.sugar.stopwatch", "Stopwatch"),
    ],
)
def test_class_modules(module, name):
    import importlib

    cls = getattr(zmq, name)
    assert getattr(importlib.import_module(module), name) is cls
    assert cls.__module__ == module


def test_message_is_frame():
    assert zmq.Message is zmq.Frame


def test_recv_copy_false_type(pair):
    a, b = pair
    a.send(b"hi")
    assert type(b.recv(copy=False)) is zmq.Frame


def test_context_instance_slot():
    import zmq.sugar.context

    assert hasattr(zmq.sugar.context.Context, "_instance")


def test_backend_class_modules():
    import zmq.backend

    for name in ("Socket", "Context", "Frame"):
        assert getattr(zmq.backend, name).__module__ == "zmq.backend.cython._zmq"
    assert issubclass(zmq.Socket, zmq.backend.Socket)
    assert issubclass(zmq.Frame, zmq.backend.Frame)


# -- bad input: pyzmq's exception classes ---------------------------------------


@pytest.mark.parametrize(
    "call, exc",
    [
        (lambda: zmq.Context.shadow("x"), ValueError),
        (lambda: zmq.Socket.shadow(None), TypeError),
        (lambda: zmq.Socket.shadow("x"), ValueError),
        (lambda: zmq.Socket.shadow(0), TypeError),
        (lambda: zmq.asyncio.Socket.shadow(None), TypeError),
        (lambda: zmq.asyncio.Socket.from_socket(None), TypeError),
        (lambda: zmq.Socket(None, zmq.PAIR), TypeError),
        (lambda: zmq.Socket("x", zmq.PAIR), TypeError),
    ],
    ids=[
        "Context.shadow(str)",
        "Socket.shadow(None)",
        "Socket.shadow(str)",
        "Socket.shadow(0)",
        "asyncio.Socket.shadow(None)",
        "asyncio.Socket.from_socket(None)",
        "Socket(None)",
        "Socket(str)",
    ],
)
def test_shadow_bad_input(call, exc):
    with pytest.raises(exc):
        call()


def test_context_shadow_float_is_rejected(run_python):
    # A float truncated into a context pointer would crash later; keep it out of process.
    result = run_python(
        """
        import zmq
        try:
            zmq.Context.shadow(1.5)
        except ValueError:
            print("ValueError")
        else:
            print("accepted")
        """
    )
    assert result.stdout.strip() == "ValueError", result.stdout + result.stderr


def test_select_backend_unknown():
    from zmq.backend.select import select_backend

    with pytest.raises(ImportError):
        select_backend("nonexistent")


@pytest.mark.parametrize("value", ["x", None, 1.5, "0x10"])
def test_cast_int_addr_bad_input(value):
    from zmq.utils.interop import cast_int_addr

    with pytest.raises(ValueError):
        cast_int_addr(value)


@pytest.mark.parametrize("name", ["cast_bytes", "cast_unicode"])
@pytest.mark.parametrize("value", [123, None])
def test_strtypes_bad_input(name, value):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from zmq.utils import strtypes

        with pytest.raises(TypeError):
            getattr(strtypes, name)(value)


def test_monitored_queue_bad_input(socket):
    from zmq.backend.cython._zmq import monitored_queue

    with pytest.raises(TypeError):
        monitored_queue(1, 2, 3)
    a, b, c = (socket(zmq.PAIR) for _ in range(3))
    with pytest.raises(TypeError):
        monitored_queue(a, b, c, "str-prefix")
    with pytest.raises(TypeError):
        monitored_queue(a, b, c, b"in", "str-prefix")


def test_curve_keygen_without_arguments_prints_a_keypair():
    if not zmq.has("curve"):
        pytest.skip("libzmq without CURVE")
    result = subprocess.run(
        [sys.executable, "-m", "zmq.curve_keygen"], capture_output=True, text=True, timeout=60,
        cwd=tempfile.gettempdir(),
    )
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(
        r"== CURVE PUBLIC KEY ==\n(\S{40})\n\n== CURVE SECRET KEY ==\n(\S{40})\n", result.stdout
    ), result.stdout


# -- exit --------------------------------------------------------------------


def test_exit_with_live_contexts_is_silent():
    # ipyparallel's client exits with live contexts: the interpreter's shutdown
    # must not print anything, with warnings on (-X dev) and asyncio loaded
    # (which changes the order modules are torn down in).
    result = subprocess.run(
        [sys.executable, "-X", "dev", "-c", textwrap.dedent(
            """
            import asyncio
            import zmq, zmq.asyncio
            ctx = zmq.Context.instance()
            sock = ctx.socket(zmq.PUB)
            actx = zmq.asyncio.Context()
            asock = actx.socket(zmq.SUB)
            own = zmq.Context()
            """)],
        capture_output=True, text=True, timeout=60, cwd=tempfile.gettempdir(),
    )
    assert result.returncode == 0
    assert result.stderr == ""
