"""SSH tunnels for 0MQ connections.

A tunnel listens on 127.0.0.1:lport of this machine and carries each TCP
connection through an ssh server to remoteip:rport as the server sees it. Two
implementations:

- openssh (the default except on Windows) runs the ``ssh`` program found on
  PATH, so the user's ssh configuration (``~/.ssh/config``, agent, known
  hosts, ControlMaster) applies. ssh is started in the background with the
  remote command ``sleep <timeout>``: it lives at least `timeout` seconds and
  then exits as soon as no forwarded connection is open. Passwords and key
  passphrases reach ssh through a private SSH_ASKPASS helper (no terminal and
  no pexpect needed).
- paramiko runs the forward in a child process (multiprocessing.Process) over
  a paramiko SSHClient; the process likewise ends once `timeout` seconds have
  passed and no forwarded connection is open.

Servers are given as ``[user@]host[:port]``.
"""

from __future__ import annotations

import atexit
import os
import re
import select
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from getpass import getpass, getuser
from multiprocessing import Process
from typing import TYPE_CHECKING, Any, Callable, Literal, overload

if TYPE_CHECKING:
    import zmq

# paramiko is optional: the module, or None.
_paramiko: Any
try:
    with warnings.catch_warnings():
        # paramiko's crypto backend may warn about deprecated ciphers on import
        warnings.simplefilter("ignore")
        import paramiko as _paramiko  # type: ignore[import-untyped,no-redef,unused-ignore]
except ImportError:
    _paramiko = None

if _paramiko is not None:
    SSHException: type[Exception] = _paramiko.ssh_exception.SSHException
else:

    class SSHException(Exception):  # type: ignore[no-redef]
        """An ssh failure (paramiko's SSHException when paramiko is installed)."""


__all__ = [
    "tunnel_connection",
    "ssh_tunnel",
    "openssh_tunnel",
    "paramiko_tunnel",
    "try_passwordless_ssh",
]


class MaxRetryExceeded(Exception):
    """The ssh server rejected the password too many times."""


# How many password prompts of one ssh run are answered before giving up.
_MAX_PASSWORD_ATTEMPTS = 10
_password_pat = re.compile(rb"pass(word|phrase)", re.IGNORECASE)
_hostkey_pat = re.compile(rb"continue connecting|\(yes/no", re.IGNORECASE)
_NEW_HOST_KEY = "The authenticity of the host can't be established."


