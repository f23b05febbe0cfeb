"""zmq.ssh: tunnels through a real OpenSSH server.

The server is Debian's sshd (package openssh-server), started by a module
fixture on a free port of 127.0.0.1 with a host key and authorized keys
generated for the test. The client side never touches the real home
directory: the openssh path runs the `ssh` found on PATH, so the test puts a
wrapper first on PATH that runs the real ssh with its own config file (known
hosts, identities); the paramiko path reads ~/.ssh/known_hosts, so HOME points
at a directory of the test. Tests that need sshd skip only when sshd, ssh or
ssh-keygen is absent (.ci/run installs them), and the paramiko ones when
paramiko is absent.
"""

from __future__ import annotations

import getpass
import inspect
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import zmq
import zmq.ssh
from zmq.ssh import forward, tunnel

try:
    import paramiko
except ImportError:
    paramiko = None

SBIN_PATH = os.pathsep.join(["/usr/sbin", "/usr/local/sbin", "/sbin", os.environ.get("PATH", "")])
SSHD = shutil.which("sshd", path=SBIN_PATH)
SSH = shutil.which("ssh")
SSH_KEYGEN = shutil.which("ssh-keygen")
PASSPHRASE = "correct horse"

needs_sshd = pytest.mark.skipif(
    sys.platform == "win32" or not (SSHD and SSH and SSH_KEYGEN),
    reason="OpenSSH (sshd, ssh, ssh-keygen) is not installed",
)
needs_paramiko = pytest.mark.skipif(paramiko is None, reason="paramiko is not installed")


# ------------------------------------------------------------ no server needed


def test_public_names():
    assert sorted(zmq.ssh.__all__) == [
        "openssh_tunnel",
        "paramiko_tunnel",
        "ssh_tunnel",
        "try_passwordless_ssh",
        "tunnel_connection",
    ]
    for name in zmq.ssh.__all__:
        assert getattr(zmq.ssh, name) is getattr(tunnel, name)
    for name in ["MaxRetryExceeded", "SSHException", "open_tunnel", "select_random_ports"]:
        assert hasattr(tunnel, name)
    for name in ["ForwardServer", "Handler", "forward_tunnel", "logger"]:
        assert hasattr(forward, name)
    assert forward.logger.name == "ssh"
    assert issubclass(tunnel.MaxRetryExceeded, Exception)
    assert issubclass(tunnel.SSHException, Exception)
    if paramiko is not None:
        assert tunnel.SSHException is paramiko.SSHException
    expected = tunnel.paramiko_tunnel if sys.platform == "win32" else tunnel.openssh_tunnel
    assert tunnel.ssh_tunnel is expected


def _params(f):
    return [(p.name, p.default) for p in inspect.signature(f).parameters.values()]


def test_signatures():
    empty = inspect.Parameter.empty
    tunnel_args = [
        ("lport", empty),
        ("rport", empty),
        ("server", empty),
        ("remoteip", "127.0.0.1"),
        ("keyfile", None),
        ("password", None),
        ("timeout", 60),
    ]
    assert _params(tunnel.openssh_tunnel) == tunnel_args
    assert _params(tunnel.paramiko_tunnel) == tunnel_args
    common = [("keyfile", None), ("password", None), ("paramiko", None), ("timeout", 60)]
    assert _params(tunnel.tunnel_connection) == [("socket", empty), ("addr", empty), ("server", empty)] + common
    assert _params(tunnel.open_tunnel) == [("addr", empty), ("server", empty)] + common
    assert _params(tunnel.try_passwordless_ssh) == [("server", empty), ("keyfile", empty), ("paramiko", None)]
    assert _params(tunnel.select_random_ports) == [("n", empty)]
    assert _params(forward.forward_tunnel) == [
        ("local_port", empty),
        ("remote_host", empty),
        ("remote_port", empty),
        ("transport", empty),
    ]
    assert issubclass(forward.ForwardServer, __import__("socketserver").ThreadingTCPServer)


