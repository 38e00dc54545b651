"""Actions, multi-actions and spawn: async work started on demand, with reactive state.

The async functions wait on Deferreds the test resolves, so each test decides the
order in which dispatches complete; no real time passes.
"""

import asyncio
import sys

from _deferred import Calls, Deferred, TaskErrors, settle
from _support import raises

from lepta.reactive import (
    Action,
    DisposedError,
    Effect,
    MultiAction,
    Owner,
    _spawn,
    provide_context,
    spawn,
    tick,
    use_context,
)


def state(action):
    return (action.input(), action.value(), action.pending(), action.version())


# --- Action ----------------------------------------------------------------------------
async def test_dispatch_runs_the_function_and_reports_input_pending_value_and_version():
    save = Calls()
    with Owner():
        action = Action(save)
        assert state(action) == (None, None, False, 0)
        action.dispatch("milk")
        assert state(action) == ("milk", None, True, 0)  # at once, before the task runs
        await settle()
        assert save.args == ["milk"]
        save.resolve(0, "saved milk")
        await settle()
        assert state(action) == (None, "saved milk", False, 1)
        assert action.error() is None


async def test_effects_re_run_when_the_action_state_changes():
    save = Calls()
    seen = []
    with Owner():
        action = Action(save)
        Effect(lambda: seen.append(state(action)))
        await tick()
        action.dispatch(1)
        await tick()
        save.resolve(0, "one")
        await settle()
        await tick()
    assert seen == [(None, None, False, 0), (1, None, True, 0), (None, "one", False, 1)]


async def test_a_dispatch_completing_after_a_newer_one_does_not_overwrite_its_result():
    save = Calls()
    with Owner():
        action = Action(save)
        action.dispatch("a")
        action.dispatch("b")
        await settle()
        assert save.args == ["a", "b"]
        save.resolve(1, "B")
        await settle()
        # the latest dispatch completed: its input is cleared; "a" still runs
        assert state(action) == (None, "B", True, 1)
        save.resolve(0, "A")
        await settle()
        assert state(action) == (None, "B", False, 1)


async def test_an_older_dispatch_completing_first_is_kept_until_the_newer_one_completes():
    save = Calls()
    with Owner():
        action = Action(save)
        action.dispatch("a")
        action.dispatch("b")
        await settle()
        save.resolve(0, "A")
        await settle()
        assert state(action) == ("b", "A", True, 1)
        save.resolve(1, "B")
        await settle()
        assert state(action) == (None, "B", False, 2)


async def test_a_failed_dispatch_sets_error_and_keeps_the_value():
    save = Calls()
    problem = ValueError("disk full")
    with Owner():
        action = Action(save)
        action.dispatch(1)
        await settle()
        save.resolve(0, "one")
        await settle()
        action.dispatch(2)
        await settle()
        save.fail(1, problem)
        await settle()
        assert action.error() is problem
        assert state(action) == (None, "one", False, 2)
        action.dispatch(3)
        await settle()
        save.resolve(2, "three")
        await settle()
        assert action.error() is None
        assert action.value() == "three"


async def test_a_result_arriving_after_the_owner_was_disposed_is_dropped_without_error():
    save = Calls()
    with TaskErrors() as errors:
        owner = Owner()
        with owner:
            action = Action(save)
            action.dispatch(1)
            action.dispatch(2)
        await settle()
        save.resolve(0, "one")  # completes while the owner lives
        await settle()
        assert action.version() == 1
        owner.dispose()
        save.resolve(1, "two")
        await settle()
        assert errors.collect() == []
    assert not _spawn._running
    with raises(DisposedError):
        action.value()


async def test_dispatch_after_disposal_raises_disposed_error():
    owner = Owner()
    with owner:
        action = Action(Calls())
    owner.dispose()
    with raises(DisposedError, "dispatched after its owner was disposed"):
        action.dispatch(1)


