# Module-level functions: library version, capabilities, errno access.

from zmq.backend.cython.libzmq cimport zmq_version, zmq_has, zmq_strerror as _c_zmq_strerror

# Private to the backend: zmq_compat.h is not part of the link kit.
cdef extern from "zmq_compat.h":
    enum:
        # Whether libzmq was built with its draft API (a compile definition).
        _DRAFT_BUILD "PYZMQ_DRAFT_API"
        # The longest ipc:// path the platform's AF_UNIX address holds.
        _IPC_PATH_MAX_LEN "PYZMQ_IPC_PATH_MAX_LEN"

PYZMQ_DRAFT_API = bool(_DRAFT_BUILD)
IPC_PATH_MAX_LEN = _IPC_PATH_MAX_LEN


def zmq_version_info():
    """The version of the linked libzmq as a (major, minor, patch) tuple."""
    cdef int major = 0, minor = 0, patch = 0
    zmq_version(&major, &minor, &patch)
    return (major, minor, patch)


def has(capability):
    """Whether libzmq supports a capability: 'ipc', 'pgm', 'tipc', 'norm',
    'curve', 'gssapi', 'draft'. Unknown names give False."""
    if not isinstance(capability, str):
        raise TypeError(f"capability must be str, not {type(capability).__name__}")
    return bool(zmq_has(capability.encode("utf-8")))


def strerror(int errno):
    """The message libzmq (or the C library) gives for an errno value."""
    return _c_zmq_strerror(errno).decode("utf-8", "replace")


def zmq_errno():
    """libzmq's errno for the calling thread."""
    return _c_zmq_errno()


cdef int _require_draft() except -1:
    if not _DRAFT_BUILD:
        raise RuntimeError("libzmq's draft API is not available in this build (see ZMQ_DRAFT_API)")
    return 0
