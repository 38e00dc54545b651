"""Writing the Python statements that render a view expression (see _compile).

The output between two points where the code must branch (a loop, a conditional, a
component that is not inlined) is a run: static HTML and the values in it. A run's
values are evaluated in document order; when all are of a common kind (text,
numbers, None, attribute values) the run is appended as one f-string, else it is
handed to `render_run`, which renders the values the renderer's way. Either way the
output is the renderer's.

What a row costs beyond the hand-written f-string is kept small: an item the view
reads twice is read once (`shared`); the values of a run that may need escaping are
checked one by one, or all at once when there are several or some are the same value
(`end_run`); the text state for the hydration markers is tracked while generating, and
written only where it cannot be known.
"""

from __future__ import annotations

import ast
import re
from typing import Any

from ..view._attrs import attribute_name, is_special
from ..view._component import Component
from ..view._escape import (
    URL_FIRST_CHARS_TO_CHECK,
    escape_attr,
    escape_text,
    is_script_sink,
    is_url_attribute,
    raw_text,
)
from ..view._marks import DYNAMIC_TEXT, NOT_TEXT, SEPARATOR, STATIC_TEXT
from ..view._nodes import RAW_TEXT_ELEMENTS, VOID_ELEMENTS, Builder
from ._parse import parse
from ._render import NEWLINE_EATERS, RUN_HTML, RUN_RAW, RUN_TEXT, render_attribute

# A run's parts, while it is gathered: static HTML, a child value, an attribute value.
_HTML, _TEXT, _ATTR = 0, 1, 2

_TEXT_ESCAPE = (
    "'&' in {v} or '<' in {v} or '>' in {v} or '\\r' in {v} or '\\x00' in {v}"
)
_ATTR_ESCAPE = (
    "'&' in {v} or '\"' in {v} or '<' in {v} or '>' in {v} or '\\r' in {v}"
    " or '\\x00' in {v}"
)

# A value's type, in the generated code: the builtins `type`, `str`, `int`, `float` and
# `bool` are reached there as __lepta_type, __lepta_str... (see _compile._HELPERS),
# closure cells, which load faster than builtins.
_TYPE = "__lepta_type(%s)"

# How many values (of different sources) a run must have to check them for letters to
# escape all at once: joining them costs about as much as checking two or three on
# their own, and one value with a letter to escape costs the checks one by one too.
CHECK_TOGETHER = 4

# What `Emitter.holds` is in a loop round while `__lepta_p` is as it was at its start.
_ROUND = -1

# How deep components are inlined into one another.
MAX_INLINE_DEPTH = 8


