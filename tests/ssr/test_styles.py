"""Every way of writing a view compiles as well as builders imported by name, and
renders exactly what the renderer renders."""

import pytest

from lepta import render_to_string

from . import components as c
from . import styles
from .test_compile import ROWS, render_both

CASES = [
    ("alias table", lambda: styles.Table(rows=ROWS, selected_id=2)),
    (
        "module as",
        lambda: styles.Values(text="a & b", attr='"q"', url="/u", cls="c", number=1.5),
    ),
    (
        "mixed on",
        lambda: styles.Mixed(items=[{"title": "x"}, {"title": "<y>"}], flag=True, title="T"),
    ),
    ("mixed off", lambda: styles.Mixed(items=[], flag=False, title="")),
    ("signal", lambda: styles.WithSignal(n=3)),
    ("shadowed", lambda: styles.Shadowed(h="up")),
    ("object", lambda: styles.ThroughAnObject(text="t")),
]


@pytest.mark.filterwarnings("ignore:lepta. blocked")
@pytest.mark.parametrize("name,view_fn", CASES, ids=[n for n, _ in CASES])
def test_every_style_renders_exactly_what_the_renderer_renders(name, view_fn):
    plain, compiled = render_both(view_fn)
    assert compiled == plain


def test_builders_through_a_module_alias_compile_like_builders_imported_by_name():
    by_name = render_to_string(lambda: c.Table(rows=ROWS, selected_id=2))
    by_alias = render_to_string(lambda: styles.Table(rows=ROWS, selected_id=2))
    assert by_alias == by_name.replace('<div id="t">', '<table><tbody id="t">').replace(
        "</div>", "</tbody></table>"
    )
    for comp in (styles.Row, styles.Table):
        assert comp.direct, comp
    assert styles.Row.compiled.__lepta_pure__ == c.Row.compiled.__lepta_pure__ is True


def test_every_alias_style_compiles_and_stays_pure():
    render_to_string(lambda: styles.Values(text="t", attr="a", url="/", cls="c", number=1))
    render_to_string(lambda: styles.Mixed(items=[{"title": "x"}], flag=True, title="T"))
    for comp in (styles.Values, styles.Leaf, styles.Mixed):  # html., lepta.html., h.
        assert comp.direct, comp
        assert comp.compiled.__lepta_pure__, comp


def test_a_component_using_only_pure_components_is_pure():
    render_to_string(lambda: styles.Table(rows=ROWS, selected_id=2))
    assert styles.Table.compiled.__lepta_pure__


def test_what_a_name_cannot_be_proved_to_be_stays_as_written():
    assert render_to_string(lambda: styles.Shadowed(h="up")) == "<p>UP</p>"
    assert not styles.Shadowed.compiled.__lepta_pure__  # `h.upper()`: any method
    assert render_to_string(lambda: styles.ThroughAnObject(text="t")) == "<div>t</div>"
    assert not styles.ThroughAnObject.direct  # not a module: nothing to compile
    render_to_string(lambda: styles.WithSignal(n=1))
    assert styles.WithSignal.direct and not styles.WithSignal.compiled.__lepta_pure__
