"""Constants: module-level ints that are also members of the public enum classes."""

import enum
import errno

import pytest

import zmq
import zmq.constants

INT_ENUMS = [
    "SocketType",
    "SocketOption",
    "Errno",
    "ContextOption",
    "MessageOption",
    "SecurityMechanism",
    "DeviceType",
    "ReconnectStop",
    "RouterNotify",
    "NormMode",
]
INT_FLAGS = ["Event", "Flag", "PollEvent"]
ALL_ENUMS = INT_ENUMS + INT_FLAGS

# Module-level names carry a prefix for some enums so that short member names
# such as CONNECTED or FIXED do not collide at module level.
MODULE_PREFIX = {
    "Event": "EVENT_",
    "ReconnectStop": "RECONNECT_STOP_",
    "RouterNotify": "NOTIFY_",
    "NormMode": "NORM_",
}

# libzmq offsets its own error numbers from this base to avoid clashing with
# the platform's errno values.
ZMQ_HAUSNUMERO = 156384712


def module_name(enum_name, member_name):
    if enum_name == "Event" and member_name.startswith("PROTOCOL_ERROR_"):
        return member_name
    return MODULE_PREFIX.get(enum_name, "") + member_name


def all_members():
    for enum_name in ALL_ENUMS:
        cls = getattr(zmq, enum_name)
        for member_name, member in cls.__members__.items():
            yield enum_name, member_name, member


@pytest.mark.parametrize("name", ALL_ENUMS)
def test_enum_class_exported_from_zmq_and_constants(name):
    assert getattr(zmq, name) is getattr(zmq.constants, name)
    assert name in zmq.__all__
    assert name in zmq.constants.__all__


@pytest.mark.parametrize("name", INT_ENUMS)
def test_int_enum_classes(name):
    cls = getattr(zmq, name)
    assert issubclass(cls, enum.IntEnum)
    assert len(cls.__members__) > 0


@pytest.mark.parametrize("name", INT_FLAGS)
def test_int_flag_classes(name):
    cls = getattr(zmq, name)
    assert issubclass(cls, enum.IntFlag)


def test_every_enum_member_is_a_module_attribute():
    missing = []
    for enum_name, member_name, member in all_members():
        attr = module_name(enum_name, member_name)
        value = getattr(zmq, attr, None)
        if value is not member:
            missing.append((enum_name, member_name, attr, value))
        elif getattr(zmq.constants, attr) is not member:
            missing.append((enum_name, member_name, "constants." + attr, value))
        elif attr not in zmq.constants.__all__:
            missing.append((enum_name, member_name, "__all__", attr))
    assert missing == []


def test_module_constants_are_ints():
    for enum_name, member_name, member in all_members():
        value = getattr(zmq, module_name(enum_name, member_name))
        assert isinstance(value, int)
        assert int(value) == member.value


def test_socket_types():
    expected = {
        "PAIR": 0,
        "PUB": 1,
        "SUB": 2,
        "REQ": 3,
        "REP": 4,
        "DEALER": 5,
        "ROUTER": 6,
        "PULL": 7,
        "PUSH": 8,
        "XPUB": 9,
        "XSUB": 10,
        "STREAM": 11,
        "SERVER": 12,
        "CLIENT": 13,
        "RADIO": 14,
        "DISH": 15,
        "GATHER": 16,
        "SCATTER": 17,
        "DGRAM": 18,
        "PEER": 19,
        "CHANNEL": 20,
    }
    for name, value in expected.items():
        assert getattr(zmq, name) == value, name
        assert zmq.SocketType[name] == value
        assert zmq.SocketType(value).name == name


def test_socket_type_legacy_aliases():
    assert zmq.XREQ is zmq.DEALER
    assert zmq.XREP is zmq.ROUTER
    assert zmq.SocketType["XREQ"] is zmq.SocketType.DEALER
    # lookup by value yields the canonical name, not the alias
    assert zmq.SocketType(5).name == "DEALER"
    assert zmq.SocketType(6).name == "ROUTER"


