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

try:
    import ast
    import inspect
    import textwrap
    from types import ModuleType
except ImportError:  # MicroPython: components run as written
    ast = None  # type: ignore[assignment]

from ..reactive._core import swap_scope
from ..view._component import Component
from ..view._escape import (
    URL_FIRST_CHARS_TO_CHECK,
    escape_attr,
    escape_text,
    safe_url,
)
from ..view._nodes import Builder
from . import _render
from ._emit import Emitter
from ._render import (
    render_attribute,
)
from ._template import TemplateView

enabled = True


def compile_component(
    fn: Callable[..., Any], comp: Component | None = None
) -> tuple[Callable[..., Any], bool]:
    """`fn` with its builder calls compiled, or `fn` itself if it cannot be.

    The second value says whether the compiled function takes the renderer as its
    first argument (it then renders what it returns itself, and returns None).
    """
    if not enabled:
        return fn, False
    try:
        return _Compiler(fn, comp).compile(), True
    except _NotCompilable:
        return fn, False


def prepare(comp: Component) -> Callable[..., Any]:
    """Compile a component once; until that is done it counts as not compiled."""
    comp.compiled = comp.fn  # a component that uses itself meets this while compiling
    comp.direct = False
    comp.compiled, comp.direct = compile_component(comp.fn, comp)
    if comp.direct:
        compiled_components.append(comp)
    return comp.compiled


# Compiled components call the compiled forms of others directly: when one must go
# back to its written form, the others are compiled again (see _render.Uncompile).
compiled_components: list[Component] = []


def uncompile(comp: Component) -> None:
    """Run `comp` as written from now on, and recompile the components calling it."""
    for other in compiled_components:
        other.compiled = None
    del compiled_components[:]
    comp.compiled = comp.fn
    comp.direct = False


class _NotCompilable(Exception):
    pass


# Names the generated code uses; all start with __lepta_ so they cannot clash.
_HELPERS = {
    "__lepta_esc": escape_text,
    "__lepta_esc_attr": escape_attr,
    "__lepta_safe_url": safe_url,
    "__lepta_url_check": URL_FIRST_CHARS_TO_CHECK,
    "__lepta_attr": render_attribute,
    "__lepta_fresh": _render.fresh_scope,
    "__lepta_pool": _render.scope_pool,
    "__lepta_swap": swap_scope,
    "__lepta_leave": _render.leave_component,
    "__lepta_fail": _render.component_failed,
    "__lepta_fail_pure": _render.pure_component_failed,
    "__lepta_view": TemplateView,
    "__lepta_uncompile": _render.Uncompile,
}


