# zmq_poll over sockets and plain file descriptors.

from libc.stdlib cimport malloc, free
from zmq.backend.libzmq cimport zmq_poll as _c_zmq_poll, zmq_pollitem_t

from time import monotonic as _poll_clock


cdef int _fd_of(object obj) except -1:
    if isinstance(obj, int):
        return obj
    fileno = getattr(obj, "fileno", None)
    if fileno is None:
        raise TypeError(f"{obj!r} is neither a zmq.Socket, an int fd, nor has a fileno() method")
    fd = fileno()
    if not isinstance(fd, int):
        raise TypeError(f"fileno() of {obj!r} returned {fd!r}, not an int")
    return fd


def zmq_poll(sockets, timeout=-1):
    """Poll [(socket_or_fd, events), ...] for up to timeout milliseconds
    (negative or None: no limit). Returns [(socket_or_fd, revents), ...] for
    the items with events: a socket as given, anything else as its int fd."""
    cdef Py_ssize_t i, n
    cdef int rc, err
    cdef long ms
    cdef zmq_pollitem_t *items
    items_list = sockets if isinstance(sockets, list) else list(sockets)
    n = len(items_list)
    if timeout is None or timeout < 0:
        ms = -1
    else:
        ms = <long>timeout
    items = <zmq_pollitem_t *>malloc(max(n, 1) * sizeof(zmq_pollitem_t))
    if items == NULL:
        raise MemoryError()
    try:
        for i in range(n):
            obj, events = items_list[i]
            items[i].events = events
            items[i].revents = 0
            if isinstance(obj, Socket):
                if (<Socket>obj)._closed:
                    raise ZMQError(ENOTSOCK)
                items[i].socket = (<Socket>obj).handle
                items[i].fd = 0
            else:
                items[i].socket = NULL
                items[i].fd = _fd_of(obj)
        if ms == 0:
            rc = _c_zmq_poll(items, <int>n, 0)
            if rc < 0:
                _raise_errno(_c_zmq_errno())
        else:
            deadline = None if ms < 0 else _poll_clock() + ms / 1000.0
            while True:
                with nogil:
                    rc = _c_zmq_poll(items, <int>n, ms)
                if rc >= 0:
                    break
                _retry_or_raise(_c_zmq_errno())
                # Interrupted by a signal whose handler did not raise: go on
                # waiting for what is left of the timeout.
                if deadline is not None:
                    ms = max(0, <long>((deadline - _poll_clock()) * 1000))
        result = []
        for i in range(n):
            if items[i].revents:
                obj = items_list[i][0]
                # Sockets come back as themselves, anything else as its fd.
                result.append((obj if items[i].socket != NULL else items[i].fd, items[i].revents))
        return result
    finally:
        free(items)
