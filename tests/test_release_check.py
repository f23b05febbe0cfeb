"""tools/release_check: its symbol-version rule and parsers (fast), and a whole
run over the oldest and the newest Python found (slow)."""

import faulthandler
import importlib.machinery
import importlib.util
import io
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOOL = ROOT / "tools" / "release_check"


def _load_tool():
    loader = importlib.machinery.SourceFileLoader("release_check", str(TOOL))
    spec = importlib.util.spec_from_loader("release_check", loader)
    module = importlib.util.module_from_spec(spec)
    # dataclasses look their module up in sys.modules while the class is made.
    sys.modules["release_check"] = module
    try:
        loader.exec_module(module)
    finally:
        del sys.modules["release_check"]
    return module


rc = _load_tool()

LIMITS = {"GLIBC": "2.28", "GLIBCXX": "3.4.24", "CXXABI": "1.3.11", "GCC": "7.0.0"}
CONDVAR_WAIT = "_ZNSt18condition_variable4waitERSt11unique_lockISt5mutexE"

OBJDUMP = f"""
_zmq.cpython-313-x86_64-linux-gnu.so:     file format elf64-x86-64

DYNAMIC SYMBOL TABLE:
0000000000000000      D  *UND*\t0000000000000000  Base        PyObject_Hash
0000000000000000      DF *UND*\t0000000000000000 (GLIBC_2.2.5) __errno_location
0000000000000000      DF *UND*\t0000000000000000 (GLIBC_2.34) pthread_create
0000000000000000      DF *UND*\t0000000000000000 (GLIBC_2.3)  getifaddrs
0000000000000000      DF *UND*\t0000000000000000 (GLIBCXX_3.4.21) _ZNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEE9_M_createERmm
0000000000000000      DF *UND*\t0000000000000000 (GLIBCXX_3.4.30) {CONDVAR_WAIT}
0000000000000000      DF *UND*\t0000000000000000 (CXXABI_1.3) __cxa_begin_catch
0000000000000000      DF *UND*\t0000000000000000 (GCC_3.0) _Unwind_Resume
000000000001d7a0 g    DF .text\t0000000000000052  Base        zmq_msg_init
"""


def test_parses_objdump_needed_versions():
    needed = rc.parse_symbol_versions(OBJDUMP)
    assert needed[("GLIBC", "2.34")] == {"pthread_create"}
    assert needed[("GLIBC", "2.3")] == {"getifaddrs"}
    assert needed[("GLIBCXX", "3.4.30")] == {CONDVAR_WAIT}
    assert needed[("GCC", "3.0")] == {"_Unwind_Resume"}
    # Defined symbols and unversioned ones are not needs.
    assert not any("zmq_msg_init" in s or "PyObject_Hash" in s for s in needed.values())


def test_parses_readelf_needed_versions():
    text = """
Symbol table '.dynsym' contains 3 entries:
   Num:    Value          Size Type    Bind   Vis      Ndx Name
     1: 0000000000000000     0 FUNC    GLOBAL DEFAULT  UND pthread_create@GLIBC_2.34 (3)
     2: 0000000000000000     0 FUNC    GLOBAL DEFAULT  UND _ZSt9terminatev@GLIBCXX_3.4 (5)
     3: 000000000001d7a0    82 FUNC    GLOBAL DEFAULT   12 zmq_msg_init
"""
    assert rc.parse_symbol_versions(text) == {("GLIBC", "2.34"): {"pthread_create"},
                                              ("GLIBCXX", "3.4"): {"_ZSt9terminatev"}}


def _one(kind, label, symbol):
    return rc.parse_symbol_versions(f"0000000000000000      DF *UND*\t0000000000000000 ({label}) {symbol}\n")


def test_glibc_above_the_limit_is_a_host_libc_note():
    verdict = rc.classify(_one("GLIBC", "GLIBC_2.34", "pthread_create"), LIMITS)
    assert verdict.failures == []
    assert verdict.notes == [("host libc", "GLIBC_2.34", ["pthread_create"])]
    assert verdict.maxima == {"GLIBC": "2.34"}


def test_glibcxx_above_the_limit_fails():
    verdict = rc.classify(_one("GLIBCXX", "GLIBCXX_3.4.30", CONDVAR_WAIT), LIMITS)
    assert verdict.failures == [("GLIBCXX_3.4.30", [CONDVAR_WAIT])]
    assert verdict.notes == []


def test_glibcxx_within_the_limit_is_fine():
    verdict = rc.classify(_one("GLIBCXX", "GLIBCXX_3.4.21", "_ZNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEE9_M_createERmm"), LIMITS)
    assert (verdict.failures, verdict.notes, verdict.maxima) == ([], [], {"GLIBCXX": "3.4.21"})


def test_cxxabi_above_the_limit_fails():
    verdict = rc.classify(_one("CXXABI", "CXXABI_1.3.13", "__cxa_init_primary_exception"), LIMITS)
    assert verdict.failures == [("CXXABI_1.3.13", ["__cxa_init_primary_exception"])]


