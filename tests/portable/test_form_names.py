"""Form fields as nested arguments, and back (server functions' form encoding)."""

from _support import raises

from lepta.server_fn import ServerFunction
from lepta.server_fn._form import FormError, flatten, nest, to_query


def test_bracketed_names_nest_and_repeated_names_make_lists():
    assert nest([("title", "Milk")]) == {"title": "Milk"}
    assert nest([("todo[title]", "Milk"), ("todo[done]", "on")]) == {
        "todo": {"title": "Milk", "done": "on"}
    }
    assert nest([("tags[]", "a"), ("tags[]", "b")]) == {"tags": ["a", "b"]}
    assert nest([("tags", "a"), ("tags", "b")]) == {"tags": ["a", "b"]}
    assert nest([("tags[]", "only")]) == {"tags": ["only"]}


def test_indexed_groups_become_lists_in_index_order():
    pairs = [("items[1][n]", "2"), ("items[0][n]", "1"), ("items[10][n]", "11")]
    assert nest(pairs) == {"items": [{"n": "1"}, {"n": "2"}, {"n": "11"}]}


def test_contradicting_names_are_an_error():
    with raises(FormError):
        nest([("a", "1"), ("a[b]", "2")])
    with raises(FormError):
        nest([("a[]x", "1"), ("a[][b]", "2")])


def test_flattened_data_nests_back_to_strings_of_the_same_shape():
    data = {"todo": {"title": "x y", "tags": ["a", "b"]}, "n": 3, "ok": True, "none": None}
    expected = {"todo": {"title": "x y", "tags": ["a", "b"]}, "n": "3", "ok": "true"}
    assert nest(flatten(data)) == expected
    assert to_query({"q": "é&="}) == "q=%C3%A9%26%3D"


def test_a_stub_binds_positional_and_named_arguments_by_parameter_name():
    stub = ServerFunction.remote("m.f", "/_lepta/fn/m.f", "POST", ("a", "b"), False)
    assert stub.bind((1,), {"b": 2}) == {"a": 1, "b": 2}
    with raises(TypeError):
        stub.bind((1, 2, 3), {})
    with raises(TypeError):
        stub.bind((1,), {"a": 2})
    with raises(TypeError):
        stub.bind((), {"c": 2})
