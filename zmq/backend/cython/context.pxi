# Context: owns a libzmq context; knows its sockets so destroy() can close them.

from libc.stdint cimport uintptr_t, uint64_t
from libc.stdlib cimport malloc, free
from zmq.backend.cython.libzmq cimport (
    zmq_ctx_new, zmq_ctx_term, zmq_ctx_get, zmq_ctx_set, ZMQ_IO_THREADS, EINTR, EINVAL,
)

cdef extern from "zmq_compat.h" nogil:
    ctypedef void pyzmq_detached_fn(void *) noexcept nogil
    int pyzmq_start_detached(pyzmq_detached_fn *fn, void *arg)
    enum: PYZMQ_CAN_DISCARD
    int pyzmq_ctx_term_discarding(void *context, int grace_ms, uint64_t *discarded)

import weakref as _weakref

# Every Context object on one libzmq context (its owner and its shadows), by
# the context's address: terminating it through any of them closes them all.
cdef dict _contexts_by_address = {}


# How long a context nobody terminated lets its lingering messages be
# delivered before they are discarded (Context.dropped_linger), in ms.
cdef int _DROPPED_LINGER_MS = 1000


ctypedef struct _Termination:
    void *handle
    int grace_ms


cdef void _term_detached(void *arg) noexcept nogil:
    cdef _Termination *term = <_Termination *>arg
    cdef uint64_t discarded
    while pyzmq_ctx_term_discarding(term.handle, term.grace_ms, &discarded) != 0 \
            and _c_zmq_errno() == EINTR:
        pass
    free(term)


cdef int _terminate_in_thread(void *handle, int grace_ms) except -1:
    cdef _Termination *term = <_Termination *>malloc(sizeof(_Termination))
    if term == NULL:
        raise MemoryError()
    term.handle = handle
    term.grace_ms = grace_ms
    if pyzmq_start_detached(_term_detached, term) != 0:
        free(term)
        raise MemoryError("cannot start a thread to terminate a dropped context")
    return 0


