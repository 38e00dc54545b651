"""Sessions in signed cookies: signing, tampering, expiry, the cookie's attributes, and
server functions and pages reading and changing the session through the ASGI app."""

import time

import pytest
from starlette.testclient import TestClient

from app_folders import make_app
from lepta.build.bundle import build
from lepta.server import (
    SessionError,
    create_app,
    dump_session,
    load_config,
    load_session,
    use_session,
)

KEY = b"k" * 32

SESSION_APP = '''
from lepta import Resource, ServerError, Suspense, component, redirect, use_location
from lepta.html import div, p
from lepta.server import use_session
from lepta.server_fn import server


@server
async def log_in(user_id: int) -> None:
    use_session()["user_id"] = user_id


@server
async def log_in_and_go(user_id: int) -> None:
    use_session()["user_id"] = user_id
    redirect("/home")


@server
async def log_in_then_fail(user_id: int) -> None:
    use_session()["user_id"] = user_id
    raise ServerError("refused")


@server(method="GET")
async def who() -> dict:
    return dict(use_session())


@server
async def log_out() -> None:
    use_session().clear()


@server
async def remember(items: list[str]) -> int:
    session = use_session()
    session["items"] = items
    session["count"] = len(items)   # one cookie for both changes
    return len(session)


@server
async def store_too_much() -> None:
    use_session()["big"] = "x" * 5000


@server
async def store_an_object() -> None:
    use_session()["thing"] = object()


@server
async def count_visit() -> int:
    session = use_session()
    session["visits"] = session.get("visits", 0) + 1
    return session["visits"]


@server(method="GET")
async def require_user() -> int:
    user_id = use_session().get("user_id")
    if user_id is None:
        redirect("/login")
    return user_id


@component
def App():
    # Pages read the session through server functions, called in-process as they
    # render (the browser calls them over HTTP: it cannot read the cookie).
    fetch = {"/visit": count_visit, "/private": require_user}.get(use_location().path, who)
    seen = Resource(None, lambda _: fetch())
    return div(Suspense(p(lambda: "seen %s" % seen(), id="seen"), fallback=p("...")))
'''


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    folder = make_app(tmp_path_factory.mktemp("sessions") / "session_app", SESSION_APP,
                      name="session_app")
    with open(folder / "pyproject.toml", "a") as settings:
        settings.write('ssr = "async"\n')  # the page waits for its data: redirects still work
    build(load_config(folder))
    return folder


@pytest.fixture
def client(folder, monkeypatch):
    monkeypatch.setenv("LEPTA_SECRET_KEY", KEY.decode())
    monkeypatch.delenv("LEPTA_ENV", raising=False)
    with TestClient(create_app(folder), base_url="http://testserver") as client:
        yield client


def call(client, name, body=None):
    return client.post("/_lepta/fn/session_app." + name, json=body or {})


def set_cookies(response):
    return response.headers.get_list("set-cookie")


# Signing


def test_a_signed_session_reads_back_as_it_was_written():
    value = dump_session({"user_id": 3, "name": "Ada"}, key=KEY)
    assert load_session(value, key=KEY) == {"user_id": 3, "name": "Ada"}


def test_the_cookie_value_holds_payload_time_and_signature_in_cookie_safe_characters():
    value = dump_session({"note": "a; b, c=d \"é\""}, key=KEY, now=1_700_000_000)
    _payload, written, signature = value.split(".")
    assert written == "1700000000"
    assert len(signature) == 43  # HMAC-SHA256, base64 without padding
    assert all(c.isalnum() or c in "-_." for c in value)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda v: v[:-1] + ("A" if v[-1] != "A" else "B"),  # the signature
        lambda v: "e30" + v[v.index(".") :],  # the payload replaced: {}
        lambda v: v.replace(v.split(".")[1], str(int(v.split(".")[1]) + 1)),  # the time
        lambda v: v.split(".")[0],  # no signature at all
        lambda v: "",
        lambda v: "not a session",
        lambda v: "....",
    ],
    ids=["signature", "payload", "time", "unsigned", "empty", "garbage", "dots"],
)
def test_a_tampered_cookie_reads_as_an_empty_session(tamper):
    value = dump_session({"user_id": 3}, key=KEY)
    assert load_session(tamper(value), key=KEY) == {}


def test_a_cookie_signed_with_another_key_reads_as_an_empty_session():
    value = dump_session({"user_id": 3}, key=b"another key")
    assert load_session(value, key=KEY) == {}
    assert load_session(None, key=KEY) == {}


def test_a_session_older_than_its_max_age_reads_as_empty():
    written = time.time() - 3600
    value = dump_session({"user_id": 3}, key=KEY, now=written)
    assert load_session(value, key=KEY, max_age=3601) == {"user_id": 3}
    assert load_session(value, key=KEY, max_age=3599) == {}


def test_a_session_from_the_far_future_reads_as_empty():
    value = dump_session({"user_id": 3}, key=KEY, now=time.time() + 3600)
    assert load_session(value, key=KEY) == {}


# Through the app


def test_a_server_function_sets_the_session_and_another_reads_it(client):
    assert call(client, "log_in", {"user_id": 3}).status_code == 200
    assert client.get("/_lepta/fn/session_app.who").json() == {"user_id": 3}


