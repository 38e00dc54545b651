"""The documentation: the site builds with warnings as errors, and the tutorial runs.

The tutorial (docs/tutorial.md) is run block by block, in order, in a temporary
folder, with this project's virtualenv first on PATH. What each code block means:

- a block titled with a path (```python title="app.py" hl_lines="3 5-7"```) is
  written to that file. If the file was there, the lines not highlighted must come
  from it, in order, with no more of its lines left out than there are highlighted
  lines (blank lines aside): the highlighted lines are what the step changes, and the
  rest is the file as the reader has it (a change in `lepta new`'s template shows
  up here);
- a block titled "PATH (excerpt)" must be PATH's lines, in order, some left out;
- a shell block after `<!-- run -->` runs in bash and must succeed (a `cd` carries
  over to the next block); a `text` block right after it is an excerpt of what it
  prints (times masked);
- a shell block after `<!-- serve -->` starts a server on $PORT: it must answer
  /_lepta/health and its first page, then stop on SIGTERM;
- other shell blocks are shown, not run (installing, `lepta dev`), and other `text`
  blocks are not code. Any other block fails the test: no code in the tutorial goes
  unchecked.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TUTORIAL = ROOT / "docs" / "tutorial.md"
BIN = Path(sys.executable).parent

FENCE = re.compile(r"^```(?P<info>[^\n`]*)\n(?P<body>.*?)^```\s*$", re.M | re.S)
MARKER = re.compile(r"<!--\s*(run|serve)\s*-->\s*$")
ATTR = re.compile(r'(\w+)="([^"]*)"')
TIME = re.compile(r"\d+(\.\d+)?s\b")


class Block:
    def __init__(self, info, body, marker, follows_run):
        words = info.split()
        self.lang = words[0] if words else ""
        self.attrs = dict(ATTR.findall(info))
        self.body = body
        self.marker = marker  # "run", "serve" or None
        self.follows_run = follows_run  # right after a `<!-- run -->` block
        self.line = 0

    def __repr__(self):
        return f"the {self.lang} block at docs/tutorial.md:{self.line}"


def tutorial_blocks():
    text = TUTORIAL.read_text()
    blocks, previous_end, previous = [], 0, None
    for match in FENCE.finditer(text):
        before = text[previous_end : match.start()]
        marker = MARKER.search(before.rstrip("\n") + "\n")
        adjacent = previous is not None and not before.strip()
        block = Block(
            match["info"],
            match["body"],
            marker[1] if marker else None,
            adjacent and previous.marker == "run",
        )
        block.line = text.count("\n", 0, match.start()) + 1
        blocks.append(block)
        previous_end, previous = match.end(), block
    return blocks


def highlighted(spec):
    lines = set()
    for part in spec.split():
        first, _, last = part.partition("-")
        lines.update(range(int(first), int(last or first) + 1))
    return lines


def is_subsequence(part, whole):
    """Whether `part` is `whole` with some lines left out; how many were. Blank lines
    do not count."""
    part = [line for line in part if line.strip()]
    whole = [line for line in whole if line.strip()]
    rest = iter(whole)
    if all(any(line == other for other in rest) for line in part):
        return True, len(whole) - len(part)
    return False, 0


def write_file(block, cwd):
    path = cwd / block.attrs["title"]
    new = block.body.splitlines()
    if path.exists():
        marked = highlighted(block.attrs.get("hl_lines", ""))
        kept = [line for number, line in enumerate(new, 1) if number not in marked]
        found, left_out = is_subsequence(kept, path.read_text().splitlines())
        assert found, (
            f"{block}: its lines that are not highlighted are not all in {path.name} as it "
            "was: highlight what the step changes (hl_lines), and show the rest as it is"
        )
        assert left_out <= len(marked), (
            f"{block} leaves out {left_out} lines of {path.name} but highlights only "
            f"{len(marked)}: show the whole file"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(block.body)


def check_excerpt(block, cwd):
    name = block.attrs["title"].removesuffix(" (excerpt)")
    lines = block.body.splitlines()
    found, _ = is_subsequence(lines, (cwd / name).read_text().splitlines())
    assert found, f"{block} is not an excerpt of {name} as it is"


def environment(port):
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("LEPTA_", "PYTEST_")) and name != "DATABASE_URL"
    }
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(BIN.parent)
    env["PORT"] = str(port)
    return env


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_shell(block, cwd, env, where):
    """Run the block; its output, and the folder it ended in (written to `where`)."""
    script = f"{block.body}\npwd > '{where}'\n"
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"{block} failed ({result.returncode}):\n{output}"
    return output, Path(where.read_text().strip())


def check_output(block, output):
    def normal(line):
        return TIME.sub("Ns", line).strip(" =")

    expected = [normal(line) for line in block.body.splitlines()]
    found, _ = is_subsequence(expected, [normal(line) for line in output.splitlines()])
    assert found, f"{block} is not what the command before it printed:\n{output}"


def get(url):
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read().decode()


def serve(block, cwd, env):
    port = int(env["PORT"])
    server = subprocess.Popen(
        ["bash", "-euo", "pipefail", "-c", block.body],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, f"{block} stopped:\n{server.stdout.read()}"
            try:
                status, _ = get(f"http://127.0.0.1:{port}/_lepta/health")
                break
            except OSError:
                assert time.monotonic() < deadline, f"{block} did not answer in 60 s"
                time.sleep(0.2)
        assert status == 200
        status, page = get(f"http://127.0.0.1:{port}/")
        assert status == 200 and "<h1>Notes</h1>" in page, page
    finally:
        stop_group(server)
        server.stdout.close()


def stop_group(process):
    """SIGTERM to the server's process group (bash, uvicorn, its workers), as a
    platform stops an app; it must be gone within the graceful shutdown's time."""
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)
    deadline = time.monotonic() + 35
    while time.monotonic() < deadline:
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    os.killpg(process.pid, signal.SIGKILL)
    pytest.fail("the server was still running 35 s after SIGTERM")


def test_the_tutorial_runs_as_written(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    cwd, env, output = work, environment(free_port()), None
    ran = []
    for block in tutorial_blocks():
        title = block.attrs.get("title", "")
        if title.endswith(" (excerpt)"):
            check_excerpt(block, cwd)
        elif title:
            write_file(block, cwd)
        elif block.lang == "sh" and block.marker == "run":
            output, cwd = run_shell(block, cwd, env, tmp_path / "cwd")
        elif block.lang == "sh" and block.marker == "serve":
            serve(block, cwd, env)
        elif block.lang == "text" and block.follows_run:
            check_output(block, output)
        elif block.lang in ("sh", "text"):
            continue  # shown, not run
        else:
            pytest.fail(f"{block} is neither a file, a command nor output: see this test")
        ran.append(block.lang)
    assert ran.count("sh") >= 4 and ran.count("python") >= 4, ran


def test_the_site_builds_with_warnings_as_errors(tmp_path):
    site = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (site / "tutorial" / "index.html").exists()
    reference = (site / "reference" / "reactive" / "index.html").read_text()
    assert 'id="lepta.reactive.signal"' in reference  # generated from the docstrings
    for page in site.rglob("*.html"):
        html = page.read_text()
        # The site loads nothing from elsewhere: no fonts, scripts or styles.
        assert not re.search(r"<(link|script)[^>]+(href|src)=\"(https?:)?//", html), page
