"""The smaller modules of pyzmq's layout: monitored_queue, curve_keygen,
zmq.auth.certs, zmq.utils.garbage/interop/strtypes/win32, Stopwatch, version."""

import ctypes
import json
import os
import subprocess
import tempfile
import sys
import threading
import warnings

import pytest

import zmq
from zmq.backend import monitored_queue

needs_curve = pytest.mark.skipif(not zmq.has("curve"), reason="libzmq without CURVE")


# --- monitored_queue ---------------------------------------------------------------


def _run_queue(ins, outs, mon, *prefixes):
    result = {}

    def run():
        try:
            monitored_queue(ins, outs, mon, *prefixes)
        except Exception as e:  # noqa: BLE001 - handed to the test
            result["error"] = e

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, result


def _stop_queue(ctx, thread, result, queue_sockets, other_sockets):
    """Terminate the context under a running queue: the queue raises
    ContextTerminated, then its sockets can be closed and term() returns.
    (Closing them while it polls them would pull them from under libzmq.)"""
    for s in other_sockets:
        s.close()
    terminator = threading.Thread(target=ctx.term, daemon=True)
    terminator.start()
    thread.join(10)
    assert not thread.is_alive()
    assert isinstance(result.get("error"), zmq.ContextTerminated)
    for s in queue_sockets:
        s.close()
    terminator.join(10)
    assert not terminator.is_alive()


def _queue_sockets(ctx, name, in_type, out_type):
    """The queue's bound in, out and PUB monitor sockets, and a SUB on the monitor."""
    sockets = ctx.socket(in_type), ctx.socket(out_type), ctx.socket(zmq.PUB)
    for s, side in zip(sockets, ("in", "out", "mon")):
        s.linger = 0
        s.bind(f"inproc://{name}-{side}")
    return sockets + (_monitor(ctx, f"inproc://{name}-mon"),)


def _peers(ctx, name, *routing_ids):
    """DEALERs connected to the queue's in and out sides."""
    peers = []
    for side, routing_id in zip(("in", "out"), routing_ids):
        s = ctx.socket(zmq.DEALER)
        if routing_id:
            s.routing_id = routing_id
        s.linger = 0
        s.rcvtimeo = 5000
        s.connect(f"inproc://{name}-{side}")
        peers.append(s)
    return peers


def _monitor(ctx, url):
    sub = ctx.socket(zmq.SUB)
    sub.linger = 0
    sub.rcvtimeo = 5000
    sub.subscribe(b"")
    sub.connect(url)
    return sub


def test_monitored_queue_forwards_both_ways_and_copies_to_monitor():
    ctx = zmq.Context()
    ins, outs, mon, sub = _queue_sockets(ctx, "mq", zmq.ROUTER, zmq.DEALER)
    client, worker = _peers(ctx, "mq", None, None)
    thread, result = _run_queue(ins, outs, mon, b"IN", b"OUT")
    try:
        client.send_multipart([b"request", b"body"])
        routed = worker.recv_multipart()
        assert routed[1:] == [b"request", b"body"]
        seen = sub.recv_multipart()
        assert seen[0] == b"IN" and seen[2:] == [b"request", b"body"]
        worker.send_multipart(routed[:1] + [b"reply"])
        assert client.recv_multipart() == [b"reply"]
        assert sub.recv_multipart() == [b"OUT", routed[0], b"reply"]
    finally:
        _stop_queue(ctx, thread, result, (ins, outs, mon), (client, worker, sub))


def test_monitored_queue_ends_with_context_terminated():
    ctx = zmq.Context()
    ins, outs, mon, sub = _queue_sockets(ctx, "mq-term", zmq.PULL, zmq.PUSH)
    thread, result = _run_queue(ins, outs, mon)
    _stop_queue(ctx, thread, result, (ins, outs, mon), (sub,))


def test_monitored_queue_router_to_router_swaps_routing_ids():
    ctx = zmq.Context()
    front, back, mon, sub = _queue_sockets(ctx, "mq-rr", zmq.ROUTER, zmq.ROUTER)
    client, server = _peers(ctx, "mq-rr", b"client", b"server")
    thread, result = _run_queue(front, back, mon, b"in", b"out")
    try:
        # The client names the server; the server sees who sent it.
        client.send_multipart([b"server", b"hello"])
        assert server.recv_multipart() == [b"client", b"hello"]
        assert sub.recv_multipart() == [b"in", b"server", b"client", b"hello"]
        server.send_multipart([b"client", b"back"])
        assert client.recv_multipart() == [b"server", b"back"]
    finally:
        _stop_queue(ctx, thread, result, (front, back, mon), (client, server, sub))


def test_monitored_queue_on_closed_socket(socket):
    a, b, c = socket(zmq.PAIR), socket(zmq.PAIR), socket(zmq.PUB)
    b.close()
    with pytest.raises(zmq.ZMQError) as info:
        monitored_queue(a, b, c)
    assert info.value.errno == zmq.ENOTSOCK


# --- curve_keygen -------------------------------------------------------------------


def _keygen(*args, cwd=None):
    # Never from the source tree: its uncompiled zmq/ would shadow the
    # installed package in the child.
    return subprocess.run([sys.executable, "-m", "zmq.curve_keygen", *args], capture_output=True,
                          text=True, timeout=60, cwd=cwd or tempfile.gettempdir())


