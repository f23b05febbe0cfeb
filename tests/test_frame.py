"""zmq.Frame: construction, buffers, properties, metadata and zero-copy sends."""

import array
import copy
import gc
import weakref

import pytest

import zmq

BIG = zmq.COPY_THRESHOLD * 2

draft_only = pytest.mark.skipif(not zmq.DRAFT_API, reason="needs a draft build")


def test_message_is_an_alias_of_frame():
    assert zmq.Message is zmq.Frame


@pytest.mark.parametrize(
    "data, expected",
    [
        (b"abc", b"abc"),
        (bytearray(b"abc"), b"abc"),
        (memoryview(b"abc"), b"abc"),
        (memoryview(b"xabcx")[1:4], b"abc"),
        (array.array("B", [1, 2, 3]), b"\x01\x02\x03"),
        (array.array("i", [1]), array.array("i", [1]).tobytes()),
    ],
    ids=["bytes", "bytearray", "memoryview", "memoryview-slice", "array-B", "array-i"],
)
def test_construct_from_buffer_objects(data, expected):
    f = zmq.Frame(data)
    assert f.bytes == expected
    assert isinstance(f.bytes, bytes)
    assert len(f) == len(expected)
    assert bytes(f) == expected


def test_multidimensional_buffer_is_flattened():
    view = memoryview(bytearray(range(12))).cast("B", (3, 4))
    f = zmq.Frame(view)
    assert len(f) == 12
    assert f.bytes == bytes(range(12))


def test_empty_frame():
    f = zmq.Frame()
    assert f.bytes == b""
    assert len(f) == 0
    assert zmq.Frame(None).bytes == b""


@pytest.mark.parametrize("bad", ["str", 1, 1.5, [1, 2], object()])
def test_construct_from_non_buffer_is_type_error(bad):
    with pytest.raises(TypeError):
        zmq.Frame(bad)


def test_non_contiguous_buffer_rejected():
    with pytest.raises(BufferError):
        zmq.Frame(memoryview(b"abcdef")[::2])


def test_buffer_is_a_memoryview_of_the_data():
    f = zmq.Frame(b"hello")
    buf = f.buffer
    assert isinstance(buf, memoryview)
    assert buf.tobytes() == b"hello"
    assert len(buf) == 5
    assert buf.nbytes == 5


def test_frame_supports_the_buffer_protocol():
    f = zmq.Frame(b"hello")
    assert memoryview(f).tobytes() == b"hello"


def test_zero_copy_frame_shares_memory_with_source():
    src = bytearray(b"a" * 10)
    f = zmq.Frame(src, copy=False)
    src[0] = ord("Z")
    assert f.buffer[:3].tobytes() == b"Zaa"


def test_copied_frame_does_not_share_memory():
    src = bytearray(b"a" * 10)
    f = zmq.Frame(src, copy=True)
    src[0] = ord("Z")
    assert f.bytes == b"a" * 10


def test_default_copy_uses_copy_threshold():
    # Below the threshold the data is copied; at or above it, shared.
    small = bytearray(zmq.COPY_THRESHOLD - 1)
    exact = bytearray(zmq.COPY_THRESHOLD)
    f_small = zmq.Frame(small)
    f_exact = zmq.Frame(exact)
    small[0] = 1
    exact[0] = 1
    assert f_small.buffer[0] == 0
    assert f_exact.buffer[0] == 1


def test_explicit_copy_threshold():
    src = bytearray(100)
    f = zmq.Frame(src, copy_threshold=10)
    src[0] = 7
    assert f.buffer[0] == 7
    src2 = bytearray(100)
    f2 = zmq.Frame(src2, copy_threshold=1000)
    src2[0] = 7
    assert f2.buffer[0] == 0


def test_copy_threshold_constant():
    assert zmq.COPY_THRESHOLD == 65536


def test_zero_copy_frame_keeps_source_alive():
    class Buf(bytearray):
        pass

    src = Buf(b"q" * BIG)
    ref = weakref.ref(src)
    f = zmq.Frame(src, copy=False)
    del src
    gc.collect()
    assert ref() is not None
    assert f.bytes == b"q" * BIG


def test_recv_copy_false_returns_frame_with_buffer(pair):
    a, b = pair
    b.rcvtimeo = 5000
    a.send(b"x" * 100)
    f = b.recv(copy=False)
    assert isinstance(f, zmq.Frame)
    assert isinstance(f.buffer, memoryview)
    assert f.buffer.tobytes() == b"x" * 100
    assert f.bytes == b"x" * 100
    assert len(f) == 100


def test_bytes_attribute_is_cached(pair):
    a, b = pair
    b.rcvtimeo = 5000
    a.send(b"cached")
    f = b.recv(copy=False)
    assert f.bytes is f.bytes


