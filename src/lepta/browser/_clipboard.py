"""Copying text to the system clipboard."""

from __future__ import annotations

from typing import Any

from ..reactive import current_scope, on_cleanup, signal
from ._host import at_first_flush, settled, warn, window


class Clipboard:
    """What `use_clipboard` returns.

    `is_supported`: a signal, True once the page can write to the clipboard (it
    needs a secure context: https or localhost); `text`: a signal of the text last
    copied; `copy(text)`: write `text` to the clipboard (`text` follows once done).
    """

    __slots__ = ("_alive", "_clipboard", "_set_text", "is_supported", "text")

    def __init__(self) -> None:
        self.is_supported, set_supported = signal(False)
        self.text, self._set_text = signal("")
        self._alive = True
        host = window()
        self._clipboard = getattr(host.navigator, "clipboard", None) if host is not None else None
        if self._clipboard is None:
            return
        at_first_flush(lambda: set_supported(True))
        if current_scope() is not None:
            on_cleanup(self._end)

    def copy(self, text: str) -> None:
        """Write `text` to the clipboard; `self.text` becomes `text` once it is there.
        Does nothing where the clipboard is not supported."""
        clipboard = self._clipboard
        if clipboard is None:
            return

        def done(*args: Any) -> None:
            if self._alive:
                self._set_text(text)

        def failed(error: Any = None, *args: Any) -> None:
            warn("the text could not be copied to the clipboard: %s" % error)

        clipboard.writeText(text).then(settled(done), settled(failed))

    def _end(self) -> None:
        self._alive = False  # a copy finishing later sets no disposed signal


def use_clipboard() -> Clipboard:
    """The system clipboard: `is_supported`, `text` (signals) and `copy(text)`.

        clipboard = use_clipboard()
        button("Copy link", on_click=lambda ev: clipboard.copy(url),
               disabled=lambda: not clipboard.is_supported())
        Show(span("Copied!"), when=lambda: clipboard.text() == url)
    """
    return Clipboard()
