"""Python scenario runner, run as a plain script so that the very same files run
under this project's interpreter and in the reference virtualenvs:

    python bench/scenarios.py <scenario> <count> [<warmup>]   one timed run
    python bench/scenarios.py info                            what `zmq` is here
    python bench/scenarios.py list                            scenario names

Each call prints one JSON line on stdout. The bodies (scenarios_*.py) use only
pyzmq's public API.

A timed run reports {"count", "elapsed", ...} (seconds for `count` operations,
the timed region only: sockets are connected, payloads built and a warm-up done
before the clock starts), or {"na": reason} when the package lacks the feature.
"""

from __future__ import annotations

import json
import os
import sys

from scenario_kit import SCENARIOS, zmq_module

# Importing them registers their scenarios.
import scenarios_async  # noqa: E402,F401
import scenarios_devices  # noqa: E402,F401
import scenarios_inproc  # noqa: E402,F401
import scenarios_memory  # noqa: E402,F401
import scenarios_wire  # noqa: E402,F401


def _importable(name):
    try:
        __import__(name)
    except ImportError:
        return False
    return True


def info():
    import platform

    zmq = zmq_module()
    # pyomq answers as `zmq` on its side but has no pyzmq_version(); its own
    # version is zmq.__version__ there.
    package = "pyomq" if hasattr(zmq, "pyomq_version") else "pyzmq"
    out = {
        "python": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "executable": sys.executable,
        "package": package,
        "package_version": zmq.pyomq_version() if package == "pyomq" else zmq.pyzmq_version(),
        "zmq_file": os.path.abspath(zmq.__file__),
        "pyzmq_version": zmq.pyzmq_version() if hasattr(zmq, "pyzmq_version") else None,
        "libzmq_version": zmq.zmq_version(),
        "includes": list(zmq.get_includes()) if hasattr(zmq, "get_includes") else [],
        "library_dirs": list(zmq.get_library_dirs()) if hasattr(zmq, "get_library_dirs") else [],
        "has_asyncio": _importable("zmq.asyncio"),
        "has_devices": _importable("zmq.devices"),
        "has_zmqstream": _importable("zmq.eventloop.zmqstream"),
    }
    try:
        import tornado

        out["tornado_version"] = tornado.version
    except ImportError:
        out["tornado_version"] = None
    return out


def main(argv):
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 0
    name, args = argv[0], argv[1:]
    if name == "info":
        print(json.dumps(info()))
        return 0
    if name == "list":
        print(json.dumps(sorted(n for n in SCENARIOS if not n.startswith("_"))))
        return 0
    fn = SCENARIOS.get(name)
    if fn is None:
        print(f"unknown scenario {name!r}; known: {', '.join(sorted(SCENARIOS))}", file=sys.stderr)
        return 2
    if name.startswith("_"):
        fn(*args)
        return 0
    count = int(args[0])
    warmup = int(args[1]) if len(args) > 1 else max(1, count // 10)
    print(json.dumps(fn(count, warmup)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