def test_get_more_on_fresh_frame_is_int_zero():
    f = zmq.Frame(b"x")
    more = f.get(zmq.MORE)
    assert more == 0
    assert isinstance(more, int)
    assert f.more is False


def test_get_shared():
    assert zmq.Frame(b"x").get(zmq.SHARED) == 0


def test_more_after_recv_multipart(pair):
    a, b = pair
    b.rcvtimeo = 5000
    a.send_multipart([b"one", b"two", b"three"])
    frames = b.recv_multipart(copy=False)
    assert [f.bytes for f in frames] == [b"one", b"two", b"three"]
    assert [f.more for f in frames] == [True, True, False]
    assert [f.get(zmq.MORE) for f in frames] == [1, 1, 0]


def test_set_more_is_einval():
    f = zmq.Frame(b"x")
    with pytest.raises(zmq.ZMQError) as exc:
        f.set(zmq.MORE, 1)
    assert exc.value.errno == zmq.EINVAL


def test_get_unknown_int_option_is_einval():
    with pytest.raises(zmq.ZMQError) as exc:
        zmq.Frame(b"x").get(9999)
    assert exc.value.errno == zmq.EINVAL


def test_metadata_on_local_frame_is_einval():
    with pytest.raises(zmq.ZMQError) as exc:
        zmq.Frame(b"x").get("Socket-Type")
    assert exc.value.errno == zmq.EINVAL


def test_metadata_over_tcp(tcp_pair):
    a, b = tcp_pair
    b.rcvtimeo = 5000
    a.send(b"meta")
    f = b.recv(copy=False)
    assert f.get("Socket-Type") == "PAIR"
    assert isinstance(f.get("Socket-Type"), str)
    assert f.get(b"Socket-Type") == "PAIR"
    assert f["Socket-Type"] == "PAIR"
    assert f.get("Peer-Address") == "127.0.0.1"
    assert f["Peer-Address"] == "127.0.0.1"


def test_unknown_metadata_property_is_einval(tcp_pair):
    a, b = tcp_pair
    b.rcvtimeo = 5000
    a.send(b"meta")
    f = b.recv(copy=False)
    with pytest.raises(zmq.ZMQError) as exc:
        f.get("X-No-Such-Property")
    assert exc.value.errno == zmq.EINVAL
    with pytest.raises(zmq.ZMQError):
        f["X-No-Such-Property"]
    # A PAIR peer has no routing id, so there is no Identity property.
    with pytest.raises(zmq.ZMQError):
        f.get("Identity")


def test_identity_metadata_from_dealer(socket):
    router = socket(zmq.ROUTER, rcvtimeo=5000)
    dealer = socket(zmq.DEALER, routing_id=b"dealer-1")
    port = router.bind_to_random_port("tcp://127.0.0.1")
    dealer.connect(f"tcp://127.0.0.1:{port}")
    dealer.send(b"hi")
    frames = router.recv_multipart(copy=False)
    assert [f.bytes for f in frames] == [b"dealer-1", b"hi"]
    assert frames[1].get("Identity") == "dealer-1"
    assert frames[1]["Socket-Type"] == "DEALER"


def test_frame_equals_bytes_with_the_same_content():
    # A documented difference from pyzmq, where equality is by identity.
    f = zmq.Frame(b"x")
    assert f == b"x"
    assert b"x" == f
    assert not (f != b"x")
    assert f != b"y"
    assert f == zmq.Frame(b"x")
    assert f != zmq.Frame(b"xy")
    assert f == f
    assert (f == "x") is False  # str is never equal to message bytes


def test_frame_is_hashable_like_its_bytes():
    f = zmq.Frame(b"x")
    assert {f: 1}[f] == 1
    assert hash(f) == hash(b"x")
    assert {b"x": 2}[f] == 2
    assert len({f, zmq.Frame(b"x"), b"x"}) == 1


def test_zero_copy_frame_of_bytes_is_read_only():
    # The frame shares the bytes object's memory, which must stay immutable.
    f = zmq.Frame(b"x" * BIG, copy=False)
    view = f.buffer
    assert view.readonly
    with pytest.raises(TypeError):
        view[0] = 0
    assert bytes(view[:3]) == b"xxx"


def test_zero_copy_frame_of_bytearray_is_writable_and_shared():
    data = bytearray(b"y" * BIG)
    f = zmq.Frame(data, copy=False)
    view = f.buffer
    assert not view.readonly
    view[0] = ord("z")
    assert data[0] == ord("z")


