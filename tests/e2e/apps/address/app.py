"""Shows the page's address and nonce, read the same way on the server and in the
browser: hydration must find the server's text as it is."""

from lepta import component, signal, use_location, use_nonce
from lepta.html import button, li, p, ul


@component
def App():
    here = use_location()
    nonce = use_nonce()
    shown, show = signal("")
    return ul(
        li(here.path, id="path"),
        li(here.decoded_path, id="decoded"),
        li(" | ".join(here.segments), id="segments"),
        li(here.query, id="query"),
        li("a nonce" if nonce else "no nonce", id="has-nonce"),
        button("show the nonce", id="show", on_click=lambda ev: show(nonce or "")),
        p(shown, id="nonce"),
    )
