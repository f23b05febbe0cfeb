"""The backend: the compiled core that the rest of the zmq package is built on.

This package has one backend, the Cython extension `zmq.backend.cython`.
PYZMQ_BACKEND may name it ('cython' or 'zmq.backend.cython'); pyzmq's other
backend, cffi, does not exist here.
"""

import os

from zmq.backend.select import public_api, select_backend

_name = os.environ.get("PYZMQ_BACKEND") or "cython"
if _name in ("cython", "cffi"):
    _name = f"zmq.backend.{_name}"
if _name == "zmq.backend.cffi":
    raise ImportError("PYZMQ_BACKEND=cffi: this package has only the cython backend (zmq.backend.cython)")

globals().update(select_backend(_name))
del _name

__all__ = list(public_api)
