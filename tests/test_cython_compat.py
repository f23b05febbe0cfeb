"""Cython extensions written for pyzmq compile and run unchanged against this
package: its .pxd files declare all of zmq.h under pyzmq's cimport paths."""

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import sysconfig

import pytest

import zmq
from zmq.utils import z85

HERE = os.path.dirname(os.path.abspath(__file__))
KIT_SOURCES = os.path.join(HERE, "link_kit")

# Names pyzmq's libzmq.pxd declares that this zmq.h does not define: errno
# values under a ZMQ_ prefix, 4.3.5's options and libzmq 2's HWM.
PYZMQ_EXTRA_NAMES = [
    "ZMQ_EAGAIN", "ZMQ_EFAULT", "ZMQ_EINVAL", "ZMQ_ENOTSUP", "ZMQ_EPROTONOSUPPORT", "ZMQ_ENOBUFS",
    "ZMQ_ENETDOWN", "ZMQ_EADDRINUSE", "ZMQ_EADDRNOTAVAIL", "ZMQ_ECONNREFUSED", "ZMQ_EINPROGRESS",
    "ZMQ_ENOTSOCK", "ZMQ_EMSGSIZE", "ZMQ_EAFNOSUPPORT", "ZMQ_ENETUNREACH", "ZMQ_ECONNABORTED",
    "ZMQ_ECONNRESET", "ZMQ_ENOTCONN", "ZMQ_ETIMEDOUT", "ZMQ_EHOSTUNREACH", "ZMQ_ENETRESET", "ZMQ_EFSM",
    "ZMQ_ENOCOMPATPROTO", "ZMQ_ETERM", "ZMQ_EMTHREAD",
    "ZMQ_BUSY_POLL", "ZMQ_HICCUP_MSG", "ZMQ_XSUB_VERBOSE_UNSUBSCRIBE", "ZMQ_TOPICS_COUNT",
    "ZMQ_NORM_MODE", "ZMQ_NORM_UNICAST_NACK", "ZMQ_NORM_BUFFER_SIZE", "ZMQ_NORM_SEGMENT_SIZE",
    "ZMQ_NORM_BLOCK_SIZE", "ZMQ_NORM_NUM_PARITY", "ZMQ_NORM_NUM_AUTOPARITY", "ZMQ_NORM_PUSH",
    "ZMQ_NORM_FIXED", "ZMQ_NORM_CC", "ZMQ_NORM_CCL", "ZMQ_NORM_CCE", "ZMQ_NORM_CCE_ECNONLY",
    "ZMQ_HWM",
]
# errno names the backend and extensions use that come from errno.h, not zmq.h.
SYSTEM_ERRNO_NAMES = ["EAGAIN", "EINTR", "EINVAL", "EFAULT"]


def _read(path):
    with open(path) as f:
        return f.read()


def _zmq_h():
    return _read(os.path.join(zmq.get_includes()[0], "zmq.h")).replace("\\\n", " ")


def _libzmq_pxd():
    return _read(os.path.join(zmq.get_includes()[1], "zmq", "backend", "cython", "libzmq.pxd"))


def _split_draft(header):
    """(stable part, draft part) of zmq.h."""
    start = header.index("#ifdef ZMQ_BUILD_DRAFT_API")
    end = header.index("#endif // ZMQ_BUILD_DRAFT_API")
    return header[:start] + header[end:], header[start:end]


def _macros(text):
    """{name: replacement} of the object-like ZMQ_* and E* macros with a value."""
    found = {}
    for name, paren, value in re.findall(r"^[ \t]*#[ \t]*define[ \t]+((?:ZMQ|E)[A-Z0-9_]*)(\(?)[ \t]*(.*?)[ \t]*$",
                                         text, re.M):
        if not paren and value and name != "ZMQ_EXPORT":
            found[name] = value
    return found


def _functions(text):
    return set(re.findall(r"^ZMQ_EXPORT\b[^;(]*?\b(zmq_\w+)\s*\(", text, re.M))


def _pxd_names(pxd):
    return set(re.findall(r"^[ \t]+(?:const char \*)?((?:ZMQ|E)[A-Z0-9_]*)\b", pxd, re.M))


def _pxd_functions(pxd):
    return set(re.findall(r"^[ \t]+[\w ]+?\**\b(zmq_\w+)\s*(?:\"\w+\"\s*)?\(", pxd, re.M))


