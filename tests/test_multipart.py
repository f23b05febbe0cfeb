"""Multipart messages: sending mixed part types, receiving, RCVMORE, envelopes."""

import pytest

import zmq


@pytest.fixture
def conn(pair):
    a, b = pair
    b.rcvtimeo = 2000
    return a, b


def assert_nothing_pending(sock):
    with pytest.raises(zmq.Again):
        sock.recv(zmq.NOBLOCK)


# --- sending and receiving ----------------------------------------------------------------------


def test_roundtrip_bytes(conn):
    a, b = conn
    assert a.send_multipart([b"one", b"two", b"three"]) is None
    parts = b.recv_multipart()
    assert parts == [b"one", b"two", b"three"]
    assert type(parts) is list
    assert all(type(p) is bytes for p in parts)


def test_mixed_part_types(conn):
    a, b = conn
    a.send_multipart([b"bytes", bytearray(b"bytearray"), memoryview(b"memoryview"),
                      zmq.Frame(b"frame")])
    assert b.recv_multipart() == [b"bytes", b"bytearray", b"memoryview", b"frame"]


def test_tuple_of_parts(conn):
    a, b = conn
    a.send_multipart((b"x", b"y"))
    assert b.recv_multipart() == [b"x", b"y"]


def test_single_part(conn):
    a, b = conn
    a.send_multipart([b"solo"])
    assert b.recv_multipart() == [b"solo"]
    a.send(b"plain")
    assert b.recv_multipart() == [b"plain"]


def test_empty_frames(conn):
    a, b = conn
    a.send_multipart([b"", b"middle", b""])
    assert b.recv_multipart() == [b"", b"middle", b""]
    a.send_multipart([b""])
    assert b.recv_multipart() == [b""]


def test_many_frames(conn):
    a, b = conn
    parts = [str(i).encode() for i in range(1000)]
    a.send_multipart(parts)
    assert b.recv_multipart() == parts


def test_large_parts(conn):
    a, b = conn
    big = b"\xab" * (zmq.COPY_THRESHOLD * 3)
    a.send_multipart([big, b"small", big])
    assert b.recv_multipart() == [big, b"small", big]


def test_recv_multipart_copy_false_returns_frames(conn):
    a, b = conn
    a.send_multipart([b"p1", b"p2", b"p3"])
    frames = b.recv_multipart(copy=False)
    assert all(isinstance(f, zmq.Frame) for f in frames)
    assert [f.bytes for f in frames] == [b"p1", b"p2", b"p3"]
    assert [f.more for f in frames] == [True, True, False]


def test_send_multipart_copy_false(conn):
    a, b = conn
    big = b"z" * (zmq.COPY_THRESHOLD * 2)
    a.send_multipart([big, b"tail"], copy=False)
    assert b.recv_multipart() == [big, b"tail"]


def test_send_multipart_track(conn):
    a, b = conn
    big = b"t" * (zmq.COPY_THRESHOLD * 2)
    tracker = a.send_multipart([big, b"tail"], copy=False, track=True)
    assert isinstance(tracker, zmq.MessageTracker)
    assert b.recv_multipart() == [big, b"tail"]
    tracker.wait(5)
    assert tracker.done


def test_send_multipart_track_ignored_when_copying(conn):
    a, b = conn
    assert a.send_multipart([b"a", b"b"], track=True) is None
    assert b.recv_multipart() == [b"a", b"b"]


def test_recv_multipart_noblock(conn):
    _, b = conn
    with pytest.raises(zmq.Again):
        b.recv_multipart(zmq.NOBLOCK)


def test_messages_stay_separate(conn):
    a, b = conn
    a.send_multipart([b"first", b"message"])
    a.send_multipart([b"second"])
    assert b.recv_multipart() == [b"first", b"message"]
    assert b.recv_multipart() == [b"second"]


# --- invalid parts -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "parts",
    [
        [b"ok", 5],
        [b"ok", "text"],
        [b"ok", None],
        ["text"],
        [5],
        [b"ok", b"ok", {}],
    ],
    ids=["int", "str", "None", "str-first", "int-first", "dict-last"],
)
def test_non_buffer_part_is_type_error_and_nothing_sent(conn, parts):
    a, b = conn
    with pytest.raises(TypeError):
        a.send_multipart(parts)
    # parts are validated up front, so no partial message reaches the peer
    assert_nothing_pending(b)
    a.send_multipart([b"after"])
    assert b.recv_multipart() == [b"after"]


def test_bytes_instead_of_list_is_type_error(conn):
    a, b = conn
    with pytest.raises(TypeError):
        a.send_multipart(b"abc")
    assert_nothing_pending(b)


