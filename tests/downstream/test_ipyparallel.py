"""ipyparallel: a local cluster (one controller, two engines) on this zmq.

The controller and the engines are this interpreter (ipyparallel's local
launchers run sys.executable -m ipyparallel.controller / .engine), so they
import the zmq under test; every ipyparallel process uses zmq.eventloop, the
controller also zmq.devices and zmq.log.handlers.
"""

import importlib.util
import json
import os
import re
import subprocess
import sys
import time
import uuid

import pytest

for _name in ("ipyparallel", "psutil"):
    # Not pytest.importorskip: it would also skip when the library is installed
    # but fails to import because this package lacks something it needs.
    if importlib.util.find_spec(_name) is None:
        pytest.skip(f"{_name} is not installed", allow_module_level=True)

import ipyparallel as ipp  # noqa: E402  (import errors here are test failures)
import psutil  # noqa: E402  (an ipyparallel dependency)

ENGINES = 2
# With pyzmq the cluster is up in about 7 s (registration waits for heartbeats).
STARTUP_TIMEOUT = 30
# Each request below takes milliseconds; reaching this is a hang.
REPLY_TIMEOUT = 15
# The hub learns of requests and replies from the controller's queues, a
# little after the client gets its replies.
HUB_GRACE = 5
# ipyparallel's stop sends SIGTERM and SIGKILL 5 s later. Each engine has a
# nanny process that exits about 3 s after its engine, with pyzmq.
EXIT_TIMEOUT = 15

# Every process of a cluster inherits this variable, so leftovers are found
# even when reparented to init once their parent exited.
MARKER_ENV = "PYZMQ_DOWNSTREAM_IPP_CLUSTER"

# What must never be in a process's output (its stdout and stderr, which
# ipyparallel sends to one log file per process).
ERROR_MARKERS = (
    "Traceback",
    "Error in sys.excepthook",
    "Original exception was",
    "Exception ignored",
    "ResourceWarning",
    "Fatal Python error",
    "Segmentation fault",
    "Assertion failed",  # a libzmq assertion, right before abort()
)

# ipyparallel's own, with pyzmq too (ipyparallel 9.2, tornado 6.6): an engine
# stopped by SIGTERM stops its tornado loop inside IOLoop.run_sync(), which
# then raises this RuntimeError, and ipyparallel only catches
# TimeoutError/KeyboardInterrupt there.
KNOWN_ENGINE_SIGTERM_TRACEBACK = re.compile(
    r"^Traceback \(most recent call last\):\n"
    r"(?:[ \t].*\n)*?"
    r"RuntimeError: Event loop stopped before Future completed\.$",
    re.MULTILINE,
)


def on_engine(f):
    """Mark f as defined in __main__: ipyparallel sends such functions by
    value; others the engine imports from their module, which is this test
    module, not importable there. Such functions import what they use."""
    f.__module__ = "__main__"
    return f


@on_engine
def engine_identity():
    import os
    import sys

    import zmq

    return {
        "pid": os.getpid(),
        "executable": sys.executable,
        "zmq_file": os.path.realpath(zmq.__file__),
        "zmq_version": zmq.__version__,
        "libzmq_version": zmq.zmq_version(),
    }


@on_engine
def square(x):
    return x * x


def expected_identity():
    import zmq

    return {
        "executable": sys.executable,
        "zmq_file": os.path.realpath(zmq.__file__),
        "zmq_version": zmq.__version__,
        "libzmq_version": zmq.zmq_version(),
    }


def marked_processes(marker):
    """The live processes (not this one) that inherited MARKER_ENV=marker."""
    found = []
    for p in psutil.process_iter():
        if p.pid == os.getpid():
            continue
        try:
            if p.environ().get(MARKER_ENV) == marker and p.status() != psutil.STATUS_ZOMBIE:
                found.append(p)
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            pass
    return found


def describe(processes):
    lines = []
    for p in processes:
        try:
            lines.append(f"pid {p.pid} (parent {p.ppid()}): {' '.join(p.cmdline())}")
        except psutil.Error:
            lines.append(f"pid {p.pid}")
    return "\n".join(lines)


def wait_until_gone(marker, timeout):
    """Wait for every marked process to exit; return those still running."""
    deadline = time.monotonic() + timeout
    while True:
        left = marked_processes(marker)
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.1)


def wait_for_exit(pids, timeout):
    """Wait for these processes to exit; return the pids still running."""
    deadline = time.monotonic() + timeout
    while True:
        left = []
        for pid in pids:
            try:
                if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                    left.append(pid)
            except psutil.NoSuchProcess:
                pass
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.1)


def hub_result_status(rc, msg_ids):
    """The hub's view of these requests, once it has seen them all complete
    (its monitor messages may trail the replies the client got)."""
    deadline = time.monotonic() + HUB_GRACE
    while True:
        try:
            status = rc.result_status(msg_ids, status_only=True)
        except ipp.RemoteError:
            # "KeyError: No such message": the hub never recorded a request.
            if time.monotonic() > deadline:
                raise
        else:
            if not status["pending"] or time.monotonic() > deadline:
                return status
        time.sleep(0.1)


