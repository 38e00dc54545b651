"""The Lepta part: a page whose button calls a server function."""

from lepta import component, signal, spawn
from lepta.html import button, div, p
from lepta.server_fn import server


@server
async def visits(add: int) -> int:
    """Counts the clicks of every visitor, in the server's memory (a demo: real apps
    keep such state in a database)."""
    global TOTAL
    TOTAL += add
    return TOTAL


TOTAL = 0


@component
def App():
    total, set_total = signal(None)

    async def click():
        set_total(await visits(1))

    return div(
        button("Count me", id="count", on_click=lambda ev: spawn(click())),
        p(lambda: "" if total() is None else "%d clicks" % total(), id="total"),
    )
