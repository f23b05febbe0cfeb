"""zmq.auth: the ZAP authenticators and CURVE certificate files.

Policies are checked with real security handshakes over tcp loopback: the
server's monitor says whether ZAP accepted or refused the client, and a
refused client must never exchange a message with the server. The
interoperability tests run a peer on the reference pyzmq (tests/auth_peer.py)
in a separate process when PYZMQ_REFERENCE_PYTHON names a Python that has it.
"""

import asyncio
import gc
import importlib
import inspect
import itertools
import json
import os
import selectors
import shutil
import stat
import subprocess
import threading
import time
import warnings
from pathlib import Path

import pytest

import zmq
import zmq.auth
from zmq.auth.asyncio import AsyncioAuthenticator
from zmq.auth.base import CURVE_ALLOW_ANY, VERSION, Authenticator
from zmq.auth.thread import AuthenticationThread, ThreadAuthenticator
from zmq.utils import z85
from zmq.utils.monitor import recv_monitor_message

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import zmq.auth.ioloop
    from zmq.auth.ioloop import IOLoopAuthenticator

ZAP_ENDPOINT = "inproc://zeromq.zap.01"
TIMEOUT = 5.0  # seconds: anything expected to happen does so well within this
QUIET = 0.3  # seconds: how long "nothing arrives" is watched for

KINDS = {
    "thread": ThreadAuthenticator,
    "asyncio": AsyncioAuthenticator,
    "ioloop": IOLoopAuthenticator,
}


# ------------------------------------------------------------------ helpers


def serve_with(kind, ctx, configure, scenario):
    """scenario() (blocking code) while an authenticator of this kind,
    configured by configure(auth), serves ctx; its result. The asyncio kinds
    run it in a worker thread while the event loop serves ZAP."""
    auth = KINDS[kind](ctx)
    if kind == "thread":
        auth.start()
        try:
            configure(auth)
            return scenario()
        finally:
            auth.stop()

    async def main():
        auth.start()
        try:
            configure(auth)
            return await asyncio.to_thread(scenario)
        finally:
            auth.stop()

    # asyncio.run also joins the worker thread.
    return asyncio.run(main())


@pytest.fixture(params=sorted(KINDS))
def serve(request, ctx):
    """serve(configure, scenario): serve_with() for each kind of authenticator."""
    return lambda configure, scenario: serve_with(request.param, ctx, configure, scenario)


def wait_event(monitor, wanted, timeout=TIMEOUT):
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not monitor.poll(remaining * 1000):
            pytest.fail(f"no monitor event among {sorted(wanted)} within {timeout}s")
        event = recv_monitor_message(monitor)
        if event["event"] in wanted:
            return event


_monitor_numbers = itertools.count()


def monitor_of(sock, events):
    # A unique address: the default one derives from id(sock), which a new
    # socket can share with a just-closed one whose monitor is still bound.
    return sock.get_monitor_socket(events, addr=f"inproc://test-auth-monitor-{next(_monitor_numbers)}")


def configure_socket(sock, options):
    for name, value in options.items():
        setattr(sock, name, value)


HANDSHAKE_END = {zmq.EVENT_HANDSHAKE_SUCCEEDED, zmq.EVENT_HANDSHAKE_FAILED_AUTH}


def handshake(ctx, server_options=None, client_options=None):
    """A DEALER client connects to a ROUTER server over tcp and sends b"hello".

    Returns ("accepted", User-Id the server saw with the message) after a
    reply made the round trip, or ("refused", ZAP status code) after checking
    that neither side received anything."""
    server = ctx.socket(zmq.ROUTER)
    client = ctx.socket(zmq.DEALER)
    sockets = [server, client]
    try:
        for sock in sockets:
            sock.linger = 0
        configure_socket(server, server_options or {})
        configure_socket(client, client_options or {})
        monitor = monitor_of(server, zmq.EVENT_HANDSHAKE_SUCCEEDED | zmq.EVENT_HANDSHAKE_FAILED_AUTH)
        sockets.append(monitor)
        port = server.bind_to_random_port("tcp://127.0.0.1")
        client.connect(f"tcp://127.0.0.1:{port}")
        client.send(b"hello")
        event = wait_event(monitor, HANDSHAKE_END)
        if event["event"] == zmq.EVENT_HANDSHAKE_FAILED_AUTH:
            assert server.poll(QUIET * 1000) == 0, "the server received a message from a refused client"
            assert client.poll(0) == 0, "a refused client received a message"
            return "refused", event["value"]
        assert server.poll(TIMEOUT * 1000), "accepted, but the message did not arrive"
        routing_id, frame = server.recv_multipart(copy=False)
        assert frame.bytes == b"hello"
        server.send_multipart([routing_id.bytes, b"welcome"])
        assert client.poll(TIMEOUT * 1000), "accepted, but the reply did not arrive"
        assert client.recv() == b"welcome"
        return "accepted", frame.get("User-Id")
    finally:
        for sock in sockets:
            sock.close(linger=0)


def cert(directory, name):
    """A new certificate pair in directory: (public, secret) keys, Z85 bytes."""
    directory.mkdir(parents=True, exist_ok=True)
    _, secret_file = zmq.auth.create_certificates(directory, name)
    return zmq.auth.load_certificate(secret_file)


