"""The link kit from each build system: CMake's find_package(ZeroMQ), a
scikit-build-core package that build-requires this one, meson through
pkg-config, setuptools with zmq.get_includes(); and python -m zmq, which tells
them where the kit is.

Every consumer builds tests/link_kit/consumer.c, an extension module calling
libzmq directly, and runs it in one process with zmq, on zmq's own context and
sockets over inproc. That exchange alone would also work with a second copy of
libzmq in the process, so the module also reports where its zmq_send calls
land, which must be the backend's very zmq_send."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from importlib import metadata, resources

import pytest

import zmq
from zmq import _build_info

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
KIT_SOURCES = os.path.join(HERE, "link_kit")
BUNDLED = _build_info.LINK_MODE == "bundled"
CMAKE = shutil.which("cmake")
CC = shutil.which(os.environ.get("CC", "cc")) or shutil.which("gcc")
PKG_CONFIG = shutil.which("pkg-config") or shutil.which("pkgconf")

needs_kit = pytest.mark.skipif(not BUNDLED, reason="the link kit ships with the bundled build")
needs_cmake = pytest.mark.skipif(CMAKE is None, reason="no cmake")
needs_cc = pytest.mark.skipif(CC is None, reason="no C compiler")
# Sharing one libzmq rests on ELF symbol interposition: the backend, loaded with
# RTLD_GLOBAL, provides the zmq_* functions a consumer's calls bind to.
needs_elf = pytest.mark.skipif(not sys.platform.startswith("linux"),
                               reason="consumers share the backend's libzmq through ELF symbol interposition")

# Run by a fresh interpreter with the consumer on its path:
#   argv: module name, then "zmq-first" (import zmq before the module) or
#   "module-first" (the module, a package, imports zmq itself).
EXERCISE = """
import ctypes, importlib, sys

name, order = sys.argv[1], sys.argv[2]
if order == "zmq-first":
    import zmq
consumer = importlib.import_module(name)
import zmq
from zmq.backend.cython import _zmq

assert consumer.libzmq_version() == zmq.zmq_version_info(), consumer.libzmq_version()
backend_send = ctypes.cast(ctypes.CDLL(_zmq.__file__).zmq_send, ctypes.c_void_p).value
assert consumer.zmq_send_address() == backend_send, "the module calls a libzmq of its own"

