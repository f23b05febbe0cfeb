"""zmq.decorators: context() and socket() give a function a Context or Socket
for the time of a call."""

import asyncio
import inspect

import pytest

import zmq
import zmq.asyncio
from zmq.decorators import context, socket


@pytest.fixture
def instance():
    """zmq.Context.instance(), destroyed after the test if the test made it."""
    existed = zmq.Context._instance is not None and not zmq.Context._instance.closed
    inst = zmq.Context.instance()
    yield inst
    if not existed:
        inst.destroy(linger=0)


def test_names():
    import zmq.decorators

    assert set(zmq.decorators.__all__) == {"context", "socket"}


# --------------------------------------------------------------------- context


def test_context_is_the_last_positional_argument():
    seen = []

    @context()
    def f(a, b, ctx):
        seen.append(ctx)
        assert not ctx.closed
        return a + b

    assert f(1, 2) == 3
    (ctx,) = seen
    assert type(ctx) is zmq.Context
    assert ctx.closed
    # A new context at each call.
    f(1, 2)
    assert seen[1] is not ctx


def test_context_after_the_call_arguments():
    @context()
    def f(*args, **kwargs):
        return args, kwargs

    args, kwargs = f(1, 2, x=3)
    assert args[:2] == (1, 2) and isinstance(args[2], zmq.Context)
    assert kwargs == {"x": 3}
    # Without a name, a keyword argument called ctx is left alone.
    args, kwargs = f(ctx=5)
    assert isinstance(args[0], zmq.Context) and kwargs == {"ctx": 5}


@pytest.mark.parametrize("how", ["positional", "keyword"])
def test_context_by_name(how):
    deco = context("myctx") if how == "positional" else context(name="myctx")

    @deco
    def f(*args, **kwargs):
        return args, kwargs

    args, kwargs = f(1)
    assert args == (1,)
    assert list(kwargs) == ["myctx"] and isinstance(kwargs["myctx"], zmq.Context)
    assert kwargs["myctx"].closed
    with pytest.raises(TypeError):
        f(myctx=5)


def test_context_keyword_only():
    @context("ctx")
    def f(*, ctx):
        return ctx.closed

    assert f() is False


def test_empty_name_is_positional():
    @context(name="")
    def f(*args):
        return args

    (ctx,) = f()
    assert isinstance(ctx, zmq.Context)

    @context("")
    def g(*args):
        return args

    (ctx,) = g()
    assert isinstance(ctx, zmq.Context)


def test_context_arguments():
    @context(io_threads=2)
    def f(ctx):
        return ctx.get(zmq.IO_THREADS)

    assert f() == 2

    @context("c", 3)
    def g(c):
        return c.get(zmq.IO_THREADS)

    assert g() == 3

    @context(2)
    def h(ctx):
        return ctx.get(zmq.IO_THREADS)

    assert h() == 2


def test_context_closed_after_exception():
    seen = []

    @context()
    def f(ctx):
        seen.append(ctx)
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        f()
    assert seen[0].closed


def test_context_closes_sockets_left_open():
    seen = []

    @context()
    def f(ctx):
        s = ctx.socket(zmq.PUSH)
        s.linger = 0
        seen.append(s)
        return s

    # As Context.__exit__ does, with a ResourceWarning.
    with pytest.warns(ResourceWarning):
        f()
    assert seen[0].closed


def test_wraps():
    def original(a, ctx):
        """Docstring."""

    decorated = context()(original)
    assert decorated.__name__ == "original"
    assert decorated.__doc__ == "Docstring."
    assert decorated.__wrapped__ is original
    assert inspect.signature(decorated) == inspect.signature(original)


def test_context_bad_arguments():
    # Arguments not taken by the decorator go to Context(), at call time.
    f = context(foo=1)(lambda ctx: ctx)
    with pytest.raises(TypeError):
        f()
    f = context(name=None)(lambda ctx: ctx)
    with pytest.raises(TypeError):
        f()
    f = context(name=5)(lambda ctx: ctx)
    with pytest.raises(TypeError):
        f()
    f = context("x", name="y")(lambda **kw: kw)
    with pytest.raises(TypeError):
        f()
    f = context(b"x")(lambda ctx: ctx)
    with pytest.raises(TypeError):
        f()
    f = context(context_name="x")(lambda ctx: ctx)
    with pytest.raises(TypeError):
        f()


def test_decorator_needs_calling():
    def g(ctx):
        return ctx

    # @context without parentheses takes the function as a Context argument:
    # what it returns is a decorator, not a decorated function.
    wrong = context(g)
    with pytest.raises(TypeError):
        wrong()


def test_async_function():
    @context()
    async def f(ctx):
        return ctx

    # The context lives for the call, which only makes the coroutine.
    ctx = asyncio.run(f())
    assert ctx.closed


