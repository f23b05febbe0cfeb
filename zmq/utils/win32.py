"""Ctrl-C on Windows: a console's Ctrl-C does not interrupt a thread blocked in
libzmq there, so allow_interrupt runs a handler for it while a block runs."""

from __future__ import annotations

import os
from typing import Any, Callable


class allow_interrupt:
    """Context manager: while its block runs, Ctrl-C calls `action` (default:
    raise KeyboardInterrupt in the main thread). Does nothing but run the
    block on other systems, where signals already interrupt blocking calls."""

    def __init__(self, action: Callable[[], Any] | None = None) -> None:
        self.action = action
        self._handler = None

    def __enter__(self) -> allow_interrupt:
        if os.name != "nt":
            return self
        import ctypes
        from ctypes import wintypes

        if self.action is None:
            import _thread

            action = _thread.interrupt_main
        else:
            action = self.action
        ctrl_c_event = 0

        @ctypes.WINFUNCTYPE(wintypes.BOOL, wintypes.DWORD)
        def handler(event: int) -> bool:
            if event == ctrl_c_event:
                action()
                return True
            return False

        self._handler = handler
        ctypes.windll.kernel32.SetConsoleCtrlHandler(handler, True)  # type: ignore[attr-defined]
        return self

    def __exit__(self, *exc_info: Any) -> None:
        if self._handler is not None:
            import ctypes

            ctypes.windll.kernel32.SetConsoleCtrlHandler(self._handler, False)  # type: ignore[attr-defined]
            self._handler = None
