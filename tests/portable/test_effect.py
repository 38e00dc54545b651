"""Effects: when they run, batching, cleanups, errors and loops."""

from _support import raises

from lepta.reactive import (
    Effect,
    EffectLoopError,
    ErrorHandler,
    Memo,
    Owner,
    RenderEffect,
    RwSignal,
    batch,
    flush,
    on_cleanup,
    provide_context,
    untrack,
    watch,
)


def test_an_effect_first_runs_at_the_next_flush_not_when_created():
    runs = []
    with Owner():
        Effect(lambda: runs.append("run"))
        assert runs == []
        flush()
        assert runs == ["run"]


def test_an_effect_reruns_once_per_flush_however_many_writes():
    a = RwSignal(0)
    seen = []
    with Owner():
        Effect(lambda: seen.append(a()))
        flush()
        a.set(1)
        a.set(2)
        a.set(3)
        assert seen == [0]
        flush()
    assert seen == [0, 3]


def test_a_render_effect_runs_synchronously_first_then_batched():
    a = RwSignal("x")
    seen = []
    with Owner():
        RenderEffect(lambda: seen.append(a()))
        assert seen == ["x"]
        a.set("y")
        assert seen == ["x"]
        flush()
    assert seen == ["x", "y"]


def test_batch_runs_effects_once_after_the_outermost_batch():
    #  first   last
    #     \    /
    #     effect
    first, last = RwSignal("Ada"), RwSignal("Lovelace")
    seen = []
    with Owner():
        Effect(lambda: seen.append(first() + " " + last()))
        flush()
        with batch():
            first.set("Grace")
            with batch():
                last.set("Hopper")
            assert seen == ["Ada Lovelace"]
        assert seen == ["Ada Lovelace", "Grace Hopper"]
        result = batch(lambda: first.set("Hedy") or "done")
    assert result == "done"
    assert seen == ["Ada Lovelace", "Grace Hopper", "Hedy Hopper"]


def test_a_batch_ending_with_effects_to_run_tells_the_scheduler_too():
    # The browser applies DOM changes after a scheduled flush: a batch ending in an
    # async task (outside any event) must give it that turn, though its effects ran.
    from lepta.reactive import set_scheduler

    value = RwSignal(0)
    seen = []
    scheduled = []
    set_scheduler(lambda callback: scheduled.append(callback))
    try:
        with Owner():
            Effect(lambda: seen.append(value()))
            scheduled.pop()()  # the effect's first run, as the scheduler would
            with batch():
                value.set(1)
            assert seen == [0, 1]  # ran when the batch ended
            assert len(scheduled) == 1  # and the scheduler heard of it
            scheduled.pop()()  # a flush with nothing left to run
            assert seen == [0, 1]
    finally:
        set_scheduler(None)


def test_untrack_hides_reads_from_the_running_computation():
    tracked, hidden = RwSignal(1), RwSignal(10)
    seen = []
    with Owner():

        def body():
            with untrack():
                h = hidden()
            seen.append((tracked(), h, untrack(hidden)))

        Effect(body)
        flush()
        hidden.set(20)
        flush()
        assert seen == [(1, 10, 10)]
        tracked.set(2)
        flush()
    assert seen == [(1, 10, 10), (2, 20, 20)]


def test_an_effect_sees_consistent_values_in_a_diamond():
    #     a
    #    / \
    #   b   c
    #    \ /
    #   effect   (runs once per change, never with half-updated inputs)
    a = RwSignal(1)
    b = Memo(lambda: a() * 2)
    c = Memo(lambda: a() * 3)
    seen = []
    with Owner():
        Effect(lambda: seen.append((b(), c())))
        flush()
        a.set(2)
        flush()
    assert seen == [(2, 3), (4, 6)]


def test_an_effect_skips_its_run_when_its_memo_did_not_change():
    a = RwSignal(1)
    is_odd = Memo(lambda: a() % 2 == 1)
    runs = []
    with Owner():
        Effect(lambda: runs.append(is_odd()))
        flush()
        a.set(3)
        flush()
        a.set(4)
        flush()
    assert runs == [True, False]


def test_cleanup_runs_before_each_rerun_and_when_the_effect_stops():
    a = RwSignal(1)
    seq = []
    with Owner():

        def body():
            v = a()
            seq.append("run%d" % v)
            on_cleanup(lambda: seq.append("clean%d" % v))

        effect = Effect(body)
        flush()
        a.set(2)
        flush()
        effect.stop()
        a.set(3)
        flush()
    assert seq == ["run1", "clean1", "run2", "clean2"]


def test_an_effect_that_writes_its_own_source_reruns_until_stable():
    count = RwSignal(0)
    runs = []
    with Owner():

        def grow():
            n = count()
            runs.append(n)
            if n < 5:
                count.set(n + 1)

        Effect(grow)
        flush()
    assert runs == [0, 1, 2, 3, 4, 5]


