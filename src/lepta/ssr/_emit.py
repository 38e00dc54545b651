"""Writing the Python statements that render a view expression (see _compile).

Static HTML is gathered and appended in one piece, joined to the value that
follows it where possible; values of common types (str, int, float) are rendered
inline; anything else goes through the generic renderer, so the output is always
the renderer's.
"""

from __future__ import annotations

import ast
from typing import Any

from ..view._attrs import attribute_name, is_special
from ..view._component import Component
from ..view._escape import escape_text, is_script_sink, is_url_attribute, raw_text
from ..view._marks import DYNAMIC_TEXT, NOT_TEXT, SEPARATOR, STATIC_TEXT
from ..view._nodes import RAW_TEXT_ELEMENTS, VOID_ELEMENTS, Builder
from ._render import NEWLINE_EATERS, render_attribute


class Emitter:
    """Writes the Python statements that render one view expression into the output.

    Static HTML is gathered and appended in one piece. The text state (whether the
    output ends with static or dynamic text, for the hydration separators) is kept in
    `__lepta_p` at run time, and in `known` while generating where it is certain.

    `inline` (a returned view): holes are the expressions themselves, evaluated in
    document order, and component calls and simple comprehensions are rendered on the
    spot. Otherwise (a TemplateView): holes become the parameters `h0, h1, ...`.
    """

    def __init__(self, compiler: Any, inline: bool) -> None:
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

    def separate(self, indent: str = "") -> None:
        """Text follows: emit the `<!>` needed if the output may end with dynamic text."""
        if self.known not in (NOT_TEXT, STATIC_TEXT):
            self.line("%sif __lepta_p == %d: __lepta_a(%r)" % (indent, DYNAMIC_TEXT, SEPARATOR))

    def take(self) -> str:
        """The gathered static HTML, for the caller to append (possibly joined to a
        value); emits the separator it may need, and updates `known` past it."""
        if not self.pending:
            return ""
        if self.pending_text[0]:
            self.separate()
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

    def hole(self, node: Any, guard: bool = False) -> None:
        """A child known only at run time; str, int and float are rendered inline.

        `guard`: the value is an element's first argument, where a dict would have
        meant attributes; then the component gives up its compiled form, and the
        render starts again with the component as written (rare: once at most).
        """
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
        self.line(
            "if '&' in __lepta_v or '<' in __lepta_v or '>' in __lepta_v or '\\r' in __lepta_v"
            " or '\\x00' in __lepta_v:"
        )
        self.line("    __lepta_v = __lepta_esc(__lepta_v)")
        if html:  # an empty string adds no text: the state is the static HTML's
            self.line("__lepta_a(%s__lepta_v)" % lead)
            self.line("__lepta_p = %d if __lepta_v else %d" % (STATIC_TEXT, self.known or 0))
        else:
            self.line("if __lepta_v:")
            self.separate("    ")
            self.line("    __lepta_a(__lepta_v)")
            self.line("    __lepta_p = %d" % STATIC_TEXT)
        self.depth -= 1
        self.line("elif __lepta_t is int or __lepta_t is float:")
        self.depth += 1
        if not html:
            self.separate()
        self.line("__lepta_a(%sstr(__lepta_v))" % lead)
        self.line("__lepta_p = %d" % STATIC_TEXT)
        self.depth -= 1
        self.line("else:")
        self.depth += 1
        if guard:
            comp = self.c.ref("c", self.c.comp)
            self.line("if __lepta_t is dict: raise __lepta_uncompile(%s)" % comp)
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
        if raw and tag == "noscript":
            return False  # the renderer checks what its text would mean without script
        if any(key in ("inner_html", "bind_value") for key, _ in attrs):
            return False  # they replace the children: left to the renderer
        if html and tag in NEWLINE_EATERS:
            return False  # the renderer guards their leading newline
        # A first argument that turns out to be a dict means attributes: the hole that
        # renders it checks, and gives up the compiled form if so (see `hole`).
        guard = bool(args) and self.maybe_dict(args[0])
        if guard and self.c.comp is None:
            return False
        self.static("<" + tag, False)
        for key, value in attrs:
            if is_special(key) and key != "bind_checked":
                continue  # events, properties, node refs: nothing on the server
            if isinstance(value, ast.Constant) and not is_script_sink(attribute_name(key)):
                self.static(_static_attribute(key, value.value), False)
            else:
                self.attribute(key, value)
        self.static(">", False)
        if void:
            return True
        if raw:
            self.static(raw_text("".join(a.value for a in args if a.value is not None)), True)
        else:
            for i, child in enumerate(args):
                if i == 0 and guard:
                    self.hole(child, guard=True)
                else:
                    self.child(child)
        self.static("</" + tag + ">", False)
        return True

    def maybe_dict(self, node: Any) -> bool:
        """Whether a first argument could turn out to be a dict of attributes."""
        if isinstance(node, _NEVER_DICT):
            return False
        if isinstance(node, ast.Name) and node.id.startswith("__lepta_first"):
            return False  # already checked by `guarded`
        if isinstance(node, ast.Call):
            return self.c.builder_of(node) is None and self.c.component_of(node) is None
        return True

    def attribute(self, key: str, node: Any) -> None:
        """An attribute known only at run time; strings are rendered inline."""
        html = self.take()
        v = self.value(node)
        self.line("__lepta_v = %s" % v)
        name = None if is_special(key) else attribute_name(key)
        if name is not None and is_script_sink(name):
            name = None  # refused unless marked safe: only the renderer's rules decide
        if name is not None:
            surely_str = isinstance(node, ast.JoinedStr)  # an f-string
            self.line("if True:" if surely_str else "if type(__lepta_v) is str:")
            if is_url_attribute(name):  # most URLs pass on their first character
                self.line("    if __lepta_v[:1] in __lepta_url_check:")
                self.line("        __lepta_v = __lepta_safe_url(__lepta_v)")
            self.line(
                "    if '&' in __lepta_v or '\"' in __lepta_v or '<' in __lepta_v"
                " or '>' in __lepta_v or '\\r' in __lepta_v or '\\x00' in __lepta_v:"
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
        fn = comp.compiled if comp.compiled is not None else self.c.prepare(comp)
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
            self.line("    __lepta_v = %s(__lepta_r%s)" % (f, "".join(", " + p for p in props)))
            self.line("    if __lepta_v is not None:")  # it returned something else than
            self.line("        __lepta_r.child(__lepta_v)")  # one builder call
            self.line("except BaseException as __lepta_e:")
            self.line("    __lepta_fail_pure(%s, __lepta_e)" % c)
            self.line("__lepta_p = __lepta_r.prev")
            self.known = None
            return True
        # Open the component's owner (a recycled one if possible, see _render.enter).
        self.line("__lepta_s = __lepta_pool.pop() if __lepta_pool else __lepta_fresh()")
        self.line("__lepta_s.component = %s" % c)
        self.line("__lepta_s._parent = __lepta_swap(__lepta_s)")
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
        self.line("    __lepta_swap(__lepta_s._parent)")
        self.line(
            "    if __lepta_s._owned is None and __lepta_s._cleanups is None"
            " and __lepta_s._contexts is None:"
        )
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
        if any(k in positional[: code.co_posonlyargcount] for k in given):
            return ["%s=%s" % (k, v) for k, v in given.items()]  # let Python complain
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


# Expressions that are surely not a dict (so surely a child, in first position).
_NEVER_DICT = (
    ast.Constant,
    ast.JoinedStr,
    ast.List,
    ast.Tuple,
    ast.ListComp,
    ast.GeneratorExp,
    ast.SetComp,
    ast.Lambda,
    ast.Compare,
)


def _constant_text(node: Any) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, (str, type(None)))


def _static_attribute(key: str, value: Any) -> str:
    """A constant attribute, rendered once by the renderer's own rules."""
    out: list[str] = []
    render_attribute(out, key, value)
    return "".join(out)
