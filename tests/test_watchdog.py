"""The per-test watchdog of conftest.py: a hung test must end the run with
every thread's stack on the real stderr, not in pytest's capture, which dies
with the process."""

import os
import shutil
import subprocess
import sys


def test_hung_test_dumps_its_stack_to_the_terminal(tmp_path):
    shutil.copy(os.path.join(os.path.dirname(__file__), "conftest.py"), tmp_path / "conftest.py")
    (tmp_path / "test_hangs.py").write_text("import time\n\n\ndef test_sleeps_past_the_watchdog():\n"
                                            "    time.sleep(30)\n")
    env = dict(os.environ, ZMQ_TEST_WATCHDOG="1")
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_hangs.py"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0
    output = proc.stdout + proc.stderr
    assert "Timeout" in output and "test_sleeps_past_the_watchdog" in output, output[-3000:]
