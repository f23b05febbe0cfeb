# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: embedsignature=True, freethreading_compatible=True
# (Imported by a free-threaded CPython, this module leaves the GIL off: what its
# threads share is protected as docs/free-threading.md describes.)
"""The compiled core of the zmq package: one extension module, so that every
part shares the single libzmq linked into it. Each unit declares what it
shares with the others in its .pxd (all listed in _zmq.pxd) and is
implemented in the .pxi of the same name, included here."""

cimport cython

cdef extern from "zmq_compat.h":
    pass

include "constants.pxi"
include "errors.pxi"
include "lifecycle.pxi"
include "functions.pxi"
include "sugar_types.pxi"
include "curve.pxi"
include "frame.pxi"
include "context.pxi"
include "sockopt.pxi"
include "socket.pxi"
include "poll.pxi"
include "proxy.pxi"
include "devices.pxi"
