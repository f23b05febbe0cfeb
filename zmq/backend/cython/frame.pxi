# Frame: one message part, owning a zmq_msg_t. Received frames expose libzmq's
# buffer without copying; frames built from Python buffers either copy them or,
# above the copy threshold, hand libzmq a pointer into the Python object, which
# is kept alive until libzmq calls back to release it.

from cpython.buffer cimport PyObject_GetBuffer, PyBuffer_Release, PyBuffer_FillInfo
from cpython.buffer cimport PyBUF_ANY_CONTIGUOUS, PyBUF_SIMPLE
from cpython.bytes cimport PyBytes_FromStringAndSize
from cpython.ref cimport Py_INCREF, Py_DECREF
from libc.string cimport memcpy

from zmq.backend.cython.libzmq cimport (
    zmq_msg_t, zmq_msg_init, zmq_msg_init_size, zmq_msg_init_data, zmq_msg_close,
    zmq_msg_copy, zmq_msg_data, zmq_msg_size, zmq_msg_more, zmq_msg_get, zmq_msg_set,
    zmq_msg_gets, ZMQ_MORE,
)

# Draft API calls; zmq_compat.h stubs them out in builds without it.
cdef extern from "zmq_compat.h" nogil:
    int zmq_msg_set_routing_id(zmq_msg_t *msg, unsigned int routing_id)
    unsigned int zmq_msg_routing_id(zmq_msg_t *msg)
    int zmq_msg_set_group(zmq_msg_t *msg, const char *group)
    const char *zmq_msg_group(zmq_msg_t *msg)

import threading as _threading

COPY_THRESHOLD = 65536


cdef void _drop_release_hint(void *hint) noexcept:
    cdef object keep = <object>hint
    Py_DECREF(keep)  # the reference handed to libzmq with the buffer
    event = (<tuple>keep)[1]
    if event is not None:
        event.set()


cdef void _release_buffer(void *data, void *hint) noexcept nogil:
    # Called by libzmq, possibly on one of its I/O threads, once no message
    # refers to the buffer any more.
    if not _python_alive:
        return
    with gil:
        _drop_release_hint(hint)


cdef int _buffer_of(object data, char **ptr, Py_ssize_t *size) except -1:
    """Pointer and size of a contiguous buffer; the caller keeps `data` alive."""
    cdef Py_buffer view
    if isinstance(data, str):
        raise TypeError("Str objects not allowed. Only: bytes, buffer interfaces.")
    PyObject_GetBuffer(data, &view, PyBUF_ANY_CONTIGUOUS)
    ptr[0] = <char *>view.buf
    size[0] = view.len
    # Released at once: for the types accepted here the pointer stays valid while
    # the object (or, for zero-copy, the memoryview kept with it) is alive.
    PyBuffer_Release(&view)
    return 0


cdef int _init_msg_copy(zmq_msg_t *msg, object data) except -1:
    cdef char *ptr
    cdef Py_ssize_t size
    _buffer_of(data, &ptr, &size)
    _check_rc(zmq_msg_init_size(msg, <size_t>size))
    if size:
        memcpy(zmq_msg_data(msg), ptr, <size_t>size)
    return 0


cdef int _init_msg_zero_copy(zmq_msg_t *msg, object data, object event) except -1:
    cdef char *ptr
    cdef Py_ssize_t size
    if isinstance(data, str):
        raise TypeError("Str objects not allowed. Only: bytes, buffer interfaces.")
    # The memoryview holds the buffer export, so a bytearray cannot be resized
    # under libzmq's feet while the message is in flight.
    view = memoryview(data)
    _buffer_of(view, &ptr, &size)
    hint = (view, event)
    Py_INCREF(hint)
    if zmq_msg_init_data(msg, ptr, <size_t>size, _release_buffer, <void *>hint) != 0:
        Py_DECREF(hint)
        _check_rc(-1)
    return 0


cdef Py_ssize_t _default_copy_threshold():
    # zmq.COPY_THRESHOLD may be changed by the user at run time.
    import zmq
    return getattr(zmq, "COPY_THRESHOLD", COPY_THRESHOLD)


cdef str _human_size(size_t size):
    if size > 1000000000:
        return f"{size // 1000000000}GB"
    if size > 1000000:
        return f"{size // 1000000}MB"
    if size >= 1000:
        return f"{size // 1000}kB"
    return f"{size}B"


