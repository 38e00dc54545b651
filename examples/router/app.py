"""Contacts: a nested router in the manner of Leptos' router example.

    /                     redirects to /contacts
    /contacts             the list (nav#contacts) and "Select a contact"
    /contacts/:id         the list, and the contact beside it (h2#name, p#email)
    /contacts/:id/edit    the list, and a form to edit the contact's name
    /about                a page of its own
    /settings             only when logged in (the checkbox on /login); else /login
    anything else         "Not Found", status 404

The contacts come from server functions, each answer 100 ms late, as a database
across a network would. The contact pages stream in order, so the list is in the
HTML itself and every link works without JavaScript. Moving from one contact to
the next re-renders the contact only: the list stays, as does its search box's text.
"""

import asyncio

from lepta import (
    A,
    Outlet,
    ParentRoute,
    ProtectedRoute,
    Redirect,
    Resource,
    Route,
    Router,
    Routes,
    Suspense,
    Transition,
    component,
    event_target_checked,
    event_target_value,
    provide_context,
    signal,
    use_context,
    use_params,
)
from lepta.html import div, h1, h2, header, input, label, main, nav, p, section, span
from lepta.meta import Title
from lepta.server_fn import server

NAMES = [
    "Ada Lovelace", "Alan Turing", "Grace Hopper", "Edsger Dijkstra", "Barbara Liskov",
    "Donald Knuth", "Margaret Hamilton", "John McCarthy", "Frances Allen", "Ken Thompson",
    "Radia Perlman", "Dennis Ritchie", "Shafi Goldwasser", "Tony Hoare", "Adele Goldberg",
    "Niklaus Wirth", "Karen Sparck Jones", "Leslie Lamport", "Sophie Wilson", "Guido van Rossum",
]  # fmt: skip
CONTACTS = [
    {"id": i + 1, "name": name, "email": name.lower().replace(" ", ".") + "@example.org"}
    for i, name in enumerate(NAMES)
]


@server
async def list_contacts() -> list[dict]:
    await asyncio.sleep(0.1)
    return [{"id": c["id"], "name": c["name"]} for c in CONTACTS]


@server
async def get_contact(id: int) -> dict | None:
    await asyncio.sleep(0.1)
    for contact in CONTACTS:
        if contact["id"] == id:
            return contact
    return None


class LoggedIn:
    """The visitor's "logged in" switch (a signal pair), shared through context."""

    def __init__(self):
        self.get, self.set = signal(False)


@component
def ContactList():
    contacts = Resource("contacts", lambda _: list_contacts())
    query, set_query = signal("")

    def shown():
        wanted = query().lower()
        return [
            A(c["name"], href="/contacts/%d" % c["id"])
            for c in contacts() or []
            if wanted in c["name"].lower()
        ]

    return div(
        section(
            input(
                type="search",
                placeholder="Search",
                id="search",
                aria_label="Search contacts",
                on_input=lambda ev: set_query(event_target_value(ev)),
            ),
            Suspense(nav(shown, id="contacts"), fallback=p("Loading contacts...")),
            class_="list",
        ),
        section(Outlet(), class_="detail"),
        class_="contacts",
    )


@component
def NoContact():
    return p("Select a contact", class_="empty")


def contact_card(show):
    """The contact of the address's `:id`, loaded, shown by `show(contact)`; the
    previous one stays on screen while the next loads."""
    params = use_params()
    contact = Resource(lambda: params.get("id", int), get_contact)

    def view():
        found = contact()
        if found is None:
            return p("No such contact", class_="empty")
        return show(found)

    return Transition(div(view, class_="card"), fallback=p("Loading...", class_="loading"))


@component
def ContactInfo():
    return contact_card(
        lambda found: [
            Title(found["name"]),
            h2(found["name"], id="name"),
            p(found["email"], id="email"),
            A("Edit", href="/contacts/%d/edit" % found["id"], id="edit"),
        ]
    )


@component
def EditContact():
    return contact_card(
        lambda found: [
            Title("Edit " + found["name"]),
            h2("Edit ", found["name"], id="name"),
            label("Name ", input(value=found["name"], id="edit-name")),
            A("Done", href="/contacts/%d" % found["id"]),
        ]
    )


@component
def About():
    return section(
        Title("About"), h1("About"), p("A contact list with nested routes."), class_="page"
    )


@component
def Login():
    logged_in = use_context(LoggedIn)
    return section(
        Title("Log in"),
        h1("Log in"),
        label(
            input(
                type="checkbox",
                id="logged-in",
                checked=logged_in.get,
                on_change=lambda ev: logged_in.set(event_target_checked(ev)),
            ),
            " Logged in",
        ),
        class_="page",
    )


@component
def Settings():
    return section(
        Title("Settings"), h1("Settings"), p("Only for those logged in."), class_="page"
    )


@component
def NotFound():
    return section(
        Title("Not Found"), h1("Not Found"), p("Nothing lives at this address."), class_="page"
    )


@component
def App():
    logged_in = LoggedIn()
    provide_context(logged_in)
    return Router(
        Title(formatter="%s — Contacts"),  # each page's title, then the app's name
        header(
            nav(
                A("Contacts", href="/contacts"),
                A("About", href="/about"),
                A("Settings", href="/settings"),
                A("Log in", href="/login"),
                span(lambda: "logged in" if logged_in.get() else "", id="status"),
            )
        ),
        main(
            Routes(
                Route("/", lambda: Redirect("/contacts")),
                ParentRoute(
                    "/contacts",
                    ContactList,
                    Route("", NoContact),
                    Route(":id", ContactInfo),
                    Route(":id/edit", EditContact),
                    ssr="in_order",  # the list comes in the HTML: links work without JS
                ),
                Route("/about", About),
                Route("/login", Login),
                ProtectedRoute("/settings", Settings, logged_in.get, "/login"),
                fallback=NotFound,
            )
        ),
    )
