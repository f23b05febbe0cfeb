# cython: language_level=3
# An extension written the way extensions for pyzmq are: it must compile and
# run unchanged against this package, using only include_dirs=zmq.get_includes().
from libc.string cimport memcpy

from zmq.backend.cython cimport libzmq
from zmq.backend.cython.libzmq cimport (
    zmq_msg_t, zmq_msg_init, zmq_msg_init_size, zmq_msg_data, zmq_msg_size, zmq_msg_close,
    zmq_msg_send, zmq_msg_recv, zmq_pollitem_t, zmq_poll, fd_t, int64_t,
)
from zmq.backend.cython._zmq cimport Socket, Context, Frame
# The short path documented for this package names the same types.
from zmq cimport Socket as ZSocket, Context as ZContext, Frame as ZFrame


def type_via_short_path(ZSocket sock):
    return socket_type(sock)


def frame_size_via_short_path(ZFrame frame):
    return zmq_msg_size(&frame.zmq_msg)


def io_threads_via_short_path(ZContext ctx):
    return context_io_threads(ctx)


cdef int _check(int rc) except -1:
    if rc < 0:
        errnum = libzmq.zmq_errno()
        raise OSError(errnum, libzmq.zmq_strerror(errnum).decode())
    return rc


def send_msg(Socket sock, bytes data, int flags=0):
    """One frame through zmq_msg_send on the socket's handle, without the GIL."""
    cdef zmq_msg_t msg
    cdef Py_ssize_t n = len(data)
    cdef void *handle = sock.handle
    cdef int rc
    _check(zmq_msg_init_size(&msg, n))
    memcpy(zmq_msg_data(&msg), <char *>data, n)
    with nogil:
        rc = zmq_msg_send(&msg, handle, flags)
    if rc < 0:
        zmq_msg_close(&msg)
        _check(rc)
    return rc


def recv_msg(Socket sock, int flags=0):
    """One frame through zmq_msg_recv, and whether more frames follow."""
    cdef zmq_msg_t msg
    cdef void *handle = sock.handle
    cdef int rc
    _check(zmq_msg_init(&msg))
    with nogil:
        rc = zmq_msg_recv(&msg, handle, flags)
    if rc < 0:
        zmq_msg_close(&msg)
        _check(rc)
    try:
        data = (<char *>zmq_msg_data(&msg))[:zmq_msg_size(&msg)]
        more = libzmq.zmq_msg_more(&msg)
    finally:
        zmq_msg_close(&msg)
    return data, bool(more)


def send_multipart_raw(Socket sock, parts):
    cdef Py_ssize_t i, last = len(parts) - 1
    for i, part in enumerate(parts):
        _check(libzmq.zmq_send(sock.handle, <char *>part, len(part),
                               libzmq.ZMQ_SNDMORE if i < last else 0))


def send_via_method(Socket sock, data, int flags=0):
    # cpdef: a C call through the type's method table
    return sock.send(data, flags)


def recv_via_method(Socket sock, int flags=0, bint copy=True):
    return sock.recv(flags, copy)


def socket_type(Socket sock):
    cdef int kind = -1
    cdef size_t size = sizeof(kind)
    _check(libzmq.zmq_getsockopt(sock.handle, libzmq.ZMQ_TYPE, &kind, &size))
    return kind


def is_push(Socket sock):
    return socket_type(sock) == libzmq.ZMQ_PUSH


def rcvhwm(Socket sock):
    cdef int value = 0
    cdef size_t size = sizeof(value)
    _check(libzmq.zmq_getsockopt(sock.handle, libzmq.ZMQ_RCVHWM, &value, &size))
    return value


def affinity(Socket sock):
    cdef int64_t value = 0
    cdef size_t size = sizeof(value)
    _check(libzmq.zmq_getsockopt(sock.handle, libzmq.ZMQ_AFFINITY, &value, &size))
    return value


def socket_fd(Socket sock):
    cdef fd_t fd = -1
    cdef size_t size = sizeof(fd)
    _check(libzmq.zmq_getsockopt(sock.handle, libzmq.ZMQ_FD, &fd, &size))
    return fd


def poll_in(Socket sock, long timeout_ms):
    cdef zmq_pollitem_t item
    item.socket = sock.handle
    item.fd = 0
    item.events = libzmq.ZMQ_POLLIN
    item.revents = 0
    _check(zmq_poll(&item, 1, timeout_ms))
    return bool(item.revents & libzmq.ZMQ_POLLIN)


def frame_bytes(Frame frame):
    return (<char *>zmq_msg_data(&frame.zmq_msg))[:zmq_msg_size(&frame.zmq_msg)]


def context_io_threads(Context ctx):
    return libzmq.zmq_ctx_get(ctx.handle, libzmq.ZMQ_IO_THREADS)


