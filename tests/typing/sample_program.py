"""A small messaging tool written the way an application author writes one.

Its main() is never run by the test suite: tests/test_typing.py feeds it to
``mypy --strict`` so that the package's annotations are judged by the code
users actually write against pyzmq, not by what the package's own tests need.
Every annotation below is one a strict user would need or want to write.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Sequence
from typing import Any, cast

import zmq
import zmq.asyncio
import zmq.utils.z85
from tornado.ioloop import IOLoop
from zmq.eventloop.zmqstream import ZMQStream
from zmq.utils.monitor import parse_monitor_message, recv_monitor_message

LOOPBACK = "tcp://127.0.0.1"


def describe_versions() -> str:
    major, minor, patch = zmq.zmq_version_info()
    curve = "curve" if zmq.has("curve") else "no curve"
    return f"libzmq {zmq.zmq_version()} ({major}.{minor}.{patch}, {curve}), pyzmq {zmq.pyzmq_version()}"


class AuditedSocket(zmq.Socket[bytes]):
    """Applications commonly subclass Socket to add their own helpers."""

    sent_count = 0

    def send_audited(self, data: bytes) -> None:
        self.sent_count += 1
        self.send(data)


def request_reply(ctx: zmq.Context[zmq.Socket[bytes]]) -> bytes:
    server: zmq.Socket[bytes] = ctx.socket(zmq.REP)
    client = ctx.socket(zmq.REQ)
    with server, client:
        port: int = server.bind_to_random_port(LOOPBACK)
        client.connect(f"{LOOPBACK}:{port}")
        client.send(b"ping")
        request: bytes = server.recv()
        server.send(request.upper(), flags=zmq.SNDMORE)
        server.send(memoryview(b"!"))
        head: zmq.Frame = client.recv(copy=False)
        tail = client.recv(flags=0, copy=True)
        payload: bytes = head.bytes
        view: memoryview = head.buffer
        if head.more and len(view) > 0:
            payload += tail
        return payload


def multipart_roundtrip(ctx: zmq.SyncContext) -> list[zmq.Frame]:
    router = ctx.socket(zmq.ROUTER)
    dealer = ctx.socket(zmq.SocketType.DEALER)
    router.setsockopt(zmq.LINGER, 0)
    dealer.linger = 0
    dealer.setsockopt(zmq.IDENTITY, b"worker-1")
    dealer.setsockopt_string(zmq.IDENTITY, "worker-1")
    router.router_mandatory = True
    with router.bind(f"{LOOPBACK}:5599"), dealer.connect(f"{LOOPBACK}:5599"):
        dealer.send_multipart([b"", b"job", memoryview(b"42")])
        identity, *body = router.recv_multipart()
        router.send_multipart([identity] + body)
        frames: list[zmq.Frame] = dealer.recv_multipart(copy=False)
    router.close(linger=0)
    dealer.close()
    return frames


def tracked_send(sock: zmq.Socket[bytes], data: bytes, zero_copy: bool) -> bool:
    received = sock.recv(0, copy=not zero_copy)
    if isinstance(received, zmq.Frame):
        data += received.bytes
    else:
        data += received
    tracker = sock.send(data, copy=False, track=True)
    tracker.wait(timeout=1.0)
    frame = zmq.Frame(data, track=True)
    sock.send(frame, copy=False)
    pending: zmq.MessageTracker | None = frame.tracker
    if pending is not None and not pending.done:
        pending.wait()
    return tracker.done


def json_and_strings(a: zmq.Socket[bytes], b: zmq.Socket[bytes]) -> str:
    a.send_json({"op": "add", "args": [1, 2]})
    request = b.recv_json()
    b.send_string(f"result: {request!r}")
    text: str = a.recv_string()
    a.send_pyobj({"any": ("python", "object")})
    obj: Any = b.recv_pyobj()
    b.send_serialized(obj, lambda o: [repr(o).encode()])
    return text + a.recv_string(encoding="latin-1") + str(a.recv_serialized(lambda fs: fs[0]))


def poll_many(sockets: Sequence[zmq.Socket[bytes]], timeout_ms: int) -> dict[zmq.Socket[bytes], int]:
    poller = zmq.Poller()
    for sock in sockets:
        poller.register(sock, zmq.POLLIN | zmq.POLLOUT)
    ready: dict[zmq.Socket[bytes], int] = dict(poller.poll(timeout_ms))
    if sockets:
        poller.modify(sockets[0], zmq.POLLIN)
        poller.unregister(sockets[0])
        if sockets[0].poll(timeout=0, flags=zmq.POLLIN) & zmq.POLLIN:
            ready[sockets[0]] = zmq.POLLIN
    readable, writable, _errors = zmq.select(list(sockets), [], [], timeout=0.1)
    for sock in readable:
        ready.setdefault(sock, zmq.POLLIN)
    return ready


def read_options(sock: zmq.Socket[bytes]) -> tuple[int, int]:
    sock.rcvtimeo = 250
    sock.set(zmq.SNDHWM, 100)
    sock.hwm = 500
    hwm: int = sock.hwm
    linger = cast(int, sock.getsockopt(zmq.LINGER))
    raw = sock.getsockopt(zmq.RCVTIMEO)
    timeout = raw if isinstance(raw, int) else -1
    events = sock.get(zmq.EVENTS)
    assert isinstance(events, int)
    if sock.type == zmq.SUB:
        sock.subscribe(b"news.")
        sock.unsubscribe("sport.")
    closed: bool = sock.closed
    return (timeout if not closed else linger), hwm + events


def receive_nonblocking(sock: zmq.Socket[bytes]) -> bytes | None:
    try:
        return sock.recv(zmq.NOBLOCK)
    except zmq.Again:
        return None
    except zmq.ContextTerminated:
        raise
    except zmq.ZMQError as exc:
        if exc.errno == zmq.EAGAIN:
            return None
        if exc.errno == zmq.Errno.ETERM:
            raise
        message: str = exc.strerror
        raise RuntimeError(message) from exc


def secure_pair(ctx: zmq.SyncContext) -> None:
    server_public, server_secret = zmq.curve_keypair()
    client_public, client_secret = zmq.curve_keypair()
    assert zmq.curve_public(server_secret) == server_public
    server = ctx.socket(zmq.PAIR)
    printable: bytes = zmq.utils.z85.encode(server_public[:32])
    assert zmq.utils.z85.decode(printable) == server_public[:32]
    server.curve_secretkey = server_secret
    server.curve_publickey = server_public
    server.curve_server = True
    client = ctx.socket(zmq.PAIR)
    client.setsockopt(zmq.CURVE_SERVERKEY, server_public)
    client.curve_publickey = client_public
    client.curve_secretkey = client_secret
    server.close()
    client.close()


def watch_events(sock: zmq.Socket[bytes]) -> list[str]:
    monitor: zmq.Socket[bytes] = sock.get_monitor_socket(zmq.EVENT_ACCEPTED | zmq.EVENT_DISCONNECTED)
    names: list[str] = []
    while monitor.poll(100):
        event = recv_monitor_message(monitor)
        names.append(zmq.Event(event["event"]).name or "unknown")
        parsed = parse_monitor_message([b"\x01\x00\x00\x00\x00\x00", b"tcp://x"])
        names.append(str(parsed["endpoint"]))
    sock.disable_monitor()
    monitor.close()
    return names


def run_proxy(ctx: zmq.SyncContext) -> threading.Thread:
    frontend = ctx.socket(zmq.XSUB)
    backend = ctx.socket(zmq.XPUB)

    def forward() -> None:
        try:
            zmq.proxy(frontend, backend)
        except zmq.ContextTerminated:
            frontend.close()
            backend.close()

    thread = threading.Thread(target=forward, daemon=True)
    thread.start()
    return thread


async def async_pipeline(ctx: zmq.asyncio.Context) -> list[bytes]:
    push: zmq.asyncio.Socket = ctx.socket(zmq.PUSH)
    pull = ctx.socket(zmq.PULL)
    port = pull.bind_to_random_port(LOOPBACK)
    push.connect(f"{LOOPBACK}:{port}")
    await push.send(b"hello")
    first: bytes = await pull.recv()
    await push.send_multipart([b"a", b"b"])
    rest: list[bytes] = await pull.recv_multipart()
    await push.send(b"frame")
    frame: zmq.Frame = await pull.recv(copy=False)
    await push.send_json({"n": 1})
    decoded = await pull.recv_json()
    await push.send_string("text")
    text: str = await asyncio.wait_for(pull.recv_string(), timeout=1.0)
    events = 1 if await pull.poll(timeout=100) else 0
    poller = zmq.asyncio.Poller()
    poller.register(pull, zmq.POLLIN)
    ready = dict(await poller.poll(timeout=100))
    pending: Awaitable[bytes] = pull.recv()
    await asyncio.sleep(0)
    late = await asyncio.wait_for(pending, timeout=0.5)
    push.close(linger=0)
    pull.close()
    extra = [frame.bytes, text.encode(), repr(decoded).encode(), bytes([events, len(ready)]), late]
    return [first, *rest, *extra]


async def async_from_sync(sync_sock: zmq.Socket[bytes]) -> bytes:
    wrapped = zmq.asyncio.Socket.from_socket(sync_sock)
    shadow_ctx = zmq.asyncio.Context.instance()
    assert not shadow_ctx.closed
    return await wrapped.recv()


def stream_echo(ctx: zmq.SyncContext, loop: IOLoop) -> ZMQStream:
    stream = ZMQStream(ctx.socket(zmq.ROUTER), io_loop=loop)
    stream.socket.bind(f"{LOOPBACK}:5600")

    def echo(msg: list[bytes]) -> None:
        stream.send_multipart(msg)

    def inspect_frames(frames: list[zmq.Frame]) -> None:
        print(sum(len(f.bytes) for f in frames))

    def sent(msg: Sequence[Any], tracker: zmq.MessageTracker | None) -> None:
        print("sent", len(msg), tracker)

    stream.on_recv(echo)
    stream.on_recv(inspect_frames, copy=False)
    stream.on_recv_stream(lambda s, msg: s.send_multipart(msg))
    stream.on_send(sent)
    stream.send(b"hello", track=True)
    stream.flush()
    if stream.receiving() and not stream.closed():
        stream.stop_on_recv()
    return stream


def main() -> None:
    print(describe_versions())
    with zmq.Context(io_threads=2) as ctx:
        ctx.linger = 0
        ctx.set(zmq.MAX_SOCKETS, 256)
        threads: int = ctx.get(zmq.IO_THREADS)
        audited = AuditedSocket(ctx, zmq.PUSH)
        audited.send_audited(str(threads).encode())
        audited.close()
        print(tracked_send(ctx.socket(zmq.PAIR), b"x", zero_copy=True))
        print(request_reply(ctx))
        print(len(multipart_roundtrip(ctx)))
        pub = ctx.socket(zmq.SocketType.PUB)
        sub = ctx.socket(zmq.SUB)
        sub.setsockopt(zmq.SUBSCRIBE, b"")
        print(read_options(sub), poll_many([pub, sub], 10), receive_nonblocking(sub))
        print(watch_events(pub))
        pub.close()
        sub.close()
        secure_pair(ctx)
        run_proxy(ctx)
    shared: zmq.Context[zmq.Socket[bytes]] = zmq.Context.instance()
    borrowed: zmq.SyncContext = zmq.Context.shadow(shared.underlying)
    assert borrowed.underlying == shared.underlying
    actx = zmq.asyncio.Context(shared)
    print(asyncio.run(async_pipeline(actx)))
    loop = IOLoop.current()
    stream_echo(shared, loop)
    loop.call_later(0.1, loop.stop)
    actx.term()
    shared.destroy(linger=0)


if __name__ == "__main__":
    main()
