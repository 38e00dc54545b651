"""Stores: one field per path, writes that notify only what changed, keyed lists."""

from _support import raises

from lepta import component, flush
from lepta.dom import mount_to_body
from lepta.html import li, span, ul
from lepta.reactive import Effect, Owner, batch, graph_stats
from lepta.store import DuplicateKeyError, Field, StaleFieldError, Store
from lepta.testing import MemoryDOM
from lepta.view import For


class Point:
    """A plain class: its state is in __dict__."""

    def __init__(self, x, y):
        self.x = x
        self.y = y


class Slotted:
    __slots__ = ("name", "tags")

    def __init__(self, name, tags):
        self.name = name
        self.tags = tags


def counting(runs, name, read):
    """An effect appending `name` to `runs` each time it runs, reading `read()`."""
    return Effect(lambda: (read(), runs.append(name)))


def app_state():
    return {
        "user": {"name": "Ada", "age": 36},
        "todos": [
            {"id": 1, "text": "write", "done": False},
            {"id": 2, "text": "test", "done": False},
            {"id": 3, "text": "ship", "done": True},
        ],
    }


# --- reading and writing ------------------------------------------------------------
def test_a_field_reads_and_writes_like_a_signal():
    store = Store(app_state())
    name = store.user.name
    assert name() == "Ada" and name.get() == "Ada" and name.get_untracked() == "Ada"
    name.set("Grace")
    assert name() == "Grace"
    store.user.age.update(lambda n: n + 1)
    assert store.user.age() == 37
    assert store.get_untracked()["user"] == {"name": "Grace", "age": 37}


def test_the_same_path_gives_the_same_field_object():
    store = Store(app_state())
    assert store.user.name is store.user.name
    assert store["user"]["name"] is store.user.name
    assert store.todos[1].text is store.todos[1].text
    assert isinstance(store.user, Field)


def test_fields_reach_into_plain_objects_with_dict_or_slots():
    store = Store({"point": Point(1, 2), "tag": Slotted("a", ["x", "y"])})
    assert store.point.x() == 1
    store.point.y.set(5)
    assert store.get_untracked()["point"].y == 5
    assert store.tag.tags[1]() == "y"
    store.tag.name.set("b")
    assert store.get_untracked()["tag"].name == "b"


def test_names_of_field_methods_are_reached_with_brackets():
    store = Store({"set": 1, "update": {"get": 2}})
    assert store["set"]() == 1
    assert store["update"]["get"]() == 2


# --- granularity --------------------------------------------------------------------
def test_writing_a_leaf_reruns_its_readers_and_its_ancestors_never_its_siblings():
    #        store
    #       /     \
    #    user     todos
    #    /  \
    # name  age
    with Owner():
        store = Store(app_state())
        runs = []
        counting(runs, "store", store.get)
        counting(runs, "user", store.user.get)
        counting(runs, "name", store.user.name)
        counting(runs, "age", store.user.age)
        counting(runs, "todos", store.todos.get)
        flush()
        del runs[:]
        store.user.name.set("Grace")
        flush()
        assert sorted(runs) == ["name", "store", "user"]


def test_writing_a_subtree_reruns_the_descendants_whose_values_changed():
    with Owner():
        store = Store(app_state())
        runs = []
        counting(runs, "user", store.user.get)
        counting(runs, "name", store.user.name)
        counting(runs, "age", store.user.age)
        flush()
        del runs[:]
        store.user.set({"name": "Ada", "age": 37})
        flush()
        assert sorted(runs) == ["age", "user"]


def test_writing_an_equal_value_reruns_nothing():
    with Owner():
        store = Store(app_state())
        runs = []
        counting(runs, "user", store.user.get)
        counting(runs, "name", store.user.name)
        flush()
        del runs[:]
        store.user.name.set("Ada")
        store.user.set({"name": "Ada", "age": 36})
        flush()
        assert runs == []


