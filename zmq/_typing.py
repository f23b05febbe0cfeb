"""Typing names the package uses on every Python it supports."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if sys.version_info >= (3, 10):
    from typing import TypeAlias
elif TYPE_CHECKING:
    from typing_extensions import TypeAlias
else:  # pragma: no cover - Python 3.9
    # At run time only annotations name it, and they are never evaluated;
    # typing_extensions would bring inspect into every process that imports zmq.
    from typing import Any as TypeAlias

__all__ = ["TypeAlias"]
