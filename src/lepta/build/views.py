"""Compiling an app's views for the browser: builder calls become template uses.

In each app module shipped to the browser, every builder call inside a function that
the compiler can read, such as

    return tr(td(row.id, class_="id"), td(a(row.label, on_click=pick)))

becomes the use of a template (see lepta.view._template): the constants and nested
builder calls stay in a function of the holes, defined once at module level, and
only the holes (every other expression: names, calls, lambdas, comprehensions) are
evaluated where the call was, in the same order:

    return __lepta_use(__lepta_t1, ((row.id), (row.label), (pick), ))

Builders are recognised however they were imported: by name (`from lepta.html
import td`, also renamed), through a module (`from lepta import html as h`, `import
lepta.html as html`, `import lepta.html`). A call stays as written when its builder
name may mean something else there (a parameter or local of that name, a module-level
rebinding) or when its arguments are not all known (`*args`, `**attrs`, a dict
argument with keys that are not strings); an argument that is such a call is a hole.

The source is edited in place, line for line: each hole starts on its own line, and
the definitions go at the end of the import that brought the builders in, so
tracebacks in the browser still name the file's own lines.
"""

from __future__ import annotations

import ast
import importlib
from typing import Any

from ..ssr._parse import parse
from ..view._attrs import is_special
from ..view._nodes import Builder

BUILDER_MODULES = ("lepta.html", "lepta.svg", "lepta.mathml")
USE = "__lepta_use"
HEADER = "from lepta.view._template import Template as __lepta_T, TemplateUse as %s" % USE


def compile_views(source: str, filename: str = "<app>") -> str:
    """`source` with its builder calls compiled into templates (itself if it has none)."""
    tree = parse(source, filename)
    found = _Imports(tree)
    if found.where is None:
        return source
    compiler = _Compiler(source, found)
    compiler.visit(tree)
    if not compiler.calls:
        return source
    return compiler.output(tree, found.where)


class _Imports:
    """The builders a module imports at its top level, and where the first import ends."""

    def __init__(self, tree: Any) -> None:
        self.names: dict[str, Builder] = {}  # a name bound to a builder
        self.modules: dict[str, Any] = {}  # a name (or dotted name) bound to a builder module
        self.where: Any = None  # the import statement the definitions follow
        imports: list[Any] = []
        for node in tree.body:
            if isinstance(node, ast.ImportFrom) and not node.level:
                for alias in node.names:
                    name = alias.asname or alias.name
                    if node.module in BUILDER_MODULES:
                        target = getattr(_module(node.module), alias.name, None)
                        if type(target) is Builder:
                            self.names[name] = target
                            imports.append(node)
                    elif node.module == "lepta" and "lepta." + alias.name in BUILDER_MODULES:
                        self.modules[name] = _module("lepta." + alias.name)
                        imports.append(node)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name in BUILDER_MODULES:
                        self.modules[alias.asname or alias.name] = _module(alias.name)
                        imports.append(node)
        # A name bound again anywhere at module level (or declared global) may not be
        # the builder when a function runs: such names are left alone.
        for name in _module_bindings(tree, imports):
            self.names.pop(name, None)
            self.modules.pop(name, None)
            for dotted in list(self.modules):
                if dotted.split(".")[0] == name:
                    del self.modules[dotted]
        if self.names or self.modules:
            self.where = imports[0]


def _module(name: str) -> Any:
    return importlib.import_module(name)


def _module_bindings(tree: Any, imports: list[Any]) -> set[str]:
    bound: set[str] = set()
    for node in tree.body:
        if node in imports:
            continue
        for sub in _walk_module_level(node):
            bound |= _binds(sub)
    for node in ast.walk(tree):
        if isinstance(node, ast.Global):
            bound.update(node.names)
    return bound


def _walk_module_level(node: Any) -> list[Any]:
    """`node` and what is inside it, except the bodies of functions and classes."""
    out = [node]
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
        return out
    for child in ast.iter_child_nodes(node):
        out.extend(_walk_module_level(child))
    return out


def _binds(node: Any) -> set[str]:
    """The names `node` itself binds in the scope it is in."""
    if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
        return {node.id}
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return {(a.asname or a.name).split(".")[0] for a in node.names}
    if isinstance(node, ast.arg):
        return {node.arg}
    if isinstance(node, ast.ExceptHandler) and node.name:
        return {node.name}
    if isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
        return {node.name}
    return set()


def _local_names(fn: Any) -> set[str]:
    """Every name bound inside a function (its nested scopes included: a safe excess)."""
    names: set[str] = set()
    for node in ast.walk(fn):
        if node is not fn or not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names |= _binds(node)
    return names


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


