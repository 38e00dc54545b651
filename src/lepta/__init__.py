"""Lepta: a full-stack web framework for Python in the design of Leptos.

    from lepta import signal, Memo, Effect
"""

from .reactive import *  # noqa: F403
from .reactive import __all__ as _reactive_all

__version__ = "0.1.0"
__all__ = list(_reactive_all)
