"""Rendering a view to an HTML string on the server.

Dynamic values (callables) are read once; effects never run (the render happens
under `Owner(server=True)`). The output carries the few hydration markers the
client needs to walk it (see docs/hydration.md): `<!>` between a dynamic text and
an adjacent text, and after each dynamic view or raw HTML block.
"""

from __future__ import annotations

from typing import Any, Callable

from ..reactive import Owner, _core, _suspense, current_scope, signal
from ..reactive._core import enter_scope, leave_scope, swap_scope
from ..reactive._owner import server_owner
from ..reactive._suspense import AsyncData, KeyScope
from ..view._attrs import attribute_name
from ..view._component import (
    ComponentCall,
    ComponentError,
    InvalidChildError,
    call_component,
    component_chain,
    invalid_child,
    raise_component_error,
    where,
)
from ..view._control import BoundaryView, KeyedList, PortalView, SuspenseView
from ..view._escape import (
    escape_attr,
    escape_text,
    is_script_sink,
    is_url_attribute,
    raw_text,
)
from ..view._marks import (
    DYNAMIC_TEXT,
    FALLBACK,
    NOT_TEXT,
    SEPARATOR,
    STATIC_TEXT,
    comment,
)
from ..view._nodes import RAW_TEXT_ELEMENTS, VOID_ELEMENTS, Element
from ..view._values import (
    _value,
    attribute_value,
    text_of,
)
from ._suspense import render_suspense
from ._template import TemplateView

# What the previous child of the current element left at the end of the output.
FALLBACK_MARK = comment(FALLBACK)  # before an ErrorBoundary showing its fallback

# Elements whose first newline the HTML parser drops.
NEWLINE_EATERS = set(["pre", "textarea", "listing"])

# What an HTML element's content is: NORMAL, or VOID (none), RAW (text only, kept as
# it is) or EATER (its first newline is dropped by the parser).
NORMAL, VOID, RAW, EATER = 0, 1, 2, 3

# Tag -> (start tag without attributes, start of one with, end tag, kind of content),
# made once per tag: a page writes the same few tags over and over. Tags may come
# from data (`el`): the cache is emptied when full.
_tags: dict[str, tuple[str, str, str, int]] = {}
TAGS_CACHED = 2000


def tag_parts(tag: str) -> tuple[str, str, str, int]:
    """What `element` writes for `tag` (as an HTML element; remembered)."""
    kind = NORMAL
    if tag in VOID_ELEMENTS:
        kind = VOID
    elif tag in RAW_TEXT_ELEMENTS:
        kind = RAW
    elif tag in NEWLINE_EATERS:
        kind = EATER
    parts = ("<" + tag + ">", "<" + tag, "</" + tag + ">", kind)
    if len(_tags) >= TAGS_CACHED:
        _tags.clear()
    _tags[tag] = parts
    return parts


def render_to_string(view_fn: Callable[[], Any]) -> str:
    """Render the view returned by `view_fn()` to HTML.

        html = render_to_string(App)                 # a component with no required props
        html = render_to_string(lambda: div("hi"))

    A root owner (a server one: effects do not run) is created for the render and
    disposed afterwards. Nothing is awaited: a Suspense whose children read a loading
    resource renders its fallback (`render_to_stream` waits for the data).
    """
    # `render_root` written out for the usual render, which meets no Uncompile: a page
    # is many renders, and this part is paid by each.
    renderer = Renderer()
    root = server_owner()
    saved_keys = _suspense.enter(KeyScope(), _collected())
    token = enter_scope(root)
    out: list[Any] | None = renderer.out
    try:
        view = view_fn()
        if type(view) is ComponentCall:  # the usual root: `App` or `lambda: App(...)`
            renderer.component(view)
        else:
            renderer.child(view)
    except Uncompile as stop:
        from ._compile import uncompile

        root.dispose()
        uncompile(stop.component)
        out = None
    except BaseException:
        root.dispose()
        raise
    finally:
        leave_scope(token)
        _suspense.leave(saved_keys)
    if out is None:  # rare: render again, as render_root does
        out, root = render_root(Renderer, view_fn, _collected())
    root.dispose()
    return "".join(out)


