# The backend's extension types, for other extensions to cimport:
#     from zmq cimport Context, Socket, Frame
# A Socket's send and recv are cpdef, so a cimporting module calls them without
# going through Python attribute lookup.

from zmq.backend.libzmq cimport zmq_msg_t


cdef class Frame:
    cdef zmq_msg_t zmq_msg
    cdef bint _msg_open
    cdef bint _readonly
    cdef object _data
    cdef object _bytes
    cdef public object tracker
    cdef public object tracker_event
    cdef public bint more
    cdef object __weakref__

    cdef object _as_bytes(self)


cdef class Context:
    cdef void *handle
    cdef bint _shadow
    cdef int _pid
    cdef bint _closed
    cdef object _sockets
    cdef public dict sockopts
    cdef object __weakref__
    cdef dict __dict__


cdef class Socket:
    cdef void *handle
    cdef bint _shadow
    cdef bint _closed
    cdef int _pid
    cdef public object context
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
