"""Scheduling: on a running event loop, effects flush by themselves."""

import asyncio

from lepta.reactive import Effect, Owner, RwSignal, tick


async def test_effects_flush_on_their_own_when_an_event_loop_runs():
    a = RwSignal(1)
    seen = []
    with Owner():
        Effect(lambda: seen.append(a()))
        for _ in range(3):
            await asyncio.sleep(0)
        assert seen == [1]
        a.set(2)
        for _ in range(3):
            await asyncio.sleep(0)
        assert seen == [1, 2]


async def test_tick_returns_after_every_pending_effect_ran():
    a = RwSignal(1)
    seen = []
    with Owner():
        Effect(lambda: seen.append(a()))
        await tick()
        a.set(2)
        await tick()
    assert seen == [1, 2]
