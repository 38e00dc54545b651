"""Load, faults and soak: `lepta serve --workers 2` on loopback, under wrk and under a
Python client that keeps count of every answer.

    .venv/bin/python bench/load.py [--quick] [--only load,disconnect,soak,kill,postgres]
                                   [--duration 30] [--connections 16] [--rounds 1] [--json]

The app is bench/load_app, served as deployed (LEPTA_ENV=production): `/`, a page
whose list is a resource read from the database (the newest 20 items, in order);
`/whole`, the same page sent whole once its list has loaded (async mode); `/slow`, the
same list half a second late (out of order: the shell first, the list later);
`POST /_lepta/fn/items.add_item`, a server function that stores an item and returns
its id. The peer is the same page and function written with FastAPI and Jinja2
(bench/load_peer.py), reading the same database through the same code, run two ways:
`peer`, under `uvicorn --workers 2` (its workers share one socket, and often one of
them takes every connection while the other idles); `peer-spread`, two uvicorn
processes in one session, each on a socket of its own bound to the same port with
SO_REUSEPORT, as `lepta serve`'s workers are, so that Linux spreads the connections
across them (the fair measure of what a page costs each). All use a SQLite file in WAL
mode (a temporary folder), except for the PostgreSQL part.

Parts (each prints a table and its targets, met or not):

- load: wrk (1 thread, `--connections` keep-alive connections, `--duration` s after a
  2 s warm-up) against lepta's page (`/`, then `/whole`) and the peer's page, lepta's
  server function and the peers', interleaved: requests/s, p50 and p99 latency
  (wrk's), socket errors and answers >= 400, and the servers' CPU time per request
  (the user and system time of the worker processes, all their threads, read from
  /proc/PID/stat before and after each run, divided by wrk's count of requests): other
  work on the machine moves requests/s much more than it moves CPU time per request;
  and how many of the workers did their share (a worker that took every connection of
  a run leaves the other idle, and the run's requests/s low). With `--rounds N`, each
  server runs N times, alternating which goes first, and the ratios are the medians of
  the rounds'. Before timing, lepta's pages' bodies and the peers' are checked to be
  the same bytes. Targets: no errors, no 5xx; lepta's requests/s at least each peer's.
- disconnect: 500 clients at once ask for `/slow` and hang up (a TCP reset) as soon
  as the first chunk arrives, three times; the workers' resident memory (VmRSS of
  /proc/PID/status) after a warm-up of 500 full requests at the same concurrency,
  during, and 3 s after. Target: back within 10% of the warm baseline, and the server
  answers normally afterwards.
- soak: 20,000 requests (2,000 with --quick) from 32 connections: 45% the page, 5%
  `/slow`, 30% the writing server function, 20% a reading one (GET); the workers' RSS
  after a warm-up of 2,000 and after. Targets: every answer 2xx; RSS growth under 10%.
- kill: 20 connections writing (each title unique, every acknowledged id kept); one
  worker (a child of the `lepta serve` process) gets SIGKILL halfway through.
  Afterwards every acknowledged id must be in the database with its title; only the
  requests in flight on the killed worker may fail (at most one per connection).
- postgres: the same app on a throwaway PostgreSQL cluster (tests/infra.py); writes
  from 10 connections and the page from one; PostgreSQL is stopped (fast shutdown)
  for 5 s and started again, lepta keeps running. Targets: while it is down, calls
  are answered 503 with a message saying the database is unavailable (never 500, none
  hanging); after it is back, calls succeed again without restarting lepta; every
  acknowledged write is in the database.

Needs: `wrk` (Debian: `apt-get install wrk`), Debian's PostgreSQL for the last part
(`apt-get install postgresql`; the part is skipped, saying so, without it), and the
development extra (FastAPI, Jinja2, SQLAlchemy, aiosqlite, psycopg). Not run by
`./dev test`. The client, wrk and the servers share the machine's cores: figures are
for this machine and its load (printed), ratios are from runs interleaved in one go.
bench/page_cost.py measures the same requests in one process, without HTTP or the
database: what each server's own code costs, with far less noise (to compare changes).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import shutil
import signal
import socket
import sqlite3
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))  # infra: PostgreSQL clusters, lepta worker groups

from infra import WorkerGroup, build_once, free_port, postgres_cluster  # noqa: E402

APP = ROOT / "bench" / "load_app"
FN = "/_lepta/fn/items.add_item"
READ_FN = "/_lepta/fn/items.recent_items"
PARTS = ("load", "disconnect", "soak", "kill", "postgres")
WORKERS = 2

# wrk: an optional POST body; at the end, one line of figures (latencies in µs).
WRK_SCRIPT = """
%s
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%d %%d %%d %%d\\n",
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""
WRK_POST = """
wrk.method = "POST"
wrk.body = '{"title": "an item written under load"}'
wrk.headers["Content-Type"] = "application/json"
"""


