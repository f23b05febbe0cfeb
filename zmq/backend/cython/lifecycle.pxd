# Whether the interpreter is still fully alive: once it has begun to exit, code
# running on libzmq's threads or in deallocators must not call into it.

cdef bint _python_alive

# The process id without calling into the interpreter (deallocators run while
# it shuts down, when modules such as os may be gone). Defined by the
# backend's zmq_compat.h, which the backend includes first.
cdef extern from *:
    int _getpid "pyzmq_getpid"() nogil
