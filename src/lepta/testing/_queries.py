"""Finding elements as a user would: by role and name, by text, by label, by test id.

In the manner of Testing Library, each way of finding comes in four forms:

    get_by_role("button", name="Save")      the one match; raises if none or several
    query_by_role("button", name="Save")    the one match, or None; raises if several
    get_all_by_role("button")               every match; raises if none
    query_all_by_role("button")             every match, maybe none

A failed `get_*` raises `ElementNotFound` saying what was searched for and what the
page has instead (the roles and names on it, its texts, its labels, ...) followed by
the page's HTML, so the failure explains itself.

What to match (`name=`, `text`, label text, test id) is a str compared with the
element's text with whitespace collapsed (exact by default; `exact=False` finds it
anywhere, ignoring case), a compiled regular expression (searched), or a function
taking the text and returning a bool.

Portable: runs on CPython and MicroPython.
"""

from __future__ import annotations

from typing import Any, Callable

from ..dom._memory_nodes import Element, Node, Text
from ..reactive._errors import lepta_error_and
from ..view._nodes import VOID_ELEMENTS
from ._roles import (
    UNRENDERED,
    accessible_name,
    heading_level,
    is_hidden,
    label_text,
    labelled_control,
    labelledby_text,
    normalize,
    role_of,
)

TEST_ID = "data-testid"
DEBUG_LINES = 60  # how much of the page an error message shows


class QueryError(lepta_error_and(AssertionError)):  # type: ignore[misc]
    """A query of `lepta.testing` did not find what it was asked for.
    (An AssertionError: in a test it reads as a failed check.)"""


class ElementNotFound(QueryError):
    """A `get_*` query found no element."""


class MultipleElementsFound(QueryError):
    """A `get_by_*` or `query_by_*` query found several elements where one was expected."""


