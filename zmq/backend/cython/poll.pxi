# Polling sockets and plain file descriptors: the Poller type and zmq_poll.
#
# Readiness of a zmq socket is its EVENTS option, which is what libzmq's own
# zmq_poll consults too; reading it processes the socket's pending commands,
# one system call per socket. A socket's FD becomes readable whenever a new
# command arrives after that (it is edge-triggered). So once a Poller has read
# EVENTS of all its sockets and found nothing it asked for, the answer can only
# change if an FD becomes readable or someone operates on a socket (counted by
# _op_epoch, socket.pxi). Until then, one poll() over the FDs answers a poll.
#
# Without a GIL (docs/free-threading.md): a Poller's own state is changed and
# used under its critical section; the EVENTS of each socket are read under
# that socket's, after checking it is still open, so a socket closed by
# another thread raises ENOTSOCK as with the GIL. The item arrays handed to
# zmq_poll itself hold raw handles: closing a socket while another thread
# waits on it in a poll is unsafe, as in libzmq.

from libc.stdlib cimport malloc, free, realloc
from zmq.backend.cython.libzmq cimport (
    zmq_poll as _c_zmq_poll, zmq_pollitem_t, zmq_getsockopt, ZMQ_EVENTS, ZMQ_FD, ZMQ_POLLIN, ZMQ_POLLOUT, ENOTSOCK,
)

from time import monotonic as _poll_clock


cdef int _fd_of(object obj) except? -1:
    # -1 is a legitimate answer (poll() ignores negative fds), hence `except?`.
    if isinstance(obj, int):
        return obj
    fileno = getattr(obj, "fileno", None)
    if fileno is None:
        raise TypeError(f"{obj!r} is neither a zmq.Socket, an int fd, nor has a fileno() method")
    # As in pyzmq: an object whose fileno() fails or gives no int is a bad value.
    try:
        fd = fileno()
    except Exception as e:
        raise ValueError(f"fileno() of {obj!r} failed: {e!r}") from e
    if not isinstance(fd, int):
        raise ValueError(f"fileno() of {obj!r} returned {fd!r}, not an int")
    return fd


cdef int _fill_item(zmq_pollitem_t *item, object obj, short events, int *socket_fd=NULL) except -1:
    # socket_fd, if given, receives a socket's FD (-1 if it has none), read in
    # the same critical section as its handle.
    cdef size_t size = sizeof(int)
    item.events = events
    item.revents = 0
    if isinstance(obj, Socket):
        with cython.critical_section(obj):
            if (<Socket>obj)._closed:
                raise ZMQError(ENOTSOCK)
            item.socket = (<Socket>obj).handle
            if socket_fd != NULL and zmq_getsockopt(item.socket, ZMQ_FD, socket_fd, &size) != 0:
                socket_fd[0] = -1
        item.fd = 0
    else:
        item.socket = NULL
        item.fd = _fd_of(obj)
    return 0


cdef int _ready_by_events(zmq_pollitem_t *items, Py_ssize_t n, list objects) except -1:
    """revents of socket-only items (objects: their Sockets) from EVENTS;
    returns how many are ready."""
    cdef Py_ssize_t i
    cdef int rc, err = 0, events = 0, ready = 0
    cdef size_t size
    cdef Socket sock
    for i in range(n):
        sock = <Socket>objects[i]
        size = sizeof(int)
        with cython.critical_section(sock):
            if sock._closed:
                raise ZMQError(ENOTSOCK)
            rc = zmq_getsockopt(sock.handle, ZMQ_EVENTS, &events, &size)
            if rc != 0:
                err = _c_zmq_errno()
        if rc != 0:
            _raise_errno(err)
        items[i].revents = <short>(events & items[i].events)
        if items[i].revents:
            ready += 1
    return ready