def test_select_random_ports():
    ports = tunnel.select_random_ports(5)
    assert len(ports) == len(set(ports)) == 5
    for port in ports:
        assert isinstance(port, int) and 0 < port < 65536
        with socket.socket() as s:
            s.bind(("127.0.0.1", port))
    assert tunnel.select_random_ports(0) == []
    with pytest.raises(TypeError):
        tunnel.select_random_ports("2")


@pytest.mark.parametrize(
    "addr",
    ["ipc://x", "tcp://1.2.3.4", "1.2.3.4:5", "tcp://a:b:5", "tcp://1.2.3.4:x", "tcp://1.2.3.4:0", "tcp://:5"],
)
def test_bad_address(addr, ctx):
    with pytest.raises(ValueError):
        tunnel.open_tunnel(addr, "nobody@127.0.0.1:1", paramiko=False)
    with ctx.socket(zmq.REQ) as s:
        with pytest.raises(ValueError):
            tunnel.tunnel_connection(s, addr, "nobody@127.0.0.1:1", paramiko=False)


@pytest.mark.parametrize("server", ["host:x", "host:1:2", "user@", "host:0", ":22"])
def test_bad_server(server):
    with pytest.raises(ValueError):
        tunnel.openssh_tunnel(5555, 5556, server)


def test_bad_ports():
    with pytest.raises(TypeError):
        tunnel.openssh_tunnel("5555", 5556, "host")
    with pytest.raises(ValueError):
        tunnel.openssh_tunnel(5555, 70000, "host")


def test_without_paramiko(monkeypatch):
    monkeypatch.setattr(tunnel, "_paramiko", None)
    with pytest.raises(ImportError, match="Paramiko not available"):
        tunnel.paramiko_tunnel(5555, 5556, "host")
    with pytest.raises(ImportError, match="Paramiko not available"):
        tunnel.open_tunnel("tcp://127.0.0.1:5556", "host", paramiko=True)
    with pytest.raises(ImportError, match="Paramiko unavailable"):
        tunnel.try_passwordless_ssh("host", None, paramiko=True)


def test_ssh_program_missing(monkeypatch, tmp_path):
    if sys.platform == "win32":
        pytest.skip("openssh tunnels are POSIX-only")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(FileNotFoundError):
        tunnel.openssh_tunnel(5555, 5556, "host")
    with pytest.raises(FileNotFoundError):
        tunnel.try_passwordless_ssh("host", None, paramiko=False)


class _SocketTransport:
    """Stands in for a paramiko transport: a "channel" is a plain TCP
    connection to the target."""

    def __init__(self):
        self.opened = []

    def open_channel(self, kind, dest_addr, src_addr):
        self.opened.append((kind, dest_addr))
        return socket.create_connection(dest_addr)


def test_forward_server_relays(ctx):
    rep = ctx.socket(zmq.REP)
    rep.linger = 0
    rport = rep.bind_to_random_port("tcp://127.0.0.1")
    transport = _SocketTransport()

    class H(forward.Handler):
        chain_host = "127.0.0.1"
        chain_port = rport
        ssh_transport = transport

    server = forward.ForwardServer(("127.0.0.1", 0), H)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        req = ctx.socket(zmq.REQ)
        req.linger = 0
        req.connect(f"tcp://127.0.0.1:{server.server_address[1]}")
        _round_trip(req, rep)
        assert server.active == 1
        assert transport.opened == [("direct-tcpip", ("127.0.0.1", rport))]
        req.close()
        _wait_for(lambda: server.active == 0, 10, "the forwarded connection to close")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


# ------------------------------------------------------------ helpers


def _round_trip(req, rep, payload=b"ping"):
    rep = getattr(rep, "socket", rep)
    req.send(payload)
    assert rep.poll(10000), "request did not arrive through the tunnel"
    assert rep.recv() == payload
    rep.send(payload[::-1])
    assert req.poll(10000), "reply did not arrive through the tunnel"
    assert req.recv() == payload[::-1]


def _wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.1)


def _processes():
    """(pid, ppid, state, args) of every process, from ps."""
    out = subprocess.run(["ps", "-ww", "-eo", "pid=,ppid=,stat=,args="], capture_output=True, text=True, check=True).stdout
    procs = []
    for line in out.splitlines():
        parts = line.split(None, 3)
        if len(parts) >= 3:
            procs.append((int(parts[0]), int(parts[1]), parts[2], parts[3] if len(parts) > 3 else ""))
    return procs