cdef class Frame:
    """A message part.

    Frame(data=None, track=False, copy=None, copy_threshold=None)

    data: bytes or any object with a contiguous buffer. copy: True copies the
    data, False shares it with libzmq (the object is kept alive until libzmq is
    done), None (default) copies only below copy_threshold (zmq.COPY_THRESHOLD
    when None). track: attach a MessageTracker telling when a shared buffer was
    released.
    """

    def __cinit__(self, object data=None, track=False, copy=None, copy_threshold=None, **kwargs):
        cdef Py_ssize_t threshold
        self._msg_open = False
        self._readonly = False
        self.more = False
        self.tracker = None
        self.tracker_event = None
        self._data = None
        self._bytes = None
        if data is None:
            zmq_msg_init(&self.zmq_msg)
            self._msg_open = True
            return
        if isinstance(data, str):
            raise TypeError("Str objects not allowed. Only: bytes, buffer interfaces.")
        if copy_threshold is not None:
            # A size: checked whether or not it is needed below, so a bad one
            # never slips through on the paths that happen not to use it.
            threshold = copy_threshold
            if threshold < 0:
                raise OverflowError("can't convert negative value to size_t")
        if copy is None:
            threshold = _default_copy_threshold() if copy_threshold is None else copy_threshold
            copy = len(memoryview(data)) < threshold
        if copy:
            _init_msg_copy(&self.zmq_msg, data)
            self._msg_open = True
            if isinstance(data, bytes):
                self._bytes = data
            if track:
                self.tracker = _done_tracker()
        else:
            event = _threading.Event() if track else None
            _init_msg_zero_copy(&self.zmq_msg, data, event)
            self._msg_open = True
            # Shared memory of an immutable object (bytes) must stay immutable.
            self._readonly = memoryview(data).readonly
            self._data = data
            if track:
                self.tracker_event = event
                self.tracker = _new_tracker(event)

    def __dealloc__(self):
        if self._msg_open:
            zmq_msg_close(&self.zmq_msg)

    def __getbuffer__(self, Py_buffer *buffer, int flags):
        PyBuffer_FillInfo(buffer, self, zmq_msg_data(&self.zmq_msg),
                          <Py_ssize_t>zmq_msg_size(&self.zmq_msg), self._readonly, flags)

    def __len__(self):
        return zmq_msg_size(&self.zmq_msg)

    cdef object _as_bytes(self):
        # Frames are shared between threads as freely as bytes: the cache is
        # filled under the Frame's critical section, so that no thread reads
        # the field while another replaces it.
        with cython.critical_section(self):
            if self._bytes is None:
                self._bytes = PyBytes_FromStringAndSize(
                    <char *>zmq_msg_data(&self.zmq_msg), <Py_ssize_t>zmq_msg_size(&self.zmq_msg))
            return self._bytes

    @property
    def bytes(self):
        """The message content as bytes (copied once, then cached)."""
        return self._as_bytes()

    @property
    def buffer(self):
        """A memoryview of the message content, sharing its memory."""
        return memoryview(self)

    # A Frame equals bytes with the same content (and other Frames with it),
    # and hashes like them, so frames and bytes mix in sets and dict keys.
    def __eq__(self, other):
        if isinstance(other, Frame):
            return self._as_bytes() == (<Frame>other)._as_bytes()
        if isinstance(other, bytes):
            return self._as_bytes() == other
        return NotImplemented

    def __ne__(self, other):
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __hash__(self):
        return hash(self._as_bytes())

    def __repr__(self):
        cdef size_t size = zmq_msg_size(&self.zmq_msg)
        cls = type(self)
        name = "zmq.Frame" if cls is Frame or cls is _frame_type() else f"{cls.__module__}.{cls.__qualname__}"
        if size <= 16:
            return f"<{name}({self._as_bytes()!r})>"
        head = PyBytes_FromStringAndSize(<char *>zmq_msg_data(&self.zmq_msg), 12)
        return f"<{name}({head!r}...{_human_size(size)})>"

    __str__ = __repr__

    def __copy__(self):
        return self.fast_copy()

    def fast_copy(self):
        """A new Frame sharing this one's content (no byte copy)."""
        cdef Frame new = Frame.__new__(type(self))
        # Copying changes this message too (its reference count).
        with cython.critical_section(self):
            _check_rc(zmq_msg_copy(&new.zmq_msg, &self.zmq_msg))
            new._readonly = self._readonly
            new._bytes = self._bytes
            new.tracker = self.tracker
            new.tracker_event = self.tracker_event
            new.more = self.more
        return new

    def get(self, option):
        """A message property: an int option (zmq.MORE, zmq.SHARED, ...) or a
        metadata name as str (e.g. 'Socket-Type', 'Peer-Address')."""
        cdef int rc
        cdef const char *value
        if isinstance(option, (str, bytes)):
            key = option.encode("utf-8") if isinstance(option, str) else option
            value = zmq_msg_gets(&self.zmq_msg, key)
            if value == NULL:
                _check_rc(-1)
            return value.decode("utf-8", "replace")
        if option == ZMQ_MORE:
            return zmq_msg_more(&self.zmq_msg)
        rc = zmq_msg_get(&self.zmq_msg, option)
        _check_rc(rc)
        return rc

    def set(self, int option, int value):
        """Set an int message property."""
        with cython.critical_section(self):
            _check_rc(zmq_msg_set(&self.zmq_msg, option, value))

    def __getitem__(self, key):
        return self.get(key)

    @property
    def routing_id(self):
        """The routing id of a message from a SERVER socket (draft API);
        RuntimeError without the draft API."""
        _require_draft()
        return zmq_msg_routing_id(&self.zmq_msg)

    @routing_id.setter
    def routing_id(self, unsigned int value):
        _require_draft()
        with cython.critical_section(self):
            _check_rc(zmq_msg_set_routing_id(&self.zmq_msg, value))

    @property
    def group(self):
        """The group of a RADIO/DISH message (draft API) as str;
        RuntimeError without the draft API."""
        _require_draft()
        cdef const char *value
        # A long group lives in memory that setting another one frees.
        with cython.critical_section(self):
            value = zmq_msg_group(&self.zmq_msg)
            if value == NULL:
                return None
            return value.decode("utf-8", "replace")

    @group.setter
    def group(self, value):
        _require_draft()
        if isinstance(value, str):
            value = value.encode("utf-8")
        with cython.critical_section(self):
            _check_rc(zmq_msg_set_group(&self.zmq_msg, value))


Message = Frame
