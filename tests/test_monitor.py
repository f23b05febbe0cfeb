"""Socket monitoring: monitor(), get_monitor_socket(), and the monitor helpers."""

import struct

import pytest

import zmq
from zmq.utils.monitor import parse_monitor_message, recv_monitor_message


def collect_events(mon, wanted, timeout_ms=5000):
    """Read events until every event in `wanted` was seen (order-insensitive)."""
    seen = []
    remaining = set(wanted)
    while remaining:
        if not mon.poll(timeout_ms):
            break
        ev = recv_monitor_message(mon)
        seen.append(ev)
        remaining.discard(ev["event"])
    return seen


def events_of(seen):
    return {ev["event"] for ev in seen}


def test_get_monitor_socket_returns_pair(socket):
    s = socket(zmq.PAIR)
    mon = s.get_monitor_socket()
    assert isinstance(mon, zmq.Socket)
    assert mon.type == zmq.PAIR
    assert not mon.closed


def test_get_monitor_socket_is_cached_while_active(socket):
    s = socket(zmq.PAIR)
    first = s.get_monitor_socket()
    assert s.get_monitor_socket() is first


def test_listening_event_on_bind(socket):
    s = socket(zmq.PAIR)
    mon = s.get_monitor_socket()
    port = s.bind_to_random_port("tcp://127.0.0.1")
    seen = collect_events(mon, {zmq.EVENT_LISTENING})
    listening = [ev for ev in seen if ev["event"] == zmq.EVENT_LISTENING]
    assert listening, seen
    ev = listening[0]
    assert set(ev) == {"event", "value", "endpoint"}
    assert isinstance(ev["event"], zmq.Event)
    assert ev["event"] == zmq.Event.LISTENING
    assert isinstance(ev["value"], int)
    assert isinstance(ev["endpoint"], bytes)
    assert ev["endpoint"] == f"tcp://127.0.0.1:{port}".encode()


def test_connect_accept_handshake_events(socket):
    server = socket(zmq.PAIR)
    client = socket(zmq.PAIR)
    server_mon = server.get_monitor_socket()
    client_mon = client.get_monitor_socket()
    port = server.bind_to_random_port("tcp://127.0.0.1")
    endpoint = f"tcp://127.0.0.1:{port}".encode()
    client.connect(endpoint.decode())

    server_seen = collect_events(
        server_mon,
        {zmq.EVENT_LISTENING, zmq.EVENT_ACCEPTED, zmq.EVENT_HANDSHAKE_SUCCEEDED},
    )
    client_seen = collect_events(
        client_mon, {zmq.EVENT_CONNECTED, zmq.EVENT_HANDSHAKE_SUCCEEDED}
    )
    assert {
        zmq.EVENT_LISTENING,
        zmq.EVENT_ACCEPTED,
        zmq.EVENT_HANDSHAKE_SUCCEEDED,
    } <= events_of(server_seen)
    assert {zmq.EVENT_CONNECTED, zmq.EVENT_HANDSHAKE_SUCCEEDED} <= events_of(
        client_seen
    )
    for ev in server_seen + client_seen:
        assert ev["endpoint"] == endpoint


def test_disconnect_event_when_peer_closes(socket):
    server = socket(zmq.PAIR)
    client = socket(zmq.PAIR)
    mon = server.get_monitor_socket()
    port = server.bind_to_random_port("tcp://127.0.0.1")
    client.connect(f"tcp://127.0.0.1:{port}")
    assert zmq.EVENT_HANDSHAKE_SUCCEEDED in events_of(
        collect_events(mon, {zmq.EVENT_HANDSHAKE_SUCCEEDED})
    )
    client.close()
    assert zmq.EVENT_DISCONNECTED in events_of(
        collect_events(mon, {zmq.EVENT_DISCONNECTED})
    )


def test_event_filter(socket):
    server = socket(zmq.PAIR)
    client = socket(zmq.PAIR)
    mon = server.get_monitor_socket(events=zmq.EVENT_ACCEPTED)
    port = server.bind_to_random_port("tcp://127.0.0.1")
    client.connect(f"tcp://127.0.0.1:{port}")
    assert mon.poll(5000)
    ev = recv_monitor_message(mon)
    assert ev["event"] == zmq.EVENT_ACCEPTED
    # LISTENING happened first but was filtered out; nothing else is reported.
    assert not mon.poll(200)


def test_get_monitor_socket_custom_addr(socket):
    s = socket(zmq.PAIR)
    mon = s.get_monitor_socket(events=zmq.EVENT_LISTENING, addr="inproc://custom-monitor-addr")
    assert mon.get(zmq.LAST_ENDPOINT) == b"inproc://custom-monitor-addr"
    s.bind("tcp://127.0.0.1:*")
    assert mon.poll(5000)
    assert recv_monitor_message(mon)["event"] == zmq.EVENT_LISTENING


def test_monitor_with_explicit_address(socket):
    s = socket(zmq.PAIR)
    s.monitor("inproc://explicit-monitor", zmq.EVENT_LISTENING)
    mon = socket(zmq.PAIR)
    mon.connect("inproc://explicit-monitor")
    s.bind("tcp://127.0.0.1:*")
    assert mon.poll(5000)
    raw = mon.recv_multipart()
    assert len(raw) == 2
    assert len(raw[0]) == 6
    event, value = struct.unpack("=HI", raw[0])
    assert event == zmq.EVENT_LISTENING
    assert raw[1].startswith(b"tcp://127.0.0.1:")
    parsed = parse_monitor_message(raw)
    assert parsed["event"] == zmq.EVENT_LISTENING
    assert parsed["value"] == value
    assert parsed["endpoint"] == raw[1]


