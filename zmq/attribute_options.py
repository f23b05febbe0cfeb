"""Attribute-style access to options: `socket.linger = 0`, `ctx.io_threads`.

An attribute that is not a real attribute of the object is looked up as an
option name (upper-cased) among the zmq constants and routed to the object's
option setter/getter. Names that are neither raise AttributeError.
"""

from __future__ import annotations

from zmq import constants


class AttributeOptions:
    """Mixin routing unknown attribute names to `_set_attr_opt`/`_get_attr_opt`."""

    # The kind of object named in error messages.
    _option_owner = "Object"

    def __setattr__(self, key: str, value) -> None:
        if key.startswith("_") or key in self.__dict__ or any(key in k.__dict__ for k in type(self).__mro__):
            object.__setattr__(self, key, value)
            return
        option = self._option_named(key)
        self._set_attr_opt(key.upper(), option, value)

    def __getattr__(self, key: str):
        # Only reached when normal lookup failed.
        if key.startswith("_"):
            raise AttributeError(key)
        option = self._option_named(key)
        return self._get_attr_opt(key.upper(), option)

    def _option_named(self, key: str) -> int:
        option = getattr(constants, key.upper(), None)
        if not isinstance(option, (constants.SocketOption, constants.ContextOption)):
            raise AttributeError(f"{self._option_owner} has no such option: {key.upper()}")
        return option

    def _set_attr_opt(self, name: str, option: int, value) -> None:
        self.set(option, value)

    def _get_attr_opt(self, name: str, option: int):
        return self.get(option)
