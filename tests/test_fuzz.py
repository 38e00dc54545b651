"""Every example's server functions fuzzed from the app's own OpenAPI document.

Schemathesis reads `/_lepta/openapi.json` and generates requests for each function,
inputs that fit its hints and inputs that do not, sent in-process to the ASGI app
with a database of its own (DATABASE_URL: a new SQLite file). Every answer must:

- not be a server error (5xx),
- match the document (status code, content type, body schema),
- leak nothing of the server: no Python traceback, no file path of the app or of the
  installed packages.

Each function is called as its callers call it: by code, asking for JSON (the
browser's stubs, scripts), with JSON or a URL-encoded body; and for POST functions by
a browser posting a form itself (no JavaScript: it asks for HTML and gets a 303 or
the page again).

The run is bounded (MAX_EXAMPLES inputs per function, mode and caller) and
repeatable (Hypothesis is derandomised), to fit the test command. To search harder:

    LEPTA_FUZZ_EXAMPLES=1000 LEPTA_FUZZ_RANDOM=1 .venv/bin/python -m pytest tests/test_fuzz.py

(LEPTA_FUZZ_RANDOM=1 draws new inputs on each run instead of the same ones.) A failure
names the function and gives a curl command that replays it.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis.errors import Unsatisfiable  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.python import asgi as schemathesis_asgi  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from lepta.build.bundle import ensure_built  # noqa: E402
from lepta.server import create_app, load_config  # noqa: E402
from lepta.server_fn._function import registry  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
OPENAPI = "/_lepta/openapi.json"

# The examples that declare server functions (a test below keeps this list complete).
FUZZED = [
    "fastapi_mount",
    "hackernews",
    "router",
    "session_auth",
    "ssr_modes",
    "stores",
    "todo_app_sqlite",
]

MAX_EXAMPLES = int(os.environ.get("LEPTA_FUZZ_EXAMPLES", "25"))
RANDOM = os.environ.get("LEPTA_FUZZ_RANDOM", "") not in ("", "0")

MODES = [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"


def no_server_internals(ctx, response, case):
    """No answer shows a traceback or a path of the server's files."""
    text = response.text or ""
    for marker in LEAKS:
        if marker.search(text):
            raise AssertionError(
                "the answer shows the server's internals (%s):\n%s"
                % (marker.pattern, text[:2000])
            )


LEAKS = [
    re.compile(re.escape("Traceback (most recent call last)")),
    re.compile(r'File \\?"[^"]+\\?", line \d+'),  # (in JSON, the quotes are escaped)
    re.compile(re.escape(str(ROOT))),
    re.compile(r"site-packages"),
]

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    no_server_internals,
]


def declares_server_functions(folder: Path) -> bool:
    return any("@server" in path.read_text() for path in folder.glob("*.py"))


def test_every_example_with_server_functions_is_fuzzed():
    declaring = sorted(
        folder.name
        for folder in EXAMPLES.iterdir()
        if folder.is_dir() and declares_server_functions(folder)
    )
    assert declaring == FUZZED


@pytest.fixture
def served(monkeypatch, tmp_path):
    """served(example) -> the Schemathesis schema of the example's app, started in
    process on a new database; its modules, and the process's registry of server
    functions, are the example's alone while the test runs."""
    saved_registry = dict(registry)
    saved_modules = {}
    folders = []

    def serve(example: str):
        folder = EXAMPLES / example
        for path in folder.glob("*.py"):  # plain names (app, db, todos...) that others use
            if path.stem in sys.modules:
                saved_modules[path.stem] = sys.modules.pop(path.stem)
        registry.clear()
        folders.append(str(folder))
        monkeypatch.setenv("DATABASE_URL", "sqlite:///%s" % (tmp_path / "app.db"))
        monkeypatch.setenv("LEPTA_SECRET_KEY", "fuzzing-only-" + "k" * 32)
        monkeypatch.delenv("LEPTA_ENV", raising=False)  # development: the document is served
        config = load_config(folder, "micropython")
        ensure_built(config)
        return schemathesis.openapi.from_asgi(OPENAPI, create_app(folder, "micropython"))

    yield serve
    schemathesis_asgi.shutdown_lifespans()  # the app's setup closes its database
    for folder in folders:
        for path in Path(folder).glob("*.py"):
            sys.modules.pop(path.stem, None)
        while folder in sys.path:
            sys.path.remove(folder)
    sys.modules.update(saved_modules)
    registry.clear()
    registry.update(saved_registry)


# How each kind of caller calls a function: (media type of the body, request headers).
# Code (the browser's stubs, scripts) asks for JSON, with a JSON or a URL-encoded body;
# a browser posting a form itself asks for HTML.
CALLERS = {
    "code": [(JSON, {"Accept": JSON}), (FORM, {"Accept": JSON})],
    "browser form": [(FORM, {"Accept": "text/html,application/xhtml+xml"})],
}

CASES = [pytest.param(example, "code") for example in FUZZED] + [
    pytest.param(example, "browser form")
    for example in ["fastapi_mount", "router", "session_auth", "stores", "todo_app_sqlite"]
]


def fuzz(operation, mode, media_type, headers) -> str | None:
    """Run the operation's generated cases; the failure report, or None."""
    options = {"generation_mode": mode}
    if media_type is not None:
        options["media_type"] = media_type

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=not RANDOM,
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    @given(case=operation.as_strategy(**options))
    def run(case):
        # (A browser form is answered with a 303 to its page: the redirect is the answer.)
        case.call_and_validate(headers=headers, checks=CHECKS, allow_redirects=False)

    try:
        run()
    except Unsatisfiable:
        pass  # nothing to make invalid: a function without arguments, in negative mode
    except Exception as exc:
        return str(exc)
    return None


@pytest.mark.parametrize("example,caller", CASES)
def test_server_functions_answer_every_input_as_their_document_says(served, example, caller):
    schema = served(example)
    failures = []
    count = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.method.upper() == "GET":
            if caller != "code":
                continue  # arguments in the query: no form, no body
            ways = [(None, {"Accept": JSON})]
        else:
            ways = CALLERS[caller]
        count += 1
        for media_type, headers in ways:
            for mode in MODES:
                report = fuzz(operation, mode, media_type, headers)
                if report is not None:
                    failures.append(
                        "%s (%s, %s, %s inputs):\n%s"
                        % (operation.label, caller, media_type or "query", mode.value, report)
                    )
    assert count > 0, "%s: its OpenAPI document lists no function for %s" % (example, caller)
    assert not failures, "\n\n".join(failures)


def test_the_leak_check_sees_a_traceback_and_a_path():
    from types import SimpleNamespace

    no_server_internals(None, SimpleNamespace(text='{"error": {"message": "no"}}'), None)
    for text in [
        "Traceback (most recent call last):\n  boom",
        '{"detail": "File \\"app.py\\", line 3, in f"}',
        "failed in %s/examples/router/app.py" % ROOT,
    ]:
        with pytest.raises(AssertionError, match="internals"):
            no_server_internals(None, SimpleNamespace(text=text), None)