cdef class Context:
    """A ZeroMQ context: the container of a set of sockets and I/O threads.

    Context(io_threads=1, shadow=0). With `shadow` (an int address of an
    existing libzmq context), this object wraps that context without owning
    it: closing or collecting it never terminates the shadowed context.
    """

    # Milliseconds a Context dropped without term() gives the messages its
    # sockets still linger on before they are discarded; see README, Reliability.
    dropped_linger = _DROPPED_LINGER_MS

    def __cinit__(self, *args, **kwargs):
        self.handle = NULL
        self._closed = False
        self._shadow = False
        self._pid = _getpid()
        self._sockets = _weakref.WeakSet()
        self.sockopts = {}

    def __init__(self, io_threads=1, shadow=0):
        # Done here, not in __cinit__, so a subclass's __init__ may take
        # arguments of its own and pass on only these.
        if self.handle != NULL:
            return
        if isinstance(io_threads, Context):
            # Context(other_context): a second object for the same libzmq context.
            shadow = (<Context>io_threads).underlying
        elif not isinstance(io_threads, int):
            # Checked before `shadow` is used: Context('x', 1) must not wrap
            # address 1.
            raise TypeError(f"io_threads must be an int, not {type(io_threads).__name__}")
        elif isinstance(shadow, Context):
            shadow = (<Context>shadow).underlying
        elif shadow is None:
            shadow = 0
        if not isinstance(shadow, int):
            raise TypeError(f"shadow must be an int address or a Context, not {type(shadow).__name__}")
        if shadow:
            self.handle = <void *><uintptr_t>shadow
            self._shadow = True
            self._share_handle()
            return
        if not isinstance(io_threads, int):
            raise TypeError(f"io_threads must be an int, not {type(io_threads).__name__}")
        if io_threads < 0:
            raise ZMQError(EINVAL, "io_threads must not be negative")
        self.handle = zmq_ctx_new()
        if self.handle == NULL:
            _check_rc(-1)
        if io_threads != 1:
            _check_rc(zmq_ctx_set(self.handle, ZMQ_IO_THREADS, io_threads))
        self._share_handle()

    cdef void _share_handle(self) except *:
        key = <uintptr_t>self.handle
        peers = _contexts_by_address.get(key)
        if peers is None:
            peers = _contexts_by_address[key] = _weakref.WeakSet()
        peers.add(self)

    def __dealloc__(self):
        # Normally done by _terminate_dropped already (zmq.Context.__del__);
        # here in a thread, as termination can wait (see there).
        if self.handle != NULL and not self._shadow and not self._closed \
                and self._pid == _getpid() and _python_alive:
            _terminate_in_thread(self.handle, _DROPPED_LINGER_MS)
            _contexts_by_address.pop(<uintptr_t>self.handle, None)

    def _terminate_dropped(self, int grace_ms):
        """Terminate a context its owner dropped without terminating it: what
        its closed sockets still linger on gets up to grace_ms milliseconds to
        be delivered, then is discarded. Returns the number of messages
        discarded, or None where that is not known.

        Waiting out an unbounded linger (the default) would hang the garbage
        collector, and a termination left waiting would leak the context's
        threads and descriptors. The bundled libzmq caps the linger and counts
        what it drops; that is done here and now unless a socket of the
        context is still open (its termination then has to wait for the close
        -- e.g. a socket collected later in the same cycle), in which case a
        thread finishes it. Another libzmq can only wait: always a thread."""
        cdef void *handle = self.handle
        cdef uint64_t discarded = 0
        cdef int rc
        if self._closed or handle == NULL or self._shadow or self._pid != _getpid():
            return 0
        if grace_ms < 0:
            raise ValueError("grace_ms must not be negative")
        self._mark_terminated(handle)
        if not PYZMQ_CAN_DISCARD or _open_sockets_of(handle):
            _terminate_in_thread(handle, grace_ms)
            return None
        with nogil:
            rc = pyzmq_ctx_term_discarding(handle, grace_ms, &discarded)
            while rc != 0 and _c_zmq_errno() == EINTR:
                rc = pyzmq_ctx_term_discarding(handle, grace_ms, &discarded)
        return discarded

    cdef void _mark_terminated(self, void *handle) except *:
        # This object and every other on the same libzmq context.
        self._closed = True
        self.handle = NULL
        peers = _contexts_by_address.pop(<uintptr_t>handle, ())
        for other in list(peers):
            if (<Context>other).handle == handle:
                (<Context>other)._closed = True
                (<Context>other).handle = NULL

    @property
    def underlying(self):
        """The address of the libzmq context, as an int (see Context.shadow)."""
        return <uintptr_t>self.handle

    @property
    def closed(self):
        """True once the context was terminated."""
        return self._closed

    @property
    def _is_shadow(self):
        return self._shadow

    def term(self):
        """Terminate the context. Blocks until every socket of it is closed and
        its pending messages are sent or dropped by their linger setting;
        blocking calls on its sockets in other threads raise ContextTerminated."""
        cdef int rc
        cdef void *handle = self.handle
        if self._closed or handle == NULL:
            return
        while True:
            with nogil:
                rc = zmq_ctx_term(handle)
            if rc == 0 or _retry_or_raise(_c_zmq_errno()) != 0:
                break
        self._mark_terminated(handle)

    def get(self, int option):
        """A context option (zmq.IO_THREADS, zmq.MAX_SOCKETS, ...)."""
        cdef int rc
        self._check_open()
        rc = zmq_ctx_get(self.handle, option)
        _check_rc(rc)
        return rc

    def set(self, int option, optval):
        """Set a context option (an int)."""
        self._check_open()
        if not isinstance(optval, int):
            raise TypeError(f"expected int, got: {optval!r}")
        _check_rc(zmq_ctx_set(self.handle, option, optval))

    def _check_open(self):
        if self._closed or self.handle == NULL:
            raise RuntimeError("Context has been destroyed")

    def _add_socket(self, socket):
        self._sockets.add(socket)

    def _live_sockets(self):
        return list(self._sockets)
