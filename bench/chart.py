"""Draw bench/results/ratios.png from results.json.

Run by the reference virtualenv's interpreter (which has matplotlib), so this
project's environment needs nothing extra:

    <venv>/bin/python bench/chart.py <results.json> <out.png>

Two panels because the ratios point in opposite directions: time-like and
memory figures (lower is better) and throughput figures (higher is better).
Each row has one bar per peer (this/pyzmq, this/pyomq, this/C). The ratio axis
is logarithmic so that 0.5x and 2x are equally far from parity.
"""

from __future__ import annotations

import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import ticker  # noqa: E402

SERIES = (("this/pyzmq", "pyzmq", "#1f77b4"), ("this/pyomq", "pyomq", "#2ca02c"), ("this/C", "c", "#ff7f0e"))
_STATUS_WORDS = {"na": "n/a", "error": "err", "slow": "slow", "skipped": "not run"}


def _fmt(v):
    return f"{v:.2f}x" if v >= 0.1 else f"{v:.2g}x"


def _missing(entry, other):
    """Why a ratio is absent, in two words."""
    results = entry["results"]
    if results.get(other) is None:
        return "no C floor"
    for side in ("this", other):
        r = results.get(side) or {}
        status = r.get("status")
        if status in _STATUS_WORDS:
            return f"{_STATUS_WORDS[status]} ({side})"
    return "undefined (0)"


def _panel(ax, entries, title):
    labels = [e["label"] for e in entries]
    n = len(entries)
    height = 0.8 / len(SERIES)
    seen = [v for e in entries for v in e["ratios"].values() if v is not None and v > 0]
    lo = min(seen + [1.0]) / 3.0
    hi = max(seen + [1.0]) * 2.2
    ax.set_xscale("log")
    ax.set_xlim(lo, hi)
    # 1-2-5 ticks collide once the ratios span several decades (pyomq's can).
    subs = (1.0, 2.0, 5.0) if hi / lo < 1e3 else (1.0,)
    ax.xaxis.set_major_locator(ticker.LogLocator(base=10, subs=subs))
    ax.xaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{v:g}x"))
    ax.xaxis.set_minor_formatter(ticker.NullFormatter())
    for k, (key, other, color) in enumerate(SERIES):
        for i, e in enumerate(entries):
            v = e["ratios"].get(key)
            y = i + (k - (len(SERIES) - 1) / 2) * height
            if v is None or v <= 0:
                ax.text(1.0, y, " " + _missing(e, other), va="center", ha="left", fontsize=6, color="gray")
                continue
            # Bars grow from parity (1x), so better and worse point opposite ways.
            ax.barh(y, v - 1.0, left=1.0, height=height, color=color)
            ax.text(v, y, f" {_fmt(v)} ", va="center", ha="left" if v >= 1 else "right", fontsize=6)
        ax.barh([0], [0], left=1.0, height=0, color=color, label=key)
    ax.set_yticks(range(n))
    ax.set_yticklabels(labels, fontsize=8)
    ax.set_ylim(n - 0.5, -0.5)
    ax.axvline(1.0, color="black", linewidth=0.8)
    ax.set_title(title, fontsize=10, pad=20)
    # Above the bars, not over them: rows near 1x and far from it both occur.
    ax.legend(fontsize=8, ncol=len(SERIES), loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
    ax.grid(axis="x", which="both", alpha=0.25)


def main(src, dst):
    with open(src) as f:
        data = json.load(f)
    lower, higher = [], []
    for e in data["scenarios"]:
        # Rows without any ratio stay visible (marked n/a): a missing feature
        # is a result too.
        (higher if e["better"] == "higher" else lower).append(e)
    panels = [(lower, "time, memory, allocations: ratio this/other, lower is better"),
              (higher, "throughput (msg/s): ratio this/other, higher is better")]
    panels = [p for p in panels if p[0]]
    if not panels:
        print("no ratios to draw", file=sys.stderr)
        return 1
    heights = [max(1.5, 0.6 * len(p[0]) + 0.8) for p in panels]
    fig, axes = plt.subplots(
        len(panels), 1, figsize=(10, sum(heights) + 0.8), gridspec_kw={"height_ratios": heights}, squeeze=False
    )
    for ax, (entries, title) in zip(axes[:, 0], panels):
        _panel(ax, entries, title)
    m = data.get("machine", {})
    sides = data["sides"]
    fig.suptitle(
        f"this package vs pyzmq {sides.get('pyzmq', {}).get('package_version', '?')}, "
        f"pyomq {sides.get('pyomq', {}).get('package_version', '?')} and the C floor"
        f" - {m.get('cpu_model', '?')}, {m.get('cores', '?')} cores, {data.get('mode', '')} mode",
        fontsize=9,
    )
    fig.tight_layout(rect=(0, 0, 1, 0.985))
    fig.savefig(dst, dpi=120)
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
