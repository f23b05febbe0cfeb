"""Shared fixtures. Every test runs against the installed, compiled package."""

import asyncio
import faulthandler
import itertools
import os
import subprocess
import sys
import tempfile
import textwrap

import pytest

import zmq

# A hung test must fail loudly instead of eating the CI time budget: dump every
# thread's stack and exit if a single test runs longer than this.
TEST_WATCHDOG_SECONDS = float(os.environ.get("ZMQ_TEST_WATCHDOG", "120"))
_watchdog_stream = None


def pytest_configure(config):
    # The dump must reach the real stderr. pytest has already redirected fd 2
    # into its capture file when this module is imported, and a watchdog exit
    # would take that file's contents with it; the capture keeps the original
    # descriptor, so duplicate that one (fd 2 itself when nothing is captured).
    global _watchdog_stream
    capturing = getattr(config.pluginmanager.getplugin("capturemanager"), "_global_capturing", None)
    real_stderr = getattr(getattr(capturing, "err", None), "targetfd_save", 2)
    _watchdog_stream = os.fdopen(os.dup(real_stderr), "w")


def pytest_unconfigure(config):
    if _watchdog_stream is not None:
        _watchdog_stream.close()


# Tests marked slow build the whole project (or a wheel of it) and may take
# minutes on a loaded 2-core machine.
SLOW_TEST_WATCHDOG_SECONDS = float(os.environ.get("ZMQ_SLOW_TEST_WATCHDOG", "1200"))


@pytest.fixture(autouse=True)
def _watchdog(request):
    slow = request.node.get_closest_marker("slow") is not None
    seconds = SLOW_TEST_WATCHDOG_SECONDS if slow else TEST_WATCHDOG_SECONDS
    faulthandler.dump_traceback_later(seconds, exit=True, file=_watchdog_stream)
    yield
    faulthandler.cancel_dump_traceback_later()


def _run_python(code, *args, timeout=60, env=None, **popen_kwargs):
    # A child Python: the only safe way to run what could crash or hang the
    # interpreter. It starts outside the source tree, whose uncompiled zmq/
    # would shadow the installed package.
    child_env = dict(os.environ, PYTHONFAULTHANDLER="1")
    child_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args], capture_output=True, text=True,
        timeout=timeout, cwd=tempfile.gettempdir(), env=child_env, **popen_kwargs,
    )


@pytest.fixture
def run_python():
    """run_python(code, *argv, timeout=60, env=None) -> CompletedProcess: the
    code run by a fresh interpreter (text stdout/stderr captured)."""
    return _run_python


@pytest.fixture
def ctx():
    """A private context, torn down without lingering after the test."""
    context = zmq.Context()
    yield context
    context.destroy(linger=0)


@pytest.fixture
def socket(ctx):
    """Factory for sockets on the private context; all are closed by ctx teardown."""

    def make(socket_type, **options):
        s = ctx.socket(socket_type)
        s.linger = 0
        for name, value in options.items():
            s.setsockopt(getattr(zmq, name.upper()), value)
        return s

    return make


@pytest.fixture
def pair(socket):
    """A connected inproc PAIR: (bound end, connected end)."""
    a = socket(zmq.PAIR)
    b = socket(zmq.PAIR)
    a.bind("inproc://pair-fixture")
    b.connect("inproc://pair-fixture")
    return a, b


@pytest.fixture
def tcp_pair(socket):
    """A connected PAIR over tcp loopback on a random port."""
    a = socket(zmq.PAIR)
    b = socket(zmq.PAIR)
    port = a.bind_to_random_port("tcp://127.0.0.1")
    b.connect(f"tcp://127.0.0.1:{port}")
    return a, b


@pytest.fixture
def push_pull(socket):
    """A connected inproc PUSH -> PULL: (push, pull)."""
    push = socket(zmq.PUSH)
    pull = socket(zmq.PULL)
    push.bind("inproc://push-pull-fixture")
    pull.connect("inproc://push-pull-fixture")
    return push, pull


# ---------------------------------------------------------------- async layers
# Shared by the asyncio, tornado and gevent tests.

_inproc_numbers = itertools.count()


def _fresh_inproc() -> str:
    return f"inproc://async-test-{next(_inproc_numbers)}"


@pytest.fixture
def inproc():
    """A function giving a fresh inproc address at each call (unique in the
    whole session, so that tests sharing a context cannot collide)."""
    return _fresh_inproc


def _run_in_new_loop(coro_fn, *args, kind="asyncio", timeout=10.0):
    """coro_fn(*args) to completion in a fresh event loop of the given kind
    ("asyncio" or "uvloop"), bounded by timeout seconds. Tasks left behind are
    cancelled and finished before the loop closes, so none outlives its test."""
    if kind == "uvloop":
        import uvloop

        loop = uvloop.new_event_loop()
    else:
        loop = asyncio.new_event_loop()

    async def bounded():
        return await asyncio.wait_for(coro_fn(*args), timeout)

    try:
        return loop.run_until_complete(bounded())
    finally:
        pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
        for task in pending:
            task.cancel()
        if pending:
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        loop.close()


@pytest.fixture
def run_in_new_loop():
    """run_in_new_loop(coro_fn, *args, kind="asyncio", timeout=10.0)."""
    return _run_in_new_loop


@pytest.fixture
def run(run_in_new_loop):
    """run(coro_fn, *args, timeout=10.0): in a fresh asyncio loop."""
    return run_in_new_loop


_keeping_classes: dict = {}


def _keeping_class(base):
    cls = _keeping_classes.get(base)
    if cls is None:

        def socket(self, *args, **kwargs):
            s = base.socket(self, *args, **kwargs)
            self.__dict__.setdefault("_made", []).append(s)
            return s

        # Its own _instance: Keeping*.instance() must not hand out base's.
        cls = type(f"Keeping{base.__name__}", (base,), {"socket": socket, "_instance": None})
        _keeping_classes[base] = cls
    return cls


@pytest.fixture
def keeping_context():
    """keeping_context(ContextClass): a context of that class that keeps its
    sockets alive until the test ends (none is collected unclosed, with a
    ResourceWarning, while a test still runs); destroyed without linger after
    the test."""
    made = []

    def make(base=zmq.Context):
        context = _keeping_class(base)()
        made.append(context)
        return context

    yield make
    for context in made:
        context.destroy(linger=0)


@pytest.fixture
def actx(keeping_context):
    """A zmq.asyncio.Context."""
    import zmq.asyncio

    return keeping_context(zmq.asyncio.Context)


@pytest.fixture
def make_pair(inproc):
    """make_pair(context, kind=zmq.PAIR, peer=None): two sockets of the
    context (kind and peer, default kind), no linger, connected over a fresh
    inproc address: (bound, connected)."""

    def make(context, kind=zmq.PAIR, peer=None):
        a = context.socket(kind)
        b = context.socket(peer if peer is not None else kind)
        a.linger = b.linger = 0
        url = inproc()
        a.bind(url)
        b.connect(url)
        return a, b

    return make
