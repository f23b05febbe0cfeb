"""Every libzmq constant, as IntEnum/IntFlag classes and as module-level names.

The members come from the zmq.h the backend was compiled against (see
tools/gen_constants.py); nothing here lists them by hand. Module-level names
are the enum members themselves, so `zmq.PUB is zmq.SocketType.PUB`.
"""

from __future__ import annotations

from enum import Enum, IntEnum, IntFlag

from zmq.backend import CONSTANT_TABLE, HAUSNUMERO

_INT_FLAGS = {"Event", "Flag", "PollEvent"}
_ENUM_ORDER = [
    "ContextOption", "DeviceType", "Errno", "Event", "Flag", "MessageOption", "NormMode", "PollEvent",
    "ReconnectStop", "RouterNotify", "SecurityMechanism", "SocketOption", "SocketType",
]

_members: dict[str, dict[str, int]] = {name: {} for name in _ENUM_ORDER}
_module_names: list[tuple[str, str, str]] = []
for _enum, _member, _name, _value in CONSTANT_TABLE:
    _members[_enum].setdefault(_member, _value)
    _module_names.append((_enum, _member, _name))

# libzmq 2's combined high-water mark. pyzmq keeps it as a pseudo-option that
# the Socket class maps onto SNDHWM and RCVHWM.
_members["SocketOption"] = {"HWM": 1, **_members["SocketOption"]}
_module_names.insert(0, ("SocketOption", "HWM", "HWM"))


# Members that are the canonical name of their value although zmq.h defines
# them after an alias (pyzmq's choice: zmq.Event(0xFFFF) is Event.ALL_V1).
_CANONICAL_FIRST = {"Event": ["ALL_V1"]}


def _make(name: str) -> type:
    base = IntFlag if name in _INT_FLAGS else IntEnum
    members = _members[name]
    first = [m for m in _CANONICAL_FIRST.get(name, []) if m in members]
    items = [(m, members[m]) for m in first] + [(m, v) for m, v in members.items() if m not in first]
    return base(name, items, module=__name__, qualname=name)


ContextOption = _make("ContextOption")
DeviceType = _make("DeviceType")
Errno = _make("Errno")
Event = _make("Event")
Flag = _make("Flag")
MessageOption = _make("MessageOption")
NormMode = _make("NormMode")
PollEvent = _make("PollEvent")
ReconnectStop = _make("ReconnectStop")
RouterNotify = _make("RouterNotify")
SecurityMechanism = _make("SecurityMechanism")
SocketOption = _make("SocketOption")
SocketType = _make("SocketType")

_HAUSNUMERO = HAUSNUMERO

__all__ = ["Enum", "IntEnum", "IntFlag"] + list(_ENUM_ORDER)
for _enum, _member, _name in _module_names:
    globals()[_name] = globals()[_enum][_member]
    if _name not in __all__:
        __all__.append(_name)

del _enum, _member, _name, _value