def _live(marker=None, ppid=None):
    """pids of live (not zombie) processes with marker in their command line
    or with parent ppid."""
    return [
        pid
        for pid, parent, state, args in _processes()
        if not state.startswith("Z") and ((marker and marker in args) or (ppid is not None and parent == ppid))
    ]


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _keygen(path, passphrase=""):
    subprocess.run(
        [SSH_KEYGEN, "-q", "-t", "ed25519", "-N", passphrase, "-C", "zmq-test", "-f", str(path)],
        check=True,
        stdin=subprocess.DEVNULL,
    )
    return path


class SSHServer:
    def __init__(self, root: Path):
        self.root = root
        self.user = getpass.getuser()
        self.host_key = _keygen(root / "host_key")
        self.client_key = _keygen(root / "client_key")
        self.locked_key = _keygen(root / "locked_key", PASSPHRASE)
        self.stranger_key = _keygen(root / "stranger_key")  # not authorized
        authorized = root / "authorized_keys"
        authorized.write_text(
            (root / "client_key.pub").read_text() + (root / "locked_key.pub").read_text()
        )
        authorized.chmod(0o600)
        self.proc = None
        self.log = root / "sshd.log"

    def start(self):
        if os.geteuid() == 0:
            # the privilege separation directory Debian's sshd insists on
            os.makedirs("/run/sshd", mode=0o755, exist_ok=True)
        for _ in range(5):
            self.port = _free_port()
            config = self.root / "sshd_config"
            config.write_text(
                "\n".join(
                    [
                        f"Port {self.port}",
                        "ListenAddress 127.0.0.1",
                        f"HostKey {self.host_key}",
                        f"AuthorizedKeysFile {self.root / 'authorized_keys'}",
                        f"PidFile {self.root / 'sshd.pid'}",
                        "StrictModes no",
                        "UsePAM no",
                        "PubkeyAuthentication yes",
                        "PasswordAuthentication no",
                        "KbdInteractiveAuthentication no",
                        "PermitRootLogin prohibit-password",
                        "AllowTcpForwarding yes",
                        "X11Forwarding no",
                        "PrintMotd no",
                        "LogLevel VERBOSE",
                        "",
                    ]
                )
            )
            with open(self.log, "ab") as log:
                self.proc = subprocess.Popen(
                    [SSHD, "-D", "-e", "-f", str(config)],
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=log,
                )
            if self._wait_ready():
                return
            self.proc.kill()
            self.proc.wait()
        pytest.fail(f"sshd did not start:\n{self.log.read_text()}")

    def _wait_ready(self):
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=2) as s:
                    if s.recv(64).startswith(b"SSH-"):
                        return True
            except OSError:
                pass
            time.sleep(0.1)
        return False

    @property
    def server(self):
        return f"{self.user}@127.0.0.1:{self.port}"

    def known_hosts_line(self):
        return f"[127.0.0.1]:{self.port} {(self.root / 'host_key.pub').read_text().strip()}\n"

    def _children(self):
        return [pid for pid, ppid, _, _ in _processes() if ppid == self.proc.pid]

    def stop(self):
        """Stop sshd once its sessions are gone; fail if anything is left."""
        leftovers = []
        if self.proc is not None and self.proc.poll() is None:
            # sessions end with their tunnels; wait until sshd has reaped them
            deadline = time.monotonic() + 15
            while self._children() and time.monotonic() < deadline:
                time.sleep(0.1)
            leftovers += _live(ppid=self.proc.pid)
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        leftovers += _live(marker=str(self.root))
        for pid in leftovers:  # all started by this test: sessions and clients
            try:
                os.kill(pid, 9)
            except OSError:
                pass
        assert not leftovers, f"ssh processes left running: {leftovers}\n{self.log.read_text()}"


