"""Context: construction, options, default socket options, lifetime, singleton, shadows."""

import errno
import gc
import os
import threading
import time
import warnings
import weakref

import pytest

import zmq


def run_in_thread(func, timeout=10):
    """Run func in a daemon thread so a hang fails the test instead of blocking it."""
    outcome = {}

    def target():
        try:
            outcome["result"] = func()
        except BaseException as exc:  # handed back to the test for assertions
            outcome["error"] = exc

    t = threading.Thread(target=target, daemon=True)
    t.start()
    t.join(timeout)
    assert not t.is_alive(), f"{func!r} did not return within {timeout}s"
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("result")


@pytest.fixture
def fresh_instance():
    """Make sure no global instance leaks into or out of the test."""
    zmq.Context.instance().destroy(linger=0)
    yield
    zmq.Context.instance().destroy(linger=0)


# --- construction ----------------------------------------------------------------------


def test_default_construction():
    ctx = zmq.Context()
    try:
        assert not ctx.closed
        assert ctx.get(zmq.IO_THREADS) == 1
        assert isinstance(ctx.underlying, int)
        assert ctx.underlying != 0
    finally:
        ctx.term()


def test_io_threads_argument():
    ctx = zmq.Context(io_threads=2)
    try:
        assert ctx.get(zmq.IO_THREADS) == 2
    finally:
        ctx.term()
    ctx = zmq.Context(3)
    try:
        assert ctx.io_threads == 3
    finally:
        ctx.term()


def test_zero_io_threads_allowed_for_inproc():
    ctx = zmq.Context(io_threads=0)
    try:
        assert ctx.get(zmq.IO_THREADS) == 0
        a = ctx.socket(zmq.PAIR)
        b = ctx.socket(zmq.PAIR)
        a.linger = b.linger = 0
        a.bind("inproc://ctx-zero-io")
        b.connect("inproc://ctx-zero-io")
        a.send(b"ok")
        b.rcvtimeo = 2000
        assert b.recv() == b"ok"
    finally:
        ctx.destroy(linger=0)


def test_negative_io_threads_is_einval():
    with pytest.raises(zmq.ZMQError) as info:
        zmq.Context(io_threads=-1)
    assert info.value.errno == errno.EINVAL


def test_io_threads_wrong_type():
    with pytest.raises(TypeError):
        zmq.Context(io_threads="two")


def test_unknown_keyword_is_type_error():
    # only io_threads and shadow are accepted; options are not keywords
    with pytest.raises(TypeError):
        zmq.Context(linger=0)
    with pytest.raises(TypeError):
        zmq.Context(max_sockets=10)


def test_repr_contains_class_name_and_state():
    ctx = zmq.Context()
    assert "zmq.Context" in repr(ctx)
    s = ctx.socket(zmq.PAIR)
    assert "1 socket" in repr(ctx)
    s.close()
    ctx.term()
    assert "closed" in repr(ctx)


# --- context options ---------------------------------------------------------------------


def test_get_default_options(ctx):
    assert ctx.get(zmq.MAX_SOCKETS) == 1023
    assert ctx.get(zmq.IPV6) == 0
    assert ctx.get(zmq.BLOCKY) == 1
    for option in [zmq.IO_THREADS, zmq.MAX_SOCKETS, zmq.SOCKET_LIMIT, zmq.MSG_T_SIZE]:
        assert type(ctx.get(option)) is int
    assert ctx.get(zmq.SOCKET_LIMIT) >= ctx.get(zmq.MAX_SOCKETS)


def test_set_and_get_options(ctx):
    ctx.set(zmq.MAX_SOCKETS, 100)
    assert ctx.get(zmq.MAX_SOCKETS) == 100
    ctx.set(zmq.IO_THREADS, 2)
    assert ctx.get(zmq.IO_THREADS) == 2
    ctx.set(zmq.IPV6, 1)
    assert ctx.get(zmq.IPV6) == 1


def test_context_option_attribute_style(ctx):
    assert ctx.io_threads == 1
    ctx.max_sockets = 50
    assert ctx.get(zmq.MAX_SOCKETS) == 50
    assert ctx.max_sockets == 50


def test_context_ipv6_applies_to_new_sockets(ctx):
    ctx.set(zmq.IPV6, 1)
    s = ctx.socket(zmq.PAIR)
    s.linger = 0
    assert s.ipv6 == 1


def test_max_sockets_is_enforced(ctx):
    ctx.set(zmq.MAX_SOCKETS, 2)
    sockets = []
    with pytest.raises(zmq.ZMQError) as info:
        for _ in range(5):
            sockets.append(ctx.socket(zmq.PAIR))
    assert len(sockets) == 2
    assert info.value.errno == errno.EMFILE