def test_str_and_repr():
    f = zmq.Frame(b"abc")
    assert str(f) == "<zmq.Frame(b'abc')>"
    assert repr(f) == "<zmq.Frame(b'abc')>"
    long = zmq.Frame(b"a" * 100)
    assert str(long) == "<zmq.Frame(b'aaaaaaaaaaaa'...100B)>"


def test_copy_module_makes_independent_frame():
    f = zmq.Frame(b"copy me")
    g = copy.copy(f)
    assert g is not f
    assert g.bytes == b"copy me"


def test_tracker_absent_without_track():
    assert zmq.Frame(b"x").tracker is None
    assert zmq.Frame(b"x" * BIG, copy=False).tracker is None


def test_tracker_present_with_track():
    f = zmq.Frame(b"x", track=True)
    assert isinstance(f.tracker, zmq.MessageTracker)


def test_tracked_copied_frame_is_done_immediately():
    # Copied data is never referenced by libzmq, so there is nothing to wait for.
    assert zmq.Frame(b"x", track=True).tracker.done
    assert zmq.Frame(b"x" * BIG, track=True, copy=True).tracker.done


def test_tracked_zero_copy_frame_done_after_release():
    f = zmq.Frame(b"x" * BIG, track=True)
    tracker = f.tracker
    assert not tracker.done
    del f
    gc.collect()
    tracker.wait(10)
    assert tracker.done


def test_tracked_small_frame_with_copy_false_is_zero_copy():
    f = zmq.Frame(b"x" * 10, track=True, copy=False)
    assert not f.tracker.done


def test_send_small_zero_copy_is_copied_and_done(pair):
    a, b = pair
    b.rcvtimeo = 5000
    tracker = a.send(b"x" * 10, copy=False, track=True)
    assert isinstance(tracker, zmq.MessageTracker)
    assert tracker.done
    assert b.recv() == b"x" * 10


def test_send_large_zero_copy_pending_until_released(pair):
    a, b = pair
    b.rcvtimeo = 5000
    payload = b"y" * BIG
    tracker = a.send(payload, copy=False, track=True)
    assert not tracker.done
    received = b.recv(copy=False)
    assert received.bytes == payload
    # Over inproc the receiver's frame still references the sender's memory.
    assert not tracker.done
    del received
    gc.collect()
    tracker.wait(10)
    assert tracker.done


def test_zero_copy_send_keeps_buffer_alive(pair):
    a, b = pair
    b.rcvtimeo = 5000
    data = bytearray(b"k" * BIG)
    data[-1] = ord("!")
    view = memoryview(data)
    a.send(view, copy=False)
    del view, data
    gc.collect()
    got = b.recv()
    assert len(got) == BIG
    assert got[:3] == b"kkk"
    assert got[-1:] == b"!"


def test_send_frame_object(pair):
    a, b = pair
    b.rcvtimeo = 5000
    a.send(zmq.Frame(b"framed"))
    assert b.recv() == b"framed"
    a.send(zmq.Frame(b"framed2"), copy=False)
    assert b.recv() == b"framed2"


def test_same_frame_can_be_sent_twice(pair):
    a, b = pair
    b.rcvtimeo = 5000
    f = zmq.Frame(b"again")
    a.send(f)
    a.send(f)
    assert b.recv() == b"again"
    assert b.recv() == b"again"


def test_send_multipart_with_frames_and_buffers(pair):
    a, b = pair
    b.rcvtimeo = 5000
    a.send_multipart([zmq.Frame(b"1"), b"2", memoryview(b"3"), bytearray(b"4")])
    assert b.recv_multipart() == [b"1", b"2", b"3", b"4"]


def test_received_frames_can_be_forwarded(socket):
    router = socket(zmq.ROUTER, rcvtimeo=5000)
    dealer = socket(zmq.DEALER, rcvtimeo=5000)
    router.bind("inproc://frame-forward")
    dealer.connect("inproc://frame-forward")
    dealer.send(b"ping")
    frames = router.recv_multipart(copy=False)
    router.send_multipart(frames)
    assert dealer.recv() == b"ping"


def test_send_str_is_type_error(pair):
    a, _ = pair
    with pytest.raises(TypeError):
        a.send("text")


@draft_only
def test_group_and_routing_id_attributes_on_draft():
    f = zmq.Frame(b"x")
    f.group = "grp"
    assert f.group == "grp"
    f.routing_id = 42
    assert f.routing_id == 42


@pytest.mark.skipif(zmq.DRAFT_API, reason="non-draft behaviour")
def test_group_and_routing_id_unavailable_without_draft():
    f = zmq.Frame(b"x")
    with pytest.raises(RuntimeError):
        f.group
    with pytest.raises(RuntimeError):
        f.routing_id
    with pytest.raises(RuntimeError):
        f.group = "grp"
    with pytest.raises(RuntimeError):
        f.routing_id = 1
