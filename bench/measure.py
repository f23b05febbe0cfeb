"""Running one scenario on one side: the subprocess, the pilot run that sizes
the count, the calibration that grows it, and the summary of the runs."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import catalog

SCENARIO_SCRIPT = Path(__file__).resolve().parent / "scenarios.py"

# A timed run below the minimum time is discarded and redone with a larger
# count, at most this many times (so a pathological scenario cannot loop).
MAX_CALIBRATIONS = 4
MAX_GROWTH = 100.0
# Before its first timed run, each side runs 1/PILOT_DIVISOR of the starting
# count: one side can be a thousand times slower than another on a row, and a
# starting count that suits the fast sides would keep a slow one busy for
# minutes. A count projected past PILOT_SHRINK times the target time is cut to
# fit the target.
PILOT_DIVISOR = 200
PILOT_MIN = 10
PILOT_SHRINK = 4.0


class Side:
    """How to start a timed run on one side."""

    def __init__(self, name, argv_prefix, env, extra_env=None):
        self.name = name
        self.argv_prefix = argv_prefix
        self.env = env
        # What a scenario's `needs` adds to the environment, by need.
        self.extra_env = extra_env or {}

    def command(self, scenario, count, warmup, floor_exes=None):
        if self.name == "c":
            exe = floor_exes[scenario.c_program]
            return [str(exe), *scenario.c_args, str(count), str(warmup)]
        return [*self.argv_prefix, str(SCENARIO_SCRIPT), scenario.name, str(count), str(warmup)]

    def env_for(self, scenario):
        extra = self.extra_env.get(scenario.needs) if scenario.needs else None
        return {**self.env, **extra} if extra else self.env


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
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        tail = (stderr or stdout).strip().splitlines()[-1:]
        return {"status": "error", "reason": f"exit {proc.returncode}: " + " | ".join(tail)}
    lines = [ln for ln in stdout.strip().splitlines() if ln.strip()]
    try:
        result = json.loads(lines[-1])
    except (ValueError, IndexError):
        return {"status": "error", "reason": f"no result line in output: {stdout[-200:]!r}"}
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
        self.max_runs = min(settings["repeats"], scenario.max_repeats or settings["repeats"])
        self.runs = []
        self.discarded = []
        self.errors = []
        self.status = "ok"
        self.reason = None
        self.piloted = False

    def _run(self, count, cwd, floor_exes):
        cmd = self.side.command(self.scenario, count, warmup_for(count), floor_exes)
        return run_once(cmd, self.side.env_for(self.scenario), cwd, self.settings["timeout"])

    def _failed(self, r):
        """Record a failed run; True when the measurement cannot go on."""
        if r["status"] == "na":
            self.status, self.reason = "na", r["reason"]
            return True
        if r["status"] == "error":
            self.errors.append(r["reason"])
            if not self.runs:
                self.status, self.reason = "error", r["reason"]
            return True
        return False

    def _pilot(self, cwd, floor_exes):
        """A short run that sizes the count; False when the side cannot go on."""
        pilot = self.count // PILOT_DIVISOR
        if pilot < PILOT_MIN:
            return True
        r = self._run(pilot, cwd, floor_exes)
        if self._failed(r):
            return False
        r["figure"] = catalog.figure(self.scenario, r)
        r["pilot"] = True
        self.discarded.append(r)
        per_op = max(r["elapsed"], 1e-9) / pilot
        projected = per_op * self.count
        s = self.settings
        if self.fixed:
            if projected > s["fixed_budget"]:
                self.status = "slow"
                self.reason = (
                    f"projected {projected:.0f} s for {self.count} messages ({pilot} took "
                    f"{r['elapsed']:.2f} s), over the {s['fixed_budget']:g} s budget for a fixed-count run"
                )
                return False
            return True
        if projected > PILOT_SHRINK * s["target_time"]:
            self.count = max(PILOT_MIN, int(s["target_time"] / per_op * 1.1) + 1)
        return True

    def step(self, cwd, floor_exes):
        """One more timed run, sizing the count first."""
        if self.status != "ok" or len(self.runs) >= self.max_runs:
            return
        if not self.piloted:
            self.piloted = True
            if not self._pilot(cwd, floor_exes):
                return
        s = self.settings
        calibrations = sum(1 for r in self.discarded if not r.get("pilot"))
        for _ in range(MAX_CALIBRATIONS + 1):
            r = self._run(self.count, cwd, floor_exes)
            if self._failed(r):
                return
            r["figure"] = catalog.figure(self.scenario, r)
            # Every run, not only the first, must last the minimum time: the
            # best of several is the fastest, so a count that just passes once
            # would otherwise yield a short best run.
            if self.fixed or r["elapsed"] >= s["min_time"] or calibrations >= MAX_CALIBRATIONS:
                self.runs.append(r)
                return
            self.discarded.append(r)
            calibrations += 1
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
            out["short"] = not self.fixed and any(r["elapsed"] < self.settings["min_time"] for r in self.runs)
        if self.discarded:
            out["calibration_runs"] = self.discarded
        if self.errors:
            out["errors"] = self.errors
        return out


def derived_summary(scenario, source: dict) -> dict:
    """The summary of a row read from another row's runs: the same runs, this
    row's metric."""
    out = {k: v for k, v in source.items() if k not in ("best", "figures", "calibration_runs")}
    if source.get("runs"):
        figures = [catalog.figure(scenario, r) for r in source["runs"]]
        out["figures"] = figures
        out["best"] = catalog.best(scenario, figures)
    out["runs_of"] = scenario.runs_of
    return out
