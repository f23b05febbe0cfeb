"""A Context dropped without term() while its sockets still hold undelivered
messages: the messages get Context.dropped_linger milliseconds to be delivered,
then are discarded with a ResourceWarning that counts them. The garbage
collector never waits longer, and nothing (threads, descriptors) is left behind.

Each scenario runs in a child interpreter: a hang or crash fails that test only.
"""

import json

import pytest

from zmq import _build_info

pytestmark = pytest.mark.skipif(
    _build_info.LINK_MODE != "bundled",
    reason="discarding lingering messages needs the bundled (patched) libzmq")

# Shared by the children: counts of the process's OS threads and descriptors,
# waiting (bounded) for libzmq's threads to finish exiting.
PRELUDE = """
import gc, json, os, sys, tempfile, time, warnings
import zmq

def resources():
    return len(os.listdir("/proc/self/task")), len(os.listdir("/proc/self/fd"))

def steady():
    # Threads of earlier contexts may still be exiting: wait for two equal
    # readings in a row.
    last = resources()
    for _ in range(200):
        time.sleep(0.02)
        now = resources()
        if now == last:
            return now
        last = now
    return last

def settle(baseline, deadline=10.0):
    end = time.monotonic() + deadline
    while resources() != baseline and time.monotonic() < end:
        time.sleep(0.01)
    return resources()

def nobody():
    # An endpoint with no peer: what is sent there can never be delivered.
    return {
        "tcp": "tcp://127.0.0.1:1",
        "ipc": "ipc://" + os.path.join(tempfile.mkdtemp(), "nobody"),
        "inproc": "inproc://nobody",
    }

class Caught:
    # Keeps the warnings' text only: catch_warnings(record=True) would keep
    # each warning's source object, i.e. the very sockets and contexts whose
    # release is being tested.
    def __enter__(self):
        self.messages = []
        self._saved = warnings.catch_warnings()
        self._saved.__enter__()
        warnings.simplefilter("always")
        warnings.showwarning = lambda message, *args, **kwargs: self.messages.append(str(message))
        return self.messages

    def __exit__(self, *exc):
        self._saved.__exit__(*exc)

def drop(endpoint, n):
    ctx = zmq.Context()
    s = ctx.socket(zmq.PUSH)
    s.connect(endpoint)
    for i in range(n):
        s.send(b"x%d" % i)
    del s, ctx
"""


def _child(run_python, body, timeout=120):
    result = run_python(PRELUDE + body, timeout=timeout)
    assert result.returncode == 0, f"child failed ({result.returncode}):\n{result.stderr[-3000:]}"
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_discarded_messages_are_counted_in_the_warning(run_python):
    out = _child(run_python, """
zmq.Context.dropped_linger = 0
endpoints = nobody()
found = {}
for kind, n in (("tcp", 3), ("ipc", 2), ("inproc", 1)):
    with Caught() as caught:
        start = time.monotonic()
        drop(endpoints[kind], n)
        gc.collect()
        elapsed = time.monotonic() - start
    found[kind] = (caught, elapsed)
print(json.dumps(found))
""")
    for kind, n in (("tcp", 3), ("ipc", 2), ("inproc", 1)):
        messages, elapsed = out[kind]
        noun = "message" if n == 1 else "messages"
        counted = [m for m in messages if m.startswith("Unclosed context")]
        assert len(counted) == 1, messages
        assert counted[0].endswith(f": {n} undelivered {noun} discarded"), counted[0]
        assert elapsed < 0.5, f"{kind}: dropping took {elapsed:.2f} s with dropped_linger = 0"


def test_a_stuck_drop_waits_no_longer_than_dropped_linger(run_python):
    out = _child(run_python, """
zmq.Context.dropped_linger = 300
start = time.monotonic()
with Caught() as caught:
    drop(nobody()["tcp"], 5)
print(json.dumps([time.monotonic() - start, caught]))
""")
    elapsed, messages = out
    assert 0.25 < elapsed < 1.5, f"a drop with dropped_linger = 300 took {elapsed:.2f} s"
    assert any(m.endswith(": 5 undelivered messages discarded") for m in messages), messages