class _Compiler:
    def __init__(self, source: str, found: _Imports) -> None:
        self.src = source.encode("utf-8")
        starts = [0]
        for line in self.src.split(b"\n"):
            starts.append(starts[-1] + len(line) + 1)
        self.starts = starts
        self.found = found
        self.hidden: list[set[str]] = []  # the local names of each enclosing function
        self.ok: set[int] = set()  # id() of the calls that compile
        self.calls: list[Any] = []  # the outermost ones, in source order
        self.templates: list[str] = []

    # --- which calls compile --------------------------------------------------------
    def visit(self, node: Any, inside: Any = None) -> None:
        """Mark the calls that compile; `inside` is the outermost one `node` is in."""
        if isinstance(node, _SCOPES):
            self.hidden.append(_local_names(node))
            for child in ast.iter_child_nodes(node):
                self.visit(child, inside)
            self.hidden.pop()
            return
        if self.hidden and isinstance(node, ast.Call) and self.compiles(node):
            self.ok.add(id(node))
            if inside is None:
                self.calls.append(node)
                inside = node
        for child in ast.iter_child_nodes(node):
            self.visit(child, inside)

    def shadowed(self, name: str) -> bool:
        return any(name in names for names in self.hidden)

    def builder(self, func: Any) -> bool:
        if isinstance(func, ast.Name):
            return func.id in self.found.names and not self.shadowed(func.id)
        if isinstance(func, ast.Attribute):
            dotted = _dotted(func.value)
            module = self.found.modules.get(dotted) if dotted else None
            if module is None or dotted is None or self.shadowed(dotted.split(".")[0]):
                return False
            return type(getattr(module, func.attr, None)) is Builder
        return False

    def compiles(self, call: Any) -> bool:
        if not self.builder(call.func):
            return False
        if any(isinstance(a, ast.Starred) for a in call.args):
            return False
        if any(k.arg is None for k in call.keywords):
            return False
        if call.args and isinstance(call.args[0], ast.Dict):
            for key in call.args[0].keys:
                if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
                    return False
        return True

    # --- writing the result ---------------------------------------------------------
    def output(self, tree: Any, where: Any) -> str:
        out = []
        pos = 0
        for call in self.calls:
            out.append(self.src[pos : self.start(call)].decode("utf-8"))
            out.append(self.use(call))
            pos = self.end(call)
        out.append(self.src[pos:].decode("utf-8"))
        text = "".join(out)
        # The definitions follow the builders' import, on its last line.
        cut = self.end(where)
        head = self.src[:cut].decode("utf-8")
        definitions = "; ".join([HEADER, *self.templates])
        return head + "; " + definitions + text[len(head) :]

    def start(self, node: Any) -> int:
        return int(self.starts[node.lineno - 1] + node.col_offset)

    def end(self, node: Any) -> int:
        return int(self.starts[node.end_lineno - 1] + node.end_col_offset)

    def use(self, call: Any) -> str:
        """The text replacing a call that compiles: the use of a new template."""
        holes: list[Any] = []
        body = self.template_body(call, holes)
        number = len(self.templates) + 1
        params = ", ".join("__lepta_h%d" % i for i in range(len(holes)))
        self.templates.append(
            "__lepta_t%d = __lepta_T(lambda %s: %s, %d)"
            % (number, params, ast.unparse(body), len(holes))
        )
        text = ["%s(__lepta_t%d, (" % (USE, number)]
        line = call.lineno
        for hole in holes:
            while line < hole.lineno:  # each hole on its own line
                text.append("\n")
                line += 1
            inner = self.rewrite(hole)
            text.append("(%s), " % inner)
            line += inner.count("\n")
        while line < call.end_lineno:
            text.append("\n")
            line += 1
        text.append("))")
        return "".join(text)

    def rewrite(self, node: Any) -> str:
        """The source of `node` with the calls inside it that compile compiled."""
        out = []
        pos = self.start(node)
        for call in self.outermost(node):
            out.append(self.src[pos : self.start(call)].decode("utf-8"))
            out.append(self.use(call))
            pos = self.end(call)
        out.append(self.src[pos : self.end(node)].decode("utf-8"))
        return "".join(out)

    def outermost(self, node: Any) -> list[Any]:
        if id(node) in self.ok:
            return [node]
        found = []
        for child in ast.iter_child_nodes(node):
            found.extend(self.outermost(child))
        return found

    def template_body(self, call: Any, holes: list[Any]) -> Any:
        """A copy of `call` where every argument that is not static is a parameter."""

        def hole(node: Any) -> Any:
            holes.append(node)
            return ast.Name(id="__lepta_h%d" % (len(holes) - 1), ctx=ast.Load())

        def child(node: Any) -> Any:
            if _constant(node):
                return node
            if id(node) in self.ok:
                return self.template_body(node, holes)
            return hole(node)

        def attribute(key: str, node: Any) -> Any:
            return node if _constant(node) and not is_special(key) else hole(node)

        args = list(call.args)
        new_args: list[Any] = []
        if args and isinstance(args[0], ast.Dict):
            d = args.pop(0)
            values = [attribute(k.value, v) for k, v in zip(d.keys, d.values, strict=True)]
            new_args.append(ast.Dict(keys=d.keys, values=values))
        new_args.extend(child(a) for a in args)
        keywords = [ast.keyword(arg=k.arg, value=attribute(k.arg, k.value)) for k in call.keywords]
        return ast.Call(func=call.func, args=new_args, keywords=keywords)


def _constant(node: Any) -> bool:
    """A literal the template can hold: text, a number, True/False/None."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        node = node.operand
        return isinstance(node, ast.Constant) and type(node.value) in (int, float)
    return isinstance(node, ast.Constant) and type(node.value) in _LITERALS


_LITERALS = (str, int, float, bool, type(None))


def _dotted(node: Any) -> str | None:
    """"lepta.html" for the expression `lepta.html`, "h" for `h`; None otherwise."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value)
        return None if inner is None else inner + "." + node.attr
    return None