def curve_server(keys):
    public, secret = keys
    return {"curve_server": True, "curve_publickey": public, "curve_secretkey": secret}


def curve_client(keys, server_public):
    public, secret = keys
    return {"curve_serverkey": server_public, "curve_publickey": public, "curve_secretkey": secret}


@pytest.fixture
def keys(tmp_path):
    """Certificates: a server, a client whose public certificate is in
    keys.public_dir, and a stranger whose is not."""

    class Keys:
        public_dir = tmp_path / "public"
        server = cert(tmp_path / "server", "server")
        client = cert(tmp_path / "clients", "client")
        stranger = cert(tmp_path / "strangers", "stranger")

    Keys.public_dir.mkdir()
    shutil.copy(tmp_path / "clients" / "client.key", Keys.public_dir)
    return Keys


# ------------------------------------------------------- handshakes: NULL


@pytest.mark.parametrize(
    "policy, addresses, expected",
    [
        ("deny", ["127.0.0.1"], ("refused", 400)),
        ("deny", ["192.0.2.1", "192.0.2.2"], ("accepted", "anonymous")),
        ("allow", ["127.0.0.1"], ("accepted", "anonymous")),
        ("allow", ["192.0.2.1"], ("refused", 400)),
    ],
)
def test_null_address_policy(serve, ctx, policy, addresses, expected):
    # libzmq asks ZAP about NULL peers only for sockets with a ZAP domain.
    result = serve(
        lambda auth: getattr(auth, policy)(*addresses),
        lambda: handshake(ctx, {"zap_domain": b"global"}),
    )
    assert result == expected


def test_null_without_policy_is_accepted(serve, ctx):
    assert serve(lambda auth: None, lambda: handshake(ctx, {"zap_domain": b"global"})) == (
        "accepted",
        "anonymous",
    )


# ------------------------------------------------------ handshakes: PLAIN


def plain_client(username, password):
    return {"plain_username": username, "plain_password": password}


def test_plain_passwords(serve, ctx):
    def scenario():
        return [
            handshake(ctx, {"plain_server": True}, plain_client(b"admin", b"secret")),
            handshake(ctx, {"plain_server": True}, plain_client(b"admin", b"wrong")),
            handshake(ctx, {"plain_server": True}, plain_client(b"nobody", b"secret")),
        ]

    results = serve(lambda auth: auth.configure_plain("*", {"admin": "secret"}), scenario)
    assert results == [("accepted", "admin"), ("refused", 400), ("refused", 400)]


def test_plain_unconfigured_is_refused(serve, ctx):
    result = serve(lambda auth: None, lambda: handshake(ctx, {"plain_server": True}, plain_client(b"a", b"b")))
    assert result == ("refused", 400)


def test_plain_deny_list_beats_right_password(serve, ctx):
    def configure(auth):
        auth.deny("127.0.0.1")
        auth.configure_plain("*", {"admin": "secret"})

    result = serve(configure, lambda: handshake(ctx, {"plain_server": True}, plain_client(b"admin", b"secret")))
    assert result == ("refused", 400)


def test_plain_zap_domains(serve, ctx):
    def scenario():
        login = plain_client(b"admin", b"secret")
        return [
            handshake(ctx, {"plain_server": True, "zap_domain": b"staff"}, login),
            handshake(ctx, {"plain_server": True, "zap_domain": b"guests"}, login),
            handshake(ctx, {"plain_server": True}, login),
        ]

    results = serve(lambda auth: auth.configure_plain("staff", {"admin": "secret"}), scenario)
    # '*' stands for the default (empty) domain only, not for any domain.
    assert results == [("accepted", "admin"), ("refused", 400), ("refused", 400)]


# ------------------------------------------------------ handshakes: CURVE


def test_curve_certificate_directory(serve, ctx, keys):
    def scenario():
        return [
            handshake(ctx, curve_server(keys.server), curve_client(keys.client, keys.server[0])),
            handshake(ctx, curve_server(keys.server), curve_client(keys.stranger, keys.server[0])),
        ]

    results = serve(lambda auth: auth.configure_curve("*", keys.public_dir), scenario)
    assert results == [("accepted", keys.client[0].decode()), ("refused", 400)]


def test_curve_allow_any(serve, ctx, keys):
    result = serve(
        lambda auth: auth.configure_curve(domain="*", location=CURVE_ALLOW_ANY),
        lambda: handshake(ctx, curve_server(keys.server), curve_client(keys.stranger, keys.server[0])),
    )
    assert result == ("accepted", keys.stranger[0].decode())


def test_curve_unconfigured_is_refused(serve, ctx, keys):
    result = serve(
        lambda auth: None,
        lambda: handshake(ctx, curve_server(keys.server), curve_client(keys.client, keys.server[0])),
    )
    assert result == ("refused", 400)


class Provider:
    """Accepts one key; records what it was asked."""

    def __init__(self, accepted):
        self.accepted = accepted
        self.calls = []

    def callback(self, domain, key):
        self.calls.append((domain, key))
        return key == self.accepted


class AsyncProvider(Provider):
    async def callback(self, domain, key):
        await asyncio.sleep(0)
        return super().callback(domain, key)


