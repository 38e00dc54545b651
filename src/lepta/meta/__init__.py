"""Head and meta: the page's title, `<meta>`, `<link>`, scripts and styles, and the
attributes of `<html>` and `<body>`, set from any component at any depth.

    from lepta.meta import Title, Meta, Stylesheet, Html

    @component
    def App():
        return [Html(lang="en"), Title(formatter="%s — Contacts"), Router(...)]

    @component
    def ContactInfo():
        contact = Resource(...)
        return [Title(lambda: contact() and contact()["name"]),
                Meta(name="description", content="One contact"), ...]

On the server the head is written into the page's first part, in every streaming
mode: one `<title>` (the innermost Title's text through every formatter), one
`<meta>` per name or property (the innermost wins). What is set inside a Suspense
that is still loading when the first part goes out (out of order, in order) reaches
the page when that part hydrates in the browser; under `async` everything is in the
first part. In the browser the head follows navigation: the title changes, and the
tags of the views left are removed. Inline scripts and styles carry the page's CSP
nonce.
"""

from ._components import Body, Html, Link, Meta, Script, Style, Stylesheet, Title
from ._head import Head, use_head

__all__ = [
    "Body",
    "Head",
    "Html",
    "Link",
    "Meta",
    "Script",
    "Style",
    "Stylesheet",
    "Title",
    "use_head",
]