# Servers


def worker_pids(supervisor: int) -> list[int]:
    """The uvicorn workers of a `lepta serve` (or `uvicorn --workers`) process: its
    children started by multiprocessing's spawn (not its resource tracker)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path("/proc/%s/stat" % entry).read_text()
            cmdline = Path("/proc/%s/cmdline" % entry).read_bytes()
        except OSError:
            continue
        ppid = int(stat.rpartition(")")[2].split()[1])
        if ppid == supervisor and b"spawn_main" in cmdline:
            found.append(int(entry))
    return sorted(found)


CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """Each process's CPU time so far (user + system, all its threads), in seconds;
    processes gone meanwhile are left out."""
    found = {}
    for pid in pids:
        try:
            fields = Path("/proc/%d/stat" % pid).read_text().rpartition(")")[2].split()
        except OSError:
            continue
        found[pid] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime
    return found


def rss_mib(pid: int) -> float:
    for line in Path("/proc/%d/status" % pid).read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS for process %d" % pid)


def workers_rss(supervisor: int) -> dict[int, float]:
    return {pid: rss_mib(pid) for pid in worker_pids(supervisor)}


class Peer:
    """bench/load_peer.py under `uvicorn --workers 2`, in a session of its own.

    With `spread`, two `uvicorn` processes instead, each listening on a socket of its
    own bound to the same port with SO_REUSEPORT (handed over with `--fd`), as `lepta
    serve`'s workers do: Linux spreads the connections across them, where uvicorn's
    workers sharing one socket often leave one idle (see `wrk_run`'s busy workers).
    They are started by one leader process, in one session, as `lepta serve`'s workers
    are: Linux's scheduler shares the processors out between sessions (autogroup), and
    two processes each in a session of its own got a larger share of them against wrk
    (a tenth to a fifth less CPU time per request, measured)."""

    def __init__(self, env: dict[str, str], spread: bool = False) -> None:
        self.port = free_port()
        self.spread = spread
        command = [
            sys.executable, "-m", "uvicorn", "--app-dir", str(ROOT / "bench"), "--factory",
            "load_peer:create_app", "--log-level", "warning",
        ]  # fmt: skip
        environment = {**os.environ, **env}
        if spread:
            sockets = [self.listening_socket() for _ in range(WORKERS)]
            commands = [[*command, "--fd", str(sock.fileno())] for sock in sockets]
            fds = [sock.fileno() for sock in sockets]
            self.process = subprocess.Popen(
                [sys.executable, "-c", LEADER, json.dumps(commands)],
                env=environment, pass_fds=fds, start_new_session=True,
            )  # fmt: skip
            for sock in sockets:  # (the processes keep their own copies)
                sock.close()
        else:
            command += ["--host", "127.0.0.1", "--port", str(self.port), "--workers", str(WORKERS)]
            self.process = subprocess.Popen(command, env=environment, start_new_session=True)
        deadline = time.monotonic() + 60
        while True:
            if self.process.poll() is not None:
                raise RuntimeError("the peer exited: its output above says why")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                if asyncio.run(fetch(self.port, "GET", "/"))[0] == 200:
                    return
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the peer did not answer on port %d" % self.port)
            time.sleep(0.2)

    def listening_socket(self) -> socket.socket:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        # uvicorn takes a socket given by `--fd` for a Unix one, and asyncio then leaves
        # Nagle's algorithm on for its connections: turned off here, where they
        # inherit it (Linux), else each response waits for a delayed ACK.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind(("127.0.0.1", self.port))
        sock.listen(2048)
        return sock

    def worker_pids(self) -> list[int]:
        """The processes that serve requests."""
        pid = self.process.pid
        if self.spread:  # (the leader's children)
            children = Path("/proc/%d/task/%d/children" % (pid, pid)).read_text()
            return sorted(int(x) for x in children.split())
        return worker_pids(pid)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


# The spread peer's leader: starts each command (each with the descriptor it names
# after --fd) and stops them when it is told to stop.
LEADER = """
import json, signal, subprocess, sys
children = [subprocess.Popen(c, pass_fds=[int(c[-1])]) for c in json.loads(sys.argv[1])]
signal.signal(signal.SIGTERM, lambda *_: [c.terminate() for c in children])
for child in children:
    child.wait()
"""


def start_lepta(env: dict[str, str]) -> WorkerGroup:
    """`lepta serve --workers 2` as deployed: in production, with a secret key."""
    production = {"LEPTA_ENV": "production", "LEPTA_SECRET_KEY": secrets.token_urlsafe(32)}
    group = WorkerGroup(APP, {**production, **env}, workers=WORKERS)
    group.start()
    group.wait_up()
    deadline = time.monotonic() + 30
    while len(worker_pids(supervisor(group))) < WORKERS:  # (health answers with one up)
        if time.monotonic() > deadline:
            raise RuntimeError("lepta serve did not start %d workers" % WORKERS)
        time.sleep(0.1)
    return group


def supervisor(group: WorkerGroup) -> int:
    assert group.process is not None
    return group.process.pid


# An HTTP/1.1 client on asyncio streams: keep-alive, chunked bodies, nothing hidden.


class Connection:
    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(
        self, method: str, path: str, body: bytes | None = None, timeout: float = 30
    ) -> tuple[int, bytes]:
        """One request on the connection (opened if need be); (status, body). Any
        failure closes the connection and raises (OSError, EOFError, TimeoutError)."""
        try:
            return await asyncio.wait_for(self._request(method, path, body), timeout)
        except BaseException:
            self.close()
            raise

    async def _request(self, method: str, path: str, body: bytes | None) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        head = "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n" % (method, path, self.port)
        if body is not None:
            head += "Content-Type: application/json\r\nContent-Length: %d\r\n" % len(body)
        self.writer.write(head.encode() + b"\r\n" + (body or b""))
        status, headers = await read_head(self.reader)
        data = await read_body(self.reader, headers)
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, data

    def close(self) -> None:
        if self.writer is not None:
            self.writer.transport.abort()
        self.reader = self.writer = None


async def read_head(reader: asyncio.StreamReader) -> tuple[int, dict[str, str]]:
    line = await reader.readline()
    if not line:
        raise EOFError("the server closed the connection")
    status = int(line.split()[1])
    headers = {}
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers


async def read_body(reader: asyncio.StreamReader, headers: dict[str, str]) -> bytes:
    if headers.get("transfer-encoding", "").lower() == "chunked":
        parts = []
        while True:
            size = int((await reader.readline()).split(b";")[0], 16)
            if size == 0:
                await reader.readline()
                return b"".join(parts)
            parts.append(await reader.readexactly(size))
            await reader.readline()
    return await reader.readexactly(int(headers.get("content-length", "0")))


async def fetch(port: int, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
    connection = Connection(port)
    try:
        return await connection.request(method, path, body)
    finally:
        connection.close()


def post_body(title: str) -> bytes:
    return json.dumps({"title": title}).encode()


# Part: load (wrk)


# The pages measured (lepta's paths): the list as the app sends it by default (in
# order: the page is held up to 10 ms for its data, then streamed), and sent whole once
# its data is there (async), as the peer does.
PAGES = {"page": "/", "page-whole": "/whole"}
KINDS = ("page", "page-whole", "function")


def wrk_run(
    wrk: str, script: Path, url: str, seconds: float, connections: int,
    workers: list[int] | None = None,
) -> dict[str, float]:
    """One wrk run's figures; with `workers` (the server's processes), also their CPU
    time per request (`cpu_ms`), from the processes' CPU times before and after."""
    command = [
        wrk, "-t1", "-c%d" % connections, "-d%ds" % max(1, round(seconds)), "--timeout", "10s",
        "-s", str(script), url,
    ]  # fmt: skip
    before = cpu_seconds(workers or [])
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    after = cpu_seconds(workers or [])
    used = [after[pid] - before[pid] for pid in before if pid in after]
    cpu = sum(used)
    # Workers that did at least a quarter of an even share of the work: with one socket
    # shared (uvicorn's --workers), one worker may take every connection of a run.
    busy = sum(1 for x in used if cpu and x >= cpu / len(used) / 4)
    line = next((x for x in output.splitlines() if x.startswith("RESULT ")), None)
    if line is None:
        raise RuntimeError("wrk printed no figures:\n" + output)
    requests, duration, bad_status, errors, p50, p99 = (int(x) for x in line.split()[1:])
    return {
        "requests": requests,
        "rps": requests / (duration / 1e6),
        "cpu_ms": cpu * 1000 / requests if requests and before else float("nan"),
        "busy_workers": busy,
        "p50_ms": p50 / 1000,
        "p99_ms": p99 / 1000,
        "errors": errors,
        "status_400_plus": bad_status,
    }


