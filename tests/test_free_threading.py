"""Many threads on one shared Context (docs/free-threading.md).

The stress runs in a child interpreter, where a crash or a hang fails the test
instead of the test run. Here it runs with the GIL; on a free-threaded build
the same child runs without it, and importing zmq must not bring it back.
"""

import json
import sysconfig

import pytest

FREE_THREADED_BUILD = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))

STRESS = r"""
import json
import sys
import threading
import time


def gil_enabled():
    return getattr(sys, "_is_gil_enabled", lambda: True)()


GIL_BEFORE_IMPORT = gil_enabled()
import zmq

GIL_AFTER_IMPORT = gil_enabled()
WORKERS, ROUNDS, MESSAGES = (int(arg) for arg in sys.argv[1:4])
DEADLINE = time.monotonic() + 90

ctx = zmq.Context()
errors = []
received = [0] * WORKERS
lock = threading.Lock()
start = threading.Barrier(WORKERS + 6)

# One zero-copy Frame that every worker sends, and reads, at the same time.
SHARED = zmq.Frame(bytes(range(256)) * 512, copy=False, track=True)


def guarded(fn):
    def run(*args):
        try:
            start.wait()
            fn(*args)
        except BaseException as e:
            import traceback

            with lock:
                errors.append(f"{fn.__name__}{args}: {traceback.format_exc()}")
    return run


def wait_readable(poller, sock, spin):
    # spin: poll(0) until ready, the path where Poller trusts its last reading
    # of EVENTS while the operation epoch stands still. A reading trusted
    # wrongly shows up as a message that never comes.
    while True:
        if spin:
            events = dict(poller.poll(0))
        else:
            events = dict(poller.poll(1000))
        if events.get(sock, 0) & zmq.POLLIN:
            return
        if time.monotonic() > DEADLINE:
            raise AssertionError("a message never arrived")


def exchange(me, sender, receiver, spin):
    poller = zmq.Poller()
    poller.register(receiver, zmq.POLLIN)
    trackers = []
    n = 0
    for i in range(MESSAGES):
        kind = i % 5
        if kind == 0:
            sender.send(b"%d:%d" % (me, i))
        elif kind == 1:
            trackers.append(sender.send(bytearray(b"z" * 70000), copy=False, track=True))
        elif kind == 2:
            sender.send_multipart([b"a", b"", b"%d" % i])
        elif kind == 3:
            sender.send(SHARED, copy=False)
        else:
            sender.send(memoryview(b"m" * 100), copy=False)
        wait_readable(poller, receiver, spin and i % 2 == 0)
        if kind == 0:
            assert receiver.recv() == b"%d:%d" % (me, i)
        elif kind == 1:
            frame = receiver.recv(copy=False)
            assert len(frame) == 70000 and frame.bytes[:1] == b"z"
        elif kind == 2:
            assert receiver.recv_multipart() == [b"a", b"", b"%d" % i]
        elif kind == 3:
            frame = receiver.recv(copy=False)
            assert frame.bytes == SHARED.bytes
        else:
            assert receiver.recv() == b"m" * 100
        n += 1
    for tracker in trackers:
        tracker.wait(10)
    poller.unregister(receiver)
    return n


@guarded
def worker(me):
    for r in range(ROUNDS):
        a = ctx.socket(zmq.PAIR)
        b = ctx.socket(zmq.PAIR)
        a.bind(f"inproc://ft-{me}-{r}")
        b.connect(f"inproc://ft-{me}-{r}")
        n = exchange(me, a, b, spin=True)
        push = ctx.socket(zmq.PUSH)
        pull = ctx.socket(zmq.PULL)
        port = pull.bind_to_random_port("tcp://127.0.0.1")
        push.connect(f"tcp://127.0.0.1:{port}")
        n += exchange(me, push, pull, spin=r % 2 == 0)
        # A shadow closes the socket for every Socket object on it.
        shadow = zmq.Socket.shadow(a.underlying)
        shadow.close()
        assert a.closed
        for s in (b, push, pull):
            s.close(linger=0)
        with lock:
            received[me] += n


@guarded
def creator(name):
    # Sockets made and closed as fast as possible, while the workers make
    # theirs: the registries of open sockets are changed by every thread.
    for i in range(ROUNDS * 60):
        s = ctx.socket((zmq.PUB, zmq.SUB, zmq.DEALER, zmq.ROUTER)[i % 4])
        s.linger = 0
        s.close()


@guarded
def batch_closer():
    # Opens a batch, then closes it all while the others create theirs.
    for _ in range(ROUNDS * 2):
        batch = [ctx.socket(zmq.DEALER) for _ in range(40)]
        for s in batch:
            s.close(linger=0)


@guarded
def instances():
    first = zmq.Context.instance()
    for i in range(ROUNDS * 100):
        assert zmq.Context.instance() is first
        if i % 20 == 0:
            first.socket(zmq.PUB).close(linger=0)


@guarded
def frame_readers():
    # Frame's lazily made bytes, and sending one Frame from many threads.
    for _ in range(ROUNDS * 200):
        assert SHARED.bytes[:2] == b"\x00\x01"
        assert len(SHARED.buffer) == len(SHARED)


@guarded
def racing_close():
    # One socket closed by one thread while another sends on it, reads an
    # option and polls it: misuse, but with or without the GIL it must end in
    # ENOTSOCK, never in a freed libzmq socket.
    for _ in range(ROUNDS * 3):
        pub = ctx.socket(zmq.PUB)
        pub.linger = 0
        failures = []

        def user():
            poller = zmq.Poller()
            poller.register(pub, zmq.POLLOUT)
            while True:
                try:
                    pub.send(b"x", zmq.DONTWAIT)
                    pub.getsockopt(zmq.EVENTS)
                    poller.poll(0)
                except zmq.ZMQError as e:
                    if e.errno != zmq.ENOTSOCK:
                        failures.append(repr(e))
                    return

        t = threading.Thread(target=user)
        t.start()
        time.sleep(0.002)
        pub.close()
        t.join(30)
        assert not t.is_alive() and not failures, failures


threads = [threading.Thread(target=worker, args=(i,)) for i in range(WORKERS)]
threads += [threading.Thread(target=creator, args=(i,)) for i in range(2)]
threads += [threading.Thread(target=f) for f in (batch_closer, instances, frame_readers, racing_close)]
began = time.monotonic()
for t in threads:
    t.start()
for t in threads:
    t.join(max(1.0, DEADLINE - time.monotonic()))
alive = [t.name for t in threads if t.is_alive()]

# Every socket was closed: term() returns (a leaked socket would block it).
terminator = threading.Thread(target=ctx.term)
terminator.start()
terminator.join(20)
zmq.Context.instance().term()
print(json.dumps({
    "errors": errors,
    "alive": alive,
    "received": received,
    "term_done": not terminator.is_alive(),
    "gil": [GIL_BEFORE_IMPORT, GIL_AFTER_IMPORT, gil_enabled()],
    "seconds": round(time.monotonic() - began, 2),
}))
"""

