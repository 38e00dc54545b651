"""Owners: disposal order, context, and isolation between concurrent tasks."""

import asyncio
import sys

from _support import raises

from lepta.reactive import (
    DisposedError,
    Effect,
    Memo,
    MissingContextError,
    NoOwnerError,
    Owner,
    RwSignal,
    current_scope,
    expect_context,
    flush,
    graph_stats,
    on_cleanup,
    provide_context,
    set_debug,
    signal,
    use_context,
)


class Theme:
    def __init__(self, name):
        self.name = name


def test_disposing_an_owner_disposes_children_first_then_runs_its_cleanups():
    #  root ── child ── grandchild
    #     └── cleanup
    seq = []
    root = Owner()
    with root:
        on_cleanup(lambda: seq.append("root cleanup 1"))
        child = Owner()
        with child:
            on_cleanup(lambda: seq.append("child cleanup"))
            with Owner():
                on_cleanup(lambda: seq.append("grandchild cleanup"))
        on_cleanup(lambda: seq.append("root cleanup 2"))
    root.dispose()
    assert seq == ["grandchild cleanup", "child cleanup", "root cleanup 2", "root cleanup 1"]
    assert root.disposed and child.disposed


def test_a_failing_cleanup_does_not_stop_the_others_and_its_error_is_raised():
    seq = []
    root = Owner()
    with root:
        on_cleanup(lambda: seq.append("first"))
        with Owner():
            on_cleanup(lambda: seq.append("child"))

        def broken():
            raise RuntimeError("cleanup failed")

        on_cleanup(broken)
        on_cleanup(lambda: seq.append("last"))
    with raises(RuntimeError, "cleanup failed"):
        root.dispose()
    assert seq == ["child", "last", "first"]
    assert root.disposed


def test_disposing_an_owner_stops_its_effects_and_unsubscribes_them():
    a = RwSignal(1)
    runs = []
    before = graph_stats()["subscriptions"]
    owner = Owner()
    with owner:
        Effect(lambda: runs.append(a()))
        doubled = Memo(lambda: a() * 2)
        Effect(lambda: runs.append(doubled()))
        flush()
    assert graph_stats()["subscriptions"] == before + 3
    owner.dispose()
    assert graph_stats()["subscriptions"] == before
    assert not a._node._observers  # the signal holds no reference to them
    a.set(2)
    flush()
    assert runs == [1, 2]


def test_an_owner_disposes_cleanly_after_many_child_scopes_come_and_go():
    a = RwSignal(0)
    before = graph_stats()["subscriptions"]
    parent = Owner()
    for _ in range(1000):
        with parent:
            child = Owner()
        with child:
            Effect(lambda: a())
        flush()
        child.dispose()
    assert graph_stats()["subscriptions"] == before
    assert not parent._owned  # disposed children do not pile up in the parent
    parent.dispose()


def test_reading_a_disposed_signal_raises_and_names_where_it_was_created():
    set_debug(True)
    try:
        owner = Owner()
        with owner:
            count, _ = signal(0)
        owner.dispose()
        with raises(DisposedError, "ReadSignal created at") as caught:
            count()
    finally:
        set_debug(False)
    if sys.implementation.name == "cpython":  # MicroPython cannot inspect frames
        assert "test_owner.py:" in str(caught.value)


def test_writing_a_disposed_signal_raises_whichever_way_it_is_written_and_calls_nothing():
    owner = Owner()
    with owner:
        _, set_count = signal(0)
    owner.dispose()
    called = []
    for write in (
        lambda: set_count(1),
        lambda: set_count.set(1),
        lambda: set_count.update(lambda n: called.append(n) or n + 1),
        lambda: set_count.mutate(lambda n: called.append(n)),
    ):
        with raises(DisposedError, "disposed"):
            write()
    assert called == []


def test_reading_a_disposed_memo_raises_and_names_its_function():
    owner = Owner()
    with owner:

        def total_price():
            return 3

        m = Memo(total_price)
        m()
    owner.dispose()
    with raises(DisposedError, "total_price"):
        m()


def test_a_reader_of_a_disposed_signal_meets_the_error_on_its_next_read():
    owner = Owner()
    with owner:
        short_lived = RwSignal(1)
    reader = Memo(lambda: short_lived() + 1)
    assert reader() == 2
    owner.dispose()
    with raises(DisposedError):
        reader()


def test_entering_a_disposed_owner_raises():
    owner = Owner()
    owner.dispose()
    with raises(DisposedError):
        with owner:
            pass


def test_use_context_finds_the_nearest_value_and_a_child_shadows_its_parent():
    with Owner():
        provide_context(Theme("light"))
        with Owner():
            assert use_context(Theme).name == "light"
            provide_context(Theme("dark"))
            assert use_context(Theme).name == "dark"
            with Owner():
                assert use_context(Theme).name == "dark"
        assert use_context(Theme).name == "light"


def test_use_context_returns_none_and_expect_context_raises_naming_the_type():
    with Owner():
        assert use_context(Theme) is None
        with raises(MissingContextError, "Theme"):
            expect_context(Theme)
    assert use_context(Theme) is None


