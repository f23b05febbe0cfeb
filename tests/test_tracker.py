"""zmq.MessageTracker: completion of zero-copy sends."""

import gc
import threading

import pytest

import zmq

BIG = zmq.COPY_THRESHOLD * 2


@pytest.fixture
def unbound_pair(socket, request):
    """A PAIR connected to an inproc endpoint nobody has bound yet.

    Messages sent on it stay queued, so a zero-copy payload is never released
    until a peer shows up and takes it.
    """
    name = f"inproc://tracker-{request.node.name}"
    sender = socket(zmq.PAIR)
    sender.connect(name)

    def bind_peer():
        peer = socket(zmq.PAIR, rcvtimeo=5000)
        peer.bind(name)
        return peer

    return sender, bind_peer


def test_send_tracked_returns_tracker(pair):
    a, b = pair
    tracker = a.send(b"x" * BIG, copy=False, track=True)
    assert isinstance(tracker, zmq.MessageTracker)
    b.rcvtimeo = 5000
    b.recv()


def test_send_copy_true_with_track_returns_none(pair):
    a, b = pair
    assert a.send(b"x", copy=True, track=True) is None
    assert a.send(b"x" * BIG, copy=True, track=True) is None
    assert a.send(b"x") is None


def test_send_large_zero_copy_untracked_returns_none(pair):
    a, _ = pair
    assert a.send(b"x" * BIG, copy=False) is None


def test_pending_tracker_wait_raises_not_done(unbound_pair):
    sender, _ = unbound_pair
    tracker = sender.send(b"z" * BIG, copy=False, track=True)
    assert tracker.done is False
    with pytest.raises(zmq.NotDone):
        tracker.wait(0.05)
    with pytest.raises(zmq.NotDone):
        tracker.wait(0)
    assert tracker.done is False


def test_not_done_is_a_zmq_base_error_but_not_zmq_error():
    assert issubclass(zmq.NotDone, zmq.ZMQBaseError)
    assert not issubclass(zmq.NotDone, zmq.ZMQError)


def test_tracker_done_after_delivery_and_release(unbound_pair):
    sender, bind_peer = unbound_pair
    payload = b"z" * BIG
    tracker = sender.send(payload, copy=False, track=True)
    with pytest.raises(zmq.NotDone):
        tracker.wait(0.01)
    peer = bind_peer()
    frame = peer.recv(copy=False)
    assert frame.bytes == payload
    del frame
    gc.collect()
    assert tracker.wait(10) is None
    assert tracker.done is True


def test_tracker_done_after_copying_recv(pair):
    a, b = pair
    b.rcvtimeo = 5000
    tracker = a.send(b"w" * BIG, copy=False, track=True)
    assert b.recv() == b"w" * BIG
    tracker.wait(10)
    assert tracker.done


def test_multipart_tracker_covers_all_parts(pair):
    a, b = pair
    b.rcvtimeo = 5000
    tracker = a.send_multipart([b"a" * BIG, b"b" * BIG], copy=False, track=True)
    assert isinstance(tracker, zmq.MessageTracker)
    assert not tracker.done
    frames = b.recv_multipart(copy=False)
    assert [len(f) for f in frames] == [BIG, BIG]
    del frames
    gc.collect()
    tracker.wait(10)
    assert tracker.done


def test_send_tracked_frame_returns_its_tracker(unbound_pair):
    sender, bind_peer = unbound_pair
    frame = zmq.Frame(b"f" * BIG, track=True)
    tracker = sender.send(frame, copy=False, track=True)
    assert isinstance(tracker, zmq.MessageTracker)
    assert not tracker.done
    peer = bind_peer()
    assert peer.recv() == b"f" * BIG
    del frame
    gc.collect()
    tracker.wait(10)
    assert tracker.done


def test_wait_none_and_negative_block_until_done():
    for timeout in (None, -1):
        event = threading.Event()
        tracker = zmq.MessageTracker(event)
        setter = threading.Timer(0.05, event.set)
        setter.start()
        try:
            if timeout is None:
                assert tracker.wait() is None
            else:
                assert tracker.wait(timeout) is None
        finally:
            setter.join(10)
        assert tracker.done


def test_construct_from_event():
    event = threading.Event()
    tracker = zmq.MessageTracker(event)
    assert tracker.done is False
    with pytest.raises(zmq.NotDone):
        tracker.wait(0.01)
    event.set()
    assert tracker.done is True
    assert tracker.wait(0.01) is None


def test_construct_from_tracked_frame_and_trackers():
    frame = zmq.Frame(b"x", track=True)
    from_frame = zmq.MessageTracker(frame)
    assert from_frame.done
    event = threading.Event()
    combined = zmq.MessageTracker(from_frame, zmq.MessageTracker(event))
    assert not combined.done
    event.set()
    assert combined.done


def test_empty_tracker_is_done():
    tracker = zmq.MessageTracker()
    assert tracker.done
    assert tracker.wait(0) is None


def test_construct_from_untracked_frame_is_value_error():
    with pytest.raises(ValueError):
        zmq.MessageTracker(zmq.Frame(b"x"))


@pytest.mark.parametrize("bad", [1, "x", None, b"x"])
def test_construct_from_bad_objects_is_type_error(bad):
    with pytest.raises(TypeError):
        zmq.MessageTracker(bad)
