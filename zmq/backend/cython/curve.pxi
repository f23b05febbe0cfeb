# CURVE key generation and Z85 text encoding of keys.

from zmq.backend.cython.libzmq cimport zmq_curve_keypair, zmq_curve_public, zmq_has, ENOTSUP


def curve_keypair():
    """A new CURVE key pair, (public, secret), each as 40 bytes of Z85 text."""
    cdef char public_key[41]
    cdef char secret_key[41]
    if zmq_has(b"curve") == 0:
        raise ZMQError(ENOTSUP, "libzmq was built without CURVE support")
    _check_rc(zmq_curve_keypair(public_key, secret_key))
    return public_key[:40], secret_key[:40]


def curve_public(secret_key):
    """The Z85 public key (40 bytes) belonging to a Z85 secret key."""
    cdef char public_key[41]
    if isinstance(secret_key, str):
        # Strictly as UTF-8, never with replacement characters: '?' is a Z85
        # digit, so a mangled key would silently give some other public key.
        secret_key = secret_key.encode("utf-8")
    elif isinstance(secret_key, (bytearray, memoryview)):
        secret_key = bytes(secret_key)
    if not isinstance(secret_key, bytes):
        raise TypeError(f"secret key must be bytes or str, not {type(secret_key).__name__}")
    if len(secret_key) != 40:
        raise ValueError(f"secret key must be 40 bytes of Z85 text, got {len(secret_key)} bytes")
    if zmq_has(b"curve") == 0:
        raise ZMQError(ENOTSUP, "libzmq was built without CURVE support")
    # Text that is not Z85 fails here with EINVAL.
    _check_rc(zmq_curve_public(public_key, secret_key))
    return public_key[:40]