def test_unknown_enum_value_raises_value_error():
    with pytest.raises(ValueError):
        zmq.SocketType(99)
    with pytest.raises(KeyError):
        zmq.SocketType["NOT_A_SOCKET"]


def test_flags():
    assert zmq.DONTWAIT == 1
    assert zmq.NOBLOCK == 1
    assert zmq.NOBLOCK is zmq.DONTWAIT
    assert zmq.SNDMORE == 2
    assert isinstance(zmq.DONTWAIT, zmq.Flag)
    combined = zmq.DONTWAIT | zmq.SNDMORE
    assert combined == 3
    assert isinstance(combined, zmq.Flag)
    assert zmq.SNDMORE in combined


def test_poll_events():
    assert zmq.POLLIN == 1
    assert zmq.POLLOUT == 2
    assert zmq.POLLERR == 4
    assert zmq.POLLPRI == 8
    both = zmq.POLLIN | zmq.POLLOUT
    assert both == 3
    assert isinstance(both, zmq.PollEvent)
    assert zmq.PollEvent(3) == both
    assert both & zmq.POLLOUT == zmq.POLLOUT


def test_monitor_events():
    expected = {
        "EVENT_CONNECTED": 0x0001,
        "EVENT_CONNECT_DELAYED": 0x0002,
        "EVENT_CONNECT_RETRIED": 0x0004,
        "EVENT_LISTENING": 0x0008,
        "EVENT_BIND_FAILED": 0x0010,
        "EVENT_ACCEPTED": 0x0020,
        "EVENT_ACCEPT_FAILED": 0x0040,
        "EVENT_CLOSED": 0x0080,
        "EVENT_CLOSE_FAILED": 0x0100,
        "EVENT_DISCONNECTED": 0x0200,
        "EVENT_MONITOR_STOPPED": 0x0400,
        "EVENT_HANDSHAKE_FAILED_NO_DETAIL": 0x0800,
        "EVENT_HANDSHAKE_SUCCEEDED": 0x1000,
        "EVENT_HANDSHAKE_FAILED_PROTOCOL": 0x2000,
        "EVENT_HANDSHAKE_FAILED_AUTH": 0x4000,
        "EVENT_ALL": 0xFFFF,
        "EVENT_ALL_V1": 0xFFFF,
        "EVENT_PIPES_STATS": 0x10000,
        "EVENT_ALL_V2": 0x1FFFF,
        "PROTOCOL_ERROR_ZMTP_UNSPECIFIED": 0x10000000,
        "PROTOCOL_ERROR_ZMTP_UNEXPECTED_COMMAND": 0x10000001,
        "PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH": 0x11000002,
        "PROTOCOL_ERROR_ZAP_UNSPECIFIED": 0x20000000,
        "PROTOCOL_ERROR_ZAP_INVALID_METADATA": 0x20000005,
        "PROTOCOL_ERROR_WS_UNSPECIFIED": 0x30000000,
    }
    for name, value in expected.items():
        assert getattr(zmq, name) == value, name
        assert isinstance(getattr(zmq, name), zmq.Event), name
    assert zmq.Event.CONNECTED is zmq.EVENT_CONNECTED
    assert zmq.Event.ALL is zmq.EVENT_ALL


def test_events_combine_as_flags():
    mask = zmq.EVENT_CONNECTED | zmq.EVENT_DISCONNECTED
    assert mask == 0x201
    assert isinstance(mask, zmq.Event)
    assert zmq.EVENT_CONNECTED in mask
    assert zmq.EVENT_ACCEPTED not in mask
    assert zmq.EVENT_ALL & zmq.EVENT_CLOSED == zmq.EVENT_CLOSED


