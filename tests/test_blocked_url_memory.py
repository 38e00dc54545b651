"""Blocked URLs are reported a few at a time and never kept; caches stay bounded."""

import logging
import tracemalloc

import pytest

from lepta import render_to_string
from lepta.html import a, div
from lepta.ssr import BLOCKED_URL
from lepta.view import _attrs, _escape


class Clock:
    """A clock the test moves by hand, standing for _escape's."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(_escape, "_now", fake)
    monkeypatch.setattr(_escape, "_window_start", -1e9)  # a fresh window at the first report
    monkeypatch.setattr(_escape, "_reported", 0)
    monkeypatch.setattr(_escape, "_suppressed", 0)
    monkeypatch.delenv("LEPTA_ENV", raising=False)
    return fake


def links(start, count):
    return div([a("x", href="javascript:alert(%d)" % i) for i in range(start, start + count)])


def render_links(start, count):
    html = render_to_string(lambda: links(start, count))
    assert html.count(BLOCKED_URL) == count
    return html


def test_ten_thousand_distinct_blocked_urls_do_not_grow_memory(clock):
    tracemalloc.start()
    try:
        for start in range(0, 1000, 100):
            render_links(start, 100)
        before = tracemalloc.get_traced_memory()[0]
        for start in range(1000, 10000, 100):
            render_links(start, 100)
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    # Keeping one message per URL took ~0.38 KB each: 9,000 more would be ~3.4 MB.
    assert grown < 9000 * 20, "memory grew by %d bytes over 9,000 blocked URLs" % grown


def test_blocked_urls_are_reported_a_few_per_window_then_counted(clock, caplog):
    caplog.set_level(logging.WARNING, logger="lepta")
    render_links(0, 100)
    reports = [r for r in caplog.records if r.name == "lepta"]
    assert len(reports) == _escape.REPORTS_PER_WINDOW
    assert "javascript:alert(0)" in reports[0].getMessage()
    caplog.clear()
    clock.now += _escape.WINDOW_SECONDS
    render_links(100, 1)
    messages = [r.getMessage() for r in caplog.records if r.name == "lepta"]
    assert len(messages) == 2
    assert "%d more dangerous URLs" % (100 - _escape.REPORTS_PER_WINDOW) in messages[0]
    assert "javascript:alert(100)" in messages[1]


def test_production_reports_no_blocked_url(clock, caplog, monkeypatch):
    monkeypatch.setenv("LEPTA_ENV", "production")
    caplog.set_level(logging.DEBUG)
    html = render_links(0, 20)
    assert [r for r in caplog.records if r.name == "lepta"] == []
    assert BLOCKED_URL in html  # blocked all the same


def test_ten_thousand_distinct_attribute_names_do_not_grow_the_name_cache():
    for i in range(10000):
        render_to_string(lambda i=i: div({"data-k%d" % i: "v"}))
        assert len(_attrs._names) <= _attrs.NAMES_CACHED
    assert render_to_string(lambda: div(aria_label="x")) == '<div aria-label="x"></div>'
