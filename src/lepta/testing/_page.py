"""A page in the in-memory DOM, found and driven as a user would: `render`, `render_server`.

    page = render(Counter)
    page.click(page.get_by_role("button", name="+1"))
    assert page.get_by_text("Value: 1!")

Actions (`click`, `fill`, `check`, `select`, `press`, ...) do what a browser does
for a user's gesture (a click on a checkbox toggles it and fires input and change;
Enter in a form's field submits it) and then run the effects it caused (`flush`),
so the page is up to date when the action returns. An action on an element that
is disabled, or gone from the page, raises `ActionError` (a user could not do it).

`with page.count() as ops:` counts the DOM operations done inside the block, so a
test can pin what an update costs: `assert ops == {"set_text": 1}`.

Portable: runs on CPython and MicroPython.
"""

from __future__ import annotations

from typing import Any, Callable

from ..dom._memory import MemoryDOM
from ..dom._memory_nodes import Element, Event, Node
from ..dom._memory_nodes import _radio_group as radio_group  # (the DOM's own rule)
from ..dom._mount import MountHandle, hydrate_body, mount_to_body
from ..reactive import flush, provide_context
from ..reactive._errors import lepta_error_and
from ._queries import Queries, short
from ._roles import is_labelable, labelled_control

MODES = ("async", "in_order", "string")
# <input> types that are not typed into.
NOT_TYPED_INTO = (
    "button", "checkbox", "color", "file", "hidden", "image", "radio", "range", "reset", "submit",
)

# Elements besides the labelable ones that `disabled` disables.
DISABLEABLE = ("fieldset", "optgroup", "option")

_open: list[MemoryPage] = []  # pages rendered and not unmounted yet (see unmount_all)


class ActionError(lepta_error_and(AssertionError)):  # type: ignore[misc]
    """An action of `lepta.testing` cannot be done: the element is disabled, gone from
    the page, or not the kind the action works on."""


def render(view_fn: Callable[[], Any], *, path: str | None = None) -> MemoryPage:
    """Mount `view_fn()` into the <body> of a new in-memory DOM, run its effects, and
    return the page (its operation count starts at zero).

        page = render(Counter)                      # a component with no required props
        page = render(lambda: Counter(initial=5))
        page = render(App, path="/contacts/1")      # the Location the router reads

    The page is unmounted when the test ends (with the pytest plugin), or by
    `page.unmount()`, or at the end of `with render(App) as page:`.
    """
    dom = MemoryDOM()
    handle = mount_to_body(_at(view_fn, path), renderer=dom)
    return MemoryPage(dom, handle)


def render_server(
    view_fn: Callable[[], Any], *, path: str | None = None, mode: str = "async"
) -> MemoryPage:
    """Render `view_fn()` on the server, load the HTML into an in-memory DOM and
    hydrate it there, as a browser would; a hydration mismatch fails (raises
    `HydrationMismatch`, naming the components and the nodes expected and found).

        page = render_server(App)
        page.click(page.get_by_role("button", name="+1"))   # hydrated: it works

    `mode` is how the server renders: "async" (default: every resource awaited, its
    data sent along, as the page a browser ends with), "in_order" (streamed, the
    same final page), or "string" (`render_to_string`: nothing awaited, a Suspense
    reading unloaded data shows its fallback). Out-of-order streaming needs a
    browser to run its scripts: test it with the `lepta_page` fixture.
    """
    from ..ssr import render_to_stream, render_to_string
    from . import strict_hydration

    if mode not in MODES:
        raise ValueError(
            "unknown mode %r for render_server: use one of %s (out-of-order streaming "
            "needs a browser: the lepta_page fixture)" % (mode, ", ".join(MODES))
        )
    view = _at(view_fn, path)
    if mode == "string":
        html = render_to_string(view)
    else:
        html = "".join(_run(_collect(render_to_stream(view, mode))))
    dom = MemoryDOM()
    dom.load_body(html)
    data = _take_resource_data(dom)
    with strict_hydration():
        handle = hydrate_body(view, renderer=dom, data=data)
    return MemoryPage(dom, handle)


def unmount_all() -> None:
    """Unmount every page rendered and not unmounted yet (the pytest plugin does it
    after each test)."""
    while _open:
        _open[-1].unmount()


