"""zmq.Frame: one message part (the compiled Frame plus attribute-style
message options, `frame.more`, `frame.shared`)."""

from __future__ import annotations

from zmq import backend, constants
from zmq.sugar.attrsettr import AttributeSetter, install_option_attributes

__all__ = ["Frame", "Message"]


class Frame(backend.Frame, AttributeSetter):
    """A message part.

    Frame(data=None, track=False, copy=None, copy_threshold=None): data is
    bytes or any object with a contiguous buffer. copy=True copies it,
    copy=False shares it with libzmq (kept alive until libzmq lets go of it),
    None copies only below copy_threshold (zmq.COPY_THRESHOLD by default).
    track=True attaches a MessageTracker that tells when a shared buffer was
    released. Received frames (recv(copy=False)) share libzmq's buffer.
    """


install_option_attributes(Frame, constants.MessageOption)

Message = Frame
