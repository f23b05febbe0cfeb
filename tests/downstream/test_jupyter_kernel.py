"""An ipykernel driven by jupyter_client's blocking client, both on this zmq.

Jupyter is the largest user of pyzmq: the kernel uses ROUTER/XPUB/STREAM
sockets, ZMQStream on tornado loops in several threads, zmq.device for the
heartbeat and inproc/tcp pipes for output; the client uses REQ/DEALER/SUB
sockets from its own threads. A kernel that starts, runs code and exits by
itself on request exercises most of that.
"""

import importlib.util
import json
import queue
import time

import pytest

for _name in ("jupyter_client", "ipykernel"):
    # Not pytest.importorskip: it would also skip when the library is installed
    # but fails to import because this package lacks something it needs.
    if importlib.util.find_spec(_name) is None:
        pytest.skip(f"{_name} is not installed", allow_module_level=True)

import jupyter_client  # noqa: E402  (import errors here are test failures)
import ipykernel  # noqa: E402,F401


@pytest.fixture
def kernel(kernels):
    km = kernels.manager()
    km.start_kernel(cwd=kernels.cwd)
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=kernels.REPLY_TIMEOUT)
        yield km, kc
    finally:
        kc.stop_channels()


def run(kc, code, timeout, **kwargs):
    """Execute code; return the shell reply and the iopub messages it caused."""
    outputs = []
    reply = kc.execute_interactive(code, timeout=timeout, output_hook=outputs.append, **kwargs)
    return reply, outputs


def of_type(outputs, msg_type):
    return [m["content"] for m in outputs if m["header"]["msg_type"] == msg_type]


def stdout_text(outputs):
    return "".join(c["text"] for c in of_type(outputs, "stream") if c["name"] == "stdout")


def test_kernel_runs_this_zmq(kernel, kernels):
    km, kc = kernel
    reply, outputs = run(kc, kernels.ZMQ_IDENTITY_CODE, kernels.REPLY_TIMEOUT)
    assert reply["content"]["status"] == "ok", reply["content"]
    assert json.loads(stdout_text(outputs)) == kernels.expected_zmq_identity()


def test_execute_result_stream_and_error(kernel, kernels):
    km, kc = kernel
    timeout = kernels.REPLY_TIMEOUT

    reply, outputs = run(kc, "1+1", timeout)
    assert reply["content"]["status"] == "ok"
    [result] = of_type(outputs, "execute_result")
    assert result["data"]["text/plain"] == "2"
    assert result["execution_count"] == reply["content"]["execution_count"]
    # Every request is bracketed by busy/idle on iopub.
    states = [c["execution_state"] for c in of_type(outputs, "status")]
    assert states[0] == "busy" and states[-1] == "idle"

    reply, outputs = run(kc, "print('hello from the kernel')", timeout)
    assert reply["content"]["status"] == "ok"
    assert stdout_text(outputs) == "hello from the kernel\n"

    reply, outputs = run(kc, "1/0", timeout)
    assert reply["content"]["status"] == "error"
    assert reply["content"]["ename"] == "ZeroDivisionError"
    [error] = of_type(outputs, "error")
    assert error["ename"] == "ZeroDivisionError"
    assert error["traceback"]

    # The kernel survives an error and keeps its state.
    reply, outputs = run(kc, "x = 6 * 7\nx", timeout)
    assert of_type(outputs, "execute_result")[0]["data"]["text/plain"] == "42"

    # Many small messages in a row, through the iopub pipe and XPUB socket.
    reply, outputs = run(kc, "for i in range(200): print(i, flush=True)", timeout)
    assert stdout_text(outputs) == "".join(f"{i}\n" for i in range(200))

    assert kc.is_alive()


