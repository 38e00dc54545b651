"""An app whose handler and effect raise: the console shows the Python traceback and
the rest of the page keeps working."""

from lepta import Effect, component, signal
from lepta.html import button, div, span


def explode(where):
    raise ValueError("boom in " + where)


@component
def App():
    count, set_count = signal(0)
    armed, set_armed = signal(False)

    def watch():
        if armed():
            explode("an effect")

    Effect(watch)
    return div(
        button("raise", id="raise", on_click=lambda ev: explode("a handler")),
        button("arm", id="arm", on_click=lambda ev: set_armed(True)),
        button("+1", id="plus", on_click=lambda ev: set_count(count() + 1)),
        span(count, id="count"),
    )
