"""Blocking calls: GIL release, signals, timeouts, termination and exit."""

import os
import signal
import subprocess
import sys
import textwrap
import threading

import pytest

import zmq

SUBPROCESS_TIMEOUT = 30

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX signals")


def run_child(code, cwd):
    # Run from an empty directory so the child imports the installed package,
    # never a source tree that happens to be the current directory.
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=cwd,
    )


def read_line(proc, timeout=SUBPROCESS_TIMEOUT):
    """Read one line from the child, failing (not hanging) if none comes."""
    box = []
    reader = threading.Thread(target=lambda: box.append(proc.stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    if reader.is_alive() or not box or not box[0]:
        proc.kill()
        _, err = proc.communicate(timeout=SUBPROCESS_TIMEOUT)
        pytest.fail(f"no line from child: {err}")
    return box[0].strip()


# Announce readiness from a helper thread a little after the main thread has
# entered the blocking call, so the signal lands while it is blocked.
# (Indented like the child scripts it is prepended to, for textwrap.dedent.)
ANNOUNCE = """
        import signal
        import threading

        # A parent started in the background may hand down an ignored SIGINT.
        signal.signal(signal.SIGINT, signal.default_int_handler)

        def announce(text):
            threading.Timer(0.2, lambda: print(text, flush=True)).start()
        """


def test_blocking_recv_releases_gil(push_pull):
    push, pull = push_pull
    pull.rcvtimeo = 20000
    entering = threading.Event()
    counter = [0]

    def worker():
        entering.wait(10)
        # Pure-Python work that can only run if the receiver dropped the GIL.
        while counter[0] < 200_000:
            counter[0] += 1
        push.send(b"counted")

    t = threading.Thread(target=worker)
    t.start()
    entering.set()
    try:
        msg = pull.recv()
    finally:
        t.join(30)
    assert not t.is_alive()
    assert msg == b"counted"
    assert counter[0] == 200_000


def test_blocking_poll_releases_gil(pair):
    a, b = pair
    entering = threading.Event()
    counter = [0]

    def worker():
        entering.wait(10)
        while counter[0] < 200_000:
            counter[0] += 1
        b.send(b"counted")

    t = threading.Thread(target=worker)
    t.start()
    entering.set()
    try:
        events = a.poll(20000)
    finally:
        t.join(30)
    assert events == zmq.POLLIN
    assert counter[0] == 200_000


def test_rcvtimeo_raises_again(socket):
    s = socket(zmq.PULL, rcvtimeo=50)
    s.bind("inproc://blocking-rcvtimeo")
    with pytest.raises(zmq.Again) as exc:
        s.recv()
    assert exc.value.errno == zmq.EAGAIN
    with pytest.raises(zmq.Again):
        s.recv_multipart()


def test_sndtimeo_raises_again(socket):
    s = socket(zmq.PUSH, sndtimeo=50)
    s.bind("inproc://blocking-sndtimeo")
    with pytest.raises(zmq.Again):
        s.send(b"nobody is listening")


def test_noblock_recv_raises_again(pair):
    a, _ = pair
    with pytest.raises(zmq.Again):
        a.recv(zmq.NOBLOCK)
    with pytest.raises(zmq.Again):
        a.recv(flags=zmq.DONTWAIT)


def test_again_is_a_zmq_error():
    assert issubclass(zmq.Again, zmq.ZMQError)
    assert issubclass(zmq.ContextTerminated, zmq.ZMQError)


def test_term_interrupts_recv_in_other_thread():
    ctx = zmq.Context()
    ready = threading.Event()
    outcome = {}

    def blocked_reader():
        s = ctx.socket(zmq.PULL)
        s.linger = 0
        # A long timeout only as a safety net: term must wake us far sooner.
        s.rcvtimeo = 20000
        s.bind("inproc://blocking-term")
        ready.set()
        try:
            s.recv()
        except zmq.ZMQError as exc:
            outcome["error"] = exc
        finally:
            s.close()

    t = threading.Thread(target=blocked_reader, daemon=True)
    t.start()
    assert ready.wait(10)
    ctx.term()
    t.join(10)
    assert not t.is_alive()
    assert isinstance(outcome.get("error"), zmq.ContextTerminated)
    assert outcome["error"].errno == zmq.ETERM
    assert ctx.closed


def test_term_interrupts_poll_in_other_thread():
    ctx = zmq.Context()
    ready = threading.Event()
    outcome = {}

    def blocked_poller():
        s = ctx.socket(zmq.PULL)
        s.linger = 0
        s.bind("inproc://blocking-term-poll")
        poller = zmq.Poller()
        poller.register(s, zmq.POLLIN)
        ready.set()
        try:
            outcome["result"] = poller.poll(20000)
        except zmq.ZMQError as exc:
            outcome["error"] = exc
        finally:
            s.close()

    t = threading.Thread(target=blocked_poller, daemon=True)
    t.start()
    assert ready.wait(10)
    ctx.term()
    t.join(10)
    assert not t.is_alive()
    assert isinstance(outcome.get("error"), zmq.ContextTerminated)


@posix_only
def test_sigint_interrupts_blocking_recv(tmp_path):
    proc = run_child(
        ANNOUNCE
        + """
        import sys, zmq
        ctx = zmq.Context()
        s = ctx.socket(zmq.PULL)
        s.linger = 0
        s.bind("tcp://127.0.0.1:*")
        announce("READY")
        try:
            s.recv()
        except KeyboardInterrupt:
            print("INTERRUPTED", flush=True)
            s.close()
            ctx.term()
            sys.exit(0)
        print("RECV RETURNED", flush=True)
        sys.exit(3)
        """,
        tmp_path,
    )
    try:
        assert read_line(proc) == "READY"
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=SUBPROCESS_TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert "INTERRUPTED" in out, err
    assert proc.returncode == 0, err


@posix_only
def test_sigint_interrupts_blocking_poll(tmp_path):
    proc = run_child(
        ANNOUNCE
        + """
        import sys, zmq
        ctx = zmq.Context()
        s = ctx.socket(zmq.PULL)
        s.linger = 0
        s.bind("tcp://127.0.0.1:*")
        poller = zmq.Poller()
        poller.register(s, zmq.POLLIN)
        announce("READY")
        try:
            poller.poll()
        except KeyboardInterrupt:
            print("INTERRUPTED", flush=True)
            s.close()
            ctx.term()
            sys.exit(0)
        sys.exit(3)
        """,
        tmp_path,
    )
    try:
        assert read_line(proc) == "READY"
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=SUBPROCESS_TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert "INTERRUPTED" in out, err
    assert proc.returncode == 0, err


@posix_only
def test_non_raising_signal_handler_lets_recv_continue(socket, tmp_path):
    proc = run_child(
        ANNOUNCE
        + """
        import signal, sys, zmq
        hits = []

        def handler(signum, frame):
            hits.append(signum)
            print("HANDLED", flush=True)

        signal.signal(signal.SIGUSR1, handler)
        ctx = zmq.Context()
        s = ctx.socket(zmq.PULL)
        s.linger = 0
        s.rcvtimeo = 20000
        port = s.bind_to_random_port("tcp://127.0.0.1")
        announce(port)
        msg = s.recv()
        print("GOT", msg.decode(), len(hits), flush=True)
        s.close()
        ctx.term()
        """,
        tmp_path,
    )
    try:
        port = int(read_line(proc))
        proc.send_signal(signal.SIGUSR1)
        # The handler runs (and returns normally) before anything is sent.
        assert read_line(proc) == "HANDLED"
        push = socket(zmq.PUSH)
        push.connect(f"tcp://127.0.0.1:{port}")
        push.send(b"after-signal")
        out, err = proc.communicate(timeout=SUBPROCESS_TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert out.strip() == "GOT after-signal 1", err
    assert proc.returncode == 0, err


# Sockets in these children keep the default linger on purpose: that is the
# setting that could make exit wait forever for undeliverable messages.
EXIT_SCRIPTS = {
    "private-context": """
        import zmq
        ctx = zmq.Context()
        s = ctx.socket(zmq.PUSH)
        s.connect("tcp://127.0.0.1:1")
        for _ in range(10):
            s.send(b"never delivered")
        print("DONE", flush=True)
        """,
    "global-instance": """
        import zmq
        s = zmq.Context.instance().socket(zmq.PUSH)
        s.connect("tcp://127.0.0.1:1")
        for _ in range(10):
            s.send(b"never delivered")
        print("DONE", flush=True)
        """,
    "unbound-inproc": """
        import zmq
        ctx = zmq.Context()
        s = ctx.socket(zmq.PAIR)
        s.connect("inproc://nobody-binds-this")
        s.send(b"x" * 100000, copy=False)
        print("DONE", flush=True)
        """,
}


@pytest.mark.parametrize("script", sorted(EXIT_SCRIPTS))
def test_interpreter_exit_with_open_sockets_does_not_hang(script, tmp_path):
    proc = run_child(EXIT_SCRIPTS[script], tmp_path)
    try:
        out, err = proc.communicate(timeout=SUBPROCESS_TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        pytest.fail("interpreter hung at exit")
    assert out.strip() == "DONE", err
    assert proc.returncode == 0, err