class Queries:
    """The queries, over the elements under `root` (see this module's docstring).

    `MemoryPage` has them over the page's <body>; `page.within(element)` over one part.
    """

    def __init__(self, root: Node) -> None:
        self._root = root

    @property
    def root(self) -> Node:
        """The node the queries search under."""
        return self._root

    # -- by role

    def get_by_role(
        self,
        role: str,
        name: Any = None,
        *,
        level: int | None = None,
        checked: bool | None = None,
        hidden: bool = False,
        exact: bool = True,
    ) -> Element:
        """The one element with this ARIA role (and accessible name, heading level,
        checked state) that is not hidden (`hidden=True` searches hidden ones too).

            page.get_by_role("button", name="+1")
            page.get_by_role("heading", level=1)
            page.get_by_role("checkbox", name="Done", checked=True)
        """
        return self._the(self._by_role(role, name, level, checked, hidden, exact))

    def query_by_role(
        self,
        role: str,
        name: Any = None,
        *,
        level: int | None = None,
        checked: bool | None = None,
        hidden: bool = False,
        exact: bool = True,
    ) -> Element | None:
        """Like get_by_role, None when there is no such element."""
        return self._one(self._by_role(role, name, level, checked, hidden, exact))

    def get_all_by_role(
        self,
        role: str,
        name: Any = None,
        *,
        level: int | None = None,
        checked: bool | None = None,
        hidden: bool = False,
        exact: bool = True,
    ) -> list[Element]:
        """Every element with this role (and name, ...), in document order; raises if none."""
        return self._all(self._by_role(role, name, level, checked, hidden, exact), True)

    def query_all_by_role(
        self,
        role: str,
        name: Any = None,
        *,
        level: int | None = None,
        checked: bool | None = None,
        hidden: bool = False,
        exact: bool = True,
    ) -> list[Element]:
        """Every element with this role (and name, ...), in document order; maybe none."""
        return self._all(self._by_role(role, name, level, checked, hidden, exact), False)

    # -- by text

    def get_by_text(self, text: Any, *, exact: bool = True) -> Element:
        """The one element whose own text (its text children, joined) matches; a
        button-like <input> matches by its value.

            page.get_by_text("Value: 0!")
            page.get_by_text("value", exact=False)
        """
        return self._the(self._by_text(text, exact))

    def query_by_text(self, text: Any, *, exact: bool = True) -> Element | None:
        """Like get_by_text, None when there is no such element."""
        return self._one(self._by_text(text, exact))

    def get_all_by_text(self, text: Any, *, exact: bool = True) -> list[Element]:
        """Every element whose own text matches; raises if none."""
        return self._all(self._by_text(text, exact), True)

    def query_all_by_text(self, text: Any, *, exact: bool = True) -> list[Element]:
        """Every element whose own text matches; maybe none."""
        return self._all(self._by_text(text, exact), False)

    # -- by label

    def get_by_label(self, text: Any, *, exact: bool = True) -> Element:
        """The one form control labelled `text`: by a <label> (its `for`, or wrapping
        the control), by aria-labelledby, or by aria-label.

            page.fill(page.get_by_label("Email"), "ada@example.com")
        """
        return self._the(self._by_label(text, exact))

    def query_by_label(self, text: Any, *, exact: bool = True) -> Element | None:
        """Like get_by_label, None when there is no such element."""
        return self._one(self._by_label(text, exact))

    def get_all_by_label(self, text: Any, *, exact: bool = True) -> list[Element]:
        """Every element labelled `text`; raises if none."""
        return self._all(self._by_label(text, exact), True)

    def query_all_by_label(self, text: Any, *, exact: bool = True) -> list[Element]:
        """Every element labelled `text`; maybe none."""
        return self._all(self._by_label(text, exact), False)

    # -- by test id

    def get_by_test_id(self, test_id: Any) -> Element:
        """The one element with `data-testid` equal to `test_id` (a last resort, for
        what has no role, text or label to find it by).

            page.get_by_test_id("total")
        """
        return self._the(self._by_test_id(test_id))

    def query_by_test_id(self, test_id: Any) -> Element | None:
        """Like get_by_test_id, None when there is no such element."""
        return self._one(self._by_test_id(test_id))

    def get_all_by_test_id(self, test_id: Any) -> list[Element]:
        """Every element with this `data-testid`; raises if none."""
        return self._all(self._by_test_id(test_id), True)

    def query_all_by_test_id(self, test_id: Any) -> list[Element]:
        """Every element with this `data-testid`; maybe none."""
        return self._all(self._by_test_id(test_id), False)

    # -- scoping and reading

    def within(self, element: Element) -> Queries:
        """The same queries, searching only under `element`.

            row = page.get_by_role("row", name="Ada")
            page.click(page.within(row).get_by_role("button", name="Remove"))
        """
        return Queries(element)

    def debug(self, element: Node | None = None) -> str:
        """The HTML under `element` (by default the searched root), indented."""
        return pretty(self.root if element is None else element)

    # ------------------------------------------------------------------ internals

    def _elements(self) -> list[Element]:
        return [n for n in self.root.descendants() if isinstance(n, Element)]

    def _by_role(
        self,
        role: str,
        name: Any,
        level: int | None,
        checked: bool | None,
        hidden: bool,
        exact: bool,
    ) -> Search:
        match = matcher(name, exact) if name is not None else None
        found = []
        for el in self._elements():
            if role_of(el) != role or (not hidden and is_hidden(el)):
                continue
            if level is not None and heading_level(el) != level:
                continue
            if checked is not None and _checked(el) != checked:
                continue
            if match is not None and not match(accessible_name(el)):
                continue
            found.append(el)
        what = 'the role "%s"' % role
        if name is not None:
            what += " and the name %s" % describe(name)
        if level is not None:
            what += " at level %d" % level
        if checked is not None:
            what += ", checked" if checked else ", not checked"
        return Search(self, found, what, "get_all_by_role", lambda: self._roles_here(hidden))

    def _by_text(self, text: Any, exact: bool) -> Search:
        match = matcher(text, exact)
        found = [el for el in self._elements() if _searchable(el) and match(own_text(el))]
        what = "the text %s" % describe(text)
        return Search(self, found, what, "get_all_by_text", self._texts_here)

    def _by_label(self, text: Any, exact: bool) -> Search:
        match = matcher(text, exact)
        found: list[Element] = []
        orphans = []  # labels that match but label nothing
        for el in self._elements():
            if el.tag == "label" and el.namespace == "" and match(label_text(el)):
                control = labelled_control(el)
                if control is None:
                    orphans.append(el)
                elif control not in found:
                    found.append(control)
            elif el not in found and _labelled_by_attribute(el, match):
                found.append(el)
        found = [el for el in self._elements() if el in found]  # in document order

        def here() -> str:
            if orphans and not found:
                return (
                    "A <label> with that text was found, but no form control is associated "
                    "with it: give the control an id and the label for=\"<that id>\", put the "
                    "control inside the label, or use aria-labelledby.\n\n" + self._labels_here()
                )
            return self._labels_here()

        return Search(self, found, "the label %s" % describe(text), "get_all_by_label", here)

    def _by_test_id(self, test_id: Any) -> Search:
        match = matcher(test_id, True)
        found = [el for el in self._elements() if match(el.attributes.get(TEST_ID, "\0"))]
        what = "%s %s" % (TEST_ID, describe(test_id))
        return Search(self, found, what, "get_all_by_test_id", self._test_ids_here)

    def _one(self, search: Search) -> Element | None:
        found = search.found
        if len(found) > 1:
            raise MultipleElementsFound(search.several())
        return found[0] if found else None

    def _the(self, search: Search) -> Element:
        found = self._one(search)
        if found is None:
            raise ElementNotFound(search.none())
        return found

    def _all(self, search: Search, required: bool) -> list[Element]:
        if required and not search.found:
            raise ElementNotFound(search.none())
        return search.found

    # What the page has, for the messages of failed queries.

    def _roles_here(self, hidden: bool) -> str:
        lines = []
        for el in self._elements():
            role = role_of(el)
            if role is None or (not hidden and is_hidden(el)):
                continue
            name = accessible_name(el)
            line = '  %s: "%s"' % (role, name) if name else "  " + role
            if role == "heading":
                line += " (level %s)" % heading_level(el)
            lines.append(line)
        if not lines:
            return "The page has no element with a role%s." % ("" if hidden else " (not hidden)")
        return "Roles on the page (role: name):\n" + "\n".join(lines)

    def _texts_here(self) -> str:
        texts = []
        for el in self._elements():
            text = own_text(el) if _searchable(el) else ""
            if text and '"%s"' % text not in texts:
                texts.append('"%s"' % text)
        if not texts:
            return "The page has no text."
        return (
            "Texts on the page (each element's own text; a text split over several "
            "elements can be matched by a function of the text):\n  " + "\n  ".join(texts)
        )

    def _labels_here(self) -> str:
        labels = []
        for el in self._elements():
            if el.tag == "label" and el.namespace == "":
                labels.append('<label> "%s"' % label_text(el))
            if "aria-label" in el.attributes:
                text = normalize(el.attributes["aria-label"])
                labels.append('aria-label "%s" on <%s>' % (text, el.tag))
            if "aria-labelledby" in el.attributes:
                labels.append('aria-labelledby "%s" on <%s>' % (labelledby_text(el), el.tag))
        if not labels:
            return "The page has no labels."
        return "Labels on the page:\n  " + "\n  ".join(labels)

    def _test_ids_here(self) -> str:
        ids = []
        for el in self._elements():
            if TEST_ID in el.attributes:
                ids.append('"%s"' % el.attributes[TEST_ID])
        if not ids:
            return "The page has no element with a %s." % TEST_ID
        return "Test ids on the page: " + ", ".join(ids)


