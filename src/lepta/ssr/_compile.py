"""Compiling the static parts of a component to strings, once per definition.

Builder calls cost about a microsecond per element, so rendering a page by building
and walking element objects on every request would be slow. Instead, the first time
the server renders a component, its source is parsed and each outermost builder call
in it, such as

    tr(td(row["id"], class_="col-md-1"), td(a(row["label"]), class_="col-md-4"))

is replaced by a template: the HTML that cannot change, cut around the holes whose
values are only known per call,

    '<tr><td class="col-md-1">' row["id"] '</td><td class="col-md-4"><a>' row["label"] ...

so a render appends one f-string per stretch of the view and renders only the holes
(see _emit). A hole holds a child (rendered exactly as the child of an element would
be: escaped text, a component, a callable, ...) or an attribute value (rendered by
the same rules as any attribute). A pure component with a simple body is inlined
into the components that call it (`inline_body`), and a plain function it calls is
compiled for it (`view_function`). The output is identical to rendering the builder
calls.

What stays as written: calls with `*args` or `**kwargs`, builders shadowed by a local
name, components and helpers that close over variables of an enclosing function (the
functions nested in a compiled one are compiled with it), and any code whose source
Python cannot show (lambdas, the REPL). The browser has no `ast` module
and builds DOM nodes, not strings: its views are compiled at build time, into
templates (lepta.build.views).

In server rendering, event handlers (`on_*`), DOM properties (`prop_*`) and
`node_ref` do nothing, so their expressions are not evaluated.
"""

from __future__ import annotations

from typing import Any, Callable

try:
    import ast
    import builtins
    import copy
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
from ._parse import parse
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


def uncompile(comp: Component | ViewFunction) -> None:
    """Run `comp` as written from now on, and recompile the components calling it."""
    _compile_again()  # (any compiled form may have `comp` written into it)
    if isinstance(comp, ViewFunction):
        view_functions[comp.fn] = None
        return
    comp.compiled = comp.fn
    comp.direct = False


def forget_compiled() -> None:
    """Drop every compiled form (a development server does, before importing the app's
    new code: the old functions and components would otherwise stay here)."""
    _compile_again()
    view_functions.clear()


def _compile_again() -> None:
    """Every compiled component and helper is compiled again when next used."""
    for comp in compiled_components:
        comp.compiled = None
    del compiled_components[:]
    for fn, compiled in list(view_functions.items()):
        if compiled is not None:  # (None: nothing to compile, or runs as written)
            del view_functions[fn]


class ViewFunction:
    """A plain function compiled for the views of compiled components (see
    `view_function`); it stands where a component would in an Uncompile."""

    __slots__ = ("fn",)

    def __init__(self, fn: Callable[..., Any]) -> None:
        self.fn = fn


# Plain functions met where compiled components call them -> their compiled form, or
# None where they have none (no builder call, no source) or must run as written.
view_functions: dict[Callable[..., Any], Callable[..., Any] | None] = {}


def view_function(fn: Callable[..., Any]) -> Callable[..., Any] | None:
    """The compiled form of `fn`, a plain function a component calls, such as

        def item_list(items):
            return ul([li(item["title"]) for item in items], class_="items")

    whose builder calls, kept as values, become TemplateViews (what they return is
    rendered by whatever the caller gives it to, with the same output); None if
    there is nothing to compile. Compiled once; lepta's own functions stay as they
    are. A compiled component calls this form in place of `fn`."""
    if fn in view_functions:
        return view_functions[fn]
    view_functions[fn] = None  # (a function that calls itself meets this meanwhile)
    module = getattr(fn, "__module__", None) or ""
    if module == "lepta" or module.startswith("lepta."):
        return None
    try:
        compiled = _Compiler(fn, ViewFunction(fn), renders=False).compile()
    except (_NotCompilable, SyntaxError, ValueError):  # (a source `ast` cannot read)
        return None
    view_functions[fn] = compiled
    return compiled


class _NotCompilable(Exception):
    pass


# Names the generated code uses; all start with __lepta_ so they cannot clash.
_HELPERS = {
    "__lepta_esc": escape_text,
    "__lepta_esc_attr": escape_attr,
    "__lepta_safe_url": safe_url,
    "__lepta_url_check": URL_FIRST_CHARS_TO_CHECK,
    "__lepta_attr_text": _render.attribute_text,
    "__lepta_run": _render.render_run,
    "__lepta_fresh": _render.fresh_scope,
    "__lepta_pool": _render.scope_pool,
    "__lepta_swap": swap_scope,
    "__lepta_leave": _render.leave_component,
    "__lepta_fail": _render.component_failed,
    "__lepta_fail_pure": _render.pure_component_failed,
    "__lepta_view": TemplateView,
    "__lepta_uncompile": _render.Uncompile,
    # (as names of their own: a module may shadow the builtins, and cells load faster)
    "__lepta_type": type,
    "__lepta_str": str,
    "__lepta_int": int,
    "__lepta_float": float,
    "__lepta_bool": bool,
}


