"""Every public module, name and core-class attribute of pyzmq 27.3.0 exists here.

The manifest is data recorded from the reference wheel by
tools/pyzmq_surface.py (which documents what counts as public); regenerate it
with `python3 tools/pyzmq_surface.py`. Only presence is checked here: behaviour
is the business of the other test files.
"""

import importlib
import json
import sys
from pathlib import Path

import pytest

MANIFEST_PATH = Path(__file__).with_name("pyzmq_surface.json")
MANIFEST = json.loads(MANIFEST_PATH.read_text(encoding="utf-8"))

# Modules this package deliberately does not provide; each key also covers its
# submodules. Keep this to real design decisions.
EXCLUDED = {
    "zmq.backend.cffi": "this package has a single compiled (Cython) backend; no cffi backend",
}


def _covering(table, modname):
    for key, reason in table.items():
        if modname == key or modname.startswith(key + "."):
            return reason
    return None


def _skip_reason(modname):
    reason = _covering(EXCLUDED, modname)
    if reason is not None:
        return f"excluded: {reason}"
    if modname in MANIFEST.get("unimportable", {}):
        # Nothing to compare against: the reference itself cannot import it.
        return f"not importable in pyzmq {MANIFEST['about']['pyzmq']} either: {MANIFEST['unimportable'][modname]}"
    return None


def _params(names):
    params = []
    for name in sorted(names):
        reason = _skip_reason(name)
        marks = [pytest.mark.skip(reason=reason)] if reason else []
        params.append(pytest.param(name, id=name, marks=marks))
    return params


def _import(modname):
    try:
        return importlib.import_module(modname)
    except Exception as exc:
        error = exc
    # Reported outside the except block so that the failure shows one line,
    # not a chained traceback.
    missing = getattr(error, "name", None) if isinstance(error, ModuleNotFoundError) else None
    if missing and missing.split(".")[0] != "zmq":
        # An optional third-party dependency (tornado, gevent, ...) absent from
        # this environment says nothing about this package.
        pytest.skip(f"optional dependency {missing!r} is not installed")
    pytest.fail(f"cannot import {modname}: {error!r}", pytrace=False)


ALL_MODULES = set(MANIFEST.get("modules", {})) | set(MANIFEST.get("unimportable", {}))


@pytest.mark.parametrize("modname", _params(ALL_MODULES))
def test_module_surface(modname):
    module = _import(modname)
    wanted = sorted(set(MANIFEST["modules"][modname]) | set(MANIFEST.get("extra_names", {}).get(modname, [])))
    missing = [name for name in wanted if not hasattr(module, name)]
    assert not missing, f"{modname} lacks {len(missing)} of {len(wanted)} names: {', '.join(missing)}"


# Attributes the manifest records because the Python it was made with gives
# them to every subclass of a builtin (BaseException.add_note, 3.11); an older
# Python has them on no class, pyzmq's included.
_INHERITED_FROM_NEWER_PYTHON = {"add_note": (3, 11)}


@pytest.mark.parametrize("qualname", _params(MANIFEST.get("classes", {})))
def test_class_surface(qualname):
    modname, _, clsname = qualname.rpartition(".")
    reason = _skip_reason(modname)
    if reason:
        pytest.skip(reason)
    module = _import(modname)
    assert hasattr(module, clsname), f"{modname} has no class {clsname}"
    cls = getattr(module, clsname)
    wanted = [name for name in MANIFEST["classes"][qualname]
              if sys.version_info >= _INHERITED_FROM_NEWER_PYTHON.get(name, (0,))]
    missing = [name for name in wanted if not hasattr(cls, name)]
    assert not missing, f"{qualname} lacks {len(missing)} of {len(wanted)} attributes: {', '.join(missing)}"


def test_manifest_is_sane():
    """A truncated or mis-generated manifest must not let the suite pass vacuously."""
    assert MANIFEST["about"]["pyzmq"] == "27.3.0"
    modules = MANIFEST["modules"]
    assert len(modules) >= 40
    for core in (
        "zmq",
        "zmq.constants",
        "zmq.error",
        "zmq.asyncio",
        "zmq.sugar",
        "zmq.sugar.context",
        "zmq.sugar.socket",
        "zmq.sugar.frame",
        "zmq.sugar.poll",
        "zmq.backend",
        "zmq.backend.cython._zmq",
        "zmq.eventloop.zmqstream",
        "zmq.green",
        "zmq.utils.monitor",
        "zmq._future",
    ):
        assert core in modules, core
    assert sum(map(len, modules.values())) >= 800
    assert {"Context", "Socket", "Poller", "ZMQError", "PUB", "SUB", "SNDMORE"} <= set(modules["zmq"])
    assert "_FINISHED_TRACKER" in MANIFEST["extra_names"]["zmq"]
    for names in list(modules.values()) + list(MANIFEST["classes"].values()):
        assert names == sorted(set(names))
        assert all(isinstance(n, str) and n for n in names)

    classes = MANIFEST["classes"]
    assert {"send_multipart", "recv_multipart", "bind", "connect", "close"} <= set(
        classes["zmq.sugar.socket.Socket"]
    )
    assert {"socket", "term", "destroy", "instance"} <= set(classes["zmq.sugar.context.Context"])

    # Stale skip entries would hide nothing and only mislead.
    for key in EXCLUDED:
        assert any(m == key or m.startswith(key + ".") for m in ALL_MODULES), key
