"""The head as the server writes it into the page's first part (server only: the
browser bundle leaves this module out)."""

from __future__ import annotations

from typing import Any

from ..view._escape import escape_attr, escape_text, raw_text
from ._document import MARK
from ._head import Head, Tag, _has

VOID = ("meta", "link")


def tags_html(head: Head, nonce: str | None = None) -> str:
    """Every tag of `head` for `<head>` (the title aside), each marked with its
    signature so that the browser adopts it; scripts and styles carry `nonce` (or,
    without one, the nonce their component found)."""
    return "".join([tag_html(tag, nonce) for tag in head.tags()])


def tag_html(tag: Tag, nonce: str | None = None) -> str:
    out = ["<", tag.name, attributes_html(tag.attrs)]
    page_nonce = nonce or tag.nonce
    if page_nonce and tag.name in ("script", "style") and not _has(tag.attrs, "nonce"):
        out.append(' nonce="%s"' % escape_attr(page_nonce))
    out.append(' %s="%s">' % (MARK, tag.signature))
    if tag.name not in VOID:
        out.append(raw_text(tag.text))
        out.append("</%s>" % tag.name)
    return "".join(out)


def attributes_html(attrs: Any) -> str:
    """` name="value"` for each (name, value) pair, values as `attribute_value` gave
    them (checked already: here only written): True, the name alone; marked safe, as
    it is; else escaped."""
    out = []
    for name, value in attrs:
        if value is True:
            out.append(" " + name)
        elif hasattr(value, "__html__"):
            out.append(' %s="%s"' % (name, value.__html__()))
        else:
            out.append(' %s="%s"' % (name, escape_attr(value)))
    return "".join(out)


def title_html(head: Head, default: str) -> str:
    """The page's `<title>`: the head's, else `default`."""
    title = head.title()
    return "<title>%s</title>" % escape_text(default if title is None else title)
