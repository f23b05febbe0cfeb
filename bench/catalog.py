"""The rows of the table: what each measures, how its figure is computed, where
its C floor program is, and the message counts to start from.

Counts are starting points for the default mode on a small machine; bench/run.py
scales them (--quick, --scale), shrinks any that a short pilot run shows would
take far longer than the target time, and grows any whose timed run comes out
shorter than the minimum, so that every side on every machine measures for
about the same time.
"""

from __future__ import annotations

from dataclasses import dataclass

# What a figure means and which way is better.
KINDS = {
    "time": {"better": "lower"},  # microseconds per operation
    "rate": {"better": "higher"},  # messages per second
    "rss": {"better": "lower"},  # MB of peak-RSS growth across the loop
    "mem": {"better": "lower"},  # MB of peak RSS of a whole process
    "allocs": {"better": "lower"},  # heap allocation calls per message
}


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    kind: str
    unit: str
    py_count: int
    # The C floor: program name under bench/floor/ (without .c) and the
    # arguments that come before <count> <warmup>; None when there is no floor.
    c_program: str | None = None
    c_args: tuple = ()
    c_count: int = 0
    group: str = "inproc"
    # A fixed count is part of what the row measures: it comes from this
    # setting of bench/run.py (e.g. "mem_count"), never calibrated; the label
    # shows it, with "(not N)" when it is below full_count.
    fixed_setting: str | None = None
    full_count: int = 0
    # The result key holding the figure, for rows that report more than time.
    metric: str | None = None
    # A row read from another row's runs (the same processes report both).
    runs_of: str | None = None
    # Timed runs per side at most, for rows whose runs are long and whose
    # figure hardly varies.
    max_repeats: int | None = None
    # Something the harness must provide: "alloc_counter" preloads
    # bench/floor/alloc_count.c and routes Python's allocations through it.
    needs: str | None = None

    @property
    def better(self) -> str:
        return KINDS[self.kind]["better"]


def _wire(name, title, size_args, py_count, c_count):
    return Scenario(name, title, "rate", "msg/s", py_count, "push_pull", size_args, c_count, group="wire")