@pytest.fixture(scope="module")
def sshd(tmp_path_factory):
    if sys.platform == "win32" or not (SSHD and SSH and SSH_KEYGEN):
        pytest.skip("OpenSSH (sshd, ssh, ssh-keygen) is not installed")
    server = SSHServer(tmp_path_factory.mktemp("sshd"))
    server.start()
    yield server
    server.stop()


class Client:
    """The client's environment: an `ssh` wrapper first on PATH with its own
    config, and a HOME whose .ssh/known_hosts paramiko reads."""

    def __init__(self, sshd, root: Path, monkeypatch):
        self.sshd = sshd
        self.root = root
        self.home = root / "home"
        (self.home / ".ssh").mkdir(parents=True)
        self.known_hosts = self.home / ".ssh" / "known_hosts"
        self.known_hosts.write_text(sshd.known_hosts_line())
        self.bin = root / "bin"
        self.bin.mkdir()
        self.monkeypatch = monkeypatch
        monkeypatch.setenv("HOME", str(self.home))
        monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)
        monkeypatch.setenv("PATH", str(self.bin) + os.pathsep + os.environ.get("PATH", ""))
        self.prompts = []
        monkeypatch.setattr(tunnel, "getpass", self._no_prompt)
        self.configure()

    def _no_prompt(self, prompt=""):
        self.prompts.append(prompt)
        raise AssertionError(f"unexpected password prompt {prompt!r}")

    def answer_prompts(self, *answers):
        """getpass answers these in turn, then the last one forever."""

        def fake(prompt=""):
            self.prompts.append(prompt)
            return answers[min(len(self.prompts), len(answers)) - 1]

        self.monkeypatch.setattr(tunnel, "getpass", fake)

    def configure(self, **options):
        settings = {
            "UserKnownHostsFile": str(self.known_hosts),
            "GlobalKnownHostsFile": "/dev/null",
            "StrictHostKeyChecking": "yes",
            "IdentitiesOnly": "yes",
            "IdentityFile": "none",
            "IdentityAgent": "none",
            "ControlMaster": "no",
            "ControlPath": "none",
            "UpdateHostKeys": "no",
            "LogLevel": "ERROR",
        }
        settings.update(options)
        config = self.root / "ssh_config"
        config.write_text("Host *\n" + "".join(f"  {k} {v}\n" for k, v in settings.items()))
        wrapper = self.bin / "ssh"
        wrapper.write_text(f'#!/bin/sh\nexec "{SSH}" -F "{config}" "$@"\n')
        wrapper.chmod(0o755)


@pytest.fixture
def client(sshd, tmp_path, monkeypatch):
    c = Client(sshd, tmp_path, monkeypatch)
    yield c
    # every ssh started with this client's wrapper has its config path in argv
    deadline = time.monotonic() + 20
    while _live(marker=str(tmp_path)) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = _live(marker=str(tmp_path))
    for pid in left:
        os.kill(pid, 9)
    assert not left, "ssh tunnel processes outlived their timeout"


class _Rep:
    """A bound REP socket and its port (the tunnels' remote end)."""

    def __init__(self, ctx):
        self.socket = ctx.socket(zmq.REP)
        self.socket.linger = 0
        self.rport = self.socket.bind_to_random_port("tcp://127.0.0.1")


@pytest.fixture
def rep(ctx):
    return _Rep(ctx)


def _req(ctx):
    s = ctx.socket(zmq.REQ)
    s.linger = 0
    return s


def _ssh_pids(lport):
    return _live(marker=f"127.0.0.1:{lport}:")


# ------------------------------------------------------------ openssh


@needs_sshd
def test_openssh_tunnel_connection(client, sshd, ctx, rep):
    req = _req(ctx)
    pid = tunnel.tunnel_connection(
        req, f"tcp://127.0.0.1:{rep.rport}", sshd.server, keyfile=str(sshd.client_key), paramiko=False, timeout=2
    )
    assert isinstance(pid, int)
    url = req.last_endpoint.decode()
    lport = int(url.rsplit(":", 1)[1])
    assert url == f"tcp://127.0.0.1:{lport}"
    _round_trip(req, rep)
    assert _ssh_pids(lport), "no ssh process carries the tunnel"
    # past the timeout, the open connection keeps the tunnel up
    time.sleep(3)
    _round_trip(req, rep, b"still there")
    # once nothing uses it, the tunnel goes away
    req.close()
    _wait_for(lambda: not _ssh_pids(lport), 20, "the ssh tunnel to exit")
    assert client.prompts == []