@needs_curve
def test_curve_keygen_json():
    result = _keygen("--json")
    assert result.returncode == 0, result.stderr
    keys = json.loads(result.stdout)
    assert set(keys) == {"public", "secret"}
    assert zmq.curve_public(keys["secret"].encode()) == keys["public"].encode()


@needs_curve
def test_curve_keygen_derives_public_key_from_secret():
    public, secret = zmq.curve_keypair()
    # The =-form: a Z85 key may start with "-", which argparse would take for an option.
    result = _keygen("--json", f"--secret={secret.decode()}")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"public": public.decode(), "secret": secret.decode()}


@needs_curve
def test_curve_keygen_bad_secret_fails():
    result = _keygen("--secret", "short")
    assert result.returncode == 1
    assert "secret" in result.stderr


@needs_curve
def test_curve_keygen_name_writes_certificates(tmp_path):
    from zmq.auth.certs import load_certificate

    result = _keygen("server", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    public, secret = load_certificate(tmp_path / "server.key_secret")
    assert load_certificate(tmp_path / "server.key") == (public, None)
    assert zmq.curve_public(secret) == public
    assert oct(os.stat(tmp_path / "server.key_secret").st_mode & 0o777) == "0o600"


def test_curve_keygen_name_with_json_is_refused(tmp_path):
    result = _keygen("server", "--json", cwd=tmp_path)
    assert result.returncode == 2
    assert not os.listdir(tmp_path)


# --- zmq.auth.certs -----------------------------------------------------------------


@needs_curve
def test_certificates_round_trip(tmp_path):
    from zmq.auth.certs import create_certificates, load_certificate, load_certificates

    public_file, secret_file = create_certificates(tmp_path, "alice", metadata={"name": "alice"})
    assert (public_file, secret_file) == (str(tmp_path / "alice.key"), str(tmp_path / "alice.key_secret"))
    public, secret = load_certificate(secret_file)
    assert len(public) == len(secret) == 40
    assert load_certificate(public_file) == (public, None)
    assert "name = alice" in open(public_file).read()
    create_certificates(tmp_path, "bob")
    keys = load_certificates(tmp_path)
    assert len(keys) == 2 and keys[public] is True


def test_certificate_bad_files(tmp_path):
    from zmq.auth.certs import load_certificate, load_certificates

    with pytest.raises(OSError):
        load_certificate(tmp_path / "missing.key")
    bad = tmp_path / "bad.key"
    bad.write_text("garbage\n")
    with pytest.raises(ValueError):
        load_certificate(bad)
    with pytest.raises(OSError):
        load_certificates(tmp_path / "no-such-directory")


# --- zmq.utils ----------------------------------------------------------------------


def test_garbage_collector_releases_on_key():
    from zmq.utils.garbage import GarbageCollector

    gc = GarbageCollector()
    try:
        event = threading.Event()
        payload = bytearray(b"lent to C code")
        key = gc.store(payload, event)
        assert gc.is_alive()
        assert gc.refs[key].obj is payload
        gc.release(key)
        assert event.wait(5)
        assert key not in gc.refs
    finally:
        gc.stop()
    assert not gc.is_alive()


def test_cast_int_addr():
    from zmq.utils.interop import cast_int_addr

    assert cast_int_addr(1234) == 1234
    assert cast_int_addr(ctypes.c_void_p(1234)) == 1234
    with pytest.raises(ValueError):
        cast_int_addr(ctypes.c_void_p(None))


def test_strtypes():
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        import importlib

        import zmq.utils.strtypes as strtypes

        importlib.reload(strtypes)
    assert strtypes.cast_bytes("é") == "é".encode()
    assert strtypes.cast_unicode("é".encode()) == "é"
    assert strtypes.b is strtypes.asbytes is strtypes.cast_bytes
    assert strtypes.u is strtypes.cast_unicode
    assert strtypes.unicode is str and strtypes.bytes is bytes and strtypes.basestring == (str,)


def test_allow_interrupt_runs_the_block():
    from zmq.utils.win32 import allow_interrupt

    ran = []
    with allow_interrupt(lambda: None):
        ran.append(True)
    assert ran == [True]


def test_stopwatch():
    with pytest.warns(DeprecationWarning):
        watch = zmq.Stopwatch()
    with pytest.raises(zmq.ZMQError):
        watch.stop()
    watch.start()
    assert isinstance(watch.stop(), int)


def test_version_names():
    import zmq.sugar.version as version

    assert version.version_info[:3] == (version.VERSION_MAJOR, version.VERSION_MINOR, version.VERSION_PATCH)
    assert zmq.pyzmq_version_info() == version.version_info
    assert zmq.__revision__ == ""
    assert zmq.__version__.startswith(f"{version.VERSION_MAJOR}.{version.VERSION_MINOR}.")


def test_draft_fd_warning():
    assert issubclass(zmq.DraftFDWarning, RuntimeWarning)
    assert str(zmq.DraftFDWarning("custom")) == "custom"
    assert str(zmq.DraftFDWarning())


def test_device_refuses_a_missing_backend(socket):
    front = socket(zmq.PAIR)
    with pytest.raises(TypeError):
        zmq.device(zmq.QUEUE, front, None)
