"""Faults: a peer killed mid-stream, Ctrl-C in blocking calls, fork with a live
context, term() while other threads block, and a cooperative term() for
zmq.green.

Every scenario can crash or hang the interpreter, so each runs in a child
Python with a timeout; the child checks what it observes with asserts (a
failure shows as its traceback) and exits 0 when all held.
"""

import subprocess
import sys

import pytest

# A hung child is killed after this many seconds; every scenario takes less
# than two.
CHILD_TIMEOUT = 15


def run_child(run_python, code, *argv, timeout=CHILD_TIMEOUT):
    try:
        proc = run_python(code, *argv, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        # The output so far comes as bytes even in text mode.
        out, err = (x.decode(errors="replace") if isinstance(x, bytes) else x for x in (e.stdout, e.stderr))
        hung = f"child hung for {timeout} s\nstdout:\n{out}\nstderr:\n{err}"
    else:
        hung = None
    if hung:
        pytest.fail(hung)
    assert proc.returncode == 0, (
        f"child exited with {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
    return proc.stdout


# ------------------------------------------------------ a peer killed mid-stream

KILLED_PEER = r'''
import os, select, signal, subprocess, sys, tempfile, threading, time
import zmq

transport, role = sys.argv[1], sys.argv[2]

PEER_SENDER = """
import sys, zmq
s = zmq.Context().socket(zmq.PUSH)
s.connect(sys.argv[1])
n = 0
while True:
    s.send_multipart([b"head", n.to_bytes(8, "big"), b"x" * 1000])
    n += 1
"""
PEER_RECEIVER = """
import sys, zmq
s = zmq.Context().socket(zmq.PULL)
s.connect(sys.argv[1])
n = 0
while True:
    s.recv()
    n += 1
    if n == 100:
        print("got 100", flush=True)
"""

ctx = zmq.Context()
s = ctx.socket(zmq.PULL if role == "receiver" else zmq.PUSH)
if transport == "tcp":
    url = "tcp://127.0.0.1:%d" % s.bind_to_random_port("tcp://127.0.0.1")
else:
    url = "ipc://" + tempfile.mkdtemp() + "/survivor"
    s.bind(url)


def start_peer(code):
    return subprocess.Popen([sys.executable, "-c", code, url], stdout=subprocess.PIPE, text=True)


def kill(peer):
    peer.send_signal(signal.SIGKILL)
    peer.wait()


def wait_line(peer, expected, timeout=10):
    ready, _, _ = select.select([peer.stdout], [], [], timeout)
    assert ready, f"peer printed nothing in {timeout} s (expected {expected!r})"
    line = peer.stdout.readline().strip()
    assert line == expected, f"peer printed {line!r}, expected {expected!r}"


def timed(call, limit, what):
    t0 = time.monotonic()
    try:
        return call()
    finally:
        took = time.monotonic() - t0
        assert took < limit, f"{what} took {took:.2f} s (limit {limit} s)"


if role == "receiver":
    s.rcvtimeo = 5000
    peer = start_peer(PEER_SENDER)
    for _ in range(200):
        parts = timed(s.recv_multipart, 6, "recv from a live peer")
        assert len(parts) == 3, f"a partial multipart message: {parts[:2]}"
    kill(peer)
    # What was queued before the kill is still delivered, whole; then the
    # receiver times out instead of waiting for a dead peer.
    s.rcvtimeo = 300
    drained = 0
    deadline = time.monotonic() + 10
    while True:
        assert time.monotonic() < deadline, "recv kept returning messages from a dead peer"
        try:
            parts = timed(s.recv_multipart, 2, "recv after the peer died")
        except zmq.Again:
            break
        assert len(parts) == 3, f"a partial multipart message after the kill: {parts[:2]}"
        drained += 1
    s.rcvtimeo = 5000
    peer = start_peer(PEER_SENDER)
    parts = timed(s.recv_multipart, 6, "recv from a new peer")
    assert len(parts) == 3 and int.from_bytes(parts[1], "big") < 100, \
        f"the new peer's first messages did not arrive: {parts[:2]}"
    kill(peer)
else:
    s.sndhwm = 10
    s.sndtimeo = 5000
    peer = start_peer(PEER_RECEIVER)
    for i in range(150):
        timed(lambda: s.send(b"m%d" % i), 6, "send to a live peer")
    wait_line(peer, "got 100")
    # Killed while the sender is busy sending.
    threading.Timer(0.05, kill, [peer]).start()
    s.sndtimeo = 200
    blocked_at = None
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            timed(lambda: s.send(b"more"), 1.5, "send after the peer died")
        except zmq.Again:
            blocked_at = time.monotonic()
            break
    assert blocked_at is not None, "send kept succeeding with the only peer dead (no HWM?)"
    s.sndtimeo = 5000
    peer = start_peer(PEER_RECEIVER)
    for i in range(150):
        timed(lambda: s.send(b"n%d" % i), 6, "send to a new peer")
    wait_line(peer, "got 100")
    kill(peer)

s.close(linger=0)
timed(ctx.term, 2, "term after the peer died")
print("ok")
'''


@pytest.mark.parametrize("role", ["receiver", "sender"])
@pytest.mark.parametrize("transport", ["tcp", "ipc"])
def test_peer_killed_mid_stream(run_python, transport, role):
    if transport == "ipc" and sys.platform == "win32":
        pytest.skip("no ipc on Windows")
    assert run_child(run_python, KILLED_PEER, transport, role).strip() == "ok"


# ------------------------------------------------- Ctrl-C in every blocking call

# Each case: code that sets up sockets (in `made`, closed with linger 0
# afterwards) and defines call(), which blocks until interrupted.
BLOCKING_CALLS = {
    "recv": """
        s = make(zmq.PULL); s.bind("tcp://127.0.0.1:*")
        call = s.recv
    """,
    "recv_multipart": """
        s = make(zmq.PULL); s.bind("tcp://127.0.0.1:*")
        call = s.recv_multipart
    """,
    "socket.poll": """
        s = make(zmq.PULL); s.bind("tcp://127.0.0.1:*")
        call = s.poll
    """,
    "send on HWM, no reader": """
        s = make(zmq.PUSH, sndhwm=1); s.bind("tcp://127.0.0.1:*")
        def call():
            while True:
                s.send(b"x")
    """,
    "send on HWM, stalled reader": """
        r = make(zmq.PULL, rcvhwm=1); r.bind("inproc://stalled")
        s = make(zmq.PUSH, sndhwm=1); s.connect("inproc://stalled")
        def call():
            while True:
                s.send(b"x")
    """,
    "Poller.poll": """
        s = make(zmq.PULL); s.bind("tcp://127.0.0.1:*")
        poller = zmq.Poller(); poller.register(s, zmq.POLLIN)
        call = poller.poll
    """,
    "zmq.select": """
        s = make(zmq.PULL); s.bind("tcp://127.0.0.1:*")
        call = lambda: zmq.select([s], [], [])
    """,
    "zmq.proxy": """
        f = make(zmq.PULL); f.bind("tcp://127.0.0.1:*")
        b = make(zmq.PUSH); b.bind("tcp://127.0.0.1:*")
        call = lambda: zmq.proxy(f, b)
    """,
    "monitored_queue": """
        from zmq.devices import monitored_queue
        f = make(zmq.PULL); f.bind("tcp://127.0.0.1:*")
        b = make(zmq.PUSH); b.bind("tcp://127.0.0.1:*")
        m = make(zmq.PUB); m.bind("tcp://127.0.0.1:*")
        call = lambda: monitored_queue(f, b, m)
    """,
    # Blocked forwarding a message nobody takes (a PUSH with no peer), not
    # waiting for one.
    "monitored_queue sending": """
        from zmq.devices import monitored_queue
        f = make(zmq.PULL); f.bind("inproc://mq-in")
        b = make(zmq.PUSH); b.bind("tcp://127.0.0.1:*")
        m = make(zmq.PUB); m.bind("tcp://127.0.0.1:*")
        feed = make(zmq.PUSH); feed.connect("inproc://mq-in"); feed.send(b"stuck")
        call = lambda: monitored_queue(f, b, m)
    """,
}

SIGINT_CHILD = r'''
import os, signal, threading, time, textwrap, sys
import zmq

ctx = zmq.Context()
made = []


def make(kind, **options):
    s = ctx.socket(kind)
    s.linger = 0
    for name, value in options.items():
        setattr(s, name, value)
    made.append(s)
    return s


exec(textwrap.dedent(sys.argv[1]))
sent = []


def interrupt():
    # Late enough that the main thread is surely inside the blocking call.
    time.sleep(0.2)
    sent.append(time.monotonic())
    os.kill(os.getpid(), signal.SIGINT)


threading.Thread(target=interrupt, daemon=True).start()
try:
    call()
except KeyboardInterrupt:
    latency = time.monotonic() - sent[0]
else:
    raise AssertionError("the call returned instead of blocking")
assert latency < 0.1, f"KeyboardInterrupt came {latency:.3f} s after SIGINT"
for s in made:
    s.close(linger=0)
t0 = time.monotonic()
ctx.term()
assert time.monotonic() - t0 < 1, "term after the interrupt was slow"
print("latency %.4f" % latency)
'''


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("case", list(BLOCKING_CALLS))
def test_ctrl_c_interrupts_blocking_call(run_python, case):
    out = run_child(run_python, SIGINT_CHILD, BLOCKING_CALLS[case])
    assert out.startswith("latency "), out


SIGINT_TERM_CHILD = r'''
import os, signal, tempfile, threading, time
import zmq

url = "ipc://" + tempfile.mkdtemp() + "/absent-peer"
ctx = zmq.Context()
s = ctx.socket(zmq.PUSH)
s.linger = -1
s.connect(url)
s.send(b"lingering")
s.close()
sent = []


def interrupt():
    time.sleep(0.2)
    sent.append(time.monotonic())
    os.kill(os.getpid(), signal.SIGINT)


threading.Thread(target=interrupt, daemon=True).start()
try:
    ctx.term()
except KeyboardInterrupt:
    latency = time.monotonic() - sent[0]
else:
    raise AssertionError("term returned with a message lingering forever")
assert latency < 0.1, f"KeyboardInterrupt came {latency:.3f} s after SIGINT"

# The interrupted context stays terminable: once the peer shows up and takes
# the lingering message, a second term() returns.
peer_ctx = zmq.Context()
peer = peer_ctx.socket(zmq.PULL)
peer.rcvtimeo = 5000
peer.bind(url)
t0 = time.monotonic()
ctx.term()
took = time.monotonic() - t0
assert took < 5, f"second term took {took:.2f} s although the peer took the message"
assert ctx.closed
assert peer.recv() == b"lingering", "the lingering message was lost"
peer.close()
peer_ctx.term()
print("latency %.4f" % latency)
'''


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and ipc")
def test_ctrl_c_interrupts_term_with_lingering_socket(run_python):
    out = run_child(run_python, SIGINT_TERM_CHILD)
    assert out.startswith("latency "), out


# ------------------------------------------------------------------ fork

FORK_CHILD = r'''
import gc, os, sys, time, traceback
import zmq

mode = sys.argv[1]
ctx = zmq.Context()
inst = zmq.Context.instance()
a = ctx.socket(zmq.PAIR)
a.linger = 0
port = a.bind_to_random_port("tcp://127.0.0.1")
b = ctx.socket(zmq.PAIR)
b.linger = 0
b.connect("tcp://127.0.0.1:%d" % port)
b.send(b"warm-up")
assert a.recv() == b"warm-up"
b.send(b"in flight")

pid = os.fork()
if pid == 0:
    try:
        assert not ctx.closed, "the fork closed the inherited context"
        fresh = zmq.Context.instance()
        assert fresh is not inst, "Context.instance() handed the parent's context to the child"
        c = zmq.Context()
        x = c.socket(zmq.PAIR)
        y = c.socket(zmq.PAIR)
        x.rcvtimeo = y.rcvtimeo = 5000
        x.linger = y.linger = 0
        p = x.bind_to_random_port("tcp://127.0.0.1")
        y.connect("tcp://127.0.0.1:%d" % p)
        y.send(b"ping")
        assert x.recv() == b"ping"
        x.send(b"pong")
        assert y.recv() == b"pong"
        x.close()
        y.close()
        c.term()
        fresh.term()
        if mode == "collect":
            del a, b, ctx, inst
            gc.collect()
    except BaseException:
        traceback.print_exc()
        sys.stdout.flush()
        os._exit(1)
    # A normal exit: finalizers run on whatever the parent left behind.
    sys.exit(0)

deadline = time.monotonic() + 10
while True:
    done, status = os.waitpid(pid, os.WNOHANG)
    if done:
        break
    if time.monotonic() > deadline:
        os.kill(pid, 9)
        raise AssertionError("the forked child hung (at exit?)")
    time.sleep(0.01)
assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, \
    f"the forked child failed: wait status {status:#x}"

a.rcvtimeo = b.rcvtimeo = 5000
assert a.recv() == b"in flight", "the message in flight at fork was lost"
a.send(b"after fork")
assert b.recv() == b"after fork"
a.close()
b.close()
ctx.term()
inst.term()
print("ok")
'''


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="no fork")
@pytest.mark.parametrize("mode", ["collect", "exit"])
def test_fork_with_live_context(run_python, mode):
    assert run_child(run_python, FORK_CHILD, mode).strip() == "ok"


# ---------------------------------------------- term() while threads are blocked

TERM_THREADS_CHILD = r'''
import threading, time, sys
import zmq

kinds = sys.argv[1].split(",")
ctx = zmq.Context()
started = threading.Barrier(len(kinds) + 1)
outcome = {}


def blocked(i, kind):
    s = ctx.socket(zmq.PUSH if kind == "send" else zmq.PULL)
    s.linger = 0
    s.rcvtimeo = s.sndtimeo = -1
    if kind == "send":
        s.sndhwm = 1
        s.connect("tcp://127.0.0.1:1")
        call = lambda: [s.send(b"x") for _ in range(100)]
    else:
        s.bind("inproc://blocked-%d" % i)
        if kind == "recv":
            call = s.recv
        elif kind == "recv_multipart":
            call = s.recv_multipart
        elif kind == "socket.poll":
            call = s.poll
        elif kind == "Poller.poll":
            poller = zmq.Poller()
            poller.register(s, zmq.POLLIN)
            call = poller.poll
    started.wait()
    try:
        call()
        outcome[i] = "returned"
    except zmq.ContextTerminated:
        outcome[i] = "ETERM"
    except BaseException as e:
        outcome[i] = repr(e)
    finally:
        s.close()


threads = [threading.Thread(target=blocked, args=(i, k), daemon=True) for i, k in enumerate(kinds)]
for t in threads:
    t.start()
started.wait()
time.sleep(0.2)
t0 = time.monotonic()
ctx.term()
took = time.monotonic() - t0
for t in threads:
    t.join(5)
assert not any(t.is_alive() for t in threads), f"threads still blocked after term: {outcome}"
assert took < 3, f"term took {took:.2f} s"
wrong = {i: (kinds[i], outcome.get(i)) for i in range(len(kinds)) if outcome.get(i) != "ETERM"}
assert not wrong, f"calls that did not raise ContextTerminated: {wrong}"
print("ok")
'''


@pytest.mark.parametrize("kinds", [
    "recv,recv,recv,recv",
    "recv_multipart,send,socket.poll,Poller.poll",
])
def test_term_interrupts_blocked_threads(run_python, kinds):
    assert run_child(run_python, TERM_THREADS_CHILD, kinds).strip() == "ok"


# ------------------------------------------------ zmq.green: a cooperative term

GREEN_PRELUDE = r'''
import faulthandler, os, signal, tempfile, threading, time
import gevent
import zmq.green as zmq

# A term that blocks the hub blocks every greenlet, timeouts included: show
# where, rather than hang until killed.
faulthandler.dump_traceback_later(8, exit=True)

ticks = [0]


def tick():
    while True:
        ticks[0] += 1
        gevent.sleep(0.01)


ticker = gevent.spawn(tick)
url = "ipc://" + tempfile.mkdtemp() + "/absent-peer"


def lingering_context(linger):
    ctx = zmq.Context()
    s = ctx.socket(zmq.PUSH)
    s.linger = linger
    s.connect(url)
    s.send(b"lingering")
    s.close()
    return ctx
'''

GREEN_TERM_WAITS_FOR_PEER = GREEN_PRELUDE + r'''
ctx = lingering_context(-1)
got = []


def peer():
    gevent.sleep(0.5)
    peer_ctx = zmq.Context()
    p = peer_ctx.socket(zmq.PULL)
    p.rcvtimeo = 5000
    p.bind(url)
    got.append(p.recv())
    p.close()
    peer_ctx.term()


peer_greenlet = gevent.spawn(peer)
t0 = time.monotonic()
ctx.term()
took = time.monotonic() - t0
during = ticks[0]
peer_greenlet.join(5)
assert ctx.closed
assert got == [b"lingering"], f"the peer got {got}"
assert 0.4 < took < 5, f"term took {took:.2f} s; the peer came after 0.5 s"
# About 50 at 10 ms a tick; a blocked hub gives 0 or 1.
assert during > 10, f"other greenlets ran only {during} times while term waited"
print("ok")
'''

GREEN_TIMEOUT_THEN_LINGER = GREEN_PRELUDE + r'''
ctx = lingering_context(1500)
t0 = time.monotonic()
try:
    with gevent.Timeout(0.3):
        ctx.term()
except gevent.Timeout:
    fired = time.monotonic() - t0
else:
    raise AssertionError(f"the 0.3 s gevent.Timeout never fired: term returned after "
                         f"{time.monotonic() - t0:.2f} s, with the linger")
assert fired < 0.5, f"the 0.3 s gevent.Timeout fired after {fired:.2f} s"
# A blocked hub lets the 10 ms ticker run at most once; a loaded machine may
# give this process only part of the 0.3 s, so a few ticks are proof enough.
assert ticks[0] >= 3, f"other greenlets ran only {ticks[0]} times in the first term"
assert not ctx.closed, "a term cut short marked the context closed"
# Nothing can shorten the linger of a closed socket: a second term waits for
# the rest of it, cooperatively.
n = ticks[0]
ctx.term()
took = time.monotonic() - t0
assert ctx.closed
assert 1.3 < took < 5, f"the second term ended {took:.2f} s after the first began (linger 1.5 s)"
assert ticks[0] - n > 10, f"other greenlets ran only {ticks[0] - n} times in the second term"
ctx.term()
print("ok")
'''

GREEN_CONCURRENT_TERMS = GREEN_PRELUDE + r'''
ctx = lingering_context(-1)
shadow = zmq.Context.shadow(ctx.underlying)
done = []


def terminate(c, name):
    c.term()
    done.append(name)


waiters = [gevent.spawn(terminate, ctx, "owner"), gevent.spawn(terminate, shadow, "shadow"),
           gevent.spawn(terminate, ctx, "owner again")]
gevent.sleep(0.3)
assert not done, f"term returned with a message lingering: {done}"
peer_ctx = zmq.Context()
p = peer_ctx.socket(zmq.PULL)
p.rcvtimeo = 5000
p.bind(url)
assert p.recv() == b"lingering"
gevent.joinall(waiters, timeout=5, raise_error=True)
assert sorted(done) == ["owner", "owner again", "shadow"], f"finished: {done}"
assert ctx.closed and shadow.closed
p.close()
peer_ctx.term()
print("ok")
'''

GREEN_ETERM_WAKES_GREENLETS = GREEN_PRELUDE + r'''
ctx = zmq.Context()
outcome = {}


def receive(i):
    s = ctx.socket(zmq.PULL)
    s.bind("inproc://blocked-%d" % i)
    try:
        s.recv()
        outcome[i] = "returned"
    except zmq.ContextTerminated:
        outcome[i] = "ETERM"
    except BaseException as e:
        outcome[i] = repr(e)
    finally:
        s.close()


receivers = [gevent.spawn(receive, i) for i in range(3)]
gevent.sleep(0.1)
t0 = time.monotonic()
# The receivers can only see ETERM and close their sockets (which term waits
# for) if the hub runs while term waits.
with gevent.Timeout(5, AssertionError("term blocked with greenlets waiting in recv")):
    ctx.term()
took = time.monotonic() - t0
gevent.joinall(receivers, timeout=5)
assert outcome == {0: "ETERM", 1: "ETERM", 2: "ETERM"}, f"the blocked recvs ended with {outcome}"
assert took < 3, f"term took {took:.2f} s"
print("ok")
'''

GREEN_CTRL_C = GREEN_PRELUDE + r'''
ctx = lingering_context(1000)
sent = []


def interrupt():
    time.sleep(0.2)
    sent.append(time.monotonic())
    os.kill(os.getpid(), signal.SIGINT)


threading.Thread(target=interrupt, daemon=True).start()
try:
    ctx.term()
except KeyboardInterrupt:
    latency = time.monotonic() - sent[0]
else:
    raise AssertionError("term returned with a message lingering")
assert latency < 0.1, f"KeyboardInterrupt came {latency:.3f} s after SIGINT"
t0 = time.monotonic()
ctx.term()
assert ctx.closed and time.monotonic() - t0 < 3
print("ok")
'''


@pytest.mark.skipif(sys.platform == "win32", reason="ipc")
@pytest.mark.parametrize("scenario", ["waits_for_peer", "monkey_patched", "timeout_then_linger",
                                      "concurrent_terms", "eterm_wakes_greenlets", "ctrl_c"])
def test_green_term_is_cooperative(run_python, scenario):
    pytest.importorskip("gevent")
    code = {
        "waits_for_peer": GREEN_TERM_WAITS_FOR_PEER,
        # Threads are greenlets then: the termination must still get a real one.
        "monkey_patched": "from gevent import monkey; monkey.patch_all()\n" + GREEN_TERM_WAITS_FOR_PEER,
        "timeout_then_linger": GREEN_TIMEOUT_THEN_LINGER,
        "concurrent_terms": GREEN_CONCURRENT_TERMS,
        "eterm_wakes_greenlets": GREEN_ETERM_WAKES_GREENLETS,
        "ctrl_c": GREEN_CTRL_C,
    }[scenario]
    assert run_child(run_python, code).strip() == "ok"
