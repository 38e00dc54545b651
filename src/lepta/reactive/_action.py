"""Actions: async work started on demand (a form post, a "save" click), with reactive state.

An `Action` tracks its latest dispatch (`input`, `value`, `error`, `pending`,
`version`); a `MultiAction` keeps every dispatch as a `Submission` of its own.

Each one keeps its signals under a private child owner. When that owner goes (its
parent was disposed), a dispatch still in flight runs to the end, but its result is
dropped: no signal is written and nothing is raised. Dispatched work is never
cancelled: it may have started something (a POST) that should finish.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable, Generic, TypeVar

from ._core import ReadSignal, signal
from ._errors import DisposedError
from ._owner import Owner
from ._spawn import start_task

In = TypeVar("In")  # what dispatch() takes
Out = TypeVar("Out")  # what the async function returns


class Action(Generic[In, Out]):
    """Runs `async_fn(input)` on each `dispatch(input)`, exposing its state as signals.

        async def add_todo(title):
            return await api.add(title)

        add = Action(add_todo)
        add.dispatch("Buy milk")
        add.pending()   # True until it completes
        add.value()     # the result of the latest completed dispatch
        add.version()   # +1 per completed dispatch: refetch resources on it

    Every read is tracked. The reads:

    * `input()`: the input of the latest dispatch while it runs; None once it
      completed (or before any dispatch).
    * `value()`: the result of the latest completed dispatch (None before any).
      Dispatches may complete out of order: a result older than the one already
      kept is dropped, so the value never goes back in time.
    * `error()`: the exception of the latest completed dispatch, or None when it
      succeeded. A failure leaves `value()` as it was.
    * `pending()`: True while any dispatch is in flight.
    * `version()`: how many completed dispatches were kept (successes and
      failures), so `Resource(add.version, fetch_todos)` refetches after each.
    """

    __slots__ = (
        "_error",
        "_fn",
        "_in_flight",
        "_input",
        "_kept",
        "_latest",
        "_owner",
        "_pending",
        "_value",
        "_version",
    )

    _input: ReadSignal[Any]
    _value: ReadSignal[Any]
    _error: ReadSignal[Any]
    _pending: ReadSignal[bool]
    _version: ReadSignal[int]

    def __init__(self, async_fn: Callable[[In], Awaitable[Out]]) -> None:
        self._fn = async_fn
        self._latest = 0  # number of the latest dispatch
        self._kept = 0  # number of the dispatch whose outcome `value`/`error` show
        self._in_flight = 0
        self._owner = Owner()
        self._owner.run(self._create_signals)

    def _create_signals(self) -> None:
        self._input = signal(None)[0]
        self._value = signal(None)[0]
        self._error = signal(None)[0]
        self._pending = signal(False)[0]
        self._version = signal(0)[0]

    def dispatch(self, input: In) -> None:
        """Start `async_fn(input)` as a task; it runs under the action's owner."""
        _check_alive(self._owner, "Action")
        self._latest += 1
        self._in_flight += 1
        previous = self._input.get_untracked()
        self._input._write(input)
        if self._in_flight == 1:
            self._pending._write(True)
        if start_task(self._run(self._latest, input), self._owner) is None:
            self._latest -= 1
            self._in_flight -= 1
            self._input._write(previous)
            if not self._in_flight:
                self._pending._write(False)
            raise _no_loop("Action.dispatch()")

    async def _run(self, number: int, input: In) -> None:
        try:
            result: Any = await self._fn(input)
            ok = True
        except Exception as exc:
            result = exc
            ok = False
        if self._owner._disposed:
            return  # nobody is left to show it
        self._in_flight -= 1
        if number > self._kept:
            self._kept = number
            if ok:
                if self._error.get_untracked() is not None:
                    self._error._write(None)
                self._value._write(result)
            else:
                self._error._write(result)
            self._version._write(self._version.get_untracked() + 1)
        if number == self._latest:
            self._input._write(None)
        if not self._in_flight:
            self._pending._write(False)

    def input(self) -> In | None:
        """The input of the latest dispatch while it runs, else None (tracked)."""
        return self._input.get()  # type: ignore[no-any-return]

    def value(self) -> Out | None:
        """The result of the latest completed dispatch, or None (tracked)."""
        return self._value.get()  # type: ignore[no-any-return]

    def error(self) -> Exception | None:
        """The exception of the latest completed dispatch, or None (tracked)."""
        return self._error.get()  # type: ignore[no-any-return]

    def pending(self) -> bool:
        """Whether any dispatch is in flight (tracked)."""
        return self._pending.get()

    def version(self) -> int:
        """How many completed dispatches were kept (tracked)."""
        return self._version.get()

    def __repr__(self) -> str:
        if self._owner._disposed:
            return "<Action disposed>"
        return "<Action version=%d pending=%d>" % (self._version.get_untracked(), self._in_flight)


