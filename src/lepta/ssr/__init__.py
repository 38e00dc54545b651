"""Server rendering: views to HTML strings.

    from lepta import render_to_string
    render_to_string(App)
    async for chunk in render_to_stream(App): ...
"""

from ..view._component import InvalidChildError
from ..view._escape import BLOCKED_URL, escape_attr, escape_text, is_dangerous_url, safe_url
from ..view._values import UnsafeValueError
from ._render import render_to_string
from ._stream import render_to_stream

__all__ = [
    "BLOCKED_URL",
    "InvalidChildError",
    "UnsafeValueError",
    "escape_attr",
    "escape_text",
    "is_dangerous_url",
    "render_to_stream",
    "render_to_string",
    "safe_url",
]
