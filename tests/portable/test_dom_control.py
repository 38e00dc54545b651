"""Control flow in the DOM: Show, Dynamic, For, Portal, ErrorBoundary, Provider."""

from lepta import component, flush, signal
from lepta.dom import mount_to_body
from lepta.html import div, li, p, span, ul
from lepta.reactive import Effect, Selector, graph_stats, on_cleanup, use_context
from lepta.testing import MemoryDOM
from lepta.view import Dynamic, ErrorBoundary, For, ForEnumerate, Portal, Provider, Show


def mounted(view_fn):
    dom = MemoryDOM()
    handle = mount_to_body(view_fn, renderer=dom)
    return dom, handle


def test_show_builds_children_only_when_shown_and_disposes_them_when_hidden():
    shown, set_shown = signal(False)
    runs = []

    @component
    def Panel():
        runs.append("built")
        on_cleanup(lambda: runs.append("disposed"))
        return p("panel")

    dom, _ = mounted(lambda: div(Show(Panel(), when=shown, fallback=span("hidden"))))
    assert runs == [] and dom.find("span").text == "hidden"
    set_shown(True)
    flush()
    assert runs == ["built"] and dom.find("p").text == "panel"
    set_shown(True)
    flush()
    assert runs == ["built"]  # still shown: not rebuilt
    set_shown(False)
    flush()
    assert runs == ["built", "disposed"] and dom.find("p") is None


def test_toggling_show_a_thousand_times_leaks_no_effects_or_subscriptions():
    shown, set_shown = signal(True)
    count = signal(0)[0]
    _, handle = mounted(lambda: div(Show(p(lambda: count()), when=shown)))
    flush()
    baseline = graph_stats()
    for i in range(1000):
        set_shown(i % 2 == 0)
        flush()
    set_shown(True)
    flush()
    assert graph_stats() == baseline
    handle.unmount()


def test_dynamic_rebuilds_when_what_it_reads_changes():
    which, set_which = signal("a")
    dom, _ = mounted(lambda: div(Dynamic(view=lambda: p("A") if which() == "a" else span("B"))))
    assert dom.find("p").text == "A"
    set_which("b")
    flush()
    assert dom.find("p") is None and dom.find("span").text == "B"


def rows_view(items):
    return ul(For(each=items, key=lambda x: x, children=lambda x: li(x)))


def li_texts(dom):
    return [el.text for el in dom.find_all("li")]


def test_for_appending_inserts_only_the_new_rows():
    items, set_items = signal(list(range(1000)))
    dom, _ = mounted(lambda: rows_view(items))
    first = dom.find_all("li")
    dom.reset_ops()
    set_items(list(range(2000)))
    flush()
    assert dom.ops == {"create_element": 1000, "create_text": 1000, "insert": 2000}
    assert dom.find_all("li")[:1000] == first  # the same nodes, untouched


def test_new_rows_are_made_in_the_lists_order_wherever_they_go():
    items, set_items = signal([10, 11])
    made = []

    def row(n):
        made.append(n)
        return li(str(n))

    dom, _ = mounted(lambda: ul(For(each=items, key=lambda n: n, children=row)))
    steps = (  # appended, prepended, all replaced
        ([10, 11, 12, 13], [12, 13]),
        ([0, 1, 10, 11, 12, 13], [0, 1]),
        ([20, 21, 22], [20, 21, 22]),
    )
    for new, fresh in steps:
        made.clear()
        set_items(new)
        flush()
        assert [li.text for li in dom.find_all("li")] == [str(n) for n in new]
        assert made == fresh


def test_for_swapping_two_rows_moves_at_most_two_nodes():
    order = list(range(1000))
    items, set_items = signal(order)
    dom, _ = mounted(lambda: rows_view(items))
    swapped = order[:]
    swapped[1], swapped[998] = swapped[998], swapped[1]
    dom.reset_ops()
    set_items(swapped)
    flush()
    assert dom.ops.get("insert", 0) <= 2 and set(dom.ops) <= {"insert"}
    assert li_texts(dom) == [str(x) for x in swapped]


def test_for_removing_one_row_removes_one_node_and_reversing_moves_at_most_n():
    items, set_items = signal(list(range(1000)))
    dom, _ = mounted(lambda: rows_view(items))
    dom.reset_ops()
    set_items([x for x in range(1000) if x != 500])
    flush()
    assert dom.ops == {"remove": 1}
    reverse = list(reversed([x for x in range(1000) if x != 500]))
    dom.reset_ops()
    set_items(reverse)
    flush()
    assert set(dom.ops) <= {"insert"} and dom.ops["insert"] <= 999
    assert li_texts(dom) == [str(x) for x in reverse]


