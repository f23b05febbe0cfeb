"""locust in distributed mode: a headless master and one worker, both talking
over this package's zmq.green, load a local HTTP server."""

import csv
import importlib.util
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

if importlib.util.find_spec("locust") is None:
    # Not pytest.importorskip: a locust that fails to import because this
    # package lacks something it needs is a failure, not a skip.
    pytest.skip("locust is not installed", allow_module_level=True)


# The master stops the test after RUN_TIME; everything else is a hang.
RUN_TIME = "4s"
PROCESS_TIMEOUT = 60

# Problems a process can print without failing its exit code.
ERROR_MARKERS = (
    "Traceback",
    "Error in sys.excepthook",
    "Exception ignored",
    "ResourceWarning",
    "Fatal Python error",
    "Assertion failed",  # a libzmq assertion, right before abort()
)

LOCUSTFILE = '''\
import json
import os

import zmq
import zmq.green
from locust import HttpUser, constant, events, task


@events.init.add_listener
def _record_zmq(environment, **kwargs):
    """Which zmq this locust process uses, for the test to check."""
    role = type(environment.runner).__name__
    with open(os.path.join(os.environ["ZMQ_RECORD_DIR"], role + ".json"), "w") as f:
        json.dump({
            "zmq_file": os.path.realpath(zmq.__file__),
            "zmq_green_file": os.path.realpath(zmq.green.__file__),
            "zmq_version": zmq.__version__,
        }, f)


class Visitor(HttpUser):
    wait_time = constant(0.05)

    @task
    def index(self):
        self.client.get("/")
'''


class CountingHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        with self.server.lock:
            self.server.requests += 1
        body = b"hello from the pyzmq downstream test\n"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


@pytest.fixture
def http_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), CountingHandler)
    server.daemon_threads = True
    server.lock = threading.Lock()
    server.requests = 0
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def locust_command():
    # The locust script next to this interpreter, hence this zmq; else
    # locust.main through the interpreter (locust has no __main__ module).
    script = os.path.join(os.path.dirname(sys.executable), "locust")
    if os.path.isfile(script):
        return [script]
    found = shutil.which("locust")
    if found:
        return [found]
    return [sys.executable, "-c", "import sys; from locust.main import main; sys.exit(main())"]


def expected_zmq():
    import zmq.green

    return {
        "zmq_file": os.path.realpath(zmq.__file__),
        "zmq_green_file": os.path.realpath(zmq.green.__file__),
        "zmq_version": zmq.__version__,
    }


def test_master_counts_worker_requests(tmp_path, http_server):
    locustfile = tmp_path / "locustfile.py"
    locustfile.write_text(LOCUSTFILE)
    record_dir = tmp_path / "zmq-record"
    record_dir.mkdir()
    csv_prefix = tmp_path / "stats" / "run"
    master_port = free_port()
    host = f"http://127.0.0.1:{http_server.server_address[1]}"
    env = dict(os.environ, ZMQ_RECORD_DIR=str(record_dir), PYTHONUNBUFFERED="1")
    common = dict(
        # Not the source tree: its zmq/ would shadow the installed package.
        cwd=str(tmp_path), env=env, stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    locust = locust_command()
    master_cmd = locust + [
        "-f", str(locustfile), "--master", "--headless",
        "--master-bind-host", "127.0.0.1", "--master-bind-port", str(master_port),
        "-u", "2", "-r", "2", "-t", RUN_TIME,
        "--expect-workers", "1", "--expect-workers-max-wait", "30",
        "--host", host, "--csv", str(csv_prefix), "--only-summary",
    ]
    worker_cmd = locust + [
        "-f", str(locustfile), "--worker",
        "--master-host", "127.0.0.1", "--master-port", str(master_port),
    ]

    master = subprocess.Popen(master_cmd, **common)
    worker = None
    try:
        worker = subprocess.Popen(worker_cmd, **common)
        try:
            worker_out, worker_err = worker.communicate(timeout=PROCESS_TIMEOUT)
            master_out, master_err = master.communicate(timeout=PROCESS_TIMEOUT)
        except subprocess.TimeoutExpired:
            for p in (worker, master):
                p.kill()
            worker_out, worker_err = worker.communicate()
            master_out, master_err = master.communicate()
            pytest.fail(
                f"locust did not finish within {PROCESS_TIMEOUT} s\n"
                f"--- master stderr:\n{master_err}\n--- worker stderr:\n{worker_err}"
            )
    finally:
        for p in (worker, master):
            if p is not None and p.poll() is None:
                p.kill()
                p.wait(10)

    report = f"--- master stderr:\n{master_err}\n--- worker stderr:\n{worker_err}"
    assert worker.returncode == 0, f"worker exited with {worker.returncode}\n{report}"
    # Nonzero also when any request failed (locust's --exit-code-on-error).
    assert master.returncode == 0, f"master exited with {master.returncode}\n{report}"
    for name, err in (("master", master_err), ("worker", worker_err)):
        for marker in ERROR_MARKERS:
            assert marker not in err, f"{name} printed {marker!r}\n{report}"

    # Both ends of the master-worker link ran on the installed zmq.green.
    for role in ("MasterRunner", "WorkerRunner"):
        recorded = json.loads((record_dir / f"{role}.json").read_text())
        assert recorded == expected_zmq(), role

    with open(f"{csv_prefix}_stats.csv", newline="") as f:
        rows = {row["Name"]: row for row in csv.DictReader(f)}
    total = rows["Aggregated"]
    requests, failures = int(total["Request Count"]), int(total["Failure Count"])
    assert requests > 0, f"the master counted no requests from its worker\n{report}"
    assert failures == 0, report
    assert int(rows["/"]["Request Count"]) == requests
    # Everything the master counted reached the server (the server may have
    # answered a request in flight when the worker stopped, never reported).
    with http_server.lock:
        served = http_server.requests
    assert requests <= served, (requests, served)
