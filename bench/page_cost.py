"""What one request costs each server's own code: bench/load.py's app and its FastAPI
peer called as ASGI apps in one process, without HTTP and without a database.

    .venv/bin/python bench/load.py ...                 # the servers under load (wrk)
    .venv/bin/python bench/page_cost.py [--rounds 5]   # the same requests, one process
    .venv/bin/python bench/page_cost.py --instructions # instructions, not time (valgrind)

Under wrk each request also pays for HTTP parsing, the event loop's sockets and the
database's thread, the same for both servers and most of the time on this machine,
whose speed moves by a third between runs minutes apart. This script measures what
differs, with far less noise: the app's code and the framework's. The database's class answers
from memory (the same 20 items, the same new id), so the figures leave out what
SQLAlchemy and aiosqlite cost. Each request goes through the app's whole ASGI stack
(middleware, routing, rendering, the response), with a turn of the event loop after
it, as a server gives. lepta runs as deployed (LEPTA_ENV=production).

Requests: lepta's `/` (in order) and `/whole` (async) and the peer's `/`, whose bodies
are checked to be the same bytes first; each server's `POST
/_lepta/fn/items.add_item`. Per round, each request is timed in batches of 200 (best
of 15), the servers alternating; the figures are the medians over rounds, in
microseconds per request, and lepta's cost over the peer's (lower is better). No
target: this shows where bench/load.py's ratios come from.

With --instructions, each request is made in processes of its own under valgrind's
cachegrind (Debian: `apt-get install valgrind`), once 100 times and once 300 times
after a warm-up, and the difference gives the instructions per request: a count that
does not move with the machine's other work, to compare a change with the code before
it (about 13 s a process).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import time
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "bench" / "load_app"
sys.path.insert(0, str(APP))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))
os.environ["LEPTA_ENV"] = "production"
os.environ.setdefault("LEPTA_SECRET_KEY", secrets.token_urlsafe(32))

import db  # noqa: E402  (bench/load_app/db.py: the database code both servers use)

ITEMS = [{"id": i, "title": "Item number %d" % i} for i in range(50, 30, -1)]


class MemoryDatabase:
    """What db.Database does, from memory: no engine, no thread (its methods replace
    db.Database's, so that both servers, which make and ask for that class, use it)."""

    def __init__(self, url: str = "") -> None:
        pass

    async def create_schema(self) -> None:
        pass

    async def recent(self) -> list[dict[str, Any]]:
        return [dict(item) for item in ITEMS]

    async def add(self, title: str) -> int:
        return 51

    async def close(self) -> None:
        pass


def patch_database() -> None:
    """db.Database answers from memory, for both servers."""
    for name in ("__init__", "create_schema", "recent", "add", "close"):
        setattr(db.Database, name, getattr(MemoryDatabase, name))


@asynccontextmanager
async def memory_setup() -> Any:
    """The app's `setup` (bench/load_app/db.py), without opening anything."""
    yield [db.Database("memory")]


async def call(app: Any, method: str, path: str, body: bytes = b"") -> tuple[int, bytes]:
    """One request through `app`; its status and body."""
    headers = [(b"host", b"127.0.0.1")]
    if body:
        headers += [(b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode())]  # fmt: skip
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
        "root_path": "", "headers": headers, "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 80),
    }  # fmt: skip
    sent = False
    status = 0
    parts: list[bytes] = []

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.Event().wait()  # the client stays until the answer is done
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        else:
            parts.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, b"".join(parts)


async def start(app: Any) -> Any:
    """Run `app`'s lifespan startup; the task that holds it open (keep it referenced)."""
    events: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    replies: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    await events.put({"type": "lifespan.startup"})
    scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}
    task = asyncio.ensure_future(app(scope, events.get, replies.put))
    reply = await replies.get()
    if reply["type"] != "lifespan.startup.complete":
        raise RuntimeError("the app did not start: %r" % reply)
    return task


async def per_request(app: Any, method: str, path: str, body: bytes) -> float:
    """Microseconds per request: best of 15 batches of 200, a loop turn after each."""
    best = float("inf")
    for _ in range(15):
        began = time.perf_counter()
        for _ in range(200):
            await call(app, method, path, body)
            await asyncio.sleep(0)
        best = min(best, (time.perf_counter() - began) / 200)
    return best * 1e6


POST = b'{"title": "an item"}'
# Each request measured: which server, method, path, body.
REQUESTS = {
    "lepta GET /": ("lepta", "GET", "/", b""),
    "lepta GET /whole": ("lepta", "GET", "/whole", b""),
    "peer GET /": ("peer", "GET", "/", b""),
    "lepta POST add_item": ("lepta", "POST", "/_lepta/fn/items.add_item", POST),
    "peer POST add_item": ("peer", "POST", "/_lepta/fn/items.add_item", POST),
}
PAIRS = [("lepta GET /", "peer GET /"), ("lepta GET /whole", "peer GET /"),
         ("lepta POST add_item", "peer POST add_item")]  # fmt: skip


