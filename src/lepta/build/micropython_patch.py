"""The changes made to MicroPython's published `micropython.wasm` before it is served
(`micropython.mjs` is served as published):

- the calls the interpreter makes through its `setjmp` emulation stay inside it,
  instead of going out to imported functions (see `local_invokes`);
- new strings are not looked for among the program's interned names (see
  `qstr_lookup`);
- allocations of a few blocks start their search for room where the last one of
  their size went (see `alloc_hints`).

Each is written for MicroPython 1.27.0's published build and refuses any other.
"""

from __future__ import annotations

from ..reactive import LeptaError
from .alloc_hints import hinted_alloc
from .local_invokes import local_invokes
from .qstr_lookup import patched_wasm
from .wasm_format import UnsupportedModule


class UnexpectedRuntime(LeptaError, ValueError):
    """The runtime's files are not the ones these changes were written for."""


def served_wasm(wasm: bytes) -> bytes:
    """`micropython.wasm` as served."""
    try:
        return hinted_alloc(patched_wasm(local_invokes(wasm)))
    except UnsupportedModule as exc:
        raise UnexpectedRuntime(str(exc)) from None