class Emitter:
    """Writes the Python statements that render one view expression into the output.

    The text state (whether the output ends with static or dynamic text, for the
    hydration separators) is kept in `__lepta_p` at run time, and in `known` while
    generating where it is certain.

    `inline` (a returned view): holes are the expressions themselves, and component
    calls and simple comprehensions are rendered on the spot; a pure component's view
    is inlined. Otherwise (a TemplateView): holes become the parameters `h0, h1, ...`.
    """

    def __init__(self, compiler: Any, inline: bool) -> None:
        self.c = compiler
        self.inline = inline
        self.comp = compiler.comp  # whose view is being written (inlining changes it)
        self.lines: list[str] = []
        self.depth = 1
        self.exprs: dict[str, Any] = {}  # placeholder name -> expression (inline)
        self.holes: list[Any] = []  # expressions passed as parameters (not inline)
        self.params: list[str] = []
        self.run: list[list[Any]] = []  # the parts of the current run
        self.known: int | None = None
        # The text state `__lepta_p` surely holds where `known` is not None (it is
        # written only where paths join, or the state becomes unknown), or None.
        self.holds: int | None = None
        self.round: int | None = None  # the state the innermost loop's rounds begin in
        self.inlined = 0  # how many inlined components the output is inside
        # In a loop: the flags of the values in its body that look for an int first (see
        # `hole`), set false before the loop.
        self.int_first: list[str] | None = None
        # Output goes through `__lepta_o.append(...)`: CPython calls a list's append
        # called as a method faster than a bound `append` kept in a variable.
        self.line("__lepta_o = __lepta_r.out")
        self.line("__lepta_p = __lepta_r.prev")
        # Whether the values of the run being written can go in its f-string: true
        # between runs (a run that sets it false sets it back), so that most runs need
        # not set it first.
        self.line("__lepta_ok = True")
        # Local names bound to an f-string before the view: name -> the f-string. Their
        # escaped forms are computed once, where the view starts (`escaped`).
        self.strings: dict[str, Any] = {}
        self.escapes: dict[tuple[str, bool], str] = {}
        self.start = [len(self.lines), self.depth]
        # Reads the view repeats (`row["id"]` for a prop and for a cell), evaluated once
        # (see `shared`): the expression's dump -> [the local holding it once a second
        # use is met, the placeholder of its first use, the names it reads, still valid].
        self.reads: dict[str, list[Any]] = {}
        self.every_read: list[list[Any]] = []
        self.sharing = inline

    def line(self, code: str) -> None:
        self.lines.append("    " * self.depth + code)

    def value(self, node: Any) -> str:
        """Source text standing for an expression: a placeholder or a parameter."""
        if self.inline:
            return self.placeholder(self.shared(node))
        name = "h%d" % len(self.holes)
        self.holes.append(node)
        self.params.append(name)
        return name

    def placeholder(self, node: Any) -> str:
        name = "__lepta_x%d" % len(self.exprs)
        self.exprs[name] = node
        return name

    # --- reads evaluated once ------------------------------------------------------------
    # A view often reads the same item twice: `row["id"]` for the `selected` prop and for
    # the cell, `story["user"]` for a link and its text. A subscript (by a constant or a
    # local) or attribute of a local the view cannot rebind is read once, where it is
    # first met in code that surely runs before the other uses (not in a branch, a
    # short-circuited operand, a loop body or a nested scope), into a local: `(s :=
    # row["id"])`. Reading is taken to change nothing; a call of a function not known
    # to be pure, a component rendered on its own or a dynamic child may change what
    # is read, so the reads met before are read again after it.
    def shared(self, node: Any) -> Any:
        """`node` with the reads met before replaced by their locals."""
        if not self.sharing:
            return node
        if any(isinstance(n, ast.NamedExpr) for n in ast.walk(node)):
            self.sharing = False  # the view binds names itself: no sharing at all
            self.forget()
            return node
        impure = _calls_unknown(node, self.c)
        node = self.share(node, True)
        if impure:
            self.forget()
        return node

    def share(self, node: Any, first: bool) -> Any:
        """`node` with its reads shared; `first`: a read met here for the first time
        surely runs before the code after this expression."""
        key = self.read_key(node)
        if key is not None:
            entry = self.reads.get(key)
            if entry is None or not entry[3]:
                if not first:
                    return node
                roots = set(n.id for n in ast.walk(node) if isinstance(n, ast.Name))
                placeholder = self.placeholder(node)
                self.reads[key] = [None, placeholder, roots, True]
                self.every_read.append(self.reads[key])
                return ast.Name(id=placeholder, ctx=ast.Load())
            if entry[0] is None:  # its second use: the first one keeps it in a local
                local = entry[0] = self.fresh()
                target = ast.Name(id=local, ctx=ast.Store())
                self.exprs[entry[1]] = ast.NamedExpr(target=target, value=self.exprs[entry[1]])
            return ast.Name(id=entry[0], ctx=ast.Load())
        if isinstance(node, _OWN_SCOPE) or not isinstance(node, ast.expr):
            return node
        in_order = isinstance(node, _IN_ORDER)
        for field, value in ast.iter_fields(node):
            # Only the first operand of `and`/`or`, the test of `a if t else b`, are
            # sure to run.
            sure = first and in_order and not (isinstance(node, ast.IfExp) and field != "test")
            if isinstance(value, list):
                new = []
                for i, item in enumerate(value):
                    if isinstance(item, ast.AST):
                        later = isinstance(node, ast.BoolOp) and i > 0
                        item = self.share(item, sure and not later)
                    new.append(item)
                setattr(node, field, new)
            elif isinstance(value, ast.AST):
                setattr(node, field, self.share(value, sure))
        return node

    def read_key(self, node: Any) -> str | None:
        """The key of a read that can be shared (see `shared`), or None."""
        if not isinstance(node, (ast.Subscript, ast.Attribute)):
            return None
        n: Any = node
        while isinstance(n, (ast.Subscript, ast.Attribute)):
            if type(n.ctx) is not ast.Load:
                return None
            if isinstance(n, ast.Subscript):
                key = n.slice
                if not (isinstance(key, ast.Constant) or self.fixed(key)):
                    return None
            n = n.value
        return ast.dump(node) if self.fixed(n) else None

    def fixed(self, node: Any) -> bool:
        """Whether `node` is a local name the view cannot rebind: one of the function
        (the view is an expression), or one the generated code binds (renamed apart)."""
        if not isinstance(node, ast.Name) or node.id in self.c.refs:
            return False
        if node.id.startswith("__lepta_x"):
            return False  # a placeholder: it stands for any expression
        return node.id in self.c.local_names or node.id.startswith("__lepta_")

    def forget(self, names: Any = None) -> None:
        """The reads met so far are read again from now on (those of `names`, if given)."""
        for entry in self.reads.values():
            if names is None or entry[2] & names:
                entry[3] = False

    def static(self, html: str, text: bool) -> None:
        if not html:
            return
        run = self.run
        if run and run[-1][0] == _HTML:
            run[-1][1] += html
            run[-1][3] = text
        else:
            run.append([_HTML, html, text, text])

    def separate(self, indent: str = "") -> None:
        """Text follows: emit the `<!>` needed if the output may end with dynamic text."""
        if self.known not in (NOT_TEXT, STATIC_TEXT):
            code = "%sif __lepta_p == %d: __lepta_o.append(%r)"
            self.line(code % (indent, DYNAMIC_TEXT, SEPARATOR))

    def finish(self) -> None:
        self.end_run()
        self.sync()

    def materialize(self) -> None:
        """Make `__lepta_p` right where paths join (after a branch, around a loop)."""
        if self.known is not None:
            self.line("__lepta_p = %d" % self.known)
            self.holds = self.known

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
        tree = parse("if True:\n" + "\n".join(self.lines))
        for node in ast.walk(tree):
            if "lineno" in node._attributes:
                ast.copy_location(node, where)
        exprs = self.exprs

        class Fill(ast.NodeTransformer):
            def visit_Name(self, node: Any) -> Any:
                if node.id in exprs:  # a placeholder (may hold placeholders of reads)
                    return self.visit(exprs[node.id])
                return node

        tree = Fill().visit(tree)
        _drop_copies(tree, set(entry[0] for entry in self.every_read if entry[0]))
        _choose_by_prop(tree)
        for node in ast.walk(tree):  # a `pass` in a block with other statements: a NOP run
            for field in ("body", "orelse", "finalbody"):
                block = getattr(node, field, None)
                if isinstance(block, list) and len(block) > 1:
                    kept = [stmt for stmt in block if not isinstance(stmt, ast.Pass)]
                    setattr(node, field, kept or block[:1])
        return tree.body[0].body  # type: ignore[no-any-return]

    # --- runs ---------------------------------------------------------------------------
    def end_run(self) -> None:
        """Write the code of the run gathered so far (see the module docstring)."""
        run, self.run = self.run, []
        if not run:
            return
        if len(run) == 1 and run[0][0] == _HTML:  # static HTML only
            _, html, starts_text, ends_text = run[0]
            if starts_text:
                self.separate()
            self.line("__lepta_o.append(%r)" % html)
            self.known = STATIC_TEXT if ends_text else NOT_TEXT
            return
        start = self.known
        # Text before any tag, after output of unknown kind: the fast path needs to
        # know that no separator can be due (rare; `render_run` handles it).
        leading_text = False
        for part in run:
            if part[0] == _HTML:
                leading_text = bool(part[2])
                break
            if part[0] == _TEXT:
                leading_text = True
                break
        check_start = start is None and leading_text
        checked = check_start or any(part[0] == _TEXT and part[4] for part in run)
        if check_start:
            self.line("__lepta_ok = __lepta_p != %d" % DYNAMIC_TEXT)
        # Values that may need escaping: each is checked on its own, or, when there are
        # a few, or some hold the same value (`story["user"]` as a link and its text),
        # all at once: one look for `& " < > \r \0` in the concatenation of one value
        # of each source; the ones to escape are looked at one by one only if it finds
        # any. (Where the fast path is taken, values of one source are the same text,
        # or need no escaping: see `_Deferred`.)
        deferred = [part[-1] for part in run if part[0] != _HTML and part[-1] is not None]
        together = [check for d in deferred for check in d.checks]
        sources: dict[Any, str] = {}
        for v, _, _, source in together:
            # (A view that binds names itself may change one between two uses.)
            same = source is not None and self.sharing
            sources.setdefault(source if same else v, v)
        if len(sources) < CHECK_TOGETHER and len(sources) == len(together):
            together = []
        for part in run:
            d = part[-1] if part[0] != _HTML else None
            if d is None:
                continue
            if together:
                part[1], part[2] = d.names or part[1], d.code
            elif d.solo is not None:
                part[1], part[2] = d.solo()
        pieces: list[str] = []
        plan: list[tuple[Any, ...]] = []
        names: list[str] = []
        for part in run:
            if part[0] == _HTML:
                pieces.append("f" + repr(part[1].replace("{", "{{").replace("}", "}}")))
                plan.append((RUN_HTML, part[1], part[2], part[3]))
                continue
            for line in part[2]:
                self.line(line)
            if part[0] == _TEXT:
                plan.append((RUN_TEXT, part[3]))
            else:
                plan.extend((RUN_RAW,) for _ in part[1])
            for name in part[1]:
                pieces.append("f'{%s}'" % name)
                names.append(name)
        # The state the run leaves: that of its last static HTML, or of the values after
        # it (text that turned out empty leaves the state as it was).
        after: list[str] = []
        end: str | None = None
        for part in reversed(run):
            if part[0] == _HTML:
                end = str(STATIC_TEXT if part[3] else NOT_TEXT)
                break
            if part[0] == _TEXT:
                after.append(part[1][0])
        if end is None:
            end = "__lepta_p" if start is None else str(start)
        if end != str(STATIC_TEXT):
            for name in reversed(after):
                end = "%d if %s != '' else %s" % (STATIC_TEXT, name, end)
        constant = end.isdigit()
        fast = "__lepta_o.append(%s)" % " ".join(pieces)
        indent = "    " if checked else ""
        if checked:
            # The way out of the usual case first: the usual one then ends the statement,
            # with no jump over the other.
            self.line("if not __lepta_ok:")
            for line in self.escape_each(together):  # `render_run` takes strings escaped
                self.line("    " + line)
            self.line(
                "    __lepta_p = __lepta_run(__lepta_r, %s, %s, (%s,))"
                % (
                    self.c.ref("plan", tuple(plan)),
                    "__lepta_p" if start is None else start,
                    ", ".join(names),
                )
            )
            self.line("    __lepta_ok = True")
            self.line("else:")
        if together:  # (where the fast path is taken, the values checked are strings)
            if len(sources) == 1:
                c = next(iter(sources.values()))
            else:
                c = self.fresh()
                joined = "".join("{%s}" % v for v in sources.values())
                self.line(indent + "%s = f'%s'" % (c, joined))
            attribute = any(ch[1] for ch in together)
            self.line(indent + "if %s:" % (_ATTR_ESCAPE if attribute else _TEXT_ESCAPE).format(v=c))
            for line in self.escape_each(together):
                self.line(indent + "    " + line)
        self.line(indent + fast)
        if not constant:
            self.line(indent + "__lepta_p = %s" % end)
        # (With a constant end, only `render_run` writes `__lepta_p`.)
        holds = self.round if self.holds == _ROUND else self.holds
        if not constant or (checked and holds != int(end)):
            self.holds = None
        self.known = int(end) if constant else None

    def string(self, name: str, attribute: bool) -> _Deferred:
        """A value that is a name bound to an f-string (see `_string_names`): escaped
        once where the view starts, or checked with the run's other values."""
        v = self.fresh()
        return _Deferred(
            ["%s = %s" % (v, name)],
            [(v, attribute, None, ("name", name))],
            [v],
            lambda: ([self.escaped(name, attribute)], []),
        )

    def sourced(self, node: Any) -> tuple[str, Any]:
        """`value(node)`, and what says that two values are the same: a local name, or
        a shared read (see `shared`); None if that is not known."""
        if isinstance(node, ast.Name) and self.fixed(node) and self.sharing:
            return self.value(node), ("name", node.id)
        key = self.read_key(node) if self.sharing else None
        value = self.value(node)
        entry = self.reads.get(key) if key is not None else None
        return value, None if entry is None or not entry[3] else ("read", id(entry))

    def escape_each(self, checks: list[tuple[str, bool, str | None, Any]]) -> list[str]:
        """Code escaping each of the values `checks` names (see `end_run`)."""
        lines = []
        for v, attr, guard, _ in checks:
            check, escape = (
                (_ATTR_ESCAPE, "__lepta_esc_attr") if attr else (_TEXT_ESCAPE, "__lepta_esc")
            )
            when = "%s and (%s)" % (guard, check.format(v=v)) if guard else check.format(v=v)
            lines.append("if %s: %s = %s(%s)" % (when, v, escape, v))
        return lines

    def escaped(self, name: str, attribute: bool) -> str:
        """A variable holding the string `name` holds, escaped as text or attribute
        value, computed once where the view starts."""
        key = (name, attribute)
        if key not in self.escapes:
            v = self.fresh()
            check, escape = (
                (_ATTR_ESCAPE, "__lepta_esc_attr") if attribute else (_TEXT_ESCAPE, "__lepta_esc")
            )
            at, depth = self.start
            self.lines[at:at] = [
                "    " * depth + "%s = %s" % (v, name),
                "    " * depth + "if %s: %s = %s(%s)" % (check.format(v=v), v, escape, v),
            ]
            self.start[0] = at + 2
            self.escapes[key] = v
        return self.escapes[key]

    def fresh(self) -> str:
        self.c.counter += 1
        return "__lepta_v%d" % self.c.counter

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
        if isinstance(node, ast.Lambda):
            self.dynamic(node)  # surely a callable: no run would take the fast path
            return True
        self.hole(node)
        return True

    def branches(self, node: Any) -> None:
        """`a if test else b` as an if statement rendering one of them."""
        self.end_run()
        before = self.known
        self.line("if %s:" % self.value(node.test))
        reads, holds = self.reads, self.holds
        ends = []
        for branch in (node.body, node.orelse):
            self.depth += 1
            self.known, self.holds = before, holds
            self.reads = dict(reads)  # reads first met in a branch stay in it
            self.child(branch)
            self.end_run()
            self.c.counter += 1
            join = "    " * self.depth + "pass  # join %d" % self.c.counter
            ends.append((self.known, self.holds, join))
            self.lines.append(join)
            self.depth -= 1
            if branch is node.body:
                self.line("else:")
        self.reads = reads
        (known, holds, _), (other, other_holds, _) = ends
        if known is not None and known == other:  # the state after is known
            self.known, self.holds = known, holds if holds == other_holds else None
            return
        for known, _, join in ends:  # else `__lepta_p` is made right in each branch
            if known is not None:
                at = self.lines.index(join)
                self.lines[at:at] = [join.split("pass")[0] + "__lepta_p = %d" % known]
        self.known = self.holds = None

    def hole(self, node: Any, guard: bool = False) -> None:
        """A child known only at run time: text, numbers and None go in the run as
        they are (text escaped); anything else sends the run to `render_run`.

        `guard`: the value is an element's first argument, where a dict would have
        meant attributes; then the component gives up its compiled form, and the
        render starts again with the component as written (rare: once at most).
        """
        if isinstance(node, ast.Name) and node.id in self.strings:
            self.run.append([_TEXT, None, None, None, False, self.string(node.id, False)])
            return
        if isinstance(node, ast.JoinedStr) and any(
            isinstance(part, ast.Constant) and part.value for part in node.values
        ):  # surely text, and never empty: its constant parts are escaped now
            for part in node.values:
                if isinstance(part, ast.Constant):
                    self.static(escape_text(str(part.value)), True)
                else:
                    v, code, deferred = self.formatted(part, False)
                    self.run.append([_TEXT, [v], code, None, False, deferred])
            return
        v = self.fresh()
        value, source = self.sourced(node)
        get = "%s = %s" % (v, value)
        escape = "if %s: %s = __lepta_esc(%s)" % (_TEXT_ESCAPE.format(v=v), v, v)
        checked = not isinstance(node, ast.JoinedStr)  # an f-string is surely a str
        if checked:
            # (`type(v)` again at each test: a few percent of a row cheaper than keeping
            # it in a variable, for the two kinds that matter, text and int.)
            t = _TYPE % v
            # Text is looked for first. In a loop, a value that has been an int once is
            # looked at as an int first from then on (a column of numbers costs one test
            # a row, not two): `flag` says so.
            flag = None
            if self.int_first is not None:
                self.c.counter += 1
                flag = "__lepta_int%d" % self.c.counter
                self.int_first.append(flag)
            first = ["if %s and %s is __lepta_int: pass" % (flag, t)] if flag else []
            seen = ["elif %s is __lepta_int: %s = True" % (t, flag)] if flag else []
            other = "%s is not __lepta_float" % t
            code = [
                get,
                *first,
                "%s %s is __lepta_str:" % ("elif" if flag else "if", t),
                "    " + escape,
                *seen,
                "elif %s:" % (other if flag else "%s is not __lepta_int and %s" % (t, other)),
                "    if %s is None or %s is __lepta_bool: %s = ''" % (v, t, v),
                "    else: __lepta_ok = False",
            ]
            # Checked with the run's other values: numbers are formatted here (rather
            # than in the run's f-string), so that every value is text.
            number = "%s = f'{%s}'" % (v, v)
            first = ["if %s and %s is __lepta_int: %s" % (flag, t, number)] if flag else []
            seen = ["    if %s is __lepta_int: %s = True" % (t, flag)] if flag else []
            deferred = _Deferred(
                [
                    get,
                    *first,
                    "%s %s is not __lepta_str:" % ("elif" if flag else "if", t),
                    *seen,
                    "    if %s is __lepta_int or %s is __lepta_float: %s" % (t, t, number),
                    "    elif %s is None or %s is __lepta_bool: %s = ''" % (v, t, v),
                    "    else: __lepta_ok = False",
                ],
                [(v, False, t + " is __lepta_str", source)],
            )
        else:
            code = [get, escape]
            deferred = _Deferred([get], [(v, False, None, None)])
        self.run.append([_TEXT, [v], code, self.comp if guard else None, checked, deferred])

    def dynamic(self, node: Any) -> None:
        """A child rendered by the renderer itself, between runs."""
        self.end_run()
        self.line("__lepta_v = %s" % self.value(node))
        self.sync()
        self.line("__lepta_r.child(__lepta_v)")
        self.line("__lepta_p = __lepta_r.prev")
        self.known = self.holds = None
        self.forget()  # it runs code of its own

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
        if guard and self.comp is None:
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
        """An attribute known only at run time: its text, computed in the run.

        A string value is written as ` name="value"` (URLs checked on their first
        character, fully when it could matter); a choice between constants is rendered
        at compile time; anything else goes through the renderer's rules."""
        name = None if is_special(key) else attribute_name(key)
        if name is not None and is_script_sink(name):
            name = None  # refused unless marked safe: only the renderer's rules decide
        # (A template's values are all evaluated when it is made: one test at most.)
        tests = 8 if self.inline else 1
        choice = self.choice(key, node) if name is not None and _constants(node, tests) else None
        string = self.strings.get(node.id) if isinstance(node, ast.Name) else None
        if string is not None and name is not None and _starts_safely(string, name):
            self.static(' %s="' % name, False)
            self.run.append([_ATTR, None, None, self.string(node.id, True)])
            self.static('"', False)
            return
        v = self.fresh()
        if choice is not None:
            self.run.append([_ATTR, [v], ["%s = %s" % (v, choice)], None])
            return
        generic = "'' if %s is None or %s is False else __lepta_attr_text(%r, %s)" % (
            v,
            v,
            key,
            v,
        )
        if name is None:
            code = ["%s = %s" % (v, self.value(node)), "%s = %s" % (v, generic)]
            self.run.append([_ATTR, [v], code, None])
            return
        checks = ["if %s[:1] in __lepta_url_check: %s = __lepta_safe_url(%s)" % (v, v, v)]
        if not is_url_attribute(name):
            checks = []
        escape = "if %s: %s = __lepta_esc_attr(%s)" % (_ATTR_ESCAPE.format(v=v), v, v)
        if isinstance(node, ast.JoinedStr) and _starts_safely(node, name):
            # Escaping is letter by letter: the constant parts are escaped now.
            self.static(' %s="' % name, False)
            for part in node.values:
                if isinstance(part, ast.Constant):
                    self.static(escape_attr(str(part.value)), False)
                else:
                    v, code, deferred = self.formatted(part, True)
                    self.run.append([_ATTR, [v], code, deferred])
            self.static('"', False)
            return
        value, source = self.sourced(node)
        code = ["%s = %s" % (v, value)]
        if isinstance(node, ast.JoinedStr):  # an f-string: surely a str
            deferred = None if checks else _Deferred(code, [(v, True, None, None)])
            self.static(' %s="' % name, False)
            self.run.append([_ATTR, [v], code + checks + [escape], deferred])
            self.static('"', False)
            return
        # Text around the value: ` name="` and `"` for a string, nothing otherwise.
        before, after = v + "b", v + "e"

        def attribute_code(checks: list[str]) -> list[str]:
            return (
                code
                + [("if %s is __lepta_str:" % _TYPE) % v]
                + ["    " + c for c in checks]
                + [
                    "    %s = %r" % (before, ' %s="' % name),
                    "    %s = '\"'" % after,
                    "else:",
                    "    %s = %s = ''" % (before, after),
                    "    %s = %s" % (v, generic),
                ]
            )

        # (Deferred, the check is for strings only: `before` is not empty.) A URL is
        # checked on its own: with its query, it often holds a `&`.
        check = (v, True, before, source)
        deferred = None if checks else _Deferred(attribute_code(checks), [check])
        self.run.append([_ATTR, [before, v, after], attribute_code(checks + [escape]), deferred])

    def formatted(self, part: Any, attribute: bool) -> tuple[str, list[str], Any]:
        """A value inside an f-string, as the f-string formats it, escaped as text or
        attribute value: the variable holding it (a string), the code computing it, and
        that code with the check left to the run (see `end_run`). (An int formats to
        digits, which need no escaping.)"""
        escape_check, escape = (
            (_ATTR_ESCAPE, "__lepta_esc_attr") if attribute else (_TEXT_ESCAPE, "__lepta_esc")
        )
        v = self.fresh()
        if part.conversion == -1 and part.format_spec is None:
            value, source = self.sourced(part.value)
            # (A number is formatted here too: `render_run` takes attribute text as text.)
            code = [
                "%s = %s" % (v, value),
                ("if %s is __lepta_int:" % _TYPE) % v,
                "    %s = f'{%s}'" % (v, v),
                "else:",
                "    %s = f'{%s}'" % (v, v),
                "    if %s: %s = %s(%s)" % (escape_check.format(v=v), v, escape, v),
            ]
            deferred = _Deferred(["%s = f'{%s}'" % (v, value)], [(v, attribute, None, source)])
        else:
            alone = ast.copy_location(ast.JoinedStr(values=[part]), part)
            get = "%s = %s" % (v, self.value(alone))
            code = [get, "if %s: %s = %s(%s)" % (escape_check.format(v=v), v, escape, v)]
            deferred = _Deferred([get], [(v, attribute, None, None)])
        return v, code, deferred

    def choice(self, key: str, node: Any) -> str:
        """`'danger' if selected else None` as an expression choosing between the
        attribute's texts, rendered now (every outcome is a constant: `_constants`)."""
        if isinstance(node, ast.Constant):
            return repr(_static_attribute(key, node.value))
        body = self.choice(key, node.body)
        return "(%s if %s else %s)" % (body, self.value(node.test), self.choice(key, node.orelse))

    # --- components -------------------------------------------------------------------
    def component(self, call: Any, comp: Component) -> bool:
        """Render a component call on the spot: inlined if it is pure and simple, else
        a call of its compiled function, under its own owner unless it is pure."""
        if call.args or any(k.arg is None for k in call.keywords):
            return False  # positional children or **props: left to the renderer
        fn = comp.compiled if comp.compiled is not None else self.c.prepare(comp)
        self.end_run()
        # Props are evaluated in the caller, as a plain call would.
        given = {}
        for k in call.keywords:
            if self.fixed(k.value):  # a local the call cannot rebind: passed as it is
                given[k.arg] = k.value.id
                continue
            temp = "__lepta_k%d" % self.c.counter
            self.c.counter += 1
            self.line("%s = %s" % (temp, self.value(k.value)))
            given[k.arg] = temp
        pure = comp.direct and getattr(fn, "__lepta_pure__", False)
        if pure and self.inlined < MAX_INLINE_DEPTH:
            if self.inline_component(call, comp, fn, given):
                return True
        props = self.arguments(comp.fn, given)
        c = self.c.ref("c", comp)
        f = self.c.ref("f", fn)
        self.sync()
        if pure:
            # Nothing in it can reach an owner: no owner is opened for it.
            self.line("try:")
            self.line("    __lepta_v = %s(__lepta_r%s)" % (f, "".join(", " + p for p in props)))
            self.line("    if __lepta_v is not None:")  # it returned something else than
            self.line("        __lepta_r.child(__lepta_v)")  # one builder call
            self.line("except BaseException as __lepta_e:")
            self.line("    __lepta_fail_pure(%s, __lepta_e)" % c)
            self.line("__lepta_p = __lepta_r.prev")
            self.known = self.holds = None
            self.forget()  # it runs code of its own
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
        self.known = self.holds = None
        self.forget()
        return True

    def inline_component(
        self, call: Any, comp: Component, fn: Any, given: dict[str, str]
    ) -> bool:
        """Write a pure component's view into this function (see _inline); False if
        it cannot be."""
        body = self.c.inline_body(call, comp, fn, given)
        if body is None:
            return False
        assignments, view = body
        self.line("try:")
        self.depth += 1
        for target, value in assignments:
            self.line("%s = %s" % (target, self.value(value)))
            self.forget(set([target]))
        outer = self.comp, self.strings, self.escapes, self.start
        self.comp = comp
        self.strings = self.c.inline_strings(assignments)
        self.escapes = {}
        self.start = [len(self.lines), self.depth]
        self.inlined += 1
        self.child(view)
        self.end_run()
        self.inlined -= 1
        self.comp, self.strings, self.escapes, self.start = outer
        self.line("pass")
        self.depth -= 1
        # An error names the component, as when it runs on its own (the code after the
        # `try` is reached only from its end, so the text state known there holds).
        self.line("except BaseException as __lepta_e:")
        self.line("    __lepta_fail_pure(%s, __lepta_e)" % self.c.ref("c", comp))
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
        self.end_run()
        self.materialize()
        self.line("for %s in %s:" % (self.value(target), self.value(gen.iter)))
        head = self.lines[-1]  # (unique: the loop's names are)
        self.depth += 1
        int_first, self.int_first = self.int_first, []
        # The body starts with no shared read: one from before could be changed by an
        # earlier round of the body.
        reads, self.reads = self.reads, {}
        if ifs:
            cond = ast.BoolOp(op=ast.And(), values=ifs) if len(ifs) > 1 else ifs[0]
            self.line("if %s:" % self.value(cond))
            self.depth += 1
        # A round that ends in the state the loop starts in, with `__lepta_p` holding
        # it (as it did when the round began: `_ROUND`), leaves it as it is; then the
        # state after the loop is known.
        before, outer = self.known, self.round
        self.known, self.holds, self.round = None, _ROUND if before is not None else None, before
        self.child(elt)
        self.end_run()
        same = before is not None and self.known == before and self.holds in (before, _ROUND)
        if not same:
            self.materialize()
        self.line("pass")
        self.depth -= 2 if ifs else 1
        if self.int_first:  # (lines may have been put in before the loop: see `escaped`)
            at = self.lines.index(head)
            self.lines.insert(at, "    " * self.depth + "%s = False" % " = ".join(self.int_first))
        self.int_first = int_first
        self.round = outer
        self.known = self.holds = before if same else None
        if any(not entry[3] for entry in self.reads.values()):
            for entry in reads.values():  # the body may change what was read before
                entry[3] = False
        self.reads = reads
        return True