def test_socket_option_values():
    expected = {
        "AFFINITY": 4,
        "ROUTING_ID": 5,
        "IDENTITY": 5,
        "SUBSCRIBE": 6,
        "UNSUBSCRIBE": 7,
        "RATE": 8,
        "RECOVERY_IVL": 9,
        "SNDBUF": 11,
        "RCVBUF": 12,
        "RCVMORE": 13,
        "FD": 14,
        "EVENTS": 15,
        "TYPE": 16,
        "LINGER": 17,
        "RECONNECT_IVL": 18,
        "BACKLOG": 19,
        "RECONNECT_IVL_MAX": 21,
        "MAXMSGSIZE": 22,
        "SNDHWM": 23,
        "RCVHWM": 24,
        "MULTICAST_HOPS": 25,
        "RCVTIMEO": 27,
        "SNDTIMEO": 28,
        "IPV4ONLY": 31,
        "LAST_ENDPOINT": 32,
        "ROUTER_MANDATORY": 33,
        "TCP_KEEPALIVE": 34,
        "TCP_KEEPALIVE_CNT": 35,
        "TCP_KEEPALIVE_IDLE": 36,
        "TCP_KEEPALIVE_INTVL": 37,
        "IMMEDIATE": 39,
        "DELAY_ATTACH_ON_CONNECT": 39,
        "XPUB_VERBOSE": 40,
        "ROUTER_RAW": 41,
        "IPV6": 42,
        "MECHANISM": 43,
        "PLAIN_SERVER": 44,
        "PLAIN_USERNAME": 45,
        "PLAIN_PASSWORD": 46,
        "CURVE_SERVER": 47,
        "CURVE_PUBLICKEY": 48,
        "CURVE_SECRETKEY": 49,
        "CURVE_SERVERKEY": 50,
        "PROBE_ROUTER": 51,
        "REQ_CORRELATE": 52,
        "REQ_RELAXED": 53,
        "CONFLATE": 54,
        "ZAP_DOMAIN": 55,
        "ROUTER_HANDOVER": 56,
        "TOS": 57,
        "CONNECT_ROUTING_ID": 61,
        "CONNECT_RID": 61,
        "GSSAPI_SERVER": 62,
        "HANDSHAKE_IVL": 66,
        "SOCKS_PROXY": 68,
        "XPUB_NODROP": 69,
        "BLOCKY": 70,
        "XPUB_MANUAL": 71,
        "XPUB_WELCOME_MSG": 72,
        "STREAM_NOTIFY": 73,
        "INVERT_MATCHING": 74,
        "HEARTBEAT_IVL": 75,
        "HEARTBEAT_TTL": 76,
        "HEARTBEAT_TIMEOUT": 77,
        "XPUB_VERBOSER": 78,
        "CONNECT_TIMEOUT": 79,
        "TCP_MAXRT": 80,
        "THREAD_SAFE": 81,
        "MULTICAST_MAXTPDU": 84,
        "USE_FD": 89,
        "BINDTODEVICE": 92,
        "ZAP_ENFORCE_DOMAIN": 93,
        "LOOPBACK_FASTPATH": 94,
        "METADATA": 95,
        "MULTICAST_LOOP": 96,
        "ROUTER_NOTIFY": 97,
        "XPUB_MANUAL_LAST_VALUE": 98,
        "SOCKS_USERNAME": 99,
        "SOCKS_PASSWORD": 100,
        "IN_BATCH_SIZE": 101,
        "OUT_BATCH_SIZE": 102,
        "ONLY_FIRST_SUBSCRIBE": 108,
        "RECONNECT_STOP": 109,
        "HELLO_MSG": 110,
        "DISCONNECT_MSG": 111,
        "PRIORITY": 112,
    }
    for name, value in expected.items():
        assert getattr(zmq, name) == value, name
        assert isinstance(getattr(zmq, name), zmq.SocketOption), name
    # HWM is kept for libzmq 2 compatibility and handled specially by sockets
    assert zmq.HWM == 1