def test_an_effect_made_inside_an_effect_reruns_for_its_own_writes_before_the_outer():
    outer_source, inner_source = RwSignal(0), RwSignal(0)
    runs = []
    with Owner():

        def inner():
            n = inner_source()
            runs.append(("inner", n))
            if n < 2:
                inner_source.set(n + 1)

        def outer():
            n = outer_source()
            runs.append(("outer", n))
            if n == 0:
                RenderEffect(inner)  # (its first run is now, inside this one)
                outer_source.set(1)

        Effect(outer)
        flush()
    # Each reruns for what it wrote itself, the inner first (it was queued first); the
    # outer's rerun disposes the inner it made, whose next run was due.
    assert runs == [("outer", 0), ("inner", 0), ("inner", 1), ("outer", 1)]


def test_effects_that_retrigger_forever_are_stopped_with_an_error_naming_them():
    count = RwSignal(0)
    runs = []
    with Owner():

        def forever_increment():
            runs.append(1)
            count.set(count() + 1)

        Effect(forever_increment)
        with raises(EffectLoopError, "forever_increment"):
            flush()
        stopped_after = len(runs)
        count.set(-1)
        flush()
    assert len(runs) == stopped_after  # stopped, not just interrupted


def test_an_effect_error_goes_to_the_nearest_error_handler():
    fail = RwSignal(False)
    caught = []
    after = []
    with Owner():
        provide_context(ErrorHandler(caught.append))

        def risky():
            if fail():
                raise ValueError("boom")

        Effect(risky)
        Effect(lambda: after.append(fail()))
        flush()
        fail.set(True)
        flush()
        assert [str(e) for e in caught] == ["boom"]
        assert after == [False, True]  # other effects still ran
        fail.set(False)
        flush()  # the failed effect kept its dependency and recovers
    assert len(caught) == 1


def test_an_effect_error_without_a_handler_is_raised_by_flush_after_the_rest_ran():
    fail = RwSignal(False)
    after = []
    with Owner():

        def risky():
            if fail():
                raise KeyError("missing")

        Effect(risky)
        Effect(lambda: after.append(fail()))
        flush()
        fail.set(True)
        with raises(KeyError):
            flush()
        assert after == [False, True]
        fail.set(False)
        flush()


def test_effects_never_run_under_a_server_owner():
    runs = []
    a = RwSignal(1)
    with Owner(server=True):
        Effect(lambda: runs.append(a()))
        RenderEffect(lambda: runs.append(a()))
        with Owner():  # children inherit the server flag
            Effect(lambda: runs.append(a()))
        flush()
        a.set(2)
        flush()
        assert Memo(lambda: a() * 2)() == 4  # memos still compute
    assert runs == []


def test_watch_calls_the_handler_with_new_and_previous_values():
    source = RwSignal(1)
    other = RwSignal("x")
    calls = []
    with Owner():
        handle = watch(source, lambda new, prev: calls.append((new, prev, other())))
        flush()
        assert calls == []
        source.set(2)
        flush()
        other.set("y")  # read only by the handler: not tracked
        flush()
        source.set(3)
        flush()
        handle.stop()
        source.set(4)
        flush()
    assert calls == [(2, 1, "x"), (3, 2, "y")]


def test_watch_immediate_calls_the_handler_at_once_with_no_previous_value():
    source = RwSignal("a")
    calls = []
    with Owner():
        watch(source, lambda new, prev: calls.append((new, prev)), immediate=True)
        flush()
        source.set("b")
        flush()
    assert calls == [("a", None), ("b", "a")]


def test_several_failing_effects_are_reported_together():
    from lepta.reactive import EffectErrors

    with Owner():

        def first_failure():
            raise ValueError("one")

        def second_failure():
            raise TypeError("two")

        Effect(first_failure)
        Effect(second_failure)
        with raises(EffectErrors, "2 effects raised") as caught:
            flush()
    assert [type(e) for e in caught.value.errors] == [ValueError, TypeError]


def test_a_render_effect_failing_on_its_first_run_raises_to_its_creator():
    def broken():
        raise LookupError("no such row")

    with Owner():
        with raises(LookupError, "no such row"):
            RenderEffect(broken)


def test_nodes_created_inside_an_effect_are_disposed_before_it_reruns():
    #  source -> effect -> (creates) inner effect reading `other`
    source, other = RwSignal(0), RwSignal("a")
    inner_runs = []
    with Owner():

        def outer():
            n = source()
            Effect(lambda: inner_runs.append((n, other())))

        Effect(outer)
        flush()
        source.set(1)  # the first inner effect is disposed, a new one created
        flush()
        other.set("b")  # only the live inner effect runs
        flush()
    assert inner_runs == [(0, "a"), (1, "a"), (1, "b")]
