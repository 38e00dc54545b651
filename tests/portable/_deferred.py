"""Async helpers for the portable tests: the test decides when each call completes.

MicroPython's asyncio has Events but no Futures, so a Deferred is an Event and a slot.
"""

import asyncio
import gc


class Deferred:
    """`await d.wait()` waits until the test calls `d.resolve(value)` or `d.fail(error)`."""

    def __init__(self):
        self._event = asyncio.Event()
        self._value = None
        self._error = None

    async def wait(self):
        await self._event.wait()
        if self._error is not None:
            raise self._error
        return self._value

    def resolve(self, value=None):
        self._value = value
        self._event.set()

    def fail(self, error):
        self._error = error
        self._event.set()


class Calls:
    """An async function recording each call's argument; call `i` returns when resolved.

        fetch = Calls()
        Resource(user_id, fetch)
        await settle()
        fetch.args == [1]
        fetch.resolve(0, "Ada")
    """

    def __init__(self):
        self.args = []
        self.deferreds = []

    def __call__(self, arg=None):
        return self._call(arg)

    async def _call(self, arg):
        deferred = Deferred()
        self.args.append(arg)
        self.deferreds.append(deferred)
        return await deferred.wait()

    def resolve(self, index, value=None):
        self.deferreds[index].resolve(value)

    def fail(self, index, error):
        self.deferreds[index].fail(error)


async def settle(rounds=6):
    """Let every task that can run, run (no real time passes)."""
    for _ in range(rounds):
        await asyncio.sleep(0)


class TaskErrors:
    """Collects the exceptions of tasks nobody awaited (via the loop's exception handler).

        with TaskErrors() as errors:
            ...
            await settle()
        assert errors.list == []
    """

    def __init__(self):
        self.list = []
        self._loop = None

    def __enter__(self):
        self._loop = asyncio.get_event_loop()
        self._loop.set_exception_handler(self._handle)
        return self

    def _handle(self, loop, context):
        self.list.append(context.get("exception"))

    def collect(self):
        """CPython reports an unretrieved task exception when the task is collected."""
        gc.collect()
        return self.list

    def __exit__(self, *exc):
        self._loop.set_exception_handler(None)
