"""Draft socket types (CLIENT/SERVER, RADIO/DISH) and their frame attributes.

Everything but the first test needs a build with the draft API enabled.
"""

import pytest

import zmq

draft_only = pytest.mark.skipif(not zmq.DRAFT_API, reason="needs a draft build")


def test_draft_api_flag_matches_has():
    assert isinstance(zmq.DRAFT_API, bool)
    assert zmq.has("draft") is zmq.DRAFT_API


def _recv_group_message(radio, dish, group, payload, attempts=50):
    """Send until the dish's join has reached the radio, then return the frame."""
    for _ in range(attempts):
        radio.send(payload, group=group)
        if dish.poll(100):
            return dish.recv(copy=False)
    pytest.fail("dish never received a group message")


def _sync_group(radio, dish, group):
    """Wait until `group` is delivered, then drain anything still queued.

    Over inproc a sent message is already queued when send returns, so a short
    empty poll means the dish has nothing left over.
    """
    frame = _recv_group_message(radio, dish, group, b"sync")
    assert frame.group == group
    while dish.poll(50):
        dish.recv()


@pytest.fixture
def client_server(socket, request):
    server = socket(zmq.SERVER, rcvtimeo=5000)
    client = socket(zmq.CLIENT, rcvtimeo=5000)
    name = f"inproc://draft-cs-{request.node.name}"
    server.bind(name)
    client.connect(name)
    return client, server


@pytest.fixture
def radio_dish(socket, request):
    radio = socket(zmq.RADIO)
    dish = socket(zmq.DISH, rcvtimeo=5000)
    name = f"inproc://draft-rd-{request.node.name}"
    radio.bind(name)
    dish.connect(name)
    return radio, dish


@draft_only
def test_draft_socket_type_constants():
    assert (zmq.SERVER, zmq.CLIENT, zmq.RADIO, zmq.DISH) == (12, 13, 14, 15)
    assert (zmq.GATHER, zmq.SCATTER, zmq.DGRAM) == (16, 17, 18)


@draft_only
def test_server_sees_routing_id_and_replies(client_server):
    client, server = client_server
    client.send(b"hello")
    frame = server.recv(copy=False)
    assert frame.bytes == b"hello"
    rid = frame.routing_id
    assert isinstance(rid, int)
    assert rid != 0
    server.send(b"reply", routing_id=rid)
    assert client.recv() == b"reply"


@draft_only
def test_server_reply_with_frame_routing_id(client_server):
    client, server = client_server
    client.send(b"hello")
    rid = server.recv(copy=False).routing_id
    reply = zmq.Frame(b"framed reply")
    reply.routing_id = rid
    server.send(reply)
    assert client.recv() == b"framed reply"


@draft_only
def test_server_plain_recv_returns_bytes(client_server):
    client, server = client_server
    client.send(b"plain")
    assert server.recv() == b"plain"


@draft_only
def test_server_distinguishes_clients(socket):
    server = socket(zmq.SERVER, rcvtimeo=5000)
    server.bind("inproc://draft-two-clients")
    c1 = socket(zmq.CLIENT, rcvtimeo=5000)
    c2 = socket(zmq.CLIENT, rcvtimeo=5000)
    c1.connect("inproc://draft-two-clients")
    c2.connect("inproc://draft-two-clients")
    c1.send(b"one")
    c2.send(b"two")
    ids = {}
    for _ in range(2):
        f = server.recv(copy=False)
        ids[f.bytes] = f.routing_id
    assert ids[b"one"] != ids[b"two"]
    server.send(b"for two", routing_id=ids[b"two"])
    server.send(b"for one", routing_id=ids[b"one"])
    assert c1.recv() == b"for one"
    assert c2.recv() == b"for two"


@draft_only
def test_server_send_without_routing_id_is_ehostunreach(client_server):
    _, server = client_server
    with pytest.raises(zmq.ZMQError) as exc:
        server.send(b"nowhere")
    assert exc.value.errno == zmq.EHOSTUNREACH


