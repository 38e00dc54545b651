"""Browser helpers: storage, events, timers, media queries and observers as signals.

    from lepta.browser import use_local_storage, window_event_listener, set_interval

    todos, set_todos = use_local_storage("todos", [])      # JSON, synced across tabs
    window_event_listener("hashchange", lambda ev: read_hash())
    seconds = use_interval(1000)                            # 0, 1, 2, ...

Each helper belongs to the owner that was current when it ran: its listeners,
timers and observers go when that owner is disposed, and whatever JavaScript had to
keep (a Pyodide proxy) is released then. A callback that changes signals is followed
by the effects it made due, so the page shows the change. On the server, and
wherever there is no browser window, a helper returns its default and does nothing.
`set_window` gives the helpers another window (a fake one, in tests).

Portable: CPython, Pyodide and MicroPython. See docs/browser_helpers.md.
"""

from ._clipboard import Clipboard, use_clipboard
from ._events import document_event_listener, window_event_listener
from ._host import Handle, set_window
from ._media import use_media_query, use_preferred_dark
from ._observers import use_element_size, use_intersection
from ._page import use_document_visibility, use_location_hash, use_title, use_window_size
from ._storage import use_local_storage, use_session_storage
from ._timers import (
    Debounced,
    Throttled,
    request_animation_frame,
    set_interval,
    set_timeout,
    use_debounce,
    use_interval,
    use_throttle,
)

__all__ = [
    "Clipboard",
    "Debounced",
    "Handle",
    "Throttled",
    "document_event_listener",
    "request_animation_frame",
    "set_interval",
    "set_timeout",
    "set_window",
    "use_clipboard",
    "use_debounce",
    "use_document_visibility",
    "use_element_size",
    "use_intersection",
    "use_interval",
    "use_local_storage",
    "use_location_hash",
    "use_media_query",
    "use_preferred_dark",
    "use_session_storage",
    "use_throttle",
    "use_title",
    "use_window_size",
    "window_event_listener",
]