cdef class RawSocket:
    """A libzmq socket of the extension's own on a zmq.Context's handle: inproc
    reaches the package's sockets only if both share one libzmq."""
    cdef void *handle

    def __cinit__(self, Context ctx, int kind):
        self.handle = libzmq.zmq_socket(ctx.handle, kind)
        if self.handle == NULL:
            _check(-1)
        cdef int linger = 0
        libzmq.zmq_setsockopt(self.handle, libzmq.ZMQ_LINGER, &linger, sizeof(linger))

    def connect(self, bytes addr):
        _check(libzmq.zmq_connect(self.handle, addr))

    def bind(self, bytes addr):
        _check(libzmq.zmq_bind(self.handle, addr))

    def send(self, bytes data):
        return _check(libzmq.zmq_send(self.handle, <char *>data, len(data), 0))

    def recv(self, size_t bufsize=256):
        cdef bytearray buf = bytearray(bufsize)
        cdef int n = _check(libzmq.zmq_recv(self.handle, <char *>buf, bufsize, 0))
        return bytes(buf[:n])

    def close(self):
        if self.handle != NULL:
            libzmq.zmq_close(self.handle)
            self.handle = NULL

    def __dealloc__(self):
        self.close()


def constants():
    """A sample across zmq.h's sections, 4.3.5-only and draft names, and
    pyzmq's aliases; the test compares them with the zmq module's values."""
    return {
        "PUSH": libzmq.ZMQ_PUSH,
        "PULL": libzmq.ZMQ_PULL,
        "XREQ": libzmq.ZMQ_XREQ,
        "SNDMORE": libzmq.ZMQ_SNDMORE,
        "DONTWAIT": libzmq.ZMQ_DONTWAIT,
        "RCVTIMEO": libzmq.ZMQ_RCVTIMEO,
        "EVENT_ALL": libzmq.ZMQ_EVENT_ALL,
        "PROTOCOL_ERROR_ZAP_BAD_VERSION": libzmq.ZMQ_PROTOCOL_ERROR_ZAP_BAD_VERSION,
        "SERVER": libzmq.ZMQ_SERVER,
        "PRIORITY": libzmq.ZMQ_PRIORITY,
        "EVENT_ALL_V2": libzmq.ZMQ_EVENT_ALL_V2,
        "BUSY_POLL": libzmq.ZMQ_BUSY_POLL,
        "HICCUP_MSG": libzmq.ZMQ_HICCUP_MSG,
        "XSUB_VERBOSE_UNSUBSCRIBE": libzmq.ZMQ_XSUB_VERBOSE_UNSUBSCRIBE,
        "TOPICS_COUNT": libzmq.ZMQ_TOPICS_COUNT,
        "NORM_PUSH": libzmq.ZMQ_NORM_PUSH,
        "NORM_CCE_ECNONLY": libzmq.ZMQ_NORM_CCE_ECNONLY,
        "HWM": libzmq.ZMQ_HWM,
        "EAGAIN": libzmq.ZMQ_EAGAIN,
        "ETERM": libzmq.ZMQ_ETERM,
        "EFSM": libzmq.EFSM,
        "ENOTSOCK": libzmq.ENOTSOCK,
    }


def version():
    cdef int major = 0, minor = 0, patch = 0
    libzmq.zmq_version(&major, &minor, &patch)
    return (major, minor, patch), libzmq.ZMQ_VERSION


def z85_roundtrip(bytes key):
    cdef char encoded[41]
    cdef unsigned char decoded[32]
    if len(key) != 32:
        raise ValueError("32 bytes")
    if libzmq.zmq_z85_encode(encoded, <const unsigned char *><char *>key, 32) == NULL:
        _check(-1)
    text = encoded[:40]
    if libzmq.zmq_z85_decode(decoded, encoded) == NULL:
        _check(-1)
    return text, (<char *>decoded)[:32]


def atomic_counter():
    cdef void *counter = libzmq.zmq_atomic_counter_new()
    libzmq.zmq_atomic_counter_set(counter, 41)
    libzmq.zmq_atomic_counter_inc(counter)
    cdef int value = libzmq.zmq_atomic_counter_value(counter)
    libzmq.zmq_atomic_counter_destroy(&counter)
    return value


cdef void _on_timer(int timer_id, void *arg) noexcept nogil:
    (<int *>arg)[0] += 1


def run_timer():
    """zmq_timers_* with a noexcept callback, as zmq_timer_fn requires."""
    cdef int fired = 0
    cdef void *timers = libzmq.zmq_timers_new()
    cdef void *watch = libzmq.zmq_stopwatch_start()
    libzmq.zmq_timers_add(timers, 1, _on_timer, &fired)
    while fired == 0:
        libzmq.zmq_sleep(0)
        libzmq.zmq_timers_execute(timers)
    libzmq.zmq_stopwatch_stop(watch)
    libzmq.zmq_timers_destroy(&timers)
    return fired
