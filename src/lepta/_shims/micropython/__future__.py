"""`from __future__ import annotations` for MicroPython, which never evaluates them."""

annotations = True
