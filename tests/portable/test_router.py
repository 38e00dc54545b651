"""The router in memory: matching, nested levels, params, query, links, redirects."""

from _support import raises, render

from lepta import component, flush, provide_context
from lepta.dom import mount_to_body
from lepta.html import div, h1, h2, input, nav, p, span
from lepta.reactive import Effect, Owner, on_cleanup, signal, use_context
from lepta.router import (
    A,
    Form,
    Outlet,
    ParentRoute,
    ProtectedRoute,
    Redirect,
    Route,
    RouteConflictError,
    Router,
    RouterState,
    Routes,
    RouteTable,
    query_signal,
    use_location,
    use_navigate,
    use_params,
    use_query,
)
from lepta.testing import MemoryDOM
from lepta.view import Location


class Runs:
    def __init__(self):
        self.log = []

    def __call__(self, name):
        self.log.append(name)


def app_at(path, routes_fn, query=""):
    """Mount a Router with `routes_fn()` inside at `path`; the DOM and the router."""
    dom = MemoryDOM()
    found = []

    @component
    def Grab():
        found.append(use_context(RouterState))
        return None

    def view():
        provide_context(Location(path, query))
        return Router(Grab(), routes_fn())

    mount_to_body(view, renderer=dom)
    return dom, found[0]


def go(router, to, **options):
    handled = router.navigate(to, **options)
    flush()
    return handled


def test_the_most_specific_route_wins_whatever_the_declaration_order():
    table = RouteTable(
        (
            Route("/*rest", lambda: "any"),
            Route("/users/:id", lambda: "user"),
            Route("/users/new", lambda: "new"),
            Route("/users/:id?/edit", lambda: "edit"),
            Route("/", lambda: "home"),
        )
    )
    cases = {
        "/users/new": "/users/new",
        "/users/7": "/users/:id",
        "/users/7/edit": "/users/:id?/edit",
        "/users/edit": "/users/:id",  # a parameter ranks above an optional one
        "/": "/",
        "/elsewhere/deep": "/*rest",
    }
    for path, pattern in cases.items():
        branch, _ = table.match(path)
        assert branch.pattern.pattern == pattern, (path, branch)


def test_two_routes_no_path_can_tell_apart_are_an_error_naming_both():
    with raises(RouteConflictError, "'/users/:id' and '/users/:name'"):
        RouteTable((Route("/users/:id", lambda: 1), Route("/users/:name", lambda: 2)))
    with raises(RouteConflictError, "'/a/:x' and '/a/:y'"):
        RouteTable(
            (ParentRoute("/a", lambda: 1, Route(":x", lambda: 2)), Route("/a/:y", lambda: 3))
        )


def test_child_paths_join_their_parents_and_a_parent_matches_through_its_children():
    table = RouteTable(
        (ParentRoute("/contacts", lambda: 1, Route("", lambda: 2), Route(":id", lambda: 3)),)
    )
    assert [b.pattern.pattern for b in table.branches] == ["/contacts", "/contacts/:id"]
    assert table.match("/contacts/4")[1] == {"id": "4"}
    assert RouteTable((ParentRoute("/x", lambda: 1, Route("y", lambda: 2)),)).match("/x") is None


def test_the_matched_route_renders_and_unmatched_paths_render_the_fallback():
    def routes():
        return Routes(
            Route("/", lambda: h1("Home")),
            Route("/about", lambda: h1("About")),
            fallback=lambda: h1("Not Found"),
        )

    dom, router = app_at("/about", routes)
    assert dom.find("h1").text == "About"
    assert go(router, "/nowhere")
    assert dom.find("h1").text == "Not Found"
    go(router, "/")
    assert dom.find("h1").text == "Home"


def test_navigating_between_children_reruns_the_child_only_and_the_parent_keeps_its_state():
    runs = Runs()

    @component
    def Parent():
        runs("parent")
        count, set_count = signal(0)
        provide_context(set_count)
        return div(span(count, id="count"), Outlet())

    @component
    def One():
        runs("one")
        on_cleanup(lambda: runs("one disposed"))
        return p("one")

    @component
    def Two():
        runs("two")
        return p("two")

    def routes():
        return Routes(ParentRoute("/p", Parent, Route("one", One), Route("two", Two)))

    dom, router = app_at("/p/one", routes)
    assert runs.log == ["parent", "one"]
    go(router, "/p/two")
    assert runs.log == ["parent", "one", "one disposed", "two"]
    assert dom.find("p").text == "two"
    go(router, "/p/one")
    assert runs.log[-1] == "one" and runs.log.count("parent") == 1


