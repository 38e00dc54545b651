"""Resources and async derived values: loading, refetching, stale responses, errors, disposal.

Fetchers wait on Deferreds the test resolves (see _deferred.Calls), so each test
decides the order in which responses arrive; no real time passes.
"""

import asyncio
import sys

from _deferred import Calls, Deferred, TaskErrors, settle
from _support import raises

from lepta.reactive import (
    AsyncDerived,
    DisposedError,
    Effect,
    LocalResource,
    Memo,
    OnceResource,
    Owner,
    Resource,
    RwSignal,
    graph_stats,
    provide_context,
    tick,
    use_context,
)


# --- Resource --------------------------------------------------------------------------
async def test_a_resource_starts_fetching_at_creation_and_reads_none_until_loaded():
    fetch = Calls()
    with Owner():
        user_id = RwSignal(1)
        user = Resource(user_id, fetch)
        assert (user(), user.loading(), user.error()) == (None, True, None)
        await settle()
        assert fetch.args == [1]
        fetch.resolve(0, "Ada")
        await user.wait()
        assert (user(), user.get(), user.loading()) == ("Ada", "Ada", False)


async def test_changing_the_source_refetches_and_keeps_the_old_value_meanwhile():
    fetch = Calls()
    with Owner():
        user_id = RwSignal(1)
        user = Resource(user_id, fetch)
        await settle()
        fetch.resolve(0, "Ada")
        await user.wait()
        user_id.set(2)
        assert (user(), user.loading()) == ("Ada", True)  # at once, in the write
        await settle()
        assert fetch.args == [1, 2]
        fetch.resolve(1, "Grace")
        await user.wait()
        assert (user(), user.loading()) == ("Grace", False)


async def test_a_stale_response_arriving_after_the_current_one_is_dropped():
    fetch = Calls()
    with Owner():
        user_id = RwSignal(1)
        user = Resource(user_id, fetch)
        await settle()
        user_id.set(2)
        await settle()
        assert fetch.args == [1, 2]
        fetch.resolve(1, "Grace")  # the current one first
        await settle()
        assert (user(), user.loading()) == ("Grace", False)
        fetch.resolve(0, "Ada")  # then the stale one
        await settle()
        assert (user(), user.loading()) == ("Grace", False)


async def test_a_stale_response_arriving_first_is_dropped_and_loading_goes_on():
    fetch = Calls()
    with Owner():
        user_id = RwSignal(1)
        user = Resource(user_id, fetch)
        await settle()
        user_id.set(2)
        await settle()
        fetch.resolve(0, "Ada")
        await settle()
        assert (user(), user.loading()) == (None, True)
        fetch.resolve(1, "Grace")
        await settle()
        assert (user(), user.loading()) == ("Grace", False)


async def test_a_source_change_before_the_fetch_began_skips_the_older_fetch():
    fetch = Calls()
    with Owner():
        user_id = RwSignal(1)
        user = Resource(user_id, fetch)
        user_id.set(2)  # in the same step: fetch(1) never starts
        await settle()
        assert fetch.args == [2]
        fetch.resolve(0, "Grace")
        await user.wait()
        assert user() == "Grace"


async def test_an_equal_source_value_does_not_refetch():
    fetch = Calls()
    with Owner():
        user_id = RwSignal(1)
        user = Resource(user_id, fetch)
        await settle()
        user_id.set(1)
        await settle()
        assert fetch.args == [1]
        assert user.loading() is True


async def test_a_source_memo_recomputing_to_an_equal_value_does_not_even_reread_the_source():
    #   n -> parity (memo) -> source -> resource
    fetch = Calls()
    runs = []
    with Owner():
        n = RwSignal(1)
        parity = Memo(lambda: n() % 2)

        def source():
            runs.append(parity())
            return parity()

        Resource(source, fetch)
        n.set(3)
        n.set(4)
        await settle()
    assert runs == [1, 0]
    assert fetch.args == [0]  # fetch(1) was superseded before it began