@pytest.mark.parametrize("provider_class", [Provider, AsyncProvider])
def test_curve_callback(serve, ctx, keys, provider_class):
    provider = provider_class(accepted=keys.client[0])

    def scenario():
        return [
            handshake(ctx, curve_server(keys.server), curve_client(keys.client, keys.server[0])),
            handshake(ctx, curve_server(keys.server), curve_client(keys.stranger, keys.server[0])),
        ]

    results = serve(lambda auth: auth.configure_curve_callback("*", credentials_provider=provider), scenario)
    assert results == [("accepted", keys.client[0].decode()), ("refused", 400)]
    assert provider.calls[0] == ("*", keys.client[0])
    assert ("*", keys.stranger[0]) in provider.calls


def test_curve_user_id_override(ctx, keys):
    class Named(ThreadAuthenticator):
        def curve_user_id(self, client_public_key):
            assert len(client_public_key) == 32
            return "client-1"

    auth = Named(ctx)
    auth.start()
    try:
        auth.configure_curve("*", keys.public_dir)
        result = handshake(ctx, curve_server(keys.server), curve_client(keys.client, keys.server[0]))
    finally:
        auth.stop()
    assert result == ("accepted", "client-1")


def test_failing_provider_refuses_and_authenticator_keeps_serving(serve, ctx, keys, caplog):
    class Flaky(Provider):
        def callback(self, domain, key):
            if key != self.accepted:
                raise RuntimeError("credentials store unavailable")
            return True

    def scenario():
        return [
            handshake(ctx, curve_server(keys.server), curve_client(keys.stranger, keys.server[0])),
            handshake(ctx, curve_server(keys.server), curve_client(keys.client, keys.server[0])),
        ]

    results = serve(lambda auth: auth.configure_curve_callback("*", Flaky(keys.client[0])), scenario)
    # 500: ZAP's "internal error", the peer is refused.
    assert results == [("refused", 500), ("accepted", keys.client[0].decode())]
    assert "credentials store unavailable" in caplog.text


def test_refused_subscriber_never_receives(serve, ctx, keys):
    """Server to client: a PUB never delivers to a subscriber ZAP refused."""

    def scenario():
        pub = ctx.socket(zmq.PUB)
        good = ctx.socket(zmq.SUB)
        bad = ctx.socket(zmq.SUB)
        sockets = [pub, good, bad]
        try:
            for sock in sockets:
                sock.linger = 0
            configure_socket(pub, curve_server(keys.server))
            monitor = monitor_of(pub, zmq.EVENT_HANDSHAKE_SUCCEEDED | zmq.EVENT_HANDSHAKE_FAILED_AUTH)
            sockets.append(monitor)
            port = pub.bind_to_random_port("tcp://127.0.0.1")
            for sub, who in ((good, keys.client), (bad, keys.stranger)):
                configure_socket(sub, curve_client(who, keys.server[0]))
                sub.subscribe(b"")
                sub.connect(f"tcp://127.0.0.1:{port}")
            seen = {wait_event(monitor, HANDSHAKE_END)["event"] for _ in range(2)}
            assert seen == HANDSHAKE_END
            # Publish until the accepted subscriber has its subscription in
            # place and receives, then a while longer.
            deadline = time.monotonic() + TIMEOUT
            while not good.poll(20):
                assert time.monotonic() < deadline, "the accepted subscriber received nothing"
                pub.send(b"news")
            quiet_until = time.monotonic() + QUIET
            while time.monotonic() < quiet_until:
                pub.send(b"news")
                time.sleep(0.02)
            assert good.recv() == b"news"
            return bad.poll(0)
        finally:
            for sock in sockets:
                sock.close(linger=0)

    assert serve(lambda auth: auth.configure_curve("*", keys.public_dir), scenario) == 0


def test_asyncio_authenticator_with_asyncio_sockets(actx, run, keys):
    provider = AsyncProvider(accepted=keys.client[0])

    async def main():
        auth = AsyncioAuthenticator(actx)
        auth.start()
        try:
            auth.configure_curve_callback("*", provider)
            server = actx.socket(zmq.ROUTER)
            good = actx.socket(zmq.DEALER)
            bad = actx.socket(zmq.DEALER)
            for sock in (server, good, bad):
                sock.linger = 0
            configure_socket(server, curve_server(keys.server))
            port = server.bind_to_random_port("tcp://127.0.0.1")
            for sock, who in ((good, keys.client), (bad, keys.stranger)):
                configure_socket(sock, curve_client(who, keys.server[0]))
                sock.connect(f"tcp://127.0.0.1:{port}")
                await sock.send(b"hi")
            routing_id, body = await asyncio.wait_for(server.recv_multipart(), TIMEOUT)
            assert body == b"hi"
            await server.send_multipart([routing_id, b"ok"])
            assert await asyncio.wait_for(good.recv(), TIMEOUT) == b"ok"
            deadline = time.monotonic() + TIMEOUT
            while ("*", keys.stranger[0]) not in provider.calls:
                assert time.monotonic() < deadline, "the stranger was never authenticated"
                await asyncio.sleep(0.01)
            assert await server.poll(QUIET * 1000) == 0
            assert await bad.poll(0) == 0
        finally:
            auth.stop()

    run(main)


