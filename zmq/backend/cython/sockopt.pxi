# Socket option values: which Python type each option takes and returns.

from libc.stdint cimport int64_t
from zmq.backend.cython.libzmq cimport zmq_setsockopt, zmq_getsockopt, ZMQ_FD

# The ZMQ_* option names come from the generated constant_names.pxi.

cdef enum OptKind:
    OPT_INT
    OPT_INT64
    OPT_BYTES       # text libzmq returns NUL-terminated
    OPT_BINARY      # arbitrary bytes, returned exactly
    OPT_FD

# Everything not listed is an int.
cdef dict _OPT_KINDS = {
    ZMQ_AFFINITY: OPT_INT64,
    ZMQ_MAXMSGSIZE: OPT_INT64,
    ZMQ_VMCI_BUFFER_SIZE: OPT_INT64,
    ZMQ_VMCI_BUFFER_MIN_SIZE: OPT_INT64,
    ZMQ_VMCI_BUFFER_MAX_SIZE: OPT_INT64,
    ZMQ_FD: OPT_FD,
    ZMQ_ROUTING_ID: OPT_BINARY,
    ZMQ_CONNECT_ROUTING_ID: OPT_BINARY,
    ZMQ_SUBSCRIBE: OPT_BINARY,
    ZMQ_UNSUBSCRIBE: OPT_BINARY,
    ZMQ_XPUB_WELCOME_MSG: OPT_BINARY,
    ZMQ_HELLO_MSG: OPT_BINARY,
    ZMQ_DISCONNECT_MSG: OPT_BINARY,
    ZMQ_HICCUP_MSG: OPT_BINARY,
    ZMQ_LAST_ENDPOINT: OPT_BYTES,
    ZMQ_TCP_ACCEPT_FILTER: OPT_BYTES,
    ZMQ_PLAIN_USERNAME: OPT_BYTES,
    ZMQ_PLAIN_PASSWORD: OPT_BYTES,
    ZMQ_CURVE_PUBLICKEY: OPT_BYTES,
    ZMQ_CURVE_SECRETKEY: OPT_BYTES,
    ZMQ_CURVE_SERVERKEY: OPT_BYTES,
    ZMQ_ZAP_DOMAIN: OPT_BYTES,
    ZMQ_GSSAPI_PRINCIPAL: OPT_BYTES,
    ZMQ_GSSAPI_SERVICE_PRINCIPAL: OPT_BYTES,
    ZMQ_SOCKS_PROXY: OPT_BYTES,
    ZMQ_BINDTODEVICE: OPT_BYTES,
    ZMQ_METADATA: OPT_BYTES,
    ZMQ_SOCKS_USERNAME: OPT_BYTES,
    ZMQ_SOCKS_PASSWORD: OPT_BYTES,
    ZMQ_WSS_KEY_PEM: OPT_BYTES,
    ZMQ_WSS_CERT_PEM: OPT_BYTES,
    ZMQ_WSS_TRUST_PEM: OPT_BYTES,
    ZMQ_WSS_HOSTNAME: OPT_BYTES,
}

# The largest value of a bytes option libzmq hands back (endpoints, PEM data).
cdef enum:
    _OPT_BUFFER_SIZE = 4096


cdef inline OptKind _opt_kind(int option):
    kind = _OPT_KINDS.get(option)
    return OPT_INT if kind is None else <OptKind>kind


def _option_is_bytes(int option):
    """Whether an option takes bytes (used by the *_string helpers)."""
    cdef OptKind kind = _opt_kind(option)
    return kind == OPT_BYTES or kind == OPT_BINARY


cdef int _setsockopt(void *handle, int option, object value) except -1:
    cdef OptKind kind = _opt_kind(option)
    cdef int int_value
    cdef int64_t int64_value
    if kind == OPT_BYTES or kind == OPT_BINARY:
        if isinstance(value, str):
            raise TypeError("unicode not allowed, use setsockopt_string")
        if not isinstance(value, bytes):
            raise TypeError(f"expected bytes, got: {value!r}")
        _check_rc(zmq_setsockopt(handle, option, <const char *>value, len(value)))
        return 0
    if isinstance(value, str):
        raise TypeError("unicode not allowed, use setsockopt_string")
    if not isinstance(value, int):
        raise TypeError(f"expected int, got: {value!r}")
    if kind == OPT_INT64:
        int64_value = value
        _check_rc(zmq_setsockopt(handle, option, &int64_value, sizeof(int64_t)))
    else:
        int_value = value
        _check_rc(zmq_setsockopt(handle, option, &int_value, sizeof(int)))
    return 0


cdef object _getsockopt(void *handle, int option):
    cdef OptKind kind = _opt_kind(option)
    cdef int int_value = 0
    cdef int64_t int64_value = 0
    cdef char buf[_OPT_BUFFER_SIZE]
    cdef size_t size
    if kind == OPT_INT64:
        size = sizeof(int64_t)
        _check_rc(zmq_getsockopt(handle, option, &int64_value, &size))
        return int64_value
    if kind == OPT_BYTES or kind == OPT_BINARY:
        # 41 asks libzmq for the Z85 text form of a CURVE key, not 32 raw bytes.
        if option == ZMQ_CURVE_PUBLICKEY or option == ZMQ_CURVE_SECRETKEY or option == ZMQ_CURVE_SERVERKEY:
            size = 41
        else:
            size = _OPT_BUFFER_SIZE
        _check_rc(zmq_getsockopt(handle, option, buf, &size))
        if kind == OPT_BYTES and size > 0 and buf[size - 1] == 0:
            size -= 1
        return buf[:size]
    size = sizeof(int)
    _check_rc(zmq_getsockopt(handle, option, &int_value, &size))
    return int_value
