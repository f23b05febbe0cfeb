"""Turning measurements into the outputs: the machine description, the ratios,
and the plain-text document (header, table, legend, notes)."""

from __future__ import annotations

import os
import platform

from catalog import BY_NAME

SIDES = ("this", "pyzmq", "pyomq", "c")
SIDE_LABELS = {"this": "this", "pyzmq": "pyzmq", "pyomq": "pyomq", "c": "C"}
RATIOS = (("this", "pyzmq"), ("this", "pyomq"), ("this", "c"))


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
    if kind in ("rss", "allocs"):
        return f"{value:.2f}"
    if kind == "mem":
        return f"{value:.1f}"
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
    if status == "slow":
        return "slow"
    return "err"


def _fmt_ratio(value) -> str:
    if value is None:
        return "-"
    # Two significant digits at least, so a ratio far below 1 stays readable.
    return f"{value:.2f}x" if value >= 0.1 else f"{value:.2g}x"


def scenario_label(entry: dict) -> str:
    """The row's title; a fixed-count row also says how many messages it ran,
    and "(not N)" when that is fewer than the default mode's N."""
    scenario = BY_NAME[entry["name"]]
    label = scenario.title
    if scenario.fixed_setting:
        counts = {r["count"] for r in entry["results"].values() if r and r.get("count")}
        n = max(counts) if counts else 0
        label += f", {_fmt_count(n)} msgs"
        if n and n < scenario.full_count:
            label += f" (not {_fmt_count(scenario.full_count)})"
    return label


def _fmt_count(n: int) -> str:
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n >= 1000 and n % 1000 == 0:
        return f"{n // 1000}k"
    return str(n)


def table(entries: list) -> str:
    headers = ["scenario", "unit", "ratio: better", *(SIDE_LABELS[k] for k in SIDES),
               *(ratio_key(a, b) for a, b in RATIOS)]
    rows = []
    for entry in entries:
        scenario = BY_NAME[entry["name"]]
        res = entry["results"]
        rows.append([
            scenario_label(entry),
            scenario.unit,
            "higher" if scenario.better == "higher" else "lower",
            *(cell(scenario, res.get(k)) for k in SIDES),
            *(_fmt_ratio(entry["ratios"].get(ratio_key(a, b))) for a, b in RATIOS),
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
        "Figures are the best of {repeats} runs (memory rows: fewer, see bench/README.md), each in a fresh\n"
        "process. Ratios are this/other: for us/msg, us/call, us/rtt, MB and allocs/msg rows lower is better\n"
        "(0.50x = this takes half the time); for msg/s rows higher is better (2.00x = this moves twice the messages).\n"
        "n/a: the package lacks the feature; err: the run failed (see Notes); slow: a fixed-count run was\n"
        "projected past its {fixed_budget:g} s budget and not run; -: no such figure (no C floor, or nothing to\n"
        "divide by); *: some timed run lasted less than {min_time} s (a fixed --count, or calibration gave up).\n"
        "Memory rows: \"peak RSS growth\" is the growth of ru_maxrss across the loop; \"peak RSS of\" is a whole\n"
        "process's ru_maxrss; heap allocations are malloc-family calls of the receiving process per message\n"
        "(PYTHONMALLOC=malloc, counted by a preloaded wrapper). \"(not N)\" marks fewer messages than the default mode's N."
    ).format(**settings)


def notes(entries: list) -> list:
    out = []
    for entry in entries:
        if entry.get("runs_of"):
            continue
        for side, r in entry["results"].items():
            if r and r["status"] in ("na", "error", "slow"):
                out.append(f"{entry['name']} [{SIDE_LABELS[side]}] {r['status']}: {r.get('reason', '')}".rstrip())
    return out


def side_lines(infos: dict) -> list:
    """One line per Python side: which package, which file."""
    out = []
    for k in ("this", "pyzmq", "pyomq"):
        i = infos.get(k)
        if i:
            out.append(
                f"{k}: {i['package']} {i['package_version']} at {i['zmq_file']} "
                f"(reports libzmq {i['libzmq_version']}; Python {i['python']})"
            )
    return out


def document(entries: list, settings: dict, infos: dict, machine: dict) -> str:
    header = side_lines(infos) + [
        "C: the libzmq bundled in this package, through its link kit",
        f"{machine['cpu_model']}, {machine['cores']} cores, Python {infos['this']['python']}, "
        f"{settings['mode']} mode, best of {settings['repeats']}, socket timeouts "
        + (f"{settings['socket_timeout_ms']} ms" if settings["socket_timeout_ms"] else "off"),
    ]
    text = "\n".join(header) + "\n\n" + table(entries) + "\n\n" + legend(settings)
    extra = notes(entries)
    if extra:
        text += "\n\nNotes:\n" + "\n".join("  " + n for n in extra)
    return text