def test_every_write_of_a_leaf_reruns_the_same_readers_as_the_first():
    # After the first write down a path, later writes of a leaf over a leaf take a
    # shorter path (no diff): they must notify the same fields, and reads must see
    # the value just written, through the leaf and through the fields above it.
    with Owner():
        store = Store({"app": {"user": {"name": "Ada", "age": 36}}, "other": 1})
        name = store.app.user.name
        runs = []
        counting(runs, "name", name)
        counting(runs, "age", store.app.user.age)
        counting(runs, "user", store.app.user.get)
        counting(runs, "other", store.other)
        flush()
        for value in ["Grace", "Barbara", "Frances", "Edsger"]:
            del runs[:]
            name.set(value)
            flush()
            assert sorted(runs) == ["name", "user"]
            assert name() == value and name.get() == value
            assert store.app.user.get_untracked() == {"name": value, "age": 36}
        # readers of the fields above that arrive later hear of the next write too
        counting(runs, "app", store.app.get)
        counting(runs, "store", store.get)
        flush()
        del runs[:]
        name.set("Ada")
        flush()
        assert sorted(runs) == ["app", "name", "store", "user"]
        assert store.get_untracked() == {"app": {"user": {"name": "Ada", "age": 36}}, "other": 1}


def test_leaf_writes_in_a_batch_rerun_each_reader_once_with_the_last_value():
    with Owner():
        store = Store({"counter": {"n": 0}})
        n = store.counter.n
        seen = []
        Effect(lambda: seen.append(n()))
        Effect(lambda: seen.append(store.counter.get()["n"] * 10))
        flush()
        with batch():
            for i in range(1, 6):
                n.set(i)
                assert n() == i and n.get_untracked() == i
        flush()
        assert sorted(seen) == [0, 0, 5, 50]


def test_a_leaf_written_again_equal_reruns_nothing_but_true_after_1_reruns():
    with Owner():
        store = Store({"flags": {"on": 1}})
        on = store.flags.on
        runs = []
        counting(runs, "on", on)
        counting(runs, "flags", store.flags.get)
        flush()
        on.set(2)
        on.set(1)
        flush()
        del runs[:]
        on.set(1)
        on.update(lambda v: v)
        flush()
        assert runs == []
        on.set(True)  # True == 1, but the field went from a number to a flag
        flush()
        assert sorted(runs) == ["flags", "on"] and on() is True
        del runs[:]
        on.set(1.0)
        flush()
        assert sorted(runs) == ["flags", "on"] and type(on()) is float


def test_a_leaf_write_is_seen_through_another_path_to_the_same_dict():
    shared = {"n": 1}
    store = Store({"a": shared, "b": shared})
    a, b = store.a.n, store.b.n
    assert a() == 1 and b() == 1
    a.set(2)
    assert b() == 2
    a.set(3)
    assert b() == 3 and store.b.get()["n"] == 3


def test_a_leaf_that_gets_fields_below_it_notifies_them_when_written():
    with Owner():
        store = Store({"user": {"name": "Ada"}})
        name = store.user.name
        name.set("Grace")
        name.set("Barbara")
        name.set({"first": "Ada"})
        runs = []
        counting(runs, "first", name.first)
        flush()
        del runs[:]
        name.set({"first": "Grace"})
        flush()
        assert runs == ["first"]


def test_setting_the_same_object_changed_in_place_reruns_every_reader_under_it():
    with Owner():
        store = Store(app_state())
        runs = []
        counting(runs, "name", store.user.name)
        counting(runs, "todos", store.todos.get)
        flush()
        del runs[:]
        user = store.user.get_untracked()
        user["name"] = "Grace"  # the store cannot see this...
        store.user.set(user)  # ...until the object is set again
        flush()
        assert runs == ["name"]


def test_an_untracked_read_subscribes_to_nothing():
    with Owner():
        store = Store(app_state())
        runs = []
        counting(runs, "peek", store.user.name.get_untracked)
        flush()
        store.user.name.set("Grace")
        flush()
        assert runs == ["peek"]


def test_a_field_of_a_missing_part_raises_naming_its_path():
    store = Store(app_state())
    with raises(StaleFieldError, "store.user.nmae does not exist"):
        store.user.nmae()
    with raises(StaleFieldError, "store.todos[7] does not exist: store.todos has 3 items"):
        store.todos[7].text()


