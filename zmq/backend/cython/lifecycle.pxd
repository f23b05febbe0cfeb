# Whether the interpreter is still fully alive: once it has begun to exit, code
# running on libzmq's threads or in deallocators must not call into it.

cdef bint _python_alive
