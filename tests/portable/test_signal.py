"""Signals: reading, writing and the RwSignal handles."""

from _support import raises

from lepta.reactive import Effect, Memo, Owner, ReadSignal, RwSignal, WriteSignal, flush, signal


def test_signal_returns_a_read_and_a_write_handle():
    count, set_count = signal(1)
    assert isinstance(count, ReadSignal)
    assert isinstance(set_count, WriteSignal)
    assert count() == 1
    assert count.get() == 1
    assert count.get_untracked() == 1


def test_every_way_of_writing_changes_the_value():
    count, set_count = signal(1)
    set_count(2)
    assert count() == 2
    set_count.set(3)
    assert count() == 3
    set_count.update(lambda n: n * 10)
    assert count() == 30


def test_mutate_changes_the_value_in_place_and_notifies():
    items, set_items = signal([1])
    original = items.get_untracked()
    lengths = []
    with Owner():
        Effect(lambda: lengths.append(len(items())))
        flush()
        set_items.mutate(lambda xs: xs.append(2))
        flush()
    assert items() is original
    assert lengths == [1, 2]


def test_set_notifies_even_when_the_value_is_equal():
    count, set_count = signal(5)
    runs = []
    with Owner():
        Effect(lambda: runs.append(count()))
        flush()
        set_count(5)
        flush()
    assert runs == [5, 5]


def test_rw_signal_reads_and_writes_through_one_object():
    name = RwSignal("Ada")
    assert name() == "Ada"
    name.set("Grace")
    assert name.get() == "Grace"
    name("Hedy")
    assert name.get_untracked() == "Hedy"
    name.update(lambda s: s + "!")
    assert name() == "Hedy!"
    name.mutate(lambda s: None)
    assert name() == "Hedy!"


def test_rw_signal_splits_into_handles_of_the_same_value():
    value = RwSignal(1)
    read, write = value.split()
    write(2)
    assert read() == 2 and value() == 2
    value.write_only().set(3)
    assert value.read_only()() == 3


def test_readers_of_an_rw_signal_follow_its_writes():
    value = RwSignal(2)
    square = Memo(lambda: value() ** 2)
    assert square() == 4
    value.set(3)
    assert square() == 9


def test_a_signal_repr_shows_its_value():
    count, set_count = signal(7)
    assert "7" in repr(count) and "7" in repr(set_count)


def test_writing_a_disposed_signal_raises():
    from lepta.reactive import DisposedError

    owner = Owner()
    with owner:
        count, set_count = signal(0)
    owner.dispose()
    with raises(DisposedError):
        set_count(1)
    with raises(DisposedError):
        count()
