"""The head as the server writes it into the page's first part."""

from __future__ import annotations

from typing import Any

from ..ssr._escape import escape_attr, escape_text, raw_text
from ._document import MARK
from ._head import Head, Tag

VOID = ("meta", "link")


def tags_html(head: Head, nonce: str | None = None) -> str:
    """Every tag of `head` for `<head>` (the title aside), each marked with its
    signature so that the browser adopts it; inline scripts and styles carry
    `nonce`."""
    return "".join(tag_html(tag, nonce) for tag in head.tags())


def tag_html(tag: Tag, nonce: str | None) -> str:
    attrs = list(tag.attrs)
    names = {name for name, _ in attrs}
    if nonce and tag.name in ("script", "style") and "nonce" not in names and tag.text:
        attrs.append(("nonce", nonce))
    out = "<" + tag.name + attributes_html(attrs) + ' %s="%s">' % (MARK, tag.signature)
    if tag.name in VOID:
        return out
    return out + raw_text(tag.text) + "</%s>" % tag.name


def attributes_html(attrs: Any) -> str:
    """` name="value"` for each pair (True: the name alone)."""
    parts = []
    for name, value in attrs:
        if value is True:
            parts.append(" " + name)
        else:
            text = value.__html__() if hasattr(value, "__html__") else str(value)
            parts.append(' %s="%s"' % (name, escape_attr(text)))
    return "".join(parts)


def title_html(head: Head, default: str) -> str:
    title = head.title()
    return "<title>%s</title>" % escape_text(default if title is None else title)
