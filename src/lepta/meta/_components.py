"""The meta components: each asks for something in the page's head while alive.

They render nothing where they are used, so they may sit anywhere in a view, at any
depth, under a Suspense too, without changing what hydration walks.
"""

from __future__ import annotations

from typing import Any

from ..reactive import on_cleanup
from ..view import component, use_nonce
from ._head import BODY, HTML, TAG, TITLE, Entry, use_head


@component
def HeadEntry(
    kind: str,
    tag: str = "",
    attrs: dict[str, Any] | None = None,
    text: Any = None,
    formatter: Any = None,
) -> None:
    """Adds what it is given to the page's head while this component is alive."""
    nonce = use_nonce() if tag in ("script", "style") else None
    entry = Entry(kind, tag, attrs, text, formatter, nonce)
    entry.read()  # here, so that a Suspense around waits for the data it reads
    head = use_head()
    head.add(entry)
    on_cleanup(lambda: head.remove(entry))
    return None


def Title(text: Any = None, formatter: Any = None) -> Any:
    """The page's title: the innermost live Title's `text` (a str, or a callable for
    a reactive title), passed through every live Title's `formatter` (a str where
    "%s" stands for the text, or a function str -> str), the innermost first.

        Title(formatter="%s — Contacts")          # at the app's root
        Title(lambda: contact()["name"])          # in the contact's page
    """
    return HeadEntry(kind=TITLE, text=text, formatter=formatter)


def Meta(**attrs: Any) -> Any:
    """A `<meta>`: `Meta(name="description", content="...")`, `Meta(property=...)`,
    `Meta(http_equiv=...)`, `Meta(charset=...)`. One per name, property, http-equiv,
    charset or itemprop: the innermost wins. Values may be callables (reactive)."""
    return HeadEntry(kind=TAG, tag="meta", attrs=attrs)


def Link(**attrs: Any) -> Any:
    """A `<link>`: `Link(rel="icon", href="/favicon.svg")`. One per rel and href
    (one canonical link); an href that would run script is neutralised."""
    return HeadEntry(kind=TAG, tag="link", attrs=attrs)


def Stylesheet(href: Any, **attrs: Any) -> Any:
    """A stylesheet: `Stylesheet("/extra.css")`."""
    attrs["rel"] = "stylesheet"
    attrs["href"] = href
    return HeadEntry(kind=TAG, tag="link", attrs=attrs)


def Script(text: Any = None, **attrs: Any) -> Any:
    """A `<script>`: `Script(src="/widget.js", defer=True)`, or inline code,
    `Script("start()")`. It carries the page's CSP nonce. A script runs once when it
    is added: the browser adopts the server's, so hydration does not run it again."""
    return HeadEntry(kind=TAG, tag="script", attrs=attrs, text=text)


def Style(text: Any, **attrs: Any) -> Any:
    """An inline `<style>`, carrying the page's CSP nonce."""
    return HeadEntry(kind=TAG, tag="style", attrs=attrs, text=text)


def Html(lang: Any = None, **attrs: Any) -> Any:
    """Attributes of `<html>`: `Html(lang="fr", class_="dark")`."""
    merged = {"lang": lang}  # (lang first in the start tag)
    merged.update(attrs)
    return HeadEntry(kind=HTML, attrs=merged)


def Body(**attrs: Any) -> Any:
    """Attributes of `<body>`: `Body(class_="home")`."""
    return HeadEntry(kind=BODY, attrs=attrs)