def test_get_unknown_option_is_einval(ctx):
    with pytest.raises(zmq.ZMQError) as info:
        ctx.get(9999)
    assert info.value.errno == errno.EINVAL


def test_set_unknown_option_is_einval(ctx):
    with pytest.raises(zmq.ZMQError) as info:
        ctx.set(9999, 1)
    assert info.value.errno == errno.EINVAL


def test_set_socket_option_number_via_set_is_einval(ctx):
    with pytest.raises(zmq.ZMQError) as info:
        ctx.set(zmq.LINGER, 0)
    assert info.value.errno == errno.EINVAL


def test_set_bad_value_is_einval(ctx):
    with pytest.raises(zmq.ZMQError) as info:
        ctx.set(zmq.IO_THREADS, -1)
    assert info.value.errno == errno.EINVAL


def test_set_wrong_type_is_type_error(ctx):
    with pytest.raises(TypeError):
        ctx.set(zmq.IO_THREADS, "x")
    with pytest.raises(TypeError):
        ctx.get("IO_THREADS")


def test_unknown_attribute_is_attribute_error(ctx):
    with pytest.raises(AttributeError):
        ctx.no_such_option
    with pytest.raises(AttributeError):
        ctx.no_such_option = 5


def test_options_on_terminated_context_raise_runtime_error():
    ctx = zmq.Context()
    ctx.term()
    with pytest.raises(RuntimeError):
        ctx.get(zmq.IO_THREADS)
    with pytest.raises(RuntimeError):
        ctx.set(zmq.IO_THREADS, 1)


# --- default socket options ----------------------------------------------------------------


def test_default_linger_via_attribute(ctx):
    ctx.linger = 0
    assert ctx.linger == 0
    s = ctx.socket(zmq.PAIR)
    assert s.linger == 0


def test_default_rcvtimeo_via_setsockopt(ctx):
    ctx.setsockopt(zmq.RCVTIMEO, 50)
    assert ctx.getsockopt(zmq.RCVTIMEO) == 50
    assert ctx.rcvtimeo == 50
    s = ctx.socket(zmq.PAIR)
    s.linger = 0
    assert s.rcvtimeo == 50
    s.bind("inproc://ctx-default-rcvtimeo")
    with pytest.raises(zmq.Again):
        s.recv()


def test_default_bytes_option(ctx):
    ctx.identity = b"default-id"
    s = ctx.socket(zmq.DEALER)
    s.linger = 0
    assert s.identity == b"default-id"


def test_default_options_do_not_change_existing_sockets(ctx):
    s = ctx.socket(zmq.PAIR)
    assert s.linger == -1
    ctx.linger = 0
    assert s.linger == -1
    s.linger = 0


def test_unset_default_option(ctx):
    with pytest.raises(AttributeError):
        ctx.rcvtimeo
    with pytest.raises(KeyError):
        ctx.getsockopt(zmq.SNDTIMEO)


def test_delete_default_option(ctx):
    ctx.linger = 0
    del ctx.linger
    with pytest.raises(AttributeError):
        ctx.linger
    s = ctx.socket(zmq.PAIR)
    assert s.linger == -1
    s.linger = 0


def test_inapplicable_default_is_skipped(ctx):
    # SUBSCRIBE only makes sense on SUB sockets; other types must still be creatable
    ctx.linger = 0
    ctx.setsockopt(zmq.SUBSCRIBE, b"")
    pair = ctx.socket(zmq.PAIR)
    assert pair.type == zmq.PAIR
    sub = ctx.socket(zmq.SUB)
    pub = ctx.socket(zmq.PUB)
    pub.bind("inproc://ctx-default-subscribe")
    sub.connect("inproc://ctx-default-subscribe")
    sub.rcvtimeo = 50
    # the subscription was applied: a message eventually gets through
    deadline = time.monotonic() + 5
    received = None
    while received is None and time.monotonic() < deadline:
        pub.send(b"hello")
        try:
            received = sub.recv()
        except zmq.Again:
            pass
    assert received == b"hello"


# --- socket creation ------------------------------------------------------------------------


def test_socket_returns_socket_bound_to_context(ctx):
    s = ctx.socket(zmq.PUSH)
    s.linger = 0
    assert isinstance(s, zmq.Socket)
    assert s.context is ctx
    assert s.type == zmq.PUSH


def test_socket_keyword_arguments_go_to_socket_constructor(ctx):
    s = ctx.socket(zmq.PAIR, copy_threshold=10)
    s.linger = 0
    assert s.copy_threshold == 10
    # socket options are not accepted as keywords
    with pytest.raises(TypeError):
        ctx.socket(zmq.PAIR, linger=0)


def test_socket_with_invalid_type(ctx):
    with pytest.raises(zmq.ZMQError) as info:
        ctx.socket(100)
    assert info.value.errno == errno.EINVAL


