"""What the build put into the package: a backend with libzmq and libsodium
inside it, at the pinned versions."""

import os
import re
import shutil
import subprocess
import sys

import pytest

import zmq
from zmq import _build_info
from zmq.backend.cython import _zmq

BUNDLED = _build_info.LINK_MODE == "bundled"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _pinned(name):
    with open(os.path.join(ROOT, "bundled", "pins.cmake")) as f:
        return re.search(rf"set\({name} (\S+)\)", f.read()).group(1)


@pytest.mark.skipif(not BUNDLED, reason="bundled build only")
def test_backend_needs_no_libzmq_or_libsodium():
    readelf = shutil.which("readelf")
    if readelf is None:
        pytest.skip("no readelf")
    out = subprocess.run([readelf, "-d", _zmq.__file__], check=True, capture_output=True, text=True).stdout
    needed = [line for line in out.splitlines() if "(NEEDED)" in line]
    assert needed, "readelf found no dependencies at all"
    assert not [line for line in needed if "zmq" in line or "sodium" in line]


@pytest.mark.skipif(not BUNDLED, reason="bundled build only")
def test_backend_exports_libzmq_api_only():
    nm = shutil.which("nm")
    if nm is None:
        pytest.skip("no nm")
    out = subprocess.run([nm, "-D", "--defined-only", _zmq.__file__], check=True, capture_output=True, text=True).stdout
    names = [line.split()[-1] for line in out.splitlines() if line.strip()]
    assert "zmq_send" in names and "zmq_msg_recv" in names
    assert "PyInit__zmq" in names
    leaked = [n for n in names if n != "PyInit__zmq" and not n.startswith("zmq_")]
    assert not leaked, leaked[:10]


@pytest.mark.skipif(not BUNDLED, reason="bundled build only")
@pytest.mark.skipif(not os.path.exists(os.path.join(ROOT, "bundled", "pins.cmake")), reason="no source tree")
def test_bundled_libzmq_is_the_pinned_version():
    assert zmq.zmq_version() == _pinned("LIBZMQ_VERSION") == "4.3.4"
    assert zmq.zmq_version_info() == (4, 3, 4)


def test_curve_is_available():
    assert zmq.has("curve") is True


def test_curve_encrypted_pair_over_tcp(socket):
    server_public, server_secret = zmq.curve_keypair()
    client_public, client_secret = zmq.curve_keypair()
    server = socket(zmq.PAIR, curve_server=1, curve_secretkey=server_secret, rcvtimeo=10000)
    client = socket(zmq.PAIR, curve_serverkey=server_public, curve_publickey=client_public,
                    curve_secretkey=client_secret, rcvtimeo=10000)
    port = server.bind_to_random_port("tcp://127.0.0.1")
    client.connect(f"tcp://127.0.0.1:{port}")
    client.send(b"secret hello")
    assert server.recv() == b"secret hello"
    server.send(b"secret reply")
    assert client.recv() == b"secret reply"
    assert server.get(zmq.MECHANISM) == zmq.CURVE


_SOURCE_FILE = re.compile(rb"[\x20-\x7e]*\.(?:c|cc|cpp|h|hpp|pyx|pxi|pxd)(?=\x00)")


def _source_file_names(path):
    with open(path, "rb") as f:
        return {m.group().decode() for m in _SOURCE_FILE.finditer(f.read())}


@pytest.mark.skipif(not BUNDLED, reason="bundled build only")
@pytest.mark.skipif(sys.platform == "win32",
                    reason="MSVC has no documented prefix-map option: Windows builds keep __FILE__'s paths (README)")
def test_backend_names_no_build_machine_path():
    # libzmq's assertion messages print __FILE__; they must not carry the
    # temporary directory the wheel was built in (nor any other absolute path).
    names = _source_file_names(_zmq.__file__)
    assert "src/epoll.cpp" in names or "src/kqueue.cpp" in names or "src/select.cpp" in names, (
        "libzmq's own file names are gone from the binary: this test no longer sees them")
    absolute = sorted(n for n in names if re.search(r"(^|[\s'\"(])(/|[A-Za-z]:\\)", n))
    assert not absolute, absolute[:10]
    # A relative name that climbs out of the build directory reaches the
    # machine's directories just the same (Cython's traceback table did).
    climbing = sorted(n for n in names if "../" in n or "..\\" in n)
    assert not climbing, climbing[:10]
    cython_names = {n for n in names if n.endswith((".pyx", ".pxi", ".pxd")) and "/" in n}
    assert "zmq/backend/cython/_zmq.pyx" in cython_names, sorted(cython_names)
    assert all(n.startswith("zmq/backend/cython/") for n in cython_names), sorted(cython_names)
    with open(_zmq.__file__, "rb") as f:
        assert ROOT.encode() not in f.read()
