"""libsodium built by cmake/libsodium/CMakeLists.txt, as Windows builds build it
(ZMQ_SODIUM_BUILD=cmake), here with the platform's gcc or clang: a wheel built
that way, installed into a directory of its own, does CURVE in a fresh
interpreter, and libsodium's own test suite passes against the libsodium.a the
wheel ships."""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CC = shutil.which(os.environ.get("CC", "cc")) or shutil.which("gcc") or shutil.which("clang")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not os.path.isfile(os.path.join(ROOT, "cmake", "libsodium", "CMakeLists.txt")),
                       reason="needs the source tree"),
    pytest.mark.skipif(sys.platform == "win32", reason="the Windows wheels are built this way already"),
]

# Key pairs of libzmq's CURVE tests (Z85): what curve_public must derive.
KNOWN_KEYS = {
    b"D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs": b"Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID",
    b"JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6": b"rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7",
}


class _Build:
    pass


@pytest.fixture(scope="module")
def cmake_sodium(tmp_path_factory):
    """The wheel, its build directory and the directory it is installed into."""
    pytest.importorskip("scikit_build_core")
    pytest.importorskip("Cython")
    base = tmp_path_factory.mktemp("sodium-cmake")
    build = _Build()
    build.build_dir = base / "build"
    build.target = base / "site"
    wheels = base / "wheels"
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(wheels),
         "-Ccmake.define.ZMQ_SODIUM_BUILD=cmake", f"-Cbuild-dir={build.build_dir}", ROOT],
        capture_output=True, text=True, timeout=3600)
    build.seconds = time.monotonic() - started
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-5000:]
    (build.wheel,) = wheels.glob("pyzmq-*.whl")
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--target", str(build.target), str(build.wheel)],
        capture_output=True, text=True, timeout=600)
    assert install.returncode == 0, install.stdout + install.stderr
    print(f"wheel with CMake-built libsodium: {build.seconds:.0f}s")
    return build


def test_libsodium_came_from_the_cmake_project(cmake_sodium):
    bundled = cmake_sodium.build_dir / "bundled"
    (sodium_build,) = bundled.glob("libsodium-cmake-*/src/libsodium-build")
    assert (sodium_build / "CMakeCache.txt").is_file()
    assert not (bundled / "libsodium").exists(), "the configure script ran as well"
    with zipfile.ZipFile(cmake_sodium.wheel) as wheel:
        names = wheel.namelist()
    assert "zmq/lib/libsodium.a" in names and "zmq/lib/libzmq.a" in names


def test_curve_through_the_extension(cmake_sodium):
    code = textwrap.dedent(f"""
        import os, sys, zmq
        assert zmq.__file__.startswith(sys.argv[1] + os.sep), zmq.__file__
        assert zmq.has("curve")
        for secret, public in {KNOWN_KEYS!r}.items():
            assert zmq.curve_public(secret) == public, (secret, zmq.curve_public(secret))
        server_public, server_secret = zmq.curve_keypair()
        client_public, client_secret = zmq.curve_keypair()
        assert zmq.curve_public(server_secret) == server_public != client_public
        ctx = zmq.Context()
        server = ctx.socket(zmq.PAIR)
        server.setsockopt(zmq.CURVE_SERVER, 1)
        server.setsockopt(zmq.CURVE_SECRETKEY, server_secret)
        client = ctx.socket(zmq.PAIR)
        client.setsockopt(zmq.CURVE_SERVERKEY, server_public)
        client.setsockopt(zmq.CURVE_PUBLICKEY, client_public)
        client.setsockopt(zmq.CURVE_SECRETKEY, client_secret)
        for s in (server, client):
            s.linger = 0
            s.rcvtimeo = 10000
        port = server.bind_to_random_port("tcp://127.0.0.1")
        client.connect(f"tcp://127.0.0.1:{{port}}")
        client.send(b"secret hello")
        assert server.recv() == b"secret hello"
        server.send(b"secret reply")
        assert client.recv() == b"secret reply"
        assert server.get(zmq.MECHANISM) == zmq.CURVE
        ctx.destroy(linger=0)
        print("ok")
    """)
    # -S: no site-packages, so an editable or installed zmq cannot shadow the
    # one under test (the package needs nothing but the standard library).
    env = dict(os.environ, PYTHONPATH=str(cmake_sodium.target), PYTHONFAULTHANDLER="1")
    result = subprocess.run([sys.executable, "-S", "-c", code, str(cmake_sodium.target)],
                            capture_output=True, text=True, timeout=60, cwd=tempfile.gettempdir(), env=env)
    assert (result.returncode, result.stdout.strip()) == (0, "ok"), result.stderr


def test_no_build_directory_in_the_extension(cmake_sodium):
    """The prefix map reaches the CMake-built libsodium too (its sources and
    generated version.h live in the build directory)."""
    (extension,) = [p for p in (cmake_sodium.target / "zmq" / "backend" / "cython").glob("_zmq.*")
                    if p.suffix in (".so", ".pyd")]
    assert str(cmake_sodium.build_dir).encode() not in extension.read_bytes()


@pytest.mark.skipif(CC is None, reason="no C compiler")
def test_libsodium_own_tests_pass_against_the_kit_library(cmake_sodium, tmp_path):
    """Every program of the release's test/default, linked with the wheel's
    zmq/lib/libsodium.a, prints what its .exp file says."""
    (source,) = (cmake_sodium.build_dir / "bundled").glob("libsodium-cmake-*/src/libsodium")
    tests_dir = source / "test" / "default"
    include = cmake_sodium.build_dir / "bundled" / "prefix" / "include"
    library = cmake_sodium.target / "zmq" / "lib" / "libsodium.a"
    programs = sorted(tests_dir.glob("*.c"))
    assert len(programs) > 50

    def build_and_run(program):
        name = program.stem
        exe = tmp_path / name
        compiled = subprocess.run(
            [CC, "-O1", "-DSODIUM_STATIC", f'-DTEST_SRCDIR="{tests_dir}"', f"-I{include}",
             f"-I{include / 'sodium'}", f"-I{tests_dir.parent / 'quirks'}", str(program), str(library),
             "-lpthread", "-o", str(exe)],
            capture_output=True, text=True, timeout=300)
        if compiled.returncode != 0:
            return name, "compile: " + compiled.stderr[-2000:]
        # The programs write <name>.res into their working directory and
        # compare it with <name>.exp.
        ran = subprocess.run([str(exe)], capture_output=True, text=True, timeout=600, cwd=tmp_path)
        return name, None if ran.returncode == 0 else f"exit {ran.returncode}: {ran.stdout[-500:]}{ran.stderr[-500:]}"

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        failures = {name: why for name, why in pool.map(build_and_run, programs) if why}
    assert not failures, failures


def test_option_rejects_unknown_build(tmp_path):
    cmake = shutil.which("cmake")
    if cmake is None:
        pytest.skip("needs cmake")
    result = subprocess.run(
        [cmake, "-S", ROOT, "-B", str(tmp_path / "build"), f"-DPython_EXECUTABLE={sys.executable}",
         "-DZMQ_SODIUM_BUILD=meson", f"-DZMQ_BUNDLE_CACHE={tmp_path / 'cache'}", "-DZMQ_BUNDLE_FETCH=none"],
        capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    assert re.search(r"ZMQ_SODIUM_BUILD: unknown value 'meson'", result.stdout + result.stderr)
