"""An app's stylesheet and its public/ folder."""

import pytest
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient

from app_folders import make_app
from lepta.build.bundle import BuildError, build, ensure_built
from lepta.server import ConfigError, create_app, load_config


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    folder = make_app(tmp_path_factory.mktemp("assets") / "styled", name="styled_app")
    with (folder / "pyproject.toml").open("a") as settings:
        settings.write('style = "style.css"\n')
    (folder / "style.css").write_text("body { color: rebeccapurple; }\n")
    public = folder / "public"
    (public / "images").mkdir(parents=True)
    (public / "favicon.ico").write_bytes(b"\x00\x00\x01\x00icon")
    (public / "robots.txt").write_text("User-agent: *\n")
    (public / "images" / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (public / ".secret").write_text("hidden")
    (folder / "settings.txt").write_text("outside public")
    build(load_config(folder))
    return folder


@pytest.fixture(scope="module")
def client(folder):
    with TestClient(create_app(folder)) as client:
        yield client


def test_the_stylesheet_is_hashed_precompressed_and_linked_from_every_page(client, folder):
    manifest = ensure_built(load_config(folder))
    assert manifest.style.startswith("style-") and manifest.style.endswith(".css")
    html = client.get("/").text
    assert '<link rel="stylesheet" href="/_lepta/%s">' % manifest.style in html
    sheet = client.get("/_lepta/" + manifest.style, headers={"accept-encoding": "br"})
    assert sheet.headers["content-type"] == "text/css; charset=utf-8"
    assert sheet.headers["content-encoding"] == "br"
    assert "immutable" in sheet.headers["cache-control"]
    assert b"rebeccapurple" in sheet.content


def test_a_changed_stylesheet_gets_a_new_name(folder, tmp_path):
    other = make_app(tmp_path / "restyled", name="restyled_app")
    with (other / "pyproject.toml").open("a") as settings:
        settings.write('style = "style.css"\n')
    (other / "style.css").write_text("p { margin: 0 }\n")
    first = ensure_built(load_config(other)).style
    (other / "style.css").write_text("p { margin: 1em }\n")
    assert ensure_built(load_config(other)).style != first


def test_public_files_are_served_at_the_site_root_with_their_types(client):
    robots = client.get("/robots.txt")
    assert robots.status_code == 200 and robots.text == "User-agent: *\n"
    assert robots.headers["content-type"].startswith("text/plain")
    logo = client.get("/images/logo.svg")
    assert logo.headers["content-type"] == "image/svg+xml"
    assert logo.headers["cache-control"] == "public, max-age=3600"
    again = client.get("/images/logo.svg", headers={"if-none-match": logo.headers["etag"]})
    assert again.status_code == 304


def test_a_page_path_starting_with_no_public_name_looks_at_no_file(client, monkeypatch):
    import lepta.server._files as files

    looked: list[str] = []
    monkeypatch.setattr(files.os.path, "isfile", lambda path: looked.append(path) or False)
    assert client.get("/contacts/3").status_code in (200, 404)
    assert looked == []
    client.get("/images/missing.svg")
    assert looked and looked[0].endswith("missing.svg")


def test_a_file_added_to_a_public_folder_while_serving_is_served(client, folder):
    added = folder / "public" / "images" / "added.txt"
    added.write_text("new")
    try:
        assert client.get("/images/added.txt").text == "new"
    finally:
        added.unlink()


def test_the_favicon_is_linked_when_the_app_has_one(client):
    assert '<link rel="icon" href="/favicon.ico">' in client.get("/").text
    assert client.get("/favicon.ico").content == b"\x00\x00\x01\x00icon"


def test_nothing_outside_public_nor_hidden_is_served(client):
    urls = ["/.secret", "/../settings.txt", "/%2e%2e/settings.txt"]
    urls.append("/images/..%2F..%2Fsettings.txt")
    for url in urls:
        response = client.get(url)
        assert "outside public" not in response.text and "hidden" not in response.text, url


def test_a_missing_file_a_browser_asks_for_is_a_plain_404_not_a_page(client, tmp_path):
    for url in ["/apple-touch-icon.png", "/sitemap.xml", "/missing.css"]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "<button>" not in response.text  # not the app's page
    bare = make_app(tmp_path / "bare", name="bare_app")
    ensure_built(load_config(bare))
    with TestClient(create_app(bare)) as plain:
        assert plain.get("/favicon.ico").status_code == 404
        assert '<link rel="icon" href="data:,">' in plain.get("/").text


def test_a_mounted_app_links_its_files_below_its_mount_point(folder):
    manifest = ensure_built(load_config(folder))
    outer = Starlette(routes=[Mount("/site", app=create_app(folder))])
    with TestClient(outer) as client:
        html = client.get("/site/").text
        assert '<link rel="stylesheet" href="/site/_lepta/%s">' % manifest.style in html
        assert '<link rel="icon" href="/site/favicon.ico">' in html
        assert client.get("/site/robots.txt").status_code == 200


def test_a_missing_stylesheet_or_a_path_outside_the_app_is_refused(tmp_path):
    folder = make_app(tmp_path / "unstyled", name="unstyled_app")
    settings = folder / "pyproject.toml"
    text = settings.read_text()
    settings.write_text(text + 'style = "nothing.css"\n')
    with pytest.raises(BuildError, match=r'style = "nothing\.css"'):
        build(load_config(folder))
    settings.write_text(text + 'style = "../style.css"\n')
    with pytest.raises(ConfigError, match="a file in the app's folder"):
        load_config(folder)
