"""The router: route matching on the server, and navigation in the browser.

    .venv/bin/python bench/router.py [--matches 20000] [--rounds 5] [--navigations 20]
                                     [--part all|match|browser]

1. Matching (CPython, per match). A 100-route table: 10 sections, each a
   `ParentRoute("/sN", ...)` with 10 children ("", ":id", ":id/edit", "new",
   "search", "archive/:year", "archive/:year/:month", "tags/:tag", "files/*path",
   "settings"). lepta matches with `RouteTable.match(path)`; Starlette with its own
   routing as `Router.app` does it: each route's `matches(scope)` in order until a
   full match, over the same 100 paths as Starlette routes (`/s3/{id}`, `/s3/files/
   {path:path}`, ...), declared most specific first (Starlette takes the first that
   matches: a developer must order them so). The paths asked for: one concrete path
   per route, in a shuffled order fixed by a seed, each asked `--matches` / 100
   times per round. Both are checked to find the same route for every path first.
   Reported: the median over rounds of the mean time per match, and the ratio
   Starlette / lepta (above 1: lepta faster).

2. Navigation (Chromium, MicroPython runtime, examples/router under `lepta serve`).
   - full load: `page.goto(/contacts/N)` to the page's `data-lepta-hydrated` mark,
     timed by the page itself (`performance.now()` when `lepta:hydrated` fires, from
     the navigation's start);
   - click to next frame: on a hydrated page, `performance.now()`, a click on the
     sibling contact's link (by script), then the first `requestAnimationFrame` and a
     `setTimeout(0)` after it (the frame that shows the navigation's first changes:
     the address, the link marked current; the contact's data is still loading);
   - click to data: the same click, until `h2#name` shows the new contact (its server
     function answers 100 ms late, as in the full load), then the next frame.
   Each `--navigations` times alternately between /contacts/3 and /contacts/4.
   Reported: medians, and full load / click (target: click to next frame at least
   5x faster than the full load).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

CHILDREN = [
    "", ":id", ":id/edit", "new", "search", "archive/:year", "archive/:year/:month",
    "tags/:tag", "files/*path", "settings",
]  # fmt: skip
SAMPLE = {
    "": "", ":id": "42", ":id/edit": "42/edit", "new": "new", "search": "search",
    "archive/:year": "archive/2024", "archive/:year/:month": "archive/2024/05",
    "tags/:tag": "tags/python", "files/*path": "files/a/b/c.txt", "settings": "settings",
}  # fmt: skip


def lepta_table():
    from lepta.router import ParentRoute, Route, RouteTable

    def view():
        return None

    return RouteTable(
        tuple(
            ParentRoute("/s%d" % s, view, *[Route(child, view) for child in CHILDREN])
            for s in range(10)
        )
    )


def starlette_routes(table):
    """The table's routes for Starlette, most specific first (Starlette takes the
    first route that matches, so its order is the developer's job)."""
    from starlette.routing import Route as SRoute

    def endpoint(request):
        return None

    routes = []
    for branch in table.branches:
        path = branch.pattern.pattern.replace("*path", "{path:path}")
        path = "/".join(
            "{%s}" % part[1:] if part.startswith(":") else part for part in path.split("/")
        )
        routes.append(SRoute(path, endpoint))
    return routes


def paths():
    out = ["/s%d" % s + ("/" + SAMPLE[c] if SAMPLE[c] else "") for s in range(10) for c in CHILDREN]
    random.Random(7).shuffle(out)
    return out


def starlette_match(routes, scope):
    from starlette.routing import Match

    for route in routes:
        match, child = route.matches(scope)
        if match is Match.FULL:
            return route, child
    return None


