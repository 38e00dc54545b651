"""Limits on requests: each refused with a clear error (JSON for server-function calls,
a short HTML page otherwise), the security headers and no-store, and nothing run; the
health check; the settings behind them."""

import json
import sys

import pytest
from starlette.testclient import TestClient

from app_folders import make_app, settings
from lepta.build.bundle import ensure_built
from lepta.server import ConfigError, create_app, load_config

LIMITED = """
    from typing import Any

    from lepta import component
    from lepta.html import p
    from lepta.server_fn import server

    CALLS = []


    @server
    async def take(data: Any = None, items: list[int] = []) -> int:
        CALLS.append(data)
        return len(CALLS)


    @server(method="GET")
    async def look(tags: list[str] = []) -> int:
        return len(tags)


    @component
    def App():
        return p("limits")
"""

TAKE = "/_lepta/fn/limits_app.take"
LOOK = "/_lepta/fn/limits_app.look"


@pytest.fixture(scope="module")
def app_folder(tmp_path_factory):
    folder = make_app(tmp_path_factory.mktemp("limits") / "app", LIMITED, name="limits_app")
    ensure_built(load_config(folder))
    return folder


@pytest.fixture
def client(app_folder):
    settings(app_folder, "")
    with TestClient(create_app(app_folder)) as client:
        yield client


@pytest.fixture
def calls(client):
    recorded = sys.modules["limits_app"].CALLS
    recorded.clear()
    return recorded


def limited_client(folder, extra):
    settings(folder, extra)
    return TestClient(create_app(folder))


def assert_refused_politely(response, status):
    """The status, never cached, with the security headers every response has."""
    assert response.status_code == status
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "SAMEORIGIN"


def error_of(response):
    assert response.headers["content-type"] == "application/json"
    return response.json()["error"]


def assert_html_page(response, words):
    assert response.headers["content-type"].startswith("text/html")
    assert response.text.startswith("<!DOCTYPE html><title>")
    assert words in response.text


# --- the address ------------------------------------------------------------------------
def test_an_address_longer_than_url_limit_is_a_414_page(client):
    response = client.get("/search?q=" + "x" * 20000)
    assert_refused_politely(response, 414)
    assert_html_page(response, "url_limit under [tool.lepta]")


def test_a_server_function_call_with_too_long_an_address_gets_a_json_414(client):
    response = client.get(LOOK + "?" + "&".join(["tags=abcdefgh"] * 2000))
    assert_refused_politely(response, 414)
    assert "16384 bytes" in error_of(response)["message"]


def test_url_limit_is_a_setting(app_folder):
    with limited_client(app_folder, "url_limit = 100\n") as client:
        assert client.get("/?q=" + "x" * 80).status_code == 200
        assert client.get("/?q=" + "x" * 100).status_code == 414


# --- the headers ------------------------------------------------------------------------
def test_headers_larger_than_header_limit_are_a_431(client, calls):
    big = {"x-padding": "p" * 70000}
    assert_html_page(client.get("/", headers=big), "header_limit under [tool.lepta]")
    response = client.post(TAKE, json={"data": 1}, headers=big)
    assert_refused_politely(response, 431)
    assert "header_limit" in error_of(response)["message"]
    assert calls == []


def test_header_limit_is_a_setting(app_folder):
    with limited_client(app_folder, "header_limit = 2000\n") as client:
        assert client.get("/", headers={"x-a": "a" * 1000}).status_code == 200
        assert client.get("/", headers={"x-a": "a" * 3000}).status_code == 431


# --- the body ---------------------------------------------------------------------------
def test_a_body_declared_larger_than_body_limit_is_a_413_and_nothing_runs(app_folder):
    with limited_client(app_folder, "body_limit = 100\n") as client:
        calls = sys.modules["limits_app"].CALLS
        calls.clear()
        response = client.post(TAKE, json={"data": "x" * 200})
        assert_refused_politely(response, 413)
        error = error_of(response)
        assert "100 bytes" in error["message"] and "body_limit" in error["message"]
        assert calls == []
        assert client.post(TAKE, json={"data": "x" * 10}).status_code == 200


def test_a_body_sent_without_its_length_is_counted_and_refused_past_the_limit(app_folder):
    def chunks():
        for _ in range(10):
            yield b"x" * 50

    with limited_client(app_folder, "body_limit = 100\n") as client:
        calls = sys.modules["limits_app"].CALLS
        calls.clear()
        response = client.post(
            TAKE, content=chunks(), headers={"content-type": "application/json"}
        )
        assert_refused_politely(response, 413)
        assert "body_limit" in error_of(response)["message"]
        assert calls == []


def test_a_large_body_to_a_page_gets_an_html_413(app_folder):
    with limited_client(app_folder, "body_limit = 100\n") as client:
        response = client.post("/", content=b"x" * 1000)
        assert_refused_politely(response, 413)
        assert_html_page(response, "413: request too large")


def test_a_form_posted_without_javascript_gets_an_html_413(app_folder):
    with limited_client(app_folder, "body_limit = 100\n") as client:
        response = client.post(
            TAKE, data={"data": "x" * 500}, headers={"accept": "text/html"}
        )
        assert_refused_politely(response, 413)
        assert_html_page(response, "body_limit")


# --- server functions' arguments --------------------------------------------------------
def nested(depth):
    """A value `depth` lists deep: [[[...]]]."""
    value = []
    for _ in range(depth - 1):
        value = [value]
    return value


