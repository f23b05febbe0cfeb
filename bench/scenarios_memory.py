"""Memory scenarios: peak RSS and heap allocations, each over a fixed message
count (the count is part of what is measured, so the harness never changes it).
"""

from __future__ import annotations

import ctypes
import gc
import os
import resource
import sys
import time

from scenario_kit import children_peak_rss_kb, inproc_pair, result, scenario, zmq_module
from scenarios_wire import push_pull

# Exported by bench/floor/alloc_count.c when the harness preloads it.
ALLOC_COUNTER = "bench_alloc_calls"


def _vm_hwm_kb():
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def _maxrss_kb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


@scenario("rss_pair_64")
def rss_pair_64(count, warmup):
    zmq = zmq_module()
    ctx = zmq.Context()
    a, b = inproc_pair(ctx, "bench-rss")
    payload = os.urandom(64)

    def body(n):
        for _ in range(n):
            a.send(payload)
            b.recv()

    # The warm-up lets allocator pools and libzmq's pipes reach their steady
    # size, so the growth that remains is what the loop itself keeps.
    body(warmup)
    gc.collect()
    before = _maxrss_kb()
    hwm_before = _vm_hwm_kb()
    t0 = time.perf_counter()
    body(count)
    elapsed = time.perf_counter() - t0
    after = _maxrss_kb()
    hwm_after = _vm_hwm_kb()
    ctx.destroy(linger=0)
    return result(
        count,
        elapsed,
        maxrss_before_kb=before,
        maxrss_after_kb=after,
        vmhwm_before_kb=hwm_before,
        vmhwm_after_kb=hwm_after,
        growth_mb=(after - before) / 1024.0,
    )


class _RetainedBlocks:
    """Python allocator blocks still allocated after the loop, per message: a
    leak shows up here, steady-state churn does not."""

    def __init__(self, count):
        self.count = count

    def start(self):
        gc.collect()
        self.before = sys.getallocatedblocks()

    def stop(self):
        gc.collect()
        return {"pyblocks_retained_per_msg": (sys.getallocatedblocks() - self.before) / self.count}


@scenario("mem_tcp_push_pull_64")
def mem_tcp_push_pull_64(count, warmup):
    """Peak RSS of both processes of a tcp PUSH->PULL run of `count` 64 B
    messages: the receiver is this process, the sender its (only) child."""
    out = push_pull(count, warmup, 64, "tcp", probe=_RetainedBlocks(count))
    recv_kb = _maxrss_kb()
    send_kb = children_peak_rss_kb()
    out.update(
        recv_maxrss_kb=recv_kb,
        recv_vmhwm_kb=_vm_hwm_kb(),
        send_maxrss_kb=send_kb,
        recv_peak_rss_mb=recv_kb / 1024.0,
        send_peak_rss_mb=send_kb / 1024.0,
    )
    return out


class _AllocCalls:
    """Heap allocation calls of this whole process (every thread, so libzmq's
    or the runtime's I/O threads too) across the timed loop, read from the
    counting allocator that the harness preloads."""

    def __init__(self, count):
        self.count = count
        try:
            fn = getattr(ctypes.CDLL(None), ALLOC_COUNTER)
        except AttributeError:
            raise RuntimeError(
                f"{ALLOC_COUNTER} not found: run through bench/run.py, which preloads bench/floor/alloc_count.c"
            ) from None
        fn.restype = ctypes.c_ulonglong
        fn.argtypes = []
        self.read = fn

    def start(self):
        self.before = self.read()

    def stop(self):
        calls = self.read() - self.before
        return {
            "alloc_calls": calls,
            "allocs_per_msg": calls / self.count,
            "python_allocator": os.environ.get("PYTHONMALLOC", "default"),
        }


@scenario("allocs_tcp_push_pull_64")
def allocs_tcp_push_pull_64(count, warmup):
    return push_pull(count, warmup, 64, "tcp", probe=_AllocCalls(count))