def same_page(lepta_port: int, peer_port: int, path: str) -> None:
    """Lepta's page at `path` and the peer's page, read at the same moment from the
    same database, have the same body."""
    lepta_page = asyncio.run(fetch(lepta_port, "GET", path))[1].decode()
    peer_page = asyncio.run(fetch(peer_port, "GET", "/"))[1].decode()
    lepta_body = lepta_page.partition("<body>")[2]
    peer_body = peer_page.partition("<body>")[2]
    if not lepta_body or lepta_body != peer_body:
        raise RuntimeError(
            "the peer's page differs from lepta's:\n%s\n%s" % (lepta_body[:600], peer_body[:600])
        )


def part_load(
    lepta: WorkerGroup, peers: dict[str, Peer], wrk: str, tmp: Path, args: argparse.Namespace
) -> dict[str, Any]:
    ports = {"lepta": lepta.port, **{name: peer.port for name, peer in peers.items()}}
    for path in PAGES.values():
        for peer_server in peers.values():
            same_page(lepta.port, peer_server.port, path)
    get, post = tmp / "page.lua", tmp / "post.lua"
    get.write_text(WRK_SCRIPT % "")
    post.write_text(WRK_SCRIPT % WRK_POST)
    scripts = {"page": get, "page-whole": get, "function": post}
    workers = {"lepta": worker_pids(supervisor(lepta))}
    workers.update({name: peer.worker_pids() for name, peer in peers.items()})
    servers = list(ports)
    # Each kind's request: lepta's path, the peers' (which have one page).
    paths = {kind: {name: path if name == "lepta" else "/" for name in servers}
             for kind, path in PAGES.items()}  # fmt: skip
    paths["function"] = dict.fromkeys(servers, FN)
    # Each kind: per round, each server's run, the first one changing from round to
    # round (the machine's other work is shared out, and the ratios are the medians).
    results: dict[str, list[dict[str, dict[str, float]]]] = {kind: [] for kind in KINDS}
    load = os.getloadavg()[0]
    for kind in KINDS:
        where = {name: url(ports[name], paths[kind][name]) for name in servers}
        for name in servers:  # warm-up: imports, connections, the pool
            wrk_run(wrk, scripts[kind], where[name], 2, args.connections)
        for round_ in range(args.rounds):
            runs: dict[str, dict[str, float]] = {}
            turn = round_ % len(servers)
            for name in servers[turn:] + servers[:turn]:
                runs[name] = wrk_run(
                    wrk, scripts[kind], where[name], args.duration, args.connections,
                    workers[name],
                )  # fmt: skip
            results[kind].append(runs)
    print_title(
        "Load: wrk, 1 thread, %d connections, %g s each, %d round(s), %d workers each; "
        "load average %.2f" % (args.connections, args.duration, args.rounds, WORKERS, load)
    )
    print("%-30s %10s %10s %10s %8s %8s %12s %8s"
          % ("", "requests/s", "p50", "p99", "errors", ">=400", "CPU/request",
             "workers"))  # fmt: skip
    targets = []
    summary: dict[str, dict[str, float]] = {}
    for kind in KINDS:
        for number, runs in enumerate(results[kind], 1):
            for name in servers:
                r = runs[name]
                path = paths[kind][name]
                label = "%s %s" % (name, "POST add_item" if kind == "function" else "GET " + path)
                if args.rounds > 1:
                    label += " #%d" % number
                print(
                    "%-30s %10.0f %7.2f ms %7.2f ms %8d %8d %9.3f ms %6d/%d"
                    % (label, r["rps"], r["p50_ms"], r["p99_ms"], r["errors"],
                       r["status_400_plus"], r["cpu_ms"], r["busy_workers"], WORKERS)
                )  # fmt: skip
        clean = all(runs[n]["errors"] == runs[n]["status_400_plus"] == 0
                    for runs in results[kind] for n in servers)  # fmt: skip
        targets.append((clean, "%s: no errors, no 5xx (lepta and the peers)" % kind))
        for peer in peers:
            ratios = [runs["lepta"]["rps"] / runs[peer]["rps"] for runs in results[kind]]
            cpu_ratios = [runs["lepta"]["cpu_ms"] / runs[peer]["cpu_ms"] for runs in results[kind]]
            ratio, cpu_ratio = statistics.median(ratios), statistics.median(cpu_ratios)
            both = ("lepta", peer)
            even = [x for x, runs in zip(ratios, results[kind], strict=True)
                    if all(runs[n]["busy_workers"] == WORKERS for n in both)]  # fmt: skip
            summary["%s/%s" % (kind, peer)] = {"ratio": ratio, "cpu_ratio": cpu_ratio}
            print("%s: lepta / %s requests/s %s, median %.2fx; CPU per request median %.2fx "
                  "(lower is better); in the rounds where every worker of both did its "
                  "share: %s" % (kind, peer, ", ".join("%.2fx" % x for x in ratios), ratio,
                                 cpu_ratio, ", ".join("%.2fx" % x for x in even) or "none"))
            targets.append((ratio >= 1.0, "%s: lepta at least %s's requests/s: %.2fx"
                            % (kind, peer, ratio)))  # fmt: skip
    verdicts(targets)
    return {"load_average": load, "results": results, "summary": summary, "targets": targets}


