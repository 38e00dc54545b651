"""`lepta build`: what it checks before building, and what it keeps of earlier builds."""

import pytest
from starlette.testclient import TestClient

from app_folders import COUNTER, make_app
from lepta.build.bundle import KEEP_BUILDS, BuildError, build
from lepta.server import create_app, load_config


def line_of(path, text):
    """The number of the first line of `path` that starts with `text`."""
    lines = path.read_text().splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.startswith(text))


def test_a_syntax_error_is_reported_as_one_with_its_file_and_line(tmp_path):
    source = COUNTER + "\n\ndef broken(:\n    pass\n"
    folder = make_app(tmp_path / "syntax", source)
    with pytest.raises(BuildError) as raised:
        build(load_config(folder))
    message = str(raised.value)
    line = line_of(folder / "counter_app.py", "def broken(")
    assert message.startswith("%s, line %d: SyntaxError: " % (folder / "counter_app.py", line))
    assert "def broken(:" in message
    assert "MicroPython" not in message and "pyodide" not in message


def test_a_module_micropython_lacks_stops_a_micropython_build_naming_file_and_line(tmp_path):
    source = COUNTER + "\nfrom dataclasses import dataclass\n"
    folder = make_app(tmp_path / "lacking", source)
    with pytest.raises(BuildError) as raised:
        build(load_config(folder))
    message = str(raised.value)
    line = line_of(folder / "counter_app.py", "from dataclasses")
    assert "module counter_app failed at %s, line %d" % (folder / "counter_app.py", line) in message
    assert "dataclasses" in message
    assert 'runtime = "pyodide"' in message
    assert not (folder / "target").exists()  # nothing half-built


def test_a_module_that_fails_in_a_module_it_imports_names_the_apps_own_file(tmp_path):
    folder = make_app(tmp_path / "nested", COUNTER + "\nimport helpers\n")
    (folder / "helpers.py").write_text("x = 1\nimport enum\n")
    with pytest.raises(BuildError) as raised:
        build(load_config(folder))
    assert "at %s, line 2" % (folder / "helpers.py") in str(raised.value)


def bundle_of(client, manifest):
    return client.get("/_lepta/" + manifest.bundle).status_code


def test_a_rebuild_keeps_the_files_a_running_server_still_names(tmp_path):
    folder = make_app(tmp_path / "deploy")
    config = load_config(folder)
    first = build(config)
    running = TestClient(create_app(folder))  # started on the first build
    assert bundle_of(running, first) == 200
    manifests = [first]
    for n in range(KEEP_BUILDS):
        (folder / "counter_app.py").write_text(COUNTER + "\nVERSION = %d\n" % n)
        manifests.append(build(config))
        if n < KEEP_BUILDS - 1:
            # the server started before the rebuild still serves its pages' files
            assert bundle_of(running, first) == 200
            assert (config.site / "_lepta" / first.bundle).exists()
    names = {p.name for p in (config.site / "_lepta").iterdir()}
    for kept in manifests[-KEEP_BUILDS:]:
        assert {kept.bundle, kept.bundle + ".br", kept.bundle + ".gz"} <= names
    # builds older than the last KEEP_BUILDS are pruned
    assert not any(name.startswith(first.bundle) for name in names)
    assert bundle_of(running, first) == 404


def test_a_module_only_server_functions_use_stays_on_the_server(tmp_path):
    from lepta.build.bundle import unpack

    source = COUNTER + (
        "\nfrom lepta import server\n\n\n@server\nasync def count() -> int:\n"
        "    from store import total\n\n    return total()\n"
    )
    folder = make_app(tmp_path / "layers", source)
    (folder / "store.py").write_text("import sqlite3  # not in MicroPython\n\n\ndef total():\n"
                                     "    return 1\n")
    (folder / "shared.py").write_text("LABEL = 'kept'\n")
    (folder / "counter_app.py").write_text(
        (folder / "counter_app.py").read_text() + "\nimport shared\n"
    )
    config = load_config(folder)
    manifest = build(config)  # store.py never reaches MicroPython: it would fail there
    files = unpack((config.site / "_lepta" / manifest.bundle).read_bytes())
    assert "store.mpy" not in files
    assert "shared.mpy" in files and "counter_app.mpy" in files
