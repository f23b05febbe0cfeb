# Socket: one libzmq socket.

from zmq.backend.cython.libzmq cimport zmq_msg_t

# How many libzmq sockets this module opened on a context and nobody has
# closed yet (Context uses it to know whether terminating it could wait).
cdef Py_ssize_t _open_sockets_of(void *context) except -1

cdef int _send_msg(void *handle, zmq_msg_t *msg, int flags) except -1
cdef int _recv_msg(void *handle, zmq_msg_t *msg, int flags) except -1


cdef class Socket:
    cdef void *handle
    cdef bint _shadow
    cdef bint _closed
    cdef int _pid
    cdef public Context context
    cdef public Py_ssize_t copy_threshold
    cdef int _type
    cdef object __weakref__
    cdef dict __dict__

    cdef int _check_open(self) except -1
    cdef object _recv_bytes(self, int flags)
    cdef Frame _recv_frame(self, int flags, bint track)
    cdef int _send_buffer(self, object data, int flags) except -1
    cdef object _send_frame(self, Frame frame, int flags)
    cpdef object send(self, object data, int flags=*, bint copy=*, bint track=*, object routing_id=*, object group=*)
    cpdef object recv(self, int flags=*, bint copy=*, bint track=*)
cdef int _send_bytes(void *handle, const char *data, size_t size, int flags) except -1
