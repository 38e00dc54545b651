"""examples/fastapi_mount: a Lepta app inside FastAPI, served by uvicorn, in Chromium."""

import json
import os
import subprocess
import sys
import urllib.request

import pytest

from lepta.testing.browser import wait_hydrated

from .conftest import EXAMPLES, RUNTIMES, Visit, free_port, wait_until_up

FOLDER = EXAMPLES / "fastapi_mount"


@pytest.fixture(params=RUNTIMES)
def served(request):
    subprocess.run(
        [sys.executable, "-m", "lepta.cli", "build", str(FOLDER), "--runtime", request.param],
        check=True,
        capture_output=True,
    )
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "main:app", "--app-dir", str(FOLDER),
         "--port", str(port), "--log-level", "warning"],
        env=dict(os.environ, LEPTA_RUNTIME=request.param),
    )
    url = "http://127.0.0.1:%d" % port
    try:
        wait_until_up(process, url + "/app")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_fastapi_keeps_its_endpoints_and_the_lepta_page_works_below_its_mount(browser, served):
    status = json.loads(urllib.request.urlopen(served + "/api/status").read())
    assert status == {"status": "ok"}
    v = Visit(browser, served)
    try:
        page = v.page()
        page.goto(served + "/app/")
        wait_hydrated(page)
        page.click("#count")
        page.wait_for_function("() => document.querySelector('#total').textContent !== ''")
        assert page.text_content("#total").endswith("clicks")
        assert v.foreign == [] and v.errors == []
    finally:
        v.close()