class Item:
    """A row's data, compared by identity (no __eq__)."""

    def __init__(self, n):
        self.n = n


def test_rows_whose_items_stay_the_same_objects_are_not_asked_for_their_keys():
    asked = []

    def key(item):
        asked.append(item.n)
        return item.n

    order = [Item(n) for n in range(1000)]
    items, set_items = signal(order)
    dom, _ = mounted(lambda: ul(For(each=items, key=key, children=lambda x: li(x.n))))
    asked.clear()
    swapped = order[:]
    swapped[1], swapped[998] = swapped[998], swapped[1]
    set_items(swapped)
    flush()
    assert asked == []  # the same objects, in other places: no key asked
    assert li_texts(dom) == [str(x.n) for x in swapped]
    fewer = swapped[:4] + swapped[5:]
    set_items(fewer)
    flush()
    assert asked == []
    more = fewer + [Item(n) for n in range(1000, 1003)]
    set_items(more)
    flush()
    assert asked == [1000, 1001, 1002]  # only the new items' keys
    assert li_texts(dom) == [str(x.n) for x in more]


def test_a_new_object_with_a_kept_key_keeps_its_row():
    made = []

    def row(item):
        made.append(item.n)
        return li(item.n)

    items, set_items = signal([Item(1), Item(2), Item(3)])
    dom, _ = mounted(lambda: ul(For(each=items, key=lambda x: x.n, children=row)))
    made.clear()
    set_items([Item(1), Item(2), Item(3), Item(4)])  # new objects, the same keys first
    flush()
    assert made == [4] and li_texts(dom) == ["1", "2", "3", "4"]


class Unequal:
    """An item whose == cannot answer (as an array's)."""

    def __init__(self, n):
        self.n = n

    def __eq__(self, other):
        raise TypeError("no truth value")


def test_items_whose_comparison_raises_are_matched_by_their_keys():
    first = [Unequal(n) for n in range(5)]
    items, set_items = signal(first)
    dom, _ = mounted(lambda: ul(For(each=items, key=lambda x: x.n, children=lambda x: li(x.n))))
    nodes = dom.find_all("li")
    again = [Unequal(n) for n in (0, 1, 3, 4, 5)]  # new objects: one gone, one new
    dom.reset_ops()
    set_items(again)
    flush()
    assert li_texts(dom) == ["0", "1", "3", "4", "5"]
    kept = dom.find_all("li")
    assert kept[:2] == nodes[:2] and kept[2:4] == nodes[3:5]  # the same rows, not rebuilt


def refusal(set_items, items):
    """The message of the error that setting the list to `items` raises ("" if none)."""
    set_items(items)
    try:
        flush()
    except ValueError as exc:
        return str(exc)
    return ""


def test_items_compared_by_their_keys_that_repeat_one_leave_their_rows_as_they_were():
    first = [Unequal(n) for n in range(6)]
    items, set_items = signal(first)
    dom, _ = mounted(lambda: ul(For(each=items, key=lambda x: x.n, children=lambda x: li(x.n))))
    nodes = dom.find_all("li")
    # the end rows trade places (found by their keys), and a key repeats in between
    refused = refusal(set_items, [Unequal(n) for n in (5, 1, 1, 3, 4, 0)])
    assert "appears twice" in refused
    assert li_texts(dom) == ["0", "1", "2", "3", "4", "5"] and dom.find_all("li") == nodes
    set_items([Unequal(n) for n in (5, 1, 2, 3, 4, 0)])
    flush()
    assert li_texts(dom) == ["5", "1", "2", "3", "4", "0"]
    assert dom.find_all("li") == [nodes[5]] + nodes[1:5] + [nodes[0]]  # moved, not rebuilt


def test_a_list_changed_in_place_shows_its_change():
    items, set_items = signal([Item(1), Item(2)])
    dom, _ = mounted(lambda: ul(For(each=items, key=lambda x: x.n, children=lambda x: li(x.n))))
    set_items.mutate(lambda rows: rows.append(Item(3)))
    flush()
    set_items.mutate(lambda rows: rows.pop(0))
    flush()
    assert li_texts(dom) == ["2", "3"]


def test_a_list_repeating_a_key_is_refused_and_its_rows_stay_as_they_were():
    items, set_items = signal([1, 2, 3, 4])
    dom, _ = mounted(lambda: rows_view(items))
    # a kept key repeated at the end, a repeat behind two rows that traded places,
    # and two new rows with one key
    for bad in ([1, 2, 3, 4, 2], [4, 2, 3, 1, 1], [1, 5, 5, 4]):
        dom.reset_ops()
        assert "appears twice" in refusal(set_items, bad)
        assert dom.ops == {} and li_texts(dom) == ["1", "2", "3", "4"]
    set_items([4, 2, 3, 1])
    flush()
    assert li_texts(dom) == ["4", "2", "3", "1"]


