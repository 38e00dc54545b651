"""Streaming server rendering over real HTTP: time to first and to last byte.

    .venv/bin/python bench/streaming.py [--runs 20] [--json]

A page with one resource that takes 300 ms (an `asyncio.sleep` in its fetcher) read
inside a Suspense is served by uvicorn on loopback in each streaming mode, beside
the same page with no resource. A raw socket client sends the request and times the
first byte and the last byte of the body (no compression, HTTP/1.1, one connection
per request, sequential requests, the pages interleaved). Medians and 90th
percentiles over `--runs` requests per page, after a warm-up. uvicorn runs in a
thread of this process (one interpreter), so the figures include the client's own
small cost; the client waits in `recv`, which releases the GIL.

Targets:
- out of order: first byte within 10 ms of the page without a resource;
- out of order: last byte within 300 ms + 20 ms;
- in order: first byte before the resource resolves (< 300 ms).
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

DELAY = 0.3  # seconds the resource takes

APP = """
    import asyncio

    from lepta import Resource, Suspense, component, use_location
    from lepta.html import h1, li, main, p, ul

    async def slow_count(_):
        await asyncio.sleep(%r)
        return 42

    @component
    def Shell(content):
        # Some static page around the data, as a real page would have.
        return main(h1("Report"), ul([li("Item %%d" %% i) for i in range(50)]), content)

    @component
    def App():
        if use_location().path.endswith("/none"):
            return Shell(content=p("No data needed"))
        count = Resource(1, slow_count)
        return Shell(content=Suspense(p("Count: ", count), fallback=p("Loading...")))
""" % (DELAY,)

PYPROJECT = """
[tool.lepta]
app = "bench_app:App"
runtime = "micropython"

[tool.lepta.ssr_paths]
"/in_order" = "in_order"
"/async" = "async"
"""

PAGES = [
    ("no resource", "/out_of_order/none"),
    ("out_of_order", "/out_of_order/page"),
    ("in_order", "/in_order/page"),
    ("async", "/async/page"),
]


def make_app(folder: Path) -> None:
    (folder / "bench_app.py").write_text(textwrap.dedent(APP))
    (folder / "pyproject.toml").write_text(PYPROJECT)


class Server:
    """uvicorn serving the app in a thread of this process, on a free loopback port."""

    def __init__(self, folder: Path) -> None:
        import uvicorn

        from lepta.build.bundle import ensure_built
        from lepta.server import create_app, load_config

        ensure_built(load_config(folder))
        # Bound here and handed to uvicorn, so no other process can take the port
        # between choosing it and listening on it.
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        config = uvicorn.Config(create_app(folder), log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True
        )

    def __enter__(self) -> Server:
        self.thread.start()
        while not self.server.started:
            if not self.thread.is_alive():  # uvicorn failed to start: don't wait forever
                raise RuntimeError("uvicorn did not start (see its log above)")
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join()
        self.sock.close()


def fetch(port: int, path: str) -> tuple[float, float, bytes]:
    """(seconds to the first body byte, seconds to the last, the body) of one GET."""
    request = ("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n" % path).encode()
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        start = time.perf_counter()
        sock.sendall(request)
        received = b""
        first = None
        while True:
            data = sock.recv(65536)
            if not data:
                break
            received += data
            if first is None:
                head_end = received.find(b"\r\n\r\n")
                # The first byte of the body: the headers end, then a chunk's size line.
                if head_end >= 0 and len(received) > head_end + 4:
                    first = time.perf_counter() - start
        last = time.perf_counter() - start
    if first is None:
        raise RuntimeError("%s: no body received" % path)
    return first, last, received


def measure(port: int, runs: int) -> dict[str, dict[str, float]]:
    for _, path in PAGES:  # warm-up: imports, compiled components, first connections
        for _ in range(3):
            fetch(port, path)
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name, _ in PAGES}
    for _ in range(runs):  # interleaved, so a slow moment hits every mode alike
        for name, path in PAGES:
            first, last, body = fetch(port, path)
            expected = b"No data needed" if path.endswith("/none") else b"Count: "
            if expected not in body:
                raise RuntimeError("%s did not render: %r" % (path, body[-300:]))
            samples[name].append((first, last))
    return {
        name: {
            "first_ms": 1000 * statistics.median(s[0] for s in values),
            "last_ms": 1000 * statistics.median(s[1] for s in values),
            "first_p90_ms": 1000 * p90([s[0] for s in values]),
            "last_p90_ms": 1000 * p90([s[1] for s in values]),
        }
        for name, values in samples.items()
    }


def p90(values: list[float]) -> float:
    """The 90th percentile, nearest rank (the 18th of 20)."""
    return sorted(values)[max(0, -(-9 * len(values) // 10) - 1)]


def checks(results: dict[str, dict[str, float]]) -> list[tuple[str, bool, str]]:
    base = results["no resource"]["first_ms"]
    ooo = results["out_of_order"]
    gap = round(ooo["first_ms"] - base, 1) + 0.0  # + 0.0: print 0.0, not -0.0
    return [
        (
            "out_of_order first byte within 10 ms of the no-resource page",
            ooo["first_ms"] - base <= 10,
            "%.1f ms vs %.1f ms (%+.1f)" % (ooo["first_ms"], base, gap),
        ),
        (
            "out_of_order last byte within 300 + 20 ms",
            ooo["last_ms"] <= 1000 * DELAY + 20,
            "%.1f ms" % ooo["last_ms"],
        ),
        (
            "in_order first byte before the resource resolves (300 ms)",
            results["in_order"]["first_ms"] < 1000 * DELAY,
            "%.1f ms" % results["in_order"]["first_ms"],
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="requests per page (default 20)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        make_app(folder)
        sys.path.insert(0, str(folder))
        with Server(folder) as server:
            results = measure(server.port, args.runs)
    verdicts = checks(results)
    if args.json:
        report = {
            "runs": args.runs,
            "delay_ms": 1000 * DELAY,
            "results": results,
            "checks": [{"check": n, "met": ok, "detail": d} for n, ok, d in verdicts],
        }
        print(json.dumps(report, indent=2))
        return 0
    print("page with one %d ms resource, %d requests each, medians" % (DELAY * 1000, args.runs))
    print(
        "%-14s %12s %14s %12s %14s"
        % ("mode", "first byte", "first (p90)", "last byte", "last (p90)")
    )
    for name, r in results.items():
        print(
            "%-14s %9.1f ms %11.1f ms %9.1f ms %11.1f ms"
            % (name, r["first_ms"], r["first_p90_ms"], r["last_ms"], r["last_p90_ms"])
        )
    print()
    for name, ok, detail in verdicts:
        print("%-8s %s: %s" % ("met" if ok else "NOT met", name, detail))
    return 0


if __name__ == "__main__":
    sys.exit(main())