def test_monitor_default_events_is_all(socket):
    s = socket(zmq.PAIR)
    s.monitor("inproc://default-events-monitor")
    mon = socket(zmq.PAIR)
    mon.connect("inproc://default-events-monitor")
    s.bind("tcp://127.0.0.1:*")
    assert mon.poll(5000)
    assert recv_monitor_message(mon)["event"] == zmq.EVENT_LISTENING


def test_disable_monitor_sends_monitor_stopped(socket):
    s = socket(zmq.PAIR)
    mon = s.get_monitor_socket()
    s.disable_monitor()
    seen = collect_events(mon, {zmq.EVENT_MONITOR_STOPPED})
    assert seen and seen[-1]["event"] == zmq.EVENT_MONITOR_STOPPED
    assert seen[-1]["endpoint"] == b""
    assert seen[-1]["value"] == 0


def test_monitor_none_stops_monitoring(socket):
    s = socket(zmq.PAIR)
    s.monitor("inproc://monitor-none")
    mon = socket(zmq.PAIR)
    mon.connect("inproc://monitor-none")
    s.monitor(None)
    assert mon.poll(5000)
    assert recv_monitor_message(mon)["event"] == zmq.EVENT_MONITOR_STOPPED
    s.bind("tcp://127.0.0.1:*")
    assert not mon.poll(200)


def test_new_monitor_socket_after_disable(socket):
    s = socket(zmq.PAIR)
    first = s.get_monitor_socket()
    s.disable_monitor()
    # A fresh address: the old inproc monitor endpoint is released asynchronously.
    second = s.get_monitor_socket(addr="inproc://second-monitor")
    assert second is not first
    s.bind("tcp://127.0.0.1:*")
    assert zmq.EVENT_LISTENING in events_of(collect_events(second, {zmq.EVENT_LISTENING}))


def test_disable_monitor_without_monitor_is_noop(socket):
    s = socket(zmq.PAIR)
    s.disable_monitor()


def test_closing_monitored_socket_stops_monitor(socket):
    s = socket(zmq.PAIR)
    mon = s.get_monitor_socket()
    s.close()
    seen = collect_events(mon, {zmq.EVENT_MONITOR_STOPPED})
    assert zmq.EVENT_MONITOR_STOPPED in events_of(seen)


def test_recv_monitor_message_noblock_raises_again(socket):
    s = socket(zmq.PAIR)
    mon = s.get_monitor_socket()
    with pytest.raises(zmq.Again):
        recv_monitor_message(mon, zmq.NOBLOCK)


def test_monitor_tcp_address_is_eprotonosupport(socket):
    s = socket(zmq.PAIR)
    with pytest.raises(zmq.ZMQError) as exc:
        s.monitor("tcp://127.0.0.1:5555")
    assert exc.value.errno == zmq.EPROTONOSUPPORT


@pytest.mark.parametrize("addr", ["not-an-endpoint", ""])
def test_monitor_malformed_address_is_einval(socket, addr):
    s = socket(zmq.PAIR)
    with pytest.raises(zmq.ZMQError) as exc:
        s.monitor(addr)
    assert exc.value.errno == zmq.EINVAL


def test_monitor_on_closed_socket_is_enotsock(socket):
    s = socket(zmq.PAIR)
    s.close()
    with pytest.raises(zmq.ZMQError) as exc:
        s.get_monitor_socket()
    assert exc.value.errno == zmq.ENOTSOCK
    with pytest.raises(zmq.ZMQError) as exc:
        s.monitor("inproc://closed-socket-monitor")
    assert exc.value.errno == zmq.ENOTSOCK


def test_parse_monitor_message_synthetic():
    msg = [struct.pack("=HI", zmq.EVENT_ACCEPTED, 17), b"tcp://127.0.0.1:1234"]
    ev = parse_monitor_message(msg)
    assert ev == {
        "event": zmq.EVENT_ACCEPTED,
        "value": 17,
        "endpoint": b"tcp://127.0.0.1:1234",
    }
    assert isinstance(ev["event"], zmq.Event)
    assert ev["event"] is zmq.Event.ACCEPTED


def test_parse_monitor_message_accepts_frames():
    msg = [zmq.Frame(struct.pack("=HI", zmq.EVENT_CLOSED, 3)), zmq.Frame(b"ep")]
    ev = parse_monitor_message(msg)
    assert ev["event"] == zmq.EVENT_CLOSED
    assert ev["value"] == 3


@pytest.mark.parametrize(
    "msg",
    [
        [],
        [struct.pack("=HI", 8, 0)],
        [struct.pack("=HI", 8, 0), b"ep", b"extra"],
        [b"abc", b"ep"],
        [b"\x00" * 5, b"ep"],
        [b"\x00" * 7, b"ep"],
    ],
    ids=["empty", "one-frame", "three-frames", "short-3", "short-5", "long-7"],
)
def test_parse_monitor_message_bad_format_is_runtime_error(msg):
    with pytest.raises(RuntimeError):
        parse_monitor_message(msg)


def test_event_constants():
    assert zmq.EVENT_ALL == 0xFFFF
    assert zmq.EVENT_CONNECTED == 1
    assert zmq.EVENT_LISTENING == 8
    assert zmq.EVENT_ACCEPTED == 32
    assert zmq.EVENT_DISCONNECTED == 512
    assert zmq.EVENT_MONITOR_STOPPED == 1024
    assert zmq.EVENT_HANDSHAKE_SUCCEEDED == 4096
    assert zmq.Event.ACCEPTED == zmq.EVENT_ACCEPTED
