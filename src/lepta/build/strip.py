"""Server-only code out of the browser bundle.

Each `@server` function of an app module is replaced by a stub that knows only its
endpoint and parameter names (`ServerFunction.remote(...)`); then whatever only the
removed code used goes too, until nothing more does: imports (a database driver),
helper functions and classes, module-level values (a connection string). What the
rest of the module still uses stays.

The source is edited line for line: removed lines become empty and a stub takes the
first line of its function, so tracebacks in the browser name the file's own lines.
"""

from __future__ import annotations

import ast
from typing import Any

from ..reactive import LeptaError
from ..server_fn._function import DEFAULT_PREFIX, METHODS, endpoint_path
from ..ssr._parse import parse

SERVER_DECORATOR_MODULES = ("lepta", "lepta.server_fn")
# Each stub imports what it needs on its own line: no line moves.
STUB = (
    "from lepta.server_fn import ServerFunction as __lepta_sf; "
    "%s = __lepta_sf.remote(%r, %r, %r, %r, %r)"
)


class StripError(LeptaError, ValueError):
    """A `@server` declaration the build cannot read (its options must be literals)."""


def strip_server_code(module: str, source: str, filename: str = "<app>") -> str:
    """`source` of module `module` without its server functions' bodies and what only
    they used; `source` itself when it declares no server function."""
    tree = parse(source, filename)
    decorators = _server_names(tree)
    if not decorators:
        return source
    lines = source.split("\n")
    stubs: dict[int, str] = {}  # first line -> the stub replacing a server function
    dropped: list[Any] = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            options = _server_options(node, decorators, filename)
            if options is not None:
                stubs[_first_line(node)] = _stub(module, node, options)
                dropped.append(node)
    kept = [node for node in tree.body if node not in dropped]
    removed = set().union(*(_loads(node) for node in dropped))  # what dropped code used
    removed -= _error_classes(tree)  # the browser raises them when the server does
    imports: dict[int, str] = {}  # first line -> an import left with fewer names
    changed = True
    while changed:
        changed = False
        used = set().union(*(_loads(node) for node in kept))
        for node in list(kept):
            bound = _bound_names(node)
            gone = {name for name in bound if name in removed and name not in used}
            if not gone:
                continue
            if gone != bound:
                if isinstance(node, (ast.Import, ast.ImportFrom)):  # keep the other names
                    node.names = [a for a in node.names if _alias_name(a) not in gone]
                    imports[_first_line(node)] = ast.unparse(node)
                continue
            kept.remove(node)
            dropped.append(node)
            removed |= _loads(node)
            changed = True
    for node in dropped:
        _blank(lines, node)
    for node in kept:
        if _first_line(node) in imports:
            _blank(lines, node)
    for start, text in [*stubs.items(), *imports.items()]:
        lines[start] = text
    return "\n".join(lines)


def _blank(lines: list[str], node: Any) -> None:
    for i in range(_first_line(node), node.end_lineno):
        lines[i] = ""


def _error_classes(tree: ast.Module) -> set[str]:
    """Classes of the module built on lepta's errors (a ServerError subclass), which the
    browser needs even when only server functions raise them."""
    lepta_names = {
        alias.asname or alias.name
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.module in SERVER_DECORATOR_MODULES
        for alias in node.names
    }
    found: set[str] = set()
    grew = True
    while grew:
        grew = False
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and node.name not in found:
                bases = {b.id for b in node.bases if isinstance(b, ast.Name)}
                if bases & (lepta_names | found):
                    found.add(node.name)
                    grew = True
    return found


def _server_names(tree: ast.Module) -> set[str]:
    """The names under which this module imported lepta's `server` decorator."""
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module in SERVER_DECORATOR_MODULES:
            names.update(a.asname or a.name for a in node.names if a.name == "server")
    return names


def _server_options(node: Any, decorators: set[str], filename: str) -> dict[str, Any] | None:
    """The options of `@server(...)` on `node`, or None if it is no server function."""
    for decorator in node.decorator_list:
        call = decorator if isinstance(decorator, ast.Call) else None
        target = call.func if call is not None else decorator
        if not (isinstance(target, ast.Name) and target.id in decorators):
            continue
        options: dict[str, Any] = {"endpoint": None, "prefix": DEFAULT_PREFIX, "method": "POST"}
        for keyword in call.keywords if call is not None else ():
            if keyword.arg not in options or not isinstance(keyword.value, ast.Constant):
                raise StripError(
                    "%s, line %d: @server(%s=...) on %s: give endpoint, prefix and method "
                    "as literal strings (the build reads them)"
                    % (filename, decorator.lineno, keyword.arg, node.name)
                )
            options[keyword.arg] = keyword.value.value
        if str(options["method"]).upper() not in METHODS:
            raise StripError(
                "%s, line %d: @server(method=%r) on %s: use \"POST\" or \"GET\""
                % (filename, decorator.lineno, options["method"], node.name)
            )
        return options
    return None


def _stub(module: str, node: Any, options: dict[str, Any]) -> str:
    name = "%s.%s" % (module, node.name)
    endpoint = endpoint_path(options["prefix"], options["endpoint"] or name)
    args = node.args
    params = tuple(a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs])
    streaming = isinstance(node, ast.AsyncFunctionDef) and any(
        isinstance(n, (ast.Yield, ast.YieldFrom)) for n in ast.walk(node)
    )
    method = str(options["method"]).upper()
    return STUB % (node.name, name, endpoint, method, params, streaming)


def _first_line(node: Any) -> int:
    """The index (from 0) of the first line of `node`, its decorators included."""
    decorators = getattr(node, "decorator_list", None) or []
    return int(min([node.lineno, *(d.lineno for d in decorators)])) - 1


def _loads(node: Any) -> set[str]:
    """The names `node` reads."""
    return {
        n.id for n in ast.walk(node) if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Store)
    }


def _alias_name(alias: ast.alias) -> str:
    return (alias.asname or alias.name).split(".")[0]


def _bound_names(node: Any) -> set[str]:
    """The module-level names a statement binds, for the kinds that can be dropped."""
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return {_alias_name(a) for a in node.names if a.name != "*"}
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    if isinstance(node, (ast.Assign, ast.AnnAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        if all(isinstance(t, ast.Name) for t in targets):
            return {t.id for t in targets if isinstance(t, ast.Name)}
    return set()
