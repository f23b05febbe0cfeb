"""Typing names the package uses on every Python it supports."""

from __future__ import annotations

import sys

if sys.version_info >= (3, 10):
    from typing import TypeAlias
else:  # pragma: no cover - Python 3.9
    try:
        from typing_extensions import TypeAlias
    except ImportError:
        # Only annotations use it; at run time any object serves.
        from typing import Any as TypeAlias

__all__ = ["TypeAlias"]
