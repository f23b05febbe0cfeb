# MessageTracker: tells when libzmq has let go of zero-copy message buffers.

import threading as _threading
from time import monotonic as _monotonic


cdef class MessageTracker:
    """Tracks zero-copy sends until libzmq no longer needs their buffers.

    Built from any mix of threading.Event objects (set when a buffer is
    released), Frames sent with track=True, and other MessageTrackers.
    """

    cdef readonly set events
    cdef readonly set peers
    cdef object __weakref__

    def __init__(self, *towatch):
        self.events = set()
        self.peers = set()
        for obj in towatch:
            if isinstance(obj, MessageTracker):
                self.peers.add(obj)
                self.events.update((<MessageTracker>obj).events)
            elif isinstance(obj, Frame):
                tracker = (<Frame>obj).tracker
                if tracker is None:
                    raise ValueError("Frame was not created with track=True: nothing to track")
                self.peers.add(tracker)
                self.events.update((<MessageTracker>tracker).events)
            elif isinstance(obj, _threading.Event):
                self.events.add(obj)
            else:
                raise TypeError(f"Require Events or Message Frames, not {type(obj).__name__}")

    @property
    def done(self):
        """True once every tracked buffer has been released by libzmq."""
        for event in self.events:
            if not event.is_set():
                return False
        return True

    def wait(self, timeout=-1):
        """Block until done. A timeout (seconds) that is not negative bounds
        the wait; zmq.NotDone is raised when it runs out first."""
        if timeout is None or timeout < 0:
            for event in self.events:
                event.wait()
            return
        deadline = _monotonic() + timeout
        for event in self.events:
            remaining = deadline - _monotonic()
            if not event.wait(max(remaining, 0)):
                raise _error_module.NotDone()

    def __repr__(self):
        state = "done" if self.done else "pending"
        return f"<{type(self).__name__} {state} ({len(self.events)} buffers)>"


cdef MessageTracker _new_done_tracker():
    event = _threading.Event()
    event.set()
    return MessageTracker(event)


# Shared by every copied message: its state never changes.
cdef MessageTracker _DONE_TRACKER = _new_done_tracker()


cdef inline MessageTracker _done_tracker():
    """A tracker for a message whose bytes were copied: done from the start."""
    return _DONE_TRACKER
