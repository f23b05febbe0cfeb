# Frame: one message part, owning a zmq_msg_t.

from zmq.backend.cython.libzmq cimport zmq_msg_t


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


cdef Py_ssize_t _default_copy_threshold()