# ----------------------------------------------- ZAP requests, frame level


@pytest.fixture
def zap(ctx):
    """(auth, ask): a started Authenticator and ask(*frames), which sends it
    one ZAP request, lets it answer, and returns (reply frames, exception
    raised by handle_zap_message or None)."""
    auth = Authenticator(ctx)
    auth.start()
    client = ctx.socket(zmq.DEALER)
    client.linger = 0
    client.connect(ZAP_ENDPOINT)

    def ask(*frames):
        client.send_multipart([b"", *frames])
        assert auth.zap_socket.poll(TIMEOUT * 1000)
        request = auth.zap_socket.recv_multipart()
        error = None
        try:
            asyncio.run(auth.handle_zap_message(request))
        except Exception as exc:
            error = exc
        assert client.poll(TIMEOUT * 1000), "no ZAP reply"
        empty, *reply = client.recv_multipart()
        assert empty == b""
        return reply, error

    yield auth, ask
    auth.stop()


def request(mechanism, *credentials, domain=b"", address=b"127.0.0.1"):
    return (VERSION, b"42", domain, address, b"identity", mechanism, *credentials)


def test_zap_handler_socket(zap):
    auth, _ = zap
    assert auth.zap_socket.type == zmq.REP
    assert auth.zap_socket.getsockopt(zmq.LAST_ENDPOINT) == ZAP_ENDPOINT.encode()


@pytest.mark.parametrize(
    "frames, status, text",
    [
        ((VERSION, b"42"), b"400", b"Not enough frames"),
        ((b"2.0", b"42", b"", b"127.0.0.1", b"", b"NULL"), b"400", b"Invalid version"),
        (request(b"PLAIN", b"admin"), b"400", b"Invalid credentials"),
        (request(b"PLAIN", b"admin", b"\xff\xfe"), b"400", b"Invalid credentials"),
        (request(b"PLAIN", b"admin", b"secret", domain=b"other"), b"400", b"Invalid domain"),
        (request(b"PLAIN", b"nobody", b"secret"), b"400", b"Invalid username"),
        (request(b"PLAIN", b"admin", b"wrong"), b"400", b"Invalid password"),
        (request(b"CURVE"), b"400", b"Invalid credentials"),
        (request(b"CURVE", b"k" * 31), b"400", b"Invalid credentials"),
        (request(b"CURVE", b"k" * 32), b"400", b"Unknown domain"),
        (request(b"GSSAPI"), b"400", b"Invalid credentials"),
        (request(b"SOMETHING", b"x"), b"400", b"NO ACCESS"),
    ],
    ids=[
        "short",
        "version",
        "plain-one-frame",
        "plain-not-text",
        "plain-domain",
        "plain-user",
        "plain-password",
        "curve-no-key",
        "curve-short-key",
        "curve-unconfigured",
        "gssapi-no-principal",
        "unknown-mechanism",
    ],
)
def test_bad_requests_are_refused(zap, frames, status, text):
    auth, ask = zap
    auth.configure_plain("*", {"admin": "secret"})
    reply, error = ask(*frames)
    assert error is None
    assert reply == [VERSION, b"42", status, text, b"", b""]
    # The handler answered, so it is ready for the next request.
    assert ask(*request(b"NULL"))[0] == [VERSION, b"42", b"200", b"OK", b"anonymous", b""]


def test_accepted_replies_carry_user_id(zap):
    auth, ask = zap
    key = bytes(range(32))
    auth.configure_plain("*", {"admin": "secret"})
    auth.configure_curve("*", CURVE_ALLOW_ANY)
    assert ask(*request(b"NULL"))[0][2:] == [b"200", b"OK", b"anonymous", b""]
    assert ask(*request(b"PLAIN", b"admin", b"secret"))[0][2:] == [b"200", b"OK", b"admin", b""]
    assert ask(*request(b"CURVE", key))[0][2:] == [b"200", b"OK", z85.encode(key), b""]
    assert ask(*request(b"GSSAPI", b"alice@REALM"))[0][2:] == [b"200", b"OK", b"alice@REALM", b""]


def test_address_policies_at_zap_level(zap):
    auth, ask = zap
    auth.allow("192.0.2.1")
    assert ask(*request(b"NULL"))[0][2:4] == [b"400", b"Address not allowed"]
    assert ask(*request(b"NULL", address=b"192.0.2.1"))[0][2:4] == [b"200", b"OK"]


def test_user_hook_errors_are_raised_after_refusing(zap):
    auth, ask = zap

    class Broken:
        def callback(self, domain, key):
            raise RuntimeError("lookup failed")

    auth.configure_curve_callback("*", Broken())
    reply, error = ask(*request(b"CURVE", b"k" * 32))
    assert reply == [VERSION, b"42", b"500", b"Internal error", b"", b""]
    assert isinstance(error, RuntimeError) and "lookup failed" in str(error)

    auth.configure_curve("*", CURVE_ALLOW_ANY)
    auth.curve_user_id = lambda key: 12345
    reply, error = ask(*request(b"CURVE", b"k" * 32))
    assert reply[2:4] == [b"500", b"Internal error"]
    assert isinstance(error, TypeError) and "curve_user_id" in str(error)


