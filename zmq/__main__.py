"""python -m zmq: where the link kit is, and what to compile and link with.

    cmake -DZeroMQ_DIR="$(python -m zmq --cmakedir)" ...
    PKG_CONFIG_PATH="$(python -m zmq --pkgconfigdir)" pkg-config --libs libzmq
    cc app.c $(python -m zmq --cflags --libs)
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence

import zmq
from zmq import _build_info


class _NoKit(Exception):
    pass


def _kit_lib_dir(option: str) -> str:
    if _build_info.LINK_MODE != "bundled":
        raise _NoKit(
            f"{option}: this zmq is built against an installed libzmq (ZMQ_PREFIX=system) and has no "
            "link kit; use that libzmq's own pkg-config file or CMake package"
        )
    return zmq.get_library_dirs()[0]


def _pkg_config_fields(option: str) -> dict[str, str]:
    # The kit's libzmq.pc, with its variables expanded as pkg-config does, so
    # that --cflags and --libs say exactly what pkg-config would.
    path = os.path.join(_kit_lib_dir(option), "pkgconfig", "libzmq.pc")
    variables = {"pcfiledir": os.path.dirname(path)}
    fields: dict[str, str] = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            match = re.match(r"([\w.]+)\s*([:=])\s*(.*?)\s*$", line)
            if match is None:
                continue
            name, kind, value = match.groups()
            value = re.sub(r"\$\{(\w+)\}", lambda m: variables[m.group(1)], value)
            (variables if kind == "=" else fields)[name] = value
    return fields


def _normalized(flag: str) -> str:
    # ${pcfiledir}/../../include reads better as the directory it names.
    for prefix in ("-I", "-L", ""):
        path = flag[len(prefix):]
        if flag.startswith(prefix) and os.path.isabs(path):
            return prefix + os.path.normpath(path)
    return flag


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m zmq",
        description="Where the bundled libzmq's link kit is, for building extensions and programs against it.",
    )
    parser.add_argument("--version", action="store_true", help="print pyzmq's and libzmq's versions")
    parser.add_argument("--includes", action="store_true",
                        help="-I flags for zmq.h and for the .pxd files (C compilers and Cython)")
    parser.add_argument("--cflags", action="store_true", help="compiler flags, as pkg-config gives them")
    parser.add_argument("--libs", action="store_true", help="linker flags, as pkg-config gives them")
    parser.add_argument("--cmakedir", action="store_true", help="the directory holding ZeroMQConfig.cmake")
    parser.add_argument("--pkgconfigdir", action="store_true", help="the directory holding libzmq.pc")
    parser.add_argument("--has", metavar="CAPABILITY",
                        help="exit status 0 if libzmq has CAPABILITY (as zmq.has), else 1")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv:
        parser.print_help()
        return 0
    args = parser.parse_args(argv)
    try:
        if args.version:
            print(f"pyzmq {zmq.pyzmq_version()}, libzmq {zmq.zmq_version()} ({_build_info.LINK_MODE})")
        if args.includes:
            print(" ".join(f"-I{d}" for d in zmq.get_includes()))
        if args.cflags or args.libs:
            fields = _pkg_config_fields("--cflags" if args.cflags else "--libs")
            wanted = (["Cflags"] if args.cflags else []) + (["Libs"] if args.libs else [])
            print(" ".join(_normalized(flag) for name in wanted for flag in fields.get(name, "").split()))
        if args.cmakedir:
            print(os.path.join(_kit_lib_dir("--cmakedir"), "cmake", "ZeroMQ"))
        if args.pkgconfigdir:
            print(os.path.join(_kit_lib_dir("--pkgconfigdir"), "pkgconfig"))
    except _NoKit as exc:
        parser.error(str(exc))
    if args.has is not None:
        found = zmq.has(args.has)
        print("yes" if found else "no")
        return 0 if found else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
