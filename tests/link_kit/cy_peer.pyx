# A Cython extension built by the tests with only include_dirs=zmq.get_includes():
# it cimports the package's extension types and libzmq's C declarations.
from zmq cimport Context, Socket, Frame, libzmq


def send_via_method(Socket sock, bytes data):
    """Socket.send called through the C method table, not Python lookup."""
    sock.send(data)


def recv_via_method(Socket sock):
    return sock.recv()


def send_via_libzmq(Socket sock, bytes data):
    """Straight into libzmq on the socket's handle: resolved, at import, to the
    libzmq inside zmq's own backend."""
    cdef int rc = libzmq.zmq_send(sock.handle, <char *>data, len(data), 0)
    if rc < 0:
        raise OSError(libzmq.zmq_errno(), libzmq.zmq_strerror(libzmq.zmq_errno()).decode())
    return rc


def frame_size(Frame frame):
    return libzmq.zmq_msg_size(&frame.zmq_msg)


def context_io_threads(Context ctx):
    return libzmq.zmq_ctx_get(ctx.handle, libzmq.ZMQ_IO_THREADS)


def libzmq_version():
    cdef int major = 0, minor = 0, patch = 0
    libzmq.zmq_version(&major, &minor, &patch)
    return (major, minor, patch)