class Submission(Generic[In, Out]):
    """One dispatch of a MultiAction: its own input, value, error and pending state.

    `cancel()` stops caring about it: it stops being pending, `canceled()` becomes
    True and its result, when it arrives, is ignored. (The task itself runs on.)
    All reads are tracked.
    """

    __slots__ = ("_canceled", "_error", "_input", "_pending", "_value")

    _input: ReadSignal[Any]
    _value: ReadSignal[Any]
    _error: ReadSignal[Any]
    _pending: ReadSignal[bool]
    _canceled: ReadSignal[bool]

    def __init__(self, input: In) -> None:
        self._input = signal(input)[0]
        self._value = signal(None)[0]
        self._error = signal(None)[0]
        self._pending = signal(True)[0]
        self._canceled = signal(False)[0]

    def input(self) -> In:
        """The input it was dispatched with."""
        return self._input.get()  # type: ignore[no-any-return]

    def value(self) -> Out | None:
        """Its result once completed, else None."""
        return self._value.get()  # type: ignore[no-any-return]

    def error(self) -> Exception | None:
        """Its exception, if it failed."""
        return self._error.get()  # type: ignore[no-any-return]

    def pending(self) -> bool:
        """True until it completes or is canceled."""
        return self._pending.get()

    def canceled(self) -> bool:
        """Whether `cancel()` was called while it was pending."""
        return self._canceled.get()

    def cancel(self) -> None:
        """Ignore its result and stop being pending (does nothing once completed)."""
        if self._pending.get_untracked():
            self._canceled._write(True)
            self._pending._write(False)

    def __repr__(self) -> str:
        try:
            state = (
                "canceled" if self._canceled.get_untracked()
                else "pending" if self._pending.get_untracked()
                else "done"
            )
            return "<Submission %r %s>" % (self._input.get_untracked(), state)
        except DisposedError:
            return "<Submission disposed>"


class MultiAction(Generic[In, Out]):
    """Like Action, but every dispatch is kept as a Submission, each with its own state.

        add = MultiAction(add_todo)
        add.dispatch("Buy milk")
        add.dispatch("Walk the dog")
        For(each=add.submissions, key=id, children=lambda s: li(s.input()))

    `submissions()` is the list of all submissions in dispatch order (tracked; a new
    list after each dispatch). `version()` counts the completed, non-canceled ones.
    """

    __slots__ = ("_fn", "_owner", "_submissions", "_version")

    _submissions: ReadSignal[list[Submission[In, Out]]]
    _version: ReadSignal[int]

    def __init__(self, async_fn: Callable[[In], Awaitable[Out]]) -> None:
        self._fn = async_fn
        self._owner = Owner()
        self._owner.run(self._create_signals)

    def _create_signals(self) -> None:
        empty: list[Submission[In, Out]] = []
        self._submissions = signal(empty)[0]
        self._version = signal(0)[0]

    def dispatch(self, input: In) -> Submission[In, Out]:
        """Start `async_fn(input)` as a task; return its Submission."""
        owner = self._owner
        _check_alive(owner, "MultiAction")
        submission: Submission[In, Out] = owner.run(lambda: Submission(input))
        if start_task(self._run(submission, input), owner) is None:
            raise _no_loop("MultiAction.dispatch()")
        self._submissions._write(self._submissions.get_untracked() + [submission])
        return submission

    async def _run(self, submission: Submission[In, Out], input: In) -> None:
        try:
            result: Any = await self._fn(input)
            ok = True
        except Exception as exc:
            result = exc
            ok = False
        if self._owner._disposed or submission._canceled.get_untracked():
            return
        if ok:
            submission._value._write(result)
        else:
            submission._error._write(result)
        submission._pending._write(False)
        self._version._write(self._version.get_untracked() + 1)

    def submissions(self) -> list[Submission[In, Out]]:
        """Every submission, in dispatch order (tracked)."""
        return self._submissions.get()

    def version(self) -> int:
        """How many submissions completed without being canceled (tracked)."""
        return self._version.get()

    def __repr__(self) -> str:
        if self._owner._disposed:
            return "<MultiAction disposed>"
        return "<MultiAction %d submissions>" % len(self._submissions.get_untracked())


def _check_alive(owner: Owner, what: str) -> None:
    if owner._disposed:
        raise DisposedError(
            "this %s was dispatched after its owner was disposed. Create it under an "
            "owner that lives as long as the code dispatching it." % what
        )


def _no_loop(what: str) -> RuntimeError:
    return RuntimeError(
        "%s needs a running asyncio event loop, and there is none here. Dispatch from "
        "async code or an event handler in the browser, or start a loop with "
        "asyncio.run()." % what
    )
