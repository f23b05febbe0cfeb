"""Compile the C floor programs (bench/floor/*.c) against the libzmq bundled in
this project's installed package, through its link kit, and the allocation
counter that the allocations row preloads.

A program is rebuilt when its sources, the static libraries or the compile
command changed since the last build, so repeated runs cost nothing.
"""

from __future__ import annotations

import hashlib
import os
import shlex
import shutil
import subprocess
from pathlib import Path

FLOOR_DIR = Path(__file__).resolve().parent / "floor"
COMPILE_TIMEOUT = 300
LIBS = ("-lzmq", "-lsodium", "-lstdc++", "-lpthread", "-lrt", "-lm")


class FloorBuildError(RuntimeError):
    pass


def compiler() -> str | None:
    cc = os.environ.get("CC", "cc")
    return shutil.which(shlex.split(cc)[0]) and cc


def compiler_version(cc: str) -> str:
    try:
        out = subprocess.run(
            [*shlex.split(cc), "--version"], capture_output=True, text=True, timeout=60
        )
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    lines = out.stdout.strip().splitlines()
    return lines[0] if lines else "unknown"


def _include_dir(includes: list) -> str:
    for d in includes:
        if (Path(d) / "zmq.h").is_file():
            return d
    raise FloorBuildError(f"no zmq.h in zmq.get_includes() = {includes}")


def _library_dir(library_dirs: list) -> str:
    for d in library_dirs:
        if (Path(d) / "libzmq.a").is_file():
            return d
    raise FloorBuildError(f"no libzmq.a in zmq.get_library_dirs() = {library_dirs}")


def _fingerprint(command: list, inputs: list) -> str:
    h = hashlib.sha256(" ".join(command).encode())
    for p in inputs:
        st = Path(p).stat()
        h.update(f"{p}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()


def _compile(name: str, command: list, inputs: list, out: Path, build_dir: Path, log) -> Path:
    """Run command unless out is up to date with it and its inputs."""
    stamp = build_dir / f"{name}.stamp"
    want = _fingerprint(command, inputs)
    if out.exists() and stamp.exists() and stamp.read_text() == want:
        return out
    log(f"compiling {name}")
    result = subprocess.run(command, capture_output=True, text=True, timeout=COMPILE_TIMEOUT)
    if result.returncode != 0:
        raise FloorBuildError(f"compiling {name} failed:\n{' '.join(command)}\n{result.stderr}")
    stamp.write_text(want)
    return out


def build(programs, includes: list, library_dirs: list, build_dir: Path, log=print) -> dict:
    """Build each named program; return {name: path of the executable}."""
    cc = compiler()
    if not cc:
        raise FloorBuildError("no C compiler (set CC or install cc)")
    inc = _include_dir(includes)
    lib = _library_dir(library_dirs)
    build_dir.mkdir(parents=True, exist_ok=True)
    header = FLOOR_DIR / "floor_common.h"
    built = {}
    for name in programs:
        src = FLOOR_DIR / f"{name}.c"
        exe = build_dir / name
        command = [
            *shlex.split(cc), "-O2", "-Wall", "-Wextra", "-DZMQ_STATIC",
            str(src), f"-I{inc}", f"-L{lib}", *LIBS, "-o", str(exe),
        ]
        inputs = [src, header, Path(lib) / "libzmq.a", Path(lib) / "libsodium.a"]
        built[name] = _compile(f"floor program {name}", command, inputs, exe, build_dir, log)
    return built


def build_alloc_counter(build_dir: Path, log=print) -> Path:
    """The preloadable allocation counter (floor/alloc_count.c) as a shared
    library; glibc only, as it wraps glibc's own allocator entry points."""
    cc = compiler()
    if not cc:
        raise FloorBuildError("no C compiler (set CC or install cc)")
    build_dir.mkdir(parents=True, exist_ok=True)
    src = FLOOR_DIR / "alloc_count.c"
    out = build_dir / "libbench_alloc_count.so"
    command = [*shlex.split(cc), "-O2", "-Wall", "-Wextra", "-shared", "-fPIC", str(src), "-o", str(out)]
    return _compile("allocation counter", command, [src], out, build_dir, log)