def test_a_repeated_key_is_refused_whatever_the_keys_type():
    # (integer keys and others are checked in two ways: both must find a repeat
    # among the new keys, and between a new key and one kept before or after them)
    # (and more than a few new integer keys in a third way: `more` adds ten)
    for keys in ([1, 2, 3, 4], ["a", "b", "c", "d"], [1, "b", 3.5, 7]):
        items, set_items = signal(keys)
        dom, _ = mounted(lambda items=items: rows_view(items))
        new = "new" if type(keys[0]) is str else 99
        more = list(range(100, 110))
        for bad in (
            keys + [new, new],  # appended twice
            keys + [keys[0]],  # appended, kept at the start
            [keys[3]] + keys,  # put first, kept at the end
            keys[:2] + [new, keys[0]] + keys[2:],  # in the middle
            keys + [new, "x", keys[1]],  # the first new one an integer, a repeat later
            keys + more + [100],  # many new ones, one twice
            keys + more + [keys[0]],  # many new ones, one kept at the start
            more + [keys[3]] + keys,  # many new ones first, one kept at the end
            keys[:2] + more + [keys[2]] + keys[2:],  # many in the middle, one kept after
        ):
            dom.reset_ops()
            assert "appears twice" in refusal(set_items, bad), bad
            assert dom.ops == {} and li_texts(dom) == [str(k) for k in keys]
        set_items(keys + [new])
        flush()
        assert li_texts(dom) == [str(k) for k in keys + [new]]


def test_rows_kept_across_a_reorder_and_a_partial_replace_are_the_same_rows_whatever_the_keys():
    # (integer keys and others are matched in two ways)
    for keys, added in (([10, 20, 30, 40, 50], [60, 70]), (["a", "b", "c", "d", "e"], ["f", "g"])):
        items, set_items = signal(keys)
        dom, _ = mounted(lambda items=items: rows_view(items))
        before = dom.find_all("li")
        new = [keys[4], keys[1], added[0], keys[3], added[1]]  # two new, three kept
        set_items(new)
        flush()
        assert li_texts(dom) == [str(k) for k in new]
        after = dom.find_all("li")
        assert after[0] is before[4] and after[1] is before[1] and after[3] is before[3]
        for fresh in (after[2], after[4]):
            assert all(fresh is not old for old in before)


def test_for_replacing_every_key_clears_in_one_operation_and_never_moves():
    items, set_items = signal(list(range(100)))
    dom, _ = mounted(lambda: rows_view(items))
    dom.reset_ops()
    set_items(list(range(100, 200)))
    flush()
    assert dom.ops["clear"] == 1
    assert dom.ops["remove"] == 1  # the anchor, set apart during the clear
    assert dom.ops["insert"] == 100 * 2 + 1  # 100 rows, their texts, the anchor back
    assert li_texts(dom) == [str(x) for x in range(100, 200)]


def test_a_list_with_neighbours_in_its_parent_clears_row_by_row_and_keeps_them():
    items, set_items = signal([1, 2, 3])
    dom, _ = mounted(
        lambda: ul(li("before"), For(each=items, key=lambda x: x, children=lambda x: li(x)),
                   li("after"))
    )
    for fill in ([], [4, 5], [6]):  # every key changes each time
        dom.reset_ops()
        set_items(fill)
        flush()
        assert "clear" not in dom.ops
        assert li_texts(dom) == ["before"] + [str(x) for x in fill] + ["after"]


def test_adding_and_removing_a_thousand_rows_leaks_nothing():
    items, set_items = signal([])
    cleanups = []

    def row(x):
        count = signal(x)[0]
        Effect(lambda: count())
        on_cleanup(lambda: cleanups.append(x))
        return li(count)

    dom, handle = mounted(lambda: ul(For(each=items, key=lambda x: x, children=row)))
    flush()
    baseline = graph_stats()
    set_items(list(range(1000)))
    flush()
    assert len(dom.find_all("li")) == 1000
    assert graph_stats()["effects"] >= baseline["effects"] + 1000
    set_items([])
    flush()
    assert dom.find_all("li") == [] and len(cleanups) == 1000
    assert graph_stats() == baseline
    handle.unmount()


