"""Local port forwarding over an established paramiko transport.

`forward_tunnel` listens on 127.0.0.1:local_port and relays every accepted
connection through its own "direct-tcpip" channel of the transport to
remote_host:remote_port, as seen from the ssh server: the paramiko analogue of
``ssh -L 127.0.0.1:local_port:remote_host:remote_port``. paramiko itself is
only needed by whoever creates the transport; this module does not import it.
"""

from __future__ import annotations

import logging
import selectors
import socketserver
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import paramiko  # type: ignore[import-untyped,unused-ignore]

__all__ = ["forward_tunnel"]

logger = logging.getLogger("ssh")

# Bytes moved per read in either direction.
_CHUNK = 16384


class ForwardServer(socketserver.ThreadingTCPServer):
    """The listening side of a forward: one daemon thread per connection.

    `active` counts the connections currently being relayed, so that an owner
    can tell an idle forward from a busy one.
    """

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._active_lock = threading.Lock()
        self._active = 0
        super().__init__(*args, **kwargs)

    @property
    def active(self) -> int:
        """How many accepted connections are open right now."""
        with self._active_lock:
            return self._active

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._active_lock:
            self._active += 1
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        try:
            super().shutdown_request(request)
        finally:
            with self._active_lock:
                self._active -= 1


class Handler(socketserver.BaseRequestHandler):
    """Relays one accepted connection through a new channel of `ssh_transport`
    to (`chain_host`, `chain_port`). `forward_tunnel` fills in these three
    class attributes on a subclass."""

    chain_host: str
    chain_port: int
    ssh_transport: paramiko.Transport

    def handle(self) -> None:
        peer = self.request.getpeername()
        target = (self.chain_host, self.chain_port)
        try:
            chan = self.ssh_transport.open_channel("direct-tcpip", target, peer)
        except Exception as e:
            logger.debug("forward %r -> %s:%d failed: %r", peer, target[0], target[1], e)
            return
        if chan is None:
            logger.debug("forward %r -> %s:%d rejected by the ssh server", peer, target[0], target[1])
            return
        logger.debug("forward open: %r -> %r -> %s:%d", peer, chan.getpeername(), target[0], target[1])
        try:
            self._relay(chan)
        finally:
            chan.close()
            logger.debug("forward closed from %r", peer)

    def _relay(self, chan: Any) -> None:
        """Copy both ways until either side closes."""
        sock = self.request
        with selectors.DefaultSelector() as sel:
            sel.register(sock, selectors.EVENT_READ, chan)
            sel.register(chan, selectors.EVENT_READ, sock)
            while True:
                for key, _ in sel.select():
                    data = key.fileobj.recv(_CHUNK)  # type: ignore[union-attr]
                    if not data:
                        return
                    key.data.sendall(data)


def _forward_server(
    local_port: int, remote_host: str, remote_port: int, transport: paramiko.Transport
) -> ForwardServer:
    """A ForwardServer bound to 127.0.0.1:local_port, not yet serving."""

    class SubHandler(Handler):
        chain_host = remote_host
        chain_port = remote_port
        ssh_transport = transport

    return ForwardServer(("127.0.0.1", local_port), SubHandler)


def forward_tunnel(local_port: int, remote_host: str, remote_port: int, transport: paramiko.Transport) -> None:
    """Forward 127.0.0.1:local_port to remote_host:remote_port (as the ssh
    server sees it) through `transport`, serving until the process ends."""
    server = _forward_server(local_port, remote_host, remote_port, transport)
    try:
        server.serve_forever()
    finally:
        server.server_close()
