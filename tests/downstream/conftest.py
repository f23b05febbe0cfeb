"""Fixtures for running real Jupyter kernels on this package.

jupyter_client, ipykernel and nbclient are imported lazily: without them the
test modules here skip, and this file must still import.
"""

import json
import os
import sys

import pytest

# A kernelspec written for these tests only: a python3 kernelspec installed on
# the machine could start another interpreter, whose zmq is not under test.
KERNEL_NAME = "pyzmq-downstream"

# A healthy kernel answers in well under a second; reaching this is a hang.
REPLY_TIMEOUT = 30

# With pyzmq, ipykernel exits about 0.2 s after a shutdown request. A kernel
# that takes longer is stuck in its teardown (typically a blocked
# Context.term()) until jupyter_client signals it.
GRACEFUL_EXIT_SECONDS = 1.5

# jupyter_client sends SIGTERM after half of this and SIGKILL after all of it:
# long enough that a kernel about to exit by itself is never signalled before
# GRACEFUL_EXIT_SECONDS can tell a slow exit from a hang.
SHUTDOWN_WAIT_TIME = 8.0

# Run inside the kernel: one JSON line describing the zmq the kernel imported.
ZMQ_IDENTITY_CODE = """\
import json as _json, os as _os, sys as _sys, zmq as _zmq, zmq.backend as _zb
print(_json.dumps({
    "executable": _sys.executable,
    "zmq_file": _os.path.realpath(_zmq.__file__),
    "zmq_version": _zmq.__version__,
    "backend_has_cffi": _os.path.isdir(_os.path.join(_os.path.dirname(_zb.__file__), "cffi")),
}))
"""


@pytest.fixture(scope="session")
def kernel_spec_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("kernels")
    spec_dir = root / KERNEL_NAME
    spec_dir.mkdir()
    spec = {
        # This interpreter, hence the zmq the tests imported.
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python (pyzmq downstream tests)",
        "language": "python",
        "env": {
            # IPython's profile stays out of the home directory.
            "IPYTHONDIR": str(root / "ipython"),
            # Without it debugpy warns about frozen modules at every start.
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        },
        # Lets jupyter_client provision CurveZMQ keys when asked to.
        "metadata": {"supported_encryption": ["curve"]},
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec))
    return root


class Kernels:
    """Kernel managers on the test kernelspec, plus the checks the tests share."""

    KERNEL_NAME = KERNEL_NAME
    REPLY_TIMEOUT = REPLY_TIMEOUT
    ZMQ_IDENTITY_CODE = ZMQ_IDENTITY_CODE

    def __init__(self, spec_dir, work_dir):
        self.spec_dir = spec_dir
        # The kernel's working directory, and so the first entry of its
        # sys.path (python -m): it must not be the source tree, whose zmq/
        # would shadow the installed package.
        self.cwd = str(work_dir)
        self.managers = []

    def manager_class(self, asynchronous=False):
        """A kernel manager class bound to the test kernelspec, for code that
        makes its own manager (nbclient); its instances are killed at teardown."""
        from jupyter_client.kernelspec import KernelSpecManager
        from jupyter_client.manager import AsyncKernelManager, KernelManager

        kernels = self
        base = AsyncKernelManager if asynchronous else KernelManager

        class TestKernelManager(base):
            def __init__(self, **traits):
                traits["kernel_name"] = KERNEL_NAME
                traits.setdefault("kernel_spec_manager", KernelSpecManager(
                    kernel_dirs=[str(kernels.spec_dir)], ensure_native_kernel=False))
                traits.setdefault("connection_file", os.path.join(
                    kernels.cwd, f"kernel-{len(kernels.managers)}.json"))
                traits.setdefault("shutdown_wait_time", SHUTDOWN_WAIT_TIME)
                super().__init__(**traits)
                kernels.managers.append(self)

        return TestKernelManager

    def manager(self, asynchronous=False, **traits):
        return self.manager_class(asynchronous)(**traits)

    @staticmethod
    def process(km):
        """The kernel's Popen. Keep it: jupyter_client drops its reference,
        and with it the exit code, once the kernel has exited."""
        return km.provisioner.process

    @staticmethod
    def assert_exited_gracefully(process, elapsed):
        code = process.poll()
        assert code is not None, "kernel process still running after shutdown_kernel()"
        assert code == 0, (
            f"kernel exited with code {code} after {elapsed:.2f} s: it did not exit by "
            f"itself and was signalled by jupyter_client (negative code = signal number)"
        )
        assert elapsed < GRACEFUL_EXIT_SECONDS, (
            f"kernel took {elapsed:.2f} s to exit after the shutdown request (pyzmq: about 0.2 s)"
        )

    @staticmethod
    def expected_zmq_identity():
        """What ZMQ_IDENTITY_CODE prints when run by this process."""
        import zmq
        import zmq.backend

        backend_dir = os.path.dirname(zmq.backend.__file__)
        return {
            "executable": sys.executable,
            "zmq_file": os.path.realpath(zmq.__file__),
            "zmq_version": zmq.__version__,
            "backend_has_cffi": os.path.isdir(os.path.join(backend_dir, "cffi")),
        }

    def kill_all(self):
        for km in self.managers:
            process = getattr(getattr(km, "provisioner", None), "process", None)
            if process is not None and process.poll() is None:
                process.kill()
                process.wait(10)


@pytest.fixture
def kernels(kernel_spec_dir, tmp_path):
    """Whatever a test does, every kernel it started is killed at teardown."""
    k = Kernels(kernel_spec_dir, tmp_path)
    try:
        yield k
    finally:
        k.kill_all()