# Python 3.13 colours the tracebacks an engine prints.
_ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")


def unexpected_output(text, allow_engine_sigterm_traceback=False):
    """The error markers in a process's output, if any."""
    if allow_engine_sigterm_traceback:
        text = KNOWN_ENGINE_SIGTERM_TRACEBACK.sub("", _ANSI_ESCAPE.sub("", text))
    return [marker for marker in ERROR_MARKERS if marker in text]


class ClusterEnv:
    """Where a test's cluster lives: all of it under tmp_path."""

    def __init__(self, tmp_path, marker):
        self.marker = marker
        self.profile_dir = tmp_path / "profile_downstream"
        self.ipython_dir = tmp_path / "ipython"
        # The cwd of the controller and engines (ipyparallel starts them in
        # the current directory), and so the first entry of their sys.path:
        # it must not be the source tree, whose zmq/ would shadow the
        # installed package.
        self.work_dir = tmp_path / "work"
        # Hard links to the processes' output files, which ipyparallel
        # deletes at stop, while engines' nannies may still be writing.
        self.output_dir = tmp_path / "output"
        for d in (self.ipython_dir, self.work_dir, self.output_dir):
            d.mkdir()

    def cluster(self, **kwargs):
        return ipp.Cluster(
            n=ENGINES,
            profile_dir=str(self.profile_dir),
            engine_timeout=STARTUP_TIMEOUT,
            # No ipcluster_config.py is looked up anywhere.
            load_profile=False,
            **kwargs,
        )

    def keep_outputs(self, controller_output, engine_outputs):
        """Hard-link the controller's and engines' output files; return
        {label: kept path}."""
        kept = {}
        for label, path in [("controller", controller_output)] + [
            (f"engine {i}", p) for i, p in enumerate(engine_outputs)
        ]:
            dest = self.output_dir / os.path.basename(path)
            os.link(path, dest)
            kept[label] = dest
        return kept


@pytest.fixture
def cluster_env(tmp_path, monkeypatch):
    """Environment for a cluster started by the test; whatever happens, every
    process of the cluster is killed at teardown."""
    marker = uuid.uuid4().hex
    env = ClusterEnv(tmp_path, marker)
    monkeypatch.setenv(MARKER_ENV, marker)
    # IPython's and ipyparallel's files stay out of the home directory.
    monkeypatch.setenv("IPYTHONDIR", str(env.ipython_dir))
    monkeypatch.chdir(env.work_dir)
    try:
        yield env
    finally:
        for p in marked_processes(marker):
            try:
                p.kill()
            except psutil.NoSuchProcess:
                pass
        psutil.wait_procs(marked_processes(marker), timeout=10)


def start_and_connect(cluster):
    try:
        return cluster.start_and_connect_sync()
    except BaseException:
        # Whatever started; the fixture kills what this leaves.
        try:
            cluster.stop_cluster_sync()
        except Exception:
            pass
        raise


def excerpt(text, markers, context=6):
    """The lines around those holding any of markers."""
    lines = text.splitlines()
    keep = set()
    for i, line in enumerate(lines):
        if any(m in line for m in markers):
            keep.update(range(max(0, i - context), min(len(lines), i + context + 1)))
    out, last = [], None
    for i in sorted(keep):
        if last is not None and i != last + 1:
            out.append("    [...]")
        out.append("    " + lines[i])
        last = i
    return "\n".join(out)


def output_problems(kept, allow_engine_sigterm_traceback=False):
    """What the processes printed that they should not have, one entry per
    process."""
    problems = []
    for label, path in kept.items():
        text = path.read_text(errors="replace")
        bad = unexpected_output(
            text, allow_engine_sigterm_traceback and label.startswith("engine")
        )
        if bad:
            problems.append(f"the {label} printed {bad}:\n{excerpt(text, bad)}")
    return problems


def exit_problems(marker, kept, allow_engine_sigterm_traceback=False):
    problems = []
    left = wait_until_gone(marker, EXIT_TIMEOUT)
    if left:
        problems.append(f"still running {EXIT_TIMEOUT} s after the cluster stopped:\n{describe(left)}")
    return problems + output_problems(kept, allow_engine_sigterm_traceback)


