"""Errors raised by the reactive system.

    LeptaError
     +-- DisposedError        a disposed signal, memo or effect was used
     +-- CycleError           a memo depends on itself
     +-- EffectLoopError      effects kept re-triggering each other without settling
     +-- MissingContextError  expect_context() found no value of the type asked for
     +-- NoOwnerError         an operation that needs an owner ran outside any owner
     +-- EffectErrors         several effects raised during one flush
"""

from __future__ import annotations


class LeptaError(Exception):
    """The root of every error Lepta raises on purpose."""


def lepta_error_and(builtin: type) -> type:
    """A base for an error that is a LeptaError and, where the runtime allows two
    exception bases (CPython, Pyodide; MicroPython refuses them), also `builtin`,
    so that `except ValueError` written for it keeps working.

        class UnsafeValueError(lepta_error_and(ValueError)): ...
    """
    try:

        class Both(LeptaError, builtin):  # type: ignore[misc]
            pass

        return Both
    except TypeError:
        return LeptaError


class DisposedError(LeptaError):
    """A reactive node was read or written after its owner disposed it."""


class CycleError(LeptaError):
    """A memo read itself, directly or through other memos, while computing."""


class EffectLoopError(LeptaError):
    """Effects kept writing signals that re-triggered them, without settling."""


class MissingContextError(LeptaError):
    """`expect_context(T)` found no value of type T up the owner tree."""


class NoOwnerError(LeptaError):
    """Something that must belong to an owner was done outside any owner."""


class EffectErrors(LeptaError):
    """Several effects raised during one flush; `.errors` holds them in order."""

    def __init__(self, errors: list[BaseException]) -> None:
        lines = "\n".join("  - %s: %s" % (type(e).__name__, e) for e in errors)
        super().__init__("%d effects raised during one flush:\n%s" % (len(errors), lines))
        self.errors = errors
