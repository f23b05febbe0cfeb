"""Socket options: get/set forms, attribute access, value types, and bad input."""

import errno

import pytest

import zmq

INT_OPTIONS_WITH_DEFAULTS = {
    "LINGER": -1,
    "RCVTIMEO": -1,
    "SNDTIMEO": -1,
    "SNDHWM": 1000,
    "RCVHWM": 1000,
    "AFFINITY": 0,
    "MAXMSGSIZE": -1,
    "RCVMORE": 0,
    "IPV6": 0,
    "IMMEDIATE": 0,
    "RECONNECT_IVL": 100,
    "RECONNECT_IVL_MAX": 0,
    "BACKLOG": 100,
    "SNDBUF": -1,
    "RCVBUF": -1,
    "RATE": 100,
    "MULTICAST_HOPS": 1,
    "TCP_KEEPALIVE": -1,
    "HANDSHAKE_IVL": 30000,
    "MECHANISM": 0,
    "PLAIN_SERVER": 0,
    "CONFLATE": 0,
    "TOS": 0,
    "THREAD_SAFE": 0,
    "HEARTBEAT_IVL": 0,
    "CONNECT_TIMEOUT": 0,
    "TCP_MAXRT": 0,
}

BYTES_OPTIONS = ["ROUTING_ID", "IDENTITY", "LAST_ENDPOINT", "ZAP_DOMAIN",
                 "PLAIN_USERNAME", "PLAIN_PASSWORD", "SOCKS_PROXY"]


# --- types and defaults -------------------------------------------------------------------


@pytest.mark.parametrize("name, default", sorted(INT_OPTIONS_WITH_DEFAULTS.items()))
def test_int_option_default_and_type(socket, ctx, name, default):
    # the fixture forces linger=0, so read LINGER from an untouched socket
    s = ctx.socket(zmq.DEALER) if name == "LINGER" else socket(zmq.DEALER)
    option = getattr(zmq, name)
    value = s.getsockopt(option)
    assert type(value) is int
    assert value == default
    assert s.get(option) == default
    assert getattr(s, name.lower()) == default
    s.linger = 0


@pytest.mark.parametrize("name", BYTES_OPTIONS)
def test_bytes_option_type(socket, name):
    s = socket(zmq.DEALER)
    value = s.getsockopt(getattr(zmq, name))
    assert type(value) is bytes
    assert value == b""
    assert getattr(s, name.lower()) == b""


def test_type_option_values(socket):
    s = socket(zmq.ROUTER)
    assert s.getsockopt(zmq.TYPE) == zmq.ROUTER
    assert isinstance(s.getsockopt(zmq.TYPE), int)


def test_fd_option_is_int(socket):
    s = socket(zmq.PAIR)
    assert type(s.getsockopt(zmq.FD)) is int
    assert type(s.fd) is int


def test_events_option_is_int(socket):
    s = socket(zmq.PAIR)
    assert isinstance(s.getsockopt(zmq.EVENTS), int)


# --- set/get forms -----------------------------------------------------------------------------


def test_setsockopt_getsockopt(socket):
    s = socket(zmq.DEALER)
    s.setsockopt(zmq.LINGER, 250)
    assert s.getsockopt(zmq.LINGER) == 250
    s.set(zmq.SNDHWM, 42)
    assert s.get(zmq.SNDHWM) == 42
    s.setsockopt(zmq.MAXMSGSIZE, 2**40)
    assert s.getsockopt(zmq.MAXMSGSIZE) == 2**40
    s.setsockopt(zmq.AFFINITY, 3)
    assert s.affinity == 3


def test_attribute_style(socket):
    s = socket(zmq.DEALER)
    s.linger = 0
    assert s.linger == 0
    s.rcvtimeo = 123
    assert s.rcvtimeo == 123
    assert s.getsockopt(zmq.RCVTIMEO) == 123
    s.sndtimeo = 5
    assert s.get(zmq.SNDTIMEO) == 5
    # upper-case attribute names work too
    s.LINGER = 7
    assert s.LINGER == 7
    assert s.linger == 7


def test_bool_is_accepted_for_int_option(socket):
    s = socket(zmq.DEALER)
    s.setsockopt(zmq.IMMEDIATE, True)
    assert s.immediate == 1


def test_identity_and_routing_id(socket):
    s = socket(zmq.DEALER)
    s.identity = b"ident-1"
    assert s.identity == b"ident-1"
    assert s.routing_id == b"ident-1"
    assert s.getsockopt(zmq.IDENTITY) == b"ident-1"
    assert s.get(zmq.ROUTING_ID) == b"ident-1"
    s.routing_id = b"ident-2"
    assert s.identity == b"ident-2"
    s.setsockopt(zmq.ROUTING_ID, b"\x00\x01binary")
    assert s.routing_id == b"\x00\x01binary"


