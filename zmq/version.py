"""Versions of this package and of the libzmq it runs on."""

from __future__ import annotations

import re

from zmq._version import __version__
from zmq.backend import zmq_version_info

__all__ = ["zmq_version", "zmq_version_info", "pyzmq_version", "pyzmq_version_info", "__version__"]

VERSION_MAJOR, VERSION_MINOR, VERSION_PATCH = (int(p) for p in re.findall(r"\d+", __version__)[:3])


def zmq_version() -> str:
    """The linked libzmq's version, e.g. '4.3.4'."""
    return "%i.%i.%i" % zmq_version_info()


def pyzmq_version() -> str:
    """This package's version string."""
    return __version__


def pyzmq_version_info() -> tuple:
    """This package's version as a tuple of ints, with any pre/dev suffix last."""
    parts = re.match(r"(\d+)\.(\d+)\.(\d+)(.*)", __version__)
    numbers = tuple(int(p) for p in parts.groups()[:3])
    return numbers + ((parts.group(4),) if parts.group(4) else ())
