"""Components: functions that build a piece of UI once, under their own owner.

    @component
    def Counter(initial: int = 0, step: int = 1):
        value, set_value = signal(initial)
        return div(button("+", on_click=lambda ev: set_value.update(lambda v: v + step)),
                   span("Value: ", value))

    Counter(initial=3)   # a ComponentCall: the function runs when it is rendered

Calling a component does not run it: it returns a `ComponentCall` that a renderer
runs once, untracked, under a new owner that is a child of the owner rendering it.
So children passed to a component are built inside it (where its context is
visible), and a component that is never rendered costs nothing.
"""

from __future__ import annotations

from typing import Any, Callable

from ..reactive import LeptaError, OnceResource, _core
from ..reactive._core import _Scope
from ..reactive._errors import lepta_error_and


class ComponentError(LeptaError):
    """An exception raised inside a component, with the chain of components around it.

    `.chain` lists the component names from the root (`["App", "TodoList", "TodoItem"]`)
    and `.error` is the original exception (also its `__cause__`).
    """

    def __init__(self, error: BaseException, chain: list[str]) -> None:
        super().__init__(error)
        self.error = error
        self.chain = chain

    def __str__(self) -> str:
        return "%s: %s\n  in %s" % (type(self.error).__name__, self.error, " > ".join(self.chain))


class Component:
    """A function marked with `@component`; calling it returns a ComponentCall."""

    __slots__ = ("__name__", "compiled", "direct", "fn", "is_async")

    def __init__(self, fn: Callable[..., Any]) -> None:
        self.fn = fn
        self.__name__ = getattr(fn, "__name__", "component")
        self.is_async = _is_async(fn)  # None: cannot tell (MicroPython)
        # Filled in by the server renderer: the function with its static parts
        # compiled to strings (see lepta.ssr), or the function itself.
        self.compiled: Callable[..., Any] | None = None
        self.direct = False  # whether `compiled` takes the renderer and renders itself

    def __call__(self, *children: Any, **props: Any) -> ComponentCall:
        # ComponentCall(self, props, children) without running its __init__: a page
        # makes one of these for each component it uses as written.
        call: ComponentCall = _new(ComponentCall)
        call.component = self
        call.props = props
        call.children = children
        call._parent = call._owned = call._cleanups = call._contexts = None
        return call

    def __repr__(self) -> str:
        return "<component %s>" % self.__name__


_new = object.__new__


class ComponentCall(_Scope):
    """One use of a component, and (while it renders) the owner of what it creates.

    The owner is this node itself, so a component that creates nothing reactive
    costs no extra object; renderers attach it to the owner tree when it owns
    something.
    """

    __slots__ = ("children", "component", "props")
    _is_owner = False

    def __init__(self, comp: Component, props: dict[str, Any], children: tuple[Any, ...]) -> None:
        self.component = comp
        self.props = props
        self.children = children
        self._parent = None
        self._owned = None
        self._cleanups = None
        self._contexts = None

    def _dispose(self, detach: bool = True) -> None:
        self._reset()
        # A call is often a child of its parent's call (`Router(Routes(...))`): with
        # the link up cut, neither keeps the other, and a page's calls are freed as
        # soon as it is done, without waiting for the garbage collector.
        self._parent = None

    def __repr__(self) -> str:
        return "<%s(...)>" % self.component.__name__


class InvalidChildError(lepta_error_and(TypeError)):  # type: ignore[misc]
    """A value that cannot be rendered was given as a child (a LeptaError; also a
    TypeError on CPython)."""


def invalid_child(value: Any) -> InvalidChildError:
    """The error for a child no renderer can render, naming it and the components."""
    return InvalidChildError(
        "cannot render %r (a %s) as a child%s. A child must be text, a number, an "
        "element, a component, a list of those, None, or a callable returning one."
        % (value, type(value).__name__, where())
    )


def where() -> str:
    """` in App > TodoList` for messages: the components around what runs now."""
    chain = component_chain(_core.current_scope())
    return " in %s" % " > ".join(chain) if chain else ""


def component_chain(scope: Any) -> list[str]:
    """The names of the components from the root down to `scope`."""
    names = []
    while scope is not None:
        if type(scope) is ComponentCall:
            names.append(scope.component.__name__)
        scope = scope._parent
    names.reverse()
    return names


def raise_component_error(error: BaseException, chain: list[str]) -> None:
    """Raise a ComponentError for `error` raised inside the components `chain`."""
    wrapped = ComponentError(error, chain)
    if _CHAINING:
        raise wrapped from error
    raise wrapped  # MicroPython warns on `from`; the error is kept in .error


_CHAINING = hasattr(BaseException, "__cause__")


def component(fn: Callable[..., Any]) -> Component:
    """Mark `fn` as a component: it runs once per use, under its own owner.

    Props are keyword arguments; positional children are passed as the `children`
    prop (a tuple of views).

    An `async def` component may await (data, a server function) before returning its
    view; render it inside a Suspense, which shows its fallback until then:

        @component
        async def UserName(user_id: int):
            user = await fetch_user(user_id)
            return span(user.name)
    """
    return Component(fn)


def call_component(call: ComponentCall, fn: Callable[..., Any], *first: Any) -> Any:
    """Run the component's function with `first` arguments, then its props and children.

    An async component's coroutine becomes a view that shows its result once it is
    there (and nothing before: a Suspense around it shows its fallback meanwhile)."""
    if call.children:
        result = fn(*first, children=call.children, **call.props)
    else:
        result = fn(*first, **call.props)
    is_async = call.component.is_async
    if is_async or (is_async is None and type(result).__name__ == "generator"):
        return suspend(result)
    return result


def suspend(coro: Any) -> Callable[[], Any]:
    """A view of what `coro` returns, once it has returned (None until then)."""
    result = OnceResource(coro)
    return result.get


def _is_async(fn: Callable[..., Any]) -> bool | None:
    """Whether `fn` is an `async def` function; None where that cannot be known.

    MicroPython's async functions are generator functions: there, a component that
    returns a generator is taken for an async one (return lists, not generators).
    """
    import sys

    if sys.implementation.name == "micropython":
        return None
    import inspect

    return inspect.iscoroutinefunction(fn)
