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
except ImportError:  # MicroPython: components run as written
    ast = None  # type: ignore[assignment]

from ..reactive import _core
from ..view._attrs import attribute_name, is_special
from ..view._component import Component
from ..view._nodes import RAW_TEXT_ELEMENTS, VOID_ELEMENTS, Builder
from . import _render
from ._escape import (
    URL_FIRST_CHARS_TO_CHECK,
    escape_attr,
    escape_text,
    is_url_attribute,
    raw_text,
    safe_url,
)
from ._render import (
    DYNAMIC_TEXT,
    NEWLINE_EATERS,
    NOT_TEXT,
    SEPARATOR,
    STATIC_TEXT,
    render_attribute,
)
from ._template import TemplateView

enabled = True


def compile_component(fn: Callable[..., Any]) -> tuple[Callable[..., Any], bool]:
    """`fn` with its builder calls compiled, or `fn` itself if it cannot be.

    The second value says whether the compiled function takes the renderer as its
    first argument (it then renders what it returns itself, and returns None).
    """
    if not enabled:
        return fn, False
    try:
        return _Compiler(fn).compile(), True
    except _NotCompilable:
        return fn, False


def prepare(comp: Component) -> Callable[..., Any]:
    """Compile a component once; until that is done it counts as not compiled."""
    comp.compiled = comp.fn  # a component that uses itself meets this while compiling
    comp.direct = False
    comp.compiled, comp.direct = compile_component(comp.fn)
    return comp.compiled


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
    "__lepta_core": _core,
    "__lepta_leave": _render.leave_component,
    "__lepta_fail": _render.component_failed,
    "__lepta_fail_pure": _render.pure_component_failed,
    "__lepta_view": TemplateView,
}


class _Compiler:
    """Rewrites one component function; see the module docstring."""

    def __init__(self, fn: Callable[..., Any]) -> None:
        self.fn = fn
        self.refs: dict[str, Any] = dict(_HELPERS)
        self.compiled_something = False
        self.counter = 0

    def compile(self) -> Callable[..., Any]:
        fn = self.fn
        if ast is None:
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
        compiled.__lepta_pure__ = self.pure
        return compiled  # type: ignore[no-any-return]

    def is_pure(self, funcdef: Any) -> bool:
        """Whether the function surely never touches the owner tree: it only reads its
        arguments and calls builders and plain builtins. Such a component is run
        without an owner of its own, which nothing could observe."""
        for node in ast.walk(funcdef):
            if isinstance(node, ast.Call):
                target = self.global_of(node.func)
                if type(target) is not Builder and not (
                    isinstance(node.func, ast.Name) and target is None and node.func.id in _PURE
                ):
                    return False
            elif not isinstance(node, _PURE_NODES):
                return False
        return True

    def ref(self, prefix: str, value: Any) -> str:
        """A name under which the generated code reaches `value`."""
        self.counter += 1
        name = "__lepta_%s%d" % (prefix, self.counter)
        self.refs[name] = value
        return name

    def render_in_place(self, ret: Any) -> None:
        """Turn `return <builder call>` into statements that render it, then `return None`."""
        emitter = _Emitter(self, inline=True)
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
        emitter = _Emitter(self, inline=False)
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

    # What a name in the function refers to, when it surely is a builder or component.
    def global_of(self, func: Any) -> Any:
        if isinstance(func, ast.Name):
            if func.id in self.local_names:
                return None
            return self.fn.__globals__.get(func.id)
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            if func.value.id in self.local_names:
                return None
            owner = self.fn.__globals__.get(func.value.id)
            return getattr(owner, func.attr, None) if owner is not None else None
        return None

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


