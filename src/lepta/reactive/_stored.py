"""Stored values: owned, non-reactive storage."""

from __future__ import annotations

from typing import Callable, Generic, TypeVar

from ._core import _adopt
from ._errors import DisposedError

T = TypeVar("T")


class StoredValue(Generic[T]):
    """A value that lives as long as its owner but is not reactive: reads never track.

        clicks = StoredValue(0)
        clicks.update_value(lambda n: n + 1)
    """

    __slots__ = ("_alive", "_value")

    def __init__(self, value: T) -> None:
        self._value = value
        self._alive = True
        _adopt(self)

    def get_value(self) -> T:
        self._check()
        return self._value

    def set_value(self, value: T) -> None:
        self._check()
        self._value = value

    def update_value(self, fn: Callable[[T], T]) -> None:
        self._check()
        self._value = fn(self._value)

    def _check(self) -> None:
        if not self._alive:
            raise DisposedError(
                "a StoredValue was used after its owner was disposed; keep it under "
                "an owner that lives as long as the code using it"
            )

    def _dispose(self, detach: bool = True) -> None:
        self._alive = False
        self._value = None  # type: ignore[assignment]
