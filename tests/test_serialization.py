"""JSON, pickle, custom serializers and string helpers on sockets."""

import json
import pickle

import pytest

import zmq


@pytest.fixture
def conn(pair):
    a, b = pair
    b.rcvtimeo = 2000
    return a, b


# --- json -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "obj",
    [
        {"a": 1, "b": [1, 2.5, None, True, False], "c": {"nested": "x"}},
        [1, "two", 3.0, None],
        "just a string",
        42,
        None,
        {"unicod\u00e9": "\u2603 snow", "emoji": "\U0001f600"},
    ],
)
def test_json_roundtrip(conn, obj):
    a, b = conn
    assert a.send_json(obj) is None
    assert b.recv_json() == obj


def test_json_wire_format_is_utf8_json(conn):
    a, b = conn
    a.send_json({"k": [1, "\u00e9"]})
    raw = b.recv()
    assert json.loads(raw.decode("utf-8")) == {"k": [1, "\u00e9"]}


def test_json_keyword_arguments_reach_encoder(conn):
    a, b = conn
    a.send_json({"x": 1, "y": 2}, separators=(",", ":"), sort_keys=True)
    assert b.recv() == b'{"x":1,"y":2}'


def test_recv_json_of_plain_json_bytes(conn):
    a, b = conn
    a.send(b'{"from": "raw"}')
    assert b.recv_json() == {"from": "raw"}


def test_recv_json_invalid_then_socket_still_usable(conn):
    a, b = conn
    a.send(b"{not json")
    a.send_json({"ok": True})
    with pytest.raises(ValueError) as info:
        b.recv_json()
    assert isinstance(info.value, json.JSONDecodeError)
    assert b.recv_json() == {"ok": True}


def test_recv_json_invalid_utf8(conn):
    a, b = conn
    a.send(b"\xff\xfe")
    with pytest.raises(UnicodeDecodeError):
        b.recv_json()


def test_send_json_unserializable_sends_nothing(conn):
    a, b = conn
    with pytest.raises(TypeError):
        a.send_json({1, 2, 3})
    with pytest.raises(zmq.Again):
        b.recv(zmq.NOBLOCK)


def test_json_with_flags(conn):
    a, b = conn
    a.send_json({"head": 1}, zmq.SNDMORE)
    a.send(b"tail")
    assert b.recv_multipart() == [b'{"head": 1}', b"tail"]


def test_recv_json_noblock(conn):
    _, b = conn
    with pytest.raises(zmq.Again):
        b.recv_json(zmq.NOBLOCK)


# --- pickle -------------------------------------------------------------------------------------


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __eq__(self, other):
        return isinstance(other, Point) and (self.x, self.y) == (other.x, other.y)


@pytest.mark.parametrize(
    "obj",
    [
        {"set": {1, 2}, "tuple": (1, 2), "bytes": b"\x00\xff"},
        Point(3, 4),
        [None, 1.5, "\u00e9"],
    ],
)
def test_pyobj_roundtrip(conn, obj):
    a, b = conn
    a.send_pyobj(obj)
    assert b.recv_pyobj() == obj


def test_pyobj_default_protocol(conn):
    a, b = conn
    a.send_pyobj([1])
    raw = b.recv()
    assert raw[0] == 0x80
    assert raw[1] == pickle.DEFAULT_PROTOCOL
    assert pickle.loads(raw) == [1]


@pytest.mark.parametrize("protocol", [0, 2, pickle.HIGHEST_PROTOCOL])
def test_pyobj_protocol_argument(conn, protocol):
    a, b = conn
    a.send_pyobj({"p": protocol}, protocol=protocol)
    raw = b.recv()
    assert raw == pickle.dumps({"p": protocol}, protocol)
    a.send_pyobj({"p": protocol}, protocol=protocol)
    assert b.recv_pyobj() == {"p": protocol}


def test_recv_pyobj_garbage(conn):
    a, b = conn
    a.send(b"definitely not a pickle")
    a.send_pyobj("next")
    with pytest.raises(pickle.UnpicklingError):
        b.recv_pyobj()
    assert b.recv_pyobj() == "next"