@draft_only
def test_server_send_to_unknown_routing_id_is_ehostunreach(client_server):
    _, server = client_server
    with pytest.raises(zmq.ZMQError) as exc:
        server.send(b"nowhere", routing_id=12345)
    assert exc.value.errno == zmq.EHOSTUNREACH


@draft_only
def test_client_rejects_multipart(client_server):
    client, _ = client_server
    with pytest.raises(zmq.ZMQError) as exc:
        client.send(b"a", zmq.SNDMORE)
    assert exc.value.errno == zmq.EINVAL
    with pytest.raises(zmq.ZMQError):
        client.send_multipart([b"a", b"b"])


@draft_only
def test_thread_safe_sockets_poll(client_server):
    client, server = client_server
    poller = zmq.Poller()
    poller.register(server, zmq.POLLIN)
    assert poller.poll(0) == []
    client.send(b"wake")
    assert poller.poll(5000) == [(server, zmq.POLLIN)]
    assert server.poll(0) == zmq.POLLIN


@draft_only
def test_radio_dish_group_delivery(radio_dish):
    radio, dish = radio_dish
    dish.join("weather")
    frame = _recv_group_message(radio, dish, "weather", b"sunny")
    assert frame.bytes == b"sunny"
    assert frame.group == "weather"
    assert isinstance(frame.group, str)


@draft_only
def test_radio_send_frame_with_group(radio_dish):
    radio, dish = radio_dish
    dish.join(b"news")
    _sync_group(radio, dish, "news")
    f = zmq.Frame(b"headline")
    f.group = "news"
    radio.send(f)
    got = dish.recv(copy=False)
    assert got.bytes == b"headline"
    assert got.group == "news"


@draft_only
def test_dish_filters_other_groups(radio_dish):
    radio, dish = radio_dish
    dish.join("mine")
    _sync_group(radio, dish, "mine")
    radio.send(b"not for you", group="other")
    radio.send(b"for you", group="mine")
    got = dish.recv(copy=False)
    assert got.bytes == b"for you"
    assert got.group == "mine"


@draft_only
def test_dish_leave_stops_delivery(radio_dish):
    radio, dish = radio_dish
    dish.join("temp")
    _sync_group(radio, dish, "temp")
    dish.leave(b"temp")
    # Join/leave requests travel in order, so once "keep" is delivered the
    # radio has also processed the leave.
    dish.join("keep")
    _sync_group(radio, dish, "keep")
    radio.send(b"dropped", group="temp")
    radio.send(b"kept", group="keep")
    got = dish.recv(copy=False)
    assert got.bytes == b"kept"
    assert not dish.poll(100)


@draft_only
def test_leave_unjoined_group_is_einval(radio_dish):
    _, dish = radio_dish
    with pytest.raises(zmq.ZMQError) as exc:
        dish.leave(b"never-joined")
    assert exc.value.errno == zmq.EINVAL


@draft_only
def test_join_too_long_group_is_einval(radio_dish):
    _, dish = radio_dish
    with pytest.raises(zmq.ZMQError) as exc:
        dish.join("x" * 300)
    assert exc.value.errno == zmq.EINVAL


@draft_only
@pytest.mark.parametrize("kind", ["RADIO", "PAIR"])
def test_join_on_non_dish_is_enotsup(socket, kind):
    s = socket(getattr(zmq, kind))
    with pytest.raises(zmq.ZMQError) as exc:
        s.join("grp")
    assert exc.value.errno == zmq.ENOTSUP


@draft_only
def test_frame_draft_attributes_round_trip():
    f = zmq.Frame(b"x")
    f.routing_id = 7
    f.group = "g"
    assert f.routing_id == 7
    assert f.group == "g"
    f.group = b"bytes-group"
    assert f.group == "bytes-group"


@draft_only
def test_frame_routing_id_requires_int():
    f = zmq.Frame(b"x")
    with pytest.raises(TypeError):
        f.routing_id = "seven"
