# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: embedsignature=True, freethreading_compatible=False
"""The compiled core of the zmq package: one extension module, so that every
part shares the single libzmq linked into it. Each concept lives in its own
.pxi file, included here in dependency order."""

cdef extern from "zmq_compat.h":
    pass

include "constants.pxi"
include "errors.pxi"
include "functions.pxi"
include "curve.pxi"
include "tracker.pxi"
include "frame.pxi"
include "context.pxi"
include "sockopt.pxi"
include "socket.pxi"
include "poll.pxi"
include "proxy.pxi"
