from zmq.backend.cython._zmq cimport Context, Frame, Socket