class Unpicklable:
    def __reduce__(self):
        raise RuntimeError("refuses to pickle")


def test_send_pyobj_unpicklable_sends_nothing(conn):
    a, b = conn
    with pytest.raises(RuntimeError, match="refuses to pickle"):
        a.send_pyobj(Unpicklable())
    with pytest.raises(zmq.Again):
        b.recv(zmq.NOBLOCK)


def test_recv_pyobj_noblock(conn):
    _, b = conn
    with pytest.raises(zmq.Again):
        b.recv_pyobj(zmq.NOBLOCK)


# --- custom serialization ---------------------------------------------------------------------------


def serialize_record(record):
    return [record["key"].encode(), str(record["value"]).encode()]


def deserialize_record(frames):
    key, value = frames
    return {"key": bytes(key).decode(), "value": int(bytes(value))}


def test_serialized_roundtrip(conn):
    a, b = conn
    a.send_serialized({"key": "k", "value": 7}, serialize_record)
    assert b.recv_serialized(deserialize_record) == {"key": "k", "value": 7}


def test_serialized_is_multipart_on_the_wire(conn):
    a, b = conn
    a.send_serialized({"key": "k", "value": 7}, serialize_record)
    assert b.recv_multipart() == [b"k", b"7"]


def test_recv_serialized_copy_flag_controls_frame_type(conn):
    a, b = conn
    seen = []

    def record_types(frames):
        seen.append([type(f) for f in frames])
        return len(frames)

    a.send_serialized({"key": "k", "value": 1}, serialize_record)
    assert b.recv_serialized(record_types) == 2
    a.send_serialized({"key": "k", "value": 1}, serialize_record)
    assert b.recv_serialized(record_types, copy=False) == 2
    assert seen[0] == [bytes, bytes]
    assert all(issubclass(t, zmq.Frame) for t in seen[1])


def test_send_serialized_track(conn):
    a, b = conn
    big = "v" * (zmq.COPY_THRESHOLD * 2)
    tracker = a.send_serialized({"key": big, "value": 1}, serialize_record, copy=False, track=True)
    assert isinstance(tracker, zmq.MessageTracker)
    assert b.recv_multipart()[0] == big.encode()


def test_serializer_errors_propagate(conn):
    a, b = conn

    def broken(_):
        raise RuntimeError("cannot serialize")

    with pytest.raises(RuntimeError, match="cannot serialize"):
        a.send_serialized(object(), broken)
    a.send(b"x")
    with pytest.raises(RuntimeError, match="cannot serialize"):
        b.recv_serialized(broken)


def test_recv_serialized_noblock(conn):
    _, b = conn
    with pytest.raises(zmq.Again):
        b.recv_serialized(deserialize_record, flags=zmq.NOBLOCK)


# --- strings --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "ascii", "caf\u00e9", "\u65e5\u672c\u8a9e", "\U0001f600 emoji"])
def test_string_roundtrip(conn, text):
    a, b = conn
    a.send_string(text)
    assert b.recv_string() == text


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "latin-1"])
def test_string_roundtrip_with_encoding(conn, encoding):
    a, b = conn
    a.send_string("caf\u00e9", encoding=encoding)
    raw = b.recv()
    assert raw == "caf\u00e9".encode(encoding)
    a.send_string("caf\u00e9", encoding=encoding)
    assert b.recv_string(encoding=encoding) == "caf\u00e9"


def test_send_string_unencodable(conn):
    a, b = conn
    with pytest.raises(UnicodeEncodeError):
        a.send_string("\u2603", encoding="ascii")
    with pytest.raises(zmq.Again):
        b.recv(zmq.NOBLOCK)


def test_unicode_aliases(conn):
    a, b = conn
    a.send_unicode("alias")
    assert b.recv_unicode() == "alias"


def test_send_str_requires_send_string(conn):
    a, _ = conn
    with pytest.raises(TypeError):
        a.send("text")
    with pytest.raises(TypeError):
        a.send_string(b"bytes")
