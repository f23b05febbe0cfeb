# Socket: one libzmq socket. The send/recv paths first try the call without
# blocking while holding the GIL (the common case: the peer keeps up), and only
# release the GIL for a call that would actually wait.

from cpython.buffer cimport PyObject_CheckBuffer, PyBUF_WRITABLE
from cpython.buffer cimport PyObject_GetBuffer, PyBuffer_Release, PyBUF_ANY_CONTIGUOUS
from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_GET_SIZE, PyBytes_FromStringAndSize
from libc.stdint cimport uintptr_t
from zmq.backend.cython.libzmq cimport (
    zmq_socket, zmq_close, zmq_bind, zmq_connect, zmq_unbind, zmq_disconnect,
    zmq_send, zmq_recv, zmq_msg_send, zmq_msg_recv, zmq_socket_monitor, zmq_setsockopt,
    zmq_msg_init, zmq_msg_close, zmq_msg_copy, zmq_msg_data, zmq_msg_size, zmq_msg_more,
    zmq_strerror as _c_zmq_strerror,
    ZMQ_DONTWAIT, ZMQ_SNDMORE, ZMQ_LINGER, ZMQ_EVENT_ALL, ZMQ_TYPE, EAGAIN, ETERM, ENOTSOCK,
)

# Draft API calls; zmq_compat.h stubs them out in builds without it.
cdef extern from "zmq_compat.h" nogil:
    int zmq_join(void *s, const char *group)
    int zmq_leave(void *s, const char *group)


# Counts operations that may have let libzmq process a socket's pending
# commands (which consumes the edge of its FD). Poller trusts its last reading
# of its sockets' EVENTS only while this has not moved; see poll.pxi, and
# zmq_compat.h for how it stays right without a GIL.
cdef extern from "zmq_compat.h" nogil:
    ctypedef unsigned long pyzmq_epoch_t
    pyzmq_epoch_t pyzmq_epoch_read(pyzmq_epoch_t *epoch)
    void pyzmq_epoch_touch(pyzmq_epoch_t *epoch)
    pyzmq_epoch_t pyzmq_epoch_observe(pyzmq_epoch_t *epoch)

cdef pyzmq_epoch_t _op_epoch = 0


cdef inline void _touch() noexcept nogil:
    pyzmq_epoch_touch(&_op_epoch)


import weakref as _weakref

# Every Socket object on one libzmq socket (its owner and its shadows), by the
# socket's address. Closing it through any of them marks all of them closed,
# so none is left holding the address of a socket libzmq has freed.
cdef dict _sockets_by_address = {}

# The libzmq sockets this module opened and nobody has closed yet: by socket
# address, the address of their context; by context address, how many.
cdef dict _context_of_open_socket = {}
cdef dict _open_sockets_per_context = {}

# The three are read and changed together, under the critical section of
# _sockets_by_address (docs/free-threading.md).


cdef Py_ssize_t _open_sockets_of(void *context) except -1:
    with cython.critical_section(_sockets_by_address):
        return _open_sockets_per_context.get(<uintptr_t>context, 0)


cdef void _share_handle(Socket sock, uintptr_t context) except *:
    # context: the address of the libzmq context of a socket this module
    # opened, or 0 for a shadow.
    key = <uintptr_t>sock.handle
    fresh = _weakref.WeakSet()
    with cython.critical_section(_sockets_by_address):
        if context:
            _context_of_open_socket[key] = context
            _open_sockets_per_context[context] = _open_sockets_per_context.get(context, 0) + 1
        peers = _sockets_by_address.setdefault(key, fresh)
    # Outside the section, which runs no Python code: only a close of this
    # libzmq socket could come in between, and nobody else knows a new one
    # yet (shadowing a socket that another thread is closing is a race in
    # the program itself).
    peers.add(sock)


