"""How the build obtains and checks the pinned sources, and that a failed build
installs nothing. These run CMake/pip on the source tree next to the tests."""

import hashlib
import os
import re
import shutil
import subprocess
import sys
import time

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PINS = os.path.join(ROOT, "bundled", "pins.cmake")
CMAKE = shutil.which("cmake")

pytestmark = [
    pytest.mark.skipif(not os.path.exists(PINS), reason="needs the source tree"),
    pytest.mark.skipif(CMAKE is None, reason="needs cmake"),
]


def _pin(name):
    with open(PINS) as f:
        return re.search(rf"set\({name} (\S+)\)", f.read()).group(1)


def _configure(build_dir, cache_dir, fetch="none", extra=()):
    return subprocess.run(
        [CMAKE, "-S", ROOT, "-B", str(build_dir), f"-DPython_EXECUTABLE={sys.executable}",
         f"-DZMQ_BUNDLE_CACHE={cache_dir}", f"-DZMQ_BUNDLE_FETCH={fetch}", "-DZMQ_PREFIX=bundled", *extra],
        capture_output=True, text=True, timeout=300)


def _bogus_archive(cache_dir, name):
    path = cache_dir / _pin(f"{name}_ARCHIVE")
    path.write_bytes(b"this is not the pinned archive\n")
    return str(path), hashlib.sha256(path.read_bytes()).hexdigest()


def _pip_install_into(target, env_overrides):
    pytest.importorskip("scikit_build_core")
    pytest.importorskip("Cython")
    env = dict(os.environ, **env_overrides)
    return subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-build-isolation", "--no-deps", "--no-cache-dir",
         "--target", str(target), ROOT],
        capture_output=True, text=True, env=env, timeout=600)


def test_wrong_hash_stops_configure_naming_file_and_hashes(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    path, actual = _bogus_archive(cache, "LIBSODIUM")
    result = _configure(tmp_path / "build", cache)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "SHA256 mismatch" in output
    assert path in output
    assert _pin("LIBSODIUM_SHA256") in output
    assert actual in output


def test_wrong_hash_of_libzmq_archive_is_caught_too(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    real_cache = os.path.join(ROOT, "bundled", "cache", _pin("LIBSODIUM_ARCHIVE"))
    if not os.path.exists(real_cache):
        pytest.skip("libsodium archive not cached yet")
    shutil.copy(real_cache, cache)
    path, actual = _bogus_archive(cache, "LIBZMQ")
    result = _configure(tmp_path / "build", cache)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert path in output and _pin("LIBZMQ_SHA256") in output and actual in output


def test_missing_sources_explain_how_to_supply_them(tmp_path):
    result = _configure(tmp_path / "build", tmp_path / "empty-cache")
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "Could not obtain the source archive" in output
    assert _pin("LIBSODIUM_URL") in output
    assert _pin("LIBSODIUM_ARCHIVE") in output
    assert _pin("LIBSODIUM_SHA256") in output
    assert "ZMQ_BUNDLE_CACHE" in output


def test_unknown_fetch_method_is_rejected(tmp_path):
    result = _configure(tmp_path / "build", tmp_path / "empty-cache", fetch="ftp")
    assert result.returncode != 0
    assert "unknown method 'ftp'" in result.stdout + result.stderr


@pytest.mark.parametrize("case", ["wrong-hash", "no-sources"])
def test_failed_build_installs_nothing(tmp_path, case):
    cache = tmp_path / "cache"
    cache.mkdir()
    if case == "wrong-hash":
        _bogus_archive(cache, "LIBSODIUM")
    target = tmp_path / "site"
    result = _pip_install_into(target, {"ZMQ_BUNDLE_CACHE": str(cache), "ZMQ_BUNDLE_FETCH": "none",
                                        "ZMQ_PREFIX": "bundled"})
    assert result.returncode != 0
    assert ("SHA256 mismatch" if case == "wrong-hash" else "Could not obtain") in result.stdout + result.stderr
    assert not (target / "zmq").exists()
    assert not list(target.glob("pyzmq*")) if target.exists() else True


@pytest.mark.slow
def test_second_build_reuses_bundled_libraries(tmp_path):
    """A rebuild in the same build directory, reconfigured as pip does, leaves
    libzmq and libsodium alone."""
    cache = os.path.join(ROOT, "bundled", "cache")
    if not all(os.path.exists(os.path.join(cache, _pin(f"{n}_ARCHIVE"))) for n in ("LIBZMQ", "LIBSODIUM")):
        pytest.skip("pinned archives not cached")
    build = tmp_path / "build"
    generator = ["-G", "Ninja"] if shutil.which("ninja") else []
    first = _configure(build, cache, extra=generator)
    assert first.returncode == 0, first.stdout + first.stderr
    started = time.monotonic()
    result = subprocess.run([CMAKE, "--build", str(build)], capture_output=True, text=True, timeout=900)
    first_seconds = time.monotonic() - started
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    archives = [build / "bundled" / "prefix" / "lib" / a for a in ("libzmq.a", "libsodium.a")]
    before = [a.stat().st_mtime_ns for a in archives]

    again = _configure(build, cache, extra=generator)
    assert again.returncode == 0
    started = time.monotonic()
    result = subprocess.run([CMAKE, "--build", str(build)], capture_output=True, text=True, timeout=900)
    second_seconds = time.monotonic() - started
    assert result.returncode == 0
    assert [a.stat().st_mtime_ns for a in archives] == before
    for step in ("Performing configure step for 'libzmq'", "Performing build step for 'libzmq'",
                 "Performing configure step for 'libsodium'", "Performing build step for 'libsodium'"):
        assert step not in result.stdout
    print(f"first build {first_seconds:.1f}s, second build {second_seconds:.1f}s")
