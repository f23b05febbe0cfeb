# For Cython extensions: `from zmq cimport Context, Socket, Frame, libzmq`
# (pyzmq's own path, `from zmq.backend.cython cimport libzmq`, works too).
# Compile with include_dirs=zmq.get_includes().
from zmq.backend.cython cimport Context, Frame, Socket, libzmq
