# Context: owns a libzmq context; knows its sockets so destroy() can close them.

cdef class Context:
    cdef void *handle
    cdef bint _shadow
    cdef int _pid
    cdef bint _closed
    # Set while term() runs (on every Context object of the libzmq context):
    # new sockets are refused from then on, as libzmq itself would.
    cdef bint _terminating
    cdef object _sockets
    cdef public dict sockopts
    cdef object __weakref__
    cdef dict __dict__
    cdef void _share_handle(self) except *
    cdef void _mark_terminated(self, void *handle) except *
