"""ZeroMQ authentication: ZAP handlers (Authenticator and its threaded and
asyncio forms in zmq.auth.thread and zmq.auth.asyncio) and CURVE certificate
files (zmq.auth.certs)."""

from .base import *  # noqa: F401,F403
from .certs import *  # noqa: F401,F403