def render_root(
    make_renderer: Callable[[], Renderer], view_fn: Callable[[], Any], data: Any
) -> tuple[list[Any], Owner]:
    """Render `view_fn()` under a new root owner (a server one); returns the output and
    the owner, for the caller to dispose when the page no longer needs it."""
    while True:
        renderer = make_renderer()
        root = server_owner()
        saved_keys = _suspense.enter(KeyScope(), data)
        token = enter_scope(root)
        try:
            view = view_fn()
            if type(view) is ComponentCall:  # the usual root: `App` or `lambda: App(...)`
                renderer.component(view)
            else:
                renderer.child(view)
            return renderer.out, root
        except Uncompile as stop:  # rare: render again with that component as written
            from ._compile import uncompile

            root.dispose()
            uncompile(stop.component)
        except BaseException:
            root.dispose()
            raise
        finally:
            leave_scope(token)
            _suspense.leave(saved_keys)


class _Collected(AsyncData):
    """The AsyncData of a `render_to_string`: collects, and makes its tables only when
    something asks for them (most renders create no resource)."""

    __slots__ = ()
    collect = True  # (class attributes shadow AsyncData's slots: nothing to set)
    production = False

    def __getattr__(self, name: str) -> Any:  # (called only for an attribute not set)
        if name == "outcomes" or name == "loading":
            value: Any = {}
        elif name == "private":
            value = set()
        else:
            raise AttributeError(name)
        setattr(self, name, value)
        return value


def _collected() -> AsyncData:
    """`AsyncData(collect=True)`, its tables made when first used."""
    return _new(_Collected)


class Uncompile(BaseException):
    """A compiled component met what only its written form handles (a dict given as
    the first argument of a builder, meaning attributes)."""

    def __init__(self, component: Any) -> None:
        self.component = component


