"""The lepta command."""

import subprocess
import sys

import pytest

from app_folders import make_app
from lepta.build.bundle import ensure_built


def lepta(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "lepta.cli", *args], capture_output=True, text=True, cwd=cwd
    )


def test_lepta_render_prints_a_components_html(tmp_path):
    (tmp_path / "hello.py").write_text(
        "from lepta import component\nfrom lepta.html import p\n\n"
        "@component\ndef Hello(name='world'):\n    return p('Hello, ', name)\n"
    )
    result = lepta("render", "hello:Hello", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "<p>Hello, world</p>"


def test_lepta_render_explains_a_bad_target(tmp_path):
    assert "module:Component" in lepta("render", "nocolon", cwd=tmp_path).stderr
    result = lepta("render", "missing_module:App", cwd=tmp_path)
    assert result.returncode == 1 and "cannot import" in result.stderr
    (tmp_path / "plain.py").write_text("def App():\n    return 1\n")
    assert "mark it with @component" in lepta("render", "plain:App", cwd=tmp_path).stderr


def test_lepta_version():
    assert lepta("--version").stdout.startswith("lepta 0.1.0")


def test_lepta_serve_on_a_port_in_use_fails_first_with_one_line(tmp_path):
    import socket

    folder = make_app(tmp_path / "busy")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = lepta("serve", str(folder), "--port", str(port))
    assert result.returncode == 1
    assert result.stdout == ""  # no URL announced for a server that never ran
    assert result.stderr.strip() == (
        "lepta serve: port %d on 127.0.0.1 is in use: stop what listens there, "
        "or pass --port N" % port
    )
    assert not (folder / "target").exists()  # nothing built either


def test_a_wrong_app_setting_is_one_line_naming_what_to_fix(tmp_path):
    folder = make_app(tmp_path / "wrong")
    settings = folder / "pyproject.toml"
    settings.write_text(settings.read_text().replace("counter_app:App", "nothing_here:App"))
    result = lepta("build", str(folder))
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert 'app = "nothing_here:App"' in result.stderr and "no nothing_here.py" in result.stderr


def test_a_wrong_component_name_is_one_line_naming_what_to_fix(tmp_path):
    from lepta.server import ConfigError, create_app, load_config

    folder = make_app(tmp_path / "wrong_name")
    ensure_built(load_config(folder))
    settings = folder / "pyproject.toml"
    settings.write_text(settings.read_text().replace("counter_app:App", "counter_app:Nope"))
    with pytest.raises(ConfigError) as raised:
        create_app(folder)
    message = str(raised.value)
    assert "\n" not in message
    assert 'app = "counter_app:Nope"' in message and "has no 'Nope'" in message


def test_lepta_dev_on_a_port_in_use_fails_first_with_one_line(tmp_path):
    import socket

    folder = make_app(tmp_path / "busy_dev")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = lepta("dev", str(folder), "--port", str(port))
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "lepta dev: port %d on 127.0.0.1 is in use: stop what listens there, "
        "or pass --port N" % port
    )


def test_lepta_dev_on_a_folder_that_is_no_app_says_so(tmp_path):
    result = lepta("dev", str(tmp_path / "missing"))
    assert result.returncode == 1
    assert "is not a folder" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_nothing_of_lepta_dev_is_in_what_build_and_serve_make(tmp_path):
    from starlette.testclient import TestClient

    from lepta.build.bundle import unpack
    from lepta.server import create_app, load_config

    folder = make_app(tmp_path / "plain")
    manifest = ensure_built(load_config(folder))
    site = load_config(folder).site
    for path in site.rglob("*"):
        if path.is_file() and not path.name.endswith((".gz", ".br")):
            data = path.read_bytes()
            assert b"/_lepta/dev" not in data and b"lepta-dev" not in data, path
            assert b"EventSource" not in data, path
    bundle = unpack((site / "_lepta" / manifest.bundle).read_bytes())
    assert not [name for name in bundle if name.startswith("lepta/dev/")]
    client = TestClient(create_app(folder))
    page = client.get("/")
    assert page.status_code == 200 and "/_lepta/dev" not in page.text
    assert "lepta-dev" not in page.text
    assert client.get("/_lepta/dev/events").status_code == 404
    assert client.get("/_lepta/dev/client.js").status_code == 404
