"""CSS media queries as signals."""

from __future__ import annotations

from typing import Any

from ..reactive import ReadSignal, signal
from ._host import at_first_flush, listen, owned, window


def use_media_query(query: str) -> ReadSignal[bool]:
    """Whether the CSS media query `query` matches, kept current as the page
    changes (a resized window, a changed system setting). False on the server and
    until the first flush.

        wide = use_media_query("(min-width: 800px)")
        Show(Sidebar(), when=wide)
    """
    matches, set_matches = signal(False)
    host = window()
    if host is None:
        return matches
    media = host.matchMedia(query)

    def changed(*args: Any) -> None:
        now = bool(media.matches)
        if now != matches.get_untracked():
            set_matches(now)

    owned(listen(media, "change", changed))
    at_first_flush(changed)
    return matches


def use_preferred_dark() -> ReadSignal[bool]:
    """Whether the user asked for dark colours: `(prefers-color-scheme: dark)`.

        dark = use_preferred_dark()
        body(class_={"dark": dark})
    """
    return use_media_query("(prefers-color-scheme: dark)")