_FRESH = re.compile(r"__lepta_v[0-9]+")
_PROP = re.compile(r"__lepta_k[0-9]+")


def _choose_by_prop(tree: Any) -> None:
    """A prop held in a variable only to choose the first attribute of the inlined
    component it is given to (`selected` in `class_="danger" if selected else None`)
    chooses it itself: `k = row["id"] == sid; try: v = ' class="danger"' if k else ''`
    becomes `v = ' class="danger"' if row["id"] == sid else ''; try:`. CPython runs a
    comparison that decides a jump faster than one whose result is kept.

    Nothing runs in another order: the choice is the first thing the component's code
    does, and its outcomes are constants. (Its truth value is taken before the `try`:
    an error there, as one in the prop, names the caller's components only.)"""
    loads: dict[str, int] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and type(node.ctx) is ast.Load:
            loads[node.id] = loads.get(node.id, 0) + 1
    for node in ast.walk(tree):
        for field in ("body", "orelse", "finalbody"):
            block = getattr(node, field, None)
            if not isinstance(block, list):
                continue
            for i in range(len(block) - 1):
                assign, attempt = block[i], block[i + 1]
                if not (
                    isinstance(assign, ast.Assign)
                    and len(assign.targets) == 1
                    and isinstance(assign.targets[0], ast.Name)
                    and _PROP.fullmatch(assign.targets[0].id)
                    and loads.get(assign.targets[0].id) == 1
                    and isinstance(attempt, ast.Try)
                ):
                    continue
                first = attempt.body[0]
                if not (
                    isinstance(first, ast.Assign)
                    and isinstance(first.value, ast.IfExp)
                    and isinstance(first.value.test, ast.Name)
                    and first.value.test.id == assign.targets[0].id
                    and isinstance(first.value.body, ast.Constant)
                    and isinstance(first.value.orelse, ast.Constant)
                ):
                    continue
                first.value.test = assign.value
                block[i] = first
                attempt.body[0] = ast.copy_location(ast.Pass(), first)