def test_a_parameter_change_on_the_same_route_updates_readers_without_rerunning_the_view():
    runs = Runs()

    @component
    def User():
        runs("user")
        params = use_params()
        return h2(lambda: "user %s" % params.get("id", int), id="name")

    dom, router = app_at("/users/3", lambda: Routes(Route("/users/:id", User)))
    assert dom.find("h2").text == "user 3"
    go(router, "/users/12")
    assert dom.find("h2").text == "user 12" and runs.log == ["user"]


def test_reading_a_parameter_follows_that_parameter_only():
    reads = Runs()

    @component
    def Pair():
        params = use_params()

        def show_a():
            reads("a")
            return params["a"]

        return div(span(show_a), span(lambda: params["b"]))

    dom, router = app_at("/1/2", lambda: Routes(Route("/:a/:b", Pair)))
    assert reads.log == ["a"]
    go(router, "/1/3")
    assert reads.log == ["a"] and dom.find_all("span")[1].text == "3"
    go(router, "/5/3")
    assert reads.log == ["a", "a"]


def test_a_typed_parameter_that_does_not_convert_reads_as_the_default():
    seen = []

    @component
    def Item():
        seen.append(use_params().get("id", int, default=-1))
        return None

    app_at("/items/abc", lambda: Routes(Route("/items/:id", Item)))
    app_at("/items/42", lambda: Routes(Route("/items/:id", Item)))
    assert seen == [-1, 42]


def test_use_query_reads_parameters_and_query_signal_writes_them_back():
    seen = []

    @component
    def Search():
        query = use_query()
        term, set_term = query_signal("q")
        seen.append(set_term)
        return div(span(lambda: term() or "", id="q"), span(lambda: query.get("page", int, 1)))

    dom, router = app_at(
        "/search", lambda: Routes(Route("/search", Search)), query="q=caf%C3%A9+au+lait"
    )
    assert dom.find("span").text == "café au lait"
    assert dom.find_all("span")[1].text == "1"
    seen[0]("tea & milk")
    flush()
    assert router.query.get_untracked() == "q=tea+%26+milk"
    assert dom.find("span").text == "tea & milk"
    go(router, "/search?page=3")
    assert dom.find_all("span")[1].text == "3" and dom.find("span").text == ""


def test_the_querys_pairs_first_read_after_navigating_follow_the_address_from_then_on():
    _, router = app_at("/list", lambda: Routes(Route("/list", lambda: None)), query="a=1")
    go(router, "/list?a=2")  # before anything has read the pairs
    seen = []
    reader = Owner()
    with reader:
        Effect(lambda: seen.append(router.pairs()))
    flush()
    go(router, "/list?a=3&b=4")
    assert seen == [[("a", "2")], [("a", "3"), ("b", "4")]]
    reader.dispose()


def test_links_carry_aria_current_on_the_current_page_exactly_or_by_prefix():
    def routes():
        return [
            nav(
                A("Home", href="/", id="home"),
                A("Contacts", href="/contacts", id="contacts"),
                A("Exact", href="/contacts", exact=True, id="exact"),
            ),
            Routes(Route("/", lambda: None), Route("/contacts/*rest", lambda: None)),
        ]

    dom, router = app_at("/contacts/3", routes)

    def current(id):
        return dom.find("a", id=id).get_attribute("aria-current")

    assert (current("home"), current("contacts"), current("exact")) == (None, "page", None)
    go(router, "/contacts")
    assert (current("home"), current("contacts"), current("exact")) == (None, "page", "page")
    go(router, "/")
    assert (current("home"), current("contacts"), current("exact")) == ("page", None, None)


def test_a_link_with_a_query_is_current_only_with_that_query():
    dom, router = app_at(
        "/top", lambda: [A("2", href="/top?page=2"), Routes(Route("/top", lambda: None))]
    )
    assert dom.find("a").get_attribute("aria-current") is None
    go(router, "/top?page=2")
    assert dom.find("a").get_attribute("aria-current") == "page"


def test_relative_and_query_only_navigation_resolve_against_the_current_path():
    _, router = app_at("/contacts/3", lambda: Routes(Route("/*any", lambda: None)))
    go(router, "edit")
    assert router.path.get_untracked() == "/contacts/edit"
    go(router, "../about/")
    assert router.path.get_untracked() == "/about"  # canonical: no trailing slash
    go(router, "?page=2")
    assert (router.path.get_untracked(), router.query.get_untracked()) == ("/about", "page=2")
    go(router, "#top")
    assert router.hash.get_untracked() == "top" and router.query.get_untracked() == "page=2"


def test_a_router_base_prefixes_routes_and_links():
    dom = MemoryDOM()

    def view():
        provide_context(Location("/app/users"))
        return Router(
            A("Users", href="/users"), Routes(Route("/users", lambda: h1("Users"))), base="/app"
        )

    mount_to_body(view, renderer=dom)
    assert dom.find("a").get_attribute("href") == "/app/users"
    assert dom.find("a").get_attribute("aria-current") == "page"
    assert dom.find("h1").text == "Users"