WORKERS = 16
ROUNDS = 4
MESSAGES = 40


def test_many_threads_one_context(run_python):
    proc = run_python(STRESS, str(WORKERS), str(ROUNDS), str(MESSAGES), timeout=180)
    assert proc.returncode == 0, proc.stderr[-4000:]
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["errors"] == [], "\n".join(report["errors"])[:6000]
    assert report["alive"] == []
    # Each round: MESSAGES over inproc, MESSAGES over tcp.
    assert report["received"] == [2 * MESSAGES * ROUNDS] * WORKERS
    assert report["term_done"]
    if FREE_THREADED_BUILD and not report["gil"][0]:
        # The stress really ran without the GIL: importing zmq did not turn
        # it on, and nothing did later.
        assert report["gil"] == [False, False, False]


@pytest.mark.skipif(not FREE_THREADED_BUILD, reason="needs a free-threaded (no-GIL) build of CPython")
def test_import_keeps_the_gil_disabled(run_python):
    # PYTHON_GIL empty counts as unset: the interpreter's default, no GIL,
    # which an extension not declaring free-threading support would undo.
    proc = run_python(
        """
        import sys

        assert not sys._is_gil_enabled(), "the GIL is on before importing zmq"
        import zmq
        import zmq.backend.cython._zmq
        ctx = zmq.Context()
        ctx.socket(zmq.PAIR).close()
        ctx.term()
        print(sys._is_gil_enabled())
        """,
        env={"PYTHON_GIL": ""},
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "False", proc.stderr



# The claims that make a libzmq context terminated once (with or without the
# GIL: these run the same code either way).


def test_second_term_returns_while_the_first_waits():
    import threading
    import time

    import zmq

    ctx = zmq.Context()
    sock = ctx.socket(zmq.PAIR)
    first = threading.Thread(target=ctx.term)
    first.start()
    time.sleep(0.2)
    assert first.is_alive(), "term() should wait for the open socket"
    began = time.monotonic()
    ctx.term()
    zmq.Context.shadow(ctx.underlying).term()
    assert time.monotonic() - began < 1
    # Terminating: no new socket, no option, not closed yet.
    with pytest.raises(zmq.ZMQError):
        ctx.socket(zmq.PAIR)
    with pytest.raises(RuntimeError):
        ctx.get(zmq.IO_THREADS)
    assert not ctx.closed
    sock.close()
    first.join(10)
    assert not first.is_alive() and ctx.closed


def test_term_interrupted_by_a_signal_can_be_retried(run_python):
    proc = run_python(
        """
        import os, signal, sys
        import zmq

        if not hasattr(signal, "setitimer"):
            print("skip")
            sys.exit(0)

        class Stop(Exception):
            pass

        def stop(*args):
            raise Stop()

        signal.signal(signal.SIGALRM, stop)
        ctx = zmq.Context()
        shadow = zmq.Context.shadow(ctx)
        sock = ctx.socket(zmq.PAIR)
        signal.setitimer(signal.ITIMER_REAL, 0.2)
        try:
            ctx.term()
        except Stop:
            pass
        else:
            raise AssertionError("term() returned with a socket open")
        # Given back: usable, and terminated once the socket is closed.
        assert not ctx.closed and not shadow.closed
        assert ctx.get(zmq.IO_THREADS) == 1
        sock.close()
        shadow.term()
        assert ctx.closed and shadow.closed
        print("ok")
        """
    )
    assert proc.returncode == 0, proc.stderr
    if proc.stdout.strip() == "skip":
        pytest.skip("needs setitimer")
    assert proc.stdout.strip() == "ok", proc.stderr