class MemoryPage(Queries):
    """A mounted view in a MemoryDOM, with queries over its <body> (see `Queries`),
    actions, and operation counts.

    `dom` is the MemoryDOM (its `ops`, `find`, `html()`, ...), `handle` the mount.
    """

    def __init__(self, dom: MemoryDOM, handle: MountHandle | None = None) -> None:
        Queries.__init__(self, dom.body)
        self.dom = dom
        self.handle = handle
        self.response: Any = None  # the HTTP response, for a page a LeptaClient loaded
        if handle is not None:
            _open.append(self)
        flush()
        dom.reset_ops()

    @property
    def root(self) -> Node:
        return self.dom.body

    @property
    def body(self) -> Element:
        return self.dom.body

    def html(self) -> str:
        """The <body>'s content as HTML."""
        return self.dom.body_html()

    @property
    def text(self) -> str:
        """The text of the whole <body>, whitespace collapsed."""
        return " ".join(self.dom.body.text.split())

    # -- actions

    def click(self, element: Element | None) -> bool:
        """Click `element` as a user would: a checkbox or radio changes (then "input"
        and "change" fire), a label clicks its control, a submit button submits its
        form ("submit" fires at the form, with `submitter`). Returns False if a
        handler prevented the default action.

            page.click(page.get_by_role("button", name="Save"))
        """
        el = self._usable(element, "click")
        allowed = self._click(el)
        self.flush()
        return allowed

    def fill(self, element: Element | None, text: str) -> None:
        """Replace the value of a text field (<input>, <textarea>) with `text` and fire
        "input" (as typing does; "change" waits for the field to lose focus: see `blur`).

            page.fill(page.get_by_label("Title"), "Buy milk")
        """
        el = self._usable(element, "fill")
        if not _is_text_field(el):
            raise ActionError(
                "fill() types into a text field (<input>, <textarea>), not %s: use select() "
                "for a <select>, check() / uncheck() for a checkbox or radio" % short(el)
            )
        if "readonly" in el.attributes:
            raise ActionError("fill(): %s is read-only" % short(el))
        self.dom.input(el, text)
        self.flush()

    def check(self, element: Element | None) -> None:
        """Check a checkbox or radio by clicking it (nothing happens if it is checked).

            page.check(page.get_by_role("checkbox", name="Done"))
        """
        self._set_checked(element, True, "check")

    def uncheck(self, element: Element | None) -> None:
        """Uncheck a checkbox by clicking it (nothing happens if it is not checked)."""
        self._set_checked(element, False, "uncheck")

    def select(self, element: Element | None, value: str | list[str]) -> None:
        """Choose the option of a <select> whose value (or, failing that, text) is
        `value` (a list for a <select multiple>), then fire "input" and "change".

            page.select(page.get_by_label("Colour"), "red")
        """
        el = self._usable(element, "select")
        if el.tag != "select" or el.namespace != "":
            raise ActionError("select() chooses an option of a <select>, not %s" % short(el))
        wanted = [value] if isinstance(value, str) else list(value)
        multiple = "multiple" in el.attributes
        if len(wanted) != 1 and not multiple:
            raise ActionError(
                "select(): %s takes one value, not %d (it has no `multiple`)"
                % (short(el), len(wanted))
            )
        options = [n for n in el.descendants() if isinstance(n, Element) and n.tag == "option"]
        chosen = []
        for want in wanted:
            option = _option(options, want)
            if option is None:
                listed = ", ".join(['"%s" (%s)' % (o.value, _label(o)) for o in options])
                raise ActionError(
                    'select() found no option with the value or text "%s" in %s; its options: %s'
                    % (want, short(el), listed or "none")
                )
            if option.disabled:
                raise ActionError("select(): the option %s is disabled" % short(option))
            chosen.append(option)
        for option in options:
            if multiple or option in chosen:
                option.selected = option in chosen
        self.dom.dispatch(el, Event("input"))
        self.dom.dispatch(el, Event("change"))
        self.flush()

    def press(self, element: Element | None, key: str, **fields: Any) -> None:
        """Press and release `key` (a KeyboardEvent key: "Enter", "Escape", "a") on
        `element`: "keydown" then "keyup", with `key` and any `fields` given
        (`ctrlKey=True`, ...). Unless a handler prevented it, Enter in a form's field
        submits the form, and Enter or Space on a button clicks it.

            page.press(page.get_by_role("textbox"), "Enter")
        """
        el = self._usable(element, "press")
        if self.dom.dispatch(el, Event("keydown", key=key, **fields)):
            self._key_default(el, key)
        self.dom.dispatch(el, Event("keyup", key=key, **fields))
        self.flush()

    def focus(self, element: Element | None) -> None:
        """Fire "focus" (which does not bubble) and "focusin" at `element`."""
        el = self._usable(element, "focus")
        self.dom.dispatch(el, Event("focus", bubbles=False))
        self.dom.dispatch(el, Event("focusin"))
        self.flush()

    def blur(self, element: Element | None) -> None:
        """Fire "change" (if it is a text field), "blur" and "focusout" at `element`,
        as when the user leaves it."""
        el = self._usable(element, "blur")
        if _is_text_field(el):
            self.dom.dispatch(el, Event("change"))
        self.dom.dispatch(el, Event("blur", bubbles=False))
        self.dom.dispatch(el, Event("focusout"))
        self.flush()

    def fire(
        self, element: Element | None, event_type: str, bubbles: bool = True, **fields: Any
    ) -> bool:
        """Dispatch any event at `element` (`fields` become its attributes), then flush.
        Returns False if a handler prevented the default action.

            page.fire(row, "dblclick")
        """
        if element is None:
            raise ActionError("fire() was given None: the query found no element")
        allowed = self.dom.dispatch(element, Event(event_type, bubbles=bubbles, **fields))
        self.flush()
        return allowed

    # -- effects, counts, lifetime

    def flush(self) -> None:
        """Run the effects pending now (the actions do it for you)."""
        flush()

    async def settle(self, rounds: int = 10) -> None:
        """Let pending async work (resources loading, actions, server functions called
        in-process) run, flushing effects between rounds.

            page.click(page.get_by_role("button", name="Load"))
            await page.settle()
        """
        import asyncio

        for _ in range(rounds):
            flush()
            await asyncio.sleep(0)
        flush()

    def count(self) -> OpCount:
        """Count the DOM operations done inside a `with` block, by kind (see
        `MemoryDOM.ops`; a kind not done is absent). Effects pending at either end
        of the block are run first.

            with page.count() as ops:
                page.click(page.get_by_role("button", name="+1"))
            assert ops == {"set_text": 1}
        """
        return OpCount(self.dom)

    def unmount(self) -> None:
        """Remove the view and dispose its owner (effects stop, cleanups run)."""
        if self in _open:
            _open.remove(self)
        if self.handle is not None:
            self.handle.unmount()
            self.handle = None
            flush()

    def __enter__(self) -> MemoryPage:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.unmount()

    def __repr__(self) -> str:
        return "<MemoryPage %s>" % short(self.dom.body)

    # -- internals

    def _usable(self, element: Element | None, action: str) -> Element:
        if element is None:
            raise ActionError(
                "%s() was given None: the query found no element (get_by_* says why)" % action
            )
        if not isinstance(element, Element):
            raise ActionError("%s() acts on an element, not %r" % (action, element))
        if element.root() is not self.dom.document:
            raise ActionError(
                "%s(): %s is not in the page (any more): it was removed, or replaced when "
                "the view changed; query it again after the change" % (action, short(element))
            )
        if _disabled(element):
            raise ActionError("%s(): %s is disabled" % (action, short(element)))
        return element

    def _click(self, el: Element) -> bool:
        toggles = el.namespace == "" and el.tag == "input" and _type(el) in ("checkbox", "radio")
        before: list[tuple[Element, bool]] = []
        if toggles:
            group = [el] + (radio_group(el) if _type(el) == "radio" else [])
            before = [(box, box.checked) for box in group]
            el.checked = True if _type(el) == "radio" else not el.checked
        allowed = self.dom.click(el)
        if toggles:
            if not allowed:  # the default action is undone
                for box, state in before:
                    box.checked = state
            elif before != [(box, box.checked) for box, _ in before]:
                self.dom.dispatch(el, Event("input"))
                self.dom.dispatch(el, Event("change"))
            return allowed
        if not allowed:
            return False
        if el.namespace == "" and el.tag == "label":
            control = labelled_control(el)
            if control is not None and not _disabled(control):
                self._click(control)
        elif _is_submit_button(el):
            form = _form_of(el)
            if form is not None:
                self.dom.dispatch(form, Event("submit", submitter=el))
        return True

    def _key_default(self, el: Element, key: str) -> None:
        if key == "Enter" and el.namespace == "" and el.tag == "input" and _is_text_field(el):
            form = _form_of(el)
            if form is None:
                return
            for node in form.descendants():  # implicit submission: the default button
                if isinstance(node, Element) and _is_submit_button(node):
                    if not _disabled(node):
                        self._click(node)
                    return
            self.dom.dispatch(form, Event("submit", submitter=None))
        elif key in ("Enter", " ") and el.namespace == "":
            if el.tag == "button" or (el.tag == "input" and _is_submit_button(el)):
                self._click(el)
            elif key == "Enter" and el.tag == "a" and "href" in el.attributes:
                self._click(el)

    def _set_checked(self, element: Element | None, state: bool, action: str) -> None:
        el = self._usable(element, action)
        kind = _type(el) if el.tag == "input" else ""
        if kind not in ("checkbox", "radio"):
            raise ActionError(
                "%s() works on a checkbox or radio <input>, not %s" % (action, short(el))
            )
        if kind == "radio" and not state:
            raise ActionError(
                "uncheck(): %s is a radio button: check another one of its group instead"
                % short(el)
            )
        if el.checked == state:
            return
        self._click(el)
        self.flush()
        if el.checked != state:
            raise ActionError(
                "%s(): clicking %s did not change its state (a handler prevented it)"
                % (action, short(el))
            )


