"""What every scenario body shares: the registry, the bounded sockets, the
timing helpers, the peer process and the stall watchdog for event loops.

The scenarios import `zmq` lazily (inside the bodies), so this module is safe
to import before the package under test is chosen.
"""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import tempfile
import time

# Any single wait longer than this is a failure, not a slow run: it turns a lost
# message into an exception instead of a hang. The harness may lower it
# (--socket-timeout) through this variable.
WAIT_MS = int(os.environ.get("BENCH_SOCKET_TIMEOUT_MS", "10000"))
# Event-loop scenarios cannot rely on a socket option to bound their waits (a
# callback that never fires has no recv to time out), so a watchdog fails them
# when no message has moved for this long.
STALL_S = WAIT_MS / 1000.0 if WAIT_MS > 0 else 10.0
CHILD_TIMEOUT = 120.0

KB = 1024
MB = 1024 * 1024

ENTRY_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "scenarios.py")

SCENARIOS: dict = {}


def scenario(name):
    def register(fn):
        SCENARIOS[name] = fn
        return fn

    return register


def zmq_module():
    import zmq

    return zmq


def bounded(sock):
    """Socket options every scenario socket gets: waits with a limit, no linger."""
    if WAIT_MS > 0:
        sock.rcvtimeo = WAIT_MS
        sock.sndtimeo = WAIT_MS
    sock.linger = 0
    return sock


def inproc_pair(ctx, name):
    zmq = zmq_module()
    a = bounded(ctx.socket(zmq.PAIR))
    a.bind(f"inproc://{name}")
    b = bounded(ctx.socket(zmq.PAIR))
    b.connect(f"inproc://{name}")
    return a, b


def time_it(body, count, warmup):
    """Run body(warmup) untimed, then time body(count)."""
    body(warmup)
    gc.collect()
    t0 = time.perf_counter()
    body(count)
    return time.perf_counter() - t0


def result(count, elapsed, **extra):
    return {"count": count, "elapsed": elapsed, **extra}


def na(reason):
    return {"na": reason}


# -- the peer process --------------------------------------------------------------


class Peer:
    """The other end of a wire scenario: this same script in a child process,
    running one of the `_`-prefixed roles. Its stderr goes to a file, so that
    when it fails the scenario's error names the peer's own last words."""

    def __init__(self, role, *args):
        self._err = tempfile.TemporaryFile(mode="w+")
        self.proc = subprocess.Popen(
            [sys.executable, ENTRY_SCRIPT, role, *map(str, args)],
            stdin=subprocess.DEVNULL, stderr=self._err,
        )

    def _last_words(self):
        self._err.seek(0)
        lines = [ln.strip() for ln in self._err.read().splitlines() if ln.strip()]
        return lines[-1] if lines else "no message"

    def reap(self):
        try:
            rc = self.proc.wait(timeout=CHILD_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.kill()
            raise RuntimeError("peer process did not finish in time")
        if rc != 0:
            raise RuntimeError(f"peer process exited with status {rc}: {self._last_words()}")

    def failed_early(self):
        """The peer's failure, if it already exited with an error."""
        rc = self.proc.poll()
        if rc:
            return f"peer process exited with status {rc}: {self._last_words()}"
        return None

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=CHILD_TIMEOUT)


def peer_blame(peer, exc):
    """After this side failed with exc: kill the peer and, if it had already
    failed itself, an error naming both (the peer's is often the cause)."""
    why = peer.failed_early()
    peer.kill()
    if why:
        return RuntimeError(f"{type(exc).__name__}: {exc}; {why}")
    return None


def with_peer(peer, fn):
    """fn() while the peer runs; on failure the peer is killed and its own
    error, if it had one, is reported too."""
    try:
        out = fn()
    except BaseException as e:
        time.sleep(0.1)
        blame = peer_blame(peer, e)
        if blame:
            raise blame from e
        raise
    peer.reap()
    return out


def children_peak_rss_kb():
    import resource

    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


# -- event loops -------------------------------------------------------------------


def run_async(main_fn):
    import asyncio

    async def bounded_main():
        return await asyncio.wait_for(main_fn(), CHILD_TIMEOUT)

    return asyncio.run(bounded_main())


async def until_done(done, progress):
    """Await the future `done`, failing if progress() stops moving for STALL_S."""
    import asyncio

    step = 0.5
    last, still = progress(), 0.0
    while True:
        finished, _ = await asyncio.wait({done}, timeout=step)
        if finished:
            return done.result()
        now = progress()
        if now != last:
            last, still = now, 0.0
            continue
        still += step
        if still >= STALL_S:
            done.cancel()
            raise TimeoutError(f"stalled: no message moved for {STALL_S:g} s ({now} so far)")