def test_re_versioned_libstdcxx_symbol_is_a_toolchain_note():
    # GCC 12's libstdc++ exports condition_variable::wait at 3.4.30 (default)
    # and at 3.4.11: an older libstdc++ has the same function.
    host = rc.parse_defined_versions(
        f"00000000000d5a40 g    DF .text\t0000000000000012  GLIBCXX_3.4.11 {CONDVAR_WAIT}\n"
        f"00000000000d5a20 g    DF .text\t0000000000000012 (GLIBCXX_3.4.30) {CONDVAR_WAIT}\n")
    verdict = rc.classify(_one("GLIBCXX", "GLIBCXX_3.4.30", CONDVAR_WAIT), LIMITS, host)
    assert verdict.failures == []
    assert [(kind, label) for kind, label, _ in verdict.notes] == [("host toolchain", "GLIBCXX_3.4.30")]


def test_compiler_emitted_helper_is_a_toolchain_note():
    verdict = rc.classify(_one("GLIBCXX", "GLIBCXX_3.4.29", "_ZSt28__throw_bad_array_new_lengthv"), LIMITS, {})
    assert verdict.failures == []
    assert verdict.notes[0][0] == "host toolchain"


def test_whole_objdump_sample():
    verdict = rc.classify(rc.parse_symbol_versions(OBJDUMP), LIMITS)
    assert verdict.maxima == {"GLIBC": "2.34", "GLIBCXX": "3.4.30", "CXXABI": "1.3", "GCC": "3.0"}
    assert [label for label, _ in verdict.failures] == ["GLIBCXX_3.4.30"]
    assert [label for _, label, _ in verdict.notes] == ["GLIBC_2.34"]


def test_versions_compare_as_numbers():
    verdict = rc.classify(_one("GLIBC", "GLIBC_2.3.4", "__memcpy_chk"), LIMITS)
    assert verdict.notes == [] and verdict.maxima == {"GLIBC": "2.3.4"}


def test_pytest_summary():
    assert rc.parse_pytest_summary("x\n==== 3 failed, 1200 passed, 17 skipped, 2 deselected in 301.22s (0:05:01) ====\n") \
        == {"failed": 3, "passed": 1200, "skipped": 17, "deselected": 2}
    assert rc.parse_pytest_summary("= 10 passed, 1 error in 2.00s =") == {"passed": 10, "errors": 1}
    assert rc.parse_pytest_summary("Traceback ...\nImportError: no zmq") is None


def test_failure_details_are_pytests_own_report():
    log = ("...F\n" + "=" * 10 + " FAILURES " + "=" * 10 + "\n___ test_a ___\nE   assert 1 == 2\n"
           + "=" * 10 + " short test summary info " + "=" * 10 + "\nFAILED t.py::test_a\n= 1 failed in 1s =\n")
    details = rc.failure_details(log).splitlines()
    assert details[1:] == ["    | ___ test_a ___", "    | E   assert 1 == 2"]
    assert rc.failure_details("= 3 passed in 1s =") == ""
    long = "= FAILURES =\n" + "E\n" * 500
    assert rc.failure_details(long, limit=10).splitlines()[-1] == "    | ... 491 more lines"


def _sdist(tmp_path, names):
    path = tmp_path / "pyzmq-1.0.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        for name in names:
            info = tarfile.TarInfo(f"pyzmq-1.0/{name}")
            info.size = 1
            tar.addfile(info, io.BytesIO(b"x"))
    return path


def test_sdist_contents(tmp_path):
    src = tmp_path / "src"
    for name in ("bundled/pins.cmake", "bundled/libzmq-0001-fix.patch", "bundled/cache/libzmq-4.3.4.tar.gz",
                 "cmake/Libzmq.cmake", "cmake/libzmq/FindSodium.cmake"):
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text("x")
    good = ["pyproject.toml", "CMakeLists.txt", "bundled/pins.cmake", "bundled/libzmq-0001-fix.patch",
            "cmake/Libzmq.cmake", "cmake/libzmq/FindSodium.cmake"]
    assert rc.check_sdist(_sdist(tmp_path, good), src) == []
    problems = rc.check_sdist(_sdist(tmp_path, good[:-1] + ["bundled/cache/libzmq-4.3.4.tar.gz",
                                                            "build/CMakeCache.txt"]), src)
    assert any("lacks cmake/libzmq/FindSodium.cmake" in p for p in problems)
    assert any("bundled/cache/libzmq-4.3.4.tar.gz" in p and "build/CMakeCache.txt" in p for p in problems)


@pytest.mark.slow
def test_release_check_oldest_newest():
    """The whole check: wheels built, repaired, inspected and tested for the
    oldest and the newest Python found, and the sdist built offline."""
    if os.environ.get("ZMQ_SKIP_RELEASE_CHECK"):
        pytest.skip("ZMQ_SKIP_RELEASE_CHECK is set (.ci/run runs tools/release_check as a step of its own)")
    if len(rc.find_host_pythons()) < 2:
        pytest.skip("tools/release_check --oldest-newest needs two CPythons >= 3.9 (pyenv or python3.X on PATH)")
    # Far longer than the per-test watchdog: the tool bounds each of its steps.
    faulthandler.cancel_dump_traceback_later()
    proc = subprocess.run([sys.executable, str(TOOL), "--oldest-newest"], capture_output=True, text=True,
                          cwd=tempfile.gettempdir(), timeout=3 * 3600)
    print(proc.stdout[-6000:])
    assert proc.returncode == 0, proc.stdout[-8000:] + proc.stderr[-4000:]