def test_socket_option_aliases_are_the_same_member():
    assert zmq.IDENTITY is zmq.ROUTING_ID
    assert zmq.CONNECT_RID is zmq.CONNECT_ROUTING_ID
    assert zmq.DELAY_ATTACH_ON_CONNECT is zmq.IMMEDIATE
    assert zmq.FAIL_UNROUTABLE is zmq.ROUTER_MANDATORY
    assert zmq.ROUTER_BEHAVIOR is zmq.ROUTER_MANDATORY


def test_context_options():
    assert zmq.IO_THREADS == 1
    assert zmq.MAX_SOCKETS == 2
    assert zmq.SOCKET_LIMIT == 3
    assert zmq.THREAD_PRIORITY == 3
    assert zmq.THREAD_SCHED_POLICY == 4
    assert zmq.MAX_MSGSZ == 5
    assert zmq.MSG_T_SIZE == 6
    assert zmq.THREAD_AFFINITY_CPU_ADD == 7
    assert zmq.THREAD_AFFINITY_CPU_REMOVE == 8
    assert zmq.THREAD_NAME_PREFIX == 9
    for name in ["IO_THREADS", "MAX_SOCKETS", "SOCKET_LIMIT", "MSG_T_SIZE"]:
        assert isinstance(getattr(zmq, name), zmq.ContextOption)


def test_message_options():
    assert zmq.MORE == 1
    assert zmq.SRCFD == 2
    assert zmq.SHARED == 3
    assert isinstance(zmq.MORE, zmq.MessageOption)


def test_security_mechanisms():
    assert (zmq.NULL, zmq.PLAIN, zmq.CURVE, zmq.GSSAPI) == (0, 1, 2, 3)
    assert isinstance(zmq.CURVE, zmq.SecurityMechanism)


def test_device_types():
    assert (zmq.STREAMER, zmq.FORWARDER, zmq.QUEUE) == (1, 2, 3)
    assert isinstance(zmq.QUEUE, zmq.DeviceType)


def test_misc_small_enums():
    assert zmq.NOTIFY_CONNECT == 1
    assert zmq.NOTIFY_DISCONNECT == 2
    assert zmq.RECONNECT_STOP_CONN_REFUSED == 1
    assert zmq.RECONNECT_STOP_HANDSHAKE_FAILED == 2


def _header_defines():
    """The integer #defines of the zmq.h the package was built against."""
    import os
    import re

    with open(os.path.join(zmq.get_includes()[0], "zmq.h")) as f:
        text = f.read()
    return {m.group(1): int(m.group(2), 0)
            for m in re.finditer(r"^#define ZMQ_(\w+) (0x[0-9A-Fa-f]+|\d+)\s*$", text, re.M)}


def test_values_come_from_the_shipped_header():
    # e.g. RECONNECT_STOP_AFTER_DISCONNECT is 3 in libzmq 4.3.4's header and 4
    # from 4.3.5 on: the package must use the value of the libzmq it carries.
    defines = _header_defines()
    compared = 0
    for name, value in defines.items():
        constant = getattr(zmq, name, None)
        if isinstance(constant, int) and not name.startswith(("VERSION", "HAS_")):
            assert constant == value, name
            compared += 1
    assert compared > 150
    assert zmq.RECONNECT_STOP_AFTER_DISCONNECT == defines["RECONNECT_STOP_AFTER_DISCONNECT"]


def test_errno_values_match_platform():
    checked = 0
    for name, member in zmq.Errno.__members__.items():
        if hasattr(errno, name):
            assert member == getattr(errno, name), name
            checked += 1
    # the classic POSIX codes must all be present
    for name in ["EAGAIN", "EINVAL", "EFAULT", "ENOTSOCK", "EPROTONOSUPPORT",
                 "EADDRINUSE", "EHOSTUNREACH", "ENOTSUP", "EMSGSIZE"]:
        assert name in zmq.Errno.__members__
    assert checked >= 20


