"""Head and meta: the page's title, `<meta>`, `<link>`, scripts and styles, and the
attributes of `<html>` and `<body>`, set from any component at any depth.

    from lepta.meta import Html, Meta, Stylesheet, Title

    @component
    def App():
        return [
            Html(lang="en"),
            Title(formatter="%s — Contacts"),
            Stylesheet("/static/app.css"),
            Router(...),
        ]

    @component
    def ContactPage():
        contact = Resource(...)
        return [
            Title(lambda: contact() and contact()["name"]),   # "Ada — Contacts"
            Meta(name="description", content="One contact"),
            ...
        ]

The components render nothing where they are used. What they ask for while alive
makes the page's head: one `<title>` (the innermost Title's text through every
formatter), one `<meta>` per name, property, http-equiv or charset (the innermost
wins), attribute values checked as everywhere else (an href or src that would run
script is neutralised, event-handler attributes are refused), inline scripts and
styles carrying the page's CSP nonce.

On the server the page's `Head` collects them during the first render pass and the
page writes them into its first part, in every streaming mode. What is set inside a
Suspense that is still loading when that part goes out (out of order, in order)
reaches the page in the browser, when that part hydrates; under `async` streaming
everything is in the first part. In the browser the same components keep
`document.head`, the title and the attributes of `<html>` and `<body>` in step:
hydration adopts the server's tags, reactive values update them, and the tags of a
view that is disposed (a route left) go, the title falling back to the next
innermost Title still alive.
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
