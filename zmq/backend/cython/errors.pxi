# Turning libzmq's errno into the exception classes of zmq.error.

from cpython.exc cimport PyErr_CheckSignals
from zmq.backend.cython.libzmq cimport EAGAIN, EINTR, ETERM

import zmq.error as _error_module

ZMQError = _error_module.ZMQError
Again = _error_module.Again
ContextTerminated = _error_module.ContextTerminated
InterruptedSystemCall = _error_module.InterruptedSystemCall
NotDone = _error_module.NotDone


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


cdef int _retry_or_raise(int errnum) except -1:
    """After a blocking call failed: run signal handlers on EINTR (a handler
    that raises, like SIGINT's, propagates) and return 0 to ask for a retry;
    raise the matching exception for any other error."""
    if errnum == EINTR:
        PyErr_CheckSignals()
        return 0
    return _raise_errno(errnum)
