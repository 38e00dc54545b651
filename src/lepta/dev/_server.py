"""The development loop: watch the app's files, rebuild what changed, serve the new code,
tell the open pages.

One change, start to end:

1. watchfiles reports it (50 ms after the last write of a burst);
2. the bundle is built again, as a development build (lepta.build.bundle): the build
   cache strips and compiles only the modules whose content changed, nothing is
   precompressed;
3. for a change of Python code (or of pyproject.toml), the app's own modules are
   forgotten and imported again in this process, a new app is made with
   `create_app`, its `setup` entered and the previous app's left; a stylesheet
   change makes a new app on the same modules (its pages link the new sheet);
4. the state (version, stylesheet, error) goes to every open page: a new version
   reloads the page, a new stylesheet replaces the old one in place;
5. for MicroPython, the browser modules are then imported under MicroPython in Node
   (cached by content, as `lepta build` does); a failure shows in the overlay.

A failure at step 2 or 3 keeps the last good app serving, prints the error here and
shows it in the pages' overlay; the next change that builds and imports clears it.
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from ..build.bundle import (
    SKIPPED_APP_DIRS,
    app_files,
    browser_app_files,
    build,
    build_cache,
    check_micropython,
)
from ..reactive import LeptaError
from ..server import create_app, load_config
from ..server.config import AppConfig
from ._app import DevApp, DevError

STEP_MS = 50  # a burst of writes is one change once the files are quiet this long
CHECK_DELAY = 0.5  # seconds: the page reloads first, then MicroPython's check runs


class DevServer:
    """`lepta dev`: serves the app in `app_dir` as `app` (an ASGI app), rebuilding and
    reloading it as its files change.

        server = DevServer("myapp")
        uvicorn.run(server.app, host="127.0.0.1", port=3000)
    """

    def __init__(
        self,
        app_dir: str | os.PathLike[str],
        runtime: str | None = None,
        url: str = "",
        out: TextIO | None = None,
    ) -> None:
        self.app_dir = Path(app_dir).resolve()
        self.runtime = runtime
        self.url = url
        self.out = out or sys.stderr
        self.app = DevApp(startup=self.start, shutdown=self.stop)
        # Versions unique across restarts: a page from before one reloads after it.
        self.app.state.version = int(time.time() * 1000)
        self.stopping: asyncio.Event | None = None
        self.watcher: asyncio.Task[None] | None = None
        self.checking: asyncio.Task[None] | None = None
        self.pending: set[str] = {"code"}  # what changed since the last good load

    async def start(self) -> None:
        sys.dont_write_bytecode = True  # (see forget_modules)
        self.stopping = asyncio.Event()
        await self.load(["(start)"])
        self.say("serving %s (watching %s; Ctrl-C stops)" % (self.url, self.app_dir))
        self.watcher = asyncio.create_task(self.watch())

    async def stop(self) -> None:
        if self.stopping is not None:
            self.stopping.set()
        for task in (self.watcher, self.checking):
            if task is not None:
                task.cancel()

    async def watch(self) -> None:
        from watchfiles import awatch

        watched = _Watched(self.app_dir)
        async for changes in awatch(
            self.app_dir, watch_filter=watched, stop_event=self.stopping, step=STEP_MS
        ):
            kinds, names = self.classify(path for _, path in changes)
            if kinds:
                self.pending |= kinds
                await self.load(names)

    def classify(self, paths: Iterable[str]) -> tuple[set[str], list[str]]:
        """What the changed `paths` are ("code", "style", "page"), and their names."""
        try:
            style = load_config(self.app_dir, self.runtime).style
        except LeptaError:
            style = ""
        kinds: set[str] = set()
        names: list[str] = []
        for path in paths:
            rel = Path(path).relative_to(self.app_dir)
            if style and rel.as_posix() == style:
                kinds.add("style")
            elif rel.parts[0] == "public":
                kinds.add("page")
            elif rel.as_posix() == "pyproject.toml" or rel.suffix == ".py":
                kinds.add("code")
            else:
                continue
            names.append(rel.as_posix())
        return kinds, sorted(names)

    async def load(self, names: list[str]) -> None:
        """Build the app and serve it; on failure keep the last good one, say why."""
        started = time.perf_counter()
        state = self.app.state
        try:
            config = load_config(self.app_dir, self.runtime)
            cache = build_cache(config)
            manifest = await asyncio.to_thread(build, config, cache=cache, development=True)
        except LeptaError as exc:
            self.fail(DevError("Build failed", str(exc)))
            return
        except Exception as exc:
            self.fail(DevError("Build failed", _traceback(exc, self.app_dir)))
            return
        built = time.perf_counter()
        code = "code" in self.pending
        if code:
            forget_modules(config)
        try:
            app = create_app(config.root, self.runtime)
        except Exception as exc:
            self.fail(DevError("Error importing the app", _traceback(exc, self.app_dir)))
            return
        try:
            await self.app.swap(app)
        except Exception as exc:
            self.fail(DevError("Error starting the app (its setup)", _traceback(exc, self.app_dir)))
            return
        if code or "page" in self.pending:
            state.version += 1
        self.pending = set()
        state.style = "/_lepta/%s" % manifest.style if manifest.style else ""
        state.error = None
        self.app.publish()
        done = time.perf_counter()
        if names != ["(start)"]:
            compiled = cache.made["mpy"] or cache.made["strip"]
            self.say(
                "%s: built in %d ms (%d module%s compiled), %s in %d ms"
                % (
                    ", ".join(names),
                    (built - started) * 1000,
                    compiled,
                    "" if compiled == 1 else "s",
                    "reloaded" if code else "served",
                    (done - built) * 1000,
                )
            )
        if manifest.runtime == "micropython":
            if self.checking is not None:
                self.checking.cancel()
            self.checking = asyncio.create_task(self.check(config, state.version))

    async def check(self, config: AppConfig, version: int) -> None:
        """Import the browser modules under MicroPython, as `lepta build` does."""
        await asyncio.sleep(CHECK_DELAY)
        try:
            failure = await asyncio.to_thread(micropython_failure, config)
        except LeptaError as exc:
            failure = str(exc)
        state = self.app.state
        if failure is not None and state.version == version and state.error is None:
            self.fail(
                DevError(
                    "Does not run under MicroPython",
                    "Under MicroPython %s.\nChange it, or build for Pyodide (full CPython in "
                    'the browser): runtime = "pyodide" under [tool.lepta].' % failure,
                )
            )

    def fail(self, error: DevError) -> None:
        self.app.state.error = error
        self.app.publish()
        self.say("%s\n%s" % (error.title, error.text.rstrip()))

    def say(self, text: str) -> None:
        print("lepta dev: %s" % text, file=self.out, flush=True)


def micropython_failure(config: AppConfig) -> str | None:
    """What fails when the app's browser modules are imported under MicroPython."""
    cache = build_cache(config)
    with tempfile.TemporaryDirectory() as scratch:
        return check_micropython(config, browser_app_files(config, Path(scratch), cache), cache)


