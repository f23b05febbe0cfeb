"""The compound senders use the base send, so a subclass overriding send (as
the async and green sockets do) does not change what they put on the wire."""

import pytest

import zmq


class Recording(zmq.Socket):
    def send(self, *args, **kwargs):
        raise AssertionError("compound senders must not go through an overridden send")


@pytest.fixture
def recording_pair(ctx):
    a = ctx.socket(zmq.PAIR, socket_class=Recording)
    b = ctx.socket(zmq.PAIR)
    a.linger = b.linger = 0
    a.bind("inproc://recording")
    b.connect("inproc://recording")
    return a, b


@pytest.mark.parametrize("copy,track", [(True, False), (False, False), (False, True)])
def test_send_multipart_does_not_call_an_overridden_send(recording_pair, copy, track):
    a, b = recording_pair
    payload = b"x" * (zmq.COPY_THRESHOLD + 1)
    result = a.send_multipart([b"head", payload], copy=copy, track=track)
    assert b.recv_multipart() == [b"head", payload]
    if track:
        result.wait(10)
        assert result.done


def test_send_string_does_not_call_an_overridden_send(recording_pair):
    a, b = recording_pair
    a.send_string("héllo")
    assert b.recv_string() == "héllo"


def test_unknown_keyword_is_rejected_before_sending(recording_pair):
    a, b = recording_pair
    with pytest.raises(TypeError):
        a.send_multipart([b"x"], copy=False, bogus=1)
    with pytest.raises(TypeError):
        a.send_string("x", bogus=1)
    assert b.poll(50) == 0
