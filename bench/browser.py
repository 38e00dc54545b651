"""Browser benchmark: the js-framework-benchmark operations, and startup, in headless Chromium.

    python bench/browser.py                            # everything, 5 runs
    python bench/browser.py --runs 3 --only vanilla-js,python-js-micropython
    python bench/browser.py --only lepta-micropython,python-js-micropython --part ops
    python bench/browser.py --part startup --json

Implementations (all render the same markup; see bench/browser/vanilla/index.html):
  vanilla-js             hand-written JavaScript (bench/browser/vanilla): the physical limit
  python-js-micropython  hand-written Python on the `js` bridge (bench/browser/handwritten),
  python-js-pyodide      the same app.py on MicroPython 1.27 / Pyodide: the practical limit
                         (MicroPython's files as lepta serves them, unless --published-runtime)
  lepta-micropython      the framework: `lepta serve examples/js_framework_benchmark
  lepta-pyodide          --runtime R`, ready when <html> has data-lepta-hydrated

Part 1, operations (--part ops).  Each run loads every implementation's page afresh (the
order rotates between runs); on that page each operation is prepared (untimed button
clicks, e.g. clear + "create 1,000 rows"), performed once as a warm-up, prepared again and
timed.  The median over --runs is reported.  An operation whose warm-up alone takes over
--slow seconds (default 10) is not repeated: that one unwarmed sample, from the first run,
stands for it (marked *).  Operations and what is on the page first:

  create1k    #run on an empty table             swap      #swaprows, 1,000 rows
  replace1k   #run on 1,000 rows                 remove    a.remove of row 4, 1,000 rows
  update      #update (every 10th), 1,000 rows   create10k #runlots on an empty table
  select      a.lbl of row 2, 1,000 rows         append1k  #add on 1,000 rows
                                                 clear1k   #clear on 1,000 rows
                                                 clear10k  #clear on 10,000 rows

Timing ("click to next paint", --method): the harness, the same JavaScript injected into
every page, waits for a requestAnimationFrame callback, takes performance.now(), calls
element.click() and posts a MessageChannel message.  The click handlers run synchronously
and the frameworks flush on a microtask, which runs before the rAF callback returns, so the
change is in this very frame: after the callbacks the browser recalculates style, lays out
and paints, and only then does the message task run, where the time is taken again.  So
the figure is script + style + layout + paint (main thread; rasterisation and compositing
happen off it), without waiting for a vsync.  `--method next-frame` instead takes the time,
clicks, then waits for the next requestAnimationFrame and a MessageChannel message: the
same work plus the wait for the next frame (up to 16.7 ms of vsync quantisation).  After
each timed click the page's state is read (row count, some ids and labels, tr.danger) and
compared with what the operation must produce: a framework that left the change for a
later frame is reported as failed, not credited with a short time.  A second table gives
the script part alone: from the click to a microtask queued right after it, which runs
after the microtasks the click queued (a framework's flush); the rest is style, layout and
paint, the same work for every implementation, which dominates the big operations on this
machine (laying out a 1,000-row table takes 50-100 ms).  Every page is served
cross-origin isolated (COOP and COEP headers), so that its clock tells time to 5 us
rather than 100: the small operations take about a millisecond.

Every page gets the same small stylesheet, bench/browser/bench.css (added by the harness;
--no-css leaves it out): none of the pages ships one, and without it a selected row
(tr.danger) would not even be repainted.

Before timing, every implementation is checked once (structure of a row, create, update,
select two rows in turn, swap, remove, replace, append, clear; create and clear 10k
are checked by every timed run, as every operation is); one that fails is reported as
failed and not timed.  Ratios: each lepta runtime against the hand-written Python on
the same runtime (target: every operation within 1.5x, and within 3x on script time
alone) and every implementation against vanilla JS.

Part 2, startup (--part startup): navigation to readiness for the counter example
(`lepta serve examples/counter --runtime R`; ready = data-lepta-hydrated on <html>), and,
as peers, the hand-written pages above (ready = data-ready, set once app.py has run).
The time is performance.now() (whose origin is the navigation start) taken by a
MutationObserver, installed before any page script, when the attribute appears.  Cold: a
new browser context (empty HTTP cache); warm: a second navigation in the same context.
Bytes: the sum over the page's requests of CDP Network.loadingFinished encodedDataLength,
i.e. what came over the wire, compressed, response headers included (the bodies alone are
reported too: that minus the response's encodedDataLength at Network.responseReceived,
the headers), up to readiness plus the load event.  --json adds each request of the last
cold run with its bytes and its start and end (ms after the navigation's first request).
Before the measured runs one untimed cold + warm pair primes each server; the order of
the implementations rotates between runs.
Targets: MicroPython cold within 400 ms and at most 350 KB; Pyodide cold within 3.5 s.

The static implementations are served by a small Starlette app (uvicorn, a thread, a
free port on 127.0.0.1) with gzip precompressed in memory, ETags, `no-cache` for the app
files and a one-year `immutable` for the runtime files.  Nothing leaves 127.0.0.1: a
request to another host is reported as an error.

Exit status 1 if an implementation fails, cannot be started, or a page reports an error.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import hashlib
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SITE = HERE / "browser"
sys.path.insert(0, str(ROOT / "src"))

from lepta.testing.browser import CHROMIUM_FLAGS  # noqa: E402

# ---------------------------------------------------------------------------------------
# Implementations and operations


class Impl:
    def __init__(self, name, kind, path, ready, runtime=None, example=None):
        self.name = name
        self.kind = kind  # "static" (our server) or "lepta" (lepta serve)
        self.path = path  # URL path on its server
        self.ready = ready  # attribute on <html> that marks readiness
        self.runtime = runtime
        self.example = example


IMPLS = [
    Impl("vanilla-js", "static", "/vanilla/", "data-ready"),
    Impl("python-js-micropython", "static", "/handwritten/?runtime=micropython", "data-ready",
         "micropython"),
    Impl("python-js-pyodide", "static", "/handwritten/?runtime=pyodide", "data-ready",
         "pyodide"),
    Impl("lepta-micropython", "lepta", "/", "data-lepta-hydrated", "micropython",
         "js_framework_benchmark"),
    Impl("lepta-pyodide", "lepta", "/", "data-lepta-hydrated", "pyodide",
         "js_framework_benchmark"),
]

STARTUP_IMPLS = [
    Impl("vanilla-js", "static", "/vanilla/", "data-ready"),
    Impl("python-js-micropython", "static", "/handwritten/?runtime=micropython", "data-ready",
         "micropython"),
    Impl("python-js-pyodide", "static", "/handwritten/?runtime=pyodide", "data-ready",
         "pyodide"),
    Impl("lepta-micropython", "lepta", "/", "data-lepta-hydrated", "micropython", "counter"),
    Impl("lepta-pyodide", "lepta", "/", "data-lepta-hydrated", "pyodide", "counter"),
]

# name, description, preparation (button ids clicked in turn), (selector, index) clicked
OPS = [
    ("create1k", "create 1,000 rows", ["clear"], ("#run", 0)),
    ("replace1k", "replace 1,000 rows", ["clear", "run"], ("#run", 0)),
    ("update", "update every 10th row (1k)", ["clear", "run"], ("#update", 0)),
    ("select", "select a row (1k)", ["clear", "run"], ("a.lbl", 1)),
    ("swap", "swap rows 2 and 999 (1k)", ["clear", "run"], ("#swaprows", 0)),
    ("remove", "remove row 4 (1k)", ["clear", "run"], ("a.remove", 3)),
    ("create10k", "create 10,000 rows", ["clear"], ("#runlots", 0)),
    ("append1k", "append 1,000 to 1,000 rows", ["clear", "run"], ("#add", 0)),
    ("clear1k", "clear 1,000 rows", ["clear", "run"], ("#clear", 0)),
    ("clear10k", "clear 10,000 rows", ["clear", "runlots"], ("#clear", 0)),
]


def expect(op, before, after):
    """None if `after` is what `op` must make of `before`, else what is wrong."""
    n = after["n"]
    if op == "create1k":
        ok = n == 1000 and after["id0"] is not None
    elif op == "replace1k":
        ok = n == 1000 and after["id0"] != before["id0"]
    elif op == "update":
        ok = (n == 1000 and after["label0"] == before["label0"] + " !!!"
              and after["label10"] == before["label10"] + " !!!"
              and after["label1"] == before["label1"])
    elif op == "select":
        ok = n == 1000 and after["danger"] == 1 and after["dangerIndex"] == 1
    elif op == "swap":
        ok = (n == 1000 and after["id1"] == before["id998"] and after["id998"] == before["id1"])
    elif op == "remove":
        ok = n == 999 and after["id3"] == before["id4"] and after["id2"] == before["id2"]
    elif op == "create10k":
        ok = n == 10000
    elif op == "append1k":
        ok = n == 2000 and after["id0"] == before["id0"]
    elif op == "clear1k" or op == "clear10k":
        ok = n == 0
    else:
        raise ValueError(op)
    if ok:
        return None
    return "after %s the page shows %s (before: %s)" % (op, _short(after), _short(before))


def _short(d):
    return ", ".join("%s=%r" % kv for kv in d.items() if kv[1] not in (None, -1))


# The harness injected into every page once it is ready.
HARNESS = r"""
() => {
  const afterFrame = (fn) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => fn();
    channel.port2.postMessage(null);
  };
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => afterFrame(resolve)));
  const digest = () => {
    const tbody = document.getElementById("tbody");
    const rows = tbody ? tbody.rows : [];
    const n = rows.length;
    const id = (i) => (i < n ? rows[i].cells[0].textContent : null);
    const label = (i) => {
      const a = i < n ? rows[i].querySelector("a.lbl") : null;
      return a ? a.textContent : null;
    };
    const danger = tbody ? tbody.querySelectorAll("tr.danger") : [];
    return {
      n, id0: id(0), id1: id(1), id2: id(2), id3: id(3), id4: id(4), id998: id(998),
      label0: label(0), label1: label(1), label10: label(10), danger: danger.length,
      dangerIndex: danger.length ? Array.prototype.indexOf.call(rows, danger[0]) : -1,
    };
  };
  const find = (selector, index) => {
    const element = document.querySelectorAll(selector)[index];
    if (!element) throw new Error("no element " + selector + " #" + index);
    return element;
  };
  window.__lb = {
    frame, digest,
    async click(ids) {
      for (const id of ids) {
        find("#" + id, 0).click();
        await frame();
      }
      return digest();
    },
    async time(selector, index, method) {
      const element = find(selector, index);
      await frame();
      await frame();
      const before = digest();
      return await new Promise((resolve, reject) => {
        let script = null;
        const clickAt = () => {
          const t0 = performance.now();
          element.click();
          // Runs after the microtasks the click queued (a framework's flush).
          queueMicrotask(() => { script = performance.now() - t0; });
          return t0;
        };
        const done = (t0) => afterFrame(() => {
          const ms = performance.now() - t0;
          resolve({ms, script, before, after: digest()});
        });
        try {
          if (method === "next-frame") {
            const t0 = clickAt();
            requestAnimationFrame(() => done(t0));
          } else {
            requestAnimationFrame(() => {
              try { done(clickAt()); } catch (error) { reject(error); }
            });
          }
        } catch (error) { reject(error); }
      });
    },
    structure() {
      const problems = [];
      const need = (ok, what) => { if (!ok) problems.push(what); };
      for (const id of ["run", "runlots", "add", "update", "clear", "swaprows"]) {
        need(document.querySelector("button#" + id), "no button#" + id);
      }
      need(document.querySelector("table.table.table-hover.table-striped.test-data > tbody#tbody"),
           "no table.table.table-hover.table-striped.test-data > tbody#tbody");
      const tr = document.querySelector("#tbody > tr");
      if (!tr) { problems.push("no row"); return problems; }
      const cells = tr.children;
      need(cells.length === 4, "a row has " + cells.length + " children, not 4 td");
      if (cells.length === 4) {
        need(cells[0].matches("td.col-md-1") && /^\d+$/.test(cells[0].textContent),
             "cell 1 is not td.col-md-1 with the id");
        const a = cells[1].querySelector(":scope > a.lbl");
        need(cells[1].matches("td.col-md-4") && a, "cell 2 is not td.col-md-4 > a.lbl");
        need(a && /^[a-z]+ [a-z]+ [a-z]+$/.test(a.textContent),
             "label is not 'adjective colour noun': " + (a && a.textContent));
        need(cells[2].matches("td.col-md-1") && cells[2].querySelector(
             ":scope > a.remove > span.remove.glyphicon.glyphicon-remove[aria-hidden=true]"),
             "cell 3 is not td.col-md-1 > a.remove > span.remove.glyphicon.glyphicon-remove");
        need(cells[3].matches("td.col-md-6"), "cell 4 is not td.col-md-6");
      }
      need(!tr.className, "a new row has class " + JSON.stringify(tr.className));
      return problems;
    },
  };
}
"""

# Installed before any page script: records when the readiness attribute appears.
READY_OBSERVER = r"""
(() => {
  const attr = %s;
  const mark = () => {
    const root = document.documentElement;
    if (window.__lbReady === undefined && root && root.hasAttribute(attr)) {
      window.__lbReady = performance.now();
    }
  };
  new MutationObserver(mark).observe(document, {attributes: true, subtree: true,
                                               attributeFilter: [attr]});
  document.addEventListener("DOMContentLoaded", mark);
})();
"""

# ---------------------------------------------------------------------------------------
# Serving


MIME = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".wasm": "application/wasm",
    ".py": "text/x-python; charset=utf-8",
    ".json": "application/json",
    ".zip": "application/zip",
    ".css": "text/css; charset=utf-8",
    ".map": "application/json",
}


# Every page is cross-origin isolated (lepta's through its app's settings): then
# performance.now() tells time to 5 microseconds, not 100, which a change of a
# millisecond or two needs.
ISOLATED = {
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Embedder-Policy": "require-corp",
}


def make_app(mounts, immutable):
    """A Starlette app serving `mounts` ({url prefix: folder}); prefixes in `immutable`
    get a one-year cache lifetime, the rest `no-cache` (revalidate with the ETag)."""
    from starlette.applications import Starlette
    from starlette.responses import Response
    from starlette.routing import Route

    cache = {}
    lock = threading.Lock()

    def load(path):
        with lock:
            entry = cache.get(path)
            if entry is None:
                raw = path.read_bytes()
                packed = gzip.compress(raw, 6)
                if len(packed) > 0.9 * len(raw):
                    packed = None
                etag = '"%s"' % hashlib.sha1(raw).hexdigest()[:20]
                entry = cache[path] = (raw, packed, etag)
            return entry

    def resolve(url_path):
        for prefix, folder in mounts.items():
            if url_path.startswith(prefix):
                rest = url_path[len(prefix):]
                target = (folder / rest).resolve()
                if not target.is_relative_to(folder.resolve()):
                    return None, False
                if target.is_dir():
                    target = target / "index.html"
                return (target if target.is_file() else None), prefix in immutable
        return None, False

    async def serve(request):
        url_path = request.url.path
        if url_path == "/favicon.ico":
            return Response(status_code=204)
        target, forever = resolve(url_path)
        if target is None:
            return Response("not found\n", status_code=404, media_type="text/plain")
        raw, packed, etag = load(target)
        headers = {
            "ETag": etag,
            "Cache-Control": "public, max-age=31536000, immutable" if forever else "no-cache",
            "Vary": "Accept-Encoding",
            **ISOLATED,
        }
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers=headers)
        media_type = MIME.get(target.suffix, "application/octet-stream")
        if packed is not None and "gzip" in request.headers.get("accept-encoding", ""):
            headers["Content-Encoding"] = "gzip"
            return Response(packed, headers=headers, media_type=media_type)
        return Response(raw, headers=headers, media_type=media_type)

    return Starlette(routes=[Route("/{path:path}", serve)]), load, resolve


class StaticServer:
    """Our Starlette app under uvicorn in a thread, on a free port of 127.0.0.1."""

    def __init__(self, published=False):
        import uvicorn

        from lepta.build.bundle import served_runtime
        from lepta.build.runtimes import ensure_runtime

        # The hand-written page runs on MicroPython as lepta serves it (see
        # lepta.build.micropython_patch), unless `published`: as its package has it.
        micropython = ensure_runtime("micropython") if published else served_runtime("micropython")
        mounts = {
            "/runtime/micropython/": micropython,
            "/runtime/pyodide/": ensure_runtime("pyodide"),
            "/vanilla/": SITE / "vanilla",
            "/handwritten/": SITE / "handwritten",
        }
        self.mounts = mounts
        app, self._load, self._resolve = make_app(
            mounts, immutable={"/runtime/micropython/", "/runtime/pyodide/"})
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        config = uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    @property
    def base(self):
        return "http://127.0.0.1:%d" % self.port

    def prime(self, prefix):
        """Compress a mount's files now, so that no measured request waits for gzip."""
        folder = self.mounts[prefix]
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                self._load(path)

    def __enter__(self):
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the static server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def lepta_command():
    script = Path(sys.executable).parent / "lepta"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "lepta.cli"]


