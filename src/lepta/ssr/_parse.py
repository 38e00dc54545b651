"""Parsing source for the compilers (the server's, the build's), robust to a CPython
fault.

CPython's parser keeps the depth of the syntax tree it is building in state shared by
every parse. When a parse runs inside another (a finalizer that the garbage collector
runs in the middle of one, formatting a traceback, say), the outer one can end with
`SystemError: AST constructor recursion depth mismatch`, though its source is fine.
Parsed again, it succeeds: the compilers try once more rather than fail a page or a
build (`lepta dev` builds in a thread while it serves, and both parse).
"""

from __future__ import annotations

import ast
from typing import Any


def parse(source: str, filename: str = "<unknown>") -> Any:
    """`ast.parse(source, filename)`, tried twice when CPython's parser faults (above)."""
    try:
        return ast.parse(source, filename)
    except SystemError:
        return ast.parse(source, filename)