def test_a_protected_route_redirects_until_its_condition_holds():
    logged_in, set_logged_in = signal(False)

    def routes():
        return Routes(
            ProtectedRoute("/settings", lambda: h1("Settings"), logged_in, "/login"),
            Route("/login", lambda: h1("Login")),
        )

    dom, router = app_at("/settings", routes)
    flush()
    assert router.path.get_untracked() == "/login" and dom.find("h1").text == "Login"
    set_logged_in(True)
    go(router, "/settings")
    assert dom.find("h1").text == "Settings"
    set_logged_in(False)
    flush()
    flush()
    assert router.path.get_untracked() == "/login"


def test_redirect_replaces_the_page_in_the_browser():
    dom, router = app_at(
        "/",
        lambda: Routes(
            Route("/", lambda: Redirect("/contacts")), Route("/contacts", lambda: h1("Contacts"))
        ),
    )
    flush()
    assert router.path.get_untracked() == "/contacts" and dom.find("h1").text == "Contacts"


def test_use_navigate_and_use_location_follow_the_address():
    seen = []

    @component
    def Here():
        where = use_location()
        seen.append(use_navigate())
        return span(lambda: where.path + "?" + where.query)

    dom, router = app_at("/a", lambda: [Here(), Routes(Route("/*x", lambda: None))])
    seen[0]("/b?x=1", state={"from": "a"})
    flush()
    assert dom.find("span").text == "/b?x=1" and router.state.get_untracked() == {"from": "a"}


def test_a_get_form_is_marked_for_navigation_and_keeps_its_action():
    html = render(Router(Form(input(name="q"), action="/search")))
    assert 'data-lepta-nav=""' in html and 'action="/search"' in html and 'method="get"' in html


def test_outlet_outside_a_parent_route_and_routes_outside_a_router_say_what_to_do():
    with raises(Exception, "Outlet() must be inside"):
        render(Outlet())
    with raises(Exception, "must be inside a Router"):
        render(Routes(Route("/", lambda: None)))


def test_a_disposed_routes_no_longer_decides_what_navigation_matches():
    shown, set_shown = signal(True)
    routes = Routes(Route("/a", lambda: None))
    _, router = app_at("/a", lambda: lambda: routes if shown() else None)
    assert router.routes_match("/a")
    set_shown(False)
    flush()
    assert not router.routes_match("/a")


def test_on_the_server_nested_routes_and_params_render_from_the_address_when_read():
    from lepta.ssr import render_to_string

    @component
    def Users():
        return div(h1("Users"), Outlet())

    @component
    def User():
        params = use_params()
        return h2(lambda: "user %s %d" % (params["id"], params.get("id", int) + 1))

    @component
    def Elsewhere():
        # A navigation made while the page renders, before the routes read the address.
        use_context(RouterState).navigate("/users/7")
        return None

    def page(path, first=None):
        def view():
            provide_context(Location(path, ""))
            return Router(
                first,
                Routes(
                    ParentRoute("/users", Users, Route("", lambda: p("none")), Route(":id", User)),
                    fallback=lambda: p("not found"),
                ),
            )

        return render_to_string(view)

    assert "<h1>Users</h1><h2>user 3 4</h2>" in page("/users/3")
    assert "<h1>Users</h1><p>none</p>" in page("/users")
    assert "<p>not found</p>" in page("/nowhere")
    assert "<h2>user 7 8</h2>" in page("/nowhere", Elsewhere())


class RouterBridge:
    """The loader's router functions, recording what the Router asks of the page."""

    def __init__(self):
        self.navigate = None
        self.asked = []

    def connect(self, navigate, pop):
        self.navigate = navigate

    def push(self, url, replace, state):
        self.asked.append(("push", url))

    def load(self, url):
        self.asked.append(("load", url))

    def scrollSoon(self, hash_):
        pass


def test_a_link_to_no_route_of_the_app_is_left_to_the_browser_alone():
    from lepta.dom import _browser, _js

    bridge = RouterBridge()

    class Js:
        class leptaBridge:
            router = bridge

    saved_js, saved_page = _js._found[:], _browser._page[:]
    _js._found[:] = [Js]
    _browser._page[:] = []
    try:
        app_at("/a", lambda: Routes(Route("/a", lambda: h1("A")), Route("/b", lambda: h1("B"))))
        # A link's click: the app's own page in place; any other the browser loads by
        # following the link itself (one navigation, not a second one on top).
        assert bridge.navigate("/b", "", "") is True
        assert bridge.navigate("/elsewhere", "", "") is False
        assert bridge.asked == [("push", "/b")]
    finally:
        _js._found[:] = saved_js
        _browser._page[:] = saved_page