def test_curve_precedence(zap, keys):
    auth, ask = zap
    stranger = z85.decode(keys.stranger[0])
    auth.configure_curve("*", keys.public_dir)
    assert ask(*request(b"CURVE", stranger))[0][2:4] == [b"400", b"Unknown key"]
    # A callback decides for its domain before the certificates.
    auth.configure_curve_callback("*", Provider(accepted=keys.stranger[0]))
    assert ask(*request(b"CURVE", stranger))[0][2] == b"200"
    # CURVE_ALLOW_ANY accepts every key in every domain.
    auth.configure_curve("*", CURVE_ALLOW_ANY)
    assert auth.allow_any
    assert ask(*request(b"CURVE", b"k" * 32, domain=b"elsewhere"))[0][2] == b"200"
    # Loading a directory again turns it off.
    auth.configure_curve("*", keys.public_dir)
    assert not auth.allow_any


# --------------------------------------------------------- configuration


def test_configuration_state(ctx, keys):
    auth = Authenticator(ctx)
    assert auth.context is ctx
    assert auth.encoding == "utf-8"
    assert auth.zap_socket is None
    assert auth.log.name == "zmq.auth"
    passwords = {"admin": "secret"}
    auth.configure_plain("staff", passwords)
    assert auth.passwords == {"staff": passwords}
    # An empty configuration leaves the previous one in place.
    auth.configure_plain("staff")
    assert auth.passwords["staff"] is passwords
    auth.configure_curve("*", keys.public_dir)
    assert auth.certs == {"*": {keys.client[0]: True}}
    provider = Provider(None)
    auth.configure_curve_callback("*", provider)
    assert auth.credentials_providers == {"*": provider}
    auth.configure_gssapi()
    auth.allow("192.0.2.1", "192.0.2.2")
    auth.allow("192.0.2.3")
    assert auth._allowed == {"192.0.2.1", "192.0.2.2", "192.0.2.3"}


def test_allow_and_deny_exclude_each_other(ctx):
    auth = Authenticator(ctx)
    auth.allow("192.0.2.1")
    with pytest.raises(ValueError, match="allow or deny"):
        auth.deny("192.0.2.2")
    auth = Authenticator(ctx)
    auth.deny("192.0.2.1")
    with pytest.raises(ValueError, match="allow or deny"):
        auth.allow("192.0.2.2")
    with pytest.raises(TypeError, match="str"):
        auth.deny(b"192.0.2.1")


def test_bad_configuration_raises(ctx, tmp_path, keys):
    auth = Authenticator(ctx)
    auth.configure_curve("*", keys.public_dir)
    before = dict(auth.certs)
    with pytest.raises(OSError, match="certificate directory"):
        auth.configure_curve("*", tmp_path / "missing")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "bad.key").write_text('curve\n    public-key = "tooshort"\n')
    with pytest.raises(ValueError, match="bad.key"):
        auth.configure_curve("*", broken)
    assert auth.certs == before
    with pytest.raises(TypeError, match="callback"):
        auth.configure_curve_callback("*", None)
    with pytest.raises(TypeError, match="callback"):
        auth.configure_curve_callback("*", object())
    with pytest.raises(TypeError, match="mapping"):
        auth.configure_plain("*", [("admin", "secret")])
    with pytest.raises(TypeError, match="str"):
        auth.configure_plain("*", {b"admin": b"secret"})


def test_start_conflicts_are_clear(ctx):
    first = ThreadAuthenticator(ctx)
    first.start()
    try:
        with pytest.raises(RuntimeError, match="already started"):
            Authenticator.start(first)
        second = ThreadAuthenticator(ctx)
        with pytest.raises(zmq.ZMQError) as info:
            second.start()
        assert info.value.errno == zmq.EADDRINUSE
        assert second.zap_socket is None and second.pipe is None and not second.is_alive()
        assert first.is_alive()
    finally:
        first.stop()


def test_restart_and_repeated_stop(ctx):
    auth = ThreadAuthenticator(ctx)
    assert not auth.is_alive()
    for _ in range(3):
        # stop() frees the ZAP endpoint at once: a new start need not wait.
        auth.start()
        assert auth.is_alive()
        assert isinstance(auth.thread, AuthenticationThread) and auth.thread.daemon
        auth.stop()
        auth.stop()
        assert not auth.is_alive()
        assert auth.zap_socket is None and auth.pipe is None and auth.thread is None


def test_asyncio_stop_releases_its_descriptor(run, ctx):
    async def main():
        loop = asyncio.get_running_loop()
        selector = getattr(loop, "_selector", None)
        watched = len(selector.get_map()) if selector is not None else None
        for _ in range(3):
            auth = AsyncioAuthenticator(ctx)
            auth.start()
            await asyncio.sleep(0.01)
            auth.stop()
            auth.stop()
            assert auth.zap_socket is None
            if selector is not None:
                assert len(selector.get_map()) == watched
        await asyncio.sleep(0)
        serving = [t for t in asyncio.all_tasks() if "handle_zap" in t.get_coro().__qualname__]
        assert serving == []

    run(main)