async def test_refetch_loads_again_with_the_same_source_value():
    fetch = Calls()
    with Owner():
        user = Resource(7, fetch)  # a plain value: loads once
        await settle()
        fetch.resolve(0, "first")
        await user.wait()
        user.refetch()
        assert (user(), user.loading()) == ("first", True)
        await settle()
        assert fetch.args == [7, 7]
        fetch.resolve(1, "second")
        await user.wait()
        assert user() == "second"


async def test_reading_a_failed_resource_raises_and_error_reads_without_raising():
    fetch = Calls()
    problem = LookupError("no such user")
    with Owner():
        user = Resource(1, fetch)
        name = Memo(lambda: user())
        await settle()
        fetch.fail(0, problem)
        await user.wait()
        assert user.error() is problem
        assert user.loading() is False
        with raises(LookupError, "no such user"):
            user()
        with raises(LookupError):
            name()  # readers downstream see it too
        user.refetch()
        await settle()
        fetch.resolve(1, "Ada")
        await user.wait()
        assert (user(), user.error(), name()) == ("Ada", None, "Ada")


async def test_a_failed_refetch_keeps_the_last_value_for_after_the_error():
    fetch = Calls()
    with Owner():
        user = Resource(1, fetch)
        await settle()
        fetch.resolve(0, "Ada")
        await user.wait()
        user.refetch()
        await settle()
        fetch.fail(1, ValueError("offline"))
        await user.wait()
        with raises(ValueError):
            user()
        assert user._value.get_untracked() == "Ada"


async def test_a_source_that_raises_becomes_the_resource_error():
    fetch = Calls()
    with Owner():
        user_id = RwSignal(1)

        def source():
            if user_id() < 0:
                raise ValueError("negative id")
            return user_id()

        user = Resource(source, fetch)
        await settle()
        user_id.set(-1)
        assert isinstance(user.error(), ValueError)
        assert user.loading() is False
        fetch.resolve(0, "stale")
        await settle()
        with raises(ValueError, "negative id"):
            user()
        user_id.set(2)
        await settle()
        assert fetch.args == [1, 2]
        fetch.resolve(1, "Grace")
        await user.wait()
        assert user() == "Grace"


async def test_a_resource_whose_source_reads_another_resource_follows_it():
    #   user (resource) -> posts' source -> posts (resource)
    fetch_user, fetch_posts = Calls(), Calls()
    with Owner():
        user = Resource(1, fetch_user)
        posts = Resource(lambda: user(), fetch_posts)
        await settle()
        assert fetch_posts.args == [None]  # the user is not loaded yet
        fetch_user.resolve(0, "ada")
        await settle()
        assert fetch_posts.args == [None, "ada"]
        fetch_posts.resolve(1, ["hello"])
        fetch_posts.resolve(0, [])  # stale
        await posts.wait()
        assert posts() == ["hello"]
        user.refetch()
        await settle()
        fetch_user.fail(1, RuntimeError("signed out"))
        await settle()
        with raises(RuntimeError, "signed out"):  # the source raised it: posts fail too
            posts()
    assert len(fetch_posts.args) == 2


async def test_effects_see_the_loading_flag_and_value_of_each_load():
    fetch = Calls()
    seen = []
    with Owner():
        user_id = RwSignal(1)
        user = Resource(user_id, fetch)
        Effect(lambda: seen.append((user.loading(), user())))
        await tick()
        await settle()
        fetch.resolve(0, "Ada")
        await settle()
        await tick()
        user_id.set(2)
        await tick()
        await settle()
        fetch.resolve(1, "Grace")
        await settle()
        await tick()
    assert seen == [(True, None), (False, "Ada"), (True, "Ada"), (False, "Grace")]