def test_zmq_specific_errnos():
    assert zmq.EFSM == ZMQ_HAUSNUMERO + 51
    assert zmq.ENOCOMPATPROTO == ZMQ_HAUSNUMERO + 52
    assert zmq.ETERM == ZMQ_HAUSNUMERO + 53
    assert zmq.EMTHREAD == ZMQ_HAUSNUMERO + 54
    for name in ["EFSM", "ENOCOMPATPROTO", "ETERM", "EMTHREAD", "EAGAIN"]:
        assert isinstance(getattr(zmq, name), zmq.Errno)


def test_enum_members_behave_as_ints():
    assert zmq.PUSH + 0 == 8
    assert zmq.SocketType(8) is zmq.PUSH
    assert zmq.Errno(errno.EAGAIN) is zmq.EAGAIN
    assert {zmq.PAIR: "x"}[0] == "x"
    assert zmq.SocketOption.LINGER.name == "LINGER"
    assert zmq.SocketOption.LINGER.value == 17


def test_copy_threshold_and_draft_flag():
    assert type(zmq.COPY_THRESHOLD) is int
    assert zmq.COPY_THRESHOLD > 0
    assert type(zmq.DRAFT_API) is bool


# Options of libzmq 4.3.5 that pyzmq 27 knows, with pyzmq's values.
LATER_LIBZMQ_OPTIONS = {
    "BUSY_POLL": 113, "HICCUP_MSG": 114, "XSUB_VERBOSE_UNSUBSCRIBE": 115, "TOPICS_COUNT": 116,
    "NORM_MODE": 117, "NORM_UNICAST_NACK": 118, "NORM_BUFFER_SIZE": 119, "NORM_SEGMENT_SIZE": 120,
    "NORM_BLOCK_SIZE": 121, "NORM_NUM_PARITY": 122, "NORM_NUM_AUTOPARITY": 123, "NORM_PUSH": 124,
}


@pytest.mark.parametrize("name,value", sorted(LATER_LIBZMQ_OPTIONS.items()))
def test_later_libzmq_options_exist(name, value):
    option = getattr(zmq, name)
    assert option == value
    assert option is zmq.SocketOption[name]
    assert name in zmq.__all__


def test_norm_mode_enum():
    assert [(m.name, int(m)) for m in zmq.NormMode] == [
        ("FIXED", 0), ("CC", 1), ("CCL", 2), ("CCE", 3), ("CCE_ECNONLY", 4)]
    assert zmq.NORM_CCE is zmq.NormMode.CCE


@pytest.mark.skipif(zmq.zmq_version_info() >= (4, 3, 5), reason="libzmq knows the 4.3.5 options")
@pytest.mark.parametrize("name,value", [("busy_poll", 1), ("xsub_verbose_unsubscribe", 1),
                                        ("hiccup_msg", b"hiccup"), ("norm_mode", 1)])
def test_later_libzmq_option_fails_on_this_libzmq(socket, name, value):
    # Unknown to libzmq 4.3.4: refused with EINVAL, never silently ignored.
    s = socket(zmq.XSUB)
    with pytest.raises(zmq.ZMQError) as info:
        setattr(s, name, value)
    assert info.value.errno == zmq.EINVAL
    with pytest.raises(zmq.ZMQError) as info:
        s.get(zmq.TOPICS_COUNT)
    assert info.value.errno == zmq.EINVAL


def test_enum_helpers_are_exported():
    # pyzmq's zmq.constants exports the enum base classes too.
    assert zmq.IntEnum is enum.IntEnum and zmq.IntFlag is enum.IntFlag and zmq.Enum is enum.Enum


def test_backend_constants():
    import sys

    from zmq.backend import IPC_PATH_MAX_LEN, PYZMQ_DRAFT_API

    assert zmq.IPC_PATH_MAX_LEN is IPC_PATH_MAX_LEN
    if sys.platform.startswith("linux"):
        assert IPC_PATH_MAX_LEN == 107
    assert type(PYZMQ_DRAFT_API) is bool
    assert zmq.PYZMQ_DRAFT_API is PYZMQ_DRAFT_API
    assert zmq.DRAFT_API == (PYZMQ_DRAFT_API and zmq.has("draft"))
