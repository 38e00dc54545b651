"""Server functions over HTTP: encodings, validation, errors, cross-site refusal, limits,
forms without JavaScript, and what reaches the browser bundle."""

import json

import pytest
from starlette.testclient import TestClient

from app_folders import make_app
from lepta.build.bundle import build, unpack
from lepta.server import create_app, load_config

FUNCTIONS = '''
import dataclasses
import datetime
from collections.abc import AsyncIterator
import decimal
import enum
import os

import pydantic

from lepta import component, use_context, use_location
from lepta.html import div, input, p, button
from lepta.server_fn import (
    ActionForm, ServerAction, ServerError, redirect, server, use_request, use_response,
)

DATABASE_PASSWORD = "hunter2-only-on-the-server"


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


@dataclasses.dataclass
class Point:
    x: int
    y: int


class Todo(pydantic.BaseModel):
    title: str
    done: bool = False


class TitleEmpty(ServerError):
    pass


class Settings:
    def __init__(self, greeting):
        self.greeting = greeting


@server
async def add(a: int, b: int) -> int:
    return a + b


@server(method="GET")
async def greet(name: str, times: int = 1) -> str:
    return ("hello %s " % name) * times


@server
async def kinds(
    text: str,
    number: int,
    ratio: float,
    flag: bool,
    price: decimal.Decimal,
    when: datetime.datetime,
    color: Color,
    maybe: int | None = None,
    tags: list[str] = [],
    scores: dict[str, int] = {},
    point: Point | None = None,
    todo: Todo | None = None,
) -> dict:
    return {
        "text": text, "number": number, "ratio": ratio, "flag": flag, "price": price,
        "when": when, "color": color, "maybe": maybe, "tags": tags, "scores": scores,
        "point": point, "todo": todo,
    }


@server
async def add_todo(title: str) -> str:
    if not title.strip():
        raise TitleEmpty("Title must not be empty")
    return "added " + title


@server
async def crash() -> None:
    raise RuntimeError("the database at " + DATABASE_PASSWORD + " is down")


@server
async def who() -> dict:
    request = use_request()
    response = use_response()
    response.set_cookie("seen", "yes", httponly=True, samesite="lax")
    response.set_header("X-Answer", "42")
    return {"path": request.url.path, "greeting": use_context(Settings).greeting}


@server
async def leave() -> None:
    redirect("/elsewhere")


@server
async def countdown(start: int) -> AsyncIterator[Point]:
    for n in range(start, 0, -1):
        yield Point(n, -n)


@server
async def greetings(n: int) -> AsyncIterator[str]:
    for i in range(n):
        yield "%s %d" % (use_context(Settings).greeting, i)


@server(endpoint="/api/ping")
async def ping() -> str:
    return "pong"


@component
def App():
    where = use_location().path
    if where == "/missing":
        use_response().status = 404
        use_response().set_cookie("last", "missing")
    elif where == "/go":
        redirect("/elsewhere")
    adding = ServerAction(add_todo)
    return div(
        ActionForm(
            adding, input(name="title", id="title", value=adding.form_value("title")), button("Add")
        ),
        p(lambda: str(adding.error() or ""), id="error"),
        p(str(os.sep == "/"), id="os"),
    )
'''


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    folder = make_app(tmp_path_factory.mktemp("fn") / "fn_app", FUNCTIONS, name="fn_app")
    build(load_config(folder))
    return folder


@pytest.fixture(scope="module")
def client(folder):
    import sys

    sys.path.insert(0, str(folder))
    import fn_app

    app = create_app(folder, context=[fn_app.Settings("hi")])
    with TestClient(app, base_url="http://testserver") as client:
        yield client


def call(client, name, body=None, **headers):
    return client.post("/_lepta/fn/fn_app." + name, json=body or {}, headers=headers)


def test_a_server_function_answers_json_with_its_result(client):
    response = call(client, "add", {"a": 2, "b": 3})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == 5


def test_form_fields_are_converted_from_the_hints(client):
    response = client.post(
        "/_lepta/fn/fn_app.add", data={"a": "2", "b": "40"}, headers={"accept": "application/json"}
    )
    assert response.json() == 42


def test_a_get_function_reads_the_query_string(client):
    response = client.get("/_lepta/fn/fn_app.greet?name=Ada&times=2")
    assert response.json() == "hello Ada hello Ada "
    assert client.post("/_lepta/fn/fn_app.greet", json={"name": "x"}).status_code == 405


