"""Attribute-style access to options: `socket.linger = 0`, `ctx.io_threads`.

Every option name of the given enums becomes a property of the class, in
lower and upper case (unless the class already has an attribute of that name,
e.g. Socket.subscribe the method). Properties rather than a __getattr__ hook:
a class with __getattr__ loses CPython's fast method lookup, which would slow
every send and recv. Setting any other attribute that the class does not
declare raises AttributeError, as in pyzmq.
"""

from __future__ import annotations


class AttributeOptions:
    """Mixin: option properties route to `_get_attr_opt`/`_set_attr_opt`/`_del_attr_opt`."""

    # The kind of object named in error messages.
    _option_owner = "Object"
    # The enum classes whose members were installed as attributes.
    _option_enums: tuple = ()

    def __setattr__(self, key: str, value) -> None:
        if key.startswith("_") or key in self.__dict__ or any(key in k.__dict__ for k in type(self).__mro__):
            object.__setattr__(self, key, value)
            return
        upper = key.upper()
        for enum in self._option_enums:
            if upper in enum.__members__:
                self._set_attr_opt(upper, enum[upper], value)
                return
        raise AttributeError(f"{self._option_owner} has no such option: {upper}")

    def _set_attr_opt(self, name: str, option: int, value) -> None:
        self.set(option, value)

    def _get_attr_opt(self, name: str, option: int):
        return self.get(option)

    def _del_attr_opt(self, name: str, option: int) -> None:
        raise AttributeError(f"cannot delete option {name}")


def _option_property(name: str, option: int) -> property:
    def fget(self):
        return self._get_attr_opt(name, option)

    def fset(self, value):
        self._set_attr_opt(name, option, value)

    def fdel(self):
        self._del_attr_opt(name, option)

    return property(fget, fset, fdel, doc=f"The {name} option.")


def install_option_attributes(cls: type, *enums) -> None:
    """Give cls a property for each member of enums, lower- and upper-case."""
    cls._option_enums = tuple(enums)
    for enum in enums:
        for name, option in enum.__members__.items():
            for attr in (name.lower(), name):
                if not any(attr in k.__dict__ for k in cls.__mro__):
                    setattr(cls, attr, _option_property(name, option))