def test_arguments_nested_deeper_than_arg_depth_limit_are_a_422_naming_the_setting(
    client, calls
):
    # the arguments' object is level 1, so `data` may be 31 lists deep
    assert client.post(TAKE, json={"data": nested(31)}).status_code == 200
    response = client.post(TAKE, json={"data": nested(32)})
    assert_refused_politely(response, 422)
    error = error_of(response)
    assert error["type"] == "lepta.server_fn._errors:ValidationError"
    assert "nest deeper than 32 levels" in error["message"]
    assert "arg_depth_limit under [tool.lepta]" in error["message"]
    assert list(error["fields"]) == ["data" + ".0" * 31]  # the 33rd level
    assert len(calls) == 1  # only the call within the limit ran


def test_a_body_too_deep_for_the_json_parser_is_a_422_not_a_crash(client, calls):
    body = b"{\"data\": " + b"[" * 100000 + b"]" * 100000 + b"}"
    response = client.post(TAKE, content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert "arg_depth_limit" in error_of(response)["message"]
    assert calls == []


def test_a_list_longer_than_arg_items_limit_is_a_422_naming_the_setting(app_folder):
    with limited_client(app_folder, "arg_items_limit = 5\n") as client:
        calls = sys.modules["limits_app"].CALLS
        calls.clear()
        assert client.post(TAKE, json={"items": [1, 2, 3, 4, 5]}).status_code == 200
        response = client.post(TAKE, json={"items": [1, 2, 3, 4, 5, 6]})
        assert_refused_politely(response, 422)
        error = error_of(response)
        assert "more than 5 items" in error["message"]
        assert "arg_items_limit under [tool.lepta]" in error["message"]
        assert error["fields"] == {"items": "more than 5 items"}
        response = client.post(TAKE, json={"data": {str(i): i for i in range(6)}})
        assert error_of(response)["fields"] == {"data": "more than 5 items"}
        assert len(calls) == 1


def test_the_default_items_limit_lets_ten_thousand_through(client, calls):
    assert client.post(TAKE, json={"items": list(range(10000))}).status_code == 200
    response = client.post(TAKE, json={"items": list(range(10001))})
    assert response.status_code == 422
    assert len(calls) == 1


def test_query_and_form_arguments_are_held_to_the_same_limits(app_folder):
    with limited_client(app_folder, "arg_items_limit = 3\narg_depth_limit = 4\n") as client:
        assert client.get(LOOK + "?tags=a&tags=b&tags=c").json() == 3
        response = client.get(LOOK + "?tags=a&tags=b&tags=c&tags=d")
        assert "arg_items_limit" in error_of(response)["message"]
        deep = "data" + "[a]" * 4
        response = client.post(TAKE, data={deep: "1"}, headers={"accept": "application/json"})
        assert response.status_code == 422
        assert "arg_depth_limit" in error_of(response)["message"]


def test_a_form_name_nested_thousands_deep_is_a_422_not_a_crash(client, calls):
    name = "data" + "[a]" * 5000
    response = client.post(TAKE, data={name: "1"}, headers={"accept": "application/json"})
    assert response.status_code == 422
    assert error_of(response)["fields"] == {"data": "nested deeper than 32 levels"}
    assert calls == []


# --- health -----------------------------------------------------------------------------
def test_the_health_check_answers_200_with_a_small_json_never_cached(client):
    response = client.get("/_lepta/health")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-content-type-options"] == "nosniff"
    body = response.json()
    assert body["status"] == "ok"
    assert 'data-lepta-build="%s"' % body["build"] in client.get("/").text
    assert len(response.content) < 100


def test_the_health_check_moves_or_goes_as_set(app_folder):
    with limited_client(app_folder, 'health = "/healthz"\n') as client:
        assert client.get("/healthz").json()["status"] == "ok"
        assert client.get("/_lepta/health").status_code == 404
    with limited_client(app_folder, "health = false\n") as client:
        assert client.get("/_lepta/health").status_code == 404


# --- the settings -----------------------------------------------------------------------
@pytest.mark.parametrize(
    "line, said",
    [
        ("url_limit = 0", "url_limit = 0 in"),
        ('header_limit = "64k"', "the most bytes of request headers to accept"),
        ("body_limit = true", "body_limit = True in"),
        ("arg_depth_limit = -1", "how deep a server function's arguments may nest"),
        ("arg_items_limit = 1.5", "the most items one list or object of arguments may hold"),
        ("keep_alive_timeout = 0", "how many seconds an idle connection stays open"),
        ('shutdown_timeout = "30s"', "a whole number of at least 1 (the default is 30)"),
        ('health = "healthz"', 'give the path of the health check, e.g. "/_lepta/health"'),
        ('health = "/_lepta/fn/health"', "not below /_lepta/fn/"),
        ("health = true", "or false for none"),
    ],
)
def test_a_bad_limit_setting_says_what_to_write(app_folder, line, said):
    settings(app_folder, line + "\n")
    with pytest.raises(ConfigError) as caught:
        load_config(app_folder)
    assert said in str(caught.value)
    assert "pyproject.toml" in str(caught.value)


def test_the_limits_have_defaults_no_ordinary_app_comes_near(app_folder):
    settings(app_folder, "")
    config = load_config(app_folder)
    assert (config.body_limit, config.url_limit, config.header_limit) == (1 << 20, 16384, 65536)
    assert (config.arg_depth_limit, config.arg_items_limit) == (32, 10000)
    assert (config.keep_alive_timeout, config.shutdown_timeout) == (5, 30)
    assert config.health == "/_lepta/health"


def test_error_answers_are_json_objects_like_every_other_server_function_error(client):
    response = client.post(TAKE, content=b"[" * 40 + b"]" * 40,
                           headers={"content-type": "application/json"})
    assert set(json.loads(response.text)) == {"error"}
