"""A server function failing because a service it needs is down (a database refusing
connections) is answered 503 with a message saying to try again, once that kind of
error is registered with `unavailable_when`; the next call after the service is back
succeeds, in the same app."""

import logging
import sqlite3

import pytest
import sqlalchemy.exc
from starlette.testclient import TestClient

from app_folders import make_app
from lepta.build.bundle import build
from lepta.server import create_app, load_config
from lepta.server_fn import ServerError, unavailable_when
from lepta.server_fn import _unavailable as registry
from lepta.server_fn._errors import error_from_json

MESSAGE = "the database is unavailable; try again shortly"

FUNCTIONS = '''
import sqlite3

import sqlalchemy.exc

from lepta import component
from lepta.html import button, input, p, div
from lepta.server_fn import ActionForm, ServerAction, server

DATABASE = {"up": True, "rows": []}


def refused():
    """What SQLAlchemy raises when the driver cannot reach the database."""
    return sqlalchemy.exc.OperationalError(
        "INSERT INTO items (title) VALUES (?)", ("a",),
        sqlite3.OperationalError("unable to open database file"),
    )


@server
async def add_item(title: str) -> int:
    if not DATABASE["up"]:
        raise refused()
    DATABASE["rows"].append(title)
    return len(DATABASE["rows"])


@server
async def broken() -> None:
    raise LookupError("a bug in the app, not an outage")


@component
def App():
    adding = ServerAction(add_item)
    return div(
        ActionForm(adding, input(name="title"), button("Add")),
        p(lambda: str(adding.error() or ""), id="error"),
    )
'''


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    folder = make_app(tmp_path_factory.mktemp("down") / "down_app", FUNCTIONS, name="down_app")
    build(load_config(folder))
    return folder


@pytest.fixture()
def database(folder, monkeypatch):
    """The app's pretend database (up), with SQLAlchemy's OperationalError registered
    for this test only."""
    import sys

    monkeypatch.syspath_prepend(str(folder))
    import down_app

    monkeypatch.setattr(registry, "_kinds", [])
    unavailable_when(sqlalchemy.exc.OperationalError, message=MESSAGE)
    down_app.DATABASE.update(up=True, rows=[])
    yield down_app.DATABASE
    sys.modules.pop("down_app", None)


@pytest.fixture()
def client(folder, database):
    with TestClient(create_app(folder), base_url="http://testserver") as client:
        yield client


def add(client, title):
    return client.post("/_lepta/fn/down_app.add_item", json={"title": title})


def test_a_registered_error_is_a_503_with_the_message_and_the_next_call_succeeds(
    client, database
):
    assert add(client, "first").json() == 1
    database["up"] = False
    response = add(client, "lost")
    assert response.status_code == 503
    assert response.json() == {
        "error": {"type": "lepta.server_fn._errors:ServerError", "message": MESSAGE}
    }
    database["up"] = True  # back, and the same app answers again
    assert add(client, "second").json() == 2
    assert database["rows"] == ["first", "second"]


def test_the_caller_gets_a_server_error_with_status_503(client, database):
    database["up"] = False
    response = add(client, "lost")
    error = error_from_json(response.json(), response.status_code)
    assert type(error) is ServerError
    assert (error.status, error.message) == (503, MESSAGE)


def test_the_outage_is_logged_as_one_warning_without_a_traceback(client, database, caplog):
    database["up"] = False
    with caplog.at_level(logging.WARNING, logger="lepta"):
        add(client, "lost")
    [record] = [r for r in caplog.records if r.name == "lepta"]
    assert record.levelno == logging.WARNING and record.exc_info is None
    assert "down_app.add_item" in record.getMessage()
    assert "unable to open database file" in record.getMessage()


def test_an_error_of_another_kind_is_still_a_500(client):
    response = client.post("/_lepta/fn/down_app.broken", json={})
    assert response.status_code == 500
    assert "LookupError" in response.json()["error"]["message"]


def test_without_registration_the_same_error_is_a_500(client, database, monkeypatch):
    monkeypatch.setattr(registry, "_kinds", [])
    database["up"] = False
    assert add(client, "lost").status_code == 500


def test_a_form_posted_without_javascript_gets_its_page_again_with_the_message(
    client, database
):
    database["up"] = False
    response = client.post(
        "/_lepta/fn/down_app.add_item",
        data={"title": "lost"},
        headers={"Accept": "text/html", "Referer": "http://testserver/"},
    )
    assert response.status_code == 503
    assert '<p id="error">%s</p>' % MESSAGE in response.text


def test_only_exception_classes_can_be_registered():
    with pytest.raises(TypeError, match="exception classes"):
        unavailable_when(sqlite3.OperationalError("not a class"))  # type: ignore[arg-type]