def test_apply_and_map_then_shutdown(cluster_env):
    """Engines shut down by request, then Cluster.stop: every process exits
    by itself, with nothing on its stderr."""
    # Checked at the end, all together.
    problems = []
    cluster = cluster_env.cluster()
    rc = start_and_connect(cluster)
    try:
        launchers = list(cluster.engine_set.launchers.values())
        kept = cluster_env.keep_outputs(
            cluster.controller.output_file, [el.output_file for el in launchers]
        )
        engine_pids = sorted(el.pid for el in launchers)
        assert len(engine_pids) == ENGINES
        assert sorted(rc.ids) == list(range(ENGINES))

        # apply_sync(f) is apply_async(f).get(): the same, bounded in time.
        applied = rc[:].apply_async(engine_identity)
        identities = applied.get(timeout=REPLY_TIMEOUT)
        assert sorted(i.pop("pid") for i in identities) == engine_pids
        assert identities == [expected_identity()] * ENGINES

        direct = rc[:].map_async(square, range(10))
        assert direct.get(timeout=REPLY_TIMEOUT) == [x * x for x in range(10)]
        balanced = rc.load_balanced_view().map_async(square, range(20))
        assert balanced.get(timeout=REPLY_TIMEOUT) == [x * x for x in range(20)]

        # The hub saw every request and reply go through the controller's
        # queues (zmq.devices monitored queues report them to it).
        msg_ids = applied.msg_ids + direct.msg_ids + balanced.msg_ids
        try:
            status = hub_result_status(rc, msg_ids)
        except ipp.RemoteError as e:
            problems.append(f"the hub did not record every request: {e}")
        else:
            if status["pending"] or sorted(status["completed"]) != sorted(msg_ids):
                problems.append(f"the hub's status of the requests: {status}")

        # Without waiting for replies: block=True waits without a timeout.
        rc.shutdown(targets="all", block=False)
        left = wait_for_exit(engine_pids, REPLY_TIMEOUT)
        assert not left, f"engines {left} still running {REPLY_TIMEOUT} s after shutdown_request"
    finally:
        rc.close()
        cluster.stop_cluster_sync()

    problems += exit_problems(cluster_env.marker, kept)
    assert not problems, "\n\n".join(problems)


# Run by the next test in a child process, whose own exit is then checked too.
STOP_SCRIPT = """\
import json, logging, os, sys
import ipyparallel as ipp

def square(x):
    return x * x

profile_dir, output_dir, timeout, n = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
# ipyparallel's own log (its warnings would go to stderr): not what is checked.
logging.basicConfig(filename=os.path.join(output_dir, "client.log"), level=logging.INFO)
cluster = ipp.Cluster(n=n, profile_dir=profile_dir, engine_timeout=timeout, load_profile=False)
rc = cluster.start_and_connect_sync()
result = {}
try:
    launchers = list(cluster.engine_set.launchers.values())
    kept = {}
    for label, path in [("controller", cluster.controller.output_file)] + [
        ("engine %i" % i, el.output_file) for i, el in enumerate(launchers)
    ]:
        dest = os.path.join(output_dir, os.path.basename(path))
        os.link(path, dest)
        kept[label] = dest
    result["kept"] = kept
    result["engine_pids"] = sorted(el.pid for el in launchers)
    result["controller_pid"] = cluster.controller.pid
    result["pids"] = sorted(rc[:].apply_sync(os.getpid))
    result["map"] = rc[:].map_sync(square, range(10))
    result["balanced_map"] = rc.load_balanced_view().map_sync(square, range(20))
finally:
    rc.close()
    cluster.stop_cluster_sync()
    print(json.dumps(result), flush=True)
"""


def test_stop_cluster_from_script(cluster_env):
    """A script starts a cluster, runs apply_sync and map_sync, stops the
    cluster (SIGTERM to everything) and exits: no process is left, and
    neither the script nor any cluster process prints an error at exit."""
    script = cluster_env.work_dir / "ipp_stop_cluster.py"
    script.write_text(STOP_SCRIPT)
    try:
        proc = subprocess.run(
            [sys.executable, str(script), str(cluster_env.profile_dir),
             str(cluster_env.output_dir), str(STARTUP_TIMEOUT), str(ENGINES)],
            # Not the source tree (see ClusterEnv.work_dir).
            cwd=str(cluster_env.work_dir),
            stdin=subprocess.DEVNULL, capture_output=True, text=True,
            timeout=STARTUP_TIMEOUT + 3 * REPLY_TIMEOUT,
        )
    except subprocess.TimeoutExpired as e:
        stderr = e.stderr.decode(errors="replace") if isinstance(e.stderr, bytes) else e.stderr
        pytest.fail(f"the script hung; stderr so far:\n{stderr}")
    assert proc.returncode == 0, f"script exited with {proc.returncode}:\n{proc.stderr}"
    result = json.loads(proc.stdout.splitlines()[-1])

    assert result["pids"] == result["engine_pids"]
    assert len(result["pids"]) == ENGINES
    assert result["map"] == [x * x for x in range(10)]
    assert result["balanced_map"] == [x * x for x in range(20)]

    problems = []
    if proc.stderr:
        problems.append(f"the script printed to stderr:\n{proc.stderr}")
    kept = {label: cluster_env.output_dir / os.path.basename(p) for label, p in result["kept"].items()}
    # ipyparallel's stop is SIGTERM: the engines print their known traceback.
    problems += exit_problems(cluster_env.marker, kept, allow_engine_sigterm_traceback=True)
    assert not problems, "\n\n".join(problems)
