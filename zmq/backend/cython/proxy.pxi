# Forwarding messages between sockets: proxy, proxy_steerable.

from zmq.backend.cython.libzmq cimport zmq_proxy_steerable

cdef void *_handle_or_null(object socket) except? NULL:
    if socket is None:
        return NULL
    if not isinstance(socket, Socket):
        raise TypeError(f"expected a zmq.Socket or None, not {type(socket).__name__}")
    (<Socket>socket)._check_open()
    return (<Socket>socket).handle


cdef int _forward(object frontend, object backend, object capture, object control) except -1:
    """Run libzmq's proxy without the GIL until it stops: returns 0 when told
    to TERMINATE, raises (ContextTerminated, usually) otherwise."""
    cdef void *f = _handle_or_null(frontend)
    cdef void *b = _handle_or_null(backend)
    cdef void *c = _handle_or_null(capture)
    cdef void *k = _handle_or_null(control)
    cdef int rc
    if f == NULL or b == NULL:
        raise TypeError("frontend and backend must be sockets")
    while True:
        # zmq_proxy is zmq_proxy_steerable without a control socket.
        with nogil:
            rc = zmq_proxy_steerable(f, b, c, k)
        _touch()
        if rc == 0:
            return 0
        _retry_or_raise(_c_zmq_errno())


def proxy(frontend, backend, capture=None):
    """Forward messages between frontend and backend (copying them to
    capture, if given) until the context is terminated: then raises
    zmq.ContextTerminated. Runs without the GIL."""
    return _forward(frontend, backend, capture, None)


def proxy_steerable(frontend, backend, capture=None, control=None):
    """Like proxy, controlled by messages on `control`: b'PAUSE', b'RESUME',
    b'TERMINATE' (then returns 0), b'STATISTICS'."""
    return _forward(frontend, backend, capture, control)