SCENARIOS = (
    Scenario(
        "pair_64_copy", "inproc PAIR send+recv 64 B, copy=True", "time", "us/msg",
        1_000_000, "inproc_pair", ("copy", "64"), 5_000_000,
    ),
    Scenario(
        "pair_64_nocopy", "inproc PAIR send+recv 64 B, copy=False", "time", "us/msg",
        1_000_000, "inproc_pair", ("zerocopy", "64"), 5_000_000,
    ),
    Scenario(
        "pair_64k_nocopy", "inproc PAIR send+recv 64 KB, copy=False", "time", "us/msg",
        300_000, "inproc_pair", ("zerocopy", "65536"), 5_000_000,
    ),
    Scenario(
        "pair_1m_nocopy", "inproc PAIR send+recv 1 MB, copy=False", "time", "us/msg",
        300_000, "inproc_pair", ("zerocopy", "1048576"), 5_000_000,
    ),
    Scenario(
        "multipart_3", "inproc multipart [id, '', 64 B] send+recv", "time", "us/msg",
        300_000, "inproc_pair", ("multipart", "64"), 2_000_000,
    ),
    Scenario(
        "multipart_4x64k_nocopy", "inproc multipart 4 x 64 KB, copy=False", "time", "us/msg",
        100_000, "inproc_pair", ("zcmultipart", "65536"), 1_000_000, group="library",
    ),
    Scenario("string_64", "inproc send_string+recv_string 64 chars", "time", "us/msg", 1_000_000),
    Scenario(
        "json_small", "inproc send_json+recv_json small dict", "time", "us/msg", 100_000, group="library",
    ),
    Scenario(
        "poll_idle_10", "Poller.poll(0) over 10 idle sockets", "time", "us/call",
        300_000, "poll_idle", ("10",), 150_000,
    ),
    _wire("tcp_push_pull_64", "tcp PUSH->PULL throughput 64 B", ("tcp", "64"), 1_000_000, 2_000_000),
    _wire("tcp_push_pull_1k", "tcp PUSH->PULL throughput 1 KB", ("tcp", "1024"), 500_000, 300_000),
    _wire("tcp_push_pull_16k", "tcp PUSH->PULL throughput 16 KB", ("tcp", "16384"), 100_000, 100_000),
    _wire("tcp_push_pull_256k", "tcp PUSH->PULL throughput 256 KB", ("tcp", "262144"), 5_000, 5_000),
    _wire("ipc_push_pull_64", "ipc PUSH->PULL throughput 64 B", ("ipc", "64"), 1_000_000, 2_000_000),
    _wire("ipc_push_pull_1k", "ipc PUSH->PULL throughput 1 KB", ("ipc", "1024"), 500_000, 300_000),
    Scenario(
        "tcp_req_rep_64", "tcp REQ/REP round trip 64 B", "time", "us/rtt",
        20_000, "tcp_req_rep", ("64",), 20_000, group="wire",
    ),
    Scenario(
        "device_mq_tcp_64", "ThreadMonitoredQueue tcp->inproc + monitor 64 B", "rate", "msg/s",
        300_000, "device_proxy", ("capture",), 1_000_000, group="library",
    ),
    Scenario(
        "device_streamer_tcp_64", "ThreadDevice(STREAMER) tcp->inproc 64 B", "rate", "msg/s",
        300_000, "device_proxy", ("streamer",), 1_000_000, group="library",
    ),
    Scenario(
        "rss_pair_64", "peak RSS growth, PAIR 64 B loop", "rss", "MB",
        1_000_000, group="memory", fixed_setting="rss_count", full_count=1_000_000, metric="growth_mb",
    ),
    Scenario(
        "mem_tcp_push_pull_64", "peak RSS of receiver, tcp PUSH->PULL 64 B", "mem", "MB",
        10_000_000, group="memory", fixed_setting="mem_count", full_count=10_000_000,
        metric="recv_peak_rss_mb", max_repeats=2,
    ),
    Scenario(
        "mem_tcp_sender_64", "peak RSS of sender, same runs", "mem", "MB",
        10_000_000, group="memory", fixed_setting="mem_count", full_count=10_000_000,
        metric="send_peak_rss_mb", runs_of="mem_tcp_push_pull_64",
    ),
    Scenario(
        "allocs_tcp_push_pull_64", "heap allocations, tcp PUSH->PULL 64 B", "allocs", "allocs/msg",
        500_000, group="memory", fixed_setting="alloc_count", metric="allocs_per_msg",
        max_repeats=1, needs="alloc_counter",
    ),
    Scenario(
        "asyncio_pair_64", "asyncio PAIR await send+recv 64 B", "time", "us/msg",
        30_000, group="async",
    ),
    Scenario(
        "asyncio_push_pull_64", "asyncio PUSH->PULL 2 tasks 64 B", "rate", "msg/s",
        50_000, group="async",
    ),
    Scenario(
        "asyncio_router_dealer_64", "asyncio DEALER->ROUTER echo tcp, 100 in flight", "rate", "msg/s",
        30_000, group="async",
    ),
    Scenario(
        "tornado_echo_64", "tornado ZMQStream echo tcp 64 B, 100 in flight", "rate", "msg/s",
        10_000, group="async",
    ),
    Scenario(
        "tornado_stream_pull_64", "tornado ZMQStream(PULL).on_recv tcp 64 B", "rate", "msg/s",
        50_000, group="async",
    ),
)

BY_NAME = {s.name: s for s in SCENARIOS}
FLOOR_PROGRAMS = tuple(sorted({s.c_program for s in SCENARIOS if s.c_program}))


def figure(scenario: Scenario, result: dict) -> float:
    """The figure of one timed run."""
    if scenario.metric:
        return float(result[scenario.metric])
    count, elapsed = result["count"], result["elapsed"]
    if scenario.kind == "time":
        return elapsed / count * 1e6
    return count / elapsed


def best(scenario: Scenario, figures: list) -> float:
    return max(figures) if scenario.better == "higher" else min(figures)
