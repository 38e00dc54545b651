"""Compiled and generic server rendering agree for any value: a differential test."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from . import components as c
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
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=tricky, attr=tricky, url=urls, cls=tricky, number=numbers)
def test_compiled_and_generic_rendering_give_the_same_html_for_any_value(
    text, attr, url, cls, number
):
    plain, compiled = render_both(
        lambda: c.Values(text=text, attr=attr, url=url, cls=cls, number=number)
    )
    assert c.Values.direct  # the compiled path did render it
    assert compiled == plain
