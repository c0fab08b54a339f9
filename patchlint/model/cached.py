"""A cached property without a lock.

Python 3.11's :class:`functools.cached_property` takes a lock on every first access (removed
in 3.12, where it caused contention); a run makes some 100,000 first accesses, and patchlint
never shares a model object between threads. This one computes the value, stores it in the
instance's ``__dict__`` (which shadows the descriptor from then on) and returns it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

T = TypeVar("T")


class cached_property(Generic[T]):  # noqa: N801 - named as the functools one it stands in for
    """``@cached_property``: computed on first access, then a plain attribute of the instance."""

    def __init__(self, func: Callable[[Any], T]) -> None:
        self.func = func
        self.attrname = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.attrname = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> cached_property[T]: ...
    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...

    def __get__(self, instance: object | None, owner: type | None = None) -> T | cached_property[T]:
        if instance is None:
            return self
        value = self.func(instance)
        instance.__dict__[self.attrname] = value
        return value
