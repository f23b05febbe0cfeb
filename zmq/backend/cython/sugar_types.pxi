# The Python classes of zmq.sugar that the backend hands out (see sugar_types.pxd).

_frame_class = None
_tracker_class = None
_finished_tracker = None


cdef int _load_sugar_types() except -1:
    global _frame_class, _tracker_class, _finished_tracker
    from zmq.sugar.frame import Frame as frame_class
    from zmq.sugar.tracker import MessageTracker, _FINISHED_TRACKER
    _tracker_class = MessageTracker
    _finished_tracker = _FINISHED_TRACKER
    _frame_class = frame_class
    return 0