class Search:
    """What one query found, and how to say so when it is not what was wanted."""

    __slots__ = ("found", "here", "plural", "queries", "what")

    def __init__(
        self,
        queries: Queries,
        found: list[Element],
        what: str,
        plural: str,
        here: Callable[[], str],
    ) -> None:
        self.queries = queries
        self.found = found
        self.what = what  # 'the role "button" and the name "Save"'
        self.plural = plural  # the query that returns them all
        self.here = here  # what the page has instead

    def none(self) -> str:
        return "Unable to find an element with %s.\n\n%s\n\n%s" % (
            self.what,
            self.here(),
            pretty(self.queries.root),
        )

    def several(self) -> str:
        shown = "\n".join(["  " + short(el) for el in self.found[:10]])
        if len(self.found) > 10:
            shown += "\n  ... and %d more" % (len(self.found) - 10)
        return (
            "Found %d elements with %s:\n%s\n\nUse %s() to get them all, or narrow the "
            "query (a name, `within(...)` a part of the page) to get one."
            % (len(self.found), self.what, shown, self.plural)
        )


# ---------------------------------------------------------------------------- matching


def matcher(expected: Any, exact: bool) -> Callable[[str], bool]:
    """A test of a (normalised) text: see this module's docstring."""
    if isinstance(expected, str):
        want = normalize(expected)
        if exact:
            return lambda text: text == want
        want = want.lower()
        return lambda text: want in text.lower()
    search = getattr(expected, "search", None)
    if search is not None:
        return lambda text: search(text) is not None
    if callable(expected):
        return lambda text: bool(expected(text))
    raise TypeError(
        "cannot match text against %r: give a str, a compiled regular expression, "
        "or a function of the text returning a bool" % (expected,)
    )