def select_random_ports(n: int) -> list[int]:
    """n distinct TCP ports that are free right now on every local interface."""
    socks = []
    try:
        for _ in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            socks.append(s)
            s.bind(("", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


# ---------------------------------------------------------------- parsing


def _check_port(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, not {type(value).__name__}")
    if not 0 < value < 65536:
        raise ValueError(f"{what} must be in 1..65535, not {value}")
    return value


def _parse_port(text: str, what: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise ValueError(f"invalid {what} {text!r}") from None
    return _check_port(port, what)


def _split_host_port(server: str) -> tuple[str, int | None]:
    """'[user@]host[:port]' as ('[user@]host', port or None)."""
    if not isinstance(server, str):
        raise TypeError(f"server must be a str, not {type(server).__name__}")
    user, at, host = server.rpartition("@")
    if host.startswith("["):
        # [IPv6 address][:port]
        end = host.find("]")
        if end < 0:
            raise ValueError(f"invalid ssh server {server!r}")
        rest = host[end + 1 :]
        host_part = host[1:end]
        if rest and not rest.startswith(":"):
            raise ValueError(f"invalid ssh server {server!r}")
        port = _parse_port(rest[1:], "ssh port") if rest else None
        return user + at + host_part, port
    parts = host.split(":")
    if len(parts) > 2:
        raise ValueError(f"invalid ssh server {server!r}: expected [user@]host[:port]")
    if not parts[0]:
        raise ValueError(f"invalid ssh server {server!r}: no host")
    port = _parse_port(parts[1], "ssh port") if len(parts) == 2 else None
    return user + at + parts[0], port


def _split_server(server: str) -> tuple[str, str, int]:
    """'[user@]host[:port]' as (user, host, port), defaulting to the local
    user name and port 22."""
    userhost, port = _split_host_port(server)
    user, at, host = userhost.partition("@")
    if not at:
        user, host = getuser(), userhost
    return user, host, 22 if port is None else port


def _parse_url(addr: str) -> tuple[str, int]:
    """'tcp://host:port' as (host, port); IPv6 hosts in brackets."""
    if not isinstance(addr, str):
        raise TypeError(f"addr must be a str, not {type(addr).__name__}")
    proto, sep, rest = addr.partition("://")
    if not sep:
        raise ValueError(f"invalid address {addr!r}: expected tcp://host:port")
    if proto != "tcp":
        raise ValueError(f"only tcp:// addresses can be tunneled, not {addr!r}")
    if rest.startswith("["):
        host, bracket, port = rest[1:].partition("]:")
        if not bracket:
            raise ValueError(f"invalid address {addr!r}: expected tcp://[ipv6]:port")
    else:
        parts = rest.split(":")
        if len(parts) != 2:
            raise ValueError(f"invalid address {addr!r}: expected tcp://host:port")
        host, port = parts
    if not host:
        raise ValueError(f"invalid address {addr!r}: no host")
    return host, _parse_port(port, "port")


def _forward_spec(lport: int, remoteip: str, rport: int) -> str:
    if ":" in remoteip and not remoteip.startswith("["):
        remoteip = f"[{remoteip}]"
    return f"127.0.0.1:{lport}:{remoteip}:{rport}"


# ---------------------------------------------------------------- openssh


_ASKPASS_HELPER = r"""
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(os.environ["ZMQ_SSH_ASKPASS_SOCKET"])
s.sendall(" ".join(sys.argv[1:]).encode("utf-8", "surrogateescape"))
s.shutdown(socket.SHUT_WR)
reply = b""
while True:
    chunk = s.recv(4096)
    if not chunk:
        break
    reply += chunk
if not reply.startswith(b"+"):
    sys.exit(1)
sys.stdout.buffer.write(reply[1:] + b"\n")
"""


def _ssh_base(server: str, keyfile: str | None) -> tuple[list[str], str]:
    """The ssh command's start (program, port, identity) and its destination."""
    dest, port = _split_host_port(server)
    if sys.platform == "win32":
        raise ImportError("openssh tunnels are not available on Windows, use paramiko")
    if shutil.which("ssh") is None:
        raise FileNotFoundError("the ssh program was not found on PATH; use paramiko")
    cmd = ["ssh"]
    if port is not None:
        cmd += ["-p", str(port)]
    if keyfile is not None:
        cmd += ["-i", os.fspath(keyfile)]
    return cmd, dest


def _recv_all(conn: socket.socket) -> bytes:
    data = b""
    while True:
        chunk = conn.recv(4096)
        if not chunk:
            return data
        data += chunk


def _run_ssh(cmd: list[str], answer: Callable[[bytes], bytes | None]) -> tuple[int, str, int]:
    """Run ssh without a terminal until its (foreground) process exits.

    Every question ssh asks (password, passphrase, host key confirmation)
    goes through a private SSH_ASKPASS helper to answer(prompt), which returns
    the reply, or None to refuse; an exception from answer stops ssh and
    propagates. Returns ssh's exit status, what it wrote to stderr and its pid.
    """
    tmpdir = tempfile.mkdtemp(prefix="zmq-ssh-")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock_path = os.path.join(tmpdir, "s")
        listener.bind(sock_path)
        listener.listen(4)
        helper = os.path.join(tmpdir, "askpass.py")
        with open(helper, "w") as f:
            f.write(_ASKPASS_HELPER)
        script = os.path.join(tmpdir, "askpass")
        with open(script, "w") as f:
            python = sys.executable or "python3"
            f.write(f'#!/bin/sh\nexec {shlex.quote(python)} -I {shlex.quote(helper)} "$@"\n')
        os.chmod(script, 0o700)
        env = dict(os.environ)
        env.update(SSH_ASKPASS=script, SSH_ASKPASS_REQUIRE="force", ZMQ_SSH_ASKPASS_SOCKET=sock_path)
        # OpenSSH before 8.4 only uses SSH_ASKPASS with a DISPLAY and no terminal.
        env.setdefault("DISPLAY", ":0")
        with tempfile.TemporaryFile() as err:
            proc = subprocess.Popen(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=err,
                env=env,
                start_new_session=True,
            )
            try:
                while proc.poll() is None:
                    ready, _, _ = select.select([listener], [], [], 0.05)
                    if not ready:
                        continue
                    conn, _ = listener.accept()
                    with conn:
                        conn.settimeout(10)
                        prompt = _recv_all(conn)
                        reply = answer(prompt)
                        conn.sendall(b"-" if reply is None else b"+" + reply)
            except BaseException:
                proc.kill()
                proc.wait()
                raise
            err.seek(0)
            stderr = err.read().decode("utf-8", "replace")
        return proc.returncode, stderr, proc.pid
    finally:
        listener.close()
        shutil.rmtree(tmpdir, ignore_errors=True)


def _run_quiet(cmd: list[str]) -> subprocess.CompletedProcess[str] | None:
    """Run an ssh command that never asks anything; None if it can't run."""
    try:
        return subprocess.run(
            cmd,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=30,
            start_new_session=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None


def _stop_tunnel(cmd: list[str]) -> None:
    _run_quiet(cmd)


def _password_answerer(password: str | None) -> Callable[[bytes], bytes | None]:
    """Answers ssh's prompts: the given password first, then the user's."""
    attempts = 0

    def answer(prompt: bytes) -> bytes | None:
        nonlocal attempts
        if _hostkey_pat.search(prompt):
            raise SSHException(_NEW_HOST_KEY)
        if not _password_pat.search(prompt):
            return None
        text = prompt.decode("utf-8", "replace")
        if attempts >= _MAX_PASSWORD_ATTEMPTS:
            raise MaxRetryExceeded(f"Failed after {_MAX_PASSWORD_ATTEMPTS} attempts")
        if attempts:
            print("Password rejected, try again")
            reply = getpass(text)
        elif password is None:
            reply = getpass(text)
        else:
            reply = password
        attempts += 1
        return reply.encode("utf-8")

    return answer


class _PasswordNeeded(Exception):
    pass


def _try_passwordless_openssh(server: str, keyfile: str | None) -> bool:
    base, dest = _ssh_base(server, keyfile)

    def answer(prompt: bytes) -> bytes | None:
        if _hostkey_pat.search(prompt):
            raise SSHException(_NEW_HOST_KEY)
        if _password_pat.search(prompt):
            raise _PasswordNeeded
        return None

    try:
        status, _, _ = _run_ssh(base + ["-x", dest, "exit"], answer)
    except _PasswordNeeded:
        return False
    return status == 0


def openssh_tunnel(
    lport: int,
    rport: int,
    server: str,
    remoteip: str = "127.0.0.1",
    keyfile: str | None = None,
    password: str | None = None,
    timeout: int = 60,
) -> int:
    """Forward 127.0.0.1:lport of this machine to remoteip:rport as seen from
    server, with the ``ssh`` program: ``ssh -L 127.0.0.1:lport:remoteip:rport
    server``.

    server is ``[user@]host[:port]``. keyfile is a private key file (ssh's
    configured identities are tried as usual); password answers the first
    password or key passphrase prompt, and later prompts (or the first, when
    password is None) are asked on the terminal with getpass; after 10
    answered prompts MaxRetryExceeded is raised. An unknown host key raises
    SSHException: accept it with ssh beforehand (known_hosts).

    The tunnel stays up for at least `timeout` seconds, then closes once no
    connection through it is open. When the user's ssh configuration has a
    ControlMaster running for server, the forward is added to it (and removed
    at exit) instead.

    Returns the pid of the ssh process that was started (or of the master).
    RuntimeError if ssh fails, e.g. authentication is refused or lport is taken.
    """
    _check_port(lport, "lport")
    _check_port(rport, "rport")
    if not isinstance(remoteip, str) or not remoteip:
        raise TypeError("remoteip must be a non-empty str")
    seconds = max(int(timeout), 0)
    base, dest = _ssh_base(server, keyfile)
    spec = _forward_spec(lport, remoteip, rport)

    # A running ControlMaster for this server takes the forward directly.
    check = _run_quiet(base + ["-O", "check", dest])
    if check is not None:
        m = re.search(r"pid=(\d+)", check.stdout + check.stderr)
        if m:
            forward = _run_quiet(base + ["-O", "forward", "-L", spec, dest])
            if forward is not None and forward.returncode == 0:
                atexit.register(_stop_tunnel, base + ["-O", "cancel", "-L", spec, dest])
                return int(m.group(1))

    cmd = base + [
        "-f",
        "-x",
        "-S",
        "none",
        "-o",
        "ExitOnForwardFailure=yes",
        "-L",
        spec,
        dest,
        f"sleep {seconds}",
    ]
    status, stderr, pid = _run_ssh(cmd, _password_answerer(password))
    if status != 0:
        detail = stderr.strip()
        msg = f"tunnel '{' '.join(cmd)}' failed to start"
        raise RuntimeError(f"{msg}: {detail}" if detail else msg)
    return pid


# ---------------------------------------------------------------- paramiko


def _try_passwordless_paramiko(server: str, keyfile: str | None) -> bool:
    if _paramiko is None:
        raise ImportError("Paramiko unavailable, use OpenSSH.")
    username, host, port = _split_server(server)
    client = _paramiko.SSHClient()
    client.load_system_host_keys()
    try:
        client.connect(host, port, username=username, key_filename=keyfile, look_for_keys=True)
    except _paramiko.AuthenticationException:
        return False
    finally:
        client.close()
    return True


def _paramiko_tunnel(
    lport: int,
    rport: int,
    server: str,
    remoteip: str,
    keyfile: str | None = None,
    password: str | None = None,
    timeout: float | None = None,
) -> None:
    """The body of paramiko_tunnel's child process."""
    from zmq.ssh.forward import _forward_server

    assert _paramiko is not None
    # Ctrl-C at the terminal is for the parent: the tunnel ends with its
    # timeout or with the parent.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    username, host, port = _split_server(server)
    client = _paramiko.SSHClient()
    client.load_system_host_keys()
    client.set_missing_host_key_policy(_paramiko.WarningPolicy())
    try:
        client.connect(
            host,
            port,
            username=username,
            key_filename=keyfile,
            look_for_keys=True,
            password=password,
        )
    except Exception as e:
        print(f"*** Failed to connect to {host}:{port}: {e!r}")
        sys.exit(1)
    transport = client.get_transport()
    assert transport is not None
    server_ = _forward_server(lport, remoteip, rport, transport)
    start = time.monotonic()

    def watch() -> None:
        while True:
            time.sleep(0.2)
            if not transport.is_active():
                break
            if timeout is not None and time.monotonic() - start >= timeout and server_.active == 0:
                break
        server_.shutdown()

    threading.Thread(target=watch, daemon=True).start()
    try:
        server_.serve_forever(poll_interval=0.2)
    finally:
        server_.server_close()
        client.close()


def paramiko_tunnel(
    lport: int,
    rport: int,
    server: str,
    remoteip: str = "127.0.0.1",
    keyfile: str | None = None,
    password: str | None = None,
    timeout: int = 60,
) -> Process:
    """Forward 127.0.0.1:lport of this machine to remoteip:rport as seen from
    server, with paramiko, in a daemon child process that is returned.

    Arguments as for openssh_tunnel. Host keys are checked against the user's
    known_hosts (an unknown one is accepted with a warning); when password is
    None and key login fails, the password is asked with getpass. Meant for
    where the ssh program is unavailable (Windows). The child exits once
    `timeout` seconds have passed and no connection through it is open, when
    the ssh connection drops, or with its parent; if it cannot log in it prints
    the reason and exits with status 1.
    """
    if _paramiko is None:
        raise ImportError("Paramiko not available")
    _check_port(lport, "lport")
    _check_port(rport, "rport")
    if not isinstance(remoteip, str) or not remoteip:
        raise TypeError("remoteip must be a non-empty str")
    _split_server(server)
    if password is None and not _try_passwordless_paramiko(server, keyfile):
        password = getpass(f"{server}'s password: ")
    p = Process(
        target=_paramiko_tunnel,
        args=(lport, rport, server, remoteip),
        kwargs=dict(keyfile=keyfile, password=password, timeout=timeout),
    )
    p.daemon = True
    p.start()
    return p


# ---------------------------------------------------------------- common


def try_passwordless_ssh(server: str, keyfile: str | None, paramiko: bool | None = None) -> bool:
    """Whether ssh can log in to server without a password (key, agent).

    With paramiko None, paramiko is used on Windows and openssh elsewhere.
    SSHException if openssh meets an unknown host key.
    """
    if paramiko is None:
        paramiko = sys.platform == "win32"
    if paramiko:
        return _try_passwordless_paramiko(server, keyfile)
    return _try_passwordless_openssh(server, keyfile)


@overload
def open_tunnel(
    addr: str,
    server: str,
    keyfile: str | None = None,
    password: str | None = None,
    paramiko: Literal[False] = ...,
    timeout: int = 60,
) -> tuple[str, int]: ...
@overload
def open_tunnel(
    addr: str,
    server: str,
    keyfile: str | None = None,
    password: str | None = None,
    *,
    paramiko: Literal[True],
    timeout: int = 60,
) -> tuple[str, Process]: ...
@overload
def open_tunnel(
    addr: str,
    server: str,
    keyfile: str | None = None,
    password: str | None = None,
    paramiko: bool | None = None,
    timeout: int = 60,
) -> tuple[str, Process | int]: ...
def open_tunnel(
    addr: str,
    server: str,
    keyfile: str | None = None,
    password: str | None = None,
    paramiko: bool | None = None,
    timeout: int = 60,
) -> tuple[str, Process | int]:
    """Tunnel the 0MQ address addr ('tcp://host:port', as seen from server)
    through server to a free local port.

    Returns (url, tunnel): the local 'tcp://127.0.0.1:<port>' url to connect
    to instead, and what openssh_tunnel or paramiko_tunnel returned. With
    paramiko None, paramiko is used on Windows and openssh elsewhere.
    """
    remoteip, rport = _parse_url(addr)
    lport = select_random_ports(1)[0]
    if paramiko is None:
        paramiko = sys.platform == "win32"
    tunnelf = paramiko_tunnel if paramiko else openssh_tunnel
    tunnel: Process | int = tunnelf(
        lport,
        rport,
        server,
        remoteip=remoteip,
        keyfile=keyfile,
        password=password,
        timeout=timeout,
    )
    return f"tcp://127.0.0.1:{lport}", tunnel


def tunnel_connection(
    socket: zmq.Socket[Any],
    addr: str,
    server: str,
    keyfile: str | None = None,
    password: str | None = None,
    paramiko: bool | None = None,
    timeout: int = 60,
) -> Process | int:
    """socket.connect(addr) through an ssh tunnel via server, for an addr
    that only server can reach: opens the tunnel with open_tunnel, connects
    socket to its local end and returns the tunnel."""
    new_url, tunnel = open_tunnel(
        addr,
        server,
        keyfile=keyfile,
        password=password,
        paramiko=paramiko,
        timeout=timeout,
    )
    socket.connect(new_url)
    return tunnel


if sys.platform == "win32":
    ssh_tunnel = paramiko_tunnel
else:
    ssh_tunnel = openssh_tunnel