def test_routing_id_is_used_by_router(socket):
    router = socket(zmq.ROUTER)
    dealer = socket(zmq.DEALER)
    dealer.routing_id = b"me"
    router.bind("inproc://opt-routing-id")
    dealer.connect("inproc://opt-routing-id")
    router.rcvtimeo = 2000
    dealer.send(b"hi")
    assert router.recv_multipart() == [b"me", b"hi"]


def test_last_endpoint(socket):
    s = socket(zmq.PAIR)
    assert s.last_endpoint == b""
    s.bind("inproc://opt-last-endpoint")
    assert s.last_endpoint == b"inproc://opt-last-endpoint"
    s.bind("tcp://127.0.0.1:*")
    endpoint = s.last_endpoint
    assert type(endpoint) is bytes
    assert endpoint.startswith(b"tcp://127.0.0.1:")
    assert s.getsockopt_string(zmq.LAST_ENDPOINT) == endpoint.decode()


def test_last_endpoint_is_read_only(socket):
    s = socket(zmq.PAIR)
    with pytest.raises(zmq.ZMQError) as info:
        s.last_endpoint = b"tcp://127.0.0.1:1"
    assert info.value.errno == errno.EINVAL


@pytest.mark.parametrize("name", ["TYPE", "RCVMORE", "EVENTS", "FD"])
def test_read_only_options_cannot_be_set(socket, name):
    s = socket(zmq.PAIR)
    with pytest.raises(zmq.ZMQError) as info:
        s.setsockopt(getattr(zmq, name), 1)
    assert info.value.errno == errno.EINVAL


def test_string_variants(socket):
    s = socket(zmq.DEALER)
    s.setsockopt_string(zmq.IDENTITY, "h\u00e9")
    assert s.identity == "h\u00e9".encode("utf-8")
    value = s.getsockopt_string(zmq.IDENTITY)
    assert value == "h\u00e9"
    assert type(value) is str
    s.set_string(zmq.ROUTING_ID, "abc")
    assert s.get_string(zmq.ROUTING_ID) == "abc"


def test_string_variants_with_encoding(socket):
    s = socket(zmq.DEALER)
    s.setsockopt_string(zmq.IDENTITY, "h\u00e9", encoding="latin-1")
    assert s.identity == b"h\xe9"
    assert s.getsockopt_string(zmq.IDENTITY, encoding="latin-1") == "h\u00e9"


def test_unicode_aliases(socket):
    s = socket(zmq.DEALER)
    s.setsockopt_unicode(zmq.IDENTITY, "uni")
    assert s.getsockopt_unicode(zmq.IDENTITY) == "uni"


def test_setsockopt_string_rejects_bytes(socket):
    s = socket(zmq.DEALER)
    with pytest.raises(TypeError):
        s.setsockopt_string(zmq.IDENTITY, b"bytes")


def test_setsockopt_string_on_int_option(socket):
    s = socket(zmq.DEALER)
    with pytest.raises(TypeError):
        s.setsockopt_string(zmq.LINGER, "5")


def test_getsockopt_string_on_int_option(socket):
    s = socket(zmq.DEALER)
    with pytest.raises(TypeError):
        s.getsockopt_string(zmq.LINGER)


# --- hwm ---------------------------------------------------------------------------------------------


def test_hwm_attribute_sets_both(socket):
    s = socket(zmq.DEALER)
    assert s.hwm == 1000
    s.hwm = 5
    assert s.sndhwm == 5
    assert s.rcvhwm == 5
    assert s.hwm == 5


def test_get_set_hwm(socket):
    s = socket(zmq.DEALER)
    assert s.get_hwm() == 1000
    s.set_hwm(7)
    assert (s.sndhwm, s.rcvhwm) == (7, 7)
    assert s.get_hwm() == 7


def test_hwm_option_number_is_not_accepted_by_libzmq(socket):
    # the combined HWM only exists as a convenience attribute
    s = socket(zmq.DEALER)
    with pytest.raises(zmq.ZMQError) as info:
        s.setsockopt(zmq.HWM, 10)
    assert info.value.errno == errno.EINVAL
    with pytest.raises(zmq.ZMQError):
        s.getsockopt(zmq.HWM)


# --- unknown names and numbers -----------------------------------------------------------------------


def test_unknown_attribute_get(socket):
    s = socket(zmq.PAIR)
    with pytest.raises(AttributeError):
        s.not_an_option


def test_unknown_attribute_set(socket):
    s = socket(zmq.PAIR)
    with pytest.raises(AttributeError):
        s.not_an_option = 1


def test_hasattr_false_for_unknown(socket):
    s = socket(zmq.PAIR)
    assert not hasattr(s, "definitely_not_an_option")
    assert hasattr(s, "linger")


def test_subclass_attributes_need_class_declaration(ctx):
    class WithState(zmq.Socket):
        note = None

    s = ctx.socket(zmq.PAIR, socket_class=WithState)
    s.linger = 0
    s.note = "stored"
    assert s.note == "stored"
    with pytest.raises(AttributeError):
        s.undeclared = 1


def test_unknown_option_number_get(socket):
    s = socket(zmq.PAIR)
    with pytest.raises(zmq.ZMQError) as info:
        s.getsockopt(9999)
    assert info.value.errno == errno.EINVAL


