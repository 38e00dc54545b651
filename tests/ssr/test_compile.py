"""The compiled server path renders exactly what the generic renderer renders."""

import pytest

from lepta import component, render_to_string
from lepta.html import p
from lepta.ssr import _compile
from lepta.view import Component

from . import components as c
from . import runs, shadows, shared, styles

ROWS = [
    {"id": 1, "label": "first & <best>", "url": "/one"},
    {"id": 2, "label": 'say "hi"', "url": "javascript:alert(1)"},
    {"id": 3, "label": "plain", "url": "https://example.com/?a=1&b=2"},
]

CASES = [
    ("table", lambda: c.Table(rows=ROWS, selected_id=2)),
    ("mixed on", lambda: c.Mixed(items=[1, 2, 3], flag=True, count=7)),
    ("mixed off", lambda: c.Mixed(items=[], flag=False, count=0)),
    ("dynamic url", lambda: c.Urls(href=" jAvAsCrIpT:alert(1)")),
    ("safe url", lambda: c.Urls(href="/fine")),
    ("children", c.UsesChildren),
    ("branch many", lambda: c.Branches(n=3)),
    ("branch one", lambda: c.Branches(n=1)),
    ("splat", lambda: c.Splat(id="s", title="t")),
    ("recursive", lambda: c.Recursive(depth=3)),
    ("text joins", lambda: c.TextJoins(items=["a", "b"], flag=True, value=1)),
    ("text joins off", lambda: c.TextJoins(items=["a"], flag=False, value=2)),
    ("text joins empty", lambda: c.TextJoins(items=[], flag=False, value=3)),
    ("helpers", lambda: c.UsesHelpers(items=ROWS, first="first <")),
    ("helpers given attributes", lambda: c.UsesHelpers(items=ROWS, first={"class": "x"})),
    (
        "recursive by name",
        lambda: c.Tree(node={"name": "a", "kids": [{"name": "b", "kids": []}]}),
    ),
]

COMPONENTS = [
    c.Row,
    c.Table,
    c.Mixed,
    c.Urls,
    c.WithChildren,
    c.UsesChildren,
    c.Branches,
    c.TextJoins,
]


def reset_all():
    for module in (c, styles, runs, shared, shadows):
        for value in vars(module).values():
            if isinstance(value, Component):
                value.compiled = None


def render_both(view_fn):
    reset_all()
    _compile.enabled = False
    try:
        plain = render_to_string(view_fn)
    finally:
        _compile.enabled = True
        reset_all()
    compiled = render_to_string(view_fn)
    return plain, compiled


@pytest.mark.filterwarnings("ignore:lepta. blocked")
@pytest.mark.parametrize("name,view_fn", CASES, ids=[n for n, _ in CASES])
def test_compiled_components_render_exactly_what_the_renderer_renders(name, view_fn):
    plain, compiled = render_both(view_fn)
    assert compiled == plain


@pytest.mark.filterwarnings("ignore:lepta. blocked")
def test_components_written_with_builders_compile_and_render_in_place():
    for _, view_fn in CASES:
        render_to_string(view_fn)
    for comp in COMPONENTS:
        assert comp.direct, comp


def test_what_cannot_be_compiled_runs_as_written():
    assert render_to_string(lambda: c.Splat(id="s")) == '<div id="s">splat</div>'
    assert not c.Splat.direct  # its only builder call has **attrs: left as written
    closure = c.make_closure_component("x")
    assert render_to_string(closure) == "<p>closure x</p>"
    assert not closure.direct  # closes over `suffix`: left as written


def test_plain_functions_a_component_calls_are_compiled_for_it():
    _compile.view_functions.clear()
    reset_all()
    html = render_to_string(lambda: c.UsesHelpers(items=ROWS[:1], first="one"))
    assert html == (
        '<div><ul class="items"><li id="item-1"><span class="title">first &amp; &lt;best&gt;'
        '</span></li><!></ul><p>onetail</p><span>FIRST &amp; &lt;BEST&gt;</span></div>'
    )
    assert c.UsesHelpers.direct
    assert _compile.view_functions[c.item_rows] is not None
    assert _compile.view_functions[c.paragraph] is not None
    assert _compile.view_functions[c.label_of] is None  # no builder call in it
    assert c.item_rows(ROWS).tag == "ul"  # called elsewhere, it is as written


def test_a_plain_function_given_attributes_where_text_was_expected_runs_as_written():
    _compile.view_functions.clear()
    reset_all()
    assert render_to_string(lambda: c.UsesHelpers(items=ROWS[:1], first="one")).count("<p>")
    html = render_to_string(lambda: c.UsesHelpers(items=ROWS[:1], first={"class": "x"}))
    assert '<p class="x">tail</p>' in html
    assert _compile.view_functions[c.paragraph] is None  # from now on, as written
    assert _compile.view_functions[c.item_rows] is not None  # compiled again


