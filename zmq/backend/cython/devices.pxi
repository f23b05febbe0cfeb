# monitored_queue: a queue between two sockets that also copies every message,
# prefixed by the side it came from, to a monitor socket. Compiled because it is
# the forwarding loop of long-running hubs (ipyparallel's).

from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_GET_SIZE
from zmq.backend.cython.libzmq cimport (
    zmq_poll as _c_zmq_poll, zmq_pollitem_t, zmq_msg_t, zmq_msg_init, zmq_msg_close,
    zmq_msg_copy, zmq_msg_more, zmq_msg_recv, zmq_msg_send, zmq_send, ZMQ_POLLIN,
    ZMQ_SNDMORE, ZMQ_TYPE, ZMQ_ROUTER, EINTR,
)

# The whole loop runs without the GIL, as a forwarding thread must: taking it
# per message would make the thread and the program's own threads hand the GIL
# back and forth for every message they pass. The GIL is taken only to run
# signal handlers (EINTR) and to raise.


cdef int _failed(int err) except -1 nogil:
    """After a libzmq call failed with err: 0 to retry it (EINTR, once the
    signal handlers ran without raising), else raise."""
    with gil:
        return _retry_or_raise(err)


cdef int _recv_part(void *src, zmq_msg_t *msg) except -1 nogil:
    while zmq_msg_recv(msg, src, 0) < 0:
        _failed(_c_zmq_errno())
    return 0


cdef int _send_part(void *dst, zmq_msg_t *msg, int flags) except -1 nogil:
    while zmq_msg_send(msg, dst, flags) < 0:
        _failed(_c_zmq_errno())
    return 0


cdef int _copy_to(void *mon, zmq_msg_t *copy, zmq_msg_t *msg, int flags) except -1 nogil:
    if zmq_msg_copy(copy, msg) != 0:
        _failed(_c_zmq_errno())  # EFAULT: raises
    return _send_part(mon, copy, flags)


cdef int _relay(void *src, void *dst, void *mon, const char *prefix, size_t prefix_len,
                bint swap_ids) except -1 nogil:
    """Move one whole message from src to dst, copying it to mon after prefix.
    With swap_ids (ROUTER to ROUTER) the first two parts, the sender's and the
    destination's routing ids, change places on the way to dst (and mon)."""
    cdef zmq_msg_t msg, first, copy
    cdef int more = 1
    while zmq_send(mon, prefix, prefix_len, ZMQ_SNDMORE) < 0:
        _failed(_c_zmq_errno())
    zmq_msg_init(&msg)
    zmq_msg_init(&first)
    zmq_msg_init(&copy)
    try:
        if swap_ids:
            _recv_part(src, &first)
            more = zmq_msg_more(&first)
            if more:
                _recv_part(src, &msg)
                more = zmq_msg_more(&msg)
                # The monitor sees the message as forwarded, destination id
                # first (ipyparallel's hub reads the ids in that order).
                _copy_to(mon, &copy, &msg, ZMQ_SNDMORE)
                _send_part(dst, &msg, ZMQ_SNDMORE)
            _copy_to(mon, &copy, &first, ZMQ_SNDMORE if more else 0)
            _send_part(dst, &first, ZMQ_SNDMORE if more else 0)
        while more:
            _recv_part(src, &msg)
            more = zmq_msg_more(&msg)
            _copy_to(mon, &copy, &msg, ZMQ_SNDMORE if more else 0)
            _send_part(dst, &msg, ZMQ_SNDMORE if more else 0)
    finally:
        zmq_msg_close(&msg)
        zmq_msg_close(&first)
        zmq_msg_close(&copy)
        # These calls may have consumed the sockets' FD edges: a Poller
        # elsewhere must read their events again (see poll.pxi).
        _touch()
    return 0


def monitored_queue(Socket in_socket, Socket out_socket, Socket mon_socket,
                    bytes in_prefix not None=b"in", bytes out_prefix not None=b"out"):
    """Forward messages both ways between in_socket and out_socket, like
    zmq.proxy, and send each one to mon_socket too, prefixed by in_prefix or
    out_prefix after the side it came from. Both sides may be ROUTER sockets
    (the routing ids are swapped on the way). Runs until the context is
    terminated or a socket is closed, then raises (ContextTerminated or
    ZMQError)."""
    cdef zmq_pollitem_t items[2]
    cdef int rc
    cdef bint swap_ids
    cdef void *in_h
    cdef void *out_h
    cdef void *mon_h
    cdef const char *in_p
    cdef const char *out_p
    cdef size_t in_len, out_len
    in_socket._check_open()
    out_socket._check_open()
    mon_socket._check_open()
    swap_ids = (_getsockopt(in_socket.handle, ZMQ_TYPE) == ZMQ_ROUTER
                and _getsockopt(out_socket.handle, ZMQ_TYPE) == ZMQ_ROUTER)
    in_h = in_socket.handle
    out_h = out_socket.handle
    mon_h = mon_socket.handle
    items[0].socket = in_h
    items[1].socket = out_h
    for i in range(2):
        items[i].fd = 0
        items[i].events = ZMQ_POLLIN
    in_p = PyBytes_AS_STRING(in_prefix)
    in_len = <size_t>PyBytes_GET_SIZE(in_prefix)
    out_p = PyBytes_AS_STRING(out_prefix)
    out_len = <size_t>PyBytes_GET_SIZE(out_prefix)
    with nogil:
        while True:
            items[0].revents = items[1].revents = 0
            rc = _c_zmq_poll(items, 2, -1)
            _touch()
            if rc < 0:
                _failed(_c_zmq_errno())
                continue
            if items[0].revents & ZMQ_POLLIN:
                _relay(in_h, out_h, mon_h, in_p, in_len, swap_ids)
            if items[1].revents & ZMQ_POLLIN:
                _relay(out_h, in_h, mon_h, out_p, out_len, swap_ids)