cdef object _claim_handle(void *handle):
    """Take a libzmq socket out of the registries, for the caller to close: its
    Socket objects (a WeakSet), or None when another caller already claimed it
    (is closing it), so that it is closed only once. Done before zmq_close:
    once closed, its address may at once come back from zmq_socket, and the
    new socket must not find the old one's entries."""
    cdef object peers
    key = <uintptr_t>handle
    with cython.critical_section(_sockets_by_address):
        peers = _sockets_by_address.pop(key, None)
        if peers is not None:
            context = _context_of_open_socket.pop(key, None)
            if context is not None:
                left = _open_sockets_per_context.pop(context) - 1
                if left:
                    _open_sockets_per_context[context] = left
    return peers


cdef void _mark_closed(object peers, void *handle) except *:
    # The libzmq socket is about to be closed: its other Socket objects become
    # closed ones, each under its own critical section so that none of them
    # is half-way through a libzmq call on it.
    cdef Socket other
    for other in list(peers):
        with cython.critical_section(other):
            if other.handle == handle:
                other._closed = True
                other.handle = NULL


cdef int _send_msg(void *handle, zmq_msg_t *msg, int flags) except -1:
    """zmq_msg_send, blocking (GIL released) only if it has to wait."""
    cdef int rc = zmq_msg_send(msg, handle, flags | ZMQ_DONTWAIT)
    cdef int err
    if rc >= 0:
        return 0
    err = _c_zmq_errno()
    if err != EAGAIN or flags & ZMQ_DONTWAIT:
        _raise_errno(err)
    while True:
        with nogil:
            rc = zmq_msg_send(msg, handle, flags)
        _touch()
        if rc >= 0:
            return 0
        _retry_or_raise(_c_zmq_errno())


cdef int _recv_msg(void *handle, zmq_msg_t *msg, int flags) except -1:
    """zmq_msg_recv, blocking (GIL released) only if it has to wait."""
    cdef int rc = zmq_msg_recv(msg, handle, flags | ZMQ_DONTWAIT)
    cdef int err
    if rc >= 0:
        return 0
    err = _c_zmq_errno()
    if err != EAGAIN or flags & ZMQ_DONTWAIT:
        _raise_errno(err)
    while True:
        with nogil:
            rc = zmq_msg_recv(msg, handle, flags)
        _touch()
        if rc >= 0:
            return 0
        _retry_or_raise(_c_zmq_errno())


cdef int _send_bytes(void *handle, const char *data, size_t size, int flags) except -1:
    """zmq_send of a buffer the caller keeps alive and unchanged."""
    cdef int rc = zmq_send(handle, data, size, flags | ZMQ_DONTWAIT)
    cdef int err
    if rc >= 0:
        return 0
    err = _c_zmq_errno()
    if err != EAGAIN or flags & ZMQ_DONTWAIT:
        _raise_errno(err)
    while True:
        with nogil:
            rc = zmq_send(handle, data, size, flags)
        _touch()
        if rc >= 0:
            return 0
        _retry_or_raise(_c_zmq_errno())


cdef tuple _routing_kwargs(dict kwargs):
    """routing_id and group from the keyword arguments passed on to send."""
    routing_id = kwargs.pop("routing_id", None)
    group = kwargs.pop("group", None)
    if kwargs:
        raise TypeError(f"send() got an unexpected keyword argument {next(iter(kwargs))!r}")
    return routing_id, group


cdef object _endpoint_bytes(object addr):
    if isinstance(addr, str):
        return addr.encode("utf-8")
    if isinstance(addr, bytes):
        return addr
    raise TypeError(f"endpoint must be str, not {type(addr).__name__}")


cdef int _check_endpoint_rc(int rc, object addr) except -1:
    # bind/connect failures name the endpoint: it is usually what is wrong.
    cdef int err
    if rc == -1:
        err = _c_zmq_errno()
        _raise_errno(err, f"{_c_zmq_strerror(err).decode('utf-8', 'replace')} (addr={addr!r})")
    return 0


