"""Run Lepta's portable code under MicroPython (WebAssembly, in Node).

    python tools/micropython.py tests            # the portable test suites
    python tools/micropython.py exec FILE.py      # any script, with lepta importable

The MicroPython runtime is fetched once with `npm pack` (see lepta.build.runtimes) and
run as pages get it (see `served_runtime` in lepta.build.bundle).
Lepta's portable packages are copied to /lib/lepta, and the MicroPython-only shims
(typing, __future__) to /lib, so the same source runs unchanged.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from lepta.build.bundle import served_runtime  # noqa: E402

# Server-side packages never run in the browser and are not copied.
SERVER_ONLY = {"build", "server", "cli", "_shims"}


def portable_mounts() -> list[str]:
    lepta = ROOT / "src" / "lepta"
    mounts = ["%s:/lib" % (lepta / "_shims" / "micropython")]
    for entry in sorted(lepta.iterdir()):
        if entry.is_dir() and entry.name not in SERVER_ONLY and entry.name != "__pycache__":
            mounts.append("%s:/lib/lepta/%s" % (entry, entry.name))
        elif entry.suffix == ".py" and entry.name != "__init__.py":  # lepta.html, ...
            mounts.append("%s:/lib/lepta/%s" % (entry, entry.name))
    return mounts


def run(code: str, extra_mounts: list[str]) -> int:
    runtime = served_runtime("micropython")  # (as the browser gets it)
    # The package's __init__ is copied alone: it must import only portable packages.
    init = "import sys\nsys.path.append('/lib')\n"
    script = ROOT / "src" / "lepta" / "build" / "micropython_run.mjs"
    mounts = [*portable_mounts(), *extra_mounts]
    top = ROOT / "src" / "lepta" / "__init__.py"
    setup = init + "import os\nif 'lepta' not in os.listdir('/lib'):\n    os.mkdir('/lib/lepta')\n"
    setup += "open('/lib/lepta/__init__.py', 'w').write(%r)\n" % top.read_text()
    return subprocess.call(["node", str(script), str(runtime), setup + code, *mounts])


def main(argv: list[str]) -> int:
    if argv[:1] == ["tests"]:
        tests = ROOT / "tests" / "portable"
        code = (
            "import sys\nsys.path.insert(0, '/tests')\nimport _runner\n"
            "EXIT_CODE = await _runner.main('/tests', %r)\n" % (argv[1:],)
        )
        return run(code, ["%s:/tests" % tests])
    if argv[:1] == ["exec"] and len(argv) >= 2:
        # MicroPython's sys.argv cannot be set: the script finds its arguments in ARGV.
        path = Path(argv[1]).resolve()
        code = (
            "import sys\nsys.path.insert(0, '/work')\n"
            "g = {'__name__': '__main__', 'ARGV': %r}\n"
            "exec(open('/work/%s').read(), g)\n"
            "EXIT_CODE = g.get('EXIT_CODE', 0)\n" % ([path.name, *argv[2:]], path.name)
        )
        return run(code, ["%s:/work" % path.parent])
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
