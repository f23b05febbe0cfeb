"""Attribute-style access to options: `socket.linger = 0`, `ctx.io_threads`.

Every option name of the given enums becomes a property of the class, in
lower and upper case (unless the class already has an attribute of that name,
e.g. Socket.subscribe the method). Properties rather than a __getattr__ hook:
a class with __getattr__ loses CPython's fast method lookup, which would slow
every send and recv.

Setting an attribute follows pyzmq's rules: a name the class (or a subclass)
defines or annotates is an ordinary attribute, an option name sets the option,
and anything else raises AttributeError, so a typo never passes silently.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any


def _class_annotations(cls: type) -> dict:
    # Only the names are wanted. Imported here, on the first assignment of an
    # unknown name, rather than with zmq: annotationlib (and inspect) pull in
    # ast, dis and tokenize: most of a megabyte in every process.
    if sys.version_info >= (3, 14):
        import annotationlib

        # Annotations are evaluated lazily from 3.14 on (PEP 649); FORWARDREF
        # gives the names without failing on a name defined later.
        return annotationlib.get_annotations(cls, format=annotationlib.Format.FORWARDREF)
    # Up to 3.13 a class keeps its own annotations in its __dict__.
    return cls.__dict__.get("__annotations__", {})


def _annotated_names(cls: type) -> frozenset:
    # Computed once per class: __setattr__ runs in every subclass __init__.
    names = cls.__dict__.get("_annotated_attribute_names")
    if names is None:
        names = frozenset(name for klass in cls.__mro__ for name in _class_annotations(klass))
        type.__setattr__(cls, "_annotated_attribute_names", names)
    return names


class AttributeSetter:
    """Mixin: option properties route to `_get_attr_opt`/`_set_attr_opt`/`_del_attr_opt`."""

    # The enum classes whose members were installed as attributes.
    _option_enums: tuple = ()
    # Declared names that still set the option of the same name when assigned
    # (Socket: `sub.subscribe = b"topic"`).
    _option_first: frozenset = frozenset()

    if TYPE_CHECKING:
        # The option attributes (sock.linger, ctx.io_threads, frame.more, ...)
        # are properties installed at import time, which a type checker cannot
        # see: to it they read as any option value. Setting them goes through
        # __setattr__ below.
        def __getattr__(self, key: str) -> str | bytes | int: ...

    def __setattr__(self, key: str, value: Any) -> None:
        if key in self._option_first:
            self._set_attr_opt(key.upper(), self._option_for(key.upper()), value)
            return
        cls = type(self)
        if key.startswith("_") or key in self.__dict__ or hasattr(cls, key) or key in _annotated_names(cls):
            object.__setattr__(self, key, value)
            return
        upper = key.upper()
        option = self._option_for(upper)
        if option is None:
            raise AttributeError(f"{type(self).__name__} has no such option: {upper}")
        self._set_attr_opt(upper, option, value)

    def _option_for(self, upper: str) -> Any:
        for enum in self._option_enums:
            if upper in enum.__members__:
                return enum[upper]
        return None

    def _set_attr_opt(self, name: str, option: int, value: Any) -> None:
        self.set(option, value)  # type: ignore[operator]

    def _get_attr_opt(self, name: str, option: int) -> Any:
        return self.get(option)  # type: ignore[operator]

    def _del_attr_opt(self, name: str, option: int) -> None:
        raise AttributeError(f"cannot delete option {name}")


def _option_property(name: str, option: int) -> property:
    def fget(self: Any) -> Any:
        return self._get_attr_opt(name, option)

    def fset(self: Any, value: Any) -> None:
        self._set_attr_opt(name, option, value)

    def fdel(self: Any) -> None:
        self._del_attr_opt(name, option)

    return property(fget, fset, fdel, doc=f"The {name} option.")


def install_option_attributes(cls: type, *enums: Any) -> None:
    """Give cls a property for each member of enums, lower- and upper-case."""
    cls._option_enums = tuple(enums)  # type: ignore[attr-defined]
    for enum in enums:
        for name, option in enum.__members__.items():
            for attr in (name.lower(), name):
                if not any(attr in k.__dict__ for k in cls.__mro__):
                    setattr(cls, attr, _option_property(name, option))


__all__ = ["AttributeSetter"]
