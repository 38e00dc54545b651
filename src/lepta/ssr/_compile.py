"""Compiling the static parts of a component to strings, once per definition.

Builder calls cost about a microsecond per element, so rendering a page by building
and walking element objects on every request would be slow. Instead, the first time
the server renders a component, its source is parsed and each outermost builder call
in it, such as

    tr(td(row["id"], class_="col-md-1"), td(a(row["label"]), class_="col-md-4"))

is replaced by a template: the HTML that cannot change, cut around the holes whose
values are only known per call,

    '<tr><td class="col-md-1">' row["id"] '</td><td class="col-md-4"><a>' row["label"] ...

so a render appends a few strings and renders only the holes. A hole holds a child
(rendered exactly as the child of an element would be: escaped text, a component, a
callable, ...) or an attribute value (rendered by the same rules as any attribute).
The output is identical to rendering the builder calls.

What stays as written: calls with `*args` or `**kwargs`, builders shadowed by a local
name, functions that close over variables of an enclosing function, and any code
whose source Python cannot show (lambdas, the REPL). The browser never compiles: it
has no `ast` module, and it builds DOM nodes, not strings.

In server rendering, event handlers (`on_*`), DOM properties (`prop_*`) and
`node_ref` do nothing, so their expressions are not evaluated.
"""

from __future__ import annotations

from typing import Any, Callable

from ..view._attrs import is_special
from ..view._nodes import RAW_TEXT_ELEMENTS, VOID_ELEMENTS, Builder
from ._escape import escape_text, raw_text
from ._render import (
    DYNAMIC_TEXT,
    NOT_TEXT,
    SEPARATOR,
    STATIC_TEXT,
    Renderer,
    render_attribute,
)

enabled = True


def compile_component(fn: Callable[..., Any]) -> Callable[..., Any]:
    """`fn` with its builder calls turned into templates, or `fn` itself if it cannot be."""
    if not enabled:
        return fn
    try:
        return _Compiler(fn).compile()
    except _NotCompilable:
        return fn


class _NotCompilable(Exception):
    pass


# --- templates -----------------------------------------------------------------------
CHILD = 0  # a hole rendered as a child
ATTR = 1  # a hole rendered as an attribute (its name in Template.names)


class Template:
    """Static HTML pieces around holes; `pieces` has one more entry than `kinds`.

    For each piece: whether it starts with text (it then needs a separator after a
    dynamic text), and the text state it leaves (None when it is empty: the state
    of whatever came before carries on).
    """

    __slots__ = ("_first_is_text", "_last_is_text", "ends", "kinds", "names", "pieces", "starts")

    def __init__(self) -> None:
        self.pieces: list[str] = [""]
        self.starts: list[bool] = []
        self.ends: list[int | None] = []
        self.kinds: list[int] = []
        self.names: list[str] = []
        self._first_is_text = False
        self._last_is_text = False

    def __call__(self, values: tuple[Any, ...]) -> TemplateView:
        return TemplateView(self, values)

    # building
    def static(self, html: str, text: bool) -> None:
        """Append HTML; `text` says whether it is text content (not markup)."""
        if not html:
            return
        if not self.pieces[-1]:
            self._first_is_text = text
        self.pieces[-1] += html
        self._last_is_text = text

    def hole(self, kind: int, name: str = "") -> None:
        self._close_piece()
        self.kinds.append(kind)
        self.names.append(name)
        self.pieces.append("")

    def finish(self) -> Template:
        self._close_piece()
        return self

    def _close_piece(self) -> None:
        if self.pieces[-1]:
            self.starts.append(self._first_is_text)
            self.ends.append(STATIC_TEXT if self._last_is_text else NOT_TEXT)
        else:
            self.starts.append(False)
            self.ends.append(None)


