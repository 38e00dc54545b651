"""Server actions and the forms that dispatch them, with or without JavaScript.

    add = ServerAction(add_todo)
    ActionForm(add, input(name="title"), button("Add"))

`ActionForm` renders `<form method="post" action="/_lepta/fn/app.add_todo">`. In the
browser, submitting it dispatches the action with the form's fields (nested names
such as `todo[title]` become nested arguments): no page load. Without JavaScript the
browser posts the same form: on success the server answers 303 back to the page; on
an error it renders that page again with the action holding the error, and
`action.form_value(name)` giving what was typed, for the fields to show again:

    ActionForm(add, input(name="title", value=add.form_value("title")), button("Add"))
"""

from __future__ import annotations

import json
from typing import Any

from ..html import form, input
from ..reactive import Action, MultiAction, use_context
from ..view import Element
from ._errors import ServerFnDefinitionError
from ._form import nest
from ._function import ServerFunction
from ._request import mount_base
from ._submission import PAGE_FIELD, FormSubmission


class _FormActionMixin:
    """What server actions share: the function, and the failed form post (sent
    without JavaScript) that the page being rendered again shows."""

    def _bind(self, function: ServerFunction) -> None:
        _check_postable(function)
        self.function = function
        self.form_values, self.failed = _failed_post(function)

    def form_value(self, name: str, default: str = "") -> str:
        """What field `name` held in the failed form post this page shows again (sent
        without JavaScript), or `default`. Nested names work: "todo[title]"."""
        return _form_value(self.form_values, name, default)


# (Not Action[...]: MicroPython cannot subscript classes at run time.)
class ServerAction(_FormActionMixin, Action):  # type: ignore[type-arg]
    """An Action whose dispatch calls server function `function` with a dict of
    arguments: `dispatch({"title": "Milk"})`. Reads as an Action: `input()`,
    `value()`, `error()`, `pending()`, `version()`.

        add = ServerAction(add_todo)
        todos = Resource(add.version, lambda _: list_todos())   # refetch after each add
    """

    def __init__(self, function: ServerFunction) -> None:
        self._bind(function)
        super().__init__(lambda arguments: function(**arguments))

    def error(self) -> Exception | None:
        """The exception of the latest completed dispatch (or of the form post the
        page was rendered again for), or None when it succeeded (tracked)."""
        error = super().error()
        if error is None and self.failed is not None and not self.version():
            return self.failed
        return error


class ServerMultiAction(_FormActionMixin, MultiAction):  # type: ignore[type-arg]
    """A MultiAction whose dispatches call server function `function`, each a
    Submission of its own; `failed` is the error of a failed form post."""

    def __init__(self, function: ServerFunction) -> None:
        self._bind(function)
        super().__init__(lambda arguments: function(**arguments))


def _failed_post(function: ServerFunction) -> tuple[dict[str, Any] | None, Exception | None]:
    """The values and error of the failed form post to `function` that the page being
    rendered shows again, if it is one."""
    submission = use_context(FormSubmission)
    if submission is None or submission.endpoint != function.endpoint:
        return None, None
    return submission.values, submission.error


def ActionForm(action: ServerAction, *children: Any, **attrs: Any) -> Element:
    """A `<form>` posting to `action`'s server function; dispatches it in the browser.

        ActionForm(add, input(name="title"), button("Add"), class_="new-todo")
    """
    return _form(action, children, attrs)


def MultiActionForm(action: ServerMultiAction, *children: Any, **attrs: Any) -> Element:
    """Like ActionForm, for a ServerMultiAction: each submit is one more submission."""
    return _form(action, children, attrs)


def _form(action: Any, children: tuple[Any, ...], attrs: dict[str, Any]) -> Element:
    def submit(ev: Any) -> None:
        _prevent_default(ev)
        fields = nest(form_pairs(ev))
        fields.pop(PAGE_FIELD, None)
        action.dispatch(fields)

    # Where the server sends a form posted without JavaScript back to: the page it is
    # on (the Referer would name the endpoint after an error page was rendered there).
    from ..router import use_location  # (under a Router, the address follows navigation)

    here = use_location()
    return form(
        input(
            type="hidden",
            name=PAGE_FIELD,
            value=lambda: here.path + ("?" + here.query if here.query else ""),
        ),
        *children,
        method="post",
        action=mount_base() + action.function.endpoint,
        on_submit=submit,
        **attrs,
    )


def _check_postable(function: Any) -> None:
    if not isinstance(function, ServerFunction):
        raise ServerFnDefinitionError(
            "a server action takes a @server function, not %r" % (function,)
        )
    if function.method != "POST":
        raise ServerFnDefinitionError(
            "%s is a GET server function: forms and actions post; declare it with "
            "@server (POST)" % function.name
        )


def _prevent_default(ev: Any) -> None:
    prevent = getattr(ev, "preventDefault", None) or getattr(ev, "prevent_default", None)
    if prevent is not None:
        prevent()


def form_pairs(ev: Any) -> list[tuple[str, str]]:
    """The (name, value) pairs a submit event's form would post, the button pressed
    included."""
    target = ev.target
    submitter = getattr(ev, "submitter", None)
    try:
        import js  # type: ignore[import-not-found]

        bridge = js.leptaBridge
    except (ImportError, AttributeError):  # the in-memory DOM (tests)
        return _memory_pairs(target, submitter)
    return [(str(k), str(v)) for k, v in json.loads(str(bridge.formPairs(target, submitter)))]


def _memory_pairs(node: Any, submitter: Any) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for child in getattr(node, "children", ()):
        tag = getattr(child, "tag", None)
        name = child.get_attribute("name") if tag else None
        if name and tag in ("input", "textarea", "select"):
            kind = child.get_attribute("type") or ""
            if kind in ("submit", "button"):
                if child is submitter:
                    pairs.append((name, child.get_attribute("value") or ""))
            elif kind not in ("checkbox", "radio") or child.get_attribute("checked") is not None:
                value = child.value
                pairs.append((name, "" if value is None else str(value)))
        elif name and tag == "button" and child is submitter:
            pairs.append((name, child.get_attribute("value") or ""))
        pairs.extend(_memory_pairs(child, submitter))
    return pairs


def _form_value(values: dict[str, Any] | None, name: str, default: str) -> str:
    """The submitted value of field `name` (`todo[title]` looks in values["todo"])."""
    if not values:
        return default
    keys: Any = nest([(name, "")])
    node: Any = values
    while isinstance(keys, dict) and len(keys) == 1:
        key = next(iter(keys))
        if not isinstance(node, dict) or key not in node:
            return default
        node = node[key]
        keys = keys[key]
    return node if isinstance(node, str) else default