def test_socket_on_terminated_context_is_enotsup():
    ctx = zmq.Context()
    ctx.term()
    with pytest.raises(zmq.ZMQError) as info:
        ctx.socket(zmq.PAIR)
    assert info.value.errno == errno.ENOTSUP


# --- termination -------------------------------------------------------------------------------


def test_term_closes_context():
    ctx = zmq.Context()
    assert not ctx.closed
    ctx.term()
    assert ctx.closed


def test_term_twice_is_harmless():
    ctx = zmq.Context()
    ctx.term()
    ctx.term()
    ctx.destroy()
    assert ctx.closed


def test_destroy_closes_all_sockets():
    ctx = zmq.Context()
    sockets = [ctx.socket(t) for t in (zmq.PAIR, zmq.PUB, zmq.SUB, zmq.ROUTER)]
    run_in_thread(ctx.destroy)
    assert ctx.closed
    assert all(s.closed for s in sockets)


def test_destroy_with_linger_discards_pending_messages():
    ctx = zmq.Context()
    push = ctx.socket(zmq.PUSH)
    # linger stays at the infinite default, so only destroy(linger=0) lets term finish
    probe = ctx.socket(zmq.PAIR)
    probe.linger = 0
    port = probe.bind_to_random_port("tcp://127.0.0.1")
    probe.close()
    push.connect(f"tcp://127.0.0.1:{port}")
    # with no peer listening the message waits in the connect-side queue
    push.send(b"pending", zmq.NOBLOCK)
    run_in_thread(lambda: ctx.destroy(linger=0))
    assert push.closed
    assert ctx.closed


def test_socket_use_after_destroy_is_enotsock():
    ctx = zmq.Context()
    s = ctx.socket(zmq.PAIR)
    ctx.destroy(linger=0)
    with pytest.raises(zmq.ZMQError) as info:
        s.recv(zmq.NOBLOCK)
    assert info.value.errno == errno.ENOTSOCK
    assert type(info.value) is zmq.ZMQError


def test_term_waits_for_open_sockets_and_interrupts_them():
    ctx = zmq.Context()
    s = ctx.socket(zmq.PAIR)
    s.linger = 0
    s.bind("inproc://ctx-term-waits")
    terminator = threading.Thread(target=ctx.term, daemon=True)
    terminator.start()
    terminator.join(0.2)
    # term blocks while a socket is still open
    assert terminator.is_alive()
    with pytest.raises(zmq.ContextTerminated):
        s.recv()
    with pytest.raises(zmq.ContextTerminated):
        s.send(b"x")
    with pytest.raises(zmq.ContextTerminated) as info:
        s.connect("inproc://ctx-term-elsewhere")
    assert info.value.errno == zmq.ETERM
    s.close()
    terminator.join(10)
    assert not terminator.is_alive()
    assert ctx.closed


def test_context_manager_terminates():
    with zmq.Context() as ctx:
        assert not ctx.closed
        s = ctx.socket(zmq.PAIR)
        s.linger = 0
    assert ctx.closed
    assert s.closed


def test_context_manager_returns_the_context():
    ctx = zmq.Context()
    with ctx as entered:
        assert entered is ctx
    assert ctx.closed


def collect_quietly():
    # a recorded ResourceWarning would keep the collected object alive
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()


def test_garbage_collection_terminates_context():
    ctx = zmq.Context()
    ref = weakref.ref(ctx)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        del ctx
        gc.collect()
    assert ref() is None


def test_socket_keeps_context_alive():
    ctx = zmq.Context()
    ref = weakref.ref(ctx)
    s = ctx.socket(zmq.PAIR)
    s.linger = 0
    del ctx
    collect_quietly()
    assert ref() is not None
    assert s.context is ref()
    assert not ref().closed
    s.close()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        del s
        gc.collect()
    assert ref() is None


def test_unreferenced_socket_does_not_block_term():
    ctx = zmq.Context()
    s = ctx.socket(zmq.PAIR)
    s.linger = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        del s
        gc.collect()
    run_in_thread(ctx.term)
    assert ctx.closed


# --- singleton ---------------------------------------------------------------------------------


def test_instance_is_singleton(fresh_instance):
    a = zmq.Context.instance()
    b = zmq.Context.instance()
    assert a is b
    assert isinstance(a, zmq.Context)
    assert not a.closed


def test_instance_io_threads(fresh_instance):
    inst = zmq.Context.instance(io_threads=2)
    assert inst.get(zmq.IO_THREADS) == 2
    # a later call with different arguments returns the existing instance
    assert zmq.Context.instance(io_threads=4) is inst
    assert inst.get(zmq.IO_THREADS) == 2