def test_for_enumerate_gives_each_row_its_index_as_a_signal():
    items, set_items = signal(["a", "b", "c"])
    dom, _ = mounted(
        lambda: ul(ForEnumerate(each=items, key=lambda x: x, children=lambda i, x: li(i, ":", x)))
    )
    assert li_texts(dom) == ["0:a", "1:b", "2:c"]
    set_items(["c", "a"])
    flush()
    assert li_texts(dom) == ["0:c", "1:a"]


class Lcg:
    """A small seeded generator (MicroPython's random has no Random class)."""

    def __init__(self, seed):
        self.state = seed

    def below(self, n):
        self.state = (self.state * 1103515245 + 12345) % 2147483648
        return self.state % n

    def shuffle(self, xs):
        for i in range(len(xs) - 1, 0, -1):
            j = self.below(i + 1)
            xs[i], xs[j] = xs[j], xs[i]


def test_random_list_edits_give_the_same_dom_as_a_fresh_render():
    rng = Lcg(7)
    items, set_items = signal([])
    dom, _ = mounted(lambda: rows_view(items))
    current = []
    for _ in range(200):
        pool = list(range(60))
        rng.shuffle(pool)
        current = pool[: rng.below(40)]
        set_items(current)
        flush()
        fresh = MemoryDOM()
        mount_to_body(lambda current=current: rows_view(current), renderer=fresh)
        assert dom.body.to_html() == fresh.body.to_html()


def test_a_selector_makes_selecting_one_row_of_a_thousand_touch_two_rows():
    selected, set_selected = signal(None)
    is_selected = Selector(selected)
    dom, _ = mounted(
        lambda: ul(
            For(
                each=list(range(1000)),
                key=lambda x: x,
                children=lambda x: li(x, class_={"danger": lambda: is_selected.selected(x)}),
            )
        )
    )
    set_selected(3)
    flush()
    dom.reset_ops()
    set_selected(700)
    flush()
    assert dom.ops == {"toggle_class": 2}
    assert [el.text for el in dom.find_all("li", class_="danger")] == ["700"]


def test_a_portal_renders_its_children_elsewhere_and_removes_them_on_unmount():
    dom = MemoryDOM()
    target = dom.create_element("aside")
    dom.insert_before(dom.body, target, None)
    handle = mount_to_body(lambda: div(Portal(p("floating"), mount=target), "here"), renderer=dom)
    assert target.children[0].text == "floating"
    assert dom.find("div").text == "here"
    handle.unmount()
    assert target.children == []


def test_an_error_boundary_shows_its_fallback_while_children_fail_and_recovers():
    value, set_value = signal(1)

    def risky():
        if value() < 0:
            raise ValueError("negative: %d" % value())
        return "ok %d" % value()

    dom, _ = mounted(
        lambda: div(
            ErrorBoundary(p(risky), fallback=lambda errors: span("error: ", str(errors[0])))
        )
    )
    assert dom.find("p").text == "ok 1"
    set_value(-5)
    flush()
    assert dom.find("span").text == "error: negative: -5" and dom.find("p") is None
    set_value(2)
    flush()
    assert dom.find("p").text == "ok 2" and dom.find("span") is None


def test_an_error_while_building_children_shows_the_fallback():
    @component
    def Broken():
        raise RuntimeError("cannot build")

    dom, _ = mounted(
        lambda: div(ErrorBoundary(Broken(), fallback=lambda errors: span(str(errors[0]))))
    )
    assert dom.find("span").text == "cannot build"


def test_provider_gives_context_to_its_children():
    class Theme:
        def __init__(self, name):
            self.name = name

    @component
    def Label():
        return span(use_context(Theme).name)

    dom, _ = mounted(lambda: div(Provider(Label(), value=Theme("dark"))))
    assert dom.find("span").text == "dark"


def test_rows_that_make_nothing_to_dispose_keep_no_owner_and_the_others_do():
    from lepta import Owner

    items, set_items = signal([1, 2, 3])
    label, _ = signal("x")
    cleaned = []

    def row(x):
        if x == 2:  # a row with a render effect (its label) and a cleanup
            on_cleanup(lambda: cleaned.append(x))
            return li(label)
        return li(str(x))  # static: nothing to dispose

    root = Owner()
    with root:
        view = lambda: ul(For(each=items, key=lambda x: x, children=row))  # noqa: E731
        mount_to_body(view, renderer=MemoryDOM())
    owners = [o for o in _owned_below(root) if type(o) is Owner]
    assert len(owners) == 2  # the mounted view's, and row 2's (no row 1 or 3 owner)
    set_items([1, 3])
    flush()
    assert cleaned == [2]


def _owned_below(scope):
    found = []
    for child in scope._owned or ():
        found.append(child)
        found.extend(_owned_below(child))
    return found