class _Compiler:
    """Rewrites one component function; see the module docstring."""

    def __init__(self, fn: Callable[..., Any], comp: Component | None = None) -> None:
        self.fn = fn
        self.comp = comp
        self.refs: dict[str, Any] = dict(_HELPERS)
        self.compiled_something = False
        self.counter = 0

    def compile(self) -> Callable[..., Any]:
        fn = self.fn
        if ast is None or not inspect.isfunction(fn):  # not a method, not a callable object
            raise _NotCompilable
        code = getattr(fn, "__code__", None)
        if code is None or code.co_freevars or getattr(fn, "__name__", "") == "<lambda>":
            raise _NotCompilable
        try:
            source = textwrap.dedent(inspect.getsource(fn))
            filename = inspect.getsourcefile(fn) or code.co_filename
        except (OSError, TypeError):
            raise _NotCompilable from None
        funcdef = ast.parse(source).body[0]
        if not isinstance(funcdef, ast.FunctionDef):
            raise _NotCompilable
        self.filename = filename
        self.local_names = _local_names(funcdef)
        self.pure = self.is_pure(funcdef)
        funcdef.decorator_list = []
        # A builder call the component returns renders straight into the output...
        for ret in _own_returns(funcdef):
            if isinstance(ret.value, ast.Call) and self.builder_of(ret.value) is not None:
                self.render_in_place(ret)
        # ...any other becomes a TemplateView.
        funcdef.body = [self.visit(stmt) for stmt in funcdef.body]
        if not self.compiled_something:
            raise _NotCompilable
        first = ast.arg(arg="__lepta_r")
        (funcdef.args.posonlyargs or funcdef.args.args).insert(0, first)
        # Defined under a name of its own: under the component's name, a component that
        # uses itself (a tree of comments) would call the compiled function.
        funcdef.name = "__lepta_compiled"
        # A factory whose parameters are the helpers, templates and components the
        # function uses: it reaches them as closure cells, and the module stays as it is.
        names = list(self.refs)
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
        compiled = namespace["__lepta_factory"](*[self.refs[n] for n in names])
        compiled.__defaults__ = fn.__defaults__
        compiled.__kwdefaults__ = fn.__kwdefaults__
        compiled.__doc__ = fn.__doc__
        compiled.__name__ = fn.__name__
        compiled.__lepta_pure__ = self.pure
        return compiled  # type: ignore[no-any-return]

    def is_pure(self, funcdef: Any) -> bool:
        """Whether the function surely never touches the owner tree: it only reads its
        arguments and calls builders, plain builtins and module functions that are pure
        in the same sense. Such a component is run without an owner of its own, which
        nothing could observe."""
        return _pure_body(funcdef, self.fn.__globals__, self.local_names, set())

    def prepare(self, comp: Component) -> Callable[..., Any]:
        return prepare(comp)

    def ref(self, prefix: str, value: Any) -> str:
        """A name under which the generated code reaches `value`."""
        self.counter += 1
        name = "__lepta_%s%d" % (prefix, self.counter)
        self.refs[name] = value
        return name

    def render_in_place(self, ret: Any) -> None:
        """Turn `return <builder call>` into statements that render it, then `return None`."""
        emitter = Emitter(self, inline=True)
        if not emitter.child(ret.value, top=True):
            return
        emitter.finish()
        block = emitter.statements(ret)
        self.compiled_something = True
        # Splice: the return becomes `if True: <block>; return None` (keeps one node).
        ret.value = None
        body = [*block, ast.Return(value=None)]
        wrapper = ast.If(test=ast.Constant(value=True), body=body, orelse=[])
        self._replace(ret, wrapper)

    def _replace(self, old: Any, new: Any) -> None:
        self.replacements = getattr(self, "replacements", {})
        self.replacements[id(old)] = new

    def visit(self, node: Any) -> Any:
        """Replace builder calls left in expressions by TemplateViews, recursively."""
        node = getattr(self, "replacements", {}).get(id(node), node)
        if isinstance(node, ast.Call) and self.builder_of(node) is not None:
            view = self.template_view(node)
            if view is not None:
                return view
        for field, value in ast.iter_fields(node):
            if isinstance(value, list):
                visited = [self.visit(v) if isinstance(v, ast.AST) else v for v in value]
                setattr(node, field, visited)
            elif isinstance(value, ast.AST):
                setattr(node, field, self.visit(value))
        return node

    def template_view(self, call: Any) -> Any:
        """`__lepta_view(<render fn>, (holes...))` for a builder call kept as a value."""
        emitter = Emitter(self, inline=False)
        if not emitter.child(call, top=True):
            return None
        emitter.finish()
        params = ", ".join(emitter.params)
        source = "def render(__lepta_r%s):\n%s\n" % (
            ", " + params if params else "",
            "\n".join(emitter.lines),
        )
        namespace = dict(self.refs)
        exec(compile(source, "<lepta template from %s>" % self.filename, "exec"), namespace)
        render = self.ref("t", namespace["render"])
        self.compiled_something = True
        values = ast.Tuple(elts=[self.visit(h) for h in emitter.holes], ctx=ast.Load())
        func = ast.Name(id="__lepta_view", ctx=ast.Load())
        return ast.Call(func=func, args=[ast.Name(id=render, ctx=ast.Load()), values], keywords=[])

    def global_of(self, func: Any) -> Any:
        """What a name in the function refers to, when it surely is a builder or
        component (see `_target`)."""
        return _target(func, self.fn.__globals__, self.local_names)

    def builder_of(self, call: Any) -> Builder | None:
        target = self.global_of(call.func)
        return target if type(target) is Builder else None

    def component_of(self, call: Any) -> Component | None:
        target = self.global_of(call.func)
        return target if type(target) is Component else None

    def attributes(self, call: Any) -> list[tuple[str, Any]] | None:
        """The call's attributes in order, or None if they are not all known by name."""
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