def test_forgetting_compiled_forms_drops_them_all_and_they_compile_again():
    html = render_to_string(lambda: c.UsesHelpers(items=ROWS[:1], first="one"))
    assert c.item_rows in _compile.view_functions and c.UsesHelpers.compiled is not None
    _compile.forget_compiled()  # as the development server does before a reload
    assert not _compile.view_functions and not _compile.compiled_components
    assert c.UsesHelpers.compiled is None
    assert render_to_string(lambda: c.UsesHelpers(items=ROWS[:1], first="one")) == html
    assert _compile.view_functions[c.item_rows] is not None and c.UsesHelpers.direct


def test_a_compiled_component_keeps_its_defaults_and_docstring():
    render_to_string(lambda: c.Row(row=ROWS[0]))
    assert c.Row.compiled.__defaults__ == (False,)


def test_an_error_in_a_component_run_without_an_owner_still_names_the_chain():
    from lepta import ComponentError

    assert render_to_string(lambda: c.PureList(items=[{"title": "a"}])) == (
        '<ul><li class="leaf">a</li></ul>'
    )
    assert c.PureLeaf.compiled.__lepta_pure__
    with pytest.raises(ComponentError) as caught:
        render_to_string(lambda: c.PureList(items=[{"title": "a"}, {}]))
    assert caught.value.chain == ["PureList", "PureLeaf"]
    assert isinstance(caught.value.error, KeyError)


def test_a_component_that_calls_unknown_code_keeps_its_owner():
    render_to_string(lambda: c.Mixed(items=[1], flag=True, count=1))
    assert not c.Mixed.compiled.__lepta_pure__  # it creates a signal


def test_context_provided_by_one_component_never_reaches_others_or_later_renders():
    for _ in range(2):  # the second time, owners come from the pool
        assert render_to_string(c.ContextApp) == (
            "<div><div><span>dark</span></div><span>none</span></div>"
        )
    assert render_to_string(c.JustReader) == "<div><span>none</span></div>"


def test_a_component_run_without_an_owner_is_still_named_in_the_chain():
    from lepta import ComponentError

    with pytest.raises(ComponentError) as caught:
        render_to_string(c.WrapsBoom)
    assert caught.value.chain == ["WrapsBoom", "Wrap", "Boom"]


def test_only_bind_value_and_bind_checked_are_special():
    plain, compiled = render_both(lambda: c.OddAttributes(value="v"))
    assert compiled == plain == '<div bind-foo="1" data-x="v"></div>'


def test_a_first_argument_that_is_a_dict_at_run_time_gives_attributes_as_in_the_renderer():
    plain, compiled = render_both(lambda: c.DictFirst(extra="plain", label="L"))
    assert compiled == plain
    assert c.DictFirst.direct
    # A dict there: the render starts again with the component as written.
    plain, compiled = render_both(lambda: c.DictFirst(extra={"title": "t"}, label="L"))
    assert compiled == plain and '<p title="t">text</p>' in compiled
    assert not c.DictFirst.direct
    plain, compiled = render_both(c.AttrsVariable)
    assert compiled == plain == '<div><div id="x" data-role="main">hi</div></div>'


def test_calling_a_pure_module_function_keeps_a_component_pure():
    assert render_to_string(lambda: c.UsesPureHelper(n=2)) == "<p>2 items</p>"
    assert c.UsesPureHelper.compiled.__lepta_pure__
    assert render_to_string(lambda: c.UsesSignalHelper(n=2)) == "<p>2</p>"
    assert not c.UsesSignalHelper.compiled.__lepta_pure__


def test_a_pure_child_returning_a_list_or_none_renders_it_in_a_compiled_parent():
    for items, flag in (([1, 2], True), ([], False)):
        plain, compiled = render_both(lambda i=items, f=flag: c.PageOfPureParts(items=i, flag=f))
        assert compiled == plain
    assert "<li>1</li><li>2</li>" in render_to_string(
        lambda: c.PageOfPureParts(items=[1, 2], flag=True)
    )


def test_a_dict_met_in_a_child_of_a_compiled_parent_falls_back_and_finishes():
    plain, compiled = render_both(lambda: c.ParentOfDict(attrs={"id": "q"}))
    assert compiled == plain == '<section><div id="q">L</div></section>'
    assert render_to_string(lambda: c.ParentOfDict(attrs="text")) == (
        "<section><div>textL</div></section>"
    )


def test_a_return_inside_try_is_not_rendered_in_place():
    plain, compiled = render_both(lambda: c.Guarded(data={"a": 1}))
    assert compiled == plain == "<div>missing</div>"


def test_a_method_can_be_a_component_and_runs_as_written():
    from lepta import component

    widget = c.Widget("lbl")
    comp = component(widget.render)
    assert render_to_string(comp) == "<div>lbl</div>"


@component
def ParsedAgain(name):
    return p("Hello ", name)


def test_a_component_is_compiled_when_the_parser_faults_once(parser_faulting_once):
    # (a finalizer run by the garbage collector may parse inside a component's parse)
    assert render_to_string(lambda: ParsedAgain(name="Ada")) == "<p>Hello Ada</p>"
    assert parser_faulting_once and ParsedAgain.direct  # compiled, not rendered as written
