"""Errors raised by stores.

    LeptaError
     +-- StaleFieldError    a field's value is gone: a removed item, a past-the-end index
     +-- DuplicateKeyError  two items of a keyed list have the same key
"""

from __future__ import annotations

from ..reactive._errors import lepta_error_and


class StaleFieldError(lepta_error_and(LookupError)):  # type: ignore[misc]
    """A field was read or written whose value does not exist (any more)."""


class DuplicateKeyError(lepta_error_and(ValueError)):  # type: ignore[misc]
    """Two items of a keyed list have the same key, so a key cannot follow one item."""
