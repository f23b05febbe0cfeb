"""The reference environment: a private virtualenv holding the real pyzmq
(plus tornado for the ZMQStream scenario and matplotlib for the chart), made on
first use and reused afterwards.

Keeping pyzmq in its own virtualenv means the two `zmq` packages never meet in
one interpreter, and the project's environment needs nothing extra.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
DEFAULT_VENV = BENCH_DIR / ".venv-pyzmq"
PYZMQ_VERSION = "27.3.0"
# Unpinned on purpose: they only drive the event loop and draw the chart, so any
# current release does.
EXTRA_PACKAGES = ("tornado", "matplotlib")

PIP_TIMEOUT = 1200
PROBE_TIMEOUT = 120

# Variables that could make the venv's interpreter import something other than
# its own site-packages (e.g. this project's source tree).
_LEAKY_ENV = ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONUSERBASE", "PYTHONSAFEPATH")


def clean_env() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in _LEAKY_ENV}
    env["PYTHONNOUSERSITE"] = "1"
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def venv_python(venv: Path) -> Path:
    return venv / "bin" / "python"


_PROBE = (
    "import json, zmq, tornado, matplotlib\n"
    "print(json.dumps({'pyzmq': zmq.pyzmq_version(), 'file': zmq.__file__}))\n"
)


def _probe(python: Path, neutral_cwd: Path) -> dict | None:
    """What the venv holds now, or None when it is missing or incomplete."""
    if not python.exists():
        return None
    try:
        out = subprocess.run(
            [str(python), "-c", _PROBE],
            cwd=neutral_cwd,
            env=clean_env(),
            capture_output=True,
            text=True,
            timeout=PROBE_TIMEOUT,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if out.returncode != 0:
        return None
    try:
        return json.loads(out.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return None


def ensure(venv: Path = DEFAULT_VENV, base_python: str = sys.executable, log=print) -> Path:
    """Return the venv's interpreter, creating or completing the venv if needed."""
    # A neutral working directory: `python -c` puts the cwd first on sys.path,
    # and the repository root holds this project's (uncompiled) `zmq` package.
    neutral = venv.parent
    python = venv_python(venv)
    found = _probe(python, neutral)
    if found and found.get("pyzmq") == PYZMQ_VERSION and str(venv.resolve()) in str(Path(found["file"]).resolve()):
        return python

    if not python.exists() or subprocess.run(
        [str(python), "-c", "pass"], cwd=neutral, env=clean_env(), capture_output=True, timeout=PROBE_TIMEOUT
    ).returncode != 0:
        log(f"creating the reference virtualenv {venv} (one-time) ...")
        subprocess.run(
            [base_python, "-m", "venv", "--clear", str(venv)],
            cwd=neutral,
            env=clean_env(),
            check=True,
            timeout=PIP_TIMEOUT,
        )
    log(f"installing pyzmq=={PYZMQ_VERSION} {' '.join(EXTRA_PACKAGES)} into {venv} (one-time) ...")
    out = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", f"pyzmq=={PYZMQ_VERSION}", *EXTRA_PACKAGES],
        cwd=neutral,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=PIP_TIMEOUT,
    )
    if out.returncode != 0:
        raise RuntimeError(f"pip install into {venv} failed:\n{out.stderr.strip()[-2000:]}")
    found = _probe(python, neutral)
    if not found or found.get("pyzmq") != PYZMQ_VERSION:
        raise RuntimeError(f"{venv} does not provide pyzmq {PYZMQ_VERSION} after installing it: {found}")
    return python


if __name__ == "__main__":
    print(ensure())