cdef int _poll_items(zmq_pollitem_t *items, Py_ssize_t n, long timeout_ms, list objects) except -1:
    """Fill in revents, waiting up to timeout_ms (negative: forever). objects:
    the items' Sockets when all of them are sockets, else None."""
    cdef int rc
    if n == 0:
        # Nothing can ever become ready: libzmq would sleep out the timeout
        # (forever, for a negative one).
        return 0
    if objects is not None:
        if _ready_by_events(items, n, objects) or timeout_ms == 0:
            return 0
    if timeout_ms == 0:
        if _c_zmq_poll(items, <int>n, 0) < 0:
            _raise_errno(_c_zmq_errno())
        return 0
    deadline = None if timeout_ms < 0 else _poll_clock() + timeout_ms / 1000.0
    while True:
        with nogil:
            rc = _c_zmq_poll(items, <int>n, timeout_ms)
        if rc >= 0:
            return 0
        _retry_or_raise(_c_zmq_errno())
        # Interrupted by a signal whose handler did not raise: go on waiting
        # for what is left of the timeout.
        if deadline is not None:
            timeout_ms = max(0, <long>((deadline - _poll_clock()) * 1000))


cdef long _timeout_ms(object timeout):
    if timeout is None or timeout < 0:
        return -1
    return <long>timeout


cdef list _poll_results(zmq_pollitem_t *items, Py_ssize_t n, list objects):
    # Sockets come back as themselves, anything else as its int fd.
    cdef Py_ssize_t i
    result = []
    for i in range(n):
        if items[i].revents:
            result.append((objects[i] if items[i].socket != NULL else items[i].fd, items[i].revents))
    return result


def zmq_poll(sockets, timeout=-1):
    """Poll [(socket_or_fd, events), ...] for up to timeout milliseconds
    (negative or None: no limit). Returns [(socket_or_fd, revents), ...] for
    the items with events: a socket as given, anything else as its int fd."""
    cdef Py_ssize_t i, n
    cdef bint sockets_only = True
    cdef zmq_pollitem_t *items
    if timeout is None:
        # pyzmq's zmq_poll takes an int only (Poller.poll and select take None).
        raise TypeError("an integer is required")
    pairs = sockets if isinstance(sockets, list) else list(sockets)
    n = len(pairs)
    items = <zmq_pollitem_t *>malloc(max(n, 1) * sizeof(zmq_pollitem_t))
    if items == NULL:
        raise MemoryError()
    try:
        objects = []
        for i in range(n):
            obj, events = pairs[i]
            _fill_item(&items[i], obj, events)
            sockets_only = sockets_only and items[i].socket != NULL
            objects.append(obj)
        _poll_items(items, n, _timeout_ms(timeout), objects if sockets_only else None)
        _touch()
        return _poll_results(items, n, objects)
    finally:
        free(items)