def _drop_copies(tree: Any, shared: set[str]) -> None:
    """Where a value's variable starts as a copy of a shared read's local that nothing
    reads afterwards, use the local itself (`v = s` costs a few percent of a row).

    Textual order is the order of execution here: a shared read used in a loop body is
    read in it, before its uses (see `Emitter.loop`)."""
    order: list[Any] = []
    todo = [tree]
    while todo:  # depth first, in the order of the fields: the order of the text
        node = todo.pop()
        order.append(node)
        todo.extend(reversed(list(ast.iter_child_nodes(node))))
    at = {id(node): i for i, node in enumerate(order)}
    last_use: dict[str, int] = {}
    for i, node in enumerate(order):
        if isinstance(node, ast.Name) and node.id in shared:
            last_use[node.id] = i
    renames: dict[str, str] = {}
    dropped = set()
    for node in order:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and _FRESH.fullmatch(node.targets[0].id)  # a value's own variable
            and isinstance(node.value, ast.Name)
            and node.value.id in shared
            and last_use[node.value.id] == at[id(node.value)]
        ):
            renames[node.targets[0].id] = node.value.id
            dropped.add(id(node))
    if not renames:
        return

    class Rename(ast.NodeTransformer):
        def visit_Assign(self, node: Any) -> Any:
            if id(node) in dropped:
                return ast.copy_location(ast.Pass(), node)
            return self.generic_visit(node)

        def visit_Name(self, node: Any) -> Any:
            if node.id in renames:
                return ast.copy_location(ast.Name(id=renames[node.id], ctx=node.ctx), node)
            return node

    Rename().visit(tree)


