"""Server rendering: views to HTML strings.

    from lepta import render_to_string
    render_to_string(App)
"""

from ..view._component import InvalidChildError
from ._escape import BLOCKED_URL, escape_attr, escape_text, is_dangerous_url, safe_url
from ._render import render_to_string

__all__ = [
    "BLOCKED_URL",
    "InvalidChildError",
    "escape_attr",
    "escape_text",
    "is_dangerous_url",
    "render_to_string",
    "safe_url",
]