def test_every_macro_of_zmq_h_is_declared():
    declared = _pxd_names(_libzmq_pxd())
    macros = _macros(_zmq_h())
    assert "ZMQ_PUSH" in macros and "ZMQ_SERVER" in macros and "ETERM" in macros  # the parse works
    missing = sorted(set(macros) - declared)
    assert not missing, f"zmq.h macros missing from libzmq.pxd: {missing}"
    missing = sorted(set(PYZMQ_EXTRA_NAMES + SYSTEM_ERRNO_NAMES) - declared)
    assert not missing, f"pyzmq's names missing from libzmq.pxd: {missing}"


def test_every_stable_function_and_no_draft_function_is_declared():
    stable, draft = _split_draft(_zmq_h())
    declared = _pxd_functions(_libzmq_pxd())
    assert {"zmq_msg_send", "zmq_setsockopt", "zmq_z85_encode"} <= _functions(stable)  # the parse works
    assert not sorted(_functions(stable) - declared)
    # The bundled libzmq has no draft functions: declared, they would compile
    # and then fail to resolve when the extension is imported.
    assert {"zmq_join", "zmq_poller_new"} <= _functions(draft)
    assert not sorted(_functions(draft) & declared)


# Building extensions with setuptools, as their authors do.

def _compiler():
    cc = os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc"
    return shutil.which(cc.split()[0]) or shutil.which("cc") or shutil.which("gcc")


_SETUP = """
import sys
from setuptools import Extension, setup
from Cython.Build import cythonize
import zmq
from zmq.utils import z85

name = sys.argv[1]
ext = Extension(name, [name + ".pyx"], include_dirs=zmq.get_includes(),
                define_macros=[(macro, None) for macro in sys.argv[2:]])
setup(name=name, ext_modules=cythonize([ext], quiet=True, compiler_directives={"language_level": 3}),
      script_args=["build_ext", "--inplace"])
"""


def _build_extension(build_dir, name, source, define_macros=()):
    """Compile `source` (Cython code) as module `name` in build_dir and import it."""
    pytest.importorskip("Cython")
    pytest.importorskip("setuptools")
    if _compiler() is None:
        pytest.skip("no C compiler")
    with open(os.path.join(build_dir, name + ".pyx"), "w") as f:
        f.write(source)
    build = subprocess.run([sys.executable, "-c", _SETUP, name, *define_macros],
                           cwd=build_dir, capture_output=True, text=True)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-5000:]
    module = os.path.join(build_dir, name + sysconfig.get_config_var("EXT_SUFFIX"))
    spec = importlib.util.spec_from_file_location(name, module)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)  # after `import zmq`: its libzmq is the one resolved
    return mod


@pytest.fixture(scope="module")
def ext(tmp_path_factory):
    """tests/link_kit/pyzmq_style.pyx, compiled unchanged."""
    return _build_extension(str(tmp_path_factory.mktemp("pyzmq_style")), "pyzmq_style",
                            _read(os.path.join(KIT_SOURCES, "pyzmq_style.pyx")))


def test_libzmq_calls_on_socket_handle(ext, push_pull):
    push, pull = push_pull
    pull.rcvtimeo = push.sndtimeo = 10000
    assert ext.send_msg(push, b"from libzmq") == len(b"from libzmq")
    assert pull.recv() == b"from libzmq"
    push.send_multipart([b"a", b"b"])
    assert ext.recv_msg(pull) == (b"a", True)
    assert ext.recv_msg(pull) == (b"b", False)
    ext.send_multipart_raw(push, [b"x", b"y", b"z"])
    assert pull.recv_multipart() == [b"x", b"y", b"z"]


def test_errors_from_libzmq_reach_the_extension(ext, push_pull):
    push, pull = push_pull
    with pytest.raises(OSError) as info:
        ext.recv_msg(pull, zmq.DONTWAIT)
    assert info.value.errno == zmq.EAGAIN


def test_cpdef_send_and_recv(ext, push_pull):
    push, pull = push_pull
    pull.rcvtimeo = 10000
    ext.send_via_method(push, b"via cpdef")
    assert pull.recv() == b"via cpdef"
    push.send(b"back")
    assert ext.recv_via_method(pull) == b"back"
    push.send(b"frame")
    frame = ext.recv_via_method(pull, 0, False)
    assert isinstance(frame, zmq.Frame)
    assert ext.frame_bytes(frame) == b"frame"
    assert ext.frame_size_via_short_path(frame) == 5