class _Compiler:
    """Rewrites one component function; see the module docstring."""

    def __init__(
        self, fn: Callable[..., Any], comp: Any = None, renders: bool = True
    ) -> None:
        self.fn = fn
        self.comp = comp
        # A component's compiled form renders what it returns (its first argument is
        # the renderer); a plain function's returns what it returns.
        self.renders = renders
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
        funcdef = parse(source).body[0]
        if not isinstance(funcdef, ast.FunctionDef) or funcdef.name != fn.__name__:
            raise _NotCompilable
        self.filename = filename
        self.local_names = _local_names(funcdef)
        self.funcdef = funcdef
        self.pure = self.renders and self.is_pure(funcdef)
        inlinable = copy.deepcopy(funcdef) if self.pure and _inlinable(funcdef) else None
        funcdef.decorator_list = []
        # A builder call the component returns renders straight into the output...
        for ret in _own_returns(funcdef) if self.renders else ():
            if isinstance(ret.value, ast.Call) and self.builder_of(ret.value) is not None:
                self.render_in_place(ret)
        # ...any other becomes a TemplateView.
        funcdef.body = [self.visit(stmt) for stmt in funcdef.body]
        if not self.compiled_something:
            raise _NotCompilable
        if self.renders:
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
        compiled.__lepta_inline__ = inlinable
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
        if ret in self.funcdef.body:
            before = self.funcdef.body[: self.funcdef.body.index(ret)]
            emitter.strings = _string_names(before, self.funcdef)
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
        if isinstance(node, ast.Call):
            target = self.global_of(node.func)
            if type(target) is Builder:
                view = self.template_view(node)
                if view is not None:
                    return view
            elif inspect.isfunction(target) and not _generated(node.func):
                compiled = view_function(target)  # a plain function: its compiled form
                if compiled is not None:
                    node.func = ast.Name(id=self.ref("f", compiled), ctx=ast.Load())
                    self.compiled_something = True
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
        return _target(func, self.fn.__globals__, self.local_names, self.refs)

    def builder_of(self, call: Any) -> Builder | None:
        target = self.global_of(call.func)
        return target if type(target) is Builder else None

    def component_of(self, call: Any) -> Component | None:
        target = self.global_of(call.func)
        return target if type(target) is Component else None

    def inline_body(
        self, call: Any, comp: Component, fn: Any, given: dict[str, str]
    ) -> tuple[list[tuple[str, Any]], Any] | None:
        """A pure component's body to write in place of the call `call`: its
        assignments (target, value) and its view, with its parameters bound to the
        props `given` (names of variables holding them) or its defaults; or None.

        Its own names are renamed apart; the names it takes from its module are kept
        where they mean the same here, else bound to what they are there now, as
        builders and components are. The code takes the line of the call."""
        funcdef = copy.deepcopy(getattr(fn, "__lepta_inline__", None))
        if funcdef is None:
            return None
        source = comp.fn
        args = funcdef.args
        params = [a.arg for a in args.args] + [a.arg for a in args.kwonlyargs]
        if any(key not in params for key in given):
            return None  # let the call report it
        positional_defaults = source.__defaults__ or ()
        with_defaults = params[len(args.args) - len(positional_defaults) : len(args.args)]
        defaults = dict(zip(with_defaults, positional_defaults, strict=True))
        defaults.update(source.__kwdefaults__ or {})
        local = _local_names(funcdef)
        stored = set(
            n.id
            for n in ast.walk(funcdef)
            if isinstance(n, ast.Name) and type(n.ctx) is not ast.Load
        )
        self.counter += 1
        prefix = "__lepta_i%d_" % self.counter
        names: dict[str, str] = {}
        binds: list[tuple[str, Any]] = []
        for param in params:
            if param in given:
                value = given[param]
            elif param in defaults:
                value = self.ref("d", defaults[param])
            else:
                return None  # a missing prop: let the call report it
            if param in stored:
                names[param] = prefix + param
                binds.append((prefix + param, ast.Name(id=value, ctx=ast.Load())))
            else:
                names[param] = value
        for name in local:
            names.setdefault(name, prefix + name)
        same_module = source.__globals__ is self.fn.__globals__
        for node in ast.walk(funcdef):
            if not isinstance(node, ast.Name) or node.id in names:
                continue
            if same_module and node.id not in self.local_names:
                continue
            if node.id in source.__globals__:
                names[node.id] = self.ref("g", source.__globals__[node.id])
            elif hasattr(builtins, node.id):
                names[node.id] = self.ref("g", getattr(builtins, node.id))
            else:
                return None  # a NameError to come: let the call raise it

        class Rename(ast.NodeTransformer):
            def visit_Name(self, node: Any) -> Any:
                if node.id in names:
                    return ast.Name(id=names[node.id], ctx=node.ctx)
                return node

        body = [Rename().visit(stmt) for stmt in _without_docstring(funcdef.body)]
        for stmt in body:
            for node in ast.walk(stmt):
                if "lineno" in node._attributes:
                    ast.copy_location(node, call)
        assignments = [(stmt.targets[0].id, stmt.value) for stmt in body[:-1]]
        return binds + assignments, body[-1].value

    def inline_strings(self, assignments: list[tuple[str, Any]]) -> dict[str, Any]:
        """The names an inlined body binds once to an f-string (see _string_names)."""
        targets = [target for target, _ in assignments]
        return {
            target: value
            for target, value in assignments
            if isinstance(value, ast.JoinedStr) and targets.count(target) == 1
        }

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


