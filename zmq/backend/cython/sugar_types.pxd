# The Python classes of zmq.sugar that the backend hands out: received frames
# are zmq.sugar.frame.Frame, trackers zmq.sugar.tracker.MessageTracker, as in
# pyzmq. Looked up on first use, since zmq.sugar imports the backend.

cdef object _frame_class
cdef object _tracker_class
cdef object _finished_tracker

cdef int _load_sugar_types() except -1


cdef inline object _frame_type():
    if _frame_class is None:
        _load_sugar_types()
    return _frame_class


cdef inline object _new_tracker(object event):
    if _tracker_class is None:
        _load_sugar_types()
    return _tracker_class(event)


cdef inline object _done_tracker():
    """The tracker of a message whose bytes were copied: done from the start."""
    if _finished_tracker is None:
        _load_sugar_types()
    return _finished_tracker
