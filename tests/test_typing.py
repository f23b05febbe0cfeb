"""The installed package must type-check user code the way pyzmq 27 does.

A program that passes ``mypy --strict`` against pyzmq has to pass against this
package too, so tests/typing/sample_program.py (ordinary application code) is
checked under ``--strict``; tests/typing/must_fail.py holds misuses that pyzmq
rejects, which must still be rejected, on exactly the marked lines. The
sample's annotations must also evaluate at run time: users subclass
``zmq.Socket[bytes]`` and tools call ``typing.get_type_hints``.

mypy runs in a temporary directory holding only copies of those files: run
from the repository it would pick up the source tree's zmq/ folder instead of
the installed package, which is what users import.
"""

from __future__ import annotations

import importlib.util
import inspect
import io
import os
import re
import shutil
import subprocess
import sys
import tokenize
import typing
from importlib import resources
from pathlib import Path

import pytest

TYPING_DIR = Path(__file__).parent / "typing"
SAMPLE = "sample_program.py"
MUST_FAIL = "must_fail.py"
_ERROR_LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): error: ")


def _run_mypy(tmp_path: Path, name: str) -> subprocess.CompletedProcess[str]:
    pytest.importorskip("mypy", reason="mypy is not installed")
    # The sample uses ZMQStream, whose annotations come from tornado's own.
    pytest.importorskip("tornado", reason="tornado is not installed")
    shutil.copy(TYPING_DIR / name, tmp_path / name)
    # An explicit config keeps a user-level mypy config or a setup.cfg found
    # higher up from changing what --strict means for this run.
    config = tmp_path / "mypy.ini"
    config.write_text("[mypy]\n")
    env = {k: v for k, v in os.environ.items() if k not in ("MYPYPATH", "PYTHONPATH")}
    return subprocess.run(
        [
            sys.executable, "-m", "mypy",
            "--strict",
            "--config-file", str(config),
            "--cache-dir", str(tmp_path / ".mypy_cache"),
            "--show-error-codes",
            "--no-pretty",
            "--no-color-output",
            name,
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _marked_lines(path: Path) -> set[int]:
    """Line numbers carrying a ``# E:`` comment (docstrings don't count)."""
    source = path.read_text()
    return {
        tok.start[0]
        for tok in tokenize.generate_tokens(io.StringIO(source).readline)
        if tok.type == tokenize.COMMENT and tok.string.startswith("# E:")
    }


def test_package_ships_py_typed():
    # Without the PEP 561 marker mypy ignores the package's annotations and
    # reports every ``import zmq`` as untyped under --strict.
    assert (resources.files("zmq") / "py.typed").is_file()


def test_sample_program_passes_strict(tmp_path):
    result = _run_mypy(tmp_path, SAMPLE)
    assert result.returncode == 0, f"mypy --strict failed:\n{result.stdout}{result.stderr}"


@pytest.mark.skipif(sys.version_info < (3, 10), reason="the sample's X | Y annotations need Python 3.10 to evaluate")
def test_sample_program_annotations_resolve_at_runtime():
    pytest.importorskip("tornado", reason="tornado is not installed")
    spec = importlib.util.spec_from_file_location("typing_sample_program", TYPING_DIR / SAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # Executes the module body only (main() is guarded), which already
    # subscripts zmq.Socket at run time for the sample's Socket subclass.
    spec.loader.exec_module(module)
    checked = []
    for name, obj in vars(module).items():
        if getattr(obj, "__module__", None) != module.__name__:
            continue
        if inspect.isfunction(obj):
            typing.get_type_hints(obj)
            checked.append(name)
        elif inspect.isclass(obj):
            typing.get_type_hints(obj)
            for attr, member in vars(obj).items():
                if inspect.isfunction(member):
                    typing.get_type_hints(member)
                    checked.append(f"{name}.{attr}")
    assert len(checked) > 10


def test_misuse_is_rejected_on_marked_lines(tmp_path):
    expected = _marked_lines(TYPING_DIR / MUST_FAIL)
    assert expected, "must_fail.py has no '# E:' markers"
    result = _run_mypy(tmp_path, MUST_FAIL)
    # Exit 1 means type errors were found; 2 means mypy itself failed.
    assert result.returncode == 1, f"unexpected mypy exit {result.returncode}:\n{result.stdout}{result.stderr}"
    reported = set()
    for line in result.stdout.splitlines():
        match = _ERROR_LINE.match(line)
        if match:
            assert match["file"] == MUST_FAIL, f"error outside {MUST_FAIL}:\n{result.stdout}"
            reported.add(int(match["line"]))
    missing = sorted(expected - reported)
    unexpected = sorted(reported - expected)
    assert not missing and not unexpected, (
        f"misuse not rejected on lines {missing}; errors on unmarked lines {unexpected}\n{result.stdout}"
    )


# --- the hand-written stubs follow the run-time modules --------------------------
# zmq/constants.pyi and the __all__ of zmq/__init__.pyi are literal lists (what
# type checkers can read); the run-time ones come from the zmq.h of the build.
# A constant added to, or dropped from, either side must show up here.


def _stub_tree(module):
    import ast

    path = os.path.splitext(module.__file__)[0] + ".pyi"
    with open(path, encoding="utf-8") as f:
        return ast.parse(f.read())


def _literal_all(tree):
    import ast

    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__all__" for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError("no literal __all__ in the stub")


def test_constants_stub_matches_runtime_enums():
    import ast

    import zmq.constants

    tree = _stub_tree(zmq.constants)
    stub_classes = {
        node.name: {t.id for stmt in node.body if isinstance(stmt, ast.Assign) for t in stmt.targets}
        for node in tree.body if isinstance(node, ast.ClassDef)
    }
    runtime_classes = {
        name: set(getattr(zmq.constants, name).__members__)
        for name in zmq.constants.__all__ if name not in ("Enum", "IntEnum", "IntFlag")
        and isinstance(getattr(zmq.constants, name), type)
    }
    assert stub_classes == runtime_classes
    stub_names = {node.target.id for node in tree.body if isinstance(node, ast.AnnAssign)}
    module_constants = {n for n in zmq.constants.__all__ if n not in runtime_classes}
    module_constants -= {"Enum", "IntEnum", "IntFlag"}
    assert module_constants <= stub_names
    assert sorted(_literal_all(tree)) == sorted(zmq.constants.__all__)


def test_package_stub_all_matches_runtime():
    import zmq

    stub_all = _literal_all(_stub_tree(zmq))
    assert len(stub_all) == len(set(stub_all))
    assert sorted(stub_all) == sorted(set(zmq.__all__))