class LeptaServer:
    """`lepta serve examples/<example> --port N --runtime R` in its own process group."""

    def __init__(self, example, runtime, timeout):
        self.example = example
        self.runtime = runtime
        self.timeout = timeout
        self.port = free_port()
        self.proc = None
        self.log = tempfile.NamedTemporaryFile(
            prefix="lepta-serve-", suffix=".log", delete=False)

    @property
    def base(self):
        return "http://127.0.0.1:%d" % self.port

    def log_tail(self, lines=12):
        try:
            text = Path(self.log.name).read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.strip().splitlines()[-lines:])

    def start(self):
        """None when the server answers '/' with 200, else why not."""
        folder = ROOT / "examples" / self.example
        if not folder.exists():
            return "examples/%s does not exist" % self.example
        try:
            probe = subprocess.run(lepta_command() + ["serve", "--help"], cwd=ROOT,
                                   capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as e:
            return "`lepta serve --help` failed: %s" % e
        if probe.returncode != 0:
            msg = (probe.stderr or probe.stdout).strip().splitlines()
            return "`lepta serve` is not available (%s)" % (msg[-1] if msg else probe.returncode)
        cmd = lepta_command() + ["serve", "examples/%s" % self.example, "--port",
                                 str(self.port), "--runtime", self.runtime]
        self.proc = subprocess.Popen(cmd, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + self.timeout
        status = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return "`%s` exited with status %s:\n%s" % (
                    " ".join(cmd[-6:]), self.proc.returncode, self.log_tail())
            try:
                with urllib.request.urlopen(self.base + "/", timeout=5) as r:
                    status = r.status
            except urllib.error.HTTPError as e:
                status = e.code
            except OSError:
                status = None
            if status is not None:
                break
            time.sleep(0.2)
        if status != 200:
            return "`%s` answered %s on / (log:\n%s)" % (
                " ".join(cmd[-6:]), status or "nothing", self.log_tail())
        return None

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        self.log.close()
        with contextlib.suppress(OSError):
            os.unlink(self.log.name)


# ---------------------------------------------------------------------------------------
# Browser helpers


def log(*args):
    print(*args, file=sys.stderr, flush=True)


class PageWatch:
    """Collects page errors, console errors and requests that leave 127.0.0.1."""

    def __init__(self, page, host):
        self.errors = []
        self.host = host
        page.on("pageerror", lambda e: self.errors.append("page error: %s" % e))
        page.on("console", self._console)
        page.on("request", self._request)

    def _console(self, msg):
        if msg.type == "error":
            self.errors.append("console error: %s" % msg.text)

    def _request(self, request):
        url = request.url
        if not (url.startswith(self.host) or url.startswith("data:")
                or url.startswith("blob:")):
            self.errors.append("request off 127.0.0.1: %s" % url)


def ready_timeout(impl):
    return 120_000 if impl.runtime == "pyodide" else 30_000


def open_page(context, base, impl, css):
    """A new page with `impl` loaded, ready, the harness installed and, unless `css` is
    None, that stylesheet added; (page, watch)."""
    page = context.new_page()
    watch = PageWatch(page, base)
    page.goto(base + impl.path)
    try:
        page.wait_for_function(
            "document.documentElement.hasAttribute(%s) || "
            "document.documentElement.hasAttribute('data-error')" % json.dumps(impl.ready),
            timeout=ready_timeout(impl))
    except Exception as e:
        page.close()
        raise RuntimeError("not ready: %s %s" % (e, "; ".join(watch.errors))) from None
    err = page.evaluate("document.documentElement.getAttribute('data-error')")
    if err:
        page.close()
        raise RuntimeError("page error: %s; %s" % (err, "; ".join(watch.errors)))
    if not page.evaluate("crossOriginIsolated"):  # (see ISOLATED)
        page.close()
        raise RuntimeError("%s is not cross-origin isolated: its timers tell time to 100 us "
                           "only" % (base + impl.path))
    page.evaluate(HARNESS)
    if css is not None:
        page.add_style_tag(content=css)
    return page, watch


def check(page):
    """None if the implementation behaves, else the first problem found."""
    ev = page.evaluate
    d = ev("__lb.click(['clear'])")
    if d["n"] != 0:
        return "after clear there are %d rows" % d["n"]
    d = ev("__lb.click(['run'])")
    if d["n"] != 1000:
        return "after create 1k there are %d rows, not 1000" % d["n"]
    problems = ev("__lb.structure()")
    if problems:
        return "markup: " + "; ".join(problems)
    steps = [
        ("update", "#update", 0, ["run"]),
        ("select", "a.lbl", 1, []),
        ("swap", "#swaprows", 0, []),
        ("remove", "a.remove", 3, []),
        ("replace1k", "#run", 0, []),
        ("append1k", "#add", 0, ["clear", "run"]),
        ("clear1k", "#clear", 0, ["run"]),
    ]  # create10k, clear10k: checked with every timed run (measure_ops), like every operation
    for op, selector, index, prep in steps:
        if prep:
            ev("__lb.click(%s)" % json.dumps(prep))
        r = ev("([s, i]) => __lb.time(s, i, 'in-frame')", [selector, index])
        problem = expect(op, r["before"], r["after"])
        if problem:
            return problem
    # select a second row: still exactly one tr.danger
    ev("__lb.click(['run'])")
    ev("__lb.time('a.lbl', 1, 'in-frame')")
    r = ev("__lb.time('a.lbl', 5, 'in-frame')")
    if r["after"]["danger"] != 1 or r["after"]["dangerIndex"] != 5:
        return "after selecting row 2 then row 6: %s" % _short(r["after"])
    d = ev("__lb.click(['clear'])")
    if d["n"] != 0:
        return "after clear there are %d rows" % d["n"]
    return None


def measure_ops(page, ops, warmup, method, slow_ms, skip):
    """{op: (ms to paint, ms of script, warmed up)} for one page, leaving out the ops in
    `skip`; an op whose warm-up takes over `slow_ms` is not repeated: the warm-up is its
    sample.  RuntimeError on a wrong result."""
    out = {}
    for name, _desc, prep, (selector, index) in ops:
        if name in skip:
            continue
        for i in range(warmup + 1):
            page.evaluate("__lb.click(%s)" % json.dumps(prep))
            r = page.evaluate("([s, i, m]) => __lb.time(s, i, m)", [selector, index, method])
            problem = expect(name, r["before"], r["after"])
            if problem:
                raise RuntimeError(problem + " (the change must be in the next frame)")
            if i == warmup:
                out[name] = (r["ms"], r["script"], warmup > 0)
            elif r["ms"] > slow_ms:
                out[name] = (r["ms"], r["script"], False)
                break
    page.evaluate("__lb.click(['clear'])")
    return out


# ---------------------------------------------------------------------------------------
# Part 1: operations


def run_ops(browser, impls, servers, args):
    """({impl: {op: [ms]}}, {impl: {op: [script ms]}}, {impl: reason}, {impl: {slow op}}).

    An op too slow to warm up (see measure_ops) is measured once, in the first run."""
    failed = {}
    slow = {impl.name: set() for impl in impls}
    times = {impl.name: {op[0]: [] for op in OPS} for impl in impls}
    scripts = {impl.name: {op[0]: [] for op in OPS} for impl in impls}
    context = browser.new_context()
    try:
        active = []
        for impl in impls:
            server = servers.get(impl.name)
            if isinstance(server, str):
                failed[impl.name] = server
                log("%-22s unavailable: %s" % (impl.name, server))
                continue
            try:
                page, watch = open_page(context, server.base, impl, args.css)
                problem = check(page)
                if not problem and watch.errors:
                    problem = "; ".join(watch.errors[:3])
                page.close()
            except Exception as e:
                problem = "%s: %s" % (type(e).__name__, e)
            if problem:
                failed[impl.name] = "failed the check: " + problem
                log("%-22s FAILED the check: %s" % (impl.name, problem))
            else:
                log("%-22s check passed" % impl.name)
                active.append(impl)
        for r in range(args.runs):
            k = r % len(active) if active else 0
            for impl in active[k:] + active[:k]:
                if impl.name in failed:
                    continue
                server = servers[impl.name]
                try:
                    page, watch = open_page(context, server.base, impl, args.css)
                    res = measure_ops(page, OPS, args.warmup, args.method,
                                      args.slow * 1000.0, slow[impl.name])
                    page.close()
                    if watch.errors:
                        raise RuntimeError("; ".join(watch.errors[:3]))
                except Exception as e:
                    failed[impl.name] = "failed in run %d: %s: %s" % (r + 1, type(e).__name__, e)
                    log("%-22s FAILED: %s" % (impl.name, failed[impl.name]))
                    continue
                for op, (ms, script, warmed) in res.items():
                    times[impl.name][op].append(ms)
                    if script is not None:
                        scripts[impl.name][op].append(script)
                    if not warmed and args.warmup:
                        slow[impl.name].add(op)
                log("run %d/%d %-22s %s" % (r + 1, args.runs, impl.name, " ".join(
                    "%s=%.1f" % (op, v[0]) for op, v in res.items())))
    finally:
        context.close()
    return times, scripts, failed, slow


def fmt_table(head, rows):
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]

    def line(r):
        cells = zip(r, widths, strict=True)
        return "| " + " | ".join(
            (c.ljust(w) if i == 0 else c.rjust(w)) for i, (c, w) in enumerate(cells)) + " |"

    out = [line(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out.extend(line(r) for r in rows)
    return "\n".join(out)


def geomean(xs):
    p = 1.0
    for x in xs:
        p *= x
    return p ** (1.0 / len(xs))


def medians(names, samples, failed):
    return {n: {op: statistics.median(v) for op, v in samples[n].items() if v}
            for n in names if n not in failed}


def ms_table(names, med, failed, slow, describe):
    head = ["operation"] + ["%s ms" % n for n in names]
    rows = []
    for op, desc, _prep, _click in OPS:
        row = ["%s: %s" % (op, desc) if describe else op]
        for n in names:
            mark = "*" if op in slow.get(n, ()) else ""
            row.append("%.2f%s" % (med[n][op], mark) if n in med and op in med[n] else
                       ("FAILED" if n in failed else "-"))
        rows.append(row)
    return fmt_table(head, rows)


def ops_report(impls, times, scripts, failed, slow, slow_s):
    """(text, {impl: {op: median}}, {impl: {op: median script}}, ratios)."""
    names = [i.name for i in impls]
    med = medians(names, times, failed)
    script_med = medians(names, scripts, failed)
    lines = [ms_table(names, med, failed, slow, True)]
    if any(slow.values()):
        lines.append("* one sample without warm-up: the warm-up took over %g s (--slow)"
                     % slow_s)

    comparisons = []  # (label, numerator impl, denominator impl, target or None)
    for rt in ("micropython", "pyodide"):
        comparisons.append(("lepta-%s / python-js-%s" % (rt, rt), "lepta-" + rt,
                            "python-js-" + rt, 1.5))
    for n in names:
        if n != "vanilla-js":
            comparisons.append(("%s / vanilla-js" % n, n, "vanilla-js", None))
    comparisons = [c for c in comparisons if c[1] in names and c[2] in names]
    ratio_data = {}
    verdicts = []
    if comparisons:
        head = ["operation"] + [c[0] for c in comparisons]
        rows = []
        per = {c[0]: [] for c in comparisons}
        for op, *_ in OPS:
            row = [op]
            for label, a, b, _target in comparisons:
                if a in med and b in med and op in med[a] and op in med[b] and med[b][op] > 0:
                    x = med[a][op] / med[b][op]
                    per[label].append((op, x))
                    row.append("%.2f" % x)
                else:
                    row.append("-")
            rows.append(row)
        row = ["geomean"]
        for label, *_ in comparisons:
            xs = [x for _, x in per[label]]
            row.append("%.2f" % geomean(xs) if xs else "-")
        rows.append(row)
        lines.append("")
        lines.append("ratios (> 1: the first is slower)")
        lines.append(fmt_table(head, rows))
        for label, a, b, target in comparisons:
            ratio_data[label] = dict(per[label])
            if target is None:
                continue
            if not per[label]:
                why = failed.get(a) or failed.get(b) or "not measured"
                verdicts.append("%s: every operation within %.1fx: not measured (%s)"
                                % (label, target, why.splitlines()[0]))
                continue
            over = ["%s %.2fx" % (op, x) for op, x in per[label] if x > target]
            verdicts.append("%s: every operation within %.1fx: %s" % (
                label, target, "met" if not over else "NOT MET (%s)" % ", ".join(over)))
    if verdicts:
        lines.append("")
        lines.extend("target " + v for v in verdicts)
    if script_med:
        lines.append("")
        lines.append("of which script: click to the end of the microtasks it queued "
                     "(median ms; the rest is style, layout and paint)")
        lines.append(ms_table(names, script_med, failed, slow, False))
        lines.extend(script_ratios(names, script_med))
    for n in names:
        if n in failed:
            lines.append("%s: %s" % (n, failed[n]))
    return "\n".join(lines), med, script_med, ratio_data


def script_ratios(names, script_med, target=3.0):
    """Lines: lepta's script time over the hand-written page's in the same runtime, per
    operation, and whether each is within `target`."""
    out = []
    for rt in ("micropython", "pyodide"):
        a, b = "lepta-" + rt, "python-js-" + rt
        if a not in script_med or b not in script_med:
            continue
        ratios = [(op, script_med[a][op] / script_med[b][op]) for op, *_ in OPS
                  if op in script_med[a] and script_med[b].get(op, 0) > 0]
        if not ratios:
            continue
        out.append("")
        out.append("script ratios %s / %s: %s" % (
            a, b, ", ".join("%s %.2f" % (op, x) for op, x in ratios)))
        over = ["%s %.2fx" % (op, x) for op, x in ratios if x > target]
        out.append("target %s / %s script: every operation within %.0fx: %s" % (
            a, b, target, "met" if not over else "NOT MET (%s)" % ", ".join(over)))
    return out


# ---------------------------------------------------------------------------------------
# Part 2: startup


def navigate_ready(page, url, impl, network):
    network.clear()
    page.goto(url)
    page.wait_for_function(
        "window.__lbReady !== undefined || "
        "document.documentElement.hasAttribute('data-error')", timeout=ready_timeout(impl))
    ms = page.evaluate("window.__lbReady")
    if ms is None:
        raise RuntimeError(page.evaluate(
            "document.documentElement.getAttribute('data-error')"))
    page.wait_for_load_state("load")
    page.wait_for_timeout(150)  # let the last responses finish
    return ms, network.totals()


class Network:
    """Bytes and timing per request, from CDP Network events.

    wire: Network.loadingFinished encodedDataLength (compressed body + response headers);
    headers: Network.responseReceived response.encodedDataLength (what had arrived when
    the headers were parsed); body = wire - headers.  start/end: ms after the first
    request of the navigation (requestWillBeSent, loadingFinished timestamps)."""

    def __init__(self, cdp):
        self.cdp = cdp
        self.requests = {}
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.requestServedFromCache", self._cache)
        cdp.send("Network.enable")

    def _entry(self, rid):
        return self.requests.setdefault(rid, {"url": None, "status": None, "wire": 0,
                                              "headers": 0, "from_cache": False,
                                              "t0": None, "t1": None})

    def _sent(self, p):
        e = self._entry(p["requestId"])
        e["url"] = p["request"]["url"]
        e["t0"] = p["timestamp"]

    def _response(self, p):
        e = self._entry(p["requestId"])
        e["status"] = p["response"]["status"]
        e["headers"] = p["response"].get("encodedDataLength", 0)
        e["from_cache"] = e["from_cache"] or bool(p["response"].get("fromDiskCache"))

    def _finished(self, p):
        e = self._entry(p["requestId"])
        e["wire"] = p["encodedDataLength"]
        e["t1"] = p["timestamp"]

    def _cache(self, p):
        self._entry(p["requestId"])["from_cache"] = True

    def clear(self):
        self.requests.clear()

    def totals(self):
        entries = [e for e in self.requests.values() if e["url"]]
        origin = min((e["t0"] for e in entries if e["t0"] is not None), default=0.0)
        per = []
        for e in entries:
            per.append({
                "url": e["url"], "status": e["status"], "wire": e["wire"],
                "body": max(0, e["wire"] - e["headers"]), "from_cache": e["from_cache"],
                "start_ms": round((e["t0"] - origin) * 1000, 1) if e["t0"] else None,
                "end_ms": round((e["t1"] - origin) * 1000, 1) if e["t1"] else None,
            })
        return {
            "wire_bytes": sum(q["wire"] for q in per),
            "body_bytes": sum(q["body"] for q in per),
            "requests": len(per),
            "per_request": per,
        }


def startup_once(browser, impl, server):
    """(cold ms, warm ms, cold network totals, warm network totals) in a new context."""
    url = server.base + impl.path
    context = browser.new_context()
    try:
        context.add_init_script(READY_OBSERVER % json.dumps(impl.ready))
        page = context.new_page()
        watch = PageWatch(page, server.base)
        network = Network(context.new_cdp_session(page))
        cold, cold_net = navigate_ready(page, url, impl, network)
        warm, warm_net = navigate_ready(page, url, impl, network)
        if watch.errors:
            raise RuntimeError("; ".join(watch.errors[:3]))
    finally:
        context.close()
    return cold, warm, cold_net, warm_net


def run_startup(browser, impls, servers, args):
    """Round 0 primes every server (not counted); then --runs rounds, the order of the
    implementations rotating from one round to the next."""
    failed = {}
    samples = {impl.name: [] for impl in impls}
    active = []
    for impl in impls:
        server = servers.get(impl.name)
        if isinstance(server, str):
            failed[impl.name] = server
            log("startup %-22s unavailable: %s" % (impl.name, server))
        else:
            active.append(impl)
    for r in range(args.runs + 1):
        k = r % len(active) if active else 0
        for impl in active[k:] + active[:k]:
            if impl.name in failed:
                continue
            try:
                sample = startup_once(browser, impl, servers[impl.name])
            except Exception as e:
                failed[impl.name] = "%s: %s" % (type(e).__name__, e)
                log("startup %-22s FAILED: %s" % (impl.name, failed[impl.name]))
                continue
            if r:
                samples[impl.name].append(sample)
                cold, warm, cold_net, warm_net = sample
                log("startup %d/%d %-22s cold %.0f ms %.1f KB, warm %.0f ms %.1f KB" % (
                    r, args.runs, impl.name, cold, cold_net["wire_bytes"] / 1024,
                    warm, warm_net["wire_bytes"] / 1024))
    results = {}
    for impl in active:
        got = samples[impl.name]
        if impl.name in failed or not got:
            continue
        results[impl.name] = {
            "cold_ms": statistics.median(s[0] for s in got),
            "warm_ms": statistics.median(s[1] for s in got),
            "cold_wire_bytes": statistics.median(s[2]["wire_bytes"] for s in got),
            "cold_body_bytes": statistics.median(s[2]["body_bytes"] for s in got),
            "warm_wire_bytes": statistics.median(s[3]["wire_bytes"] for s in got),
            "cold_requests": got[-1][2]["requests"],
            "cold_ms_runs": [s[0] for s in got],
            "warm_ms_runs": [s[1] for s in got],
            "cold_per_request": got[-1][2]["per_request"],
        }
    return results, failed


STARTUP_TARGETS = {
    "lepta-micropython": (400.0, 350 * 1024),
    "lepta-pyodide": (3500.0, None),
}


def startup_report(impls, results, failed):
    head = ["implementation", "cold ms", "warm ms", "cold KB (wire)", "cold KB (body)",
            "warm KB (wire)", "requests"]
    rows = []
    for impl in impls:
        n = impl.name
        if n in results:
            s = results[n]
            rows.append([n + (" (counter)" if impl.kind == "lepta" else " (bench page)"),
                         "%.0f" % s["cold_ms"], "%.0f" % s["warm_ms"],
                         "%.1f" % (s["cold_wire_bytes"] / 1024),
                         "%.1f" % (s["cold_body_bytes"] / 1024),
                         "%.1f" % (s["warm_wire_bytes"] / 1024), str(s["cold_requests"])])
        else:
            rows.append([n, "FAILED" if n in failed else "-"] + ["-"] * 5)
    lines = [fmt_table(head, rows), ""]
    verdicts = {}
    for n, (ms_target, bytes_target) in STARTUP_TARGETS.items():
        if n not in {i.name for i in impls}:
            continue
        if n not in results:
            why = failed.get(n, "not measured").splitlines()[0]
            lines.append("target %s: not measured (%s)" % (n, why))
            continue
        s = results[n]
        ok_ms = s["cold_ms"] <= ms_target
        text = "cold within %.0f ms: %s (%.0f ms)" % (
            ms_target, "met" if ok_ms else "NOT MET", s["cold_ms"])
        verdicts[n] = {"cold_ms": ok_ms}
        if bytes_target is not None:
            ok_b = s["cold_wire_bytes"] <= bytes_target
            verdicts[n]["cold_bytes"] = ok_b
            text += "; at most %d KB: %s (%.1f KB)" % (
                bytes_target // 1024, "met" if ok_b else "NOT MET", s["cold_wire_bytes"] / 1024)
        lines.append("target %s: %s" % (n, text))
    for n in [i.name for i in impls]:
        if n in failed:
            lines.append("%s: %s" % (n, failed[n]))
    return "\n".join(lines), verdicts


# ---------------------------------------------------------------------------------------


def _rounded(value):
    if isinstance(value, float):
        return round(value, 2)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_rounded(v) for v in value]
    return value


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=5, help="measured runs (median; default 5)")
    ap.add_argument("--warmup", type=int, default=1,
                    help="untimed repetitions of each operation before the timed one")
    ap.add_argument("--only", default="",
                    help="comma-separated implementations (default: all): "
                    + ", ".join(i.name for i in IMPLS))
    ap.add_argument("--part", choices=["all", "ops", "startup"], default="all")
    ap.add_argument("--method", choices=["in-frame", "next-frame"], default="in-frame",
                    help="how a click is timed (see the module docstring)")
    ap.add_argument("--slow", type=float, default=10.0,
                    help="an operation whose warm-up takes longer (seconds) is measured "
                    "once, without warm-up, in the first run only (default 10)")
    ap.add_argument("--no-css", action="store_true",
                    help="do not add bench/browser/bench.css to the pages (operations)")
    ap.add_argument("--published-runtime", action="store_true",
                    help="run the hand-written MicroPython page on the runtime's files as "
                    "published (by default: as lepta serves them, changed)")
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    ap.add_argument("--serve-timeout", type=float, default=120.0,
                    help="seconds to wait for `lepta serve` to answer")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    args = ap.parse_args(argv)
    if args.runs < 1:
        ap.error("--runs must be at least 1")
    args.css = None if args.no_css else (SITE / "bench.css").read_text()
    known = [i.name for i in IMPLS]
    if args.only:
        wanted = [w.strip() for w in args.only.split(",") if w.strip()]
        bad = [w for w in wanted if w not in known]
        if bad:
            ap.error("unknown implementation(s): %s; known: %s" % (", ".join(bad),
                                                                  ", ".join(known)))
        args.names = [n for n in known if n in wanted]
    else:
        args.names = known
    return args


def start_servers(impls, static, stack, args):
    """{impl name: server, or why it cannot run}."""
    servers = {}
    for impl in impls:
        if impl.kind == "static":
            servers[impl.name] = static
            continue
        log("starting lepta serve examples/%s --runtime %s" % (impl.example, impl.runtime))
        server = LeptaServer(impl.example, impl.runtime, args.serve_timeout)
        stack.callback(server.stop)
        problem = server.start()
        servers[impl.name] = problem if problem else server
    return servers


def main(argv=None):
    args = parse_args(argv)
    from playwright.sync_api import sync_playwright

    ops_impls = [i for i in IMPLS if i.name in args.names]
    startup_impls = [i for i in STARTUP_IMPLS if i.name in args.names]
    out = {"runs": args.runs, "warmup": args.warmup, "method": args.method}
    texts = []
    ok = True
    started = time.monotonic()
    with contextlib.ExitStack() as stack:
        static = stack.enter_context(StaticServer(args.published_runtime))
        for prefix in ("/runtime/micropython/", "/runtime/pyodide/"):
            static.prime(prefix)
        pw = stack.enter_context(sync_playwright())
        browser = pw.chromium.launch(executable_path=args.chromium, args=CHROMIUM_FLAGS)
        stack.callback(browser.close)
        out["browser"] = browser.version
        log("chromium %s, %d runs (+%d warm-up per operation), method %s" % (
            browser.version, args.runs, args.warmup, args.method))

        if args.part in ("all", "ops") and ops_impls:
            with contextlib.ExitStack() as inner:
                servers = start_servers(ops_impls, static, inner, args)
                times, scripts, failed, slow = run_ops(browser, ops_impls, servers, args)
            text, med, script_med, ratios = ops_report(ops_impls, times, scripts, failed,
                                                       slow, args.slow)
            texts.append("operations: click to next paint, median of %d runs, ms (%s)\n\n%s"
                         % (args.runs, args.method, text))
            out["ops"] = {"times_ms": times, "median_ms": med, "script_ms": scripts,
                          "median_script_ms": script_med, "ratios": ratios,
                          "failed": failed,
                          "unwarmed_single_sample": {k: sorted(v) for k, v in slow.items()}}
            ok = ok and not failed

        if args.part in ("all", "startup") and startup_impls:
            with contextlib.ExitStack() as inner:
                servers = start_servers(startup_impls, static, inner, args)
                results, failed = run_startup(browser, startup_impls, servers, args)
            text, verdicts = startup_report(startup_impls, results, failed)
            texts.append("startup: navigation to ready, median of %d runs\n\n%s"
                         % (args.runs, text))
            out["startup"] = {"results": results, "targets_met": verdicts, "failed": failed}
            ok = ok and not failed
    out["ok"] = ok
    out["seconds"] = round(time.monotonic() - started, 1)
    if args.json:
        print(json.dumps(_rounded(out), indent=1))
    else:
        print("\n\n".join(texts))
        print("\n%s (%.0f s)" % ("OK" if ok else "FAILED", out["seconds"]))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
