# For Cython extensions: `from zmq cimport Context, Socket, Frame, libzmq`.
# Compile with include_dirs=zmq.get_includes().
from zmq.backend._zmq cimport Context, Socket, Frame
from zmq.backend cimport libzmq
