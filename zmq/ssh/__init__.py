"""SSH tunnels for 0MQ connections: see zmq.ssh.tunnel."""

from zmq.ssh import forward, tunnel
from zmq.ssh.tunnel import (
    openssh_tunnel,
    paramiko_tunnel,
    ssh_tunnel,
    try_passwordless_ssh,
    tunnel_connection,
)

__all__ = [
    "openssh_tunnel",
    "paramiko_tunnel",
    "ssh_tunnel",
    "try_passwordless_ssh",
    "tunnel_connection",
]