async def test_resources_created_together_load_in_parallel():
    order = []
    gates = {"a": Deferred(), "b": Deferred()}

    async def fetch(name):
        order.append("start " + name)
        value = await gates[name].wait()
        order.append("end " + name)
        return value

    with Owner():
        a = Resource("a", fetch)
        b = Resource("b", fetch)
        await settle()
        assert order == ["start a", "start b"]  # both before either finished
        gates["b"].resolve("B")
        gates["a"].resolve("A")
        await a.wait()
        await b.wait()
        assert (a(), b()) == ("A", "B")
    assert order == ["start a", "start b", "end b", "end a"]


async def test_wait_waits_for_the_newest_load_when_the_source_changes_meanwhile():
    fetch = Calls()
    done = []
    with Owner():
        user_id = RwSignal(1)
        user = Resource(user_id, fetch)

        async def waiter():
            await user.wait()
            done.append(user())

        task = asyncio.create_task(waiter())
        await settle()
        user_id.set(2)
        await settle()
        fetch.resolve(0, "Ada")  # stale: the waiter keeps waiting
        await settle()
        assert done == []
        fetch.resolve(1, "Grace")
        await task
    assert done == ["Grace"]


async def test_disposing_the_owner_drops_results_and_stops_following_the_source():
    fetch = Calls()
    user_id = RwSignal(1)
    before = graph_stats()["subscriptions"]
    with TaskErrors() as errors:
        owner = Owner()
        with owner:
            user = Resource(user_id, fetch)
        await settle()
        assert graph_stats()["subscriptions"] == before + 1
        owner.dispose()
        assert graph_stats()["subscriptions"] == before
        fetch.resolve(0, "Ada")
        user_id.set(2)
        await settle()
        assert errors.collect() == []
    assert fetch.args == [1]
    with raises(DisposedError):
        user()
    with raises(DisposedError, "refetched after its owner was disposed"):
        user.refetch()
    await user.wait()  # returns at once


async def test_disposal_wakes_whoever_waits():
    fetch = Calls()
    owner = Owner()
    with owner:
        user = Resource(1, fetch)
    task = asyncio.create_task(user.wait())
    await settle()
    owner.dispose()
    await task


async def test_a_resource_loads_and_refetches_under_a_server_owner():
    fetch = Calls()
    effects = graph_stats()["effects"]
    with Owner(server=True):
        user_id = RwSignal(1)
        user = Resource(user_id, fetch)
        await settle()
        assert fetch.args == [1]
        fetch.resolve(0, "Ada")
        await user.wait()
        assert user() == "Ada"
        user_id.set(2)
        await settle()
        assert fetch.args == [1, 2]
        fetch.resolve(1, "Grace")
        await user.wait()
        assert user() == "Grace"
    assert graph_stats()["effects"] == effects  # it needed none


async def test_the_fetcher_runs_under_the_resources_owner():
    found = []

    async def fetch(key):
        found.append(use_context(str))
        await asyncio.sleep(0)
        found.append(use_context(str))
        return key

    with Owner():
        provide_context("request 1")
        r = Resource("k", fetch)
    await r.wait()
    assert found == ["request 1", "request 1"]


def test_a_resource_created_outside_an_event_loop_starts_when_awaited():
    if sys.implementation.name == "micropython":
        return  # MicroPython always hands tasks to the host's loop
    fetch = Calls()
    with Owner():
        user = Resource(1, fetch)
    assert fetch.args == []

    async def main():
        task = asyncio.create_task(user.wait())
        await settle()
        assert fetch.args == [1]
        fetch.resolve(0, "Ada")
        await task

    asyncio.run(main())
    assert user() == "Ada"


# --- LocalResource ---------------------------------------------------------------------
async def test_a_local_resource_never_fetches_under_a_server_owner():
    fetch = Calls()
    with Owner(server=True):
        prefs = LocalResource(fetch)
        await settle()
        await prefs.wait()  # nothing to wait for
        prefs.refetch()
        await settle()
        assert fetch.args == []
        assert (prefs(), prefs.loading()) == (None, True)


