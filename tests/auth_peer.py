"""The other end of test_auth.py's interoperability tests.

Run by a Python that has the reference pyzmq installed, from a directory
outside the source tree, so that `import zmq` is the reference package:

    python -I auth_peer.py COMMAND JSON_ARGS

It writes JSON lines on stdout; every one carries the zmq it runs
("version", "file"). Commands:

certs   {"dir", "create": [names]}: create those certificates with the
        reference zmq.auth in dir, then load every certificate file there;
        reports {"loaded": {file name: [public, secret or null]}}.
server  {"public_dir", "secret_file"}: a CURVE ROUTER on 127.0.0.1, with a
        reference ThreadAuthenticator accepting the certificates of
        public_dir. Reports {"port"} once listening, answers each message
        b"..." with b"pyzmq got ...", and on a "quit" line (or end of input)
        reports {"received": [[message, User-Id]], "auth_failures": n}.
client  {"port", "server_public", "secret_files", "timeout"}: for each
        secret certificate in turn, a CURVE DEALER sends b"hello from pyzmq"
        and waits up to timeout seconds; reports {"replies": [reply or null]}.
"""

import json
import os
import sys
import time

import zmq
import zmq.auth
from zmq.auth.thread import ThreadAuthenticator
from zmq.utils.monitor import recv_monitor_message

# The peer ends by itself if the test that started it has gone away.
MAX_LIFETIME = 60.0


def emit(**fields):
    fields.update(version=zmq.__version__, file=zmq.__file__)
    print(json.dumps(fields), flush=True)


def text(value):
    return None if value is None else value.decode("ascii")


def certs(args):
    for name in args.get("create", []):
        zmq.auth.create_certificates(args["dir"], name)
    loaded = {}
    for name in sorted(os.listdir(args["dir"])):
        if name.endswith((".key", ".key_secret")):
            public, secret = zmq.auth.load_certificate(os.path.join(args["dir"], name))
            loaded[name] = [text(public), text(secret)]
    emit(loaded=loaded)


def server(args):
    ctx = zmq.Context()
    auth = ThreadAuthenticator(ctx)
    auth.start()
    auth.configure_curve(domain="*", location=args["public_dir"])
    public, secret = zmq.auth.load_certificate(args["secret_file"])
    sock = ctx.socket(zmq.ROUTER)
    sock.linger = 0
    sock.curve_server = True
    sock.curve_publickey = public
    sock.curve_secretkey = secret
    monitor = sock.get_monitor_socket(zmq.EVENT_HANDSHAKE_FAILED_AUTH)
    port = sock.bind_to_random_port("tcp://127.0.0.1")
    emit(port=port)

    received = []
    failures = 0
    poller = zmq.Poller()
    poller.register(sock, zmq.POLLIN)
    poller.register(monitor, zmq.POLLIN)
    poller.register(sys.stdin.fileno(), zmq.POLLIN)
    deadline = time.monotonic() + MAX_LIFETIME
    running = True
    while running and time.monotonic() < deadline:
        for item, _ in poller.poll(100):
            if item is sock:
                routing_id, frame = sock.recv_multipart(copy=False)
                received.append([frame.bytes.decode(), frame.get("User-Id")])
                sock.send_multipart([routing_id.bytes, b"pyzmq got " + frame.bytes])
            elif item is monitor:
                recv_monitor_message(monitor)
                failures += 1
            else:
                line = sys.stdin.readline()
                if not line or line.strip() == "quit":
                    running = False
    emit(received=received, auth_failures=failures)
    sock.disable_monitor()
    monitor.close(linger=0)
    sock.close()
    auth.stop()
    ctx.term()


def client(args):
    ctx = zmq.Context()
    replies = []
    for secret_file in args["secret_files"]:
        public, secret = zmq.auth.load_certificate(secret_file)
        sock = ctx.socket(zmq.DEALER)
        sock.linger = 0
        sock.curve_serverkey = args["server_public"].encode("ascii")
        sock.curve_publickey = public
        sock.curve_secretkey = secret
        sock.connect(f"tcp://127.0.0.1:{args['port']}")
        sock.send(b"hello from pyzmq")
        replies.append(sock.recv().decode() if sock.poll(args["timeout"] * 1000) else None)
        sock.close()
    emit(replies=replies)
    ctx.term()


if __name__ == "__main__":
    command, arguments = sys.argv[1], json.loads(sys.argv[2])
    {"certs": certs, "server": server, "client": client}[command](arguments)