async def test_the_function_runs_under_the_owner_that_created_the_action():
    found = []

    async def save(value):
        found.append(use_context(str))
        await asyncio.sleep(0)
        found.append(use_context(str))  # still there after an await
        return value

    with Owner():
        provide_context("the app")
        action = Action(save)
    action.dispatch(1)  # from outside any owner, as an event handler would
    await settle()
    assert found == ["the app", "the app"]
    assert action.value() == 1


# --- MultiAction -----------------------------------------------------------------------
async def test_multi_action_keeps_every_submission_in_dispatch_order():
    add = Calls()
    lengths = []
    with Owner():
        multi = MultiAction(add)
        Effect(lambda: lengths.append(len(multi.submissions())))
        await tick()
        first = multi.dispatch("a")
        second = multi.dispatch("b")
        assert multi.submissions() == [first, second]
        assert [s.input() for s in multi.submissions()] == ["a", "b"]
        assert [s.pending() for s in (first, second)] == [True, True]
        await settle()
        add.resolve(1, "B")
        await settle()
        assert (second.value(), second.pending(), first.pending()) == ("B", False, True)
        assert multi.version() == 1
        add.fail(0, KeyError("a"))
        await settle()
        assert first.value() is None
        assert isinstance(first.error(), KeyError)
        assert first.pending() is False
        assert multi.version() == 2
        await tick()
    assert lengths == [0, 2]


async def test_a_canceled_submission_stops_pending_and_its_result_is_ignored():
    add = Calls()
    seen = []
    with Owner():
        multi = MultiAction(add)
        sub = multi.dispatch("a")
        other = multi.dispatch("b")
        Effect(lambda: seen.append((sub.pending(), sub.canceled(), sub.value())))
        await tick()
        sub.cancel()
        await tick()
        await settle()
        add.resolve(0, "A")
        add.resolve(1, "B")
        await settle()
        await tick()
        assert multi.version() == 1  # only "b" counts
        assert other.value() == "B"
        other.cancel()  # completed already: nothing to cancel
        assert other.canceled() is False
    assert seen == [(True, False, None), (False, True, None)]


async def test_multi_action_results_after_disposal_are_dropped():
    add = Calls()
    with TaskErrors() as errors:
        owner = Owner()
        with owner:
            multi = MultiAction(add)
            multi.dispatch("a")
        await settle()
        owner.dispose()
        add.resolve(0, "A")
        await settle()
        assert errors.collect() == []
    with raises(DisposedError):
        multi.dispatch("b")


# --- spawn -----------------------------------------------------------------------------
async def test_spawn_keeps_the_task_until_it_finishes_and_runs_it_under_the_owner():
    gate = Deferred()
    found = []

    async def work():
        found.append(use_context(str))
        await gate.wait()
        found.append("done")

    with Owner():
        provide_context("app")
        task = spawn(work())
    assert task in _spawn._running
    await settle()
    assert found == ["app"]
    gate.resolve()
    await settle()
    assert found == ["app", "done"]
    assert task not in _spawn._running


async def test_spawn_leaves_a_failing_coroutines_exception_to_the_event_loop():
    async def fail():
        raise ValueError("boom")

    with TaskErrors() as errors:
        spawn(fail())
        await settle()
        caught = errors.collect()
    assert len(caught) == 1 and isinstance(caught[0], ValueError)


def test_spawn_without_an_event_loop_raises():
    if sys.implementation.name == "micropython":
        return  # MicroPython always hands tasks to the host's loop

    async def work():
        pass

    with raises(RuntimeError, "needs a running asyncio event loop"):
        spawn(work())


def test_dispatch_without_an_event_loop_raises_and_leaves_the_action_idle():
    if sys.implementation.name == "micropython":
        return  # MicroPython always hands tasks to the host's loop
    with Owner():
        action = Action(Calls())
        with raises(RuntimeError, "needs a running asyncio event loop"):
            action.dispatch(1)
        assert state(action) == (None, None, False, 0)