def test_every_kind_of_hint_is_converted(client):
    body = {
        "text": "t", "number": "7", "ratio": "0.5", "flag": "true", "price": "1.10",
        "when": "2026-12-05T10:00:00", "color": "blue", "maybe": None, "tags": ["a", "b"],
        "scores": {"x": "1"}, "point": {"x": 1, "y": "2"}, "todo": {"title": "Milk"},
    }
    result = call(client, "kinds", body).json()
    assert result == {
        "text": "t", "number": 7, "ratio": 0.5, "flag": True, "price": "1.10",
        "when": "2026-12-05T10:00:00", "color": "blue", "maybe": None, "tags": ["a", "b"],
        "scores": {"x": 1}, "point": {"x": 1, "y": 2}, "todo": {"title": "Milk", "done": False},
    }


def test_nested_form_names_become_nested_arguments(client):
    form = [
        ("text", "t"), ("number", "1"), ("ratio", "2"), ("flag", "on"), ("price", "3"),
        ("when", "2026-01-01T00:00:00"), ("color", "red"), ("tags[]", "a"), ("tags[]", "b"),
        ("todo[title]", "Milk"), ("todo[done]", "true"), ("point[x]", "3"), ("point[y]", "4"),
    ]
    response = client.post(
        "/_lepta/fn/fn_app.kinds",
        content="&".join("%s=%s" % pair for pair in form).replace("[", "%5B").replace("]", "%5D"),
        headers={"content-type": "application/x-www-form-urlencoded", "accept": "application/json"},
    )
    result = response.json()
    assert result["todo"] == {"title": "Milk", "done": True}
    assert result["tags"] == ["a", "b"] and result["point"] == {"x": 3, "y": 4}
    assert result["flag"] is True


