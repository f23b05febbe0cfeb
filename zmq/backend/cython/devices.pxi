# monitored_queue: a queue between two sockets that also copies every message,
# prefixed by the side it came from, to a monitor socket. Compiled because it is
# the forwarding loop of long-running hubs (ipyparallel's).

from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_GET_SIZE
from zmq.backend.cython.libzmq cimport (
    zmq_poll as _c_zmq_poll, zmq_pollitem_t, zmq_msg_t, zmq_msg_init, zmq_msg_close,
    zmq_msg_copy, zmq_msg_more, ZMQ_POLLIN, ZMQ_SNDMORE, ZMQ_TYPE, ZMQ_ROUTER,
)


cdef int _copy_to(void *mon, zmq_msg_t *copy, zmq_msg_t *msg, int flags) except -1:
    _check_rc(zmq_msg_copy(copy, msg))
    return _send_msg(mon, copy, flags)


cdef int _relay(void *src, void *dst, void *mon, bytes prefix, bint swap_ids) except -1:
    """Move one whole message from src to dst, copying it to mon after prefix.
    With swap_ids (ROUTER to ROUTER) the first two parts, the sender's and the
    destination's routing ids, change places on the way to dst (and mon)."""
    cdef zmq_msg_t msg, first, copy
    cdef int more = 1
    _send_bytes(mon, PyBytes_AS_STRING(prefix), <size_t>PyBytes_GET_SIZE(prefix), ZMQ_SNDMORE)
    zmq_msg_init(&msg)
    zmq_msg_init(&first)
    zmq_msg_init(&copy)
    try:
        if swap_ids:
            _recv_msg(src, &first, 0)
            more = zmq_msg_more(&first)
            if more:
                _recv_msg(src, &msg, 0)
                more = zmq_msg_more(&msg)
                # The monitor sees the message as forwarded, destination id
                # first (ipyparallel's hub reads the ids in that order).
                _copy_to(mon, &copy, &msg, ZMQ_SNDMORE)
                _send_msg(dst, &msg, ZMQ_SNDMORE)
            _copy_to(mon, &copy, &first, ZMQ_SNDMORE if more else 0)
            _send_msg(dst, &first, ZMQ_SNDMORE if more else 0)
        while more:
            _recv_msg(src, &msg, 0)
            more = zmq_msg_more(&msg)
            _copy_to(mon, &copy, &msg, ZMQ_SNDMORE if more else 0)
            _send_msg(dst, &msg, ZMQ_SNDMORE if more else 0)
    finally:
        zmq_msg_close(&msg)
        zmq_msg_close(&first)
        zmq_msg_close(&copy)
    return 0


def monitored_queue(Socket in_socket, Socket out_socket, Socket mon_socket,
                    bytes in_prefix=b"in", bytes out_prefix=b"out"):
    """Forward messages both ways between in_socket and out_socket, like
    zmq.proxy, and send each one to mon_socket too, prefixed by in_prefix or
    out_prefix after the side it came from. Both sides may be ROUTER sockets
    (the routing ids are swapped on the way). Runs until the context is
    terminated or a socket is closed, then raises (ContextTerminated or
    ZMQError)."""
    cdef zmq_pollitem_t items[2]
    cdef int rc
    cdef bint swap_ids
    in_socket._check_open()
    out_socket._check_open()
    mon_socket._check_open()
    swap_ids = (_getsockopt(in_socket.handle, ZMQ_TYPE) == ZMQ_ROUTER
                and _getsockopt(out_socket.handle, ZMQ_TYPE) == ZMQ_ROUTER)
    items[0].socket = in_socket.handle
    items[1].socket = out_socket.handle
    for i in range(2):
        items[i].fd = 0
        items[i].events = ZMQ_POLLIN
    while True:
        items[0].revents = items[1].revents = 0
        with nogil:
            rc = _c_zmq_poll(items, 2, -1)
        _touch()
        if rc < 0:
            _retry_or_raise(_c_zmq_errno())
            continue
        if items[0].revents & ZMQ_POLLIN:
            _relay(in_socket.handle, out_socket.handle, mon_socket.handle, in_prefix, swap_ids)
        if items[1].revents & ZMQ_POLLIN:
            _relay(out_socket.handle, in_socket.handle, mon_socket.handle, out_prefix, swap_ids)