class TemplateView:
    """A template with this call's hole values: what a compiled builder call returns."""

    __slots__ = ("template", "values")

    def __init__(self, template: Template, values: tuple[Any, ...]) -> None:
        self.template = template
        self.values = values

    def __lepta_render__(self, r: Renderer) -> None:
        t = self.template
        out = r.out
        pieces = t.pieces
        starts = t.starts
        ends = t.ends
        kinds = t.kinds
        names = t.names
        values = self.values
        i = 0
        for value in values:
            piece = pieces[i]
            if piece:
                if starts[i] and r.prev == DYNAMIC_TEXT:
                    out.append(SEPARATOR)
                out.append(piece)
                r.prev = ends[i]  # type: ignore[assignment]
            if kinds[i] == CHILD:
                r.child(value)
            elif value is not None and value is not False:
                render_attribute(out, names[i], value)
            i += 1
        piece = pieces[i]
        if piece:
            if starts[i] and r.prev == DYNAMIC_TEXT:
                out.append(SEPARATOR)
            out.append(piece)
            r.prev = ends[i]  # type: ignore[assignment]


# --- the compiler --------------------------------------------------------------------
class _Compiler:
    def __init__(self, fn: Callable[..., Any]) -> None:
        self.fn = fn
        self.templates: list[Template] = []

    def compile(self) -> Callable[..., Any]:
        import ast
        import inspect
        import textwrap

        fn = self.fn
        code = getattr(fn, "__code__", None)
        if code is None or code.co_freevars or getattr(fn, "__name__", "") == "<lambda>":
            raise _NotCompilable
        try:
            source = textwrap.dedent(inspect.getsource(fn))
            filename = inspect.getsourcefile(fn) or code.co_filename
        except (OSError, TypeError):
            raise _NotCompilable from None
        module = ast.parse(source)
        funcdef = module.body[0]
        if not isinstance(funcdef, ast.FunctionDef):
            raise _NotCompilable
        funcdef.decorator_list = []
        self.ast = ast
        self.local_names = _local_names(ast, funcdef)
        funcdef.body = [self.visit(stmt) for stmt in funcdef.body]
        if not self.templates:
            raise _NotCompilable
        # Wrap in a factory whose parameters are the templates: the compiled function
        # reaches them as closure cells, and the module's namespace stays untouched.
        names = ["__lepta_t%d" % i for i in range(len(self.templates))]
        factory = ast.FunctionDef(
            name="__lepta_factory",
            args=ast.arguments(
                posonlyargs=[],
                args=[ast.arg(arg=n) for n in names],
                kwonlyargs=[],
                kw_defaults=[],
                defaults=[],
            ),
            body=[funcdef, ast.Return(value=ast.Name(id=funcdef.name, ctx=ast.Load()))],
            decorator_list=[],
        )
        tree = ast.Module(body=[factory], type_ignores=[])
        ast.fix_missing_locations(tree)
        ast.increment_lineno(tree, code.co_firstlineno - 1)
        namespace: dict[str, Any] = {}
        exec(compile(tree, filename, "exec"), fn.__globals__, namespace)
        compiled = namespace["__lepta_factory"](*self.templates)
        compiled.__defaults__ = fn.__defaults__
        compiled.__kwdefaults__ = fn.__kwdefaults__
        compiled.__doc__ = fn.__doc__
        return compiled  # type: ignore[no-any-return]

    # Walk every expression; replace outermost builder calls with template calls.
    def visit(self, node: Any) -> Any:
        ast = self.ast
        if isinstance(node, ast.Call):
            builder = self.builder_of(node)
            if builder is not None:
                template = Template()
                holes: list[Any] = []
                if self.element(node, builder, template, holes):
                    return self.template_call(template.finish(), holes)
        for field, value in ast.iter_fields(node):
            if isinstance(value, list):
                visited = [self.visit(v) if isinstance(v, ast.AST) else v for v in value]
                setattr(node, field, visited)
            elif isinstance(value, ast.AST):
                setattr(node, field, self.visit(value))
        return node

    def template_call(self, template: Template, holes: list[Any]) -> Any:
        ast = self.ast
        name = "__lepta_t%d" % len(self.templates)
        self.templates.append(template)
        values = ast.Tuple(elts=[self.visit(h) for h in holes], ctx=ast.Load())
        return ast.Call(func=ast.Name(id=name, ctx=ast.Load()), args=[values], keywords=[])

    def builder_of(self, call: Any) -> Builder | None:
        """The Builder a call's function names, if it surely is one."""
        ast = self.ast
        func = call.func
        if isinstance(func, ast.Name):
            if func.id in self.local_names:
                return None
            target = self.fn.__globals__.get(func.id)
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            if func.value.id in self.local_names:
                return None
            owner = self.fn.__globals__.get(func.value.id)
            target = getattr(owner, func.attr, None) if owner is not None else None
        else:
            return None
        return target if type(target) is Builder else None

    def element(self, call: Any, builder: Builder, t: Template, holes: list[Any]) -> bool:
        """Add an element's template to `t`; False (adding nothing) if it cannot be."""
        attrs = self.attributes(call)
        if attrs is None:
            return False
        ast = self.ast
        args = call.args[1:] if call.args and isinstance(call.args[0], ast.Dict) else call.args
        tag = builder.tag
        html = builder.namespace == ""
        void = html and tag in VOID_ELEMENTS
        raw = html and tag in RAW_TEXT_ELEMENTS
        if (void and args) or (raw and not all(_constant_text(ast, a) for a in args)):
            return False  # left to the renderer (its error, or its rules for raw text)
        if any(key in ("inner_html", "bind_value") for key, _ in attrs):
            return False  # they replace the children: left to the renderer
        t.static("<" + tag, False)
        for key, value in attrs:
            if is_special(key):
                if key == "bind_checked":
                    t.hole(ATTR, key)
                    holes.append(value)
                continue
            if isinstance(value, ast.Constant):
                t.static(_static_attribute(key, value.value), False)
            else:
                t.hole(ATTR, key)
                holes.append(value)
        t.static(">", False)
        if void:
            return True
        if raw:
            t.static(raw_text("".join(a.value for a in args if a.value is not None)), True)
        else:
            for child in args:
                self.child(child, t, holes)
        t.static("</" + tag + ">", False)
        return True

    def attributes(self, call: Any) -> list[tuple[str, Any]] | None:
        """The call's attributes in order, or None if they are not all known by name."""
        ast = self.ast
        if any(isinstance(a, ast.Starred) for a in call.args):
            return None
        if any(k.arg is None for k in call.keywords):  # **kwargs
            return None
        attrs: list[tuple[str, Any]] = []
        if call.args and isinstance(call.args[0], ast.Dict):
            d = call.args[0]
            for k, v in zip(d.keys, d.values, strict=True):
                if not (isinstance(k, ast.Constant) and isinstance(k.value, str)):
                    return None
                attrs.append((k.value, v))
        attrs.extend((k.arg, k.value) for k in call.keywords)
        if len(set(key for key, _ in attrs)) != len(attrs):
            return None  # a repeated name: the renderer keeps the last one
        return attrs

    def child(self, node: Any, t: Template, holes: list[Any]) -> None:
        ast = self.ast
        if isinstance(node, ast.Constant):
            v = node.value
            if v is None or v is True or v is False:
                return
            if isinstance(v, str):
                t.static(escape_text(v), True)
                return
            if isinstance(v, (int, float)):
                t.static(str(v), True)
                return
        if isinstance(node, ast.Call):
            builder = self.builder_of(node)
            if builder is not None and self.element(node, builder, t, holes):
                return
        t.hole(CHILD)
        holes.append(node)


def _constant_text(ast: Any, node: Any) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, (str, type(None)))


def _static_attribute(key: str, value: Any) -> str:
    """A constant attribute, rendered once by the renderer's own rules."""
    out: list[str] = []
    render_attribute(out, key, value)
    return "".join(out)


def _local_names(ast: Any, funcdef: Any) -> set[str]:
    """Every name bound inside the function: such a name never refers to a builder."""
    names = set()
    for node in ast.walk(funcdef):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if node is not funcdef:
                names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                names.add((alias.asname or alias.name).split(".")[0])
    return names
