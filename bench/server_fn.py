"""Server functions over real HTTP: requests/s and p50/p99 latency of a small call.

    .venv/bin/python bench/server_fn.py [--rounds 5] [--duration 3] [--connections 10]
                                        [--json]

The call: `async def add(a: int, b: int) -> int`, posted as `{"a": 2, "b": 3}` with
`Content-Type: application/json` to `/_lepta/fn/bench_fn.add`, answered `5`. Three
servers answer it at that same path:

- lepta: a `@server` function in an app built into a temporary folder, served by
  `lepta.server.create_app` (cross-site check, body size limit, arguments validated
  by pydantic from the hints, the result dumped by pydantic; its security-headers
  middleware included, as every Lepta app has it);
- starlette: a hand-written Starlette endpoint doing the same work: read the JSON
  body, check that `a` and `b` are ints (a 422 otherwise), return the JSON sum;
- fastapi: a FastAPI endpoint taking a pydantic body model (`a: int`, `b: int`) and
  returning `-> int`.

Each runs under uvicorn in a process of its own (this script with `--serve`:
`uvicorn.Config(app, workers=1, log_level="warning", access_log=False)`, the same
settings for all three, loop and HTTP parser as uvicorn's "auto" picks them), on a
loopback socket bound here and handed over by file descriptor. Before timing, every server
is checked to answer 5 and to give a 422 for `{"a": "x", "b": 3}`. The client is
`wrk` (Debian's package: `apt-get install wrk`), one thread, `--connections`
keep-alive connections, a Lua script for the POST body; it must see no errors and
no non-2xx answers. After a 1 s warm-up each, `--rounds` rounds of `--duration`
seconds per server, the order rotating each round. Reported: medians over rounds of
requests/s, p50 and p99 latency (wrk's own percentiles), and the median of the
per-round throughput ratios lepta/starlette and lepta/fastapi.

The client and the servers share the machine's cores: the figures are for this
machine and this load; the ratios, measured alternately in one run, are what the
targets speak of.

Targets:
- lepta at least 0.9x the hand-written Starlette endpoint's throughput;
- lepta at least FastAPI's throughput (1.0x).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.error
import urllib.request
from pathlib import Path

import pydantic

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

MODULE = "bench_fn"
PATH = "/_lepta/fn/%s.add" % MODULE
BODY = '{"a": 2, "b": 3}'
SERVERS = ("lepta", "starlette", "fastapi")
TARGETS = {"starlette": 0.9, "fastapi": 1.0}  # lepta's throughput / the peer's

APP = """
from lepta import component
from lepta.html import p
from lepta.server_fn import server


@server
async def add(a: int, b: int) -> int:
    return a + b


@component
def App():
    return p("server functions")
"""

PYPROJECT = (
    """
[tool.lepta]
app = "%s:App"
runtime = "micropython"
"""
    % MODULE
)

# wrk: POST the body; at the end, one line of figures (latencies in microseconds).
WRK_SCRIPT = (
    """
wrk.method = "POST"
wrk.body = '%s'
wrk.headers["Content-Type"] = "application/json"

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%d %%d %%d %%d %%d\\n",
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99), latency.mean))
end
"""
    % BODY
)


# The three ASGI apps (uvicorn imports this file as a module and calls one of these).


def lepta_app():  # type: ignore[no-untyped-def]
    from lepta.server import create_app

    folder = os.environ["LEPTA_BENCH_FOLDER"]
    sys.path.insert(0, folder)
    return create_app(folder)


def starlette_app():  # type: ignore[no-untyped-def]
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    async def add(request: Request) -> JSONResponse:
        try:
            data = json.loads(await request.body())
        except ValueError:
            return JSONResponse({"error": "the body is not valid JSON"}, status_code=422)
        if not isinstance(data, dict):
            return JSONResponse({"error": "send an object"}, status_code=422)
        a, b = data.get("a"), data.get("b")
        bad = [n for n, v in (("a", a), ("b", b)) if type(v) is not int]
        if bad:
            return JSONResponse({"error": "not an int: %s" % ", ".join(bad)}, status_code=422)
        return JSONResponse(a + b)

    return Starlette(routes=[Route(PATH, add, methods=["POST"])])


class Arguments(pydantic.BaseModel):
    """FastAPI's body model (at module level: FastAPI reads the hints of its endpoint)."""

    a: int
    b: int