def test_context_is_visible_inside_effects_and_memos_created_below_it():
    seen = []
    with Owner():
        provide_context(Theme("sepia"))
        Effect(lambda: seen.append(use_context(Theme).name))
        seen.append(Memo(lambda: expect_context(Theme).name)())
        flush()
    assert seen == ["sepia", "sepia"]


def test_things_needing_an_owner_raise_outside_any_owner():
    assert current_scope() is None
    with raises(NoOwnerError, "on_cleanup"):
        on_cleanup(lambda: None)
    with raises(NoOwnerError, "provide_context"):
        provide_context(Theme("x"))


def test_owner_run_makes_the_owner_current_for_a_call():
    owner = Owner()
    assert owner.run(current_scope) is owner
    assert current_scope() is None
    child = owner.run(Owner)
    assert child.parent is owner
    owner.dispose()
    assert child.disposed


async def test_two_hundred_interleaved_tasks_never_see_each_others_owner_or_context():
    class RequestId:
        def __init__(self, n):
            self.n = n

    stray = RwSignal(0)
    finished = []

    async def handle(n):
        with Owner() as owner:
            provide_context(RequestId(n))
            count = RwSignal(n)
            for _ in range(3):
                await asyncio.sleep(0)
                assert current_scope() is owner
                assert use_context(RequestId).n == n
                stray()  # read between computations: tracked by no one
                doubled = Memo(lambda: count() * 2)
                assert doubled() == 2 * n
        assert current_scope() is not owner
        owner.dispose()
        finished.append(n)

    before = graph_stats()["subscriptions"]
    await asyncio.gather(*[handle(n) for n in range(200)])
    assert sorted(finished) == list(range(200))
    assert current_scope() is None
    assert graph_stats()["subscriptions"] == before
    assert not stray._node._observers


def test_owners_disposed_together_go_last_first_and_leave_their_parent_with_the_rest():
    from lepta.reactive._owner import dispose_owners

    seq = []
    parent = Owner()
    count = signal(0)[0]
    with parent:
        rows = []
        for i in range(4):
            row = Owner()
            with row:
                Effect(lambda: count())
                on_cleanup(lambda i=i: seq.append(i))
            rows.append(row)
        kept = Owner()
    flush()
    before = graph_stats()["subscriptions"]
    dispose_owners(rows[1:3] + rows[:1])
    assert seq == [0, 2, 1]  # the last given first
    assert parent._owned == [rows[3], kept]
    assert all(row.disposed for row in rows[:3]) and not rows[3].disposed
    assert graph_stats()["subscriptions"] == before - 3
    dispose_owners(rows)  # already disposed ones are skipped
    assert seq == [0, 2, 1, 3]


def test_rows_disposed_together_leave_their_parent_with_the_rest_wherever_they_are_listed():
    from lepta.reactive._owner import dispose_owners

    parent = Owner()
    with parent:
        first = Owner()
        rows = [Owner() for _ in range(3)]
    dispose_owners(rows, parent)  # its last ones, in order
    assert parent._owned == [first]
    with parent:
        more = [Owner() for _ in range(3)]
        last = Owner()
    dispose_owners(more[::-1], parent)  # neither last nor in order
    assert parent._owned == [first, last]
    assert all(row.disposed for row in rows + more) and not last.disposed


def test_a_failing_cleanup_among_owners_disposed_together_is_raised_after_the_rest_go():
    from lepta.reactive._owner import dispose_owners

    seq = []
    parent = Owner()
    with parent:
        rows = [Owner() for _ in range(3)]
    for i, row in enumerate(rows):
        with row:
            on_cleanup(lambda i=i: seq.append(i))
    with rows[1]:
        on_cleanup(lambda: 1 / 0)
    with raises(ZeroDivisionError):
        dispose_owners(rows)
    assert seq == [2, 1, 0]
    assert parent._owned == []


def test_a_row_owner_is_made_under_its_parent_and_kept_only_when_it_holds_something():
    from lepta.reactive._owner import enter_row, leave_row

    count, set_count = signal(0)
    runs = []
    parent = Owner()
    outer = Owner()
    with outer:  # the row's parent need not be the current owner
        token = enter_row(parent)
        Effect(lambda: runs.append(("a", count())))
        Effect(lambda: runs.append(("b", count())))
        owner = leave_row(token)  # two effects: an owner holds them
        assert type(owner) is Owner and owner.parent is parent
        assert current_scope() is outer
        token = enter_row(parent)
        Effect(lambda: runs.append(("c", count())))
        on_cleanup(lambda: runs.append("cleanup"))
        cleaned = leave_row(token)  # an effect and a cleanup
        assert type(cleaned) is Owner and cleaned.parent is parent
        token = enter_row(parent)
        signal(1)  # a plain signal needs no disposing, but is owned: an owner holds it
        empty = leave_row(token)
        assert type(empty) is Owner
        token = enter_row(parent)
        assert leave_row(token) is None
    assert parent._owned == [owner, cleaned, empty]  # the row that made nothing: nothing
    assert outer._owned is None
    flush()
    set_count(1)
    flush()
    assert runs == [("a", 0), ("b", 0), ("c", 0), ("a", 1), ("b", 1), ("c", 1)]
    parent.dispose()
    set_count(2)
    flush()
    assert len(runs) == 7 and runs[-1] == "cleanup" and owner.disposed


