"""Listeners on the window and the document, removed with their owner."""

from __future__ import annotations

from typing import Any, Callable

from ._host import Handle, listen, owned, window


def window_event_listener(event_type: str, handler: Callable[[Any], Any]) -> Handle:
    """Call `handler(event)` for each `event_type` event on the window, until the
    current owner is disposed (or the returned Handle is stopped). On the server it
    does nothing. Effects the handler makes due run, and reach the page, before the
    browser goes on.

        window_event_listener("keydown", lambda ev: ev.key == "Escape" and close())
    """
    host = window()
    if host is None:
        return Handle(None)
    return owned(listen(host, event_type, handler))


def document_event_listener(event_type: str, handler: Callable[[Any], Any]) -> Handle:
    """`window_event_listener`, on the document.

        document_event_listener("visibilitychange", lambda ev: save_draft())
    """
    host = window()
    if host is None:
        return Handle(None)
    return owned(listen(host.document, event_type, handler))
