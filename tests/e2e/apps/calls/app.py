"""Server functions called from browser code: results, errors by class, GET, streams."""

import asyncio
from collections.abc import AsyncIterator

from lepta import ServerError, component, signal, spawn
from lepta.html import button, div, p
from lepta.server_fn import server


class OutOfStock(ServerError):
    """Raised on purpose: the browser gets this class back."""


@server
async def double(n: int) -> int:
    return n * 2


@server(method="GET")
async def echo(text: str, times: int = 1) -> str:
    return text * times


@server
async def buy(item: str) -> str:
    raise OutOfStock("no more " + item, status=409)


@server
async def count_to(n: int) -> AsyncIterator[int]:
    for i in range(1, n + 1):
        await asyncio.sleep(0.05)
        yield i


@component
def App():
    out, set_out = signal("")

    async def call_double():
        set_out(str(await double(21)))

    async def call_echo():
        set_out(await echo("ab", times=3))

    async def call_buy():
        try:
            await buy("milk")
        except OutOfStock as error:
            set_out("%s: %s (%d)" % (type(error).__name__, error.message, error.status))

    async def call_count():
        seen = []
        async for number in count_to(3):
            seen.append(str(number))
            set_out(" ".join(seen))

    def start(work):
        return lambda ev: spawn(work())

    return div(
        button("double", id="double", on_click=start(call_double)),
        button("echo", id="echo", on_click=start(call_echo)),
        button("buy", id="buy", on_click=start(call_buy)),
        button("count", id="count", on_click=start(call_count)),
        p(out, id="out"),
    )
