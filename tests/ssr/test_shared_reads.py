"""A compiled view reads an item it uses more than once only once (unless code that
could change it runs in between), and checks the values of a run for letters to
escape together or one by one: either way it renders what the renderer renders."""

import itertools

import pytest

from lepta import render_to_string
from lepta.html import span
from lepta.ssr import _emit

from . import shared
from .test_compile import render_both
from .test_runs import CHILDREN, Safe


def test_an_item_read_for_a_prop_a_cell_and_an_attribute_is_read_once():
    rows = [shared.Counting(id=i, label="l%d" % i) for i in (1, 2)]
    plain, compiled = render_both(lambda: shared.Cells(rows=rows, selected_id=2))
    assert compiled == plain
    for row in rows:
        row.reads.clear()
    render_to_string(lambda: shared.Cells(rows=rows, selected_id=2))
    assert [row.reads for row in rows] == [{"id": 1, "label": 1}] * 2


def test_a_call_that_may_change_what_was_read_makes_the_view_read_it_again():
    plain, compiled = render_both(lambda: shared.Mutating(d={"x": "a"}))
    assert compiled == plain == "<div>aa!<span>a!</span></div>"


def test_a_pure_function_between_two_reads_does_not():
    d = shared.Counting(x="a")
    plain, compiled = render_both(lambda: shared.PureBetween(d=d))
    assert compiled == plain == "<div>aa!a</div>"
    d.reads.clear()
    render_to_string(lambda: shared.PureBetween(d=d))
    assert d.reads == {"x": 1}


@pytest.mark.parametrize("flag", [True, False])
def test_a_read_first_met_in_a_branch_is_read_again_after_it(flag):
    plain, compiled = render_both(lambda: shared.Branchy(d={"x": "a", "y": "b"}, flag=flag))
    assert compiled == plain
    plain, compiled = render_both(lambda: shared.ShortCircuit(d={"x": "a"}, flag=flag))
    assert compiled == plain


def test_a_loop_body_reads_again_on_each_round_and_after_it():
    plain, compiled = render_both(lambda: shared.Loopy(d={"x": "a"}, items=[1, 2]))
    assert compiled == plain == "<div>a<span>a1</span><span>a!2</span>a!!</div>"


def test_a_view_binding_names_itself_shares_nothing():
    d = shared.Counting(x="a")
    plain, compiled = render_both(lambda: shared.Walrus(d=d))
    assert compiled == plain == "<div>aaa</div>"
    d.reads.clear()
    render_to_string(lambda: shared.Walrus(d=d))
    assert d.reads == {"x": 2}


KINDS = CHILDREN[:8] + [Safe("<b>s</b>"), span("el"), lambda: "dyn"]
ATTRS = ["x", '"&<>', 0, None, True, "javascript:alert(1)"]


@pytest.fixture(params=[1, 99], ids=["together", "one by one"])
def check_together(request, monkeypatch):
    monkeypatch.setattr(_emit, "CHECK_TOGETHER", request.param)


@pytest.mark.filterwarnings("ignore:lepta. blocked")
@pytest.mark.parametrize("v,w", list(itertools.product(KINDS, ATTRS)))
def test_many_values_in_a_run_render_as_the_renderer_renders_them(check_together, v, w):
    for values in ([v, "b", 2, "d&"], ["a", v, "<c>", 4], ["a", 1, v, "d"], [0, "b", "c", v]):
        a1, a2, a3, a4 = values
        plain, compiled = render_both(
            lambda: shared.Many(a1=a1, a2=a2, a3=a3, a4=a4, w=w)  # noqa: B023
        )
        assert compiled == plain
    assert shared.Many.direct


@pytest.mark.parametrize("items", [[], [1], ["", "x", 0], [None, 2]])
@pytest.mark.parametrize("flag", [True, False])
def test_the_text_state_after_loops_and_branches_is_the_renderers(items, flag):
    plain, compiled = render_both(lambda: shared.Rounds(items=items, flag=flag))
    assert compiled == plain


@pytest.mark.filterwarnings("ignore:lepta. blocked")
@pytest.mark.parametrize("v", KINDS + ['a"b', "<&>", 2.5])
def test_values_of_one_source_checked_once_render_as_the_renderer_renders_them(v):
    for w in (v, "plain", 'q"q'):
        plain, compiled = render_both(lambda: shared.SameSource(d={"x": v}, name=w))  # noqa: B023
        assert compiled == plain
    assert shared.SameSource.direct


def test_a_read_escaped_in_place_after_its_last_use_renders_as_the_renderer_renders_it():
    rows = [{"label": "<b>"}, {"label": "a&b"}, {"label": 3}, {"label": None}]
    plain, compiled = render_both(lambda: shared.EscapedRows(rows=rows))
    assert compiled == plain
    assert '<tr class="on"><td>&lt;b&gt;</td></tr>' in compiled


def test_a_name_the_view_binds_again_is_checked_at_each_use():
    plain, compiled = render_both(lambda: shared.Rebinds(x="a", y="<b>"))
    assert compiled == plain
    assert "&lt;b&gt;" in compiled