def url(port: int, path: str) -> str:
    return "http://127.0.0.1:%d%s" % (port, path)


# Part: disconnect


async def hang_up_early(port: int) -> bool:
    """Ask for /slow, read the head and the first chunk, then reset the connection.
    True if the first chunk came (the server was streaming)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(b"GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        status, _ = await asyncio.wait_for(read_head(reader), 30)
        size = int((await reader.readline()).split(b";")[0], 16)
        first = await reader.readexactly(size)
        return status == 200 and b"Loading..." in first and b"</html>" not in first
    finally:
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        writer.transport.abort()  # a reset, as a closed tab or a dropped network gives


async def full_slow(port: int) -> int:
    status, body = await fetch(port, "GET", "/slow")
    return status if b"</html>" in body else -1


def part_disconnect(lepta: WorkerGroup, args: argparse.Namespace) -> dict[str, Any]:
    clients, waves = 500, 3 if not args.quick else 1
    pid = supervisor(lepta)
    load = os.getloadavg()[0]

    async def warm() -> Counter[int]:
        return Counter(await asyncio.gather(*(full_slow(lepta.port) for _ in range(clients))))

    warm_statuses = asyncio.run(warm())
    time.sleep(3)
    before = workers_rss(pid)
    peaks: list[float] = []
    streamed = 0
    for _ in range(waves):

        async def wave() -> list[bool]:
            tasks = [asyncio.ensure_future(hang_up_early(lepta.port)) for _ in range(clients)]
            sampler = asyncio.ensure_future(sample(pid, peaks))
            try:
                return list(await asyncio.gather(*tasks))
            finally:
                await asyncio.sleep(0.6)  # the resources' time: what a worker still holds
                sampler.cancel()

        streamed += sum(asyncio.run(wave()))
    time.sleep(3)
    after = workers_rss(pid)
    status, body = asyncio.run(fetch(lepta.port, "GET", "/slow"))
    healthy = status == 200 and b"</html>" in body
    total_before, total_after = sum(before.values()), sum(after.values())
    growth = total_after / total_before - 1
    print_title(
        "Disconnect: %d clients x %d waves hang up on /slow after the first chunk; "
        "load average %.2f" % (clients, waves, load)
    )
    print("warm-up: %d full requests at once: %s" % (clients, dict(warm_statuses)))
    print("first chunk seen before hanging up: %d of %d" % (streamed, clients * waves))
    print("%-8s %12s %12s %12s" % ("worker", "before MiB", "peak MiB", "after MiB"))
    for worker in before:
        print("%-8d %12.1f %12s %12.1f" % (worker, before[worker], "", after.get(worker, 0)))
    print("%-8s %12.1f %12.1f %12.1f  (%+.1f%%)" % (
        "total", total_before, max(peaks, default=0), total_after, growth * 100))  # fmt: skip
    targets = [
        (abs(growth) < 0.10, "RSS back within 10%% of the baseline: %+.1f%%" % (growth * 100)),
        (healthy, "the page is served whole afterwards"),
        (set(before) == set(after), "the same workers throughout (none died)"),
    ]
    verdicts(targets)
    return {
        "load_average": load, "clients": clients, "waves": waves, "streamed": streamed,
        "rss_before_mib": before, "rss_after_mib": after, "rss_peak_total_mib": max(peaks),
        "growth": growth, "targets": targets,
    }  # fmt: skip


async def sample(pid: int, peaks: list[float]) -> None:
    while True:
        try:
            peaks.append(sum(workers_rss(pid).values()))
        except OSError:
            pass
        await asyncio.sleep(0.05)


# Part: soak


MIX = [("GET", "/")] * 45 + [("GET", "/slow")] * 5 + [("POST", FN)] * 30 + [("GET", READ_FN)] * 20


async def mixed(port: int, total: int, connections: int, seed: int) -> tuple[Counter[str], float]:
    """`total` requests of MIX over `connections` keep-alive connections; answers by
    status (or failure), and the seconds taken."""
    rng = random.Random(seed)
    plan = [rng.choice(MIX) for _ in range(total)]
    outcomes: Counter[str] = Counter()
    start = time.monotonic()

    async def worker(index: int) -> None:
        connection = Connection(port)
        for n in range(index, total, connections):
            method, path = plan[n]
            body = post_body("soak %d" % n) if method == "POST" else None
            try:
                status, _ = await connection.request(method, path, body)
                outcomes[str(status)] += 1
            except (OSError, EOFError, TimeoutError, ValueError) as exc:
                outcomes[type(exc).__name__] += 1
        connection.close()

    await asyncio.gather(*(worker(i) for i in range(connections)))
    return outcomes, time.monotonic() - start


def part_soak(lepta: WorkerGroup, args: argparse.Namespace) -> dict[str, Any]:
    total = 2000 if args.quick else 20000
    pid = supervisor(lepta)
    load = os.getloadavg()[0]
    warm, _ = asyncio.run(mixed(lepta.port, 2000, 32, seed=1))
    time.sleep(2)
    before = workers_rss(pid)
    outcomes, seconds = asyncio.run(mixed(lepta.port, total, 32, seed=2))
    time.sleep(2)
    after = workers_rss(pid)
    growth = sum(after.values()) / sum(before.values()) - 1
    ok = sum(n for status, n in outcomes.items() if status.startswith("2"))
    print_title(
        "Soak: %d requests (45%% page, 5%% /slow, 30%% POST add_item, 20%% GET recent_items), "
        "32 connections; load average %.2f" % (total, load)
    )
    print("answers: %s in %.1f s (%.0f requests/s); warm-up: %s"
          % (dict(outcomes), seconds, total / seconds, dict(warm)))  # fmt: skip
    print("%-8s %12s %12s" % ("worker", "before MiB", "after MiB"))
    for worker in before:
        print("%-8d %12.1f %12.1f" % (worker, before[worker], after.get(worker, 0)))
    print("%-8s %12.1f %12.1f  (%+.1f%%)" % (
        "total", sum(before.values()), sum(after.values()), growth * 100))  # fmt: skip
    targets = [
        (ok == total, "every answer 2xx: %d of %d" % (ok, total)),
        (growth < 0.10, "RSS growth under 10%%: %+.1f%%" % (growth * 100)),
    ]
    verdicts(targets)
    return {
        "load_average": load, "requests": total, "outcomes": dict(outcomes), "seconds": seconds,
        "rss_before_mib": before, "rss_after_mib": after, "growth": growth, "targets": targets,
    }  # fmt: skip


# Part: kill one worker


class Writers:
    """`connections` clients posting unique titles until stopped; every acknowledged
    (id, title) kept, every failure kept with its title."""

    def __init__(self, port: int, connections: int, prefix: str) -> None:
        self.port = port
        self.connections = connections
        self.prefix = prefix
        self.acknowledged: list[tuple[int, str]] = []
        self.failed: list[tuple[str, str, float]] = []  # title, why, when
        self.answers: list[tuple[float, int, str]] = []  # when, status, message
        self.running = True

    async def run(self) -> None:
        await asyncio.gather(*(self.client(i) for i in range(self.connections)))

    async def client(self, index: int) -> None:
        connection = Connection(self.port)
        n = 0
        while self.running:
            n += 1
            title = "%s-%d-%d" % (self.prefix, index, n)
            try:
                status, body = await connection.request("POST", FN, post_body(title), timeout=15)
            except (OSError, EOFError, TimeoutError, ValueError) as exc:
                self.failed.append((title, type(exc).__name__, time.monotonic()))
                await asyncio.sleep(0.05)
                continue
            now = time.monotonic()
            if status == 200:
                self.acknowledged.append((int(body), title))
                self.answers.append((now, status, ""))
            else:
                message = ""
                try:
                    message = json.loads(body)["error"]["message"]
                except (ValueError, KeyError, TypeError):
                    message = body[:200].decode("utf-8", "replace")
                self.failed.append((title, str(status), now))
                self.answers.append((now, status, message))
                await asyncio.sleep(0.05)
        connection.close()


def part_kill(lepta: WorkerGroup, database: Path, args: argparse.Namespace) -> dict[str, Any]:
    seconds = 4 if args.quick else 10
    connections = 20
    pid = supervisor(lepta)
    load = os.getloadavg()[0]
    victim = worker_pids(pid)[0]
    writers = Writers(lepta.port, connections, "kill")
    killed_at = 0.0

    async def go() -> None:
        nonlocal killed_at
        task = asyncio.ensure_future(writers.run())
        await asyncio.sleep(seconds / 2)
        os.kill(victim, signal.SIGKILL)
        killed_at = time.monotonic()
        await asyncio.sleep(seconds / 2)
        writers.running = False
        await task

    asyncio.run(go())
    time.sleep(1)
    replaced = worker_pids(pid)
    with sqlite3.connect(database) as conn:
        stored = dict(conn.execute("SELECT id, title FROM items WHERE title LIKE 'kill-%'"))
    missing = [(i, t) for i, t in writers.acknowledged if stored.get(i) != t]
    titles = set(stored.values())
    committed = [t for t, _, _ in writers.failed if t in titles]
    why = Counter(w for _, w, _ in writers.failed)
    print_title(
        "Kill: SIGKILL to worker %d of `lepta serve --workers %d` halfway through %g s of "
        "writes from %d connections; load average %.2f" % (victim, WORKERS, seconds,
                                                          connections, load)
    )  # fmt: skip
    print("acknowledged writes: %d; in the database: %d; missing: %d"
          % (len(writers.acknowledged), len(writers.acknowledged) - len(missing), len(missing)))
    print("failed requests: %d %s (of which committed, answer lost: %d)"
          % (len(writers.failed), dict(why), len(committed)))  # fmt: skip
    print("workers after: %s (the killed one %s)"
          % (replaced, "replaced" if victim not in replaced and len(replaced) == WORKERS
             else "not replaced"))  # fmt: skip
    targets = [
        (not missing, "every acknowledged write is in the database"),
        (len(writers.failed) <= connections,
         "only requests in flight failed: %d failures, at most one per connection (%d)"
         % (len(writers.failed), connections)),
    ]  # fmt: skip
    verdicts(targets)
    return {
        "load_average": load, "seconds": seconds, "connections": connections,
        "acknowledged": len(writers.acknowledged), "missing": len(missing),
        "failed": len(writers.failed), "failed_why": dict(why),
        "failed_but_committed": len(committed), "workers_after": replaced, "targets": targets,
    }  # fmt: skip


# Part: PostgreSQL restarted under load


def part_postgres(args: argparse.Namespace) -> dict[str, Any] | None:
    if not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        print_title("PostgreSQL: skipped (no Debian PostgreSQL: apt-get install postgresql)")
        return None
    down_for = 5.0
    load = os.getloadavg()[0]
    with postgres_cluster() as pg:
        env = {"DATABASE_URL": pg.create_database("items")}
        lepta = start_lepta(env)
        try:
            writers = Writers(lepta.port, 10, "pg")
            pages: list[tuple[float, int | str, bytes]] = []
            marks: dict[str, float] = {}

            async def page_reader() -> None:
                connection = Connection(lepta.port)
                while writers.running:
                    try:
                        status, body = await connection.request("GET", "/", timeout=15)
                        pages.append((time.monotonic(), status, body))
                    except (OSError, EOFError, TimeoutError, ValueError) as exc:
                        pages.append((time.monotonic(), type(exc).__name__, b""))
                    await asyncio.sleep(0.05)

            async def go() -> None:
                task = asyncio.gather(writers.run(), page_reader())
                await asyncio.sleep(3)
                marks["stop"] = time.monotonic()
                await asyncio.to_thread(pg_ctl, pg, "stop")
                marks["down"] = time.monotonic()
                await asyncio.sleep(down_for)
                marks["start"] = time.monotonic()
                await asyncio.to_thread(pg_ctl, pg, "start")
                marks["up"] = time.monotonic()
                await asyncio.sleep(5)
                writers.running = False
                await task

            asyncio.run(go())
            stored = dict(pg.execute("items", "SELECT id, title FROM items"))
        finally:
            lepta.stop()
    missing = [(i, t) for i, t in writers.acknowledged if stored.get(i) != t]

    def window(since: float, until: float) -> Counter[int]:
        return Counter(s for when, s, _ in writers.answers if since <= when < until)

    before = window(0, marks["stop"])
    down = window(marks["down"], marks["start"])
    after = window(marks["up"], float("inf"))
    messages = Counter(m for when, s, m in writers.answers if s == 503)
    first_ok = min((w for w, s, _ in writers.answers if s == 200 and w >= marks["up"]),
                   default=None)  # fmt: skip
    recovered_in = None if first_ok is None else first_ok - marks["up"]
    page_down = Counter(
        (s, "list" if b'<li id="item-' in b else "fallback" if b"Loading..." in b else "")
        for w, s, b in pages if marks["down"] <= w < marks["start"]
    )
    page_after = Counter(s for w, s, _ in pages if w >= marks["up"] + 1)
    sample = next((b for w, s, b in pages if marks["down"] <= w < marks["start"] and b), b"")
    shown = sample.partition(b"<body>")[2].partition(b"<script")[0].decode("utf-8", "replace")
    statuses = Counter(s for _, s, _ in writers.answers)
    hung = Counter(w for _, w, _ in writers.failed if w == "TimeoutError")
    print_title(
        "PostgreSQL: stopped (fast) for %g s under writes from 10 connections and the page "
        "from one; lepta --workers %d kept running; load average %.2f" % (down_for, WORKERS, load)
    )
    print("server function answers before the stop: %s" % dict(before))
    print("while down: %s" % dict(down))
    print("after the start: %s; first 200 %.2f s after PostgreSQL was up"
          % (dict(after), recovered_in if recovered_in is not None else float("nan")))
    print("503 messages: %s" % dict(messages))
    print("page while down: %s; page from 1 s after the start: %s"
          % ({"%s %s" % k: v for k, v in page_down.items()}, dict(page_after)))  # fmt: skip
    print("a page while down: %s" % shown)
    print("acknowledged writes: %d, missing from the database: %d; failures without an "
          "answer: %s" % (len(writers.acknowledged), len(missing),
                          dict(Counter(w for _, w, _ in writers.failed if not w.isdigit()))))
    targets = [
        (500 not in statuses, "no 500 from the server function (all: %s)" % dict(statuses)),
        (bool(down) and set(down) == {503} and all("database is unavailable" in m
                                                  for m in messages),
         "while down: 503 with a message saying the database is unavailable"),
        (not hung, "no request hung (15 s client timeout)"),
        (recovered_in is not None,
         "calls succeed again after PostgreSQL is back, lepta not restarted"),
        (not missing, "every acknowledged write is in the database"),
    ]  # fmt: skip
    verdicts(targets)
    return {
        "load_average": load, "down_s": down_for, "before": dict(before), "down": dict(down),
        "after": dict(after), "recovered_in_s": recovered_in, "messages": dict(messages),
        "page_down": {"%s %s" % k: v for k, v in page_down.items()},
        "page_after": dict(page_after), "page_down_sample": shown,
        "acknowledged": len(writers.acknowledged),
        "missing": len(missing), "targets": targets,
    }  # fmt: skip


def pg_ctl(pg: Any, action: str) -> None:
    """Stop the cluster (fast: sessions are ended) or start it again, on its port and
    with the options tests/infra.py gave it."""
    if action == "stop":
        pg._run("pg_ctl", "stop", "-w", "-m", "fast", "-D", str(pg.data))
        return
    options = " ".join([
        "-p %d" % pg.port,
        "-c listen_addresses=%s" % pg.host,
        "-c unix_socket_directories=%s" % pg.folder,
        "-c max_connections=300",
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off",
    ])  # fmt: skip
    pg._run(
        "pg_ctl", "start", "-w", "-t", "60", "-D", str(pg.data),
        "-l", str(pg.folder / "server.log"), "-o", options,
    )  # fmt: skip


# Output


def print_title(text: str) -> None:
    print()
    print(text)


def verdicts(targets: list[tuple[bool, str]]) -> None:
    for ok, text in targets:
        print("%-8s %s" % ("met" if ok else "NOT met", text))


def seed(database: Path, count: int = 50) -> None:
    import sqlalchemy as sa

    sys.path.insert(0, str(APP))
    from db import metadata

    engine = sa.create_engine("sqlite:///%s" % database)
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA journal_mode=WAL")
        conn.execute(
            metadata.tables["items"].insert(),
            [{"title": "item %d" % n} for n in range(1, count + 1)],
        )
    engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="short runs (3 s of wrk, ...)")
    parser.add_argument("--only", default=",".join(PARTS), help="parts to run, comma-separated")
    parser.add_argument("--duration", type=float, help="seconds per wrk run (default 30)")
    parser.add_argument("--connections", type=int, default=16, help="wrk's connections")
    parser.add_argument(
        "--rounds", type=int, default=1, help="load: runs of each server, alternating (median)"
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    args.duration = args.duration or (3 if args.quick else 30)
    parts = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = set(parts) - set(PARTS)
    if unknown:
        parser.error("unknown parts: %s (choose from %s)" % (", ".join(unknown), ", ".join(PARTS)))
    wrk = shutil.which("wrk")
    if wrk is None and "load" in parts:
        print("needs wrk: apt-get install -y wrk", file=sys.stderr)
        return 2
    from importlib.metadata import version

    print(
        "CPython %s, uvicorn %s, Starlette %s, FastAPI %s, Jinja2 %s, SQLAlchemy %s; "
        "%d cores; load average %s"
        % (sys.version.split()[0], version("uvicorn"), version("starlette"), version("fastapi"),
           version("jinja2"), version("sqlalchemy"), os.cpu_count(),
           " ".join("%.2f" % x for x in os.getloadavg()))
    )  # fmt: skip
    report: dict[str, Any] = {"command": " ".join(sys.argv), "parts": {}}
    build_once(APP)
    sqlite_parts = [p for p in parts if p != "postgres"]
    with tempfile.TemporaryDirectory(prefix="lepta-load-") as folder:
        tmp = Path(folder)
        database = tmp / "items.db"
        seed(database)
        env = {"LOAD_DB": str(database)}
        if sqlite_parts:
            lepta = start_lepta(env)
            try:
                if "load" in parts:
                    assert wrk is not None
                    peers: dict[str, Peer] = {}
                    try:
                        peers["peer"] = Peer(env)
                        peers["peer-spread"] = Peer(env, spread=True)
                        report["parts"]["load"] = part_load(lepta, peers, wrk, tmp, args)
                    finally:
                        for peer in peers.values():
                            peer.stop()
                if "disconnect" in parts:
                    report["parts"]["disconnect"] = part_disconnect(lepta, args)
                if "soak" in parts:
                    report["parts"]["soak"] = part_soak(lepta, args)
                if "kill" in parts:
                    report["parts"]["kill"] = part_kill(lepta, database, args)
            finally:
                lepta.stop()
        if "postgres" in parts:
            report["parts"]["postgres"] = part_postgres(args)
    met = [ok for part in report["parts"].values() if part for ok, _ in part["targets"]]
    print()
    print("targets met: %d of %d" % (sum(met), len(met)))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, default=str))
    return 0 if all(met) else 1


if __name__ == "__main__":
    sys.exit(main())