# --- manual part handling / RCVMORE ----------------------------------------------------------------------


def test_rcvmore_while_reading_parts(conn):
    a, b = conn
    a.send_multipart([b"1", b"2", b"3"])
    assert b.recv() == b"1"
    assert b.rcvmore == 1
    assert b.getsockopt(zmq.RCVMORE) == 1
    assert type(b.rcvmore) is int
    assert b.recv() == b"2"
    assert b.get(zmq.RCVMORE) == 1
    assert b.recv() == b"3"
    assert b.rcvmore == 0
    assert not b.getsockopt(zmq.RCVMORE)


def test_rcvmore_single_part(conn):
    a, b = conn
    a.send(b"only")
    b.recv()
    assert b.rcvmore == 0


def test_sndmore_builds_one_message(conn):
    a, b = conn
    a.send(b"x", zmq.SNDMORE)
    a.send(b"y", flags=zmq.SNDMORE)
    a.send(b"z")
    assert b.recv_multipart() == [b"x", b"y", b"z"]


def test_sndmore_mixed_with_send_multipart(conn):
    a, b = conn
    a.send(b"head", zmq.SNDMORE)
    a.send_multipart([b"body", b"tail"])
    assert b.recv_multipart() == [b"head", b"body", b"tail"]
    a.send_multipart([b"head", b"body"], zmq.SNDMORE)
    a.send(b"tail")
    assert b.recv_multipart() == [b"head", b"body", b"tail"]


def test_sndmore_with_send_string(conn):
    a, b = conn
    a.send_string("caf\u00e9", zmq.SNDMORE)
    a.send_string("end")
    assert b.recv_multipart() == ["caf\u00e9".encode(), b"end"]


def test_recv_multipart_after_partial_manual_read(conn):
    a, b = conn
    a.send_multipart([b"1", b"2", b"3"])
    assert b.recv() == b"1"
    # the remaining parts of the same message are returned
    assert b.recv_multipart() == [b"2", b"3"]


def test_frame_more_attribute(conn):
    a, b = conn
    a.send_multipart([b"first", b"second"])
    first = b.recv(copy=False)
    second = b.recv(copy=False)
    assert first.more is True
    assert second.more is False


def test_multipart_atomic_delivery(conn):
    a, b = conn
    a.send(b"part1", zmq.SNDMORE)
    # nothing is delivered until the final part is sent
    assert not b.poll(50)
    a.send(b"part2")
    assert b.poll(2000)
    assert b.recv_multipart() == [b"part1", b"part2"]


# --- envelopes ---------------------------------------------------------------------------------------------


def test_router_dealer_envelope(socket):
    router = socket(zmq.ROUTER)
    dealer = socket(zmq.DEALER)
    dealer.routing_id = b"dealer-1"
    router.bind("inproc://mp-router-dealer")
    dealer.connect("inproc://mp-router-dealer")
    router.rcvtimeo = dealer.rcvtimeo = 2000
    dealer.send_multipart([b"", b"request"])
    assert router.recv_multipart() == [b"dealer-1", b"", b"request"]
    router.send_multipart([b"dealer-1", b"", b"reply"])
    assert dealer.recv_multipart() == [b"", b"reply"]


def test_router_generated_identity(socket):
    router = socket(zmq.ROUTER)
    dealer = socket(zmq.DEALER)
    router.bind("inproc://mp-router-anon")
    dealer.connect("inproc://mp-router-anon")
    router.rcvtimeo = dealer.rcvtimeo = 2000
    dealer.send(b"anon")
    identity, payload = router.recv_multipart()
    assert payload == b"anon"
    assert len(identity) == 5
    assert identity[0] == 0
    router.send_multipart([identity, b"back"])
    assert dealer.recv() == b"back"


def test_router_req_envelope(socket):
    router = socket(zmq.ROUTER)
    req = socket(zmq.REQ)
    req.routing_id = b"client"
    router.bind("inproc://mp-router-req")
    req.connect("inproc://mp-router-req")
    router.rcvtimeo = req.rcvtimeo = 2000
    req.send(b"question")
    assert router.recv_multipart() == [b"client", b"", b"question"]
    router.send_multipart([b"client", b"", b"answer"])
    assert req.recv() == b"answer"
    assert req.rcvmore == 0


def test_router_drops_unroutable_by_default(socket):
    router = socket(zmq.ROUTER)
    router.send_multipart([b"nobody", b"lost"])


def test_router_mandatory_unroutable(socket):
    router = socket(zmq.ROUTER)
    router.router_mandatory = 1
    with pytest.raises(zmq.ZMQError) as info:
        router.send_multipart([b"nobody", b"lost"])
    assert info.value.errno == zmq.EHOSTUNREACH
