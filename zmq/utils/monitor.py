"""Reading the events a socket publishes on its monitor socket."""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING, Any, Awaitable

from zmq import constants

if TYPE_CHECKING:
    from typing import TypedDict, overload

    import zmq.asyncio
    from zmq.sugar.socket import Socket

    class _MonitorMessage(TypedDict):
        """A parsed monitor event."""

        event: int
        value: int
        endpoint: bytes

__all__ = ["parse_monitor_message", "recv_monitor_message"]


def parse_monitor_message(msg: list[bytes]) -> _MonitorMessage:
    """Decode a monitor message (two frames: 6 bytes of event id and value,
    then the endpoint) into {'event': zmq.Event, 'value': int, 'endpoint': bytes}."""
    if len(msg) != 2 or len(msg[0]) != 6:
        raise RuntimeError(f"Invalid event message format: {msg!r}")
    first = msg[0].bytes if hasattr(msg[0], "bytes") else bytes(msg[0])
    endpoint = msg[1].bytes if hasattr(msg[1], "bytes") else bytes(msg[1])
    event_id, value = struct.unpack("=Hi", first)
    try:
        event = constants.Event(event_id)
    except ValueError:
        event = event_id
    return {"event": event, "value": value, "endpoint": endpoint}


async def _parse_monitor_msg_async(awaitable_msg: Awaitable[list[bytes]]) -> _MonitorMessage:
    return parse_monitor_message(await awaitable_msg)


if TYPE_CHECKING:

    @overload
    def recv_monitor_message(socket: zmq.asyncio.Socket, flags: int = 0) -> Awaitable[_MonitorMessage]: ...
    @overload
    def recv_monitor_message(socket: Socket[bytes], flags: int = 0) -> _MonitorMessage: ...


def recv_monitor_message(
    socket: Socket[Any], flags: int = 0
) -> _MonitorMessage | Awaitable[_MonitorMessage]:
    """Receive one event from a monitor socket and parse it. On an async
    socket (zmq.asyncio) this returns an awaitable of the parsed event."""
    msg = socket.recv_multipart(flags)
    if isinstance(msg, list):
        return parse_monitor_message(msg)
    return _parse_monitor_msg_async(msg)
