"""Whether the interpreter is exiting.

Set by an atexit hook: sockets and contexts collected after that are left to
the OS, without ResourceWarnings and without lingering (see the README's
linger policy). A module of its own so __del__ methods can read it without
importing anything while the interpreter shuts down.
"""

import atexit

exiting = False


def _mark_exiting():
    global exiting
    exiting = True


atexit.register(_mark_exiting)
