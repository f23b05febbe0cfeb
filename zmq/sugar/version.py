"""Versions of this package and of the libzmq it runs on."""

from __future__ import annotations

import re

from zmq._version import __version__
from zmq.backend import zmq_version_info

__all__ = ["zmq_version", "zmq_version_info", "pyzmq_version", "pyzmq_version_info", "__version__",
           "__revision__"]

# A source checkout's revision; empty for a release.
__revision__ = ""

_match = re.match(r"(\d+)\.(\d+)\.(\d+)(.*)", __version__)
VERSION_MAJOR, VERSION_MINOR, VERSION_PATCH = (int(p) for p in _match.groups()[:3])  # type: ignore[union-attr]
VERSION_EXTRA = _match.group(4)  # type: ignore[union-attr]

version_info: tuple[int, int, int] | tuple[int, int, int, str] = (
    (VERSION_MAJOR, VERSION_MINOR, VERSION_PATCH) + ((VERSION_EXTRA,) if VERSION_EXTRA else ())
)


def zmq_version() -> str:
    """The linked libzmq's version, e.g. '4.3.4'."""
    return "%i.%i.%i" % zmq_version_info()


def pyzmq_version() -> str:
    """This package's version string."""
    return __version__


def pyzmq_version_info() -> tuple[int, int, int] | tuple[int, int, int, str]:
    """This package's version as a tuple of ints, with any pre/dev suffix last."""
    return version_info
