"""ZeroMQ security: CURVE certificates (zmq.auth.certs)."""

from zmq.auth.certs import *  # noqa: F401,F403
