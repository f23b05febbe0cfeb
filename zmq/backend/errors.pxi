# Turning libzmq's errno into the exception classes of zmq.error.

from cpython.exc cimport PyErr_CheckSignals
from zmq.backend.libzmq cimport zmq_errno as _c_zmq_errno, zmq_strerror as _c_zmq_strerror, EAGAIN, EINTR, ETERM

import zmq.error as _error_module

cdef object ZMQError = _error_module.ZMQError
cdef object Again = _error_module.Again
cdef object ContextTerminated = _error_module.ContextTerminated
cdef object InterruptedSystemCall = _error_module.InterruptedSystemCall


cdef object _error_class(int errnum):
    if errnum == EAGAIN:
        return Again
    if errnum == ETERM:
        return ContextTerminated
    if errnum == EINTR:
        return InterruptedSystemCall
    return ZMQError


cdef int _raise_errno(int errnum, object msg=None) except -1:
    raise _error_class(errnum)(errnum, msg)


cdef inline int _check_rc(int rc) except -1:
    """Raise for a failed libzmq call (rc == -1); errno is read at once."""
    if rc == -1:
        _raise_errno(_c_zmq_errno())
    return 0


cdef int _retry_or_raise(int errnum) except -1:
    """After a blocking call failed: run signal handlers on EINTR (a handler
    that raises, like SIGINT's, propagates) and return 0 to ask for a retry;
    raise the matching exception for any other error."""
    if errnum == EINTR:
        PyErr_CheckSignals()
        return 0
    return _raise_errno(errnum)


ETERM_VALUE = ETERM
