"""Trigger, StoredValue and Selector."""

from _support import raises

from lepta.reactive import (
    DisposedError,
    Effect,
    Memo,
    Owner,
    RwSignal,
    Selector,
    StoredValue,
    Trigger,
    flush,
)


def test_a_trigger_reruns_whatever_tracked_it():
    items = []
    changed = Trigger()
    count = Memo(lambda: (changed.track(), len(items))[1])
    assert count() == 0
    items.append("a")
    assert count() == 0  # nothing notified yet
    changed.notify()
    assert count() == 1


def test_a_stored_value_is_not_reactive_and_dies_with_its_owner():
    owner = Owner()
    with owner:
        clicks = StoredValue(0)
        reads = []
        Effect(lambda: reads.append(clicks.get_value()))
        flush()
        clicks.set_value(5)
        clicks.update_value(lambda n: n + 1)
        flush()
    assert clicks.get_value() == 6
    assert reads == [0]
    owner.dispose()
    with raises(DisposedError):
        clicks.get_value()


def test_a_selector_reruns_only_the_rows_whose_answer_changed():
    selected_id = RwSignal(None)
    is_selected = Selector(selected_id)
    runs = []
    with Owner():
        for row in range(1000):
            Effect(lambda row=row: runs.append((row, is_selected.selected(row))))
        flush()
        assert len(runs) == 1000
        del runs[:]
        selected_id.set(7)
        flush()
        assert runs == [(7, True)]
        del runs[:]
        selected_id.set(999)
        flush()
        assert sorted(runs) == [(7, False), (999, True)]
        del runs[:]
        selected_id.set(999)
        flush()
        assert runs == []


def test_a_selector_answers_correctly_before_any_flush():
    selected_id = RwSignal(1)
    is_selected = Selector(selected_id)
    first = Memo(lambda: is_selected.selected(1))
    assert first() is True
    selected_id.set(2)
    assert first() is False
    assert is_selected.selected(2) is True
    flush()


def test_calling_a_selector_with_a_key_is_asking_whether_it_is_selected():
    selected_id = RwSignal(None)
    is_selected = Selector(selected_id)
    runs = []
    with Owner():
        for row in range(3):
            Effect(lambda row=row: runs.append((row, is_selected(row))))
        flush()
        del runs[:]
        selected_id.set(2)
        flush()
        assert runs == [(2, True)]
        assert is_selected(2) is True and is_selected(1) is False


def test_a_selector_keeps_at_most_twice_the_keys_watched_and_a_few_more():
    # Keys nobody watches any more stay until the table has doubled, then go at once.
    selected_id = RwSignal(0)
    is_selected = Selector(selected_id)
    sizes = []
    for round in range(6):
        owner = Owner()
        with owner:
            for row in range(300):
                Effect(lambda key=round * 300 + row: is_selected.selected(key))
            flush()
        sizes.append(len(is_selected._keys))
        owner.dispose()
    assert max(sizes) <= 2 * 300 + 256  # without forgetting any: 1,800 at the end
    assert sizes[-1] < 1800


def test_a_selector_that_forgot_many_keys_still_answers_and_notifies_the_rest():
    selected_id = RwSignal(None)
    is_selected = Selector(selected_id)
    runs = []
    rows = []
    with Owner():
        for row in range(600):
            owner = Owner()
            with owner:
                Effect(lambda row=row: runs.append((row, is_selected.selected(row))))
            rows.append(owner)
        flush()
        for owner in rows[1:]:
            owner.dispose()
        with Owner():  # new keys: the table is made anew with the one still watched
            for row in range(1000, 1700):
                Effect(lambda row=row: is_selected.selected(row))
            flush()
        assert 0 in is_selected._keys and 1 not in is_selected._keys
        del runs[:]
        selected_id.set(0)
        flush()
        selected_id.set(599)
        flush()
        assert runs == [(0, True), (0, False)]
