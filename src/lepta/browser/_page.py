"""The window's and the document's state as signals: size, visibility, title."""

from __future__ import annotations

from typing import Any

from ..reactive import Effect, ReadSignal, RwSignal, signal
from ._host import at_first_flush, listen, owned, window


def use_window_size(
    initial_width: float = 0, initial_height: float = 0
) -> tuple[ReadSignal[float], ReadSignal[float]]:
    """The window's inner width and height in CSS pixels, as two signals kept
    current on `resize`. The initial values (0 unless given) hold on the server and
    until the first flush.

        width, height = use_window_size()
        p(lambda: "%d x %d" % (width(), height()))
    """
    width, set_width = signal(initial_width)
    height, set_height = signal(initial_height)
    host = window()
    if host is None:
        return width, height

    def measure(*args: Any) -> None:
        new_width = host.innerWidth
        new_height = host.innerHeight
        if new_width != width.get_untracked():
            set_width(new_width)
        if new_height != height.get_untracked():
            set_height(new_height)

    owned(listen(host, "resize", measure))
    at_first_flush(measure)
    return width, height


def use_document_visibility() -> ReadSignal[str]:
    """The document's `visibilityState`: "visible", or "hidden" while the tab is in
    the background or the window minimised. "visible" on the server.

        visibility = use_document_visibility()
        Effect(lambda: player.pause() if visibility() == "hidden" else None)
    """
    state, set_state = signal("visible")
    host = window()
    if host is None:
        return state
    document = host.document

    def changed(*args: Any) -> None:
        now = str(document.visibilityState)
        if now != state.get_untracked():
            set_state(now)

    owned(listen(document, "visibilitychange", changed))
    at_first_flush(changed)
    return state


def use_location_hash() -> ReadSignal[str]:
    """The page's `location.hash` ("#/active"), kept current on `hashchange` (links
    to "#...", the back and forward buttons). "" on the server and until the first
    flush (the server never sees the hash).

        location_hash = use_location_hash()
        tab = Memo(lambda: location_hash()[1:] or "inbox")
    """
    hash_, set_hash = signal("")
    host = window()
    if host is None:
        return hash_

    def changed(*args: Any) -> None:
        now = str(host.location.hash)
        if now != hash_.get_untracked():
            set_hash(now)

    owned(listen(host, "hashchange", changed))
    at_first_flush(changed)
    return hash_


def use_title(default: str = "") -> RwSignal[str]:
    """`document.title` as a signal: at the first flush it reads the page's title;
    setting it sets the page's. On the server, a plain signal of `default`.

        title = use_title()
        button("Rename", on_click=lambda ev: title.set("Draft - " + title()))

    (To give each page its title, from any component, `lepta.meta.Title` is the
    declarative way; use one or the other for a page.)
    """
    title = RwSignal(default)
    host = window()
    if host is None:
        return title
    document = host.document
    started = False

    def apply() -> None:
        nonlocal started
        text = title()
        if not started:
            started = True
            if text is default:  # not set since created: the page's title wins
                title.set(str(document.title))
                return
        if str(document.title) != text:
            document.title = text

    Effect(apply)
    return title
