"""Record the public surface of the reference pyzmq as a JSON manifest.

Regenerate with (from the repository root, network access to the package
index needed):

    python3 tools/pyzmq_surface.py

The reference wheel for the running interpreter is fetched with
``pip download --no-deps --only-binary=:all: pyzmq==VERSION`` into a temporary
directory and installed into a throw-away venv together with the optional
dependencies its modules import at import time (tornado, gevent, paramiko).
This script then runs itself inside that venv (``--inspect``, isolated mode,
working directory outside this repository so that the ``zmq/`` source tree
here can never shadow the reference) and writes the manifest, by default
``tests/pyzmq_surface.json``. Only names are recorded: no code, docstring or
signature of the reference ends up in the manifest.

Which modules
-------------
Every module found by walking the files of the installed ``zmq`` package
(``.py`` sources and compiled extensions; ``.pyi`` stubs are not modules),
except:

* ``zmq.tests`` and its submodules: a test suite, not a library surface;
* modules with a name component starting with ``_`` (``__main__`` included:
  importing it would run a program), apart from those in ``PRIVATE_MODULES``,
  which real code imports despite the underscore.

A module that fails to import in the reference venv is listed under
``unimportable`` with the exception, so the test suite can report it as a skip
instead of dropping it. A failure caused by a missing *third-party* module
aborts the run instead: it means an optional dependency is missing from
``OPTIONAL_DEPS`` and the manifest would silently lose a module.

Which names in a module
-----------------------
The union of

1. the names in the module's ``__all__``, when it has one and they exist at
   runtime;
2. the names not starting with ``_`` that the module binds itself at its top
   level: ``def``, ``class`` and assignment targets, also inside top-level
   ``if``/``try``/``with``/``for``/``while`` blocks (read from the module's
   source with ``ast``; for a compiled module, its pure-Python-mode source next
   to it), that exist in the imported module. Names bound by ``import``
   are imported helpers (``os``, ``sys``, ``Any``, ``annotations``,
   ``TYPE_CHECKING``...) and are left out, also when an ``except ImportError``
   branch assigns a stand-in to the same name; an alias bound only by
   assignment (``X = other.X``) is kept, since a program may use it;
3. the names a top-level ``from M import *`` brings in, since a star import
   is a deliberate re-export: M's ``__all__``, else M's own recorded names when
   M is a recorded ``zmq`` module, else the functions and classes M defines
   itself (``zmq.eventloop.ioloop`` re-exporting ``tornado.ioloop.IOLoop``);
4. for a compiled module without source, instead of 2-3, its runtime
   namespace: functions and classes whose ``__module__`` is the module
   itself, and plain constants.

From 2-4, values that are modules or typing constructs (``TypeVar``, typing
aliases and special forms) are dropped: they are annotation plumbing, not API.
``IGNORED_NAMES`` drops the few scratch variables the rule lets through, and
``EXTRA_NAMES`` adds names outside the rule that real programs are known to use
(listed separately under ``extra_names``); each entry says why.

Classes
-------
For each class in ``CLASSES`` (the core objects whose methods programs call),
the names in ``dir(cls)`` not starting with ``_``, as they are: nothing is
added or removed for socket options.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import importlib.machinery
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import types
import typing
from pathlib import Path

PYZMQ_VERSION = "27.3.0"

# Imported by the reference's modules at import time; without them those
# modules could not be inspected.
OPTIONAL_DEPS = ("tornado", "gevent", "paramiko")

# Underscored modules that code outside pyzmq imports all the same, so their
# names are de-facto API.
PRIVATE_MODULES = {
    "zmq._future": "base of the asyncio/tornado Future-returning sockets",
    "zmq._typing": "typing helpers imported by code written against pyzmq",
    "zmq.backend.cython._zmq": "the compiled backend, imported by name",
}

# Names outside the rule above that programs rely on.
EXTRA_NAMES = {
    # The already-finished tracker handed out for untracked sends; code outside
    # pyzmq refers to it by name.
    "zmq": ["_FINISHED_TRACKER"],
    # The module exists to hand out this one name; the typing-construct filter
    # would otherwise leave it empty.
    "zmq._typing": ["TypeAlias"],
}

# Top-level scratch variables that happen to survive in a module's namespace;
# nobody imports them.
IGNORED_NAMES = {
    # loop variables of the backend selection fallback
    "zmq.backend": {"first", "second"},
}

CLASSES = (
    "zmq.sugar.context.Context",
    "zmq.sugar.socket.Socket",
    "zmq.sugar.frame.Frame",
    "zmq.sugar.poll.Poller",
    "zmq.sugar.tracker.MessageTracker",
    "zmq.error.ZMQError",
    "zmq.asyncio.Context",
    "zmq.asyncio.Socket",
    "zmq.asyncio.Poller",
    "zmq.eventloop.zmqstream.ZMQStream",
)

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = REPO_ROOT / "tests" / "pyzmq_surface.json"

TYPING_MODULES = frozenset({"typing", "typing_extensions", "__future__"})


# --- inside the reference venv -------------------------------------------


def _package_modules(root: Path) -> list[str]:
    suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES) + (".py",)
    found = set()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d != "__pycache__"]
        rel = Path(dirpath).relative_to(root.parent)
        if "__init__.py" not in filenames:
            # A directory without __init__.py (bundled headers, licenses) is
            # no package, and neither is anything below it.
            dirnames[:] = []
            continue
        for filename in filenames:
            suffix = next((s for s in suffixes if filename.endswith(s)), None)
            if suffix is None:
                continue
            stem = filename[: -len(suffix)]
            parts = list(rel.parts) if stem == "__init__" else [*rel.parts, stem]
            found.add(".".join(parts))
    return sorted(found)


def _wanted(modname: str) -> bool:
    parts = modname.split(".")
    if parts[:2] == ["zmq", "tests"]:
        return False
    if any(p.startswith("_") for p in parts):
        return modname in PRIVATE_MODULES
    return True


def _is_typing_construct(value: object) -> bool:
    if isinstance(value, type):
        return value.__module__ in TYPING_MODULES
    if isinstance(value, (typing.TypeVar, types.GenericAlias)):
        return True
    union_type = getattr(types, "UnionType", None)
    if union_type is not None and isinstance(value, union_type):
        return True
    return type(value).__module__ in TYPING_MODULES


def _bound_names(body: list[ast.stmt]) -> set[str]:
    names: set[str] = set()

    def targets(node: ast.AST) -> None:
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, (ast.Tuple, ast.List)):
            for elt in node.elts:
                targets(elt)
        elif isinstance(node, ast.Starred):
            targets(node.value)

    for stmt in body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(stmt.name)
        elif isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                targets(target)
        elif isinstance(stmt, (ast.AnnAssign, ast.AugAssign)):
            if getattr(stmt, "value", None) is not None:
                targets(stmt.target)
        elif isinstance(stmt, (ast.If, ast.For, ast.While, ast.With, ast.Try)):
            for field in ("body", "orelse", "finalbody"):
                names |= _bound_names(getattr(stmt, field, []))
            for handler in getattr(stmt, "handlers", []):
                names |= _bound_names(handler.body)
        elif isinstance(stmt, getattr(ast, "TryStar", ())):
            for field in ("body", "orelse", "finalbody"):
                names |= _bound_names(getattr(stmt, field, []))
            for handler in stmt.handlers:
                names |= _bound_names(handler.body)
    return names


def _import_bound(body: list[ast.stmt]) -> set[str]:
    names: set[str] = set()
    pending: list[ast.AST] = list(body)
    while pending:
        node = pending.pop()
        # Imports inside functions and classes bind no module-level name.
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                if alias.name != "*":
                    names.add(alias.asname or alias.name.split(".")[0])
        pending.extend(ast.iter_child_nodes(node))
    return names


def _star_sources(body: list[ast.stmt], modname: str, is_package: bool) -> list[str]:
    package = modname if is_package else modname.rpartition(".")[0]
    sources = []
    for stmt in body:
        if isinstance(stmt, ast.ImportFrom) and any(a.name == "*" for a in stmt.names):
            if stmt.level:
                base = package.split(".")
                base = base[: len(base) - (stmt.level - 1)]
                sources.append(".".join(base + ([stmt.module] if stmt.module else [])))
            else:
                sources.append(stmt.module)
    return sources


def _source_of(module: types.ModuleType) -> Path | None:
    origin = getattr(module.__spec__, "origin", None)
    if not origin:
        return None
    path = Path(origin)
    if path.suffix == ".py":
        return path
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        if path.name.endswith(suffix):
            sibling = path.with_name(path.name[: -len(suffix)] + ".py")
            return sibling if sibling.exists() else None
    return None


def _star_exports(source: str, surface) -> set[str]:
    module = importlib.import_module(source)
    if hasattr(module, "__all__"):
        return set(module.__all__)
    recorded = surface(source)
    if recorded is not None:
        return set(recorded)
    return {
        n
        for n, v in vars(module).items()
        if not n.startswith("_")
        and (isinstance(v, type) or callable(v))
        and getattr(v, "__module__", None) == source
    }


def _public_names(modname: str, module: types.ModuleType, surface) -> list[str]:
    namespace = vars(module)
    names = {n for n in namespace.get("__all__", ()) if n in namespace}
    missing = set(namespace.get("__all__", ())) - names
    if missing:
        print(f"note: {modname}.__all__ lists absent names {sorted(missing)}", file=sys.stderr)

    source = _source_of(module)
    if source is not None:
        tree = ast.parse(source.read_text(encoding="utf-8"))
        candidates = _bound_names(tree.body) - _import_bound(tree.body)
        is_package = hasattr(module, "__path__")
        for star in _star_sources(tree.body, modname, is_package):
            candidates |= _star_exports(star, surface)
        candidates &= set(namespace)
        own_only = False
    else:
        candidates = set(namespace)
        own_only = True
    candidates -= IGNORED_NAMES.get(modname, set())

    for name in candidates:
        if name.startswith("_"):
            continue
        value = namespace[name]
        if isinstance(value, types.ModuleType) or _is_typing_construct(value):
            continue
        if own_only and (isinstance(value, type) or callable(value)):
            if getattr(value, "__module__", None) != modname:
                continue
        names.add(name)
    return sorted(names)


def _describe(exc: BaseException) -> str:
    # Keep the manifest free of file-system paths.
    if isinstance(exc, ModuleNotFoundError) and exc.name:
        return f"ModuleNotFoundError: no module named {exc.name!r}"
    return type(exc).__name__


def inspect_reference() -> dict:
    spec = importlib.util.find_spec("zmq")
    assert spec is not None and spec.submodule_search_locations, "zmq not installed"
    root = Path(list(spec.submodule_search_locations)[0])
    modules: dict[str, list[str]] = {}
    unimportable: dict[str, str] = {}
    missing_deps: dict[str, str] = {}
    loaded: dict[str, types.ModuleType] = {}
    for modname in filter(_wanted, _package_modules(root)):
        try:
            loaded[modname] = importlib.import_module(modname)
        except Exception as exc:
            if isinstance(exc, ModuleNotFoundError) and exc.name and not exc.name.startswith("zmq"):
                missing_deps[modname] = exc.name
            unimportable[modname] = _describe(exc)

    # A module's names may depend on those of the modules it star-imports,
    # whichever order they are visited in.
    def surface(modname: str) -> list[str] | None:
        if modname not in loaded:
            return None
        if modname not in modules:
            modules[modname] = []  # cycle guard
            modules[modname] = _public_names(modname, loaded[modname], surface)
        return modules[modname]

    for modname in loaded:
        surface(modname)
    modules = dict(sorted(modules.items()))
    if missing_deps:
        raise SystemExit(f"optional dependencies missing from OPTIONAL_DEPS: {missing_deps}")

    extra: dict[str, list[str]] = {}
    for modname, wanted in EXTRA_NAMES.items():
        module = importlib.import_module(modname)
        absent = [n for n in wanted if not hasattr(module, n)]
        if absent:
            raise SystemExit(f"EXTRA_NAMES of {modname} absent in the reference: {absent}")
        extra[modname] = sorted(wanted)

    classes: dict[str, list[str]] = {}
    for qualname in CLASSES:
        modname, _, clsname = qualname.rpartition(".")
        cls = getattr(importlib.import_module(modname), clsname)
        classes[qualname] = sorted(n for n in dir(cls) if not n.startswith("_"))

    import zmq

    return {
        "about": {
            "pyzmq": zmq.__version__,
            "libzmq": zmq.zmq_version(),
            "python": "{}.{}".format(*sys.version_info[:2]),
            "optional_deps": list(OPTIONAL_DEPS),
            "generated_by": "python3 tools/pyzmq_surface.py (rules in its docstring)",
        },
        "modules": modules,
        "unimportable": unimportable,
        "extra_names": extra,
        "classes": classes,
    }


# --- driver ---------------------------------------------------------------


def _run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    print("+", " ".join(cmd), file=sys.stderr)
    return subprocess.run(cmd, check=True, **kwargs)


def build_manifest(version: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="pyzmq-surface-") as tmp:
        tmpdir = Path(tmp)
        wheels = tmpdir / "wheels"
        _run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
              f"pyzmq=={version}", "-d", str(wheels)])
        (wheel,) = wheels.glob("pyzmq-*.whl")
        venv = tmpdir / "venv"
        _run([sys.executable, "-m", "venv", str(venv)])
        bindir = "Scripts" if os.name == "nt" else "bin"
        python = str(venv / bindir / ("python.exe" if os.name == "nt" else "python"))
        _run([python, "-m", "pip", "install", "-q", "--no-deps", str(wheel)])
        _run([python, "-m", "pip", "install", "-q", *OPTIONAL_DEPS])
        # -I: neither this repository nor PYTHON* variables may leak into the
        # reference interpreter's sys.path.
        out = _run([python, "-I", str(Path(__file__).resolve()), "--inspect"],
                   cwd=tmpdir, stdout=subprocess.PIPE, text=True)
    manifest = json.loads(out.stdout)
    if manifest["about"]["pyzmq"] != version:
        raise SystemExit(f"inspected pyzmq {manifest['about']['pyzmq']}, wanted {version}")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", default=PYZMQ_VERSION, help="reference pyzmq version")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--inspect", action="store_true",
                        help="internal: print the surface of the importable pyzmq as JSON")
    args = parser.parse_args(argv)

    if args.inspect:
        json.dump(inspect_reference(), sys.stdout)
        return 0

    manifest = build_manifest(args.version)
    text = json.dumps(manifest, indent=1, sort_keys=True) + "\n"
    args.output.write_text(text, encoding="utf-8")
    n_names = sum(map(len, manifest["modules"].values()))
    n_attrs = sum(map(len, manifest["classes"].values()))
    print(f"wrote {args.output}: {len(manifest['modules'])} modules, {n_names} names, "
          f"{len(manifest['unimportable'])} unimportable, {len(manifest['classes'])} classes "
          f"({n_attrs} attributes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