def _target(
    node: Any, globals_: dict[str, Any], local: set[str], refs: dict[str, Any] | None = None
) -> Any:
    """What a name or dotted name refers to when it starts with a module global (not a
    name the function binds) and goes through modules only: `div`, `h.div` after
    `from lepta import html as h`, `lepta.html.div` after `import lepta.html`; else None.
    `refs`: names the generated code binds to known values (see inline_body).
    """
    if isinstance(node, ast.Name):
        if refs is not None and node.id in refs:
            return refs[node.id]
        return None if node.id in local else globals_.get(node.id)
    if isinstance(node, ast.Attribute):
        owner = _target(node.value, globals_, local, refs)
        if isinstance(owner, ModuleType):
            return getattr(owner, node.attr, None)
    return None


def _generated(func: Any) -> bool:
    """Whether a called name is one the generated code binds (`__lepta_...`)."""
    return isinstance(func, ast.Name) and func.id.startswith("__lepta_")


def _pure_body(
    funcdef: Any, globals_: dict[str, Any], local: set[str], seen: set[Any], strict: bool = False
) -> bool:
    """See is_pure; `strict`: also changing nothing (no item or attribute set)."""
    for node in ast.walk(funcdef):
        if strict and isinstance(node, (ast.Subscript, ast.Attribute)):
            if type(node.ctx) is not ast.Load:
                return False
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
            if not _pure_function(target, seen, strict):
                return False
        elif not isinstance(node, _PURE_NODES):
            return False
    return True


_purity: dict[Any, bool] = {}
_changes_nothing: dict[Any, bool] = {}


def _pure_function(fn: Any, seen: set[Any], strict: bool = False) -> bool:
    """Whether `fn` is a plain module function whose body is pure (see is_pure);
    `strict`: and changes nothing it is given (see _emit.shared)."""
    known = _changes_nothing if strict else _purity
    if fn in known:
        return known[fn]
    code = getattr(fn, "__code__", None)
    if code is None or code.co_freevars or fn in seen or len(seen) > 20:
        return False
    seen.add(fn)
    try:
        funcdef = parse(textwrap.dedent(inspect.getsource(fn))).body[0]
    except (OSError, TypeError, SyntaxError, IndexError):
        return False
    if not isinstance(funcdef, ast.FunctionDef) or funcdef.decorator_list:
        return False
    result = _pure_body(funcdef, fn.__globals__, _local_names(funcdef), seen, strict)
    known[fn] = result
    return result


def _string_names(before: list[Any], funcdef: Any) -> dict[str, Any]:
    """Names that statements `before` (run in order before the view) bind to an
    f-string, and nothing else in the function binds: surely strings in the view."""
    stores: dict[str, int] = {}
    for node in ast.walk(funcdef):
        if isinstance(node, ast.Name) and type(node.ctx) is not ast.Load:
            stores[node.id] = stores.get(node.id, 0) + 1
        elif isinstance(node, (ast.Global, ast.Nonlocal, ast.NamedExpr)):
            return {}
    found = {}
    for stmt in before:
        if (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
            and isinstance(stmt.value, ast.JoinedStr)
            and stores.get(stmt.targets[0].id) == 1
        ):
            found[stmt.targets[0].id] = stmt.value
    return found


def _without_docstring(body: list[Any]) -> list[Any]:
    first = body[0] if body else None
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
        return body[1:]
    return body


def _inlinable(funcdef: Any) -> bool:
    """Whether a (pure) component can be written into its callers: plain parameters,
    a body of assignments to names and one `return <view>`, and no function inside
    (one could outlive the call and see the caller's variables change)."""
    args = funcdef.args
    if args.vararg or args.kwarg or args.posonlyargs:
        return False
    body = _without_docstring(funcdef.body)
    if not body or not isinstance(body[-1], ast.Return) or body[-1].value is None:
        return False
    for stmt in body[:-1]:
        if not (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
        ):
            return False
    return not any(
        isinstance(n, (ast.Lambda, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        for stmt in body
        for n in ast.walk(stmt)
    )


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