def test_instance_replaced_after_term(fresh_instance):
    first = zmq.Context.instance()
    first.term()
    second = zmq.Context.instance()
    assert second is not first
    assert not second.closed
    assert first.closed


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_instance_is_fresh_in_forked_child(fresh_instance):
    parent_instance = zmq.Context.instance()
    parent_underlying = parent_instance.underlying
    with warnings.catch_warnings():
        # newer Pythons warn about forking a process that has threads
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:
        code = 1
        try:
            child_instance = zmq.Context.instance()
            if child_instance is parent_instance:
                code = 2
            elif child_instance.closed or child_instance.underlying == parent_underlying:
                code = 3
            elif zmq.Context.instance() is not child_instance:
                code = 4
            else:
                code = 0
        except BaseException:
            code = 5
        finally:
            os._exit(code)
    deadline = time.monotonic() + 30
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            pytest.fail("forked child did not exit")
        time.sleep(0.01)
    assert os.WIFEXITED(status)
    assert os.WEXITSTATUS(status) == 0
    assert zmq.Context.instance() is parent_instance


# --- shadows -------------------------------------------------------------------------------------


def test_shadow_from_address(ctx):
    address = ctx.underlying
    shadow = zmq.Context.shadow(address)
    assert isinstance(shadow, zmq.Context)
    assert shadow is not ctx
    assert shadow.underlying == address
    assert not shadow.closed


def test_shadow_shares_inproc_namespace(ctx):
    shadow = zmq.Context.shadow(ctx.underlying)
    a = ctx.socket(zmq.PAIR)
    a.linger = 0
    a.bind("inproc://ctx-shadow-ns")
    b = shadow.socket(zmq.PAIR)
    b.linger = 0
    b.rcvtimeo = 2000
    b.connect("inproc://ctx-shadow-ns")
    a.send(b"through the shadow")
    assert b.recv() == b"through the shadow"
    b.close()


def test_shadow_constructor_forms(ctx):
    assert zmq.Context(shadow=ctx.underlying).underlying == ctx.underlying
    # passing a Context as the first argument shadows it as well
    assert zmq.Context(ctx).underlying == ctx.underlying
    assert zmq.Context.shadow(ctx).underlying == ctx.underlying


def test_discarding_shadow_leaves_original_usable(ctx):
    shadow = zmq.Context.shadow(ctx.underlying)
    del shadow
    gc.collect()
    assert not ctx.closed
    s = ctx.socket(zmq.PAIR)
    s.close()


def test_shadow_of_non_int(ctx):
    with pytest.raises(ValueError):
        zmq.Context.shadow("not an address")


def test_shadow_pyczmq_is_not_supported():
    # pyczmq is unmaintained: the method exists for compatibility and says
    # clearly that it cannot work, pointing at Context.shadow instead.
    with pytest.raises(NotImplementedError, match="Context.shadow"):
        zmq.Context.shadow_pyczmq(None)


# --- subclassing ----------------------------------------------------------------------------------


class TaggedSocket(zmq.Socket):
    tag = "tagged"


class TaggedContext(zmq.Context):
    _socket_class = TaggedSocket


def test_context_subclass_socket_class():
    ctx = TaggedContext()
    try:
        s = ctx.socket(zmq.PAIR)
        s.linger = 0
        assert type(s) is TaggedSocket
        assert s.tag == "tagged"
        assert s.context is ctx
        assert "TaggedContext" in repr(ctx)
        assert "TaggedSocket" in repr(s)
        assert "zmq.PAIR" in repr(s)
    finally:
        ctx.destroy(linger=0)


def test_socket_class_argument(ctx):
    s = ctx.socket(zmq.PAIR, socket_class=TaggedSocket)
    s.linger = 0
    assert type(s) is TaggedSocket
    plain = TaggedContext()
    try:
        p = plain.socket(zmq.PAIR, socket_class=zmq.Socket)
        p.linger = 0
        assert type(p) is zmq.Socket
    finally:
        plain.destroy(linger=0)


def test_socket_class_may_be_a_factory(ctx):
    calls = []

    def factory(context, socket_type):
        calls.append(socket_type)
        return TaggedSocket(context, socket_type)

    s = ctx.socket(zmq.DEALER, socket_class=factory)
    s.linger = 0
    assert type(s) is TaggedSocket
    assert calls == [zmq.DEALER]
    s.close()


def test_subclass_attributes_declared_on_class():
    class Annotated(zmq.Context):
        label = None

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.label = "mine"

    ctx = Annotated()
    try:
        assert ctx.label == "mine"
        assert type(ctx.socket(zmq.PAIR)) is zmq.Socket
    finally:
        ctx.destroy(linger=0)


def test_subclass_shadow_returns_subclass(ctx):
    shadow = TaggedContext.shadow(ctx.underlying)
    assert type(shadow) is TaggedContext