def fastapi_app():  # type: ignore[no-untyped-def]
    from fastapi import FastAPI

    app = FastAPI()

    @app.post(PATH)
    async def add(arguments: Arguments) -> int:
        return arguments.a + arguments.b

    return app


def make_app(folder: Path) -> None:
    (folder / ("%s.py" % MODULE)).write_text(textwrap.dedent(APP))
    (folder / "pyproject.toml").write_text(PYPROJECT)


class Server:
    """uvicorn serving one of the apps in a process of its own (this script run with
    `--serve`), on a loopback socket bound here: no other process can take the port
    meanwhile."""

    def __init__(self, name: str, folder: Path) -> None:
        self.name = name
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(2048)
        self.port = self.sock.getsockname()[1]
        fd = self.sock.fileno()
        command = [sys.executable, __file__, "--serve", name, "--fd", str(fd)]
        env = dict(os.environ, LEPTA_BENCH_FOLDER=str(folder))
        self.process = subprocess.Popen(command, pass_fds=[fd], env=env)

    @property
    def url(self) -> str:
        return "http://127.0.0.1:%d%s" % (self.port, PATH)

    def wait(self) -> None:
        """Until it answers (the socket listens already: the first request waits)."""
        deadline = time.monotonic() + 30
        while True:
            if self.process.poll() is not None:
                raise RuntimeError("%s: uvicorn exited (see its log above)" % self.name)
            try:
                post(self.url, BODY)
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def check(self) -> None:
        status, body = post(self.url, BODY)
        if status != 200 or json.loads(body) != 5:
            raise RuntimeError("%s answered %d %r, not 200 5" % (self.name, status, body))
        status, body = post(self.url, '{"a": "x", "b": 3}')
        if status != 422:
            raise RuntimeError("%s answered %d %r to a bad argument" % (self.name, status, body))

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.sock.close()


def serve(name: str, fd: int) -> None:
    """Run uvicorn on the inherited socket: one worker, warnings only, no access log.
    (Not `uvicorn --fd`: it takes the socket for a Unix one, so asyncio leaves Nagle's
    algorithm on, and each answer waits ~40 ms for the client's delayed ACK.)"""
    import uvicorn

    sock = socket.socket(fileno=fd)  # family and type read from the descriptor
    app = {"lepta": lepta_app, "starlette": starlette_app, "fastapi": fastapi_app}[name]()
    config = uvicorn.Config(app, workers=1, log_level="warning", access_log=False)
    uvicorn.Server(config).run(sockets=[sock])