cdef class Poller:
    """Waits for events on zmq sockets and on anything with a file descriptor
    (an int, or an object with fileno()).

    `sockets` lists the registered (socket, flags) pairs in order.
    """

    cdef public list sockets
    cdef dict _index
    cdef zmq_pollitem_t *_items
    cdef Py_ssize_t _capacity
    cdef zmq_pollitem_t *_fd_items
    cdef bint _stale
    cdef bint _sockets_only
    cdef bint _idle
    cdef pyzmq_epoch_t _epoch
    cdef list _objects
    cdef dict __dict__
    cdef object __weakref__

    def __cinit__(self, *args, **kwargs):
        self.sockets = []
        self._index = {}
        self._items = NULL
        self._fd_items = NULL
        self._capacity = 0
        self._stale = True
        self._idle = False
        self._objects = []

    def __dealloc__(self):
        free(self._items)
        free(self._fd_items)

    def __contains__(self, socket):
        return socket in self._index

    def register(self, socket, flags=ZMQ_POLLIN | ZMQ_POLLOUT):
        """Poll socket for flags (POLLIN, POLLOUT, POLLERR). Registering again
        replaces the flags; flags=0 unregisters."""
        if not flags:
            if socket in self._index:
                self.unregister(socket)
            return
        with cython.critical_section(self):
            index = self._index.get(socket)
            if index is None:
                self._index[socket] = len(self.sockets)
                self.sockets.append((socket, flags))
            else:
                self.sockets[index] = (socket, flags)
            self._stale = True

    def modify(self, socket, flags=ZMQ_POLLIN | ZMQ_POLLOUT):
        """Change the flags of a registered socket."""
        self.register(socket, flags)

    def unregister(self, socket):
        """Stop polling socket (KeyError if it was not registered)."""
        with cython.critical_section(self):
            index = self._index.pop(socket)
            del self.sockets[index]
            for other, i in self._index.items():
                if i > index:
                    self._index[other] = i - 1
            self._stale = True

    cdef int _build(self) except -1:
        # The item array is rebuilt only after (un)registration; sockets are
        # re-checked for having been closed on every poll.
        cdef Py_ssize_t i, n = len(self.sockets)
        cdef zmq_pollitem_t *grown
        cdef int fd
        if n > self._capacity:
            grown = <zmq_pollitem_t *>realloc(self._items, n * sizeof(zmq_pollitem_t))
            if grown == NULL:
                raise MemoryError()
            self._items = grown
            grown = <zmq_pollitem_t *>realloc(self._fd_items, n * sizeof(zmq_pollitem_t))
            if grown == NULL:
                raise MemoryError()
            self._fd_items = grown
            self._capacity = n
        self._objects = []
        self._sockets_only = True
        for i in range(n):
            obj, flags = self.sockets[i]
            fd = -1
            _fill_item(&self._items[i], obj, flags, &fd)
            self._objects.append(obj)
            if self._items[i].socket == NULL:
                self._sockets_only = False
                continue
            if fd < 0:
                # e.g. thread-safe (draft) sockets have no FD: no shortcut.
                self._sockets_only = False
                continue
            self._fd_items[i].socket = NULL
            self._fd_items[i].fd = fd
            self._fd_items[i].events = ZMQ_POLLIN
            self._fd_items[i].revents = 0
        self._stale = False
        self._idle = False
        return 0

    def poll(self, timeout=None):
        """Wait up to timeout milliseconds (None or negative: forever) and
        return [(socket, events), ...] for the sockets with events (objects
        registered by fileno() come back as their int fd)."""
        cdef long ms = _timeout_ms(timeout)
        with cython.critical_section(self):
            return self._poll(ms)

    cdef list _poll(self, long ms):
        cdef Py_ssize_t i, n
        cdef object obj
        cdef int rc
        if self._stale:
            self._build()
        n = len(self._objects)
        for i in range(n):
            obj = self._objects[i]
            if isinstance(obj, Socket) and (<Socket>obj)._closed:
                raise ZMQError(ENOTSOCK)
            self._items[i].revents = 0
        if not self._sockets_only or n == 0:
            _poll_items(self._items, n, ms, None)
            _touch()
            return _poll_results(self._items, n, self._objects)

        if self._idle and self._epoch == pyzmq_epoch_read(&_op_epoch):
            # Nothing was ready at the last reading and nobody has touched the
            # sockets since: unless an FD signals, nothing changed.
            rc = _c_zmq_poll(self._fd_items, <int>n, 0)
            if rc < 0:
                _raise_errno(_c_zmq_errno())
            if rc == 0:
                if ms == 0:
                    return []
                return self._wait(n, ms)
        ready = _ready_by_events(self._items, n, self._objects)
        # This reading may have consumed edges other Pollers of the same
        # sockets wait for; the snapshot comes after it.
        _touch()
        self._epoch = pyzmq_epoch_observe(&_op_epoch)
        self._idle = ready == 0
        if ready or ms == 0:
            return _poll_results(self._items, n, self._objects)
        return self._wait(n, ms)

    cdef list _wait(self, Py_ssize_t n, long ms):
        _poll_items(self._items, n, ms, None)
        _touch()
        return _poll_results(self._items, n, self._objects)
