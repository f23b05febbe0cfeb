"""Z85 encoding and CURVE key handling / encrypted transport."""

import os

import pytest

import zmq
from zmq.utils import z85

needs_curve = pytest.mark.skipif(not zmq.has("curve"), reason="libzmq built without CURVE")

SPEC_RAW = bytes([0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B])
SPEC_TEXT = b"HelloWorld"


def test_spec_vector_encode():
    encoded = z85.encode(SPEC_RAW)
    assert encoded == SPEC_TEXT
    assert isinstance(encoded, bytes)


def test_spec_vector_decode_bytes_and_str():
    assert z85.decode(SPEC_TEXT) == SPEC_RAW
    assert z85.decode("HelloWorld") == SPEC_RAW
    assert isinstance(z85.decode("HelloWorld"), bytes)


def test_boundary_values():
    assert z85.encode(b"\x00\x00\x00\x00") == b"00000"
    assert z85.encode(b"\xff\xff\xff\xff") == b"%nSc0"
    assert z85.decode(b"00000") == b"\x00\x00\x00\x00"
    assert z85.decode(b"%nSc0") == b"\xff\xff\xff\xff"


def test_empty():
    assert z85.encode(b"") == b""
    assert z85.decode(b"") == b""
    assert z85.decode("") == b""


@pytest.mark.parametrize("n", [4, 8, 32, 64, 400])
def test_round_trip_random(n):
    data = os.urandom(n)
    encoded = z85.encode(data)
    assert len(encoded) == n * 5 // 4
    assert z85.decode(encoded) == data


def test_encode_accepts_buffers():
    assert z85.encode(bytearray(SPEC_RAW)) == SPEC_TEXT
    assert z85.encode(memoryview(SPEC_RAW)) == SPEC_TEXT


@pytest.mark.parametrize("n", [1, 3, 5, 7])
def test_encode_bad_length_is_value_error(n):
    with pytest.raises(ValueError):
        z85.encode(b"x" * n)


def test_encode_str_is_type_error():
    with pytest.raises(TypeError):
        z85.encode("abcd")


@pytest.mark.parametrize("text", [b"abc", b"abcdefg", "a", b"Hello World"])
def test_decode_bad_length_is_value_error(text):
    with pytest.raises(ValueError):
        z85.decode(text)


@pytest.mark.parametrize(
    "text", [b"HelloWorl\x00", b'Hello"orld', b"~~~~~", b",,,,,", b"abc d", b"\xff" * 5]
)
def test_decode_character_outside_alphabet_is_key_error(text):
    with pytest.raises(KeyError):
        z85.decode(text)


def test_decode_non_ascii_str_is_value_error():
    with pytest.raises(ValueError):
        z85.decode("HelloW\u00f6rld")


@needs_curve
def test_curve_keypair_shape():
    public, secret = zmq.curve_keypair()
    for key in (public, secret):
        assert isinstance(key, bytes)
        assert len(key) == 40
        assert len(z85.decode(key)) == 32
    assert public != secret


@needs_curve
def test_curve_keypair_is_random():
    assert zmq.curve_keypair() != zmq.curve_keypair()


@needs_curve
def test_curve_public_derives_matching_key():
    public, secret = zmq.curve_keypair()
    derived = zmq.curve_public(secret)
    assert derived == public
    assert isinstance(derived, bytes)
    assert zmq.curve_public(secret.decode("ascii")) == public


@needs_curve
@pytest.mark.parametrize("bad", [b"x" * 39, b"x" * 41, b"", b"\x01" * 32])
def test_curve_public_wrong_length_is_value_error(bad):
    with pytest.raises(ValueError):
        zmq.curve_public(bad)


@needs_curve
@pytest.mark.parametrize("bad", ["~" * 40, b" " * 40])
def test_curve_public_bad_characters_is_einval(bad):
    with pytest.raises(zmq.ZMQError) as exc:
        zmq.curve_public(bad)
    assert exc.value.errno == zmq.EINVAL


@needs_curve
@pytest.mark.parametrize("bad", [5, None])
def test_curve_public_non_key_is_type_error(bad):
    with pytest.raises(TypeError):
        zmq.curve_public(bad)


def _curve_client(socket, server_public):
    client = socket(zmq.PAIR, rcvtimeo=5000)
    public, secret = zmq.curve_keypair()
    client.curve_serverkey = server_public
    client.curve_publickey = public
    client.curve_secretkey = secret
    return client


@needs_curve
def test_curve_encrypted_exchange(socket):
    server_public, server_secret = zmq.curve_keypair()
    server = socket(zmq.PAIR, rcvtimeo=5000)
    server.curve_server = True
    server.curve_secretkey = server_secret
    assert server.curve_server == 1
    assert server.mechanism == zmq.CURVE
    port = server.bind_to_random_port("tcp://127.0.0.1")

    client = _curve_client(socket, server_public)
    client.connect(f"tcp://127.0.0.1:{port}")
    client.send(b"secret hello")
    frame = server.recv(copy=False)
    assert frame.bytes == b"secret hello"
    assert frame["Socket-Type"] == "PAIR"
    server.send(b"secret reply")
    assert client.recv() == b"secret reply"


@needs_curve
def test_curve_keys_accept_raw_32_bytes(socket):
    server_public, server_secret = zmq.curve_keypair()
    server = socket(zmq.PAIR, rcvtimeo=5000)
    server.curve_server = True
    server.curve_secretkey = z85.decode(server_secret)
    port = server.bind_to_random_port("tcp://127.0.0.1")
    client = socket(zmq.PAIR, rcvtimeo=5000)
    public, secret = zmq.curve_keypair()
    client.curve_serverkey = z85.decode(server_public)
    client.curve_publickey = z85.decode(public)
    client.curve_secretkey = z85.decode(secret)
    client.connect(f"tcp://127.0.0.1:{port}")
    client.send(b"raw keys")
    assert server.recv() == b"raw keys"


@needs_curve
def test_curve_wrong_server_key_gets_nothing(socket):
    server_public, server_secret = zmq.curve_keypair()
    wrong_public, _ = zmq.curve_keypair()
    server = socket(zmq.PAIR)
    server.curve_server = True
    server.curve_secretkey = server_secret
    port = server.bind_to_random_port("tcp://127.0.0.1")

    client = _curve_client(socket, wrong_public)
    client.connect(f"tcp://127.0.0.1:{port}")
    client.send(b"should not arrive")
    assert server.poll(500) == 0


@needs_curve
def test_plain_client_cannot_reach_curve_server(socket):
    _, server_secret = zmq.curve_keypair()
    server = socket(zmq.PAIR)
    server.curve_server = True
    server.curve_secretkey = server_secret
    port = server.bind_to_random_port("tcp://127.0.0.1")
    client = socket(zmq.PAIR)
    client.connect(f"tcp://127.0.0.1:{port}")
    client.send(b"plain")
    assert server.poll(500) == 0