def test_asyncio_start_outside_a_running_loop(ctx):
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        auth = AsyncioAuthenticator(ctx)
        auth.start()
        assert auth.zap_socket is not None
        auth.stop()
        loop.run_until_complete(asyncio.sleep(0))
    finally:
        asyncio.set_event_loop(None)
        loop.close()


def test_deprecated_names_and_arguments(ctx):
    assert issubclass(IOLoopAuthenticator, AsyncioAuthenticator)
    with pytest.warns(DeprecationWarning, match="IOLoopAuthenticator is deprecated"):
        importlib.reload(zmq.auth.ioloop)
    with pytest.warns(DeprecationWarning, match="ignored"):
        IOLoopAuthenticator(ctx, io_loop=object())
    with pytest.warns(DeprecationWarning, match="ignored"):
        AsyncioAuthenticator(ctx, loop=object())


def test_public_api():
    assert VERSION == b"1.0"
    assert CURVE_ALLOW_ANY == "*"
    for name in ("Authenticator", "CURVE_ALLOW_ANY", "create_certificates", "load_certificate", "load_certificates"):
        assert hasattr(zmq.auth, name)
    assert inspect.iscoroutinefunction(Authenticator.handle_zap_message)
    params = {
        Authenticator.__init__: ["self", "context", "encoding", "log"],
        AsyncioAuthenticator.__init__: ["self", "context", "loop", "encoding", "log"],
        IOLoopAuthenticator.__init__: ["self", "context", "encoding", "log", "io_loop"],
        AuthenticationThread.__init__: ["self", "authenticator", "pipe"],
        Authenticator.configure_plain: ["self", "domain", "passwords"],
        Authenticator.configure_curve: ["self", "domain", "location"],
        Authenticator.configure_curve_callback: ["self", "domain", "credentials_provider"],
        Authenticator.configure_gssapi: ["self", "domain", "location"],
        Authenticator.curve_user_id: ["self", "client_public_key"],
        Authenticator.handle_zap_message: ["self", "msg"],
    }
    for function, names in params.items():
        assert list(inspect.signature(function).parameters) == names, function
    assert inspect.signature(Authenticator.configure_curve).parameters["location"].default == "."


# ------------------------------------------------------- shutting down


def open_fds():
    fds = {}
    for name in os.listdir("/proc/self/fd"):
        try:
            fds[int(name)] = os.readlink(f"/proc/self/fd/{name}")
        except OSError:
            pass  # the directory listing's own descriptor, already closed
    return fds


def term_within(ctx, timeout):
    """Whether ctx.term() returns within timeout (it blocks while a socket is open)."""
    done = threading.Event()

    def term():
        ctx.term()
        done.set()

    threading.Thread(target=term, daemon=True).start()
    return done.wait(timeout)


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc to count descriptors")
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_stop_leaves_nothing_behind(kind, keys):
    def cycle():
        ctx = zmq.Context()
        result = serve_with(
            kind,
            ctx,
            lambda auth: auth.configure_curve("*", keys.public_dir),
            lambda: [
                handshake(ctx, curve_server(keys.server), curve_client(keys.client, keys.server[0])),
                handshake(ctx, curve_server(keys.server), curve_client(keys.stranger, keys.server[0])),
            ],
        )
        assert result == [("accepted", keys.client[0].decode()), ("refused", 400)]
        assert term_within(ctx, TIMEOUT), "context.term() blocked: the authenticator left a socket open"

    cycle()  # first use: lazy imports and first-time setup are not leaks
    gc.collect()
    threads, fds = set(threading.enumerate()), open_fds()
    cycle()
    gc.collect()
    # The thread running term() may still be finishing.
    deadline = time.monotonic() + TIMEOUT
    while set(threading.enumerate()) - threads and time.monotonic() < deadline:
        time.sleep(0.01)
    assert set(threading.enumerate()) == threads
    after = open_fds()
    assert sorted(after) == sorted(fds), {fd: after.get(fd, fds.get(fd)) for fd in set(after) ^ set(fds)}


# ---------------------------------------------------- certificate files


def test_certificate_round_trip(tmp_path):
    public_file, secret_file = zmq.auth.create_certificates(tmp_path, "alice", metadata={"name": "Alice"})
    assert (public_file, secret_file) == (str(tmp_path / "alice.key"), str(tmp_path / "alice.key_secret"))
    assert stat.S_IMODE(os.stat(secret_file).st_mode) == 0o600
    public, no_secret = zmq.auth.load_certificate(public_file)
    same_public, secret = zmq.auth.load_certificate(secret_file)
    assert no_secret is None
    assert public == same_public and len(public) == len(secret) == 40
    assert zmq.curve_public(secret) == public
    for path in (public_file, secret_file):
        text = Path(path).read_text()
        assert "name = Alice" in text and text.startswith("#")
    assert "secret-key" not in Path(public_file).read_text()