class _Emitter:
    """Writes the Python statements that render one view expression into the output.

    Static HTML is gathered and appended in one piece. The text state (whether the
    output ends with static or dynamic text, for the hydration separators) is kept in
    `__lepta_p` at run time, and in `known` while generating where it is certain.

    `inline` (a returned view): holes are the expressions themselves, evaluated in
    document order, and component calls and simple comprehensions are rendered on the
    spot. Otherwise (a TemplateView): holes become the parameters `h0, h1, ...`.
    """

    def __init__(self, compiler: _Compiler, inline: bool) -> None:
        self.c = compiler
        self.inline = inline
        self.lines: list[str] = []
        self.depth = 1
        self.exprs: dict[str, Any] = {}  # placeholder name -> expression (inline)
        self.holes: list[Any] = []  # expressions passed as parameters (not inline)
        self.params: list[str] = []
        self.pending: list[str] = []
        self.pending_text: list[bool] = []
        self.known: int | None = None
        self.line("__lepta_o = __lepta_r.out")
        self.line("__lepta_a = __lepta_o.append")
        self.line("__lepta_p = __lepta_r.prev")

    def line(self, code: str) -> None:
        self.lines.append("    " * self.depth + code)

    def value(self, node: Any) -> str:
        """Source text standing for an expression: a placeholder or a parameter."""
        if self.inline:
            name = "__lepta_x%d" % len(self.exprs)
            self.exprs[name] = node
            return name
        name = "h%d" % len(self.holes)
        self.holes.append(node)
        self.params.append(name)
        return name

    def static(self, html: str, text: bool) -> None:
        if html:
            self.pending.append(html)
            self.pending_text.append(text)

    def flush(self) -> None:
        html = self.take()
        if html:
            self.line("__lepta_a(%r)" % html)

    def take(self) -> str:
        """The gathered static HTML, for the caller to append (possibly joined to a
        value); emits the separator it may need, and updates `known` past it."""
        if not self.pending:
            return ""
        if self.pending_text[0] and self.known not in (NOT_TEXT, STATIC_TEXT):
            self.line("if __lepta_p == %d: __lepta_a(%r)" % (DYNAMIC_TEXT, SEPARATOR))
        html = "".join(self.pending)
        self.known = STATIC_TEXT if self.pending_text[-1] else NOT_TEXT
        self.pending = []
        self.pending_text = []
        return html

    def finish(self) -> None:
        self.flush()
        self.sync()

    def materialize(self) -> None:
        """Make `__lepta_p` right where paths join (after a branch, around a loop)."""
        if self.known is not None:
            self.line("__lepta_p = %d" % self.known)

    def sync(self) -> None:
        """Hand the text state to the renderer (`__lepta_p` is kept only while unknown)."""
        if self.known is None:
            self.line("__lepta_r.prev = __lepta_p")
        else:
            self.line("__lepta_r.prev = %d" % self.known)

    def statements(self, where: Any) -> list[Any]:
        """The generated lines as statements, with the placeholders' expressions put in.

        The generated code takes the line of `where` (the return it replaces); the
        expressions keep their own, so tracebacks point into the component.
        """
        tree = ast.parse("if True:\n" + "\n".join(self.lines))
        for node in ast.walk(tree):
            if "lineno" in node._attributes:
                ast.copy_location(node, where)
        exprs = self.exprs

        class Fill(ast.NodeTransformer):
            def visit_Name(self, node: Any) -> Any:
                return exprs.get(node.id, node)

        return Fill().visit(tree).body[0].body  # type: ignore[no-any-return]

    # --- what a child expression can be -----------------------------------------------
    def child(self, node: Any, top: bool = False) -> bool:
        """Emit code rendering `node` as a child; False (emitting nothing) if `top` and
        it is not a builder call that compiles."""
        if isinstance(node, ast.Call):
            builder = self.c.builder_of(node)
            if builder is not None and self.element(node, builder):
                return True
            if top:
                return False
            if self.inline:
                comp = self.c.component_of(node)
                if comp is not None and self.component(node, comp):
                    return True
        elif top:
            return False
        if isinstance(node, ast.Constant):
            v = node.value
            if v is None or v is True or v is False:
                return True
            if isinstance(v, str):
                self.static(escape_text(v), True)
                return True
            if isinstance(v, (int, float)):
                self.static(str(v), True)
                return True
        if self.inline:
            if isinstance(node, (ast.ListComp, ast.GeneratorExp)) and self.loop(node):
                return True
            if isinstance(node, (ast.List, ast.Tuple)):
                for item in node.elts:
                    if isinstance(item, ast.Starred):
                        break
                else:
                    for item in node.elts:
                        self.child(item)
                    return True
            if isinstance(node, ast.IfExp):
                self.branches(node)
                return True
        self.hole(node)
        return True

    def branches(self, node: Any) -> None:
        """`a if test else b` as an if statement rendering one of them."""
        self.flush()
        before = self.known
        self.line("if %s:" % self.value(node.test))
        for branch in (node.body, node.orelse):
            self.depth += 1
            self.known = before
            self.child(branch)
            self.flush()
            self.materialize()
            self.line("pass")
            self.depth -= 1
            if branch is node.body:
                self.line("else:")
        self.known = None

    def hole(self, node: Any) -> None:
        """A child known only at run time; str, int and float are rendered inline."""
        html = self.take()
        lead = "%r + " % html if html else ""
        v = self.value(node)
        self.line("__lepta_v = %s" % v)
        if isinstance(node, ast.JoinedStr):  # an f-string: surely a str
            self.line("if True:")
        else:
            self.line("__lepta_t = type(__lepta_v)")
            self.line("if __lepta_t is str:")
        self.depth += 1
        if not html and self.known not in (NOT_TEXT, STATIC_TEXT):
            self.line("if __lepta_p == %d: __lepta_a(%r)" % (DYNAMIC_TEXT, SEPARATOR))
        self.line("if '&' in __lepta_v or '<' in __lepta_v or '>' in __lepta_v:")
        self.line("    __lepta_v = __lepta_esc(__lepta_v)")
        self.line("__lepta_a(%s__lepta_v)" % lead)
        self.line("__lepta_p = %d" % STATIC_TEXT)
        self.depth -= 1
        self.line("elif __lepta_t is int or __lepta_t is float:")
        self.depth += 1
        if not html and self.known not in (NOT_TEXT, STATIC_TEXT):
            self.line("if __lepta_p == %d: __lepta_a(%r)" % (DYNAMIC_TEXT, SEPARATOR))
        self.line("__lepta_a(%sstr(__lepta_v))" % lead)
        self.line("__lepta_p = %d" % STATIC_TEXT)
        self.depth -= 1
        self.line("else:")
        self.depth += 1
        if html:
            self.line("__lepta_a(%r)" % html)
        self.sync()
        self.line("__lepta_r.child(__lepta_v)")
        self.line("__lepta_p = __lepta_r.prev")
        self.depth -= 1
        self.known = None

    def element(self, call: Any, builder: Builder) -> bool:
        """Emit an element; False (emitting nothing) if it must be left to the renderer."""
        attrs = self.c.attributes(call)
        if attrs is None:
            return False
        args = call.args[1:] if call.args and isinstance(call.args[0], ast.Dict) else call.args
        tag = builder.tag
        html = builder.namespace == ""
        void = html and tag in VOID_ELEMENTS
        raw = html and tag in RAW_TEXT_ELEMENTS
        if (void and args) or (raw and not all(_constant_text(a) for a in args)):
            return False  # left to the renderer (its error, or its rules for raw text)
        if any(key in ("inner_html", "bind_value") for key, _ in attrs):
            return False  # they replace the children: left to the renderer
        if html and tag in NEWLINE_EATERS:
            return False  # the renderer guards their leading newline
        self.static("<" + tag, False)
        for key, value in attrs:
            if is_special(key) and key != "bind_checked":
                continue  # events, properties, node refs: nothing on the server
            if isinstance(value, ast.Constant):
                self.static(_static_attribute(key, value.value), False)
            else:
                self.attribute(key, value)
        self.static(">", False)
        if void:
            return True
        if raw:
            self.static(raw_text("".join(a.value for a in args if a.value is not None)), True)
        else:
            for child in args:
                self.child(child)
        self.static("</" + tag + ">", False)
        return True

    def attribute(self, key: str, node: Any) -> None:
        """An attribute known only at run time; strings are rendered inline."""
        html = self.take()
        v = self.value(node)
        self.line("__lepta_v = %s" % v)
        name = None if is_special(key) else attribute_name(key)
        if name is not None:
            surely_str = isinstance(node, ast.JoinedStr)  # an f-string
            self.line("if True:" if surely_str else "if type(__lepta_v) is str:")
            if is_url_attribute(name):  # most URLs pass on their first character
                self.line("    if __lepta_v[:1] in __lepta_url_check:")
                self.line("        __lepta_v = __lepta_safe_url(__lepta_v)")
            self.line(
                "    if '&' in __lepta_v or '\"' in __lepta_v or '<' in __lepta_v"
                " or '>' in __lepta_v:"
            )
            self.line("        __lepta_v = __lepta_esc_attr(__lepta_v)")
            self.line("    __lepta_a(%r + __lepta_v + '\"')" % (html + ' %s="' % name))
            self.line("else:")
        else:
            self.line("if True:")
        if html:
            self.line("    __lepta_a(%r)" % html)
        self.line("    if __lepta_v is not None and __lepta_v is not False:")
        self.line("        __lepta_attr(__lepta_o, %r, __lepta_v)" % key)
        self.known = NOT_TEXT  # inside a start tag

    def component(self, call: Any, comp: Component) -> bool:
        """Render a component call on the spot, under its own owner."""
        if call.args or any(k.arg is None for k in call.keywords):
            return False  # positional children or **props: left to the renderer
        fn = comp.compiled if comp.compiled is not None else prepare(comp)
        self.flush()
        # Props are evaluated in the caller, as a plain call would.
        given = {}
        for k in call.keywords:
            temp = "__lepta_k%d" % self.c.counter
            self.c.counter += 1
            self.line("%s = %s" % (temp, self.value(k.value)))
            given[k.arg] = temp
        props = self.arguments(comp.fn, given)
        c = self.c.ref("c", comp)
        f = self.c.ref("f", fn)
        self.sync()
        if comp.direct and getattr(fn, "__lepta_pure__", False):
            # Nothing in it can reach an owner: no owner is opened for it.
            self.line("try:")
            self.line("    %s(__lepta_r%s)" % (f, "".join(", " + p for p in props)))
            self.line("except BaseException as __lepta_e:")
            self.line("    __lepta_fail_pure(%s, __lepta_e)" % c)
            self.line("__lepta_p = __lepta_r.prev")
            self.known = None
            return True
        # Open the component's owner (a recycled one if possible, see _render.enter).
        self.line("__lepta_s = __lepta_pool.pop() if __lepta_pool else __lepta_fresh()")
        self.line("__lepta_s.component = %s" % c)
        self.line("__lepta_s._parent = __lepta_core._scope")
        self.line("__lepta_core._scope = __lepta_s")
        self.line("try:")
        if comp.direct:
            self.line("    __lepta_v = %s(__lepta_r%s)" % (f, "".join(", " + p for p in props)))
        else:
            self.line("    __lepta_v = %s(%s)" % (f, ", ".join(props)))
        self.line("    if __lepta_v is not None:")
        self.line("        __lepta_r.child(__lepta_v)")
        self.line("except BaseException as __lepta_e:")
        self.line("    __lepta_fail(__lepta_s, __lepta_e)")
        self.line("finally:")
        self.line("    __lepta_core._scope = __lepta_s._parent")
        self.line("    if __lepta_s._owned is None and __lepta_s._cleanups is None:")
        self.line("        __lepta_pool.append(__lepta_s)")
        self.line("    else:")
        self.line("        __lepta_leave(__lepta_s)")
        self.line("__lepta_p = __lepta_r.prev")
        self.known = None
        return True

    def arguments(self, fn: Any, given: dict[str, str]) -> list[str]:
        """Keyword props as call arguments: positional where the signature allows,
        which calls faster. A skipped parameter before a given one gets its default."""
        code = fn.__code__
        positional = code.co_varnames[: code.co_argcount]
        defaults = fn.__defaults__ or ()
        first_default = len(positional) - len(defaults)
        last = max([positional.index(k) for k in given if k in positional] or [-1])
        args = []
        for i, name in enumerate(positional[: last + 1]):
            if name in given:
                args.append(given[name])
            elif i >= first_default:
                args.append(self.c.ref("d", defaults[i - first_default]))
            else:
                return ["%s=%s" % (k, v) for k, v in given.items()]  # let Python complain
        args.extend("%s=%s" % (k, v) for k, v in given.items() if k not in positional)
        return args

    def loop(self, node: Any) -> bool:
        """`[child for x in items if cond]` as a loop rendering each child."""
        if len(node.generators) != 1:
            return False
        gen = node.generators[0]
        if gen.is_async or any(isinstance(n, ast.NamedExpr) for n in ast.walk(node)):
            return False
        targets = [n.id for n in ast.walk(gen.target) if isinstance(n, ast.Name)]
        if not targets or any(
            isinstance(n, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp))
            for part in [node.elt, *gen.ifs]
            for n in ast.walk(part)
        ):
            return False  # nested scopes could see the loop variable differently
        renamed = {name: "__lepta_loop%d_%s" % (self.c.counter, name) for name in targets}
        self.c.counter += 1

        class Rename(ast.NodeTransformer):
            def visit_Name(self, n: Any) -> Any:
                if n.id in renamed:
                    return ast.copy_location(ast.Name(id=renamed[n.id], ctx=n.ctx), n)
                return n

        target = Rename().visit(gen.target)
        elt = Rename().visit(node.elt)
        ifs = [Rename().visit(cond) for cond in gen.ifs]
        self.flush()
        self.materialize()
        self.line("for %s in %s:" % (self.value(target), self.value(gen.iter)))
        self.depth += 1
        if ifs:
            cond = ast.BoolOp(op=ast.And(), values=ifs) if len(ifs) > 1 else ifs[0]
            self.line("if %s:" % self.value(cond))
            self.depth += 1
        self.known = None
        self.child(elt)
        self.flush()
        self.materialize()
        self.line("pass")
        self.depth -= 2 if ifs else 1
        self.known = None
        return True


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


def _constant_text(node: Any) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, (str, type(None)))


def _static_attribute(key: str, value: Any) -> str:
    """A constant attribute, rendered once by the renderer's own rules."""
    out: list[str] = []
    render_attribute(out, key, value)
    return "".join(out)


def _own_returns(funcdef: Any) -> list[Any]:
    """The return statements of `funcdef` itself, not of functions nested in it."""
    found = []
    todo = list(funcdef.body)
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
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
