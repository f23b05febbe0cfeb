"""Private virtualenvs for the reference packages (pyzmq, pyomq): made on first
use, completed when something is missing, reused afterwards.

Each reference package lives in a venv of its own, so no two `zmq`-like
packages ever meet in one interpreter and the project's environment needs
nothing extra.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

PIP_TIMEOUT = 1200
PROBE_TIMEOUT = 120

# Variables that could make a venv's interpreter import something other than
# its own site-packages (e.g. this project's source tree).
_LEAKY_ENV = ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONUSERBASE", "PYTHONSAFEPATH")


@dataclass(frozen=True)
class VenvSpec:
    label: str  # what the venv is for, in log lines
    package: str  # the distribution whose version is pinned
    version: str
    extras: tuple  # other distributions, unpinned
    # Python code printing one JSON line {"version": ..., "file": ...} for the
    # pinned package; it must fail when an extra is missing.
    probe: str


def clean_env() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in _LEAKY_ENV}
    env["PYTHONNOUSERSITE"] = "1"
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def venv_python(venv: Path) -> Path:
    return venv / "bin" / "python"


def _probe(spec: VenvSpec, python: Path, neutral_cwd: Path) -> dict | None:
    """What the venv holds now, or None when it is missing or incomplete."""
    if not python.exists():
        return None
    try:
        out = subprocess.run(
            [str(python), "-c", spec.probe], cwd=neutral_cwd, env=clean_env(),
            capture_output=True, text=True, timeout=PROBE_TIMEOUT,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if out.returncode != 0:
        return None
    try:
        return json.loads(out.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return None


def _ready(spec: VenvSpec, found: dict | None, venv: Path) -> bool:
    return bool(found) and found.get("version") == spec.version and (
        str(venv.resolve()) in str(Path(found["file"]).resolve())
    )


def ensure(spec: VenvSpec, venv: Path, base_python: str = sys.executable, log=print) -> Path:
    """Return the venv's interpreter, creating or completing the venv if needed."""
    # A neutral working directory: `python -c` puts the cwd first on sys.path,
    # and the repository root holds this project's (uncompiled) `zmq` package.
    neutral = venv.parent
    neutral.mkdir(parents=True, exist_ok=True)
    python = venv_python(venv)
    if _ready(spec, _probe(spec, python, neutral), venv):
        return python

    if not python.exists() or subprocess.run(
        [str(python), "-c", "pass"], cwd=neutral, env=clean_env(), capture_output=True, timeout=PROBE_TIMEOUT
    ).returncode != 0:
        log(f"creating the {spec.label} virtualenv {venv} (one-time) ...")
        subprocess.run(
            [base_python, "-m", "venv", "--clear", str(venv)],
            cwd=neutral, env=clean_env(), check=True, timeout=PIP_TIMEOUT,
        )
    wanted = [f"{spec.package}=={spec.version}", *spec.extras]
    log(f"installing {' '.join(wanted)} into {venv} (one-time) ...")
    out = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", *wanted],
        cwd=neutral, env=clean_env(), capture_output=True, text=True, timeout=PIP_TIMEOUT,
    )
    if out.returncode != 0:
        raise RuntimeError(f"pip install into {venv} failed:\n{out.stderr.strip()[-2000:]}")
    found = _probe(spec, python, neutral)
    if not _ready(spec, found, venv):
        raise RuntimeError(f"{venv} does not provide {spec.package} {spec.version} after installing it: {found}")
    return python
