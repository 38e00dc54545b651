"""Lepta: a full-stack web framework for Python in the design of Leptos.

    from lepta import component, signal, render_to_string
    from lepta.html import div, button, span
"""

from .reactive import *  # noqa: F403
from .reactive import __all__ as _reactive_all
from .ssr import render_to_string
from .view import ComponentError, component, el

__version__ = "0.1.0"
__all__ = list(_reactive_all) + ["ComponentError", "component", "el", "render_to_string"]