def test_load_certificates_reads_public_files(tmp_path):
    first, _ = zmq.auth.create_certificates(tmp_path, "one")
    second, _ = zmq.auth.create_certificates(tmp_path, "two")
    (tmp_path / "notes.txt").write_text("not a certificate")
    expected = {zmq.auth.load_certificate(first)[0]: True, zmq.auth.load_certificate(second)[0]: True}
    assert zmq.auth.load_certificates(tmp_path) == expected
    assert zmq.auth.load_certificates(str(tmp_path)) == expected
    with pytest.raises(OSError, match="certificate directory"):
        zmq.auth.load_certificates(tmp_path / "missing")
    with pytest.raises(OSError, match="certificate directory"):
        zmq.auth.load_certificates(first)


def test_hand_written_certificate_loads(tmp_path):
    public, secret = zmq.curve_keypair()
    path = tmp_path / "written.key_secret"
    path.write_bytes(
        b"#   a comment line\r\n"
        b"metadata\r\n"
        b"    owner = someone\r\n"
        b"curve\r\n"
        b"\tpublic-key = '" + public + b"'\r\n"
        b"    secret-key=" + secret + b"\r\n"
    )
    assert zmq.auth.load_certificate(path) == (public, secret)


def key_file(public=None, secret=None, extra=b""):
    text = b"metadata\ncurve\n"
    if public is not None:
        text += b'    public-key = "' + public + b'"\n'
    if secret is not None:
        text += b'    secret-key = "' + secret + b'"\n'
    return text + extra


PUBLIC, SECRET = zmq.curve_keypair()
OTHER_PUBLIC, OTHER_SECRET = zmq.curve_keypair()


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "No public key"),
        (b"\xff\xfe\x00 binary \x01", "No public key"),
        (key_file(secret=SECRET), "No public key"),
        (key_file(PUBLIC[:39]), "40 Z85 characters"),
        (key_file(b" " * 40), "not Z85"),
        (key_file(PUBLIC, SECRET[:20]), "40 Z85 characters"),
        (key_file(PUBLIC, OTHER_SECRET), "does not match"),
        (key_file(PUBLIC, extra=b'    public-key = "' + OTHER_PUBLIC + b'"\n'), "two different"),
    ],
    ids=["empty", "binary", "secret-only", "short", "not-z85", "short-secret", "mismatch", "two-publics"],
)
def test_malformed_certificates_raise(tmp_path, content, message):
    path = tmp_path / "bad.key"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=message) as info:
        zmq.auth.load_certificate(path)
    assert "bad.key" in str(info.value)


def test_missing_certificate_raises(tmp_path):
    with pytest.raises(OSError, match="certificate file"):
        zmq.auth.load_certificate(tmp_path / "missing.key")


@pytest.mark.parametrize("metadata", [{"name": "two\nlines"}, {"a=b": "x"}, {"public-key": "x"}])
def test_bad_metadata_raises(tmp_path, metadata):
    with pytest.raises(ValueError, match="metadata"):
        zmq.auth.create_certificates(tmp_path, "alice", metadata=metadata)
    assert not list(tmp_path.iterdir())


# ------------------------------------- interoperability with real pyzmq

REFERENCE_PYTHON = os.environ.get("PYZMQ_REFERENCE_PYTHON")
PEER_SCRIPT = Path(__file__).resolve().with_name("auth_peer.py")
SOURCE_TREE = Path(__file__).resolve().parents[1]

needs_reference = pytest.mark.skipif(
    not REFERENCE_PYTHON,
    reason="PYZMQ_REFERENCE_PYTHON is not set: it names a Python with the reference pyzmq "
    "installed, which runs the peer of the interoperability tests",
)


def child_pids():
    pids = set()
    for task in Path("/proc/self/task").glob("*/children"):
        try:
            pids.update(int(pid) for pid in task.read_text().split())
        except OSError:
            pass
    return pids