ctx = zmq.Context()
s = ctx.socket(zmq.PAIR)
s.linger = 0
s.rcvtimeo = 10000
s.bind("inproc://consumer")
peer = consumer.open_pair(ctx.underlying, "inproc://consumer")
assert consumer.send(peer, b"from C") == 6
assert s.recv() == b"from C"
s.send(b"from Python")
assert consumer.recv(peer) == b"from Python"
consumer.send(s.underlying, b"on the zmq.Socket")
assert consumer.recv(peer) == b"on the zmq.Socket"
consumer.close(peer)
s.close()
ctx.term()
print("exchanged", consumer.__file__)
"""


def _run(cmd, timeout=300, **kwargs):
    # Outside the source tree, whose uncompiled zmq/ would shadow the package.
    kwargs.setdefault("cwd", tempfile.gettempdir())
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kwargs)


def _zmq_cli(*args):
    return _run([sys.executable, "-m", "zmq", *args], timeout=60)


def _cli_line(*args):
    result = _zmq_cli(*args)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def _exercise(run_python, path, module, order):
    result = run_python(EXERCISE, module, order, env={"PYTHONPATH": path})
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("exchanged "), result.stdout
    return result.stdout.split(" ", 1)[1].strip()


def _needed_libraries(path):
    readelf = shutil.which("readelf")
    if readelf is None:
        pytest.skip("no readelf")
    out = subprocess.run([readelf, "-d", path], check=True, capture_output=True, text=True).stdout
    return [line.split("[", 1)[1].rstrip("]") for line in out.splitlines() if "(NEEDED)" in line]


def _assert_static_libzmq(path):
    assert not [lib for lib in _needed_libraries(path) if "zmq" in lib or "sodium" in lib]


def _copy_consumer(name, dest):
    # A consumer project with the shared source next to it, as in tests/link_kit,
    # so that builds write nothing into the source tree.
    shutil.copytree(os.path.join(KIT_SOURCES, name), os.path.join(dest, name))
    shutil.copy(os.path.join(KIT_SOURCES, "consumer.c"), dest)
    return os.path.join(dest, name)


def _cmake_generator():
    return ["-G", "Ninja"] if shutil.which("ninja") else []


# ------------------------------------------------------------------ python -m zmq


def test_cli_without_arguments_prints_help():
    result = _zmq_cli()
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: python -m zmq")
    for option in ("--cmakedir", "--cflags", "--libs", "--pkgconfigdir", "--includes", "--version", "--has"):
        assert option in result.stdout


def test_cli_version():
    assert _cli_line("--version") == f"pyzmq {zmq.pyzmq_version()}, libzmq {zmq.zmq_version()} ({_build_info.LINK_MODE})"


@pytest.mark.parametrize("capability", ["ipc", "curve", "no-such-capability"])
def test_cli_has(capability):
    result = _zmq_cli("--has", capability)
    expected = zmq.has(capability)
    assert result.stdout == ("yes\n" if expected else "no\n")
    assert result.returncode == (0 if expected else 1)


def test_cli_includes():
    assert _cli_line("--includes").split() == [f"-I{d}" for d in zmq.get_includes()]


@needs_kit
def test_cli_directories():
    cmakedir = _cli_line("--cmakedir")
    assert os.path.isfile(os.path.join(cmakedir, "ZeroMQConfig.cmake"))
    assert os.path.isfile(os.path.join(cmakedir, "ZeroMQConfigVersion.cmake"))
    pkgconfigdir = _cli_line("--pkgconfigdir")
    assert os.path.isfile(os.path.join(pkgconfigdir, "libzmq.pc"))
    assert os.path.dirname(pkgconfigdir) == zmq.get_library_dirs()[0]


@needs_kit
@pytest.mark.skipif(PKG_CONFIG is None, reason="no pkg-config")
@pytest.mark.parametrize("options", [["--cflags"], ["--libs"], ["--cflags", "--libs"]])
def test_cli_flags_are_pkg_configs(options):
    env = dict(os.environ, PKG_CONFIG_PATH=_cli_line("--pkgconfigdir"))
    pkg_config = _run([PKG_CONFIG, *options, "libzmq"], env=env)
    assert pkg_config.returncode == 0, pkg_config.stderr

    def normalized(flags):
        return [f"-I{os.path.realpath(f[2:])}" if f.startswith("-I")
                else os.path.realpath(f) if os.path.isabs(f) else f for f in flags.split()]

    ours = _cli_line(*options)
    assert normalized(ours) == normalized(pkg_config.stdout)
    if "--cflags" in options:
        assert "-DZMQ_STATIC" in ours.split()
    if "--libs" in options:
        assert os.path.join(zmq.get_library_dirs()[0], "libzmq.a") in ours.split()


@pytest.mark.parametrize("option", ["--cmakedir", "--pkgconfigdir", "--cflags", "--libs"])
def test_cli_kit_options_fail_in_a_system_build(run_python, option):
    # The system build simulated here, whichever this installation is.
    result = run_python(
        """
        import runpy, sys
        from zmq import _build_info
        _build_info.LINK_MODE = "system"
        sys.argv = ["python -m zmq", sys.argv[1]]
        runpy.run_module("zmq", run_name="__main__", alter_sys=True)
        """,
        option,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stdout == ""
    assert f"{option}: this zmq is built against an installed libzmq" in result.stderr


def test_cli_works_in_a_system_build_for_what_it_has():
    if BUNDLED:
        pytest.skip("a ZMQ_PREFIX=system build only")
    assert _cli_line("--includes").split() == [f"-I{d}" for d in zmq.get_includes()]
    assert _zmq_cli("--cmakedir").returncode == 2


# ------------------------------------------------------------------ CMake package


@needs_kit
def test_cmake_prefix_entry_point_leads_to_the_package_config():
    if sys.version_info >= (3, 10):
        group = metadata.entry_points(group="cmake.prefix")
    else:  # the selection API came with 3.10
        group = metadata.entry_points().get("cmake.prefix", [])
    (entry_point,) = [ep for ep in group if (ep.name, ep.value) == ("ZeroMQ", "zmq")]
    # scikit-build-core puts the loaded module's files() on CMAKE_PREFIX_PATH;
    # find_package(ZeroMQ) searches <prefix>/lib/cmake/ZeroMQ.
    assert entry_point.load() is zmq
    prefix = resources.files(entry_point.load())
    assert prefix.joinpath("lib", "cmake", "ZeroMQ", "ZeroMQConfig.cmake").is_file()


@needs_kit
@needs_cmake
@needs_cc
def test_cmake_package_is_relocatable_and_versioned(tmp_path):
    """The kit copied elsewhere and found there from its package directory as
    the prefix: every path follows the copy."""
    moved = tmp_path / "moved" / "zmq"
    libdir = zmq.get_library_dirs()[0]
    shutil.copytree(libdir, moved / "lib")
    shutil.copytree(os.path.join(os.path.dirname(libdir), "include"), moved / "include")
    source = tmp_path / "probe"
    source.mkdir()
    (source / "CMakeLists.txt").write_text("""
