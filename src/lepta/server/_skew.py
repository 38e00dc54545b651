"""Version skew: a page loaded before a redeploy, calling the server after it.

Each build of the app has an id (`Manifest.build_id`); every page carries it
(`data-lepta-build` on the loader's script) and the loader sends it with each call
of a server function, as the `X-Lepta-Build` header. Beside the build
(`target/site/RUNTIME/signatures.json`) the server keeps a fingerprint of each server
function's signature for each of the last builds it served, so it can tell whether
what an earlier page calls is still what that page expects:

    the page's build        the function here         the answer
    ---------------------   -----------------------   -----------------------------
    this one, or not said   any                       as usual (404 if unknown)
    an earlier one          gone                      409 StaleClient
    an earlier one          its signature changed     409 StaleClient
    an earlier one          the same                  as usual
    one not on record       gone                      409 StaleClient
    (another machine's)     any other                 as usual, but a 422 is a 409

A 409 StaleClient makes the loader reload the page, once (it keeps a note in
sessionStorage, so a page that is still stale after reloading does not loop); the
function is not called. A fingerprint covers what an earlier page relies on: the
method, streaming or not, and the JSON schemas of the arguments and of the result.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import logging
import os
from collections.abc import Iterable
from pathlib import Path

from ..server_fn import ServerFunction, StaleClient
from ..server_fn._local import shape_of

log = logging.getLogger("lepta")

KEEP_BUILDS = 20  # builds whose signatures are kept on record
HEADER = "x-lepta-build"

# What the build a call came from says about it.
CURRENT = "current"  # this build, or no build said (a script, a form without JavaScript)
SAME = "same"  # an earlier build, with this function as it is now
CHANGED = "changed"  # an earlier build, whose function has changed or is gone
UNKNOWN = "unknown"  # a build not on record here: only failures can tell


class Builds:
    """The app's current build and the server functions' signatures of earlier ones."""

    def __init__(self, site: Path, current: str) -> None:
        self.file = site / "signatures.json"
        self.current = current
        self.record: dict[str, dict[str, str]] = self._read()
        self.fingerprints: dict[str, str] = {}  # this build's, by endpoint

    def remember(self, functions: Iterable[ServerFunction]) -> None:
        """Put the signatures of `functions` on record as the current build's (kept in
        the file when it can be written; several workers may write the same)."""
        now = {f.endpoint: self.fingerprint(f) for f in functions}
        if self.record.get(self.current) == now:
            return
        self.record.pop(self.current, None)
        self.record[self.current] = now  # (last: the newest)
        while len(self.record) > KEEP_BUILDS:
            del self.record[next(iter(self.record))]
        try:
            scratch = self.file.with_name("%s.%d" % (self.file.name, os.getpid()))
            scratch.write_text(json.dumps(self.record, indent=1))
            os.replace(scratch, self.file)  # whole or not at all, for the other workers
        except OSError as exc:
            log.info("cannot keep the server functions' signatures in %s: %s", self.file, exc)

    def verdict(self, build: str | None, function: ServerFunction | None) -> str:
        """What a call from a page of `build` to `function` (None: no such function
        here) is: CURRENT, SAME, CHANGED or UNKNOWN."""
        if not build or build == self.current:
            return CURRENT
        if function is None:
            return CHANGED
        earlier = self.record.get(build)
        if earlier is None or function.endpoint not in earlier:
            return UNKNOWN
        return SAME if earlier[function.endpoint] == self.fingerprint(function) else CHANGED

    def fingerprint(self, function: ServerFunction) -> str:
        """A short hash of what a caller of `function` relies on."""
        found = self.fingerprints.get(function.endpoint)
        if found is None:
            found = self.fingerprints[function.endpoint] = fingerprint(function)
        return found

    def _read(self) -> dict[str, dict[str, str]]:
        try:
            data = json.loads(self.file.read_text())
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict):
            return {}
        return {
            str(build): {str(k): str(v) for k, v in functions.items()}
            for build, functions in data.items()
            if isinstance(functions, dict)
        }


def fingerprint(function: ServerFunction) -> str:
    """A hash of `function`'s method, streaming, and arguments' and result's schemas
    (its parameters and hints as written, for types without a JSON schema)."""
    parts: list[object] = [function.method, function.streaming, list(function.params)]
    try:
        shape = shape_of(function)
        parts.append(shape.arguments.model_json_schema())
        parts.append((shape.chunk or shape.result).json_schema())
    except Exception:  # a type pydantic cannot describe: the signature's text
        parts.append(str(inspect.signature(function.fn)) if function.fn else "")
    text = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def stale(function_name: str) -> StaleClient:
    """The 409 for a call from a page of an earlier build."""
    return StaleClient(
        "this page is older than the server: %s has changed or is gone since it was "
        "loaded; reload the page" % function_name
    )
