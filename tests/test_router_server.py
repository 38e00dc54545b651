"""The route table decides the server's answer: status, redirects, streaming mode."""


import pytest
from starlette.testclient import TestClient

from app_folders import make_app
from lepta.build.bundle import ensure_built
from lepta.router import RouteConflictError
from lepta.server import create_app, load_config

SOURCE = """
import asyncio

from lepta import (
    ParentRoute, ProtectedRoute, Redirect, Resource, Route, Router, Routes, Suspense,
    component, redirect, use_params, use_response,
)
from lepta.html import h1, p, main
from lepta.router import Outlet

LOG = []


async def slow(name):
    LOG.append("start " + name)
    await asyncio.sleep(0.05)
    LOG.append("end " + name)
    return name


@component
def Data():
    value = Resource("data", slow)
    return Suspense(p("Data: ", value, id="data"), fallback=p("Loading", id="loading"))


@component
def Parent():
    value = Resource("parent", slow)
    return [Suspense(p(value, id="parent"), fallback=p("...")), Outlet()]


@component
def Child():
    value = Resource("child", slow)
    return Suspense(p(value, id="child"), fallback=p("..."))


@component
def Teapot():
    use_response().status = 418
    return h1("I am a teapot")


def goes_elsewhere():
    redirect("/elsewhere")
    return None


@component
def App():
    return main(Router(Routes(
        Route("/", lambda: h1("Home")),
        Route("/old", lambda: Redirect("/new")),
        Route("/new", lambda: h1("New")),
        Route("/old/in_order", lambda: Redirect("/new"), ssr="in_order"),
        Route("/old/async", lambda: Redirect("/new"), ssr="async"),
        Route("/away", goes_elsewhere),
        Route("/teapot", Teapot),
        ProtectedRoute("/settings", lambda: h1("Settings"), lambda: False, "/login"),
        Route("/streamed", Data),
        Route("/in_order", Data, ssr="in_order"),
        Route("/whole", Data, ssr="async"),
        ParentRoute("/nested", Parent, Route("child", Child, ssr="async")),
        Route("/users/:id", lambda: h1("User ", use_params()["id"])),
        fallback=lambda: h1("Not Found"),
    )))
"""


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    folder = make_app(tmp_path_factory.mktemp("routes"), SOURCE, name="routes_app")
    ensure_built(load_config(folder))
    with TestClient(create_app(folder)) as client:
        yield client


def test_a_path_no_route_matches_renders_the_fallback_with_status_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "<h1>Not Found</h1>" in response.text and "<!DOCTYPE html>" in response.text


def test_matched_routes_render_their_view_with_their_params(client):
    response = client.get("/users/caf%C3%A9")
    assert response.status_code == 200
    assert "<h1>User café</h1>" in response.text


@pytest.mark.parametrize("path", ["/old", "/old/in_order", "/old/async"])
def test_redirect_is_a_302_before_the_first_byte_in_every_mode(client, path):
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 302
    assert response.headers["location"] == "/new"
    assert response.text == ""


def test_redirect_called_in_a_view_is_a_302_too(client):
    response = client.get("/away", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (302, "/elsewhere")


def test_a_protected_route_redirects_when_its_condition_fails(client):
    response = client.get("/settings", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (302, "/login")


def test_use_response_sets_any_status(client):
    assert client.get("/teapot").status_code == 418


def test_each_route_streams_in_its_own_mode(client):
    def first_chunk(path):
        with client.stream("GET", path) as response:
            return next(response.iter_text())

    assert 'id="loading"' in first_chunk("/streamed")  # out of order: fallback first
    whole = first_chunk("/whole")  # async: everything at once
    assert 'id="loading"' not in whole and "data</p>" in whole


def test_nested_routes_take_the_most_blocking_mode_and_load_their_data_in_parallel(client):
    log = __import__("routes_app").LOG
    log.clear()
    text = client.get("/nested/child").text
    assert 'id="parent"' in text and ">parent<" in text and ">child<" in text
    assert "..." not in text.split("<body>")[1].split("<script")[0]  # async: no fallback sent
    assert log[:2] == ["start parent", "start child"]  # both started before either ended


def test_a_trailing_slash_is_redirected_to_the_canonical_path(client):
    response = client.get("/users/3/?tab=2", follow_redirects=False)
    assert response.status_code == 308
    assert response.headers["location"] == "/users/3?tab=2"


def test_a_missing_file_is_a_plain_404_not_a_page(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 404 and "Not Found</h1>" not in response.text


def test_routes_no_path_can_tell_apart_stop_the_app_at_start_up(tmp_path):
    source = """
        from lepta import Route, Router, Routes, component

        @component
        def App():
            return Router(Routes(Route("/u/:id", lambda: 1), Route("/u/:name", lambda: 2)))
    """
    folder = make_app(tmp_path / "conflict", source, name="conflict_app")
    ensure_built(load_config(folder))
    with pytest.raises(RouteConflictError, match="'/u/:id' and '/u/:name'"):
        create_app(folder)


def test_the_old_ssr_paths_table_is_refused_with_what_to_write_instead(tmp_path):
    folder = make_app(tmp_path / "old")
    with open(folder / "pyproject.toml", "a") as f:
        f.write('[tool.lepta.ssr_paths]\n"/x" = "async"\n')
    with pytest.raises(ValueError, match='ssr="async"'):
        load_config(folder)
