"""A page whose resource fails, served by create_app: what the visitor gets and what the
server's log gets, in development and in production (LEPTA_ENV=production)."""

import logging

import pytest
from starlette.testclient import TestClient

from app_folders import make_app
from lepta.build.bundle import ensure_built
from lepta.server import create_app, load_config

FAILING_PAGE = """
    import asyncio

    from lepta import ErrorBoundary, Resource, ResourceError, Suspense, component, use_location
    from lepta.html import p

    async def load(path):
        await asyncio.sleep(0)
        if path == "/busy":
            raise ResourceError("Try again later")
        raise ConnectionError("cannot reach postgres://admin:s3cr3t@db.internal/users")

    @component
    def App():
        data = Resource(use_location().path, load)
        return Suspense(
            ErrorBoundary(p(data), fallback=lambda errors: p("Error: ", str(errors[0]))),
            fallback=p("Loading..."),
        )
"""


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    folder = make_app(tmp_path_factory.mktemp("app") / "failing", FAILING_PAGE, name="failing_app")
    ensure_built(load_config(folder))
    return folder


def get(folder, path):
    with TestClient(create_app(folder)) as client:
        response = client.get(path)
    assert response.status_code == 200
    return response.text


def test_in_production_a_fetchers_exception_is_logged_and_kept_off_the_page(
    folder, monkeypatch, caplog
):
    monkeypatch.setenv("LEPTA_ENV", "production")
    with caplog.at_level(logging.ERROR, logger="lepta"):
        body = get(folder, "/")
    assert "s3cr3t" not in body and "postgres" not in body
    assert "<p>Error: the server could not load this data</p>" in body
    assert "s3cr3t" in caplog.text and "Traceback" in caplog.text
    assert len([r for r in caplog.records if r.exc_info]) == 1


def test_in_development_the_page_shows_a_fetchers_exception(folder, monkeypatch):
    monkeypatch.delenv("LEPTA_ENV", raising=False)
    body = get(folder, "/")
    assert "cannot reach postgres://admin:s3cr3t@db.internal/users" in body


def test_in_production_a_resource_error_carries_its_message_to_the_page(folder, monkeypatch):
    monkeypatch.setenv("LEPTA_ENV", "production")
    body = get(folder, "/busy")
    assert "<p>Error: Try again later</p>" in body
    assert '"0":[0,"Try again later"]' in body