class Renderer:
    """Appends the HTML of views to `out`; tracks text adjacency for the markers."""

    __slots__ = ("enclosing", "out", "prev", "stream")

    def __init__(self, stream: Any = None) -> None:
        self.out: list[Any] = []  # strings, and Holes in an in-order stream
        self.prev = NOT_TEXT
        self.stream = stream  # the Stream this render feeds, if any
        self.enclosing: BoundaryView | None = None  # the innermost ErrorBoundary around

    def child(self, v: Any) -> None:
        """Render one child: text, element, component, fragment, raw HTML or dynamic."""
        t = type(v)
        if t is str:
            if not v:
                return  # no text node at all, on either side
            if self.prev == DYNAMIC_TEXT:
                self.out.append(SEPARATOR)
            self.out.append(escape_text(v))
            self.prev = STATIC_TEXT
        elif t is Element:
            self.element(v)
        elif t is ComponentCall:
            self.component(v)
        elif t is list or t is tuple:
            for c in v:
                if type(c) is TemplateView:  # (the usual item of a list a view builds)
                    c.render(self, *c.values)
                else:
                    self.child(c)
        elif t is TemplateView:
            v.render(self, *v.values)
        elif t is int or t is float:
            if self.prev == DYNAMIC_TEXT:
                self.out.append(SEPARATOR)
            self.out.append(str(v))
            self.prev = STATIC_TEXT
        elif v is None or t is bool:
            pass
        else:
            control = _CONTROL.get(t)
            render = getattr(v, "__lepta_render__", None)
            if control is not None:
                control(self, v)
            elif render is not None:  # compiled templates
                render(self)
            elif hasattr(v, "__html__"):
                self.raw(v.__html__())
            elif callable(v):
                self.dynamic(v())
            elif hasattr(v, "__next__"):  # a generator or other iterator
                for c in v:
                    self.child(c)
            else:
                raise invalid_child(v)

    def dynamic(self, v: Any) -> None:
        """A callable child's value: text stays a lone text node; a view gets an anchor."""
        out = self.out
        t = type(v)
        if t is str or t is int or t is float:
            if self.prev != NOT_TEXT:
                out.append(SEPARATOR)
            out.append(escape_text(v) if t is str else str(v))
            self.prev = DYNAMIC_TEXT
            return
        self.range(v)

    def range(self, view: Any) -> None:
        """A view whose content may change in the browser: separated, then anchored."""
        out = self.out
        if self.prev != NOT_TEXT:
            out.append(SEPARATOR)
        self.prev = NOT_TEXT
        self.child(view)
        out.append(SEPARATOR)
        self.prev = NOT_TEXT

    def keyed_list(self, v: KeyedList) -> None:
        """A For: each row rendered in order, as one dynamic range; rows are kept
        apart (a separator between a row ending and the next starting with text)."""
        out = self.out
        if self.prev != NOT_TEXT:
            out.append(SEPARATOR)
        self.prev = NOT_TEXT
        for i, item in enumerate(v.each()):
            if self.prev != NOT_TEXT:
                out.append(SEPARATOR)
                self.prev = NOT_TEXT
            self.child(v.children(signal(i)[0], item) if v.indexed else v.children(item))
        out.append(SEPARATOR)
        self.prev = NOT_TEXT

    def portal(self, v: PortalView) -> None:
        """Portals render nothing on the server: their content appears when mounted."""

    def boundary(self, v: BoundaryView) -> None:
        """An ErrorBoundary: its children, or its fallback if rendering them raised."""
        out = self.out
        start = len(out)
        prev = self.prev
        around = self.enclosing
        self.enclosing = v
        try:
            self.range(v.children)
        except Exception as exc:
            self.enclosing = around
            del out[start:]
            self.prev = prev
            error = exc.error if isinstance(exc, ComponentError) else exc
            if self.prev != NOT_TEXT:
                out.append(SEPARATOR)
                self.prev = NOT_TEXT
            out.append(FALLBACK_MARK)  # tells the client the fallback is showing
            self.range(v.fallback([error]))
        self.enclosing = around

    def suspense(self, v: SuspenseView) -> None:
        render_suspense(self, v)

    def raw(self, html: str) -> None:
        if self.prev != NOT_TEXT:
            self.out.append(SEPARATOR)
        self.out.append(html)
        self.out.append(SEPARATOR)
        self.prev = NOT_TEXT

    def element(self, e: Element) -> None:
        out = self.out
        tag = e.tag
        parts = _tags.get(tag)
        if parts is None:
            parts = tag_parts(tag)
        kind = parts[3]
        if kind and e.namespace:
            kind = NORMAL  # svg and MathML have no void, raw-text or newline-eating ones
        attrs = e.attrs
        if attrs:
            out.append(parts[1])
            inner = None
            for key, value in attrs.items():
                if type(value) is str:  # `attributes`' usual case, in line: a hot loop
                    name = _plain.get(key)
                    if name:
                        out.append(' %s="%s"' % (name, escape_attr(value)))
                        continue
                inner = self.attribute(e, key, value, inner)
            out.append(">")
        else:
            out.append(parts[0])
            inner = None
        if kind == VOID:
            if e.children:
                raise InvalidChildError("<%s> cannot have children%s" % (tag, where()))
            self.prev = NOT_TEXT
            return
        start = len(out)
        if inner is not None:
            out.append(inner)
        elif kind == RAW:
            noscript = tag == "noscript"
            out.append(raw_text("".join(text_of(c, noscript) for c in e.children)))
        else:
            self.prev = NOT_TEXT
            for c in e.children:
                t = type(c)
                if t is str:  # (the usual children, as `child` writes them)
                    if c:
                        if self.prev == DYNAMIC_TEXT:
                            out.append(SEPARATOR)
                        out.append(escape_text(c))
                        self.prev = STATIC_TEXT
                elif t is Element:
                    self.element(c)
                else:
                    self.child(c)
        if kind == EATER:
            # The parser drops a newline right after <pre>/<textarea>: give it one to eat.
            first = next((chunk for chunk in out[start:] if chunk), "")
            if first[:1] == "\n":
                out.insert(start, "\n")
        out.append(parts[2])
        self.prev = NOT_TEXT

    def attribute(self, e: Element, key: str, value: Any, inner: str | None) -> str | None:
        """Append attribute `key` of `e`; return the element's inner HTML: the one it
        sets (inner_html, a textarea's bound value), else `inner` (what an earlier
        attribute set)."""
        if key == "inner_html":
            inner = _value(value)
            return "" if inner is None else str(inner)
        if key == "bind_value" and e.tag == "textarea":
            current = _bound(value)
            return escape_text("" if current is None else str(current))
        render_attribute(self.out, key, value)
        return inner

    def component(self, call: ComponentCall) -> None:
        if call._parent is not None:  # the same call placed twice: each use its own owner
            call = ComponentCall(call.component, call.props, call.children)
        comp = call.component
        fn = comp.compiled
        if fn is None:
            fn = _prepare(comp)
        parent = swap_scope(call)
        call._parent = parent
        try:
            if comp.direct:  # compiled (so not async): renders its returned view itself
                # (call_component written out: this runs for each page's root)
                if call.children:
                    result = fn(self, children=call.children, **call.props)
                elif call.props:
                    result = fn(self, **call.props)
                else:
                    result = fn(self)
                if result is not None:
                    self.child(result)
            else:
                self.child(call_component(call, fn))
        except BaseException as exc:
            component_failed(call, exc)
        finally:
            swap_scope(parent)
        if call._owned is not None or call._cleanups is not None:
            _core.own(parent, call)  # so the root's disposal reaches it
        else:
            # Nothing below it outlives its rendering. With its link up cut, a call
            # given as a child to another (`Layout(Nav())`) and its parent do not
            # keep each other alive: a page is freed as soon as it is done, without
            # the garbage collector (its contexts go too: a second use starts clean).
            call._parent = None
            call._contexts = None