async def started() -> tuple[dict[str, tuple[Any, str, str, bytes]], list[Any]]:
    """Both apps, built and started: ({name: (app, method, path, body)} for each of
    REQUESTS, the tasks that keep them running)."""
    from infra import build_once
    from lepta.server import create_app
    from load_peer import create_app as create_peer

    build_once(APP)
    patch_database()
    apps = {"lepta": create_app(APP, setup=memory_setup), "peer": create_peer()}
    running = [await start(app) for app in apps.values()]
    requests = {
        name: (apps[server], method, path, body)
        for name, (server, method, path, body) in REQUESTS.items()
    }
    return requests, running


async def measure(rounds: int) -> None:
    requests, _running = await started()  # (the tasks that run the apps: kept alive)
    bodies = {}
    for name, (app, method, path, body) in requests.items():
        status, answer = await call(app, method, path, body)
        if status != 200:
            raise RuntimeError("%s answered %d: %s" % (name, status, answer[:300]))
        bodies[name] = answer.partition(b"<body>")[2]
    for page in ("lepta GET /", "lepta GET /whole"):
        theirs = bodies["peer GET /"]
        if bodies[page] != theirs:
            shown = (page, bodies[page][:400], theirs[:400])
            raise RuntimeError("%s differs from the peer's page:\n%r\n%r" % shown)
    names = list(requests)
    for app, method, path, body in requests.values():  # warm-up: compiling, caches
        for _ in range(300):
            await call(app, method, path, body)
            await asyncio.sleep(0)
    times: dict[str, list[float]] = {name: [] for name in names}
    for round_ in range(rounds):
        turn = round_ % len(names)
        for name in names[turn:] + names[:turn]:
            times[name].append(await per_request(*requests[name]))
    print("%-22s %12s   %s" % ("", "us/request", "rounds"))
    median = {}
    for name in names:
        median[name] = statistics.median(times[name])
        each = ", ".join("%.1f" % t for t in times[name])
        print("%-22s %12.1f   %s" % (name, median[name], each))
    for lepta_name, peer_name in PAIRS:
        print("%s / %s: %.2fx the cost" % (lepta_name, peer_name,
                                           median[lepta_name] / median[peer_name]))  # fmt: skip


async def make_requests(name: str, count: int) -> None:
    """Request `name` (one of REQUESTS) `count` times, after a warm-up (for --instructions:
    valgrind counts what this process runs)."""
    requests, _running = await started()  # (the tasks that run the apps: kept alive)
    app, method, path, body = requests[name]
    status, answer = await call(app, method, path, body)
    if status != 200:
        raise RuntimeError("%s answered %d: %s" % (name, status, answer[:300]))
    for _ in range(WARM_UP + count):
        await call(app, method, path, body)
        await asyncio.sleep(0)


WARM_UP = 50
FEW, MANY = 100, 300  # requests in the two counted runs: their difference is counted
INSTRUCTIONS = re.compile(r"I\s+refs:\s+([\d,]+)")


def instructions_of(name: str, count: int) -> int:
    """Instructions a process making `count` requests `name` runs, start to end."""
    command = [
        "valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
        sys.executable, __file__, "--requests", name, str(count),
    ]  # fmt: skip
    # (the same string hashes in every process: the same tables, the same instructions)
    environment = {**os.environ, "PYTHONHASHSEED": "0"}
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=environment)
    found = INSTRUCTIONS.search(done.stderr)
    if done.returncode != 0 or found is None:
        raise RuntimeError("valgrind on %s failed:\n%s" % (name, done.stderr[-2000:]))
    return int(found.group(1).replace(",", ""))


def count_instructions() -> None:
    """Instructions per request, each server's: the difference between a process making
    MANY requests and one making FEW, over MANY - FEW. They do not move with what else
    the machine runs (three runs of lepta's `/` agreed within 0.1%), so they compare a
    change with the code before it; they are not times (lepta's instructions run at a
    lower rate than the peer's: 1.14 times the instructions took 1.4 times the time)."""
    if shutil.which("valgrind") is None:
        raise SystemExit("--instructions needs valgrind (Debian: apt-get install valgrind)")
    per_request = {}
    for name in REQUESTS:
        few, many = instructions_of(name, FEW), instructions_of(name, MANY)
        per_request[name] = (many - few) / (MANY - FEW)
        print("%-22s %12.0f instructions/request" % (name, per_request[name]), flush=True)
    for lepta_name, peer_name in PAIRS:
        print("%s / %s: %.3fx the instructions" % (lepta_name, peer_name,
              per_request[lepta_name] / per_request[peer_name]))  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="rounds (medians over them)")
    parser.add_argument("--instructions", action="store_true",
                        help="count instructions per request (valgrind) instead of timing")
    parser.add_argument("--requests", nargs=2, metavar=("NAME", "COUNT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.requests:  # (a process --instructions counts)
        asyncio.run(make_requests(args.requests[0], int(args.requests[1])))
        return
    if args.instructions:
        count_instructions()
        return
    from importlib.metadata import version

    print("CPython %s, Starlette %s, FastAPI %s, Jinja2 %s; load average %s"
          % (sys.version.split()[0], version("starlette"), version("fastapi"),
             version("jinja2"), " ".join("%.2f" % x for x in os.getloadavg())))  # fmt: skip
    asyncio.run(measure(args.rounds))


if __name__ == "__main__":
    main()
