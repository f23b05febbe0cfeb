"""Decorators giving a function a Context or a Socket for the time of a call.

    from zmq.decorators import context, socket

    @context()
    @socket(zmq.PUSH)
    def work(ctx, push):
        push.connect(url)
        push.send(b"job")

At each call the decorated function gets a new Context (terminated when it
returns or raises) or a new Socket (closed likewise), as its last positional
argument, or as a keyword argument when given a name:

    @socket("push", zmq.PUSH)          # or @socket(zmq.PUSH, name="push")
    def work(*, push): ...

The other arguments of the decorator are those of the Context constructor
(e.g. io_threads) or of Context.socket (the socket type, socket_class, ...).
A socket is made by the Context found in the call's arguments (a keyword
argument named `context`, or `context_name` if the decorator sets it, else
the first positional Context, e.g. one a @context() decorator above passed
in), or by zmq.Context.instance().

.. versionadded:: 15.3
"""

from __future__ import annotations

from functools import wraps
from typing import Any, Callable, TypeVar

import zmq

__all__ = ("context", "socket")

_F = TypeVar("_F", bound=Callable[..., Any])


class _Decorator:
    """Makes decorators running a function inside ``with target(...) as obj``,
    obj being passed to the function."""

    def __init__(self, target: Callable[..., Any] | None = None) -> None:
        self._target = target

    def __call__(self, *dec_args: Any, **dec_kwargs: Any) -> Callable[[_F], _F]:
        name, target_args, target_kwargs = self.process_decorator_args(*dec_args, **dec_kwargs)

        def decorator(func: _F) -> _F:
            @wraps(func)
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                target = self.get_target(*args, **kwargs)
                with target(*target_args, **target_kwargs) as obj:
                    if not name:
                        return func(*args, obj, **kwargs)
                    if name in kwargs:
                        raise TypeError(f"{func.__name__}() got multiple values for argument {name!r}")
                    kwargs[name] = obj
                    return func(*args, **kwargs)

            return wrapper  # type: ignore[return-value]

        return decorator

    def get_target(self, *args: Any, **kwargs: Any) -> Callable[..., Any]:
        """What makes the object, given the arguments of the call."""
        return self._target  # type: ignore[return-value]

    def process_decorator_args(self, *args: Any, **kwargs: Any) -> tuple[str | None, tuple[Any, ...], dict[str, Any]]:
        """Split the decorator's arguments into the name of the keyword
        argument to pass (a `name` keyword, or a first positional string;
        None to pass it positionally) and the arguments of the target."""
        name = None
        if isinstance(kwargs.get("name"), str):
            name = kwargs.pop("name")
        elif args and isinstance(args[0], str):
            name, args = args[0], args[1:]
        return name, args, kwargs


class _ContextDecorator(_Decorator):
    def __init__(self) -> None:
        super().__init__(zmq.Context)


class _SocketDecorator(_Decorator):
    def process_decorator_args(self, *args: Any, **kwargs: Any) -> tuple[str | None, tuple[Any, ...], dict[str, Any]]:
        name, args, kwargs = super().process_decorator_args(*args, **kwargs)
        self.context_name = kwargs.pop("context_name", "context")
        return name, args, kwargs

    def get_target(self, *args: Any, **kwargs: Any) -> Callable[..., Any]:
        return self._get_context(*args, **kwargs).socket

    def _get_context(self, *args: Any, **kwargs: Any) -> zmq.Context[Any]:
        """The Context of a call: the keyword argument named context_name if
        it is a Context, else the first positional Context, else
        zmq.Context.instance()."""
        ctx = kwargs.get(self.context_name) if self.context_name is not None else None
        if isinstance(ctx, zmq.Context):
            return ctx
        for arg in args:
            if isinstance(arg, zmq.Context):
                return arg
        return zmq.Context.instance()


def context(*args: Any, **kwargs: Any) -> Callable[[_F], _F]:
    """Decorator passing a new Context to the function, terminated after it.

        @context()
        def f(ctx): ...

        @context("ctx", io_threads=2)      # or context(name="ctx", ...)
        def g(*, ctx): ...

    :param str name: pass the Context as this keyword argument (a first
        positional string does the same); the other arguments go to Context().
    """
    return _ContextDecorator()(*args, **kwargs)


def socket(*args: Any, **kwargs: Any) -> Callable[[_F], _F]:
    """Decorator passing a new Socket to the function, closed after it.

        @socket(zmq.PUSH)
        def f(push): ...

        @context()
        @socket("pub", zmq.PUB)
        def g(ctx, *, pub): ...

    :param str name: pass the Socket as this keyword argument (a first
        positional string does the same).
    :param str context_name: the keyword argument of the call holding the
        Context to make the socket with (default "context").

    The other arguments go to Context.socket (the socket type first).
    """
    return _SocketDecorator()(*args, **kwargs)
