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
# Read and changed only under its own critical section (docs/free-threading.md).
cdef dict _contexts_by_address = {}


# The contexts a term() is terminating right now, by address (under the same
# critical section): a shadow made of one meanwhile joins them, instead of
# claiming the context a second time.
cdef dict _terminating_contexts = {}


cdef object _claim_context(void *handle, bint by_term):
    """Take a libzmq context out of the registry, for the caller to terminate:
    its Context objects (a WeakSet), or None when another caller already
    claimed it (is terminating it), so that it is terminated only once."""
    key = <uintptr_t>handle
    with cython.critical_section(_contexts_by_address):
        peers = _contexts_by_address.pop(key, None)
        if peers is not None and by_term:
            _terminating_contexts[key] = peers
        return peers


cdef int _end_claim(void *handle, object peers, bint terminated) except -1:
    # term() is over: the context is gone, or (interrupted by a signal) it
    # lives on and goes back to the registry.
    key = <uintptr_t>handle
    with cython.critical_section(_contexts_by_address):
        if _terminating_contexts.get(key) is peers:
            del _terminating_contexts[key]
        if not terminated:
            _contexts_by_address.setdefault(key, peers)
    return 0


cdef int _check_context_open(Context ctx) except -1:
    # A context being terminated may be freed by libzmq at any moment.
    if ctx._closed or ctx._terminating or ctx.handle == NULL:
        raise RuntimeError("Context has been destroyed")
    return 0


cdef enum _ContextState:
    _OPEN
    _TERMINATING
    _TERMINATED


cdef int _set_context_state(object peers, void *handle, _ContextState state) except -1:
    # Each object under its own critical section, so that none of them is
    # half-way through a libzmq call on the context when it changes.
    cdef Context other
    for other in list(peers):
        with cython.critical_section(other):
            if other.handle == handle:
                other._terminating = state == _TERMINATING
                if state == _TERMINATED:
                    other._closed = True
                    other.handle = NULL
    return 0


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
        self._terminating = False
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
        fresh = _weakref.WeakSet()
        with cython.critical_section(_contexts_by_address):
            peers = _terminating_contexts.get(key) if self._shadow else None
            if peers is not None:
                # A shadow of a context that term() is terminating.
                self._terminating = True
            else:
                peers = _contexts_by_address.setdefault(key, fresh)
        peers.add(self)

    def __dealloc__(self):
        # Normally done by _terminate_dropped already (zmq.Context.__del__);
        # here in a thread, as termination can wait (see there).
        cdef void *handle = self.handle
        if handle != NULL and not self._shadow and not self._closed \
                and self._pid == _getpid() and _python_alive:
            peers = _claim_context(handle, False)
            if peers is not None:
                _set_context_state(peers, handle, _TERMINATED)
                _terminate_in_thread(handle, _DROPPED_LINGER_MS)

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
        peers = _claim_context(handle, False)
        if peers is None:
            # Another thread is terminating it through one of its shadows.
            return None
        self._mark_terminated(handle)
        _set_context_state(peers, handle, _TERMINATED)
        if not PYZMQ_CAN_DISCARD or _open_sockets_of(handle):
            _terminate_in_thread(handle, grace_ms)
            return None
        with nogil:
            rc = pyzmq_ctx_term_discarding(handle, grace_ms, &discarded)
            while rc != 0 and _c_zmq_errno() == EINTR:
                rc = pyzmq_ctx_term_discarding(handle, grace_ms, &discarded)
        return discarded

    cdef void _mark_terminated(self, void *handle) except *:
        # This object; _set_context_state does the others on the same context.
        with cython.critical_section(self):
            if self.handle == handle:
                self._terminating = False
                self._closed = True
                self.handle = NULL

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
        blocking calls on its sockets in other threads raise ContextTerminated.
        While another thread terminates it, this returns at once."""
        cdef int rc
        cdef void *handle
        with cython.critical_section(self):
            handle = self.handle
            if self._closed or self._terminating or handle == NULL:
                return
        peers = _claim_context(handle, True)
        if peers is None:
            return
        _set_context_state(peers, handle, _TERMINATING)
        try:
            while True:
                with nogil:
                    rc = zmq_ctx_term(handle)
                if rc == 0 or _retry_or_raise(_c_zmq_errno()) != 0:
                    break
        except BaseException:
            _end_claim(handle, peers, False)
            _set_context_state(peers, handle, _OPEN)
            raise
        _end_claim(handle, peers, True)
        self._mark_terminated(handle)
        _set_context_state(peers, handle, _TERMINATED)

    def get(self, int option):
        """A context option (zmq.IO_THREADS, zmq.MAX_SOCKETS, ...)."""
        cdef int rc
        with cython.critical_section(self):
            _check_context_open(self)
            rc = zmq_ctx_get(self.handle, option)
            _check_rc(rc)
        return rc

    def set(self, int option, optval):
        """Set a context option (an int)."""
        cdef int value
        self._check_open()
        if not isinstance(optval, int):
            raise TypeError(f"expected int, got: {optval!r}")
        value = optval
        with cython.critical_section(self):
            _check_context_open(self)
            _check_rc(zmq_ctx_set(self.handle, option, value))

    def _check_open(self):
        _check_context_open(self)

    def _add_socket(self, socket):
        self._sockets.add(socket)

    def _live_sockets(self):
        return list(self._sockets)
