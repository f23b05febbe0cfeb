"""The pyomq side: a private virtualenv holding pyomq (a Python binding over
omq.rs, a Rust port of libzmq) plus tornado for its ZMQStream, and the
environment that makes `import zmq` give pyomq there.

The scenarios import `zmq`; on this side PYTHONPATH starts with bench/pyomq_shim,
whose `zmq` package replaces itself with pyomq (see its docstring). Peer
processes inherit the environment, so they run on pyomq too.

    python bench/pyomq_env.py      # make it now; prints its interpreter
"""

from __future__ import annotations

from pathlib import Path

import ref_venv

BENCH_DIR = Path(__file__).resolve().parent
DEFAULT_VENV = BENCH_DIR / ".venv-pyomq"
SHIM_DIR = BENCH_DIR / "pyomq_shim"
PYOMQ_VERSION = "0.21.0"

SPEC = ref_venv.VenvSpec(
    label="pyomq",
    package="pyomq",
    version=PYOMQ_VERSION,
    # pyomq's ZMQStream drives tornado's IOLoop, as pyzmq's does.
    extras=("tornado",),
    probe=(
        "import json, pyomq, tornado\n"
        "print(json.dumps({'version': pyomq.__version__, 'file': pyomq.__file__}))\n"
    ),
)


def ensure(venv: Path = DEFAULT_VENV, log=print) -> Path:
    return ref_venv.ensure(SPEC, venv, log=log)


def side_env() -> dict:
    env = ref_venv.clean_env()
    env["PYTHONPATH"] = str(SHIM_DIR)
    return env


if __name__ == "__main__":
    print(ensure())