_CONTROL: dict[type, Callable[[Renderer, Any], None]] = {
    KeyedList: Renderer.keyed_list,
    PortalView: Renderer.portal,
    BoundaryView: Renderer.boundary,
    SuspenseView: Renderer.suspense,
}

_SPECIAL = set(["node_ref", "inner_html", "bind_value", "bind_checked"])


def _bound(signal: Any) -> Any:
    """What a `bind_value` / `bind_checked` signal holds: read as the browser reads it."""
    return signal.get() if hasattr(signal, "get") else _value(signal)


# Keyword -> attribute name, for the keywords whose text values are written as they
# are, escaped (all but events, properties, bindings, refs, URLs and script sinks);
# "" for the others. Keys may come from data: the cache is emptied when full.
_plain: dict[str, str] = {}
PLAIN_CACHED = 2000


def plain_name(key: str) -> str:
    """The attribute name of keyword `key` if a text value of it needs no check beyond
    escaping, else "" (remembered)."""
    name = ""
    if not (key in _SPECIAL or key[:3] == "on_" or key[:5] == "prop_"):
        candidate = attribute_name(key)
        if not is_url_attribute(candidate) and not is_script_sink(candidate):
            name = candidate
    if len(_plain) >= PLAIN_CACHED:
        _plain.clear()
    _plain[key] = name
    return name


def render_attribute(out: list[str], key: str, value: Any) -> None:
    """Append one attribute (or nothing: for None / False, events, properties, refs)."""
    if type(value) is str:  # the usual case: text, written escaped
        name = _plain.get(key)
        if name is None:
            name = plain_name(key)
        if name:
            out.append(' %s="%s"' % (name, escape_attr(value)))
            return
    if key in _SPECIAL or key[:3] == "on_" or key[:5] == "prop_":
        if key == "bind_value":  # the browser first shows the bound value
            current = _bound(value)
            out.append(' value="%s"' % escape_attr("" if current is None else str(current)))
        elif key == "bind_checked" and _bound(value):
            out.append(" checked")
        return  # events, properties and node refs exist only in the DOM
    name = attribute_name(key)
    value = attribute_value(name, _value(value))
    if value is None:
        return
    if value is True:
        out.append(" " + name)
    elif hasattr(value, "__html__"):  # marked safe: kept as it is, even in a URL
        out.append(' %s="%s"' % (name, value.__html__()))
    else:
        out.append(' %s="%s"' % (name, escape_attr(value)))


