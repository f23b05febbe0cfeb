# Turning libzmq's errno into the exception classes of zmq.error.

from zmq.backend.cython.libzmq cimport zmq_errno as _c_zmq_errno

cdef object ZMQError
cdef object Again
cdef object ContextTerminated
cdef object InterruptedSystemCall
cdef object NotDone

cdef object _error_class(int errnum)
cdef int _raise_errno(int errnum, object msg=*) except -1
cdef int _retry_or_raise(int errnum) except -1


cdef inline int _check_rc(int rc) except -1:
    """Raise for a failed libzmq call (rc == -1); errno is read at once."""
    if rc == -1:
        _raise_errno(_c_zmq_errno())
    return 0