cmake_minimum_required(VERSION 3.15)
project(probe LANGUAGES C)
# Only CMAKE_PREFIX_PATH: a request the copy rejects must not be met by an
# installed libzmq's package instead.
set(only_prefix_path NO_SYSTEM_ENVIRONMENT_PATH NO_CMAKE_SYSTEM_PATH NO_CMAKE_ENVIRONMENT_PATH
    NO_CMAKE_PACKAGE_REGISTRY NO_CMAKE_SYSTEM_PACKAGE_REGISTRY)
foreach(request IN ITEMS 3.2 4 4.3 4.3.4 4.3.5 4.4 5)
  find_package(ZeroMQ ${request} CONFIG QUIET ${only_prefix_path})
  message(STATUS "request ${request}: ${ZeroMQ_FOUND}")
endforeach()
find_package(ZeroMQ CONFIG REQUIRED ${only_prefix_path})
message(STATUS "dir: ${ZeroMQ_DIR}")
message(STATUS "version: ${ZeroMQ_VERSION}")
message(STATUS "include dir variable: ${ZeroMQ_INCLUDE_DIR}")
message(STATUS "static library variable: ${ZeroMQ_STATIC_LIBRARY}")
foreach(target IN ITEMS libzmq-static libzmq ZeroMQ::sodium)
  get_target_property(type ${target} TYPE)
  message(STATUS "${target} type: ${type}")
  foreach(property IN ITEMS IMPORTED_LOCATION INTERFACE_INCLUDE_DIRECTORIES
                            INTERFACE_COMPILE_DEFINITIONS INTERFACE_LINK_LIBRARIES)
    get_target_property(value ${target} ${property})
    message(STATUS "${target} ${property}: ${value}")
  endforeach()