def bench_matching(args):
    table = lepta_table()
    routes = starlette_routes(table)
    asked = paths()
    scopes = [{"type": "http", "path": p, "method": "GET", "root_path": ""} for p in asked]
    for path, scope in zip(asked, scopes, strict=True):  # both find the same route
        branch, params = table.match(path)
        route, child = starlette_match(routes, scope)
        ours = branch.pattern.pattern.replace(":", "").replace("*", "")
        theirs = route.path.replace("{", "").replace("}", "").replace(":path", "")
        assert ours == theirs, (path, ours, theirs)
        assert params == {k: str(v) for k, v in child["path_params"].items()}, path
    repeat = max(1, args.matches // len(asked))
    lepta_times, starlette_times = [], []
    for _ in range(args.rounds):
        match = table.match
        start = time.perf_counter()
        for _ in range(repeat):
            for path in asked:
                match(path)
        lepta_times.append((time.perf_counter() - start) / (repeat * len(asked)))
        start = time.perf_counter()
        for _ in range(repeat):
            for scope in scopes:
                starlette_match(routes, scope)
        starlette_times.append((time.perf_counter() - start) / (repeat * len(asked)))
    ours = statistics.median(lepta_times)
    theirs = statistics.median(starlette_times)
    print(
        "\n## Route matching: 100 routes, %d matches per round, %d rounds"
        % (repeat * len(asked), args.rounds)
    )
    print("| router | per match | Starlette / this |")
    print("|---|--:|--:|")
    print("| lepta `RouteTable.match` | %.2f µs | %.2fx |" % (ours * 1e6, theirs / ours))
    print("| Starlette (routes' `matches` in order) | %.2f µs | 1.00x |" % (theirs * 1e6))


CLICK_TO_FRAME = """(href) => new Promise((done) => {
  const link = document.querySelector(`nav#contacts a[href='${href}']`);
  const start = performance.now();
  link.click();
  requestAnimationFrame(() => setTimeout(() => done(performance.now() - start)));
})"""

CLICK_TO_DATA = """([href, name]) => new Promise((done) => {
  const link = document.querySelector(`nav#contacts a[href='${href}']`);
  const start = performance.now();
  const shown = () => document.querySelector("h2#name")?.textContent === name;
  const observer = new MutationObserver(() => {
    if (!shown()) return;
    observer.disconnect();
    requestAnimationFrame(() => setTimeout(() => done(performance.now() - start)));
  });
  observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  link.click();
})"""

NAMES = {3: "Grace Hopper", 4: "Edsger Dijkstra"}


def bench_browser(args):
    from playwright.sync_api import sync_playwright

    from browser import LeptaServer
    from lepta.testing.browser import CHROMIUM_FLAGS

    server = LeptaServer("router", "micropython", 120)
    problem = server.start()
    if problem:
        raise SystemExit(problem)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)
            context = browser.new_context()
            page = context.new_page()
            page.add_init_script(
                "document.addEventListener('lepta:hydrated', "
                "() => { window.hydratedAt = performance.now(); });"
            )
            loads, frames, data = [], [], []
            for i in range(args.navigations + 1):
                page.goto(server.base + "/contacts/%d" % (3 + i % 2))
                page.wait_for_function("window.hydratedAt !== undefined")
                if i:  # the first load warms the server and the cache
                    loads.append(page.evaluate("window.hydratedAt"))
            page.goto(server.base + "/contacts/3")
            page.wait_for_function("window.hydratedAt !== undefined")
            for i in range(args.navigations + 1):
                target = 4 if i % 2 == 0 else 3
                frame = page.evaluate(CLICK_TO_FRAME, "/contacts/%d" % target)
                page.wait_for_function(
                    "document.querySelector('h2#name')?.textContent === %r" % NAMES[target]
                )
                back = 3 if target == 4 else 4
                took = page.evaluate(CLICK_TO_DATA, ["/contacts/%d" % back, NAMES[back]])
                if i:
                    frames.append(frame)
                    data.append(took)
            assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
            browser.close()
    finally:
        server.stop()
    load = statistics.median(loads)
    print(
        "\n## Navigation between sibling contacts (Chromium, MicroPython), %d each"
        % (args.navigations)
    )
    print("| | median | full load / this |")
    print("|---|--:|--:|")
    print("| full load to `data-lepta-hydrated` | %.1f ms | 1.0x |" % load)
    frame = statistics.median(frames)
    print("| click to next frame | %.1f ms | %.1fx |" % (frame, load / frame))
    shown = statistics.median(data)
    print(
        "| click to the contact on screen (data 100 ms late) | %.1f ms | %.1fx |"
        % (shown, load / shown)
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--matches", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--navigations", type=int, default=20)
    parser.add_argument("--part", choices=["all", "match", "browser"], default="all")
    args = parser.parse_args()
    if args.part in ("all", "match"):
        bench_matching(args)
    if args.part in ("all", "browser"):
        bench_browser(args)


if __name__ == "__main__":
    main()