# ---------------------------------------------------------------------- socket


def test_socket_from_the_global_instance(instance):
    seen = []

    @socket(zmq.PUSH)
    def f(sock):
        seen.append(sock)
        assert not sock.closed
        return sock.type

    assert f() == zmq.PUSH
    (sock,) = seen
    assert type(sock) is zmq.Socket
    assert sock.context is instance
    assert sock.closed
    assert not instance.closed


def test_socket_closed_after_exception(instance):
    seen = []

    @socket(zmq.PULL)
    def f(sock):
        seen.append(sock)
        raise KeyError("k")

    with pytest.raises(KeyError):
        f()
    assert seen[0].closed


def test_context_then_socket():
    @context()
    @socket(zmq.PUSH)
    def f(ctx, sock):
        assert sock.context is ctx
        return ctx, sock

    ctx, sock = f()
    assert ctx.closed and sock.closed


def test_several_sockets():
    @context()
    @socket("push", zmq.PUSH)
    @socket("pull", zmq.PULL)
    def f(ctx, *, push, pull):
        assert push.context is ctx and pull.context is ctx
        url = "inproc://zmq-test-decorators"
        pull.bind(url)
        push.connect(url)
        push.send(b"hello")
        assert pull.poll(5000)
        return pull.recv(), push, pull

    msg, push, pull = f()
    assert msg == b"hello"
    assert push.closed and pull.closed

    @context()
    @socket(zmq.PUSH)
    @socket(zmq.PULL)
    def g(*args):
        return args

    ctx, push, pull = g()
    assert (push.type, pull.type) == (zmq.PUSH, zmq.PULL)


def test_socket_name_keyword(ctx):
    @socket(zmq.PUB, name="pub")
    def f(**kwargs):
        return kwargs

    kwargs = f(context=ctx)
    assert list(kwargs) == ["context", "pub"]
    assert kwargs["pub"].context is ctx and kwargs["pub"].type == zmq.PUB


def test_socket_context_keyword(ctx, instance):
    @socket(zmq.PUSH)
    def f(*args, **kwargs):
        return args[-1].context

    assert f(context=ctx) is ctx
    # Not a Context: ignored.
    assert f(context=5) is instance
    # The keyword argument comes before positional Contexts.
    other = zmq.Context()
    try:
        assert f(other, context=ctx) is ctx
        assert f(1, other) is other
    finally:
        other.term()


def test_socket_context_name(ctx, instance):
    @socket(zmq.PUSH, context_name="foo")
    def f(*args, **kwargs):
        return args[-1].context, kwargs

    sock_ctx, kwargs = f(foo=ctx)
    assert sock_ctx is ctx and kwargs == {"foo": ctx}
    assert f(foo=5)[0] is instance
    # `context` is no longer looked at; positional Contexts still are.
    assert f(context=ctx)[0] is instance
    assert f(ctx)[0] is ctx

    @socket(zmq.PUSH, context_name=None)
    def g(*args, **kwargs):
        return args[-1].context

    assert g(context=ctx) is instance


def test_socket_in_a_method():
    class Worker:
        @context()
        @socket(zmq.PUB)
        def work(self, ctx, pub):
            return self, ctx, pub

    w = Worker()
    me, ctx, pub = w.work()
    assert me is w and pub.context is ctx and pub.type == zmq.PUB


def test_socket_of_the_context_class():
    actx = zmq.asyncio.Context()
    try:

        @socket(zmq.PUSH)
        def f(c, sock):
            return sock

        sock = f(actx)
        assert isinstance(sock, zmq.asyncio.Socket) and sock.closed
    finally:
        actx.term()


def test_socket_options():
    @context()
    @socket(zmq.PUSH, socket_class=zmq.Socket)
    def f(ctx, sock):
        return type(sock)

    assert f() is zmq.Socket

    @context()
    @socket(socket_type=zmq.DEALER)
    def g(ctx, sock):
        return sock.type

    assert g() == zmq.DEALER


def test_socket_bad_arguments(ctx):
    cases = [
        (socket(), TypeError),  # no socket type
        (socket("name_only"), TypeError),
        (socket(None), TypeError),
        (socket("s", "PUB"), TypeError),
        (socket(zmq.PUSH, foo=1), TypeError),
        (socket(zmq.PUSH, name=None), TypeError),
        (socket(12345), zmq.ZMQError),
    ]
    for deco, exc in cases:
        f = deco(lambda *a, **k: None)
        with pytest.raises(exc):
            f(ctx)


def test_socket_decorator_reusable():
    deco = socket(zmq.PAIR)

    @context()
    @deco
    def f(ctx, s):
        return s

    @context()
    @deco
    def g(ctx, s):
        return s

    a, b = f(), g()
    assert a is not b and a.closed and b.closed