class OpCount:
    """`with page.count() as ops:` (see MemoryPage.count); `ops` is a plain dict,
    filled when the block ends."""

    __slots__ = ("before", "dom", "ops")

    def __init__(self, dom: MemoryDOM) -> None:
        self.dom = dom
        self.ops: dict[str, int] = {}
        self.before: dict[str, int] = {}

    def __enter__(self) -> dict[str, int]:
        flush()
        self.before = dict(self.dom.ops)
        self.ops.clear()
        return self.ops

    def __exit__(self, *exc: Any) -> None:
        flush()
        now = self.dom.ops
        for kind in now:
            done = now[kind] - self.before.get(kind, 0)
            if done:
                self.ops[kind] = done


# ---------------------------------------------------------------------------- helpers


def _at(view_fn: Callable[[], Any], path: str | None) -> Callable[[], Any]:
    """`view_fn` with the page's Location at `path` ("/a?b=1") provided, if given."""
    if path is None:
        return view_fn
    from ..view import Location

    address, _, query = path.partition("?")

    def view() -> Any:
        provide_context(Location(address, query))
        return view_fn()

    return view


async def _collect(chunks: Any) -> list[str]:
    out = []
    async for chunk in chunks:
        out.append(chunk)
    return out


def _run(coro: Any) -> Any:
    """Run `coro` to its end: on a new event loop, or (when one is running already,
    as in an async test) on a new loop in a thread of its own."""
    import asyncio

    if not hasattr(asyncio, "run"):  # MicroPython in WebAssembly: its loop is the page's
        coro.close()
        raise RuntimeError(
            "render_server(mode=\"async\" or \"in_order\") runs an event loop to the end, "
            "which MicroPython in WebAssembly cannot do: use mode=\"string\" there"
        )
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    import threading

    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["value"] = asyncio.run(coro)
        except BaseException as exc:  # re-raised below, in the caller's thread
            outcome["error"] = exc

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _take_resource_data(dom: MemoryDOM) -> dict[str, Any]:
    """The resources' outcomes the server sent (`data-lepta-resources` scripts), merged;
    the scripts are removed, as the browser's loader reads them before hydrating."""
    import json

    data: dict[str, Any] = {}
    for script in dom.body.find_all("script"):
        if "data-lepta-resources" in script.attributes:
            data.update(json.loads(script.text))
            dom.remove(script)
    dom.reset_ops()
    return data