def test_setting_a_missing_dict_key_adds_it():
    store = Store({"user": {}})
    store.user.name.set("Ada")
    assert store.get_untracked() == {"user": {"name": "Ada"}}


# --- lists by position --------------------------------------------------------------
def test_a_position_reads_whatever_item_is_there_after_the_list_is_replaced():
    # the "stale field after a parent write" class: the field must read the new item
    with Owner():
        store = Store({"rows": ["a", "b"]})
        second = store.rows[1]
        seen = []
        Effect(lambda: seen.append(second()))
        flush()
        store.rows.set(["x", "y", "z"])
        flush()
        store.rows.insert(0, "w")
        flush()
        assert seen == ["b", "y", "x"]


def test_reading_a_position_past_the_end_after_clearing_raises_a_clear_error():
    store = Store({"rows": ["a", "b"]})
    second = store.rows[1]
    store.rows.clear()
    with raises(StaleFieldError, "store.rows[1] does not exist: store.rows has 0 items"):
        second()
    store.rows.append("c")
    with raises(StaleFieldError, "store.rows has 1 item"):
        second.set("d")


def test_calling_a_list_field_gives_its_items_as_fields_and_get_the_plain_list():
    store = Store({"rows": ["a", "b"]})
    rows = store.rows()
    assert rows == [store.rows[0], store.rows[1]]
    assert [r() for r in store.rows] == ["a", "b"]
    assert store.rows.get() == ["a", "b"]


def test_iterating_a_list_reruns_on_length_changes_not_on_item_changes():
    with Owner():
        store = Store({"rows": ["a", "b"]})
        runs = []
        counting(runs, "shape", store.rows)
        counting(runs, "value", store.rows.get)
        flush()
        del runs[:]
        store.rows[0].set("A")
        flush()
        assert runs == ["value"]
        del runs[:]
        store.rows.append("c")
        flush()
        assert sorted(runs) == ["shape", "value"]


def test_list_methods_write_like_the_plain_list_methods():
    store = Store({"rows": [3, 1, 2]})
    plain = [3, 1, 2]
    for name, args in [
        ("append", (4,)),
        ("extend", ([5, 6],)),
        ("insert", (1, 9)),
        ("remove", (1,)),
        ("pop", (0,)),
        ("pop", ()),
        ("sort", ()),
        ("reverse", ()),
    ]:
        assert getattr(store.rows, name)(*args) == getattr(plain, name)(*args)
        assert store.rows.get() == plain, name
    store.rows.clear()
    assert store.rows.get() == []


# --- keyed lists --------------------------------------------------------------------
def keyed_store():
    return Store(app_state(), keys={"todos": lambda todo: todo["id"]})


def test_keyed_item_fields_follow_their_item_across_reorders():
    with Owner():
        store = keyed_store()
        ship = store.todos[2]  # the item now at position 2 (key 3)
        runs = []
        counting(runs, "ship", ship.text)
        counting(runs, "order", store.todos)
        flush()
        del runs[:]
        store.todos.reverse()
        flush()
        assert runs == ["order"]  # the item did not change: its readers stay put
        assert ship.text() == "ship" and store.todos[0] is ship
        assert store.todos.at_key(3) is ship


def test_keyed_declares_the_key_on_the_field_once():
    store = Store(app_state())
    todos = store.todos.keyed(key=lambda todo: todo["id"])
    assert todos is store.todos
    assert store.todos.keyed(key=lambda todo: -1) is todos  # the first key stays
    assert [t.text() for t in store.todos] == ["write", "test", "ship"]
    assert store.todos.at_key(2).text() == "test"


def test_declaring_a_key_after_reading_by_position_is_refused():
    store = Store(app_state())
    store.todos[0].text()
    with raises(ValueError, "declare its key before reading its items"):
        store.todos.keyed(key=lambda todo: todo["id"])


def test_writing_one_item_reruns_its_readers_and_the_lists_value_readers_only():
    with Owner():
        store = keyed_store()
        runs = []
        for todo in store.todos:
            counting(runs, todo.text.get_untracked(), todo.done)
        counting(runs, "order", store.todos)
        counting(runs, "list", store.todos.get)
        flush()
        del runs[:]
        store.todos.at_key(2).done.set(True)
        flush()
        assert sorted(runs) == ["list", "test"]