def test_unknown_option_number_set(socket):
    s = socket(zmq.PAIR)
    with pytest.raises(zmq.ZMQError) as info:
        s.setsockopt(9999, 1)
    assert info.value.errno == errno.EINVAL


def test_option_must_be_int(socket):
    s = socket(zmq.PAIR)
    with pytest.raises(TypeError):
        s.getsockopt("LINGER")


def test_option_not_valid_for_socket_type(socket):
    s = socket(zmq.DEALER)
    with pytest.raises(zmq.ZMQError) as info:
        s.setsockopt(zmq.SUBSCRIBE, b"x")
    assert info.value.errno == errno.EINVAL


# --- wrong value types and ranges --------------------------------------------------------------------


@pytest.mark.parametrize("value", ["x", b"x", 1.5, None])
def test_int_option_wrong_type(socket, value):
    s = socket(zmq.PAIR)
    with pytest.raises(TypeError):
        s.setsockopt(zmq.LINGER, value)


def test_int_option_str_via_attribute(socket):
    s = socket(zmq.PAIR)
    with pytest.raises(TypeError):
        s.linger = "x"
    with pytest.raises(TypeError):
        s.set(zmq.LINGER, "x")


@pytest.mark.parametrize("value", [5, "text", None])
def test_bytes_option_wrong_type(socket, value):
    s = socket(zmq.DEALER)
    with pytest.raises(TypeError):
        s.setsockopt(zmq.IDENTITY, value)


def test_int_option_too_large(socket):
    s = socket(zmq.PAIR)
    with pytest.raises(OverflowError):
        s.setsockopt(zmq.LINGER, 2**40)


@pytest.mark.parametrize("name", ["LINGER", "SNDHWM"])
def test_int_option_out_of_range(socket, name):
    s = socket(zmq.PAIR)
    with pytest.raises(zmq.ZMQError) as info:
        s.setsockopt(getattr(zmq, name), -5)
    assert info.value.errno == errno.EINVAL


def test_failed_set_leaves_value(socket):
    s = socket(zmq.PAIR)
    s.sndhwm = 10
    with pytest.raises(zmq.ZMQError):
        s.sndhwm = -5
    assert s.sndhwm == 10


# --- timeouts -------------------------------------------------------------------------------------


def test_rcvtimeo_makes_recv_raise_again(socket):
    s = socket(zmq.PULL)
    s.rcvtimeo = 10
    s.bind("inproc://opt-rcvtimeo")
    with pytest.raises(zmq.Again) as info:
        s.recv()
    assert info.value.errno == errno.EAGAIN
    with pytest.raises(zmq.Again):
        s.recv_multipart()


def test_sndtimeo_makes_send_raise_again(socket):
    s = socket(zmq.PUSH)  # no peer, so a send would block
    s.sndtimeo = 10
    with pytest.raises(zmq.Again):
        s.send(b"x")
    with pytest.raises(zmq.Again):
        s.send_multipart([b"a", b"b"])


def test_rcvtimeo_zero_is_nonblocking(socket):
    s = socket(zmq.PULL)
    s.rcvtimeo = 0
    with pytest.raises(zmq.Again):
        s.recv()


# --- subscriptions via options -------------------------------------------------------------------------


def test_subscribe_via_setsockopt_string(socket):
    pub = socket(zmq.PUB)
    sub = socket(zmq.SUB)
    pub.bind("inproc://opt-subscribe")
    sub.connect("inproc://opt-subscribe")
    sub.setsockopt_string(zmq.SUBSCRIBE, "wanted")
    sub.setsockopt(zmq.SUBSCRIBE, b"also")
    received = None
    for _ in range(500):
        pub.send(b"unwanted")
        pub.send(b"wanted-1")
        if sub.poll(10):
            received = sub.recv()
            break
    assert received == b"wanted-1"


def test_subscribe_option_rejects_str_via_setsockopt(socket):
    sub = socket(zmq.SUB)
    with pytest.raises(TypeError):
        sub.setsockopt(zmq.SUBSCRIBE, "text")


def test_subscribe_is_write_only(socket):
    sub = socket(zmq.SUB)
    with pytest.raises(zmq.ZMQError) as info:
        sub.getsockopt(zmq.SUBSCRIBE)
    assert info.value.errno == errno.EINVAL


# --- security-related bytes options ------------------------------------------------------------------


def test_plain_credentials_are_bytes(socket):
    s = socket(zmq.DEALER)
    s.plain_username = b"user"
    s.plain_password = b"pass"
    assert s.plain_username == b"user"
    assert s.plain_password == b"pass"
    assert s.mechanism == zmq.PLAIN


def test_zap_domain(socket):
    s = socket(zmq.DEALER)
    s.zap_domain = b"global"
    assert s.getsockopt(zmq.ZAP_DOMAIN) == b"global"
    assert s.getsockopt_string(zmq.ZAP_DOMAIN) == "global"