def post(url: str, body: str) -> tuple[int, bytes]:
    request = urllib.request.Request(
        url, data=body.encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def load(wrk: str, script: str, url: str, seconds: float, connections: int) -> dict[str, float]:
    """One wrk run: requests/s and latencies (ms)."""
    command = [
        wrk, "-t1", "-c%d" % connections, "-d%ds" % max(1, round(seconds)),
        "-s", script, url,
    ]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next((x for x in output.splitlines() if x.startswith("RESULT ")), None)
    if line is None:
        raise RuntimeError("wrk printed no figures:\n" + output)
    requests, duration, bad_status, errors, p50, p99, mean = (int(x) for x in line.split()[1:])
    if bad_status or errors:
        raise RuntimeError(
            "%s: %d non-2xx answers, %d socket errors:\n%s" % (url, bad_status, errors, output)
        )
    return {
        "rps": requests / (duration / 1e6),
        "p50_ms": p50 / 1000,
        "p99_ms": p99 / 1000,
        "mean_ms": mean / 1000,
    }


def measure(
    servers: dict[str, Server], wrk: str, script: str, args: argparse.Namespace
) -> tuple[dict[str, dict[str, float]], dict[str, float]]:
    for server in servers.values():  # warm-up: imports, first connections, pydantic
        load(wrk, script, server.url, 1, args.connections)
    rounds: list[dict[str, dict[str, float]]] = []
    names = list(servers)
    for i in range(args.rounds):  # interleaved, the order rotating each round
        order = names[i % len(names) :] + names[: i % len(names)]
        rounds.append(
            {n: load(wrk, script, servers[n].url, args.duration, args.connections) for n in order}
        )
    results = {
        name: {
            key: statistics.median(r[name][key] for r in rounds)
            for key in ("rps", "p50_ms", "p99_ms", "mean_ms")
        }
        for name in names
    }
    for name in names:
        results[name]["rps_per_round"] = [round(r[name]["rps"], 1) for r in rounds]  # type: ignore[assignment]
    ratios = {
        peer: statistics.median(r["lepta"]["rps"] / r[peer]["rps"] for r in rounds)
        for peer in TARGETS
    }
    return results, ratios


def versions() -> dict[str, str]:
    from importlib.metadata import version

    found = {"python": sys.version.split()[0]}
    for package in ("uvicorn", "starlette", "fastapi", "pydantic"):
        found[package] = version(package)
    # What uvicorn's "auto" picks: uvloop and httptools when installed.
    loop = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"
    http = "httptools" if importlib.util.find_spec("httptools") else "h11"
    found["uvicorn_io"] = "%s loop, %s" % (loop, http)
    wrk = shutil.which("wrk")
    if wrk:
        head = subprocess.run([wrk, "--version"], capture_output=True, text=True)
        found["wrk"] = (head.stdout or head.stderr).split("Copyright")[0].strip()
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="rounds per server (default 5)")
    parser.add_argument(
        "--duration", type=float, default=3, help="seconds per server per round (default 3)"
    )
    parser.add_argument(
        "--connections", type=int, default=10, help="wrk's concurrent connections (default 10)"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--serve", choices=SERVERS, help=argparse.SUPPRESS)  # a server process
    parser.add_argument("--fd", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.fd)
        return 0
    wrk = shutil.which("wrk")
    if wrk is None:
        print("needs wrk: apt-get install -y wrk", file=sys.stderr)
        return 2
    from lepta.build.bundle import build
    from lepta.server import load_config

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "app"
        folder.mkdir()
        make_app(folder)
        build(load_config(folder))
        script = Path(tmp) / "post.lua"
        script.write_text(WRK_SCRIPT)
        servers: dict[str, Server] = {}
        try:
            for name in SERVERS:
                servers[name] = Server(name, folder)
            for server in servers.values():
                server.wait()
                server.check()
            results, ratios = measure(servers, wrk, str(script), args)
        finally:
            for server in servers.values():
                server.stop()
    found = versions()
    verdicts = [
        (peer, ratios[peer] >= target, target, ratios[peer]) for peer, target in TARGETS.items()
    ]
    if args.json:
        report = {
            "client": found.get("wrk", "wrk"),
            "connections": args.connections,
            "duration_s": args.duration,
            "rounds": args.rounds,
            "versions": found,
            "load_average": os.getloadavg(),
            "results": results,
            "ratios": ratios,
            "targets": [
                {"peer": p, "target": t, "ratio": r, "met": ok} for p, ok, t, r in verdicts
            ],
        }
        print(json.dumps(report, indent=2))
        return 0
    print(
        "POST %s %s; client %s, 1 thread, %d connections; %d rounds of %g s per server, "
        "medians" % (PATH, BODY, found.get("wrk", "wrk"), args.connections, args.rounds,
                     args.duration)
    )  # fmt: skip
    print(
        "uvicorn %s (1 worker, %s), Starlette %s, FastAPI %s, pydantic %s, "
        "CPython %s; load average %.2f"
        % (found["uvicorn"], found["uvicorn_io"], found["starlette"], found["fastapi"],
           found["pydantic"], found["python"], os.getloadavg()[0])
    )  # fmt: skip
    print()
    print("%-10s %12s %10s %10s %14s" % ("server", "requests/s", "p50", "p99", "lepta/this"))
    for name, r in results.items():
        ratio = "-" if name == "lepta" else "%.2fx" % ratios[name]
        figures = (name, r["rps"], r["p50_ms"], r["p99_ms"], ratio)
        print("%-10s %12.0f %7.2f ms %7.2f ms %14s" % figures)
    print()
    for peer, ok, target, ratio in verdicts:
        print(
            "%-8s lepta at least %.1fx %s's throughput: %.2fx"
            % ("met" if ok else "NOT met", target, peer, ratio)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
