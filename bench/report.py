"""Turning measurements into the outputs: the machine description, the ratios,
and the plain-text table."""

from __future__ import annotations

import os
import platform

from catalog import BY_NAME

SIDES = ("this", "pyzmq", "c")
SIDE_LABELS = {"this": "this", "pyzmq": "pyzmq", "c": "C"}
RATIOS = (("this", "pyzmq"), ("this", "c"))


def ratio_key(a: str, b: str) -> str:
    return f"{SIDE_LABELS[a]}/{SIDE_LABELS[b]}"


def machine_description() -> dict:
    cpu_model = None
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key.strip() in ("model name", "Model", "Hardware") and value.strip():
                    cpu_model = value.strip()
                    break
    except OSError:
        pass
    mem_total_mb = None
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    mem_total_mb = int(line.split()[1]) // 1024
                    break
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        usable = None
    return {
        "cpu_model": cpu_model or platform.processor() or "unknown",
        "cores": os.cpu_count(),
        "cores_usable": usable,
        "mem_total_mb": mem_total_mb,
        "machine": platform.machine(),
        "system": platform.system(),
        "kernel": platform.release(),
        "platform": platform.platform(),
        "loadavg_at_start": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
    }


def compute_ratio(scenario, mine, other):
    """this/other of the best figures; None when either side has no figure or
    the quotient means nothing (a zero RSS growth on the other side)."""
    if mine is None or other is None:
        return None
    if other == 0:
        return None
    return mine / other


def _fmt_figure(kind: str, value) -> str:
    if value is None:
        return ""
    if kind == "rate":
        if value >= 1e6:
            return f"{value / 1e6:.2f}M"
        if value >= 1e3:
            return f"{value / 1e3:.1f}k"
        return f"{value:.0f}"
    if kind == "rss":
        return f"{value:.2f}"
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    if value >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}"


def cell(scenario, side_result) -> str:
    if side_result is None:
        return "-"
    status = side_result["status"]
    if status == "ok":
        text = _fmt_figure(scenario.kind, side_result["best"])
        return text + ("*" if side_result.get("short") else "")
    if status == "na":
        return "n/a"
    if status == "skipped":
        return "skip"
    return "err"


def _fmt_ratio(value) -> str:
    return "-" if value is None else f"{value:.2f}x"


def scenario_label(entry: dict) -> str:
    scenario = BY_NAME[entry["name"]]
    label = scenario.title
    if scenario.kind == "rss":
        counts = {r["count"] for r in entry["results"].values() if r and r.get("count")}
        n = max(counts) if counts else 0
        label += f", {_fmt_count(n)} msgs"
        if n and n < 1_000_000:
            label += " (not 1M)"
    return label


def _fmt_count(n: int) -> str:
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n >= 1000 and n % 1000 == 0:
        return f"{n // 1000}k"
    return str(n)


def table(entries: list) -> str:
    headers = ["scenario", "unit", "ratio: better", "this", "pyzmq", "C", "this/pyzmq", "this/C"]
    rows = []
    for entry in entries:
        scenario = BY_NAME[entry["name"]]
        res = entry["results"]
        rows.append([
            scenario_label(entry),
            scenario.unit,
            "higher" if scenario.better == "higher" else "lower",
            cell(scenario, res.get("this")),
            cell(scenario, res.get("pyzmq")),
            cell(scenario, res.get("c")),
            _fmt_ratio(entry["ratios"].get(ratio_key("this", "pyzmq"))),
            _fmt_ratio(entry["ratios"].get(ratio_key("this", "c"))),
        ])
    widths = [max(len(str(r[i])) for r in rows + [headers]) for i in range(len(headers))]
    left = {0, 1, 2}

    def line(cells):
        out = []
        for i, c in enumerate(cells):
            out.append(str(c).ljust(widths[i]) if i in left else str(c).rjust(widths[i]))
        return "  ".join(out).rstrip()

    lines = [line(headers), line(["-" * w for w in widths])]
    lines += [line(r) for r in rows]
    return "\n".join(lines)


def legend(settings: dict) -> str:
    return (
        "Figures are the best of {repeats} runs, each in a fresh process. Ratios are this/other:\n"
        "for us/msg, us/call, us/rtt and MB rows lower is better (0.50x = this takes half the time);\n"
        "for msg/s rows higher is better (2.00x = this moves twice the messages).\n"
        "n/a: the package lacks the feature; -: no such figure (no C floor, or nothing to divide by);\n"
        "*: some timed run lasted less than {min_time} s (a fixed --count, or calibration gave up).\n"
        "RSS rows: growth of ru_maxrss across the loop; a label marked \"(not 1M)\" ran fewer messages than the 1M of the default mode."
    ).format(**settings)


def notes(entries: list) -> list:
    out = []
    for entry in entries:
        for side, r in entry["results"].items():
            if r and r["status"] in ("na", "error"):
                out.append(f"{entry['name']} [{SIDE_LABELS[side]}] {r['status']}: {r.get('reason', '')}".rstrip())
    return out
