# Forwarding messages between sockets: proxy, proxy_steerable, device.

from zmq.backend.libzmq cimport zmq_proxy, zmq_proxy_steerable, zmq_device


cdef void *_handle_or_null(object socket) except? NULL:
    if socket is None:
        return NULL
    if not isinstance(socket, Socket):
        raise TypeError(f"expected a zmq.Socket or None, not {type(socket).__name__}")
    (<Socket>socket)._check_open()
    return (<Socket>socket).handle


def proxy(frontend, backend, capture=None):
    """Forward messages between frontend and backend (copying them to
    capture, if given) until the context is terminated: then raises
    zmq.ContextTerminated. Runs without the GIL."""
    cdef void *f = _handle_or_null(frontend)
    cdef void *b = _handle_or_null(backend)
    cdef void *c = _handle_or_null(capture)
    cdef int rc
    if f == NULL or b == NULL:
        raise TypeError("frontend and backend must be sockets")
    while True:
        with nogil:
            rc = zmq_proxy(f, b, c)
        if rc == 0:
            return 0
        _retry_or_raise(_c_zmq_errno())


def proxy_steerable(frontend, backend, capture=None, control=None):
    """Like proxy, controlled by messages on `control`: b'PAUSE', b'RESUME',
    b'TERMINATE' (returns), b'STATISTICS'."""
    cdef void *f = _handle_or_null(frontend)
    cdef void *b = _handle_or_null(backend)
    cdef void *c = _handle_or_null(capture)
    cdef void *k = _handle_or_null(control)
    cdef int rc
    if f == NULL or b == NULL:
        raise TypeError("frontend and backend must be sockets")
    while True:
        with nogil:
            rc = zmq_proxy_steerable(f, b, c, k)
        if rc == 0:
            return 0
        _retry_or_raise(_c_zmq_errno())


def device(int device_type, frontend, backend):
    """The older name of proxy: device_type is zmq.QUEUE, zmq.FORWARDER or
    zmq.STREAMER, which libzmq treats alike."""
    cdef void *f = _handle_or_null(frontend)
    cdef void *b = _handle_or_null(backend)
    cdef int rc
    if f == NULL or b == NULL:
        raise TypeError("frontend and backend must be sockets")
    while True:
        with nogil:
            rc = zmq_device(device_type, f, b)
        if rc == 0:
            return 0
        _retry_or_raise(_c_zmq_errno())