def test_removing_an_item_makes_its_fields_raise_and_frees_them_at_the_next_flush():
    with Owner():
        store = keyed_store()
        done = store.todos.at_key(2).done
        seen = []
        Effect(lambda: seen.append(len(store.todos())))
        flush()
        before = graph_stats()["subscriptions"]
        done.get()  # (untracked here: no effect runs)
        store.todos.pop(1)
        with raises(StaleFieldError, "store.todos[key=2].done cannot be read: "):
            done()
        with raises(StaleFieldError, "store.todos[key=2] no longer exists: store.todos has no"):
            done()
        flush()
        with raises(StaleFieldError, "store.todos[key=2].done belonged to an item that was"):
            done.set(True)
        assert store.todos.at_key(2) is not done._parent
        assert graph_stats()["subscriptions"] <= before
        assert seen == [3, 2]


def test_a_move_written_as_pop_and_insert_in_one_batch_keeps_the_items_fields():
    with Owner():
        store = keyed_store()
        ship = store.todos.at_key(3)
        with batch():
            item = store.todos.pop()
            store.todos.insert(0, item)
        flush()
        assert store.todos.at_key(3) is ship and ship.text() == "ship"
        assert [t.text() for t in store.todos] == ["ship", "write", "test"]


def test_changing_an_items_key_retires_its_old_field():
    with Owner():
        store = keyed_store()
        old = store.todos.at_key(1)
        runs = []
        counting(runs, "order", store.todos)
        flush()
        del runs[:]
        old.id.set(10)
        flush()
        assert runs == ["order"]
        assert store.todos.at_key(10).text() == "write"
        with raises(StaleFieldError, "store.todos[key=1]"):
            old.text()


def test_duplicate_keys_are_refused_naming_the_list_and_the_key():
    store = keyed_store()
    store.todos.at_key(1)
    with raises(DuplicateKeyError, "two items of store.todos have the key 2"):
        store.todos.append({"id": 2, "text": "again", "done": False})


def test_a_key_path_leaves_out_list_positions_so_nested_lists_are_keyed_too():
    board = {"columns": [{"name": "todo", "cards": [{"id": "a"}, {"id": "b"}]}]}
    store = Store(board, keys={"columns": lambda c: c["name"], "columns.cards": lambda c: c["id"]})
    card = store.columns.at_key("todo").cards.at_key("b")
    store.columns.at_key("todo").cards.reverse()
    assert card.id() == "b" and store.columns[0].cards[0] is card


# --- patch --------------------------------------------------------------------------
def test_patch_reruns_only_the_readers_of_changed_leaves_and_keeps_the_containers():
    with Owner():
        store = keyed_store()
        state = store.get_untracked()
        runs = []
        counting(runs, "name", store.user.name)
        counting(runs, "age", store.user.age)
        for todo in store.todos:
            counting(runs, todo.text.get_untracked(), todo.done)
        counting(runs, "order", store.todos)
        flush()
        del runs[:]
        new = app_state()
        new["user"]["age"] = 40
        new["todos"].reverse()
        new["todos"][0]["done"] = False  # "ship"
        store.patch(new)
        flush()
        assert sorted(runs) == ["age", "order", "ship"]
        assert store.get_untracked() == new
        assert store.get_untracked() is state  # the same dict, written into
        del runs[:]
        store.patch(app_state() if False else new)
        flush()
        assert runs == []


def test_patching_a_keyed_list_keeps_the_objects_and_fields_of_moved_items():
    store = keyed_store()
    first = store.todos.get_untracked()[0]
    write = store.todos.at_key(1)
    new = app_state()["todos"][::-1]
    store.todos.patch(new)
    assert store.todos.get_untracked()[2] is first
    assert store.todos[2] is write


def test_patching_an_object_writes_its_changed_attributes_into_it():
    store = Store({"point": Point(1, 2)})
    point = store.point.get_untracked()
    store.point.patch(Point(1, 3))
    assert store.point.get_untracked() is point and point.y == 3