@needs_sshd
def test_open_tunnel_and_ssh_tunnel(client, sshd, ctx, rep):
    url, pid = zmq.ssh.tunnel.open_tunnel(
        f"tcp://127.0.0.1:{rep.rport}", sshd.server, keyfile=str(sshd.client_key), paramiko=False, timeout=1
    )
    assert url.startswith("tcp://127.0.0.1:") and isinstance(pid, int)
    req = _req(ctx)
    req.connect(url)
    _round_trip(req, rep)
    req.close()

    lport = tunnel.select_random_ports(1)[0]
    assert isinstance(zmq.ssh.openssh_tunnel(lport, rep.rport, sshd.server, keyfile=str(sshd.client_key), timeout=1), int)
    req = _req(ctx)
    req.connect(f"tcp://127.0.0.1:{lport}")
    _round_trip(req, rep)
    req.close()


@needs_sshd
def test_openssh_key_passphrase(client, sshd, ctx, rep):
    # the password answers ssh's passphrase prompt, without a terminal
    lport = tunnel.select_random_ports(1)[0]
    tunnel.openssh_tunnel(lport, rep.rport, sshd.server, keyfile=str(sshd.locked_key), password=PASSPHRASE, timeout=1)
    req = _req(ctx)
    req.connect(f"tcp://127.0.0.1:{lport}")
    _round_trip(req, rep)
    req.close()
    assert client.prompts == []

    # without a password, the user is asked (here: wrong once, then right)
    client.answer_prompts("wrong", PASSPHRASE)
    lport = tunnel.select_random_ports(1)[0]
    tunnel.openssh_tunnel(lport, rep.rport, sshd.server, keyfile=str(sshd.locked_key), timeout=1)
    assert len(client.prompts) == 2
    assert "passphrase" in client.prompts[0]
    req = _req(ctx)
    req.connect(f"tcp://127.0.0.1:{lport}")
    _round_trip(req, rep)
    req.close()


@needs_sshd
def test_openssh_wrong_passphrase(client, sshd):
    # ssh gives up after its own NumberOfPasswordPrompts (3)
    client.answer_prompts("wrong")
    with pytest.raises(RuntimeError, match="failed to start"):
        tunnel.openssh_tunnel(
            tunnel.select_random_ports(1)[0], 9, sshd.server, keyfile=str(sshd.locked_key), password="bad", timeout=1
        )
    assert len(client.prompts) == 2

    # when ssh would ask forever, 10 answers are the limit
    client.prompts.clear()
    client.configure(NumberOfPasswordPrompts=30)
    with pytest.raises(tunnel.MaxRetryExceeded, match="10"):
        tunnel.openssh_tunnel(
            tunnel.select_random_ports(1)[0], 9, sshd.server, keyfile=str(sshd.locked_key), password="bad", timeout=1
        )
    assert len(client.prompts) == 9


@needs_sshd
def test_openssh_refused(client, sshd):
    with pytest.raises(RuntimeError, match="Permission denied"):
        tunnel.openssh_tunnel(
            tunnel.select_random_ports(1)[0], 9, sshd.server, keyfile=str(sshd.stranger_key), timeout=1
        )


@needs_sshd
def test_openssh_local_port_taken(client, sshd):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        with pytest.raises(RuntimeError, match="failed to start"):
            tunnel.openssh_tunnel(
                taken.getsockname()[1], 9, sshd.server, keyfile=str(sshd.client_key), timeout=1
            )


@needs_sshd
def test_openssh_unknown_host_key(client, sshd):
    client.known_hosts.write_text("")
    client.configure(StrictHostKeyChecking="ask")
    with pytest.raises(tunnel.SSHException, match="authenticity"):
        tunnel.try_passwordless_ssh(sshd.server, str(sshd.client_key), paramiko=False)
    with pytest.raises(tunnel.SSHException, match="authenticity"):
        tunnel.openssh_tunnel(tunnel.select_random_ports(1)[0], 9, sshd.server, keyfile=str(sshd.client_key))
    assert client.known_hosts.read_text() == ""