@pytest.mark.parametrize("transport", ["tcp", "ipc"])
def test_deliverable_messages_are_delivered_within_the_grace_period(run_python, transport):
    # A function that sends and returns without term(): with pyzmq the
    # collector waits until the peer has everything; here too, as long as
    # delivery takes less than dropped_linger.
    out = _child(run_python, """
n = 20000
ctx = zmq.Context()
pull = ctx.socket(zmq.PULL)
pull.rcvtimeo = 5000
if sys.argv[1] == "tcp":
    port = pull.bind_to_random_port("tcp://127.0.0.1")
    endpoint = f"tcp://127.0.0.1:{port}"
else:
    endpoint = "ipc://" + os.path.join(tempfile.mkdtemp(), "pull")
    pull.bind(endpoint)

def send_and_forget():
    sender_ctx = zmq.Context()
    push = sender_ctx.socket(zmq.PUSH)
    push.connect(endpoint)
    for i in range(n):
        push.send(b"%d" % i)

import threading
received = []
def receive():
    try:
        for _ in range(n):
            received.append(int(pull.recv()))
    except zmq.Again:
        pass
reader = threading.Thread(target=receive)
reader.start()
with Caught() as caught:
    send_and_forget()
    gc.collect()
reader.join()
pull.close()
ctx.term()
print(json.dumps([len(received), received == list(range(n)), caught]))
""".replace("sys.argv[1]", repr(transport)))
    count, in_order, messages = out
    assert count == 20000 and in_order, f"{count} of 20000 delivered (in order: {in_order})"
    assert not [m for m in messages if "discarded" in m], messages


def test_a_thousand_drops_leave_nothing_behind(run_python):
    out = _child(run_python, """
zmq.Context.dropped_linger = 0
endpoints = nobody()
kinds = ["tcp", "ipc", "inproc"]
for i in range(20):   # warm-up: allocator arenas, first-use imports
    drop(endpoints[kinds[i % 3]], 1)
baseline = steady()
discarded = 0
start = time.monotonic()
with Caught() as caught:
    for i in range(1000):
        drop(endpoints[kinds[i % 3]], 1)
    gc.collect()
for text in caught:
    if text.startswith("Unclosed context") and text.endswith("undelivered message discarded"):
        discarded += int(text.rsplit(": ", 1)[1].split()[0])
elapsed = time.monotonic() - start
print(json.dumps([baseline, settle(baseline), discarded, elapsed]))
""", timeout=300)
    baseline, after, discarded, elapsed = out
    assert after == baseline, f"(threads, fds) went from {baseline} to {after} over 1000 drops"
    assert discarded == 1000, f"the warnings counted {discarded} discarded messages, not 1000"


def test_a_context_collected_in_one_cycle_with_its_open_socket(run_python):
    # The collector may finalize the Context before the Socket of the same
    # cycle closes: termination must then neither block the collector nor be
    # left waiting once the socket is gone.
    out = _child(run_python, """
zmq.Context.dropped_linger = 200
baseline = steady()
class Holder:
    pass
for i in range(50):
    h = Holder()
    h.ctx = zmq.Context()
    h.sock = h.ctx.socket(zmq.PUSH)
    h.sock.connect(nobody()["tcp"])
    h.sock.send(b"x")
    h.me = h
    del h
start = time.monotonic()
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    gc.collect()
collect_time = time.monotonic() - start
print(json.dumps([collect_time, baseline, settle(baseline)]))
""")
    collect_time, baseline, after = out
    assert collect_time < 5, f"gc.collect() took {collect_time:.2f} s"
    assert after == baseline, f"(threads, fds) went from {baseline} to {after}"
