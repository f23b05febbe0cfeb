# The package's one exit hook. After it has run, a libzmq thread releasing a
# zero-copy buffer must not touch the interpreter, so the reference is left to
# the OS; collected contexts are not terminated, and collected sockets and
# contexts give no ResourceWarning (README: linger policy).

import atexit as _atexit

_python_alive = True


def _mark_exiting():
    global _python_alive
    _python_alive = False


def interpreter_exiting():
    """True once the interpreter has begun to exit."""
    return not _python_alive


_atexit.register(_mark_exiting)
