# zmq first: its backend, loaded with RTLD_GLOBAL, then provides the zmq_*
# functions _peer's calls bind to, so that both use one and the same libzmq.
import zmq  # noqa: F401

from meson_consumer._peer import *  # noqa: E402,F401,F403