class ReferencePeers:
    """Processes running tests/auth_peer.py on the reference pyzmq."""

    def __init__(self, cwd):
        self.cwd = cwd
        self.procs = []

    def start(self, command, **args):
        # -I: neither the environment's PYTHON* variables nor the script's
        # directory may put another zmq first on the path; the working
        # directory is outside the source tree for the same reason.
        proc = subprocess.Popen(
            [REFERENCE_PYTHON, "-I", str(PEER_SCRIPT), command, json.dumps(args)],
            cwd=self.cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.procs.append(proc)
        return proc

    def read(self, proc, timeout=30.0):
        """The peer's next JSON line."""
        with selectors.DefaultSelector() as selector:
            selector.register(proc.stdout, selectors.EVENT_READ)
            if not selector.select(timeout):
                pytest.fail(f"the reference peer said nothing within {timeout}s")
        line = proc.stdout.readline()
        if not line:
            proc.wait(TIMEOUT)
            pytest.fail(f"the reference peer failed: {proc.stderr.read()}")
        report = json.loads(line)
        peer_zmq = Path(report["file"]).resolve()
        assert SOURCE_TREE not in peer_zmq.parents, f"the peer imported this package: {peer_zmq}"
        return report

    def finish(self, proc, timeout=30.0):
        """The peer's last report, once it exited successfully."""
        report = self.read(proc, timeout)
        assert proc.wait(timeout) == 0, proc.stderr.read()
        return report

    def run(self, command, **args):
        return self.finish(self.start(command, **args))

    def close(self):
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
            proc.wait(TIMEOUT)
            for stream in (proc.stdin, proc.stdout, proc.stderr):
                stream.close()


@pytest.fixture
def peers(tmp_path):
    work = tmp_path / "peer"
    work.mkdir()
    peers = ReferencePeers(work)
    yield peers
    peers.close()
    started = {proc.pid for proc in peers.procs}
    assert not started & child_pids(), "a reference peer process was left behind"


@needs_reference
def test_certificate_files_interchange(peers, tmp_path):
    directory = tmp_path / "certs"
    directory.mkdir()
    zmq.auth.create_certificates(directory, "ours", metadata={"origin": "tests"})
    # The reference writes its own pair, then reads all four files.
    theirs = peers.run("certs", dir=str(directory), create=["theirs"])["loaded"]
    ours = {}
    for path in sorted(directory.iterdir()):
        public, secret = zmq.auth.load_certificate(path)
        ours[path.name] = [public.decode(), secret and secret.decode()]
    assert set(ours) == {"ours.key", "ours.key_secret", "theirs.key", "theirs.key_secret"}
    assert ours == theirs
    for name in ("ours", "theirs"):
        public, secret = ours[f"{name}.key_secret"]
        assert zmq.curve_public(secret.encode()).decode() == public


@needs_reference
def test_reference_client_with_our_authenticator(peers, ctx, tmp_path, keys):
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    peers.run("certs", dir=str(theirs), create=["client", "stranger"])
    shutil.copy(theirs / "client.key", keys.public_dir)
    accepted_key = zmq.auth.load_certificate(theirs / "client.key")[0]

    auth = ThreadAuthenticator(ctx)
    auth.start()
    server = ctx.socket(zmq.ROUTER)
    server.linger = 0
    try:
        auth.configure_curve("*", keys.public_dir)
        configure_socket(server, curve_server(keys.server))
        monitor = monitor_of(server, zmq.EVENT_HANDSHAKE_FAILED_AUTH)
        port = server.bind_to_random_port("tcp://127.0.0.1")
        proc = peers.start(
            "client",
            port=port,
            server_public=keys.server[0].decode(),
            secret_files=[str(theirs / "client.key_secret"), str(theirs / "stranger.key_secret")],
            timeout=1.0,
        )
        received = []
        deadline = time.monotonic() + 30
        while proc.poll() is None and time.monotonic() < deadline:
            if server.poll(20):
                routing_id, frame = server.recv_multipart(copy=False)
                received.append((frame.bytes, frame.get("User-Id")))
                server.send_multipart([routing_id.bytes, b"ours got " + frame.bytes])
        report = peers.finish(proc)
        assert report["replies"] == ["ours got hello from pyzmq", None]
        assert received == [(b"hello from pyzmq", accepted_key.decode())]
        assert wait_event(monitor, {zmq.EVENT_HANDSHAKE_FAILED_AUTH})["value"] == 400
        monitor.close(linger=0)
    finally:
        server.close(linger=0)
        auth.stop()


@needs_reference
def test_our_client_with_reference_authenticator(peers, ctx, keys):
    proc = peers.start(
        "server",
        public_dir=str(keys.public_dir),
        secret_file=str(keys.public_dir.parent / "server" / "server.key_secret"),
    )
    port = peers.read(proc)["port"]
    results = []
    for who in (keys.client, keys.stranger):
        client = ctx.socket(zmq.DEALER)
        client.linger = 0
        configure_socket(client, curve_client(who, keys.server[0]))
        monitor = monitor_of(client, zmq.EVENT_HANDSHAKE_SUCCEEDED | zmq.EVENT_HANDSHAKE_FAILED_AUTH)
        client.connect(f"tcp://127.0.0.1:{port}")
        client.send(b"hello from us")
        event = wait_event(monitor, HANDSHAKE_END, timeout=30)
        if event["event"] == zmq.EVENT_HANDSHAKE_SUCCEEDED:
            assert client.poll(30_000)
            results.append(client.recv())
        else:
            assert client.poll(QUIET * 1000) == 0
            results.append(event["value"])
        monitor.close(linger=0)
        client.close(linger=0)
    proc.stdin.write("quit\n")
    proc.stdin.flush()
    report = peers.finish(proc)
    assert results == [b"pyzmq got hello from us", 400]
    assert report["received"] == [["hello from us", keys.client[0].decode()]]
    assert report["auth_failures"] >= 1


def test_context_term_ends_a_running_thread_authenticator():
    ctx = zmq.Context()
    auth = ThreadAuthenticator(ctx)
    auth.start()
    # term() needs every socket closed; the thread closes its own on ETERM.
    assert term_within(ctx, TIMEOUT), "context.term() blocked by the running authenticator"
    auth.thread.join(TIMEOUT)
    assert not auth.is_alive()
    auth.stop()


def test_context_term_ends_a_running_asyncio_authenticator(run):
    ctx = zmq.Context()

    async def main():
        auth = AsyncioAuthenticator(ctx)
        auth.start()
        await asyncio.sleep(0.01)
        # From another thread: in the loop's own thread term() would block it.
        terminated = await asyncio.to_thread(term_within, ctx, TIMEOUT)
        assert terminated, "context.term() blocked by the running authenticator"
        auth.stop()

    run(main)
