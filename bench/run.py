"""Benchmark this package against the real pyzmq and against C on the bundled
libzmq, in one run. See bench/README.md.

    python bench/run.py            # default mode (a few minutes)
    python bench/run.py --quick    # well under 2 minutes

Run it with the interpreter that has this project installed: that interpreter's
`zmq` is "this". Every timed run happens in a fresh subprocess (this project's
interpreter, the reference venv's interpreter, or a C program), so the two
Python packages never share a process.
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
import pyzmq_env  # noqa: E402
import report  # noqa: E402

SCENARIO_SCRIPT = BENCH_DIR / "scenarios.py"
CHART_SCRIPT = BENCH_DIR / "chart.py"
DEFAULT_RESULTS = BENCH_DIR / "results"

QUICK = {"repeats": 3, "scale": 0.3, "target_time": 0.25, "rss_count": 200_000}
DEFAULT = {"repeats": 5, "scale": 1.0, "target_time": 0.5, "rss_count": 1_000_000}
# A timed run below the minimum is discarded and redone with a larger count, at
# most this many times (so a pathological scenario cannot loop).
MAX_CALIBRATIONS = 4
MAX_GROWTH = 100.0


def log(msg=""):
    print(msg, file=sys.stderr, flush=True)


# -- running one measurement ------------------------------------------------------


class Side:
    """How to start a timed run on one side."""

    def __init__(self, name, argv_prefix, env):
        self.name = name
        self.argv_prefix = argv_prefix
        self.env = env

    def command(self, scenario, count, warmup, floor_exes=None):
        if self.name == "c":
            exe = floor_exes[scenario.c_program]
            return [str(exe), *scenario.c_args, str(count), str(warmup)]
        return [*self.argv_prefix, str(SCENARIO_SCRIPT), scenario.name, str(count), str(warmup)]


def _kill_group(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.communicate()


def run_once(cmd, env, cwd, timeout):
    started = time.perf_counter()
    try:
        # A session of its own: on timeout the whole group goes, including a
        # scenario's peer process, which would otherwise linger as an orphan.
        proc = subprocess.Popen(
            cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )
    except OSError as e:
        return {"status": "error", "reason": str(e)}
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        return {"status": "error", "reason": f"timed out after {timeout} s"}
    except BaseException:
        # Ctrl-C reaches only our own process group, not the run's.
        _kill_group(proc)
        raise
    out = subprocess.CompletedProcess(cmd, proc.returncode, stdout, stderr)
    wall = time.perf_counter() - started
    if out.returncode != 0:
        tail = (out.stderr or out.stdout).strip().splitlines()[-3:]
        return {"status": "error", "reason": f"exit {out.returncode}: " + " | ".join(tail)}
    lines = [ln for ln in out.stdout.strip().splitlines() if ln.strip()]
    try:
        result = json.loads(lines[-1])
    except (ValueError, IndexError):
        return {"status": "error", "reason": f"no result line in output: {out.stdout[-200:]!r}"}
    if "na" in result:
        return {"status": "na", "reason": result["na"]}
    result["status"] = "ok"
    result["wall"] = wall
    return result


def warmup_for(count):
    return max(1, count // 10)


class Measurement:
    """The runs of one scenario on one side."""

    def __init__(self, scenario, side, count, fixed, settings):
        self.scenario = scenario
        self.side = side
        self.count = max(1, int(count))
        self.fixed = fixed
        self.settings = settings
        self.runs = []
        self.discarded = []
        self.errors = []
        self.status = "ok"
        self.reason = None

    def step(self, cwd, floor_exes):
        """One more timed run, growing the count first if runs come out short."""
        if self.status != "ok":
            return
        s = self.settings
        for _ in range(MAX_CALIBRATIONS + 1):
            cmd = self.side.command(self.scenario, self.count, warmup_for(self.count), floor_exes)
            r = run_once(cmd, self.side.env, cwd, s["timeout"])
            if r["status"] == "na":
                self.status, self.reason = "na", r["reason"]
                return
            if r["status"] == "error":
                self.errors.append(r["reason"])
                if not self.runs:
                    self.status, self.reason = "error", r["reason"]
                return
            r["figure"] = catalog.figure(self.scenario, r)
            # Every run, not only the first, must last the minimum time: the
            # best of several is the fastest, so a count that just passes once
            # would otherwise yield a short best run.
            if self.fixed or r["elapsed"] >= s["min_time"] or len(self.discarded) >= MAX_CALIBRATIONS:
                self.runs.append(r)
                return
            self.discarded.append(r)
            growth = min(MAX_GROWTH, s["target_time"] / max(r["elapsed"], 1e-6) * 1.1)
            self.count = int(self.count * max(growth, 1.5)) + 1

    def summary(self):
        out = {"status": self.status}
        if self.reason:
            out["reason"] = self.reason
        if self.runs:
            figures = [r["figure"] for r in self.runs]
            out["best"] = catalog.best(self.scenario, figures)
            out["figures"] = figures
            out["count"] = self.runs[-1]["count"]
            out["warmup"] = warmup_for(self.runs[-1]["count"])
            out["runs"] = self.runs
            out["short"] = any(r["elapsed"] < self.settings["min_time"] for r in self.runs) and (
                self.scenario.kind != "rss"
            )
        if self.discarded:
            out["calibration_runs"] = self.discarded
        if self.errors:
            out["errors"] = self.errors
        return out


# -- command line -------------------------------------------------------------------


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="Benchmark this zmq package against pyzmq and against C on the bundled libzmq.",
    )
    p.add_argument("--quick", action="store_true",
                   help="fewer repeats, smaller counts, 200k-message RSS run: well under 2 minutes")
    p.add_argument("--repeats", type=int, help="timed runs per scenario and side; the best is kept "
                   f"(default {DEFAULT['repeats']}, quick {QUICK['repeats']})")
    p.add_argument("--scale", type=float, help="multiply every starting message count "
                   f"(default {DEFAULT['scale']}, quick {QUICK['scale']})")
    p.add_argument("--count", action="append", default=[], metavar="SCENARIO=N",
                   help="fixed message count for one scenario on every side (no calibration); repeatable")
    p.add_argument("--rss-count", type=int, help="messages in the RSS scenario "
                   f"(default {DEFAULT['rss_count']}, quick {QUICK['rss_count']})")
    p.add_argument("--target-time", type=float,
                   help="seconds a calibrated timed run aims for (default 0.5, quick 0.25)")
    p.add_argument("--min-time", type=float, default=0.2,
                   help="a timed run shorter than this is redone with more messages (default 0.2)")
    p.add_argument("--only", default="", metavar="NAMES",
                   help="comma-separated scenario names or globs (default: all)")
    p.add_argument("--sides", default="this,pyzmq,c", help="comma-separated subset of this,pyzmq,c")
    p.add_argument("--timeout", type=float, default=300.0, help="seconds allowed per subprocess (default 300)")
    p.add_argument("--venv", type=Path, default=pyzmq_env.DEFAULT_VENV,
                   help="reference virtualenv with pyzmq %s (created on first use)" % pyzmq_env.PYZMQ_VERSION)
    p.add_argument("--results", type=Path, default=DEFAULT_RESULTS, help="output directory (default bench/results)")
    p.add_argument("--no-chart", action="store_true", help="skip the PNG chart")
    p.add_argument("--list", action="store_true", help="list the scenarios and exit")
    args = p.parse_args(argv)

    mode = QUICK if args.quick else DEFAULT
    args.mode = "quick" if args.quick else "default"
    args.repeats = args.repeats or mode["repeats"]
    args.scale = args.scale or mode["scale"]
    args.target_time = args.target_time or mode["target_time"]
    args.rss_count = args.rss_count or mode["rss_count"]
    if args.repeats < 1 or args.scale <= 0 or args.rss_count < 1:
        p.error("--repeats, --scale and --rss-count must be positive")
    args.target_time = max(args.target_time, args.min_time)
    fixed = {}
    for item in args.count:
        name, sep, n = item.partition("=")
        if not sep or name not in catalog.BY_NAME or not n.isdigit() or int(n) < 1:
            p.error(f"--count wants SCENARIO=N with a known scenario, got {item!r}")
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


def python_info(python_argv, env, cwd, timeout):
    out = subprocess.run(
        [*python_argv, str(SCENARIO_SCRIPT), "info"], env=env, cwd=cwd, capture_output=True, text=True,
        timeout=timeout,
    )
    if out.returncode != 0:
        raise RuntimeError(f"{python_argv[0]} cannot import zmq:\n{out.stderr.strip()}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def start_count(scenario, side, args):
    if scenario.name in args.fixed:
        return args.fixed[scenario.name], True
    if scenario.kind == "rss":
        return args.rss_count, True
    base = scenario.c_count if side == "c" else scenario.py_count
    return max(1, int(base * args.scale)), False


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    # SIGTERM becomes an exception, so the running measurement's process
    # group is ended on the way out (as for Ctrl-C).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    if args.list:
        for s in catalog.SCENARIOS:
            floor = f"C: {s.c_program} {' '.join(s.c_args)}" if s.c_program else "no C floor"
            print(f"{s.name:22} {s.kind:5} {s.unit:8} {s.title}  [{floor}]")
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
        "fixed_counts": args.fixed,
        "timeout": args.timeout,
        "command": [Path(sys.argv[0]).name, *sys.argv[1:]],
    }

    sides = {}
    infos = {}
    this_env = dict(os.environ)
    infos["this"] = python_info([sys.executable], this_env, cwd, args.timeout)
    if "this" in args.side_list:
        sides["this"] = Side("this", [sys.executable], this_env)

    venv_python = None
    if "pyzmq" in args.side_list or not args.no_chart:
        venv_python = pyzmq_env.ensure(args.venv, log=log)
        infos["pyzmq"] = python_info([str(venv_python)], pyzmq_env.clean_env(), cwd, args.timeout)
        if Path(infos["pyzmq"]["zmq_file"]).resolve() == Path(infos["this"]["zmq_file"]).resolve():
            raise SystemExit("this package and the reference venv import the same zmq; run with the project's python")
    if "pyzmq" in args.side_list:
        sides["pyzmq"] = Side("pyzmq", [str(venv_python)], pyzmq_env.clean_env())

    floor_exes = {}
    c_info = {}
    if "c" in args.side_list:
        wanted = sorted({s.c_program for s in args.scenarios if s.c_program})
        try:
            floor_exes = floor_build.build(
                wanted, infos["this"]["includes"], infos["this"]["library_dirs"],
                results_dir / "floor-build", log=log,
            )
            cc = floor_build.compiler()
            c_info = {"compiler": floor_build.compiler_version(cc), "build_dir": str(results_dir / "floor-build")}
            sides["c"] = Side("c", None, dict(os.environ))
        except floor_build.FloorBuildError as e:
            log(f"C floor unavailable: {e}")
            c_info = {"error": str(e)}

    log(f"this:  {infos['this']['zmq_file']} (pyzmq API {infos['this']['pyzmq_version']}, "
        f"libzmq {infos['this']['libzmq_version']}, Python {infos['this']['python']})")
    if "pyzmq" in infos:
        log(f"pyzmq: {infos['pyzmq']['zmq_file']} (pyzmq {infos['pyzmq']['pyzmq_version']}, "
            f"libzmq {infos['pyzmq']['libzmq_version']}, Python {infos['pyzmq']['python']})")
    log(f"mode {args.mode}: {args.repeats} runs per figure, target {args.target_time} s per timed run")

    machine = report.machine_description()
    entries = []
    for scenario in args.scenarios:
        measurements = {}
        for side_name in report.SIDES:
            if side_name not in sides:
                continue
            if side_name == "c" and (not scenario.c_program or scenario.c_program not in floor_exes):
                continue
            count, fixed = start_count(scenario, side_name, args)
            measurements[side_name] = Measurement(scenario, sides[side_name], count, fixed, settings)
        # Interleave the sides run by run, so that a slow phase of the machine
        # (another job, a frequency change) hits every side alike.
        for _ in range(args.repeats):
            for m in measurements.values():
                m.step(cwd, floor_exes)
        results = {}
        for side_name in report.SIDES:
            if side_name in measurements:
                results[side_name] = measurements[side_name].summary()
            elif side_name in args.side_list and side_name == "c" and not scenario.c_program:
                results[side_name] = None
            elif side_name not in args.side_list:
                results[side_name] = {"status": "skipped"}
            else:
                results[side_name] = {"status": "error", "reason": c_info.get("error", "not run")}
        best = {k: (v or {}).get("best") for k, v in results.items()}
        ratios = {
            report.ratio_key(a, b): report.compute_ratio(scenario, best.get(a), best.get(b))
            for a, b in report.RATIOS
        }
        entry = {
            "name": scenario.name,
            "title": scenario.title,
            "group": scenario.group,
            "kind": scenario.kind,
            "unit": scenario.unit,
            "better": scenario.better,
            "results": results,
            "ratios": ratios,
        }
        entry["label"] = report.scenario_label(entry)
        entries.append(entry)
        shown = "  ".join(
            f"{report.SIDE_LABELS[k]} {report.cell(scenario, v)}" for k, v in results.items() if v is not None
        )
        log(f"{scenario.name:22} {scenario.unit:8} {shown}")

    sides_out = {"this": infos["this"]}
    if "pyzmq" in infos:
        sides_out["pyzmq"] = infos["pyzmq"]
    c_versions = {
        r["libzmq_version"]
        for e in entries
        for r in (e["results"].get("c") or {}).get("runs", [])
        if "libzmq_version" in r
    }
    sides_out["c"] = {**c_info, "libzmq_version": sorted(c_versions)[0] if len(c_versions) == 1 else sorted(c_versions)}
    data = {
        "schema": 1,
        "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "mode": args.mode,
        "settings": settings,
        "machine": machine,
        "sides": sides_out,
        "scenarios": entries,
        "elapsed_s": None,
    }

    text = "\n".join([
        report.table(entries),
        "",
        report.legend(settings),
    ])
    extra = report.notes(entries)
    if extra:
        text += "\n\nNotes:\n" + "\n".join("  " + n for n in extra)
    header = (
        f"this = {infos['this']['zmq_file']} (libzmq {infos['this']['libzmq_version']}); "
        + (f"pyzmq = {infos['pyzmq']['pyzmq_version']} (libzmq {infos['pyzmq']['libzmq_version']}); "
           if "pyzmq" in infos else "")
        + f"C = bundled libzmq via the link kit\n"
        f"{machine['cpu_model']}, {machine['cores']} cores, Python {infos['this']['python']}, "
        f"{args.mode} mode, best of {args.repeats}\n"
    )
    text = header + "\n" + text

    data["elapsed_s"] = round(time.perf_counter() - t_start, 1)
    json_path = results_dir / "results.json"
    json_path.write_text(json.dumps(data, indent=1) + "\n")
    (results_dir / "table.txt").write_text(text + "\n")

    print(text)
    print(f"\nraw results: {json_path}")
    if not args.no_chart and venv_python is not None:
        png = results_dir / "ratios.png"
        env = pyzmq_env.clean_env()
        env["MPLBACKEND"] = "Agg"
        env.setdefault("MPLCONFIGDIR", str(results_dir / ".mplconfig"))
        out = subprocess.run(
            [str(venv_python), str(CHART_SCRIPT), str(json_path), str(png)],
            env=env, cwd=cwd, capture_output=True, text=True, timeout=args.timeout,
        )
        if out.returncode == 0:
            print(f"chart: {png}")
        else:
            log(f"chart failed: {out.stderr.strip()[-500:]}")
    print(f"total time: {time.perf_counter() - t_start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
