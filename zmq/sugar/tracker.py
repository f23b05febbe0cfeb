"""MessageTracker: tells when libzmq has let go of zero-copy message buffers."""

from __future__ import annotations

from threading import Event
from time import monotonic
from typing import TYPE_CHECKING, Union

from zmq.error import NotDone

if TYPE_CHECKING:
    from zmq.sugar.frame import Frame

__all__ = ["MessageTracker", "_FINISHED_TRACKER"]


class MessageTracker:
    """Tracks zero-copy sends until libzmq no longer needs their buffers.

    Built from any mix of threading.Event objects (set when a buffer is
    released), Frames sent with track=True, and other MessageTrackers (kept
    as `peers`; `events` holds the events given directly).
    """

    events: set[Event]
    peers: set[MessageTracker]

    def __init__(self, *towatch: Union[MessageTracker, Event, Frame]) -> None:
        self.events = set()
        self.peers = set()
        for obj in towatch:
            if isinstance(obj, Event):
                self.events.add(obj)
            elif isinstance(obj, MessageTracker):
                self.peers.add(obj)
            elif hasattr(obj, "tracker") and hasattr(obj, "tracker_event"):
                if obj.tracker is None:
                    raise ValueError("Not a tracked message")
                self.peers.add(obj.tracker)
            else:
                raise TypeError(f"Require Events or Message Frames, not {type(obj)}")

    @property
    def done(self) -> bool:
        """True once every tracked buffer has been released by libzmq."""
        return all(event.is_set() for event in self.events) and all(peer.done for peer in self.peers)

    def wait(self, timeout: float | int = -1) -> None:
        """Block until done. A timeout (seconds) that is not negative bounds
        the wait; zmq.NotDone is raised when it runs out first."""
        deadline = None if timeout is None or timeout < 0 else monotonic() + timeout
        for event in self.events:
            if deadline is None:
                event.wait()
            elif not event.wait(max(deadline - monotonic(), 0)):
                raise NotDone()
        for peer in self.peers:
            peer.wait(-1 if deadline is None else max(deadline - monotonic(), 0))
        if deadline is not None and not self.done:
            raise NotDone()

    def __repr__(self) -> str:
        state = "done" if self.done else "pending"
        return f"<{type(self).__name__} {state} at {hex(id(self))}>"


# The tracker of every message whose bytes were copied: nothing to wait for.
_FINISHED_TRACKER = MessageTracker()