def describe(expected: Any) -> str:
    if isinstance(expected, str):
        return '"%s"' % expected
    pattern = getattr(expected, "pattern", None)
    if pattern is not None:
        return "matching /%s/" % pattern
    return "accepted by %s" % getattr(expected, "__name__", repr(expected))


def own_text(el: Element) -> str:
    """The element's text children joined, normalised (a button-like input: its value)."""
    if el.namespace == "" and el.tag == "input":
        if el.attributes.get("type", "").lower() in ("submit", "button", "reset"):
            return normalize(str(el.value))
        return ""
    return normalize("".join([c.data for c in el.children if isinstance(c, Text)]))


def _labelled_by_attribute(el: Element, match: Callable[[str], bool]) -> bool:
    attributes = el.attributes
    if "aria-labelledby" in attributes and match(labelledby_text(el)):
        return True
    return "aria-label" in attributes and match(normalize(attributes["aria-label"]))


def _searchable(el: Element) -> bool:
    node: Node | None = el
    while isinstance(node, Element):
        if node.namespace == "" and node.tag in UNRENDERED:
            return False
        node = node.parent
    return True


def _checked(el: Element) -> bool | None:
    aria = el.attributes.get("aria-checked")
    if aria is not None:
        return aria == "true"
    if el.namespace == "" and el.tag == "input":
        return el.checked
    return None


# ---------------------------------------------------------------------------- printing


def short(el: Element, limit: int = 60) -> str:
    """An element on one line: its start tag and (a little of) its text."""
    text = normalize(el.text)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    if el.namespace == "" and el.tag in VOID_ELEMENTS:
        return repr(el)
    return "%r%s</%s>" % (el, text, el.tag)


def pretty(node: Node, limit: int = DEBUG_LINES) -> str:
    """`node` as indented HTML, one element or text per line, comments left out, cut
    after `limit` lines."""
    lines: list[str] = []
    _pretty(node, 0, lines)
    if len(lines) > limit:
        lines = lines[:limit] + ["... (%d more lines)" % (len(lines) - limit)]
    return "\n".join(lines)


def _pretty(node: Node, depth: int, lines: list[str]) -> None:
    indent = "  " * depth
    if not isinstance(node, Element):
        for child in node.children:
            _pretty(child, depth, lines)
        return
    elements = [child for child in node.children if isinstance(child, Element)]
    if not elements:  # on one line: <button>Save</button>, <input>
        lines.append(indent + short(node))
        return
    lines.append(indent + repr(node))
    texts: list[str] = []  # adjacent text nodes (split by markers) make one line
    for child in node.children:
        if isinstance(child, Text):
            texts.append(child.data)
        elif isinstance(child, Element):
            _flush_text(texts, indent + "  ", lines)
            _pretty(child, depth + 1, lines)
    _flush_text(texts, indent + "  ", lines)
    lines.append(indent + "</%s>" % node.tag)


def _flush_text(texts: list[str], indent: str, lines: list[str]) -> None:
    text = normalize("".join(texts))
    if text:
        lines.append(indent + text)
    del texts[:]