async def test_a_local_resource_fetches_in_the_browser_and_tracks_its_first_step():
    theme = RwSignal("dark")
    loads = []

    async def load():
        name = theme()
        loads.append(name)
        await asyncio.sleep(0)
        return name.upper()

    with Owner():
        prefs = LocalResource(load)
        await prefs.wait()
        assert prefs() == "DARK"
        theme.set("light")
        assert prefs.loading() is True
        await prefs.wait()
        assert prefs() == "LIGHT"
        prefs.refetch()
        await prefs.wait()
    assert loads == ["dark", "light", "light"]


# --- OnceResource ----------------------------------------------------------------------
async def test_a_once_resource_resolves_once():
    gate = Deferred()
    runs = []

    async def load():
        runs.append("load")
        return await gate.wait()

    with Owner():
        config = OnceResource(load())
        assert (config(), config.loading()) == (None, True)
        await settle()
        gate.resolve({"debug": True})
        await config.wait()
        assert (config(), config.loading()) == ({"debug": True}, False)
    assert runs == ["load"]


async def test_a_once_resource_that_fails_raises_on_read():
    async def load():
        raise KeyError("missing")

    with Owner():
        config = OnceResource(load())
        await config.wait()
        assert isinstance(config.error(), KeyError)
        with raises(KeyError):
            config()


async def test_a_once_resource_disposed_before_it_began_closes_its_coroutine():
    runs = []

    async def load():
        runs.append("load")

    owner = Owner()
    with owner:
        OnceResource(load())
    owner.dispose()
    await settle()
    assert runs == []


# --- AsyncDerived ----------------------------------------------------------------------
async def test_async_derived_tracks_reads_before_its_first_await_only():
    #   a (read before the await) -> derived;  b (read after) is not a dependency
    a, b = RwSignal(1), RwSignal(10)
    gates = []
    runs = []

    async def total():
        x = a()
        runs.append(x)
        gate = Deferred()
        gates.append(gate)
        await gate.wait()
        return x + b()

    with Owner():
        derived = AsyncDerived(total)
        await settle()
        gates[0].resolve()
        await derived.wait()
        assert derived() == 11
        b.set(20)
        await settle()
        assert runs == [1]  # b was read after the await: not tracked
        a.set(2)
        assert derived.loading() is True
        await settle()
        gates[1].resolve()
        await derived.wait()
        assert derived() == 22
    assert runs == [1, 2]


async def test_async_derived_drops_a_stale_result():
    n = RwSignal(1)
    gates = {}

    async def square():
        x = n()
        gates[x] = Deferred()
        await gates[x].wait()
        return x * x

    with Owner():
        derived = AsyncDerived(square)
        await settle()
        n.set(2)
        await settle()
        assert sorted(gates) == [1, 2]
        gates[2].resolve()
        await settle()
        assert derived() == 4
        gates[1].resolve()
        await settle()
        assert (derived(), derived.loading()) == (4, False)


async def test_async_derived_runs_under_a_server_owner_and_stops_on_disposal():
    n = RwSignal(1)
    runs = []

    async def double():
        x = n()
        runs.append(x)
        await asyncio.sleep(0)
        return 2 * x

    before = graph_stats()["subscriptions"]
    owner = Owner(server=True)
    with owner:
        derived = AsyncDerived(double)
        await derived.wait()
        assert derived() == 2
        n.set(5)
        await derived.wait()
        assert derived() == 10
    owner.dispose()
    assert graph_stats()["subscriptions"] == before
    n.set(6)
    await settle()
    assert runs == [1, 5]


async def test_async_derived_that_fails_raises_on_read_until_it_succeeds():
    n = RwSignal(0)

    async def inverse():
        x = n()
        await asyncio.sleep(0)
        return 1 / x

    with Owner():
        derived = AsyncDerived(inverse)
        await derived.wait()
        with raises(ZeroDivisionError):
            derived()
        n.set(4)
        await derived.wait()
        assert (derived(), derived.error()) == (0.25, None)
