"""Memos: laziness, caching, glitch freedom, cut-off, dynamic dependencies, errors."""

from _support import raises

from lepta.reactive import CycleError, Memo, RwSignal, signal


def test_a_memo_computes_nothing_before_its_first_read():
    runs = []
    a = RwSignal(1)
    doubled = Memo(lambda: runs.append("run") or a() * 2)
    assert runs == []
    assert doubled() == 2
    assert runs == ["run"]


def test_memo_doesnt_repeat_calculation_per_get():
    runs = []
    a = RwSignal(1)
    doubled = Memo(lambda: runs.append("run") or a() * 2)
    doubled()
    doubled()
    doubled.get()
    doubled.get_untracked()
    assert runs == ["run"]
    a.set(2)
    assert runs == ["run"]  # lazy: nothing until read
    assert doubled() == 4
    assert runs == ["run", "run"]


def test_a_diamond_recomputes_once():
    #     a
    #    / \
    #   b   c
    #    \ /
    #     d
    seq = []
    a = RwSignal(1)
    b = Memo(lambda: seq.append("b") or a() + 1)
    c = Memo(lambda: seq.append("c") or a() * 2)
    d = Memo(lambda: seq.append("d") or b() + c())
    assert d() == 4
    del seq[:]
    a.set(2)
    assert d() == 7
    # b changed, so d recomputes at once and pulls c: each runs once, in this order
    assert seq == ["b", "d", "c"]


def test_a_memo_chain_updates_when_intermediate_memos_were_never_read():
    # a -> b -> c -> d, only d is read
    a = RwSignal(1)
    b = Memo(lambda: a() + 1)
    c = Memo(lambda: b() + 1)
    d = Memo(lambda: c() + 1)
    assert d() == 4
    a.set(10)
    assert d() == 13
    assert b() == 11


def test_dynamic_dependencies_are_dropped_when_a_branch_is_not_taken():
    #  flag   left   right
    #     \    |    /
    #      choice        (reads left OR right)
    runs = []
    flag = RwSignal(True)
    left = RwSignal("L")
    right = RwSignal("R")
    choice = Memo(lambda: runs.append(1) or (left() if flag() else right()))
    assert choice() == "L"
    right.set("R2")
    assert choice() == "L"
    assert len(runs) == 1  # right is not a dependency yet
    flag.set(False)
    assert choice() == "R2"
    left.set("L2")
    assert choice() == "R2"
    assert len(runs) == 2  # left was dropped


def test_equality_cut_off_stops_downstream_work():
    #  a -> parity -> label
    seq = []
    a = RwSignal(2)
    parity = Memo(lambda: seq.append("parity") or a() % 2)
    label = Memo(lambda: seq.append("label") or ("odd" if parity() else "even"))
    assert label() == "even"
    a.set(4)
    assert label() == "even"
    assert seq == ["label", "parity", "parity"]  # label did not re-run


def test_a_custom_equals_decides_what_counts_as_a_change():
    seq = []
    word = RwSignal("hello")
    same = Memo(lambda: word(), equals=lambda old, new: old.lower() == new.lower())
    shout = Memo(lambda: seq.append(1) or same().upper())
    assert shout() == "HELLO"
    word.set("HELLO")
    assert shout() == "HELLO"
    assert seq == [1]
    word.set("bye")
    assert shout() == "BYE"


def test_an_exception_in_a_memo_reaches_the_reader_and_the_memo_recovers():
    divisor = RwSignal(0)
    runs = []
    ratio = Memo(lambda: runs.append(1) or 10 // divisor())
    with raises(ZeroDivisionError):
        ratio()
    with raises(ZeroDivisionError):
        ratio()
    assert len(runs) == 1  # the failure is cached until the inputs change
    divisor.set(5)
    assert ratio() == 2


def test_a_failure_propagates_through_memos_and_clears_with_its_cause():
    divisor = RwSignal(0)
    ratio = Memo(lambda: 10 // divisor())
    label = Memo(lambda: "ratio %d" % ratio())
    with raises(ZeroDivisionError):
        label()
    divisor.set(2)
    assert label() == "ratio 5"


def test_a_memo_that_reads_itself_raises_cycle_error():
    holder = []
    looping = Memo(lambda: holder[0]() + 1)
    holder.append(looping)
    with raises(CycleError, "read itself"):
        looping()


def test_memos_that_read_each_other_raise_cycle_error_not_recursion_error():
    flag = RwSignal(False)
    memos = []
    first = Memo(lambda: memos[1]() if flag() else 1)
    second = Memo(lambda: first() + 1)
    memos.extend([first, second])
    assert second() == 2
    flag.set(True)
    with raises(CycleError):
        second()
    flag.set(False)
    assert second() == 2


def test_a_long_chain_updates_without_recursion():
    # s -> m1 -> m2 -> ... -> m3000; built and read link by link, then updated at once
    s, set_s = signal(0)
    last = s
    chain = []
    for _ in range(3000):
        prev = last
        last = Memo(lambda prev=prev: prev() + 1)
        chain.append(last)
        last()
    set_s(1)
    assert last() == 3001


def long_unread_chain(length, runs):
    # s -> m1 -> m2 -> ... -> m<length>, none of them read yet
    s, set_s = signal(0)
    last = s
    for _ in range(length):
        last = Memo(lambda prev=last: runs.append(1) or prev() + 1)
    return set_s, last


def test_a_long_chain_of_unread_memos_computes_on_first_read_without_recursion():
    runs = []
    set_s, last = long_unread_chain(1500, runs)
    assert last() == 1500
    assert len(runs) <= 3 * 1500  # computing deferred links re-runs a few of them
    set_s(1)
    del runs[:]
    assert last() == 1501
    assert len(runs) == 1500


def test_an_effect_reading_a_long_unread_chain_runs_once_with_the_final_value():
    from lepta.reactive import Effect, Owner, flush

    seen = []
    with Owner():
        _, last = long_unread_chain(600, [])
        Effect(lambda: seen.append(last()))
        flush()
    assert seen == [600]


def test_an_effect_whose_memo_starts_reading_a_long_unread_chain_updates():
    from lepta.reactive import Effect, Owner, flush

    use_chain = RwSignal(False)
    _, last = long_unread_chain(600, [])
    picked = Memo(lambda: last() if use_chain() else -1)
    seen = []
    with Owner():
        Effect(lambda: seen.append(picked()))
        flush()
        use_chain.set(True)
        flush()
    assert seen == [-1, 600]


def test_memo_repr_shows_value_or_that_it_is_not_computed():
    m = Memo(lambda: 41 + 1)
    assert "not computed" in repr(m)
    m()
    assert "42" in repr(m)