def test_the_cookie_is_http_only_same_site_lax_for_the_whole_site_with_a_max_age(client):
    response = call(client, "log_in", {"user_id": 3})
    (cookie,) = set_cookies(response)
    name, _, rest = cookie.partition("=")
    attributes = [a.strip().lower() for a in rest.split(";")[1:]]
    assert name == "lepta_session"
    assert "httponly" in attributes
    assert "samesite=lax" in attributes
    assert "path=/" in attributes
    assert "max-age=1209600" in attributes  # two weeks
    assert "secure" not in attributes  # development: served over plain HTTP


def test_in_production_the_cookie_is_secure(folder, monkeypatch):
    monkeypatch.setenv("LEPTA_SECRET_KEY", KEY.decode())
    monkeypatch.setenv("LEPTA_ENV", "production")
    with TestClient(create_app(folder), base_url="https://testserver") as client:
        (cookie,) = set_cookies(call(client, "log_in", {"user_id": 3}))
        assert "secure" in [a.strip().lower() for a in cookie.split(";")]
        assert client.get("/_lepta/fn/session_app.who").json() == {"user_id": 3}


def test_sessions_are_signed_with_the_apps_secret_key(client):
    client.cookies.set("lepta_session", dump_session({"user_id": 9}, key=KEY))
    assert client.get("/_lepta/fn/session_app.who").json() == {"user_id": 9}
    client.cookies.clear()
    client.cookies.set("lepta_session", dump_session({"user_id": 9}, key=b"x" * 32))
    assert client.get("/_lepta/fn/session_app.who").json() == {}


def test_several_changes_in_one_request_send_one_cookie(client):
    response = call(client, "remember", {"items": ["a", "b"]})
    assert response.json() == 2
    assert len(set_cookies(response)) == 1
    assert client.get("/_lepta/fn/session_app.who").json() == {"items": ["a", "b"], "count": 2}


def test_a_tampered_cookie_is_an_empty_session_not_an_error(client):
    call(client, "log_in", {"user_id": 3})
    value = client.cookies["lepta_session"]
    client.cookies.clear()
    client.cookies.set("lepta_session", value.replace(".", ".9", 1))
    response = client.get("/_lepta/fn/session_app.who")
    assert response.status_code == 200
    assert response.json() == {}
    page = client.get("/")
    assert page.status_code == 200
    assert "seen {}" in page.text


def test_clearing_the_session_deletes_the_cookie(client):
    call(client, "log_in", {"user_id": 3})
    response = call(client, "log_out")
    (cookie,) = set_cookies(response)
    assert cookie.startswith('lepta_session="";') or cookie.startswith("lepta_session=;")
    assert "max-age=0" in cookie.lower()
    assert "lepta_session" not in client.cookies
    assert client.get("/_lepta/fn/session_app.who").json() == {}


def test_clearing_an_empty_session_sends_no_cookie(client):
    assert set_cookies(call(client, "log_out")) == []


def test_reading_the_session_sends_no_cookie(client):
    call(client, "log_in", {"user_id": 3})
    assert set_cookies(client.get("/_lepta/fn/session_app.who")) == []
    assert set_cookies(client.get("/")) == []


def test_a_page_reads_the_session_as_it_renders(client):
    assert "seen {}" in client.get("/").text
    call(client, "log_in", {"user_id": 7})
    assert "seen {'user_id': 7}" in client.get("/").text


def test_a_page_that_changes_the_session_sends_the_cookie(client):
    for visits in (1, 2):
        response = client.get("/visit")
        assert response.status_code == 200
        assert "seen %d" % visits in response.text
        assert len(set_cookies(response)) == 1
        assert client.get("/_lepta/fn/session_app.who").json() == {"visits": visits}


def test_a_page_redirects_by_what_the_session_holds(client):
    response = client.get("/private", follow_redirects=False)
    assert response.status_code == 302
    assert response.headers["location"] == "/login"
    call(client, "log_in", {"user_id": 1})
    assert client.get("/private", follow_redirects=False).status_code == 200


def test_a_form_posted_without_javascript_gets_its_cookie_with_the_303(client):
    response = client.post(
        "/_lepta/fn/session_app.log_in_and_go",
        data={"user_id": "5"},
        headers={"Accept": "text/html"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/home"
    assert len(set_cookies(response)) == 1
    assert client.get("/_lepta/fn/session_app.who").json() == {"user_id": 5}


def test_a_call_from_code_that_redirects_gets_its_cookie_with_the_answer(client):
    response = call(client, "log_in_and_go", {"user_id": 6})
    assert response.headers["x-lepta-redirect"] == "/home"
    assert len(set_cookies(response)) == 1


def test_a_function_that_fails_sends_none_of_its_changes(client):
    call(client, "log_in", {"user_id": 3})
    response = call(client, "log_in_then_fail", {"user_id": 4})
    assert response.status_code == 400
    assert set_cookies(response) == []
    assert client.get("/_lepta/fn/session_app.who").json() == {"user_id": 3}


def test_a_session_too_large_for_a_cookie_is_refused_with_what_to_do(client):
    response = call(client, "store_too_much")
    assert response.status_code == 500
    assert "keep an id in the session" in response.json()["error"]["message"]
    assert set_cookies(response) == []


def test_a_value_that_is_not_json_is_refused_naming_the_key(client):
    response = call(client, "store_an_object")
    assert response.status_code == 500
    assert "session['thing']" in response.json()["error"]["message"]


def test_the_session_needs_a_request():

    with pytest.raises(SessionError, match="server function"):
        use_session()

