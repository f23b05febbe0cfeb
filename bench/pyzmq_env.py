"""The pyzmq reference side: a private virtualenv holding the real pyzmq (plus
tornado for the ZMQStream scenarios and matplotlib for the chart).

    python bench/pyzmq_env.py      # make it now; prints its interpreter
"""

from __future__ import annotations

from pathlib import Path

import ref_venv

BENCH_DIR = Path(__file__).resolve().parent
DEFAULT_VENV = BENCH_DIR / ".venv-pyzmq"
PYZMQ_VERSION = "27.3.0"

SPEC = ref_venv.VenvSpec(
    label="pyzmq reference",
    package="pyzmq",
    version=PYZMQ_VERSION,
    # Unpinned on purpose: they only drive the event loop and draw the chart,
    # so any current release does.
    extras=("tornado", "matplotlib"),
    probe=(
        "import json, zmq, tornado, matplotlib\n"
        "print(json.dumps({'version': zmq.pyzmq_version(), 'file': zmq.__file__}))\n"
    ),
)


def ensure(venv: Path = DEFAULT_VENV, log=print) -> Path:
    return ref_venv.ensure(SPEC, venv, log=log)


def side_env() -> dict:
    return ref_venv.clean_env()


if __name__ == "__main__":
    print(ensure())