def test_stdin_input_request(kernel, kernels):
    km, kc = kernel
    prompts = []

    def answer(msg):
        prompts.append(msg["content"]["prompt"])
        kc.input("typed answer")

    reply, outputs = run(
        kc, "input('name? ')", kernels.REPLY_TIMEOUT, allow_stdin=True, stdin_hook=answer
    )
    assert reply["content"]["status"] == "ok"
    assert prompts == ["name? "]
    assert of_type(outputs, "execute_result")[0]["data"]["text/plain"] == "'typed answer'"


def test_output_from_forked_child(kernel, kernels):
    # A forked child cannot use the parent's sockets: ipykernel makes a new
    # context in the child and pushes the output over a tcp pipe to the
    # kernel's IOPub thread.
    km, kc = kernel
    code = (
        "import multiprocessing as mp\n"
        "p = mp.get_context('fork').Process(target=print, args=('from the child',))\n"
        "p.start(); p.join(10)\n"
        "print('child exit code', p.exitcode)\n"
    )
    reply, outputs = run(kc, code, kernels.REPLY_TIMEOUT)
    assert reply["content"]["status"] == "ok", reply["content"]
    text = stdout_text(outputs)
    assert "child exit code 0" in text
    # The child's output reaches iopub, possibly after the reply: wait for it.
    deadline = time.monotonic() + 5
    while "from the child" not in text and time.monotonic() < deadline:
        try:
            msg = kc.get_iopub_msg(timeout=0.5)
        except queue.Empty:
            continue
        if msg["header"]["msg_type"] == "stream":
            text += msg["content"]["text"]
    assert "from the child\n" in text


def test_graceful_shutdown(kernel, kernels):
    km, kc = kernel
    reply, _ = run(kc, "print('about to stop')", kernels.REPLY_TIMEOUT)
    assert reply["content"]["status"] == "ok"
    process = kernels.process(km)
    kc.stop_channels()

    start = time.monotonic()
    km.shutdown_kernel(now=False)
    elapsed = time.monotonic() - start

    kernels.assert_exited_gracefully(process, elapsed)
    assert not km.is_alive()


def test_graceful_restart(kernel, kernels):
    km, kc = kernel
    run(kc, "state = 'before restart'", kernels.REPLY_TIMEOUT)
    old_process = kernels.process(km)

    start = time.monotonic()
    km.restart_kernel(now=False)
    elapsed = time.monotonic() - start
    kernels.assert_exited_gracefully(old_process, elapsed)

    # Same ports, new process: the existing client reconnects by itself.
    kc.wait_for_ready(timeout=kernels.REPLY_TIMEOUT)
    reply, outputs = run(kc, "'state' in globals()", kernels.REPLY_TIMEOUT)
    assert of_type(outputs, "execute_result")[0]["data"]["text/plain"] == "False"

    process = kernels.process(km)
    kc.stop_channels()
    start = time.monotonic()
    km.shutdown_kernel(now=False)
    kernels.assert_exited_gracefully(process, time.monotonic() - start)


def test_curve_encrypted_kernel(kernels):
    # jupyter_client makes a keypair with zmq.curve_keypair(); the kernel sets
    # CURVE server options on every socket it binds, the client the matching
    # client options.
    import zmq

    if not zmq.has("curve"):
        pytest.skip("this build has no CURVE support")
    from jupyter_client.manager import KernelManager

    if not KernelManager.class_traits().get("transport_encryption"):
        # The newest jupyter_client for an older Python predates the feature.
        pytest.skip(f"jupyter_client {jupyter_client.__version__} has no transport encryption")
    km = kernels.manager(transport_encryption="required")
    km.start_kernel(cwd=kernels.cwd)
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=kernels.REPLY_TIMEOUT)
        assert km.curve_publickey and km.curve_secretkey
        reply, outputs = run(kc, "print(40 + 2)", kernels.REPLY_TIMEOUT)
        assert reply["content"]["status"] == "ok"
        assert stdout_text(outputs) == "42\n"
        process = kernels.process(km)
    finally:
        kc.stop_channels()

    start = time.monotonic()
    km.shutdown_kernel(now=False)
    kernels.assert_exited_gracefully(process, time.monotonic() - start)
