"""Shared fixtures. Every test runs against the installed, compiled package."""

import faulthandler
import os

import pytest

import zmq

# A hung test must fail loudly instead of eating the CI time budget: dump every
# thread's stack and exit if a single test runs longer than this.
TEST_WATCHDOG_SECONDS = float(os.environ.get("ZMQ_TEST_WATCHDOG", "120"))
# pytest captures fd 2 during a test; the dump must reach the real stderr.
_WATCHDOG_STREAM = os.fdopen(os.dup(2), "w")


def pytest_unconfigure(config):
    _WATCHDOG_STREAM.close()


@pytest.fixture(autouse=True)
def _watchdog():
    faulthandler.dump_traceback_later(TEST_WATCHDOG_SECONDS, exit=True, file=_WATCHDOG_STREAM)
    yield
    faulthandler.cancel_dump_traceback_later()


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
