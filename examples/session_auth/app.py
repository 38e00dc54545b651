"""Accounts and sessions, in the manner of Leptos' session_auth_axum: sign up, log
in, log out, and a todo list for each account.

    /          the account's todos (only when logged in, else /login)
    /login     the login form (only when logged out, else /)
    /signup    the signup form (only when logged out, else /)

Who is logged in is a resource, asked of the server again after every login, signup
and logout. The routes follow it: a login sends the visitor from /login to the
todos, a logout from the todos to /login, in the page (with JavaScript) or by a
redirect from the server (without it). Pages render once it is known (`ssr =
"async"`), so the server answers a protected page with a 302 before its first byte.
"""

from auth import current_user, log_in, log_out, sign_up
from todos import add_todo, delete_todo, list_todos

from lepta import (
    A,
    ActionForm,
    Effect,
    For,
    MultiActionForm,
    ProtectedRoute,
    Resource,
    Router,
    Routes,
    RwSignal,
    ServerAction,
    ServerMultiAction,
    Show,
    Transition,
    component,
)
from lepta.html import button, div, h1, header, input, label, li, main, nav, p, section, span, ul
from lepta.meta import Title


@component
def App():
    login = ServerAction(log_in)
    signup = ServerAction(sign_up)
    logout = ServerAction(log_out)
    # None until the first answer, then {"username": ...}, or {} when logged out.
    account = Resource(
        lambda: (login.version(), signup.version(), logout.version()), lambda _: current_user()
    )

    def username():
        return (account() or {}).get("username")

    def logged_in():
        return username() is not None

    def logged_out():
        return username() is None

    return Router(
        Title(formatter="%s — Session auth"),
        Transition(
            Show(
                when=lambda: account() is not None,
                children=lambda: [
                    header(Nav(username=username, logout=logout)),
                    main(
                        Routes(
                            ProtectedRoute("/", Todos, logged_in, "/login"),
                            ProtectedRoute("/login", lambda: Login(action=login), logged_out, "/"),
                            ProtectedRoute(
                                "/signup", lambda: Signup(action=signup), logged_out, "/"
                            ),
                            fallback=NotFound,
                        )
                    ),
                ],
            ),
            fallback=p("Loading...", class_="loading"),
        ),
    )


@component
def Nav(username, logout):
    return nav(
        A("Todos", href="/", class_="brand"),
        Show(
            when=lambda: username() is not None,
            children=lambda: [
                span("Logged in as ", span(username, id="username"), id="user"),
                ActionForm(logout, button("Log out", type="submit"), id="logout"),
            ],
            fallback=lambda: [
                A("Log in", href="/login", id="to-login"),
                A("Sign up", href="/signup", id="to-signup"),
            ],
        ),
    )


@component
def Login(action):
    return section(
        Title("Log in"),
        h1("Log in"),
        ActionForm(
            action,
            label("Username", input(name="username", value=action.form_value("username"),
                                    autocomplete="username", required=True)),
            label("Password", input(name="password", type="password",
                                    autocomplete="current-password", required=True)),
            button("Log in", type="submit"),
            id="login",
            class_="account",
        ),
        p(lambda: error_text(action), class_="error", id="login-error"),
        p("No account yet? ", A("Sign up", href="/signup")),
    )


@component
def Signup(action):
    return section(
        Title("Sign up"),
        h1("Sign up"),
        ActionForm(
            action,
            label("Username", input(name="username", value=action.form_value("username"),
                                    autocomplete="username", required=True)),
            label("Password", input(name="password", type="password",
                                    autocomplete="new-password", required=True)),
            label("Password again", input(name="password_confirmation", type="password",
                                          autocomplete="new-password", required=True)),
            button("Sign up", type="submit"),
            id="signup",
            class_="account",
        ),
        p(lambda: error_text(action), class_="error", id="signup-error"),
        p("Have an account? ", A("Log in", href="/login")),
    )


@component
def Todos():
    add = ServerAction(add_todo)
    remove = ServerMultiAction(delete_todo)
    # Read again after every completed add or remove.
    todos = Resource(lambda: (add.version(), remove.version()), lambda _: list_todos())
    title = RwSignal(add.form_value("title"))

    def clear_after_adding():
        if add.version() and add.error() is None:
            title.set("")

    Effect(clear_after_adding)

    def row(todo):
        return li(
            span(todo["title"], class_="title"),
            MultiActionForm(
                remove,
                input(type="hidden", name="id", value=str(todo["id"])),
                button("Remove", type="submit"),
            ),
        )

    return section(
        Title("Todos"),
        h1("Your todos"),
        ActionForm(
            add,
            input(name="title", placeholder="What needs doing?", bind_value=title),
            button("Add", type="submit"),
            id="add",
        ),
        p(lambda: error_text(add), class_="error", id="error"),
        Transition(
            fallback=p("Loading..."),
            children=div(
                ul(For(each=lambda: todos() or [], key=lambda t: t["id"], children=row), id="todos")
            ),
        ),
    )


@component
def NotFound():
    return section(Title("Not Found"), h1("Not Found"))


def error_text(action):
    error = action.error()
    return "" if error is None else str(error)