# --- with For -----------------------------------------------------------------------
def todo_list(store, runs, key):
    @component
    def Row(todo):
        runs.append("row " + todo.text.get_untracked())
        return li(span(todo.text), " ", lambda: "done" if todo.done() else "open")

    return ul(For(each=store.todos, key=key, children=lambda todo: Row(todo=todo)))


def texts(dom):
    return [n.text for n in dom.find_all("li")]


def test_for_over_a_keyed_list_field_updates_rows_in_place_and_moves_them():
    store = keyed_store()
    runs = []
    dom = MemoryDOM()
    mount_to_body(lambda: todo_list(store, runs, lambda todo: todo), renderer=dom)
    assert texts(dom) == ["write open", "test open", "ship done"]
    assert runs == ["row write", "row test", "row ship"]
    del runs[:]
    dom.reset_ops()
    store.todos.at_key(2).done.set(True)
    flush()
    assert texts(dom) == ["write open", "test done", "ship done"] and runs == []
    assert dom.ops == {"set_text": 1}
    dom.reset_ops()
    store.todos.sort(key=lambda todo: todo["text"])
    flush()
    assert texts(dom) == ["ship done", "test done", "write open"] and runs == []
    store.todos.pop(1)
    flush()
    assert texts(dom) == ["ship done", "write open"]
    store.todos.clear()
    flush()
    assert texts(dom) == []
    store.todos.append({"id": 4, "text": "rest", "done": False})
    flush()
    assert texts(dom) == ["rest open"] and runs == ["row rest"]


def test_for_keyed_on_the_items_key_value_survives_a_move_within_a_batch():
    store = keyed_store()
    runs = []
    dom = MemoryDOM()
    mount_to_body(lambda: todo_list(store, runs, lambda todo: todo.id()), renderer=dom)
    del runs[:]
    with batch():
        item = store.todos.pop(0)
        store.todos.append(item)
    flush()
    store.todos.at_key(1).done.set(True)
    flush()
    assert texts(dom) == ["test open", "ship done", "write done"] and runs == []


def test_for_over_an_unkeyed_list_survives_clearing():
    # the "index out of range after clearing" class: rows by position go first
    store = Store({"todos": app_state()["todos"]})
    dom = MemoryDOM()
    mount_to_body(lambda: todo_list(store, [], lambda todo: todo), renderer=dom)
    store.todos.clear()
    flush()
    assert texts(dom) == []


def test_disposing_the_owner_disposes_the_stores_fields():
    owner = Owner()
    with owner:
        store = keyed_store()
        name = store.user.name
        name()
        done = store.todos.at_key(1).done
    owner.dispose()
    with raises(StaleFieldError, "store.user.name belongs to a store that was disposed with"):
        name.get()
    with raises(StaleFieldError, "store.todos[key=1].done belongs to a store that was disposed"):
        done.set(True)
    with raises(StaleFieldError, "store was disposed with the owner it was made under"):
        store.user.get()


def test_a_store_disposed_with_its_owner_lets_go_of_its_fields():
    owner = Owner()
    with owner:
        store = keyed_store()
        todos = store.todos
        [todo.done() for todo in todos()]
    owner.dispose()
    assert store._children == {} and todos._keyed == {}  # (no field holds another)


def test_reads_along_a_path_stay_current_across_writes_above_and_below_it():
    store = Store(app_state())
    user, name = store.user, store.user.name
    name.set("Grace")
    assert user.get_untracked() == {"name": "Grace", "age": 36}
    user.set({"name": "Edsger", "age": 72})  # a new object above the leaf
    assert name() == "Edsger"
    name.set("Barbara")
    name.set("Frances")  # a second write down the same path
    assert user()["name"] == "Frances"
    assert store.get_untracked()["user"] is user.get_untracked()
    store.set({"user": {"name": "Ada", "age": 36}, "todos": []})  # the whole data
    assert name() == "Ada" and user()["age"] == 36
    name.set("Grace")
    assert store.get_untracked()["user"] == {"name": "Grace", "age": 36}