cdef class Socket:
    """A ZeroMQ socket: Socket(context, socket_type), normally made with
    context.socket(socket_type).

    Socket(shadow=address) wraps an existing libzmq socket (an int address)
    without owning it; Socket(other_socket) does the same for another Socket.
    """

    def __cinit__(self, *args, **kwargs):
        self.handle = NULL
        self._closed = False
        self._shadow = False
        self._pid = _getpid()
        self._type = -1
        self.copy_threshold = _default_copy_threshold()

    def __init__(self, ctx_or_socket=None, socket_type=0, *, shadow=0, copy_threshold=None):
        # Done here, not in __cinit__, so a subclass's __init__ may take
        # arguments of its own and pass on only these.
        cdef Context ctx
        if self.handle != NULL:
            return
        context = ctx_or_socket
        if copy_threshold is not None:
            self.copy_threshold = copy_threshold
        self._type = socket_type
        if isinstance(context, Socket):
            self.context = (<Socket>context).context
            shadow = (<Socket>context).underlying
        elif isinstance(shadow, Socket):
            self.context = (<Socket>shadow).context
            shadow = (<Socket>shadow).underlying
        if shadow:
            self.handle = <void *><uintptr_t>shadow
            self._shadow = True
            self._type = _getsockopt(self.handle, ZMQ_TYPE)
            _share_handle(self, 0)
            return
        if not isinstance(context, Context):
            raise TypeError(f"context must be a zmq.Context, not {type(context).__name__}")
        self.context = context
        if not isinstance(socket_type, int):
            raise TypeError(f"socket_type must be an int, not {type(socket_type).__name__}")
        if socket_type < 0:
            # pyzmq's "no type given": a caller error, not libzmq's EINVAL.
            raise TypeError("socket_type must be specified")
        ctx = <Context>context
        # Under the context's critical section, term() cannot free the libzmq
        # context in between: it marks the context terminating first.
        with cython.critical_section(ctx):
            if ctx._closed or ctx._terminating or ctx.handle == NULL:
                raise ContextTerminated(ETERM)
            self.handle = zmq_socket(ctx.handle, socket_type)
            if self.handle == NULL:
                _check_rc(-1)
            context_address = <uintptr_t>ctx.handle
        _share_handle(self, context_address)
        ctx._sockets.add(self)

    def __dealloc__(self):
        # zmq_close never blocks (lingering happens in the context), so this is
        # safe in the garbage collector; a forked child must not touch the
        # parent's socket.
        cdef void *handle = self.handle
        if handle != NULL and not self._closed and not self._shadow and self._pid == _getpid():
            if _python_alive:
                peers = _claim_handle(handle)
                if peers is None:
                    # A shadow of it is closing it.
                    return
                _mark_closed(peers, handle)
            zmq_close(handle)

    cdef int _check_open(self) except -1:
        # Every operation starts here, so it is also where Poller learns that
        # socket state may have changed behind its back.
        _touch()
        if self._closed:
            raise ZMQError(ENOTSOCK)
        return 0

    @property
    def underlying(self):
        """The address of the libzmq socket, as an int."""
        return <uintptr_t>self.handle

    @property
    def closed(self):
        """True once close() was called."""
        return self._closed

    @property
    def _socket_type_number(self):
        # Known from creation, so it stays readable after close().
        return self._type

    @property
    def _is_shadow(self):
        return self._shadow

    @property
    def _owned_by_this_process(self):
        # False in a forked child, which must not close its parent's socket.
        return self._pid == _getpid()

    def close(self, linger=None):
        """Close the socket. linger (ms), if given, replaces the LINGER option:
        how long unsent messages are kept for delivery once the context is
        terminated. Closing twice does nothing. Closing a shadow closes the
        libzmq socket it wraps (as in pyzmq); every other Socket object on that
        socket becomes closed too."""
        cdef int linger_ms = 0
        cdef void *handle
        _touch()
        if self._closed:
            return
        if linger is not None:
            linger_ms = linger
        # Marked closed first, under the critical section every operation
        # holds: from then on no operation of this object uses the handle.
        with cython.critical_section(self):
            handle = self.handle
            if self._closed or handle == NULL:
                return
            self._closed = True
            self.handle = NULL
        peers = _claim_handle(handle)
        if peers is None:
            # Another Socket object on the same libzmq socket is closing it.
            return
        _mark_closed(peers, handle)
        if linger is not None:
            # Ignored on failure: during term() libzmq refuses options with
            # ETERM, and the socket must still close.
            zmq_setsockopt(handle, ZMQ_LINGER, &linger_ms, sizeof(int))
        _check_rc(zmq_close(handle))

    # Every libzmq call on the socket is made under its critical section, with
    # the handle read in it (the section is released only while a call
    # blocks): close() clears the handle under the same section before it
    # closes the libzmq socket, so an operation racing with it from another
    # thread either finishes first or finds NULL, which libzmq reports as
    # ENOTSOCK, as with the GIL (docs/free-threading.md).

    def set(self, int option, optval):
        """Set a socket option: int options take int, bytes options bytes."""
        with cython.critical_section(self):
            self._check_open()
            _setsockopt(self.handle, option, optval)

    def get(self, int option):
        """A socket option: int for int options, bytes for bytes options."""
        with cython.critical_section(self):
            self._check_open()
            return _getsockopt(self.handle, option)

    # A closed socket has a NULL handle, which libzmq itself reports as ENOTSOCK.

    def bind(self, addr):
        """Bind to an endpoint, e.g. 'tcp://127.0.0.1:5555' or 'inproc://name'."""
        endpoint = _endpoint_bytes(addr)
        _touch()
        with cython.critical_section(self):
            _check_endpoint_rc(zmq_bind(self.handle, endpoint), addr)

    def connect(self, addr):
        """Connect to an endpoint."""
        endpoint = _endpoint_bytes(addr)
        _touch()
        with cython.critical_section(self):
            _check_endpoint_rc(zmq_connect(self.handle, endpoint), addr)

    def unbind(self, addr):
        """Stop listening on an endpoint given to bind (its resolved form for
        wildcards: see the LAST_ENDPOINT option)."""
        endpoint = _endpoint_bytes(addr)
        _touch()
        with cython.critical_section(self):
            _check_rc(zmq_unbind(self.handle, endpoint))

    def disconnect(self, addr):
        """Disconnect from an endpoint given to connect."""
        endpoint = _endpoint_bytes(addr)
        _touch()
        with cython.critical_section(self):
            _check_rc(zmq_disconnect(self.handle, endpoint))

    def monitor(self, addr, int events=ZMQ_EVENT_ALL):
        """Publish socket events on a PAIR endpoint (inproc://...); addr None
        stops monitoring."""
        self._check_open()
        endpoint = None if addr is None else _endpoint_bytes(addr)
        with cython.critical_section(self):
            if endpoint is None:
                _check_rc(zmq_socket_monitor(self.handle, NULL, 0))
            else:
                _check_endpoint_rc(zmq_socket_monitor(self.handle, endpoint, events), addr)

    def join(self, group):
        """Join a RADIO/DISH group (DISH sockets, draft API)."""
        self._check_open()
        if isinstance(group, str):
            group = group.encode("utf-8")
        with cython.critical_section(self):
            _check_rc(zmq_join(self.handle, group))

    def leave(self, group):
        """Leave a RADIO/DISH group (DISH sockets, draft API)."""
        self._check_open()
        if isinstance(group, str):
            group = group.encode("utf-8")
        with cython.critical_section(self):
            _check_rc(zmq_leave(self.handle, group))

    # ------------------------------------------------------------------ send

    cdef int _send_buffer(self, object data, int flags) except -1:
        cdef Py_buffer view
        if isinstance(data, bytes):
            with cython.critical_section(self):
                return _send_bytes(self.handle, PyBytes_AS_STRING(data), <size_t>PyBytes_GET_SIZE(data), flags)
        if isinstance(data, str):
            raise TypeError("unicode not allowed, use send_string")
        # Held for the whole call: a blocking send runs without the GIL, and a
        # bytearray must not be resized meanwhile.
        PyObject_GetBuffer(data, &view, PyBUF_ANY_CONTIGUOUS)
        try:
            with cython.critical_section(self):
                return _send_bytes(self.handle, <const char *>view.buf, <size_t>view.len, flags)
        finally:
            PyBuffer_Release(&view)

    cdef object _send_frame(self, Frame frame, int flags):
        # Send a copy (sharing the content) so the Frame itself stays usable.
        # Copying changes the Frame's message too (its reference count), so it
        # is done under the Frame's critical section: one Frame may be sent by
        # several threads at once.
        cdef zmq_msg_t msg
        cdef int rc, err = 0
        _check_rc(zmq_msg_init(&msg))
        with cython.critical_section(frame):
            rc = zmq_msg_copy(&msg, &frame.zmq_msg)
            if rc != 0:
                err = _c_zmq_errno()
            tracker = frame.tracker
        if rc != 0:
            zmq_msg_close(&msg)
            _raise_errno(err)
        try:
            with cython.critical_section(self):
                _send_msg(self.handle, &msg, flags)
        except BaseException:
            zmq_msg_close(&msg)
            raise
        return tracker

    cpdef object send(self, object data, int flags=0, bint copy=True, bint track=False,
                      object routing_id=None, object group=None):
        """Send one message part.

        data: bytes, a Frame, or any object with a contiguous buffer (str is
        refused: use send_string). flags: zmq.DONTWAIT, zmq.SNDMORE.
        copy=False shares buffers of copy_threshold bytes or more with libzmq
        instead of copying them; track=True then returns a MessageTracker.
        routing_id / group address SERVER and RADIO sockets (draft API).
        """
        cdef Frame frame
        self._check_open()
        if routing_id is not None or group is not None:
            frame = data if isinstance(data, Frame) else Frame(data, track=track, copy=copy,
                                                               copy_threshold=self.copy_threshold)
            if routing_id is not None:
                frame.routing_id = routing_id
            if group is not None:
                frame.group = group
            return self._send_frame(frame, flags)
        if isinstance(data, Frame):
            return self._send_frame(<Frame>data, flags)
        if copy:
            self._send_buffer(data, flags)
            return None
        if len(memoryview(data)) < self.copy_threshold:
            # Too small to be worth sharing: copied, so already released.
            self._send_buffer(data, flags)
            return _done_tracker()
        frame = Frame(data, track=track, copy=False)
        return self._send_frame(frame, flags)

    def send_multipart(self, msg_parts, int flags=0, copy=True, track=False, **kwargs):
        """Send a sequence of parts as one multipart message. Every part is
        checked before the first is sent, so a bad part sends nothing."""
        cdef Py_ssize_t i, n
        cdef int more_flags = flags | ZMQ_SNDMORE
        parts = msg_parts if isinstance(msg_parts, (list, tuple)) else list(msg_parts)
        n = len(parts)
        if n == 0:
            # A message has at least one part; sending none would be lost silently.
            raise IndexError("send_multipart needs at least one part")
        for i in range(n):
            part = parts[i]
            if not isinstance(part, Frame) and (isinstance(part, str) or not PyObject_CheckBuffer(part)):
                raise TypeError(f"Frame {i} ({part!r}) does not support the buffer interface.")
        if not track and copy and not kwargs:
            for i in range(n):
                part = parts[i]
                if isinstance(part, Frame):
                    self._send_frame(<Frame>part, more_flags if i < n - 1 else flags)
                else:
                    self._check_open()
                    self._send_buffer(part, more_flags if i < n - 1 else flags)
            return None
        routing_id, group = _routing_kwargs(kwargs)
        trackers = []
        for i in range(n):
            # The base send, not an override: async subclasses return futures.
            trackers.append(Socket.send(self, parts[i], more_flags if i < n - 1 else flags,
                                        copy, track, routing_id, group))
        if track and not copy:
            done = _done_tracker()
            pending = [t for t in trackers if t is not None and t is not done]
            if not pending:
                # Every part was copied: pyzmq's shared finished tracker.
                return done
            if len(pending) == 1:
                return pending[0]
            if _tracker_class is None:
                _load_sugar_types()
            return _tracker_class(*pending)
        # As in pyzmq: what sending the last part returned.
        return trackers[n - 1]

    def send_string(self, u, int flags=0, copy=True, encoding="utf-8", **kwargs):
        """Send a str, encoded (utf-8 by default)."""
        if not isinstance(u, str):
            raise TypeError("unicode/str objects only")
        track = kwargs.pop("track", False)
        routing_id, group = _routing_kwargs(kwargs)
        return Socket.send(self, u.encode(encoding), flags, copy, track, routing_id, group)

    # ------------------------------------------------------------------ recv

    cdef object _recv_bytes(self, int flags):
        cdef zmq_msg_t msg
        zmq_msg_init(&msg)
        try:
            with cython.critical_section(self):
                _recv_msg(self.handle, &msg, flags)
            return PyBytes_FromStringAndSize(<char *>zmq_msg_data(&msg), <Py_ssize_t>zmq_msg_size(&msg))
        finally:
            zmq_msg_close(&msg)

    cdef Frame _recv_frame(self, int flags, bint track):
        cdef Frame frame = Frame.__new__(_frame_type())
        with cython.critical_section(self):
            _recv_msg(self.handle, &frame.zmq_msg, flags)
        frame.more = zmq_msg_more(&frame.zmq_msg)
        return frame

    cpdef object recv(self, int flags=0, bint copy=True, bint track=False):
        """Receive one message part: bytes, or with copy=False a Frame sharing
        libzmq's buffer. flags: zmq.DONTWAIT (zmq.Again if nothing is waiting)."""
        self._check_open()
        if copy:
            return self._recv_bytes(flags)
        return self._recv_frame(flags, track)

    def recv_multipart(self, int flags=0, copy=True, track=False):
        """Receive all parts of a multipart message as a list (of bytes, or of
        Frames with copy=False)."""
        cdef zmq_msg_t msg
        cdef Frame frame
        cdef int more = 1
        self._check_open()
        parts = []
        if not copy:
            while more:
                frame = self._recv_frame(flags, track)
                parts.append(frame)
                more = frame.more
            return parts
        zmq_msg_init(&msg)
        try:
            while more:
                with cython.critical_section(self):
                    _recv_msg(self.handle, &msg, flags)
                parts.append(PyBytes_FromStringAndSize(<char *>zmq_msg_data(&msg),
                                                       <Py_ssize_t>zmq_msg_size(&msg)))
                more = zmq_msg_more(&msg)
        finally:
            zmq_msg_close(&msg)
        return parts

    def recv_string(self, int flags=0, encoding="utf-8"):
        """Receive a message and decode it (utf-8 by default)."""
        self._check_open()
        return self._recv_bytes(flags).decode(encoding)

    def recv_into(self, buffer, /, *, Py_ssize_t nbytes=0, int flags=0):
        """Receive a message into a writable buffer, without allocating.
        At most nbytes (default: the buffer's size) are written; the return
        value is the message's full size, larger when it was truncated."""
        cdef Py_buffer view
        cdef int rc, err
        cdef void *handle
        self._check_open()
        if nbytes < 0:
            raise ValueError(f"nbytes must be non-negative, not {nbytes}")
        PyObject_GetBuffer(buffer, &view, PyBUF_ANY_CONTIGUOUS | PyBUF_WRITABLE)
        try:
            if nbytes > view.len:
                raise ValueError(f"nbytes={nbytes} is larger than the buffer ({view.len} bytes)")
            if nbytes == 0:
                nbytes = view.len
            with cython.critical_section(self):
                # Read only now: getting the buffer may have run Python code,
                # and another thread may have closed the socket meanwhile.
                handle = self.handle
                rc = zmq_recv(handle, view.buf, <size_t>nbytes, flags | ZMQ_DONTWAIT)
                if rc < 0:
                    err = _c_zmq_errno()
                    if err != EAGAIN or flags & ZMQ_DONTWAIT:
                        _raise_errno(err)
                    while True:
                        with nogil:
                            rc = zmq_recv(handle, view.buf, <size_t>nbytes, flags)
                        _touch()
                        if rc >= 0 or _retry_or_raise(_c_zmq_errno()) != 0:
                            break
            return rc
        finally:
            PyBuffer_Release(&view)
