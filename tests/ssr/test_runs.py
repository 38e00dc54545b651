"""Compiled runs (a view's static HTML and values appended as one string), inlined
components, f-strings and choices render exactly what the renderer renders."""

import itertools
import re

import pytest

from lepta import render_to_string
from lepta.html import b, span

from . import components as c
from . import runs
from .test_compile import render_both


class Safe:
    def __init__(self, s):
        self.s = s

    def __html__(self):
        return self.s


CHILDREN = [
    "x",
    "",
    "<&>\r\x00",
    0,
    -1.5,
    None,
    True,
    False,
    lambda: "dyn",
    lambda: 3,
    Safe("<b>s</b>"),
    ["a", 1, None],
    span("el"),
    c.PureLeaf(item={"title": "t"}),
]
ATTRIBUTES = ["x", "", '"&<>', 0, 2.5, None, True, False, lambda: "dyn", Safe("<q>"), ["a", "b"]]


@pytest.mark.parametrize(
    "v,w", list(itertools.product(CHILDREN[:8], ATTRIBUTES)) + [(v, "w") for v in CHILDREN]
)
def test_values_of_every_kind_in_every_place_render_as_the_renderer_renders_them(v, w):
    plain, compiled = render_both(lambda: runs.Kinds(v=v, w=w))
    assert compiled == plain
    assert runs.Kinds.direct


@pytest.mark.parametrize("w", ["", "w", 0, None, lambda: "d", b("el")])
@pytest.mark.parametrize("flag", [True, False])
def test_text_after_dynamic_text_is_separated_as_by_the_renderer(w, flag):
    plain, compiled = render_both(lambda: runs.AfterDynamic(v="v", w=w, flag=flag))
    assert compiled == plain


def _calls(comp):
    """The compiled functions of other components that `comp` calls."""
    return [n for n in comp.compiled.__code__.co_freevars if re.fullmatch("__lepta_f[0-9]+", n)]


def test_a_pure_component_is_written_into_the_loop_that_uses_it():
    plain, compiled = render_both(lambda: c.PureList(items=[{"title": "a"}, {"title": "<b>"}]))
    assert compiled == plain
    assert not _calls(c.PureList)  # PureLeaf's view is inlined


def test_an_inlined_component_sees_its_own_modules_names_and_its_defaults():
    plain, compiled = render_both(lambda: runs.ShadowsGlobal(LABEL="local"))
    assert compiled == plain == "<div><span>global1</span>local</div>"
    assert not _calls(runs.ShadowsGlobal)
    plain, compiled = render_both(lambda: runs.UsesDefaults(items=["a", "b"]))
    assert compiled == plain
    assert "<li><span>a!BCa!B</span></li>" in compiled
    assert "<span>x!BTx!B</span>" in compiled
    assert not _calls(runs.UsesDefaults)


def test_a_component_from_another_module_is_inlined_with_its_names():
    plain, compiled = render_both(lambda: runs.CrossModule(items=[{"title": "a"}]))
    assert compiled == plain == '<ul><li class="leaf">a</li></ul>'
    assert not _calls(runs.CrossModule)


def test_a_component_holding_a_function_is_called_not_inlined():
    plain, compiled = render_both(lambda: runs.UsesWithLambda(xs=[1, 2]))
    assert compiled == plain
    assert _calls(runs.UsesWithLambda)


@pytest.mark.filterwarnings("ignore:lepta. blocked")
def test_f_strings_and_names_bound_to_them_render_as_the_renderer_renders_them():
    rows = [
        {"n": 7, "name": 'a&"<b>', "scheme": "javascript"},
        {"n": 8, "name": "", "scheme": "https"},
    ]
    plain, compiled = render_both(lambda: runs.LinkList(rows=rows))
    assert compiled == plain
    assert "about:invalid#lepta-blocked-url" in compiled
    assert not _calls(runs.LinkList)
    plain, compiled = render_both(lambda: runs.Linked(n=1, name="<x>", scheme="javascript"))
    assert compiled == plain


@pytest.mark.parametrize("x,y", list(itertools.product([True, False], repeat=2)))
def test_an_attribute_choosing_between_constants_renders_as_the_renderer_renders_it(x, y):
    plain, compiled = render_both(lambda: runs.Choices(x=x, y=y))
    assert compiled == plain