@pytest.mark.parametrize(
    "field, bad",
    [
        ("number", "seven"), ("ratio", "half"), ("flag", "perhaps"), ("price", "cheap"),
        ("when", "yesterday"), ("color", "green"), ("maybe", "x"), ("tags", "not a list"),
        ("scores", {"x": "y"}), ("point", {"x": 1}), ("todo", {"done": True}),
    ],
)
def test_a_bad_argument_is_a_422_naming_the_field_and_the_function_does_not_run(
    client, field, bad
):
    body = {
        "text": "t", "number": 1, "ratio": 1, "flag": True, "price": "1",
        "when": "2026-12-05T10:00:00", "color": "red",
    }
    body[field] = bad
    response = call(client, "kinds", body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["type"] == "lepta.server_fn._errors:ValidationError"
    assert any(name == field or name.startswith(field + ".") for name in error["fields"])


def test_missing_arguments_and_bad_json_are_422s(client):
    missing = call(client, "add", {"a": 1})
    assert missing.status_code == 422 and "b" in missing.json()["error"]["fields"]
    broken = client.post(
        "/_lepta/fn/fn_app.add", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert broken.status_code == 422
    assert "not valid JSON" in broken.json()["error"]["message"]
    listed = client.post("/_lepta/fn/fn_app.add", json=[1, 2])
    assert listed.status_code == 422


def test_a_server_error_reaches_the_caller_with_its_class_and_status(client):
    response = call(client, "add_todo", {"title": "  "})
    assert response.status_code == 400
    assert response.json()["error"] == {
        "type": "fn_app:TitleEmpty", "message": "Title must not be empty",
    }


def test_any_other_exception_is_a_500_with_the_traceback_only_in_development(
    folder, client, monkeypatch, caplog
):
    response = call(client, "crash")
    assert response.status_code == 500
    assert "Traceback" in response.json()["error"]["traceback"]
    monkeypatch.setenv("LEPTA_ENV", "production")
    with TestClient(create_app(folder)) as production:
        hidden = call(production, "crash")
    assert hidden.status_code == 500
    assert "hunter2" not in hidden.text and "Traceback" not in hidden.text
    assert "hunter2" in caplog.text  # the server's log has it all


def test_a_cross_site_post_is_refused_before_anything_runs(client):
    other = call(client, "add", {"a": 1, "b": 2}, origin="https://evil.example")
    assert other.status_code == 403
    fetched = call(client, "add", {"a": 1, "b": 2}, **{"sec-fetch-site": "cross-site"})
    assert fetched.status_code == 403
    same = call(client, "add", {"a": 1, "b": 2}, origin="http://testserver")
    assert same.status_code == 200
    own = call(client, "add", {"a": 1, "b": 2}, **{"sec-fetch-site": "same-origin"})
    assert own.status_code == 200
    # a cross-site form without any JSON body is refused before validation
    form = client.post("/_lepta/fn/fn_app.add", data={}, headers={"origin": "https://evil.example"})
    assert form.status_code == 403


def test_a_request_over_the_size_limit_is_a_413(client):
    response = call(client, "add_todo", {"title": "x" * (2 << 20)})
    assert response.status_code == 413


def test_an_unknown_endpoint_is_a_404_that_says_so(client):
    response = client.post("/_lepta/fn/fn_app.nothing", json={})
    assert response.status_code == 404
    assert "no server function at /_lepta/fn/fn_app.nothing" in response.json()["error"]["message"]


def test_an_endpoint_of_its_own_is_served_there(client):
    assert client.post("/api/ping", json={}).json() == "pong"


def test_functions_reach_the_request_the_response_and_the_app_context(client):
    response = call(client, "who")
    assert response.json() == {"path": "/_lepta/fn/fn_app.who", "greeting": "hi"}
    assert response.headers["x-answer"] == "42"
    assert "seen=yes" in response.headers["set-cookie"]
    assert "httponly" in response.headers["set-cookie"].lower()


def test_a_redirect_from_code_is_a_header_and_from_a_plain_form_a_303(client):
    response = call(client, "leave")
    assert response.status_code == 200 and response.headers["x-lepta-redirect"] == "/elsewhere"
    posted = client.post(
        "/_lepta/fn/fn_app.leave",
        content=b"",
        headers={"accept": "text/html", "content-type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )
    assert posted.status_code == 303 and posted.headers["location"] == "/elsewhere"


def test_a_form_posted_without_javascript_goes_back_to_its_page(client):
    response = client.post(
        "/_lepta/fn/fn_app.add_todo",
        data={"title": "Milk"},
        headers={"accept": "text/html", "referer": "http://testserver/todos?x=1"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/todos?x=1"


def test_a_failed_form_post_renders_its_page_again_with_the_error_and_the_values(client):
    response = client.post(
        "/_lepta/fn/fn_app.add_todo",
        data={"title": "   "},
        headers={"accept": "text/html", "referer": "http://testserver/"},
        follow_redirects=False,
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert '<p id="error">Title must not be empty</p>' in response.text
    assert 'name="title" id="title" value="   "' in response.text
    assert '<form method="post" action="/_lepta/fn/fn_app.add_todo">' in response.text


def test_the_bundle_holds_no_server_code(folder):
    config = load_config(folder)
    manifest = build(config)
    files = unpack((config.site / "_lepta" / manifest.bundle).read_bytes())
    app = files["fn_app.mpy"]
    assert b"hunter2" not in app  # a string only server code used
    assert b"database" not in app
    assert b"fn_app.add_todo" in app  # the stub knows its endpoint
    assert "lepta/server_fn/_local.mpy" not in files  # validation stays on the server


def test_called_in_process_a_function_returns_what_the_browser_would_get(client):
    import asyncio

    import fn_app

    result = asyncio.run(fn_app.kinds(
        text="t", number=1, ratio=1, flag=True, price="2.50", when="2026-12-05T10:00:00",
        color=fn_app.Color.RED, point=fn_app.Point(1, 2),
    ))
    assert result["point"] == {"x": 1, "y": 2} and result["price"] == "2.50"
    assert json.loads(json.dumps(result)) == result


def test_a_streaming_function_answers_one_json_line_per_chunk(client):
    response = call(client, "countdown", {"start": 3})
    assert response.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert lines == [{"x": 3, "y": -3}, {"x": 2, "y": -2}, {"x": 1, "y": -1}]


def test_a_streaming_function_reads_the_app_context(client):
    response = call(client, "greetings", {"n": 2})
    assert [json.loads(line) for line in response.text.splitlines()] == ["hi 0", "hi 1"]


def test_called_in_process_a_streaming_function_yields_shaped_chunks(client):
    import asyncio

    import fn_app

    async def collect():
        return [chunk async for chunk in fn_app.countdown(2)]

    assert asyncio.run(collect()) == [{"x": 2, "y": -2}, {"x": 1, "y": -1}]


def test_two_functions_on_one_endpoint_is_an_error_naming_both():
    from lepta.server_fn import ServerFnDefinitionError, server

    @server(endpoint="shared.one")
    async def first() -> None: ...

    with pytest.raises(ServerFnDefinitionError) as raised:

        @server(endpoint="shared.one")
        async def second() -> None: ...

    message = str(raised.value)
    assert "first" in message and "second" in message and "/_lepta/fn/shared.one" in message


def test_a_server_function_must_be_async():
    from lepta.server_fn import ServerFnDefinitionError, server

    with pytest.raises(ServerFnDefinitionError, match="must be `async def`"):

        @server
        def plain() -> None: ...


def test_the_openapi_document_describes_each_function_from_its_hints(client):
    document = client.get("/_lepta/openapi.json").json()
    assert document["openapi"] == "3.1.0"
    add = document["paths"]["/_lepta/fn/fn_app.add"]["post"]
    schema = add["requestBody"]["content"]["application/json"]["schema"]
    assert schema["properties"] == {
        "a": {"title": "A", "type": "integer"}, "b": {"title": "B", "type": "integer"},
    }
    assert schema["required"] == ["a", "b"]
    assert add["responses"]["200"]["content"]["application/json"]["schema"]["type"] == "integer"
    greet = document["paths"]["/_lepta/fn/fn_app.greet"]["get"]
    assert [(p["name"], p["required"]) for p in greet["parameters"]] == [
        ("name", True), ("times", False),
    ]
    kinds = document["paths"]["/_lepta/fn/fn_app.kinds"]["post"]
    props = kinds["requestBody"]["content"]["application/json"]["schema"]["properties"]
    assert props["color"] == {"$ref": "#/components/schemas/Color"}
    assert document["components"]["schemas"]["Color"]["enum"] == ["red", "blue"]
    assert "Todo" in document["components"]["schemas"]
    stream = document["paths"]["/_lepta/fn/fn_app.countdown"]["post"]["responses"]["200"]
    assert "application/x-ndjson" in stream["content"]


def test_the_openapi_document_is_off_in_production_unless_asked_for(folder, monkeypatch):
    monkeypatch.setenv("LEPTA_ENV", "production")
    with TestClient(create_app(folder)) as production:
        assert production.get("/_lepta/openapi.json").status_code == 404


def test_a_page_sets_its_status_and_cookies_and_can_redirect(client):
    missing = client.get("/missing")
    assert missing.status_code == 404 and "<h1>" not in missing.text
    assert "last=missing" in missing.headers["set-cookie"]
    assert '<form method="post"' in missing.text  # the page itself, with its status
    moved = client.get("/go", follow_redirects=False)
    assert moved.status_code == 302 and moved.headers["location"] == "/elsewhere"


def test_create_app_takes_routes_middleware_a_lifespan_and_a_setup(folder):
    from contextlib import asynccontextmanager

    import fn_app
    from starlette.middleware import Middleware
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    events = []

    @asynccontextmanager
    async def setup():
        events.append("setup opened")
        yield [fn_app.Settings("from setup")]
        events.append("setup closed")

    @asynccontextmanager
    async def lifespan(app):
        events.append("lifespan started")
        yield
        events.append("lifespan ended")

    class Tag:
        def __init__(self, app):
            self.app = app

        async def __call__(self, scope, receive, send):
            async def tagged(message):
                if message["type"] == "http.response.start":
                    message["headers"] = [*message["headers"], (b"x-tag", b"yes")]
                await send(message)

            await self.app(scope, receive, tagged)

    async def extra(request):
        return PlainTextResponse("extra")

    app = create_app(
        folder, routes=[Route("/extra", extra)], middleware=[Middleware(Tag)],
        lifespan=lifespan, setup=setup,
    )
    with TestClient(app) as client:
        assert client.get("/extra").text == "extra"  # before the catch-all pages
        assert client.get("/extra").headers["x-tag"] == "yes"
        assert call(client, "who").json()["greeting"] == "from setup"
    assert events == ["setup opened", "lifespan started", "lifespan ended", "setup closed"]


def test_a_multipart_form_is_read_like_a_urlencoded_one(client):
    response = client.post(
        "/_lepta/fn/fn_app.add",
        data={"a": "2", "b": "5"},
        files={"attachment": ("note.txt", b"ignored", "text/plain")},
        headers={"accept": "application/json"},
    )
    assert response.status_code == 200 and response.json() == 7


def test_a_multipart_form_s_files_are_closed_once_its_fields_are_read(client):
    import gc
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        response = client.post(
            "/_lepta/fn/fn_app.add",
            data={"a": "2", "b": "5"},
            files={"attachment": ("note.txt", b"x" * 2048, "text/plain")},
            headers={"accept": "application/json"},
        )
        gc.collect()  # (an unclosed temporary file warns when it is collected)
    assert response.status_code == 200 and response.json() == 7
    assert [str(w.message) for w in caught if w.category is ResourceWarning] == []
