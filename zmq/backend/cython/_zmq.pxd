# The backend's declarations, one .pxd per unit (each unit's implementation is
# the .pxi of the same name, included by _zmq.pyx). Other extensions cimport
# the extension types from here:
#     from zmq.backend.cython._zmq cimport Context, Socket, Frame
# A Socket's send and recv are cpdef, so a cimporting module calls them
# without going through Python attribute lookup.

include "errors.pxd"
include "lifecycle.pxd"
include "functions.pxd"
include "sugar_types.pxd"
include "frame.pxd"
include "context.pxd"
include "sockopt.pxd"
include "socket.pxd"
