# Module-level functions: library version, capabilities, errno access.

from zmq.backend.libzmq cimport zmq_version, zmq_has


cdef extern from "zmq_compat.h":
    enum:
        PYZMQ_DRAFT_API

IS_DRAFT_BUILD = bool(PYZMQ_DRAFT_API)


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
