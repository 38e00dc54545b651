"""The meta components: each asks for something in the page's head while alive.

They render nothing where they are used, so they may sit anywhere in a view, at any
depth, under a Suspense too.
"""

from __future__ import annotations

from typing import Any

from ..reactive import Effect, on_cleanup, untrack
from ..view import component, use_nonce
from ._head import BODY, HTML, TAG, TITLE, Entry, use_head


@component
def HeadEntry(entry: Entry) -> None:
    """Adds `entry` to the page's head while this component is alive."""
    head = use_head()
    head.add(entry)
    on_cleanup(lambda: head.remove(entry))
    if head.document is not None:  # the browser: follow the entry's reactive values

        def follow() -> None:
            entry.read()
            untrack(head.sync)

        Effect(follow)
    return None


def Title(text: Any = None, formatter: Any = None) -> Any:
    """The page's title: the innermost Title's `text` (a str or a callable), passed
    through every Title's `formatter` ("%s — My site", or a function).

        Title(formatter="%s — Contacts")          # at the app's root
        Title(lambda: contact()["name"])          # in the contact's view
    """
    return HeadEntry(entry=Entry(TITLE, text=text, formatter=formatter))


def Meta(**attrs: Any) -> Any:
    """A `<meta>`: `Meta(name="description", content="...")`. One per name,
    property, http-equiv or charset: the innermost wins."""
    return HeadEntry(entry=Entry(TAG, "meta", attrs))


def Link(**attrs: Any) -> Any:
    """A `<link>`: `Link(rel="icon", href="/favicon.svg")`."""
    return HeadEntry(entry=Entry(TAG, "link", attrs))


def Stylesheet(href: Any, **attrs: Any) -> Any:
    """A stylesheet: `Stylesheet("/extra.css")`."""
    attrs["rel"] = "stylesheet"
    attrs["href"] = href
    return HeadEntry(entry=Entry(TAG, "link", attrs))


def Script(text: Any = None, **attrs: Any) -> Any:
    """A `<script>`: `Script(src="/widget.js", defer=True)`, or inline text (which
    carries the page's CSP nonce)."""
    if text is not None:
        attrs.setdefault("nonce", use_nonce())
    return HeadEntry(entry=Entry(TAG, "script", attrs, text))


def Style(text: Any, **attrs: Any) -> Any:
    """An inline `<style>` (carrying the page's CSP nonce)."""
    attrs.setdefault("nonce", use_nonce())
    return HeadEntry(entry=Entry(TAG, "style", attrs, text))


def Html(**attrs: Any) -> Any:
    """Attributes of `<html>`: `Html(lang="fr", class_="dark")`."""
    return HeadEntry(entry=Entry(HTML, attrs=attrs))


def Body(**attrs: Any) -> Any:
    """Attributes of `<body>`: `Body(class_="home")`."""
    return HeadEntry(entry=Entry(BODY, attrs=attrs))
