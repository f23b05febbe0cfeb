"""The scenario list: what each scenario measures, how its figure is computed,
where its C floor program is, and the message counts to start from.

Counts are starting points for the default mode on a small machine; bench/run.py
scales them (--quick, --scale) and grows any count whose timed run comes out
shorter than the minimum run time, so that a faster machine still measures for
long enough.
"""

from __future__ import annotations

from dataclasses import dataclass

# What a figure means. "time": microseconds per operation (lower is better);
# "rate": messages per second (higher is better); "rss": MB of peak-RSS growth
# (lower is better).
KINDS = {
    "time": {"better": "lower"},
    "rate": {"better": "higher"},
    "rss": {"better": "lower"},
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
    group: str = "sync"
    # A fixed count is measured as given (the RSS scenario: its count is part
    # of what it measures), never grown to reach the minimum run time.
    fixed_count: bool = False

    @property
    def better(self) -> str:
        return KINDS[self.kind]["better"]


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
    Scenario("string_64", "inproc send_string+recv_string 64 chars", "time", "us/msg", 1_000_000),
    Scenario("json_small", "inproc send_json+recv_json small dict", "time", "us/msg", 100_000),
    Scenario(
        "poll_idle_10", "Poller.poll(0) over 10 idle sockets", "time", "us/call",
        300_000, "poll_idle", ("10",), 150_000,
    ),
    Scenario(
        "tcp_push_pull_64", "tcp PUSH->PULL throughput 64 B", "rate", "msg/s",
        1_000_000, "tcp_push_pull", ("64",), 2_000_000,
    ),
    Scenario(
        "tcp_push_pull_1k", "tcp PUSH->PULL throughput 1 KB", "rate", "msg/s",
        500_000, "tcp_push_pull", ("1024",), 300_000,
    ),
    Scenario(
        "tcp_req_rep_64", "tcp REQ/REP round trip 64 B", "time", "us/rtt",
        20_000, "tcp_req_rep", ("64",), 20_000,
    ),
    Scenario(
        "device_mq_tcp_64", "ThreadMonitoredQueue tcp->inproc + monitor 64 B", "rate", "msg/s",
        300_000,
    ),
    Scenario(
        "rss_pair_64", "peak RSS growth, PAIR 64 B loop", "rss", "MB",
        1_000_000, fixed_count=True,
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
        "tornado_echo_64", "tornado ZMQStream echo tcp 64 B", "rate", "msg/s",
        10_000, group="async",
    ),
)

BY_NAME = {s.name: s for s in SCENARIOS}
FLOOR_PROGRAMS = tuple(sorted({s.c_program for s in SCENARIOS if s.c_program}))


def figure(scenario: Scenario, result: dict) -> float:
    """The figure of one timed run."""
    if scenario.kind == "rss":
        return float(result["growth_mb"])
    count, elapsed = result["count"], result["elapsed"]
    if scenario.kind == "time":
        return elapsed / count * 1e6
    return count / elapsed


def best(scenario: Scenario, figures: list) -> float:
    return max(figures) if scenario.better == "higher" else min(figures)