def test_an_error_in_an_inlined_component_names_it_in_the_chain():
    from lepta import ComponentError

    with pytest.raises(ComponentError) as caught:
        render_to_string(lambda: runs.LinkList(rows=[{"n": 1, "name": "x"}]))
    assert caught.value.chain == ["LinkList"]  # the props are the caller's
    with pytest.raises(ComponentError) as caught:
        render_to_string(lambda: runs.UsesDefaults(items=[1]))  # 1 + "!"
    assert caught.value.chain == ["UsesDefaults", "Defaults"]
    assert isinstance(caught.value.error, TypeError)


def test_a_run_after_one_rendered_the_renderers_way_takes_the_usual_way_again(monkeypatch):
    from lepta.ssr import _compile

    calls = []
    render_run = _compile._HELPERS["__lepta_run"]

    def counted(*args):
        calls.append(args)
        return render_run(*args)

    # Only an element (not text, a number or None) sends a row to `render_run`.
    items = [span("el"), "a", 1, None, "<&>", b("b"), "c"]
    plain, compiled = render_both(lambda: runs.Cells(items=items))
    assert compiled == plain
    monkeypatch.setitem(_compile._HELPERS, "__lepta_run", counted)
    runs.Cells.compiled = None  # compiled again, with the counting helper
    assert render_to_string(lambda: runs.Cells(items=items)) == plain
    assert len(calls) == 2
    runs.Cells.compiled = None


@pytest.mark.parametrize("v", ["x", "<&>", 1, 2.5, None, True, span("el")])
def test_builtins_shadowed_in_the_components_module_do_not_change_the_compiled_code(v):
    from . import shadows

    plain, compiled = render_both(lambda: shadows.Shadowed(v=v))
    assert compiled == plain
    assert shadows.Shadowed.direct


SEQUENCES = [
    [1, 2, "<&>", 3, "x\r\x00", None, 4.5, True, span("el"), 5, Safe("<i>"), 6, ""],
    ["a", 1, "<", 2, False, 3, -1.5, 4, "&"],
    [0, 1, 2, 3],
]


@pytest.mark.parametrize("items", SEQUENCES)
def test_values_in_a_loop_that_turn_out_ints_then_other_kinds_render_as_the_renderer_does(items):
    plain, compiled = render_both(lambda: runs.Cells(items=items))
    assert compiled == plain
    assert runs.Cells.direct
    rows = [(v, v, items[i - 1], "t") for i, v in enumerate(items)]
    plain, compiled = render_both(lambda: runs.WideCells(rows=rows))
    assert compiled == plain
    assert runs.WideCells.direct


class Loose:
    """Equal to anything, as a truthy list (or unequal, as an empty one)."""

    def __init__(self, equal):
        self.equal = equal

    def __eq__(self, other):
        return [1] if self.equal else []


@pytest.mark.parametrize("chosen", [2, 5, Loose(True), Loose(False)])
def test_a_prop_that_chooses_the_first_attribute_of_an_inlined_component_chooses_it(chosen):
    items = [{"id": n, "name": "<%d>" % n} for n in range(4)]
    plain, compiled = render_both(lambda: runs.FlaggedList(items=items, chosen=chosen))
    assert compiled == plain
    assert not _calls(runs.FlaggedList)  # Flagged is inlined...
    names = runs.FlaggedList.compiled.__code__.co_varnames
    assert not [n for n in names if n.startswith("__lepta_k")]  # ...its prop in its choice


def test_an_error_in_a_prop_that_chooses_an_attribute_names_the_caller():
    from lepta import ComponentError

    with pytest.raises(ComponentError) as caught:
        render_to_string(lambda: runs.FlaggedList(items=[{"name": "x"}], chosen=1))
    assert caught.value.chain == ["FlaggedList"]
    assert isinstance(caught.value.error, KeyError)


@pytest.mark.parametrize("items", SEQUENCES)
def test_a_loop_after_a_name_bound_to_an_f_string_renders_as_the_renderer_does(items):
    plain, compiled = render_both(lambda: runs.LabelledCells(items=items, n=3))
    assert compiled == plain
    assert runs.LabelledCells.direct
