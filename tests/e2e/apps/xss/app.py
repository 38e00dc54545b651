"""Every vector of the XSS corpus (tests/xss_vectors.txt) in every place a value can
go: rendered on the server from a resource's data, hydrated, then rendered again in
the browser by the DOM renderer, once from the same data and once from a server
function's result. Nothing of it may run (see tests/e2e/test_xss.py).
"""

import json
from pathlib import Path

from lepta import Resource, Show, Suspense, component, signal, spawn
from lepta.html import a, button, div, form, h1, img, p, script, span, style, textarea, title
from lepta.server_fn import server

CORPUS = Path(__file__).resolve().parents[3] / "xss_vectors.txt"


@server(method="GET")
async def vectors() -> list[str]:
    """The corpus: one JSON string a line; `#` lines and blank lines are comments."""
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip() and not line.startswith("#")]


@server
async def echo(values: list[str]) -> list[str]:
    """The values sent, as they came."""
    return values


@component
def Places(values: list, id: str):
    """Each value as text, in attributes, URLs, a style, a class, and as the text of
    textarea, title, a JSON script and a style element."""
    return div(
        [
            div(
                p(v, class_="text"),
                span(title=v, data_value=v, class_="attribute"),
                div(class_=v),
                div(style={"color": v}, class_="style"),
                a("link", href=v),
                img(src=v, alt=""),
                form(action=v),
                textarea(v),
                title(v),
                script(v, type="application/json"),
                style(v),
                class_="row",
            )
            for v in values
        ],
        id=id,
    )


@component
def App():
    corpus = Resource("corpus", lambda _: vectors())
    again, set_again = signal(False)
    echoed, set_echoed = signal(None)

    async def render_again():
        set_again(True)  # the resource's data, rendered by the DOM renderer this time
        set_echoed(await echo(corpus()))  # and a server function's result

    return div(
        h1("Vectors"),
        button("Render again", id="again", on_click=lambda ev: spawn(render_again())),
        Suspense(
            lambda: Places(values=corpus() or [], id="server"),
            fallback=p("Loading the corpus"),
        ),
        Show(when=again, children=lambda: Places(values=corpus() or [], id="client")),
        lambda: Places(values=echoed(), id="echoed") if echoed() else None,
    )
