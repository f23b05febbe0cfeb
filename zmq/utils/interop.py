"""Turning the addresses other libraries hand out into the int that
Context.shadow and Socket.shadow take."""

from __future__ import annotations

from typing import Any


def cast_int_addr(n: Any) -> int:
    """The address n as an int: n itself if it is an int, or the address held
    by a cffi pointer (`<cdata 'void *'>`) or a ctypes c_void_p."""
    if isinstance(n, int):
        return n
    try:
        import cffi
    except ImportError:
        pass
    else:
        ffi = cffi.FFI()
        if isinstance(n, ffi.CData):
            return int(ffi.cast("size_t", n))
    value = getattr(n, "value", None)
    if type(n).__name__ == "c_void_p" and isinstance(value, int):
        return value
    raise ValueError(f"Cannot cast {n!r} to int")


def _shadow_address(obj: Any) -> int:
    # What Context.shadow and Socket.shadow wrap: the `underlying` of a zmq
    # object, or an address. Only ints (and the pointer objects cast_int_addr
    # knows): a float or str must not become an address. None is 0 (nothing).
    address = getattr(obj, "underlying", obj)
    if address is None:
        return 0
    return cast_int_addr(address)