def forget_modules(config: AppConfig) -> None:
    """Remove the app's own modules from `sys.modules`, so importing the app runs their
    new code, and the server's compiled forms of their functions. (Their cached
    bytecode goes too: an edit within the second of the last one, of the same size,
    would look unchanged to it.)"""
    from ..ssr._compile import forget_compiled

    forget_compiled()
    own = {str(path) for path in app_files(config).values()}
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None)
        if file is None or name == "lepta" or name.startswith("lepta."):
            continue
        if str(Path(file).resolve()) in own:
            del sys.modules[name]
            try:
                os.unlink(importlib.util.cache_from_source(file))
            except (OSError, ValueError, NotImplementedError):
                pass
    importlib.invalidate_caches()


class _Watched:
    """The files that make the app: not its build, tests, caches or hidden folders."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def __call__(self, change: Any, path: str) -> bool:
        try:
            parts = Path(path).relative_to(self.root).parts
        except ValueError:
            return False
        return not any(part in SKIPPED_APP_DIRS or part.startswith(".") for part in parts[:-1])


def _traceback(exc: BaseException, root: Path) -> str:
    """The traceback of `exc`, from the first frame in the app's own files on."""
    found = traceback.TracebackException.from_exception(exc)
    frames = found.stack
    for i, frame in enumerate(frames):
        if Path(frame.filename).resolve().is_relative_to(root):
            del frames[:i]
            break
    return "".join(found.format())