@needs_sshd
def test_openssh_try_passwordless(client, sshd):
    assert tunnel.try_passwordless_ssh(sshd.server, str(sshd.client_key), paramiko=False) is True
    assert tunnel.try_passwordless_ssh(sshd.server, str(sshd.locked_key), paramiko=False) is False
    assert tunnel.try_passwordless_ssh(sshd.server, str(sshd.stranger_key), paramiko=False) is False
    assert tunnel.try_passwordless_ssh(sshd.server, None, paramiko=False) is False
    assert client.prompts == []


@needs_sshd
def test_openssh_control_master(client, sshd, ctx, rep, tmp_path):
    control = tmp_path / "cm"
    client.configure(ControlPath=str(control))
    master = subprocess.run(
        ["ssh", "-M", "-f", "-N", "-i", str(sshd.client_key), "-p", str(sshd.port), f"{sshd.user}@127.0.0.1"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert master.returncode == 0, master.stderr
    try:
        lport = tunnel.select_random_ports(1)[0]
        pid = tunnel.openssh_tunnel(lport, rep.rport, sshd.server, keyfile=str(sshd.client_key), timeout=1)
        # the forward went to the running master
        assert pid in _live(marker=str(tmp_path))
        req = _req(ctx)
        req.connect(f"tcp://127.0.0.1:{lport}")
        _round_trip(req, rep)
        req.close()
    finally:
        subprocess.run(
            ["ssh", "-O", "exit", "-p", str(sshd.port), f"{sshd.user}@127.0.0.1"],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=30,
        )


# ------------------------------------------------------------ paramiko


@needs_sshd
@needs_paramiko
def test_paramiko_tunnel_connection(client, sshd, ctx, rep):
    req = _req(ctx)
    proc = tunnel.tunnel_connection(
        req, f"tcp://127.0.0.1:{rep.rport}", sshd.server, keyfile=str(sshd.client_key), paramiko=True, timeout=2
    )
    try:
        assert proc.is_alive() and proc.daemon
        _round_trip(req, rep)
        time.sleep(3)
        assert proc.is_alive()
        _round_trip(req, rep, b"still there")
        req.close()
        proc.join(20)
        assert proc.exitcode == 0
    finally:
        if proc.is_alive():
            proc.terminate()
            proc.join()
    assert client.prompts == []


@needs_sshd
@needs_paramiko
def test_paramiko_open_tunnel(client, sshd, ctx, rep):
    url, proc = tunnel.open_tunnel(
        f"tcp://127.0.0.1:{rep.rport}", sshd.server, keyfile=str(sshd.client_key), paramiko=True, timeout=1
    )
    try:
        req = _req(ctx)
        req.connect(url)
        _round_trip(req, rep)
        req.close()
        proc.join(20)
        assert proc.exitcode == 0
    finally:
        if proc.is_alive():
            proc.terminate()
            proc.join()


@needs_sshd
@needs_paramiko
def test_paramiko_try_passwordless(client, sshd):
    assert tunnel.try_passwordless_ssh(sshd.server, str(sshd.client_key), paramiko=True) is True
    assert tunnel.try_passwordless_ssh(sshd.server, str(sshd.stranger_key), paramiko=True) is False
    client.known_hosts.write_text("")
    with pytest.raises(tunnel.SSHException):
        tunnel.try_passwordless_ssh(sshd.server, str(sshd.client_key), paramiko=True)


@needs_sshd
@needs_paramiko
def test_paramiko_refused(client, sshd, capfd):
    # key login fails, so the password is asked; the server takes keys only
    client.answer_prompts("nope")
    proc = tunnel.paramiko_tunnel(
        tunnel.select_random_ports(1)[0], 9, sshd.server, keyfile=str(sshd.stranger_key), timeout=1
    )
    proc.join(30)
    assert proc.exitcode == 1
    assert client.prompts == [f"{sshd.server}'s password: "]
    assert "Failed to connect" in capfd.readouterr().out