class _Deferred:
    """How a run value is computed when its check for letters to escape is made with
    the run's other values (see `Emitter.end_run`): the code (leaving it as text, or
    setting `__lepta_ok` false), the checks `(variable, is an attribute, guard,
    source)` (the guard: when the variable is to be escaped, if not always), and the
    variables the run's f-string takes (if not those of the part); `solo`: the
    variables and code when checked on its own, if not those of the part.

    Values of one source (the same local or shared read) are, where the fast path is
    taken, the same text, or text that needs no escaping (a number's digits, '', an
    attribute rendered by the renderer's rules): one of them is checked for all.
    """

    __slots__ = ("checks", "code", "names", "solo")

    def __init__(
        self,
        code: list[str],
        checks: list[tuple[str, bool, str | None, Any]],
        names: list[str] | None = None,
        solo: Any = None,
    ) -> None:
        self.code = code
        self.checks = checks
        self.names = names
        self.solo = solo


# Expressions whose parts are evaluated in the order of their fields (see `share`).
_IN_ORDER = (
    ast.Subscript,
    ast.Attribute,
    ast.Compare,
    ast.BinOp,
    ast.UnaryOp,
    ast.BoolOp,
    ast.IfExp,
    ast.Call,
    ast.keyword,
    ast.JoinedStr,
    ast.FormattedValue,
    ast.Tuple,
    ast.List,
    ast.Starred,
)
# Expressions with a scope of their own: nothing in them is shared.
_OWN_SCOPE = (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def _calls_unknown(node: Any, compiler: Any) -> bool:
    """Whether `node` calls something that could change what the view reads: any call
    but builders, components, pure builtins and module functions that are pure (see
    _compile.is_pure) and set no item or attribute."""
    from ._compile import _PURE, _pure_function

    for n in ast.walk(node):
        if isinstance(n, _OWN_SCOPE):
            return True  # (a generator runs later; a comprehension: not worth a look)
        if not isinstance(n, ast.Call):
            continue
        target = compiler.global_of(n.func)
        if type(target) is Builder or type(target) is Component:
            continue
        if target is None and isinstance(n.func, ast.Name):
            if n.func.id in _PURE and n.func.id not in compiler.local_names:
                if n.func.id not in compiler.fn.__globals__:
                    continue
        if target is not None and _pure_function(target, set(), strict=True):
            continue
        return True
    return False


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


def _constants(node: Any, tests: int) -> bool:
    """Whether an expression is a constant, or chooses between constants only, with
    conditionals nested at most `tests` deep."""
    if isinstance(node, ast.IfExp) and tests > 0:
        return _constants(node.body, tests - 1) and _constants(node.orelse, tests - 1)
    return isinstance(node, ast.Constant)


def _starts_safely(node: Any, name: str) -> bool:
    """Whether an f-string's value needs no URL check as attribute `name`: it is not a
    URL, or it starts with a character no blocked URL can start with (`/`, `h`...)."""
    if not is_url_attribute(name):
        return True
    first = node.values[0] if node.values else None
    if not isinstance(first, ast.Constant):
        return False
    start = str(first.value)[:1]
    return start != "" and start not in URL_FIRST_CHARS_TO_CHECK


def _constant_text(node: Any) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, (str, type(None)))


def _static_attribute(key: str, value: Any) -> str:
    """A constant attribute, rendered once by the renderer's own rules."""
    out: list[str] = []
    render_attribute(out, key, value)
    return "".join(out)