def attribute_text(key: str, value: Any) -> str:
    """One attribute as text (see render_attribute)."""
    out: list[str] = []
    render_attribute(out, key, value)
    return "".join(out)


# The steps of a compiled run (see _emit): static HTML, a child's value, the text of
# an attribute.
RUN_HTML, RUN_TEXT, RUN_RAW = 0, 1, 2


def render_run(r: Renderer, plan: tuple[Any, ...], prev: int, values: tuple[Any, ...]) -> int:
    """Render a compiled run whose values are not all text or numbers; return the
    text state it leaves. Strings among `values` are escaped already.

    `plan` holds `(RUN_HTML, html, starts_with_text, ends_with_text)`, `(RUN_TEXT,
    component)` for a child's value (`component`: the one to give up its compiled form
    if the value is a dict, meaning attributes) and `(RUN_RAW,)` for attribute text.
    """
    out = r.out
    i = 0
    for step in plan:
        kind = step[0]
        if kind == RUN_HTML:
            if step[2] and prev == DYNAMIC_TEXT:
                out.append(SEPARATOR)
            out.append(step[1])
            prev = STATIC_TEXT if step[3] else NOT_TEXT
            continue
        v = values[i]
        i += 1
        if kind == RUN_RAW:
            out.append(v)
            continue
        t = type(v)
        if t is str:
            if v:
                if prev == DYNAMIC_TEXT:
                    out.append(SEPARATOR)
                out.append(v)
                prev = STATIC_TEXT
        elif t is int or t is float:
            if prev == DYNAMIC_TEXT:
                out.append(SEPARATOR)
            out.append(str(v))
            prev = STATIC_TEXT
        else:
            if t is dict and step[1] is not None:
                raise Uncompile(step[1])
            r.prev = prev
            r.child(v)
            prev = r.prev
    return prev


def _prepare(comp: Any) -> Callable[..., Any]:
    """The function the server runs for a component: compiled when possible."""
    try:
        import ast  # noqa: F401  (the compiler needs it)

        compilable = not comp.is_async  # async components render as written
    except ImportError:  # MicroPython renders components as written
        compilable = False
    if not compilable:
        comp.compiled = comp.fn
        comp.direct = False
        return comp.fn  # type: ignore[no-any-return]
    from ._compile import prepare

    return prepare(comp)


# Compiled components render the components they call on the spot. The owner of
# each use is a ComponentCall taken from this pool; one that ends up owning nothing
# (no signal, effect, cleanup or context) goes back to the pool, so a component
# costs no allocation unless it uses its owner.
scope_pool: list[ComponentCall] = []
_new = object.__new__


def fresh_scope() -> ComponentCall:
    scope: ComponentCall = _new(ComponentCall)
    scope._owned = None
    scope._cleanups = None
    scope._contexts = None
    return scope


def leave_component(scope: ComponentCall) -> None:
    """A closed component owner that owns something: keep it under its parent.

    (One that only provided context is dropped: its children rendered already, and it
    must not go back to the pool with the context still in it.)"""
    if scope._owned is not None or scope._cleanups is not None:
        _core.own(scope._parent, scope)


def component_failed(scope: ComponentCall, error: BaseException) -> None:
    """Re-raise `error`, naming the chain of components when it is the first to see it."""
    if isinstance(error, (ComponentError, InvalidChildError)) or not isinstance(error, Exception):
        raise error
    raise_component_error(error, component_chain(scope))


def pure_component_failed(comp: Any, error: BaseException) -> None:
    """`component_failed` for a component run without an owner of its own."""
    if isinstance(error, ComponentError):  # raised below it: add its name to the chain
        error.chain.insert(len(component_chain(current_scope())), comp.__name__)
        raise error
    scope = fresh_scope()
    scope.component = comp
    scope._parent = current_scope()
    component_failed(scope, error)