# Builtins that cannot reach the owner tree (when no module global shadows them).
_PURE = set("str int float bool len range enumerate zip min max abs round sorted reversed".split())
_PURE_NODES: tuple[type, ...] = ()
if ast is not None:
    _PURE_NODES = (
        ast.FunctionDef,
        ast.arguments,
        ast.arg,
        ast.Return,
        ast.If,
        ast.Assign,
        ast.Expr,
        ast.Pass,
        ast.Constant,
        ast.Name,
        ast.Load,
        ast.Store,
        ast.Attribute,
        ast.Subscript,
        ast.Slice,
        ast.BinOp,
        ast.UnaryOp,
        ast.BoolOp,
        ast.Compare,
        ast.IfExp,
        ast.JoinedStr,
        ast.FormattedValue,
        ast.List,
        ast.Tuple,
        ast.Dict,
        ast.ListComp,
        ast.GeneratorExp,
        ast.comprehension,
        ast.keyword,
        ast.Lambda,
        ast.operator,
        ast.unaryop,
        ast.boolop,
        ast.cmpop,
        ast.expr_context,
    )


def _target(node: Any, globals_: dict[str, Any], local: set[str]) -> Any:
    """What a name or dotted name refers to when it starts with a module global (not a
    name the function binds) and goes through modules only: `div`, `h.div` after
    `from lepta import html as h`, `lepta.html.div` after `import lepta.html`; else None.
    """
    if isinstance(node, ast.Name):
        return None if node.id in local else globals_.get(node.id)
    if isinstance(node, ast.Attribute):
        owner = _target(node.value, globals_, local)
        if isinstance(owner, ModuleType):
            return getattr(owner, node.attr, None)
    return None


def _pure_body(funcdef: Any, globals_: dict[str, Any], local: set[str], seen: set[Any]) -> bool:
    for node in ast.walk(funcdef):
        if isinstance(node, ast.Call):
            func = node.func
            target = _target(func, globals_, local)
            # A component call only describes a use: the component gets its own owner
            # (or none, if it is pure itself) wherever it renders.
            if type(target) is Builder or type(target) is Component:
                continue
            if target is None and isinstance(func, ast.Name):
                if func.id in _PURE and func.id not in local:
                    continue
            if not _pure_function(target, seen):
                return False
        elif not isinstance(node, _PURE_NODES):
            return False
    return True


_purity: dict[Any, bool] = {}


def _pure_function(fn: Any, seen: set[Any]) -> bool:
    """Whether `fn` is a plain module function whose body is pure (see is_pure)."""
    if fn in _purity:
        return _purity[fn]
    code = getattr(fn, "__code__", None)
    if code is None or code.co_freevars or fn in seen or len(seen) > 20:
        return False
    seen.add(fn)
    try:
        funcdef = ast.parse(textwrap.dedent(inspect.getsource(fn))).body[0]
    except (OSError, TypeError, SyntaxError, IndexError):
        return False
    if not isinstance(funcdef, ast.FunctionDef) or funcdef.decorator_list:
        return False
    result = _pure_body(funcdef, fn.__globals__, _local_names(funcdef), seen)
    _purity[fn] = result
    return result


def _own_returns(funcdef: Any) -> list[Any]:
    """The return statements of `funcdef` itself, not of functions nested in it, nor
    inside a `try` (rendering in place would leave half an element if it raised)."""
    found = []
    todo = list(funcdef.body)
    while todo:
        node = todo.pop()
        if isinstance(
            node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda, ast.Try)
        ):
            continue
        if isinstance(node, ast.Return):
            found.append(node)
        todo.extend(ast.iter_child_nodes(node))
    return found


def _local_names(funcdef: Any) -> set[str]:
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
