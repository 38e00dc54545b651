"""`RwSignal`: a signal read and written through one object."""

from __future__ import annotations

from typing import Any, Callable, Generic, TypeVar

from ._core import ReadSignal, WriteSignal, signal

T = TypeVar("T")

_NO_VALUE: Any = object()


class RwSignal(Generic[T]):
    """A signal that reads and writes through one object.

        name = RwSignal("Ada")
        name()             # read (tracked)
        name.set("Grace")  # or name("Grace")
        read, write = name.split()
    """

    __slots__ = ("_node",)

    def __init__(self, value: T) -> None:
        self._node = signal(value)[0]

    def __call__(self, value: T = _NO_VALUE) -> T:
        """`rw()` reads (tracked); `rw(v)` writes."""
        if value is _NO_VALUE:
            return self._node.get()
        self._node._write(value)
        return value

    def get(self) -> T:
        """The current value; inside a computation, also a dependency."""
        return self._node.get()

    def get_untracked(self) -> T:
        """The current value, without becoming a dependency."""
        return self._node.get_untracked()

    def set(self, value: T) -> None:
        """Replace the value and notify every reader."""
        self._node._write(value)

    def update(self, fn: Callable[[T], T]) -> None:
        """Set the value to `fn(old)`."""
        self._node._update(fn)

    def mutate(self, fn: Callable[[T], object]) -> None:
        """Call `fn(value)` to change the value in place, then notify."""
        self._node._mutate(fn)

    def read_only(self) -> ReadSignal[T]:
        """The read half: a ReadSignal of the same value."""
        return self._node

    def write_only(self) -> WriteSignal[T]:
        """The write half: a WriteSignal of the same value."""
        writer: WriteSignal[T] = WriteSignal()
        writer._node = self._node
        return writer

    def split(self) -> tuple[ReadSignal[T], WriteSignal[T]]:
        """`(read_only(), write_only())`."""
        return self._node, self.write_only()

    def __repr__(self) -> str:
        return "Rw" + repr(self._node)
