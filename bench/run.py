"""Benchmark this package against the real pyzmq, against pyomq and against C
on the bundled libzmq, in one run. See bench/README.md.

    python bench/run.py            # default mode (about 12 minutes on 2 cores)
    python bench/run.py --quick    # about 2.5 minutes

Run it with the interpreter that has this project installed: that interpreter's
`zmq` is "this". Every timed run happens in a fresh subprocess (this project's
interpreter, a reference venv's interpreter, or a C program), so no two
packages ever share a process.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import fnmatch
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import catalog  # noqa: E402
import floor_build  # noqa: E402
import pyomq_env  # noqa: E402
import pyzmq_env  # noqa: E402
import report  # noqa: E402
from measure import SCENARIO_SCRIPT, Measurement, Side, derived_summary  # noqa: E402

CHART_SCRIPT = BENCH_DIR / "chart.py"
DEFAULT_RESULTS = BENCH_DIR / "results"

QUICK = {
    "repeats": 2, "scale": 0.3, "target_time": 0.15, "min_time": 0.1, "socket_timeout": 0,
    "rss_count": 200_000, "mem_count": 1_000_000, "alloc_count": 100_000, "fixed_budget": 30.0,
}
DEFAULT = {
    "repeats": 5, "scale": 1.0, "target_time": 0.5, "min_time": 0.2, "socket_timeout": 0,
    "rss_count": 1_000_000, "mem_count": 10_000_000, "alloc_count": 500_000, "fixed_budget": 120.0,
}
FIXED_SETTINGS = ("rss_count", "mem_count", "alloc_count")


def log(msg=""):
    print(msg, file=sys.stderr, flush=True)


# -- command line -------------------------------------------------------------------


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="Benchmark this zmq package against pyzmq, pyomq and C on the bundled libzmq.",
    )
    p.add_argument("--quick", action="store_true",
                   help="fewer repeats, shorter runs, smaller memory runs (a couple of minutes)")
    p.add_argument("--repeats", type=int, help="timed runs per scenario and side; the best is kept "
                   f"(default {DEFAULT['repeats']}, quick {QUICK['repeats']})")
    p.add_argument("--scale", type=float, help="multiply every starting message count "
                   f"(default {DEFAULT['scale']}, quick {QUICK['scale']})")
    p.add_argument("--count", action="append", default=[], metavar="SCENARIO=N",
                   help="fixed message count for one scenario on every side (no calibration); repeatable")
    p.add_argument("--rss-count", type=int, help="messages in the PAIR RSS-growth row "
                   f"(default {DEFAULT['rss_count']}, quick {QUICK['rss_count']})")
    p.add_argument("--mem-count", type=int, help="messages in the tcp peak-RSS rows "
                   f"(default {DEFAULT['mem_count']}, quick {QUICK['mem_count']})")
    p.add_argument("--alloc-count", type=int, help="messages in the allocations row "
                   f"(default {DEFAULT['alloc_count']}, quick {QUICK['alloc_count']})")
    p.add_argument("--fixed-budget", type=float,
                   help="seconds a fixed-count (memory) run may be projected to take before a side "
                   f"is marked slow instead of run (default {DEFAULT['fixed_budget']:g}, "
                   f"quick {QUICK['fixed_budget']:g})")
    p.add_argument("--target-time", type=float,
                   help="seconds a calibrated timed run aims for "
                   f"(default {DEFAULT['target_time']}, quick {QUICK['target_time']})")
    p.add_argument("--min-time", type=float,
                   help="a timed run shorter than this is redone with more messages "
                   f"(default {DEFAULT['min_time']}, quick {QUICK['min_time']})")
    p.add_argument("--socket-timeout", type=int, metavar="MS",
                   help="RCVTIMEO/SNDTIMEO of every scenario socket, and the stall limit of the event-loop "
                   f"scenarios (default {DEFAULT['socket_timeout']}, quick {QUICK['socket_timeout']}); "
                   "0 sets no socket timeout, leaving --timeout as the only bound")
    p.add_argument("--only", default="", metavar="NAMES",
                   help="comma-separated scenario names or globs (default: all)")
    p.add_argument("--sides", default=",".join(report.SIDES),
                   help=f"comma-separated subset of {','.join(report.SIDES)} (default: all)")
    p.add_argument("--timeout", type=float, default=300.0, help="seconds allowed per subprocess (default 300)")
    p.add_argument("--venv", "--pyzmq-venv", dest="venv", type=Path, default=pyzmq_env.DEFAULT_VENV,
                   help="virtualenv with pyzmq %s, tornado and matplotlib (created on first use; "
                   "default bench/.venv-pyzmq)" % pyzmq_env.PYZMQ_VERSION)
    p.add_argument("--pyomq-venv", type=Path, default=pyomq_env.DEFAULT_VENV,
                   help="virtualenv with pyomq %s and tornado (created on first use; "
                   "default bench/.venv-pyomq)" % pyomq_env.PYOMQ_VERSION)
    p.add_argument("--results", type=Path, default=DEFAULT_RESULTS, help="output directory (default bench/results)")
    p.add_argument("--no-chart", action="store_true", help="skip the PNG chart")
    p.add_argument("--list", action="store_true", help="list the scenarios and exit")
    args = p.parse_args(argv)

    mode = QUICK if args.quick else DEFAULT
    args.mode = "quick" if args.quick else "default"
    for key in ("repeats", "scale", "target_time", "min_time", "socket_timeout", "fixed_budget", *FIXED_SETTINGS):
        if getattr(args, key) is None:
            setattr(args, key, mode[key])
    if min(args.repeats, args.scale, args.rss_count, args.mem_count, args.alloc_count, args.fixed_budget) <= 0:
        p.error("--repeats, --scale, --fixed-budget and the memory counts must be positive")
    if args.socket_timeout < 0:
        p.error("--socket-timeout must be 0 (none) or positive")
    args.target_time = max(args.target_time, args.min_time)
    fixed = {}
    for item in args.count:
        name, sep, n = item.partition("=")
        if not sep or name not in catalog.BY_NAME or not n.isdigit() or int(n) < 1:
            p.error(f"--count wants SCENARIO=N with a known scenario, got {item!r}")
        if catalog.BY_NAME[name].runs_of:
            p.error(f"{name} reuses the runs of {catalog.BY_NAME[name].runs_of}; give the count for that")
        fixed[name] = int(n)
    args.fixed = fixed
    args.side_list = [s.strip() for s in args.sides.split(",") if s.strip()]
    for s in args.side_list:
        if s not in report.SIDES:
            p.error(f"unknown side {s!r}; choose from {', '.join(report.SIDES)}")
    patterns = [x.strip() for x in args.only.split(",") if x.strip()]
    args.scenarios = [
        s for s in catalog.SCENARIOS if not patterns or any(fnmatch.fnmatch(s.name, pat) for pat in patterns)
    ]
    if not args.scenarios:
        p.error(f"--only {args.only!r} matches no scenario")
    return args


# -- the sides ----------------------------------------------------------------------


def python_info(python_argv, env, cwd, timeout):
    out = subprocess.run(
        [*python_argv, str(SCENARIO_SCRIPT), "info"], env=env, cwd=cwd, capture_output=True, text=True,
        timeout=timeout,
    )
    if out.returncode != 0:
        raise RuntimeError(f"{python_argv[0]} cannot import zmq:\n{out.stderr.strip()}")
    return json.loads(out.stdout.strip().splitlines()[-1])


class Setup:
    """Everything the runs need: the sides that can run, what each side is, and
    why a wanted side cannot run."""

    def __init__(self):
        self.sides = {}
        self.infos = {}
        self.unavailable = {}
        self.floor_exes = {}
        self.c_info = {}
        self.chart_python = None


def _socket_env(env, args):
    return {**env, "BENCH_SOCKET_TIMEOUT_MS": str(args.socket_timeout)}


def prepare(args, cwd, results_dir):
    st = Setup()
    build_dir = results_dir / "floor-build"
    alloc_env = {}
    try:
        counter = floor_build.build_alloc_counter(build_dir, log=log)
        # Every Python allocation goes through malloc, and so through the
        # counter, instead of pymalloc's pools.
        alloc_env = {"alloc_counter": {"LD_PRELOAD": str(counter), "PYTHONMALLOC": "malloc"}}
    except (floor_build.FloorBuildError, OSError, subprocess.SubprocessError) as e:
        st.c_info["alloc_counter_error"] = str(e)
        log(f"allocation counter unavailable: {e}")

    this_env = _socket_env(dict(os.environ), args)
    st.infos["this"] = python_info([sys.executable], this_env, cwd, args.timeout)
    if "this" in args.side_list:
        st.sides["this"] = Side("this", [sys.executable], this_env, alloc_env)

    if "pyzmq" in args.side_list or not args.no_chart:
        python = pyzmq_env.ensure(args.venv, log=log)
        st.chart_python = python
        env = _socket_env(pyzmq_env.side_env(), args)
        st.infos["pyzmq"] = python_info([str(python)], env, cwd, args.timeout)
        if Path(st.infos["pyzmq"]["zmq_file"]).resolve() == Path(st.infos["this"]["zmq_file"]).resolve():
            raise SystemExit("this package and the reference venv import the same zmq; run with the project's python")
        if "pyzmq" in args.side_list:
            st.sides["pyzmq"] = Side("pyzmq", [str(python)], env, alloc_env)

    if "pyomq" in args.side_list:
        # pyomq is a peer, not the reference: without it the run goes on and
        # its column says why.
        try:
            python = pyomq_env.ensure(args.pyomq_venv, log=log)
            env = _socket_env(pyomq_env.side_env(), args)
            st.infos["pyomq"] = python_info([str(python)], env, cwd, args.timeout)
            st.sides["pyomq"] = Side("pyomq", [str(python)], env, alloc_env)
        except (RuntimeError, OSError, subprocess.SubprocessError) as e:
            st.unavailable["pyomq"] = f"pyomq side unavailable: {str(e).strip()[-300:]}"
            log(st.unavailable["pyomq"])

    if "c" in args.side_list:
        wanted = sorted({s.c_program for s in args.scenarios if s.c_program})
        try:
            st.floor_exes = floor_build.build(
                wanted, st.infos["this"]["includes"], st.infos["this"]["library_dirs"], build_dir, log=log,
            )
            cc = floor_build.compiler()
            st.c_info.update(compiler=floor_build.compiler_version(cc), build_dir=str(build_dir))
            st.sides["c"] = Side("c", None, dict(os.environ))
        except floor_build.FloorBuildError as e:
            log(f"C floor unavailable: {e}")
            st.unavailable["c"] = str(e)
            st.c_info["error"] = str(e)
    if not alloc_env:
        st.unavailable["alloc_counter"] = f"allocation counter unavailable: {st.c_info.get('alloc_counter_error')}"
    return st


# -- measuring ----------------------------------------------------------------------


def start_count(scenario, side, args):
    if scenario.name in args.fixed:
        return args.fixed[scenario.name], True
    if scenario.fixed_setting:
        return getattr(args, scenario.fixed_setting), True
    base = scenario.c_count if side == "c" else scenario.py_count
    return max(1, int(base * args.scale)), False


def measure_row(scenario, args, st, settings, cwd):
    """{side: summary} for one scenario; None where C has no floor."""
    measurements = {}
    results = {}
    for side_name in report.SIDES:
        if side_name not in args.side_list:
            results[side_name] = {"status": "skipped"}
        elif side_name == "c" and not scenario.c_program:
            results[side_name] = None
        elif side_name in st.unavailable:
            results[side_name] = {"status": "error", "reason": st.unavailable[side_name]}
        elif scenario.needs and scenario.needs in st.unavailable:
            results[side_name] = {"status": "error", "reason": st.unavailable[scenario.needs]}
        else:
            count, fixed = start_count(scenario, side_name, args)
            measurements[side_name] = Measurement(scenario, st.sides[side_name], count, fixed, settings)
    # Interleave the sides run by run, so that a slow phase of the machine
    # (another job, a frequency change) hits every side alike.
    for _ in range(args.repeats):
        for m in measurements.values():
            m.step(cwd, st.floor_exes)
    for side_name, m in measurements.items():
        results[side_name] = m.summary()
    return {k: results[k] for k in report.SIDES}


def derive_row(scenario, source_results):
    return {
        side: (derived_summary(scenario, r) if r and r.get("status") == "ok" else r)
        for side, r in source_results.items()
    }


def make_entry(scenario, results):
    best = {k: (v or {}).get("best") for k, v in results.items()}
    entry = {
        "name": scenario.name,
        "title": scenario.title,
        "group": scenario.group,
        "kind": scenario.kind,
        "unit": scenario.unit,
        "better": scenario.better,
        "results": results,
        "ratios": {
            report.ratio_key(a, b): report.compute_ratio(scenario, best.get(a), best.get(b))
            for a, b in report.RATIOS
        },
    }
    if scenario.runs_of:
        entry["runs_of"] = scenario.runs_of
    entry["label"] = report.scenario_label(entry)
    return entry


# -- outputs ------------------------------------------------------------------------


def side_descriptions(st, entries):
    out = {k: st.infos[k] for k in ("this", "pyzmq", "pyomq") if k in st.infos}
    for k, why in st.unavailable.items():
        if k in report.SIDES and k != "c":
            out[k] = {"error": why}
    c_versions = sorted({
        r["libzmq_version"]
        for e in entries
        for r in (e["results"].get("c") or {}).get("runs", [])
        if "libzmq_version" in r
    })
    out["c"] = {**st.c_info, "libzmq_version": c_versions[0] if len(c_versions) == 1 else c_versions}
    return out


def draw_chart(st, json_path, results_dir, cwd, timeout):
    png = results_dir / "ratios.png"
    env = pyzmq_env.side_env()
    env["MPLBACKEND"] = "Agg"
    env.setdefault("MPLCONFIGDIR", str(results_dir / ".mplconfig"))
    out = subprocess.run(
        [str(st.chart_python), str(CHART_SCRIPT), str(json_path), str(png)],
        env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout,
    )
    if out.returncode == 0:
        print(f"chart: {png}")
    else:
        log(f"chart failed: {out.stderr.strip()[-500:]}")


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    # SIGTERM becomes an exception, so the running measurement's process
    # group is ended on the way out (as for Ctrl-C).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    if args.list:
        for s in catalog.SCENARIOS:
            floor = f"C: {s.c_program} {' '.join(s.c_args)}" if s.c_program else "no C floor"
            print(f"{s.name:26} {s.kind:6} {s.unit:10} {s.title}  [{floor}]")
        return 0

    t_start = time.perf_counter()
    results_dir = args.results.resolve()
    results_dir.mkdir(parents=True, exist_ok=True)
    # Subprocesses run from here: a neutral directory, so that nothing in the
    # repository root (this project's source `zmq/`) shadows the package under test.
    cwd = results_dir
    settings = {
        "mode": args.mode,
        "repeats": args.repeats,
        "scale": args.scale,
        "target_time": args.target_time,
        "min_time": args.min_time,
        "rss_count": args.rss_count,
        "mem_count": args.mem_count,
        "alloc_count": args.alloc_count,
        "fixed_budget": args.fixed_budget,
        "fixed_counts": args.fixed,
        "socket_timeout_ms": args.socket_timeout,
        "timeout": args.timeout,
        "sides": args.side_list,
        "command": [Path(sys.argv[0]).name, *sys.argv[1:]],
    }

    st = prepare(args, cwd, results_dir)
    for line in report.side_lines(st.infos):
        log(line)
    log(f"mode {args.mode}: {args.repeats} runs per figure, target {args.target_time} s per timed run")

    machine = report.machine_description()
    entries = []
    measured = {}
    for scenario in args.scenarios:
        if scenario.runs_of:
            source = catalog.BY_NAME[scenario.runs_of]
            if source.name not in measured:
                measured[source.name] = measure_row(source, args, st, settings, cwd)
            results = derive_row(scenario, measured[source.name])
        else:
            results = measured.get(scenario.name) or measure_row(scenario, args, st, settings, cwd)
            measured[scenario.name] = results
        entries.append(make_entry(scenario, results))
        shown = "  ".join(
            f"{report.SIDE_LABELS[k]} {report.cell(scenario, v)}" for k, v in results.items() if v is not None
        )
        log(f"{scenario.name:26} {scenario.unit:10} {shown}")

    data = {
        "schema": 2,
        "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "mode": args.mode,
        "settings": settings,
        "machine": machine,
        "sides": side_descriptions(st, entries),
        "scenarios": entries,
        "elapsed_s": None,
    }
    text = report.document(entries, settings, st.infos, machine)
    data["elapsed_s"] = round(time.perf_counter() - t_start, 1)
    json_path = results_dir / "results.json"
    json_path.write_text(json.dumps(data, indent=1) + "\n")
    (results_dir / "table.txt").write_text(text + "\n")

    print(text)
    print(f"\nraw results: {json_path}")
    if not args.no_chart and st.chart_python is not None:
        draw_chart(st, json_path, results_dir, cwd, args.timeout)
    print(f"total time: {time.perf_counter() - t_start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
