"""Misuses that pyzmq's annotations reject under ``mypy --strict``.

Annotations loose enough to accept these (``Any`` everywhere, a module-level
``__getattr__``) would let the sample program pass while catching nothing, so
tests/test_typing.py also requires mypy to report an error on exactly the
lines marked ``# E:`` and nowhere else. Only misuses that real pyzmq 27
rejects belong here: the goal is to match it, not to be stricter.
"""

from __future__ import annotations

import zmq
import zmq.asyncio


async def misuse(ctx: zmq.SyncContext, actx: zmq.asyncio.Context) -> None:
    sock = ctx.socket(zmq.DEALER)
    asock = actx.socket(zmq.DEALER)
    poller = zmq.Poller()
    frame = zmq.Frame(b"payload")

    ctx.socket("DEALER")  # E: socket types are ints, not names
    zmq.Context(io_threads="2")  # E: io_threads is an int
    sock.send(123)  # E: a message must be bytes-like or a Frame
    sock.send_multipart(b"abc")  # E: send_multipart takes a sequence of parts
    sock.send_string(b"raw")  # E: send_string encodes a str
    sock.connect(5555)  # E: endpoints are strings
    sock.setsockopt("LINGER", 0)  # E: options are ints
    sock.subscribe(1)  # E: topics are str or bytes
    sock.close(linger="0")  # E: linger is an int
    sock.poll(timeout="1")  # E: timeout is a number of milliseconds
    sock.hwm = "1000"  # E: hwm is an int property
    poller.register(sock, "in")  # E: poll flags are ints
    text: str = sock.recv()  # E: recv gives bytes, not str
    copied: bytes = sock.recv(copy=False)  # E: copy=False gives a Frame
    parts: list[bytes] = sock.recv_multipart(copy=False)  # E: copy=False gives Frames
    sock.recv_string().decode()  # E: recv_string already decodes
    count: int = sock.recv_json()  # E: a JSON value is not known to be an int
    await sock.recv()  # E: a sync socket's recv is not awaitable
    pending: bytes = asock.recv()  # E: an asyncio socket's recv must be awaited
    awaited: bytes = await asock.recv(copy=False)  # E: copy=False gives a Frame
    frame.bytes = b"other"  # E: Frame.bytes is read-only
    zmq.ZMQError("failed")  # E: the first argument is an errno
    zmq.SocketType.NOT_A_TYPE  # E: enums have a fixed set of members
    zmq.NOT_A_CONSTANT  # E: the module has no catch-all attribute
    print(text, copied, parts, count, pending, awaited)
