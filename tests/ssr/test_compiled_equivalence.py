"""Compiled and generic server rendering, and the DOM built or hydrated in the
browser, agree for any value: differential tests."""

import pytest
from _html import structure
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lepta.dom import hydrate_body, mount_to_body
from lepta.testing import MemoryDOM, strict_hydration

from . import components as c
from . import styles
from .test_compile import render_both

# Text with what escaping must get right: markup and entity characters, quotes, CR
# and other controls, NUL, non-BMP characters, and URL schemes that must be blocked.
pieces = st.one_of(
    st.sampled_from(list("&<>\"'=/;:\r\n\t\x00\x01\x7f \U0001F600") + ["&amp;", "&#13;"]),
    st.characters(),
)
tricky = st.lists(pieces, max_size=12).map("".join)
urls = st.one_of(
    tricky,
    st.builds(
        lambda scheme, rest: scheme + rest,
        st.sampled_from(
            ["javascript:", " JaVaScRiPt:", "java\tscript:", "data:text/html,", "/", "https://x/?a="]
        ),
        tricky,
    ),
)


numbers = st.integers() | st.floats(allow_nan=False)


@pytest.mark.filterwarnings("ignore:lepta. blocked")
@pytest.mark.parametrize("values", [c.Values, styles.Values], ids=["by name", "module alias"])
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=tricky, attr=tricky, url=urls, cls=tricky, number=numbers)
def test_compiled_and_generic_rendering_give_the_same_html_for_any_value(
    values, text, attr, url, cls, number
):
    plain, compiled = render_both(
        lambda: values(text=text, attr=attr, url=url, cls=cls, number=number)
    )
    assert values.direct  # the compiled path did render it
    assert compiled == plain


@pytest.mark.filterwarnings("ignore:lepta. blocked")
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=tricky, attr=tricky, url=urls, cls=tricky, number=numbers)
def test_the_dom_built_in_the_browser_reads_as_the_servers_html_for_any_value(
    text, attr, url, cls, number
):
    def view():
        return c.Values(text=text, attr=attr, url=url, cls=cls, number=number)

    _, compiled = render_both(view)
    dom = MemoryDOM()
    mount_to_body(view, renderer=dom)
    assert structure(dom.body.inner_html()) == structure(compiled)
    hydrated = MemoryDOM()
    hydrated.load_body(compiled)
    hydrated.reset_ops()
    with strict_hydration():
        hydrate_body(view, renderer=hydrated)
    assert not [kind for kind in hydrated.ops if kind.startswith("create")]