def test_a_row_asking_for_its_scope_gets_an_owner_of_its_own_holding_what_it_made():
    from lepta.reactive._owner import enter_row, leave_row

    count = signal(0)[0]
    parent = Owner()
    with parent:
        provide_context(Theme("dark"))
        Owner()  # a sibling made before the rows
    token = enter_row(parent)
    made = Effect(lambda: count())
    scope = current_scope()  # (a nested list's home, a task's owner...)
    assert type(scope) is Owner and scope.parent is parent and made._parent is scope
    later = Effect(lambda: count())
    assert leave_row(token) is scope
    assert scope._owned == [made, later] and later._parent is scope
    assert parent._owned[1:] == [scope]
    token = enter_row(parent)
    provide_context(Theme("light"))  # the row's own: its siblings do not see it
    assert use_context(Theme).name == "light"
    lit = leave_row(token)
    assert use_context(Theme) is None
    with parent:
        assert use_context(Theme).name == "dark"
    with lit:
        assert use_context(Theme).name == "light"
    token = enter_row(parent)
    assert use_context(Theme).name == "dark"  # only reading: no owner needed
    assert leave_row(token) is None
    assert parent._owned[1:] == [scope, lit]
    flush()


def test_a_row_that_disposes_a_sibling_while_it_is_built_keeps_what_it_made():
    from lepta.reactive._owner import enter_row, leave_row

    count = signal(0)[0]
    parent = Owner()
    with parent:
        first = Owner()
    token = enter_row(parent)
    mine = Effect(lambda: count())
    first.dispose()  # (a child of the list's scope goes while the row is built)
    other = Effect(lambda: count())
    row = leave_row(token)
    assert type(row) is Owner and row._owned == [mine, other]
    assert parent._owned == [row]
    flush()


def test_what_a_row_makes_after_an_effect_made_its_owner_is_the_rows_too():
    from lepta.reactive import RenderEffect
    from lepta.reactive._owner import enter_row, leave_row

    count = signal(0)[0]
    parent = Owner()
    with parent:
        first = Owner()
    token = enter_row(parent)
    # An effect's first run (at once, as the renderer's) disposes a child of the
    # list's scope: the row's owner is made then, with the effect current.
    RenderEffect(lambda: first.dispose())
    inner = Effect(lambda: count())  # (made after the effect's run put `parent` back)
    row = leave_row(token)
    assert type(row) is Owner and inner in row._owned and inner._parent is row
    assert parent._owned == [row]
    flush()


def test_a_row_whose_only_work_is_one_effect_is_that_effect_in_its_owners_place():
    from lepta.reactive._owner import dispose_owners, enter_row, leave_row

    count, set_count = signal(0)
    runs = []
    parent = Owner()
    with parent:
        provide_context(Theme("dark"))
        Owner()  # a sibling made before the rows
    before = graph_stats()["subscriptions"]
    rows = []
    for i in range(3):
        token = enter_row(parent)
        rows.append(Effect(lambda i=i: runs.append((i, count(), use_context(Theme).name))))
        assert leave_row(token) is rows[-1]
    assert parent._owned[1:] == rows  # each in its owner's place
    flush()
    assert runs == [(0, 0, "dark"), (1, 0, "dark"), (2, 0, "dark")]  # context found above
    assert graph_stats()["subscriptions"] == before + 3
    dispose_owners(rows[:2])
    assert len(parent._owned) == 2 and parent._owned[1] is rows[2]
    assert graph_stats()["subscriptions"] == before + 1
    set_count(1)
    flush()
    assert runs[3:] == [(2, 1, "dark")]  # only the row left runs again
    dispose_owners(rows)  # already disposed ones are skipped
    assert len(parent._owned) == 1
    assert graph_stats()["subscriptions"] == before


def test_owners_and_effects_standing_for_rows_are_disposed_together():
    from lepta.reactive._owner import dispose_owners, enter_row, leave_row

    count = signal(0)[0]
    seq = []
    parent = Owner()
    rows = []
    for i in range(4):
        token = enter_row(parent)
        Effect(lambda: count())
        if i % 2:
            on_cleanup(lambda i=i: seq.append(i))
        rows.append(leave_row(token))
    assert [type(row).__name__ for row in rows] == ["Effect", "Owner", "Effect", "Owner"]
    flush()
    before = graph_stats()
    dispose_owners(rows[:3])
    assert parent._owned == [rows[3]] and seq == [1]
    after = graph_stats()
    assert after["subscriptions"] == before["subscriptions"] - 3
    assert after["effects"] == before["effects"] - 3