def _type(el: Element) -> str:
    return el.attributes.get("type", "").lower()


def _is_text_field(el: Element) -> bool:
    if el.namespace != "":
        return False
    return el.tag == "textarea" or (el.tag == "input" and _type(el) not in NOT_TYPED_INTO)


def _is_submit_button(el: Element) -> bool:
    if el.namespace != "":
        return False
    if el.tag == "button":
        return _type(el) in ("", "submit")
    return el.tag == "input" and _type(el) in ("submit", "image")


def _form_of(el: Element) -> Element | None:
    """The form `el` belongs to: the one its `form` attribute names, else its ancestor."""
    named = el.attributes.get("form")
    if named is not None:
        for node in el.root().descendants():
            if isinstance(node, Element) and node.tag == "form" and node.id == named:
                return node
        return None
    parent = el.parent
    while isinstance(parent, Element):
        if parent.namespace == "" and parent.tag == "form":
            return parent
        parent = parent.parent
    return None


def _disabled(el: Element) -> bool:
    """A form control disabled itself, or inside a disabled <fieldset>."""
    if el.namespace != "" or not (is_labelable(el) or el.tag in DISABLEABLE):
        return False
    if el.disabled:
        return True
    node = el.parent
    while isinstance(node, Element):
        if node.tag == "fieldset" and node.disabled:
            return True
        node = node.parent
    return False


def _option(options: list[Element], wanted: str) -> Element | None:
    for option in options:
        if option.value == wanted:
            return option
    for option in options:
        if _label(option) == wanted:
            return option
    return None


def _label(option: Element) -> str:
    return " ".join(option.text.split())