endforeach()
""")
    result = _run([CMAKE, "-S", str(source), "-B", str(tmp_path / "build"), f"-DCMAKE_PREFIX_PATH={moved}",
                   *_cmake_generator()])
    assert result.returncode == 0, result.stdout + result.stderr
    status = dict(line[3:].split(": ", 1) for line in result.stdout.splitlines()
                  if line.startswith("-- ") and ": " in line)

    # AnyNewerVersion, as libzmq's own package: any request up to the bundled version.
    for request in ("3.2", "4", "4.3", "4.3.4"):
        assert status[f"request {request}"] == "1", request
    for request in ("4.3.5", "4.4", "5"):
        assert status[f"request {request}"] == "0", request
    assert status["version"] == zmq.zmq_version()

    assert os.path.realpath(status["dir"]) == os.path.realpath(moved / "lib" / "cmake" / "ZeroMQ")
    include = os.path.realpath(moved / "include")
    assert os.path.realpath(status["include dir variable"]) == include
    assert os.path.realpath(status["static library variable"]) == os.path.realpath(moved / "lib" / "libzmq.a")

    assert status["libzmq-static type"] == "STATIC_LIBRARY"
    assert os.path.realpath(status["libzmq-static IMPORTED_LOCATION"]) == os.path.realpath(moved / "lib" / "libzmq.a")
    assert os.path.realpath(status["libzmq-static INTERFACE_INCLUDE_DIRECTORIES"]) == include
    assert status["libzmq-static INTERFACE_COMPILE_DEFINITIONS"] == "ZMQ_STATIC"
    links = status["libzmq-static INTERFACE_LINK_LIBRARIES"].split(";")
    assert links[:2] == ["ZeroMQ::sodium", "Threads::Threads"]
    assert ("c++" if sys.platform == "darwin" else "stdc++") in links
    if sys.platform.startswith("linux"):
        assert "rt" in links

    assert status["libzmq type"] == "INTERFACE_LIBRARY"
    assert status["libzmq INTERFACE_LINK_LIBRARIES"] == "libzmq-static"

    assert status["ZeroMQ::sodium type"] == "STATIC_LIBRARY"
    assert os.path.realpath(status["ZeroMQ::sodium IMPORTED_LOCATION"]) == os.path.realpath(moved / "lib" / "libsodium.a")


@pytest.fixture(scope="module")
def cmake_consumer(tmp_path_factory):
    """tests/link_kit/cmake_consumer built with ZeroMQ_DIR=$(python -m zmq --cmakedir)."""
    if not BUNDLED:
        pytest.skip("the link kit ships with the bundled build")
    if CMAKE is None or CC is None:
        pytest.skip("no cmake" if CMAKE is None else "no C compiler")
    build = tmp_path_factory.mktemp("cmake_consumer")
    configure = _run([CMAKE, "-S", os.path.join(KIT_SOURCES, "cmake_consumer"), "-B", str(build),
                      f"-DZeroMQ_DIR={_cli_line('--cmakedir')}", f"-DPython_EXECUTABLE={sys.executable}",
                      *_cmake_generator()])
    assert configure.returncode == 0, configure.stdout + configure.stderr
    assert f"-- ZeroMQ {zmq.zmq_version()} from {_cli_line('--cmakedir')}" in configure.stdout
    compile_ = _run([CMAKE, "--build", str(build)])
    assert compile_.returncode == 0, compile_.stdout + compile_.stderr
    return build


@needs_elf
def test_cmake_extension_shares_the_package_libzmq(cmake_consumer, run_python):
    module = _exercise(run_python, str(cmake_consumer), "cmake_consumer", "zmq-first")
    assert os.path.dirname(module) == str(cmake_consumer)
    _assert_static_libzmq(module)


@pytest.mark.parametrize("target", ["libzmq", "libzmq-static"])
def test_cmake_c_program_links_through(cmake_consumer, socket, target):
    """tests/link_kit/peer.c, in a project that enables only C, linked through
    each target name, exchanging messages with a zmq socket."""
    exe = str(cmake_consumer / f"peer_{target}")
    _assert_static_libzmq(exe)
    s = socket(zmq.PAIR)
    s.rcvtimeo = 10000
    port = s.bind_to_random_port("tcp://127.0.0.1")
    proc = subprocess.Popen([exe, f"tcp://127.0.0.1:{port}"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert s.recv() == b"hello from C"
        s.send(b"ping")
        assert s.recv() == b"C got: ping"
        s.send(b"quit")
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert out.decode().splitlines()[0] == f"libzmq {zmq.zmq_version()}"


# ------------------------------------------------------------------ meson


@needs_kit
@needs_cc
@needs_elf
@pytest.mark.skipif(PKG_CONFIG is None, reason="no pkg-config")
@pytest.mark.skipif(shutil.which("meson") is None or shutil.which("ninja") is None, reason="no meson or ninja")
def test_meson_python_package_via_pkg_config(tmp_path, run_python):
    """tests/link_kit/meson_consumer: dependency('libzmq') through the kit's
    pkg-config file, built by meson-python, installed into a throwaway directory."""
    pytest.importorskip("mesonpy", reason="meson-python is not installed")
    project = _copy_consumer("meson_consumer", tmp_path / "src")
    target = tmp_path / "target"
    env = dict(os.environ, PKG_CONFIG_PATH=_cli_line("--pkgconfigdir"))
    install = _run([sys.executable, "-m", "pip", "install", "--no-build-isolation", "--no-deps",
                    "--target", str(target), project], env=env)
    assert install.returncode == 0, install.stdout + install.stderr
    package = _exercise(run_python, str(target), "meson_consumer", "module-first")
    assert package == str(target / "meson_consumer" / "__init__.py")
    (extension,) = (target / "meson_consumer").glob("_peer.*")
    _assert_static_libzmq(str(extension))


# ------------------------------------------------------------------ setuptools


@needs_kit
@needs_cc
@needs_elf
# Debian's and Ubuntu's Pythons link every extension with -Bsymbolic-functions
# (their LDSHARED), which binds a module's calls to its own copy of libzmq.
@pytest.mark.parametrize("ldflags", ["", "-Wl,-Bsymbolic-functions"], ids=["plain", "debian-ldshared"])
def test_setuptools_package_via_get_includes(tmp_path, run_python, ldflags):
    """tests/link_kit/setuptools_consumer: an Extension with zmq.get_includes()
    and zmq.get_library_dirs(), installed into a throwaway directory."""
    project = _copy_consumer("setuptools_consumer", tmp_path / "src")
    target = tmp_path / "target"
    env = dict(os.environ, LDFLAGS=(os.environ.get("LDFLAGS", "") + " " + ldflags).strip())
    install = _run([sys.executable, "-m", "pip", "install", "--no-build-isolation", "--no-deps",
                    "--target", str(target), project], env=env)
    assert install.returncode == 0, install.stdout + install.stderr
    package = _exercise(run_python, str(target), "setuptools_consumer", "module-first")
    assert package == str(target / "setuptools_consumer" / "__init__.py")
    (extension,) = (target / "setuptools_consumer").glob("_peer.*")
    _assert_static_libzmq(str(extension))


# ------------------------------------------------------------------ scikit-build-core


@pytest.fixture(scope="session")
def pyzmq_wheel(tmp_path_factory):
    """A wheel of this project, built as pip builds it (isolated, from scratch)."""
    if not os.path.isfile(os.path.join(ROOT, "pyproject.toml")):
        pytest.skip("no source tree to build a wheel from")
    wheels = tmp_path_factory.mktemp("pyzmq_wheel")
    build = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(wheels), ROOT], timeout=3600)
    assert build.returncode == 0, build.stdout[-5000:] + build.stderr[-5000:]
    (wheel,) = wheels.glob("pyzmq-*.whl")
    return wheel


@pytest.mark.slow
@needs_kit
@needs_cc
@needs_elf
def test_scikit_build_core_package_finds_the_kit(pyzmq_wheel, tmp_path, run_python):
    """tests/link_kit/skbuild_consumer: this package as a build requirement and
    a plain find_package(ZeroMQ CONFIG), built with build isolation."""
    project = _copy_consumer("skbuild_consumer", tmp_path / "src")
    # The build environment must take pyzmq from this wheel, never the index's.
    constraints = tmp_path / "constraints.txt"
    constraints.write_text(f"pyzmq @ {pyzmq_wheel.as_uri()}\n")
    env = dict(os.environ, PIP_CONSTRAINT=str(constraints))
    target = tmp_path / "target"
    install = _run([sys.executable, "-m", "pip", "install", "--no-deps", "--find-links", str(pyzmq_wheel.parent),
                    "--target", str(target), project], env=env, timeout=900)
    assert install.returncode == 0, install.stdout + install.stderr
    package = _exercise(run_python, str(target), "skbuild_consumer", "module-first")
    assert package == str(target / "skbuild_consumer" / "__init__.py")
    (extension,) = (target / "skbuild_consumer").glob("_peer.*")
    _assert_static_libzmq(str(extension))
