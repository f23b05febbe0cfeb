"""The link kit: other programs and extensions compile and link against the
libzmq this package carries, using only what the installed package provides."""

import importlib.util
import os
import shutil
import subprocess
import sys
import sysconfig

import pytest

import zmq
from zmq import _build_info

HERE = os.path.dirname(os.path.abspath(__file__))
KIT_SOURCES = os.path.join(HERE, "link_kit")
CC = shutil.which(os.environ.get("CC", "cc")) or shutil.which("gcc")

pytestmark = [
    pytest.mark.skipif(_build_info.LINK_MODE != "bundled", reason="the link kit ships with the bundled build"),
    pytest.mark.skipif(CC is None, reason="no C compiler"),
]


def _library_dir():
    (libdir,) = zmq.get_library_dirs()
    return libdir


def _link_args_from_dirs():
    args = [f"-I{d}" for d in zmq.get_includes()]
    args += [f"-L{d}" for d in zmq.get_library_dirs()]
    return args + ["-lzmq", "-lsodium", "-lstdc++", "-lpthread", "-lm"] + (["-lrt"] if sys.platform.startswith("linux") else [])


def _link_args_from_pkg_config():
    pkg_config = shutil.which("pkg-config") or shutil.which("pkgconf")
    if pkg_config is None:
        pytest.skip("no pkg-config")
    env = dict(os.environ, PKG_CONFIG_PATH=os.path.join(_library_dir(), "pkgconfig"))
    out = subprocess.run([pkg_config, "--cflags", "--libs", "libzmq"], env=env, check=True,
                         capture_output=True, text=True).stdout
    return out.split()


def _needed_libraries(path):
    readelf = shutil.which("readelf")
    if readelf is None:
        pytest.skip("no readelf")
    out = subprocess.run([readelf, "-d", path], check=True, capture_output=True, text=True).stdout
    return [line.split("[", 1)[1].rstrip("]") for line in out.splitlines() if "(NEEDED)" in line]


def test_kit_contents():
    include_dir, package_parent = zmq.get_includes()
    for header in ("zmq.h", "zmq_utils.h"):
        assert os.path.isfile(os.path.join(include_dir, header))
    for pxd in ("zmq/__init__.pxd", "zmq/backend/cython/__init__.pxd", "zmq/backend/cython/_zmq.pxd",
                "zmq/backend/cython/libzmq.pxd"):
        assert os.path.isfile(os.path.join(package_parent, pxd))
    for archive in ("libzmq.a", "libsodium.a"):
        assert os.path.isfile(os.path.join(_library_dir(), archive))
    licenses = os.path.join(os.path.dirname(include_dir), "licenses")
    assert os.path.isfile(os.path.join(licenses, "libzmq", "COPYING.LESSER"))
    assert os.path.isfile(os.path.join(licenses, "libsodium", "LICENSE"))


def test_pkg_config_file_is_relocatable():
    with open(os.path.join(_library_dir(), "pkgconfig", "libzmq.pc")) as f:
        text = f.read()
    assert "prefix=${pcfiledir}/../.." in text
    assert f"Version: {zmq.zmq_version()}" in text
    # No path of the build machine may leak into the installed file.
    assert "/" not in text.split("prefix=", 1)[0]
    for line in text.splitlines():
        if line.startswith(("Cflags:", "Libs:")):
            assert all(not word.startswith("/") for word in line.split()[1:]), line


@pytest.mark.parametrize("flags", [_link_args_from_dirs, _link_args_from_pkg_config], ids=["dirs", "pkg-config"])
def test_c_program_exchanges_messages_with_socket(tmp_path, socket, flags):
    exe = str(tmp_path / "peer")
    build = subprocess.run([CC, "-o", exe, os.path.join(KIT_SOURCES, "peer.c")] + flags(),
                           capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    # Linked statically: the program needs no libzmq or libsodium at run time.
    assert not [lib for lib in _needed_libraries(exe) if "zmq" in lib or "sodium" in lib]

    s = socket(zmq.PAIR)
    s.rcvtimeo = 10000
    port = s.bind_to_random_port("tcp://127.0.0.1")
    proc = subprocess.Popen([exe, f"tcp://127.0.0.1:{port}"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert s.recv() == b"hello from C"
        s.send(b"ping")
        assert s.recv() == b"C got: ping"
        s.send_string("second")
        assert s.recv_string() == "C got: second"
        s.send(b"quit")
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert out.decode().splitlines()[0] == f"libzmq {zmq.zmq_version()}"


@pytest.fixture(scope="module")
def cython_extension(tmp_path_factory):
    """tests/link_kit/cy_peer.pyx compiled with include_dirs=zmq.get_includes() only."""
    pytest.importorskip("Cython")
    build = tmp_path_factory.mktemp("cy_peer")
    c_file = str(build / "cy_peer.c")
    includes = zmq.get_includes()
    cython = subprocess.run(
        [sys.executable, "-m", "cython", "-3", "-o", c_file, os.path.join(KIT_SOURCES, "cy_peer.pyx")]
        + [f"-I{d}" for d in includes],
        capture_output=True, text=True)
    assert cython.returncode == 0, cython.stderr
    module = str(build / ("cy_peer" + sysconfig.get_config_var("EXT_SUFFIX")))
    cc = subprocess.run(
        [CC, "-shared", "-fPIC", "-O1", "-o", module, c_file, f"-I{sysconfig.get_paths()['include']}"]
        + [f"-I{d}" for d in includes],
        capture_output=True, text=True)
    assert cc.returncode == 0, cc.stderr
    spec = importlib.util.spec_from_file_location("cy_peer", module)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_cython_extension_sends_through_socket_methods(cython_extension, pair):
    a, b = pair
    cython_extension.send_via_method(a, b"from cython")
    assert b.recv() == b"from cython"
    b.send(b"back")
    assert cython_extension.recv_via_method(a) == b"back"


def test_cython_extension_calls_the_same_libzmq(cython_extension, ctx, pair):
    a, b = pair
    assert cython_extension.send_via_libzmq(a, b"raw") == 3
    frame = b.recv(copy=False)
    assert frame.bytes == b"raw"
    assert cython_extension.frame_size(frame) == 3
    assert cython_extension.context_io_threads(ctx) == 1
    assert cython_extension.libzmq_version() == zmq.zmq_version_info()


def test_cython_extension_rejects_wrong_types(cython_extension):
    with pytest.raises(TypeError):
        cython_extension.send_via_method(object(), b"x")
