"""Reactive behaviour that needed care (each case once went wrong)."""

import asyncio
import sys

from _support import raises

from lepta.reactive import (
    Effect,
    EffectLoopError,
    Memo,
    Owner,
    RenderEffect,
    RwSignal,
    Selector,
    flush,
    graph_stats,
    on_cleanup,
    signal,
)


def test_an_effect_that_changes_a_memo_it_reads_runs_again_and_keeps_reacting():
    s, set_s = signal(0)
    m = Memo(lambda: s())
    log = []
    with Owner():

        def body():
            v = m()
            log.append(v)
            if v < 3:
                set_s(v + 1)

        Effect(body)
        flush()
        assert log == [0, 1, 2, 3]
        set_s(10)
        flush()
    assert log == [0, 1, 2, 3, 10]


def test_a_failing_cleanup_does_not_stall_the_other_effects():
    s, set_s = signal(0)
    seen = []
    failures = [1]
    with Owner():

        def with_bad_cleanup():
            s()

            def bad():
                if failures:
                    failures.pop()
                    raise RuntimeError("cleanup failed")

            on_cleanup(bad)

        Effect(with_bad_cleanup)
        Effect(lambda: seen.append(s()))
        flush()
        set_s(1)
        with raises(RuntimeError, "cleanup failed"):
            flush()
        assert seen == [0, 1]
        set_s(2)
        flush()
    assert seen == [0, 1, 2]


async def test_effects_flush_on_their_own_in_a_loop_even_after_effects_outside_one():
    await asyncio.sleep(0)
    s, set_s = signal(0)
    seen = []
    with Owner():
        Effect(lambda: seen.append(s()))
        for _ in range(3):
            await asyncio.sleep(0)
        set_s(1)
        for _ in range(3):
            await asyncio.sleep(0)
    assert seen == [0, 1]


def test_a_write_outside_any_loop_does_not_stop_later_automatic_flushes():
    if sys.implementation.name == "micropython":
        return  # MicroPython always hands the flush to the host's loop: never "no loop"
    a, set_a = signal(0)
    b, set_b = signal(0)
    seen = []
    with Owner():
        Effect(lambda: seen.append(("a", a())))
        Effect(lambda: seen.append(("b", b())))
    flush()
    set_a(1)  # no event loop: nothing can schedule the flush, which waits

    async def later():
        set_b(1)  # on a loop: the flush is scheduled, and runs both
        for _ in range(3):
            await asyncio.sleep(0)

    asyncio.run(later())
    assert seen == [("a", 0), ("b", 0), ("a", 1), ("b", 1)]


def test_nested_render_effects_each_reading_their_own_memo_settle():
    count = RwSignal(0)
    runs = []

    def level(n):
        def body():
            doubled = Memo(lambda: count() * 2)
            runs.append(doubled())
            if n:
                RenderEffect(level(n - 1))

        return body

    # Deeper than the chain depth at which memo reads unwind (12 on MicroPython, 100).
    depth = 110 if sys.implementation.name == "cpython" else 14
    with Owner():
        RenderEffect(level(depth))
        assert len(runs) == depth + 1
        count.set(1)
        flush()
    assert runs[-1] == 2


def test_a_ping_pong_loop_stops_both_effects_and_names_them():
    a, set_a = signal(0)
    b, set_b = signal(0)
    before = graph_stats()
    with Owner():

        def ping():
            set_b(a() + 1)

        def pong():
            set_a(b() + 1)

        Effect(ping)
        Effect(pong)
        with raises(EffectLoopError) as caught:
            flush()
    assert "ping" in str(caught.value) and "pong" in str(caught.value)
    assert graph_stats() == before


def test_disposing_a_memo_that_others_read_drops_those_subscriptions():
    s = RwSignal(1)
    before = graph_stats()
    memo_owner = Owner()
    with memo_owner:
        m = Memo(lambda: s() + 1)
    reader_owner = Owner()
    with reader_owner:
        Effect(lambda: m())
        flush()
    memo_owner.dispose()
    reader_owner.dispose()
    flush()
    assert graph_stats() == before


def test_a_selector_with_equals_notifies_every_key_whose_answer_changed():
    current, set_current = signal("a")
    is_selected = Selector(current, equals=lambda key, value: key.lower() == value.lower())
    answers = []
    with Owner():
        Effect(lambda: answers.append(is_selected.selected("A")))
        flush()
        set_current("b")
        flush()
    assert answers == [True, False]