def test_socket_and_context_attributes(ext, ctx, push_pull):
    push, pull = push_pull
    assert ext.is_push(push) and not ext.is_push(pull)
    assert ext.type_via_short_path(pull) == zmq.PULL
    pull.rcvhwm = 123
    assert ext.rcvhwm(pull) == 123
    assert ext.affinity(pull) == pull.affinity
    assert ext.socket_fd(pull) == pull.fd
    assert ext.context_io_threads(ctx) == ext.io_threads_via_short_path(ctx) == ctx.get(zmq.IO_THREADS)
    assert not ext.poll_in(pull, 0)
    push.send(b"ready")
    assert ext.poll_in(pull, 10000)


def test_sockets_of_the_extension_share_the_context(ext, ctx, socket):
    # inproc connects only within one libzmq context: the extension's sockets
    # live in the very libzmq the zmq module uses.
    pull = socket(zmq.PULL, rcvtimeo=10000)
    pull.bind("inproc://cython-compat")
    raw_push = ext.RawSocket(ctx, zmq.PUSH)
    try:
        raw_push.connect(b"inproc://cython-compat")
        raw_push.send(b"raw to zmq")
        assert pull.recv() == b"raw to zmq"
    finally:
        raw_push.close()

    raw_pull = ext.RawSocket(ctx, zmq.PULL)
    try:
        raw_pull.bind(b"inproc://cython-compat-back")
        push = socket(zmq.PUSH)
        push.connect("inproc://cython-compat-back")
        push.send(b"zmq to raw")
        assert raw_pull.recv() == b"zmq to raw"
    finally:
        raw_pull.close()


def test_constants_match_the_zmq_module(ext):
    values = ext.constants()
    assert values == {name: getattr(zmq, name) for name in values}


def test_utility_functions(ext):
    (major, minor, patch), version = ext.version()
    assert (major, minor, patch) == zmq.zmq_version_info()
    assert version == major * 10000 + minor * 100 + patch
    key = bytes(range(32))
    text, decoded = ext.z85_roundtrip(key)
    assert text == z85.encode(key)
    assert decoded == key
    assert ext.atomic_counter() == 42
    assert ext.run_timer() >= 1


def test_wrong_types_are_rejected(ext):
    with pytest.raises(TypeError):
        ext.send_via_method(object(), b"x")
    with pytest.raises(TypeError):
        ext.frame_bytes(b"not a frame")


@pytest.fixture(scope="module")
def constant_modules(tmp_path_factory):
    """Every macro of zmq.h and every pyzmq name read through libzmq.pxd, in an
    extension built as usual and in one that sees zmq.h's draft section."""
    macros = _macros(_zmq_h())
    ints = sorted(n for n, v in macros.items() if not v.startswith('"')) + PYZMQ_EXTRA_NAMES + SYSTEM_ERRNO_NAMES
    strings = sorted(n for n, v in macros.items() if v.startswith('"'))
    lines = ["from zmq.backend.cython cimport libzmq", "", "INTS = {"]
    lines += [f"    {name!r}: libzmq.{name}," for name in ints]
    lines += ["}", "STRINGS = {"]
    lines += [f"    {name!r}: libzmq.{name}," for name in strings]
    lines += ["}", ""]
    source = "\n".join(lines)
    build = str(tmp_path_factory.mktemp("zmq_h_constants"))
    plain = _build_extension(build, "zmq_h_constants", source)
    draft = _build_extension(build, "zmq_h_constants_draft", source, ["ZMQ_BUILD_DRAFT_API"])
    return plain, draft


def test_every_constant_compiles_with_its_value(constant_modules):
    plain, draft = constant_modules
    # The fallbacks for draft names equal zmq.h's own definitions.
    assert plain.INTS == draft.INTS
    assert plain.STRINGS == draft.STRINGS == {
        "ZMQ_MSG_PROPERTY_ROUTING_ID": b"Routing-Id", "ZMQ_MSG_PROPERTY_SOCKET_TYPE": b"Socket-Type",
        "ZMQ_MSG_PROPERTY_USER_ID": b"User-Id", "ZMQ_MSG_PROPERTY_PEER_ADDRESS": b"Peer-Address",
    }
    mismatched = {}
    for name, value in plain.INTS.items():
        short = name[4:] if name.startswith("ZMQ_") else name
        expected = getattr(zmq, short, None)
        if isinstance(expected, int) and expected != value:
            mismatched[name] = (value, expected)
    assert not mismatched
    assert plain.INTS["ZMQ_VERSION"] == zmq.zmq_version_info()[0] * 10000 + zmq.zmq_version_info()[1] * 100 \
        + zmq.zmq_version_info()[2]
    assert plain.INTS["ZMQ_BUSY_POLL"] == 113 and plain.INTS["ZMQ_NORM_CCE_ECNONLY"] == 4
