"""The developer loop of `lepta dev`, in Chromium, on MicroPython.

    .venv/bin/python bench/dev_loop.py [--edits 10] [--pause 1.5]

Three figures, as a developer meets them:

1. `lepta new` to a served page: `lepta new` makes a basic app in a temporary folder,
   `lepta dev` serves it, Chromium opens it; the clock stops when the page is
   hydrated (packages installed; the shared build cache as it is on this machine);
2. a component's text edited: app.py is written with a new heading; the clock stops
   when the open page shows it (the page reloads), and again when it is interactive;
3. the stylesheet edited: style.css is written with a new colour; the clock stops
   when the heading's computed colour is the new one (no reload).

Each edit is timed `--edits` times, `--pause` seconds apart (a developer reads what
changed before the next save); the median and the 95th percentile are printed.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

from lepta.testing.browser import launch_chromium, wait_hydrated

HYDRATED = "data-lepta-hydrated"  # set by the loader once the page is interactive
LEPTA = shutil.which("lepta", path=os.path.dirname(sys.executable)) or "lepta"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_up(process: subprocess.Popen[bytes], url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("lepta dev exited with %s" % process.returncode)
        try:
            urllib.request.urlopen(url + "/", timeout=2).read()
            return
        except OSError:
            time.sleep(0.02)
    raise RuntimeError("lepta dev did not answer at %s" % url)


def poll(page: object, script: str, timeout: float = 20) -> float:
    """Seconds until `script` is true in the page (across its reloads)."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        try:
            if page.evaluate(script):  # type: ignore[attr-defined]
                return time.perf_counter()
        except Exception:  # (the page is loading again: its context went)
            pass
        time.sleep(0.005)
    raise TimeoutError(script)


def summary(name: str, seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[max(math.ceil(0.95 * len(ms)) - 1, 0)]
    return "%-34s p50 %6.0f ms   p95 %6.0f ms   (n=%d, min %.0f, max %.0f)" % (
        name, statistics.median(ms), p95, len(ms), ms[0], ms[-1]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--pause", type=float, default=1.5)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="lepta-dev-loop-"))
    port = free_port()
    url = "http://127.0.0.1:%d" % port
    process = None
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            page = browser.new_page()
            started = time.perf_counter()
            subprocess.run([LEPTA, "new", "app"], cwd=scratch, check=True, capture_output=True)
            app = scratch / "app"
            process = subprocess.Popen(
                [LEPTA, "dev", str(app), "--port", str(port)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            wait_up(process, url)
            page.goto(url + "/")
            wait_hydrated(page)
            new_to_page = time.perf_counter() - started

            source = app / "app.py"
            original = source.read_text()
            marker = 'h1("app")'
            assert marker in original, "the basic template's heading changed"
            text_times, interactive_times = [], []
            for i in range(args.edits):
                time.sleep(args.pause)
                heading = "Edit number %d" % (i + 1)
                t0 = time.perf_counter()
                source.write_text(original.replace(marker, 'h1("%s")' % heading))
                shown = poll(page, "document.querySelector('h1')?.textContent === %r" % heading)
                hydrated = poll(page, "document.documentElement.hasAttribute(%r)" % HYDRATED)
                text_times.append(shown - t0)
                interactive_times.append(hydrated - t0)

            style = app / "style.css"
            sheet = style.read_text()
            page.evaluate("window.benchMarker = 'kept'")
            colour = "getComputedStyle(document.querySelector('h1')).color"
            style_times = []
            for i in range(args.edits):
                time.sleep(args.pause)
                rgb = "rgb(%d, 40, 90)" % (10 + i)
                t0 = time.perf_counter()
                style.write_text(sheet + "\nh1 { color: %s; }\n" % rgb)
                style_times.append(poll(page, "%s === %r" % (colour, rgb)) - t0)
            reloaded = page.evaluate("window.benchMarker") != "kept"
            browser.close()
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(scratch, ignore_errors=True)

    print("lepta dev loop: MicroPython runtime, headless Chromium, %d edits %.1f s apart"
          % (args.edits, args.pause))
    print("%-34s %6.0f ms" % ("lepta new -> page hydrated", new_to_page * 1000))
    print(summary("edit text -> new text on screen", text_times))
    print(summary("edit text -> page interactive", interactive_times))
    print(summary("edit stylesheet -> new style", style_times))
    print("stylesheet edits reloaded the page: %s" % ("yes" if reloaded else "no"))


if __name__ == "__main__":
    main()
