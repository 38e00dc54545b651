"""Route paths: matching (a table of paths), ranking by specificity, conflicts,
generating, and the canonical form."""

from _support import raises

from lepta.router import PathPattern, RouteConflictError, canonical, first_match, ranked

MATCHES = [
    # pattern, path, params (None: no match)
    ("/", "/", {}),
    ("/", "/a", None),
    ("/contacts", "/contacts", {}),
    ("/contacts", "/contacts/", {}),
    ("/contacts", "/Contacts", None),
    ("/contacts/:id", "/contacts/3", {"id": "3"}),
    ("/contacts/:id", "/contacts", None),
    ("/contacts/:id", "/contacts/3/edit", None),
    ("/contacts/:id/edit", "/contacts/3/edit", {"id": "3"}),
    ("/users/:tab?", "/users", {}),
    ("/users/:tab?", "/users/posts", {"tab": "posts"}),
    ("/users/:tab?", "/users/posts/x", None),
    ("/a/:x?/b", "/a/b", {}),
    ("/a/:x?/b", "/a/1/b", {"x": "1"}),
    ("/files/*path", "/files", {"path": ""}),
    ("/files/*path", "/files/a/b/c.txt", {"path": "a/b/c.txt"}),
    ("/*", "/anything/at/all", {"rest": "anything/at/all"}),
    ("/a%2Fb", "/a%2Fb", {}),
    ("/a%2Fb", "/a/b", None),
    ("/p/:name", "/p/caf%C3%A9", {"name": "café"}),
    ("/p/:name", "/p/a%2Fb", {"name": "a/b"}),
    ("/p/:name", "/p/x%20y", {"name": "x y"}),
]


def test_patterns_match_paths_as_the_table_says():
    wrong = []
    for pattern, path, expected in MATCHES:
        got = PathPattern(pattern).match(path)
        if got != expected:
            wrong.append((pattern, path, got, expected))
    assert wrong == []


def test_the_most_specific_route_wins_whatever_the_order():
    table = ["/*", "/contacts/:id", "/contacts/new", "/contacts", "/users/:tab?", "/users"]
    cases = [
        ("/contacts/new", "/contacts/new"),
        ("/contacts/7", "/contacts/:id"),
        ("/contacts", "/contacts"),
        ("/users", "/users"),
        ("/users/posts", "/users/:tab?"),
        ("/elsewhere", "/*"),
    ]
    for order in (table, list(reversed(table))):
        routes = ranked([PathPattern(p) for p in order])
        for path, winner in cases:
            found = first_match(routes, path)
            assert found is not None and found[0].pattern == winner, (path, found)
    order = [p.pattern for p in ranked([PathPattern(p) for p in table])]
    assert order.index("/contacts/new") < order.index("/contacts/:id")
    assert order.index("/users") < order.index("/users/:tab?")
    assert order[-1] == "/*"


def test_two_routes_that_can_never_be_told_apart_are_an_error_naming_both():
    with raises(RouteConflictError, "'/users/:id' and '/users/:name'"):
        ranked([PathPattern("/users/:id"), PathPattern("/users/:name")])
    with raises(RouteConflictError):
        ranked([PathPattern("/files/*a"), PathPattern("/files/*b")])
    ranked([PathPattern("/users/:id"), PathPattern("/users/:id?")])  # these differ


def test_malformed_patterns_are_refused():
    with raises(RouteConflictError, "must start with '/'"):
        PathPattern("contacts")
    with raises(RouteConflictError, "must be the last segment"):
        PathPattern("/*rest/more")
    with raises(RouteConflictError, "not a parameter name"):
        PathPattern("/a/:1x")


def test_a_pattern_generates_the_paths_it_matches():
    assert PathPattern("/contacts/:id/edit").generate({"id": 7}) == "/contacts/7/edit"
    assert PathPattern("/p/:name").generate({"name": "café x/y"}) == "/p/caf%C3%A9%20x%2Fy"
    assert PathPattern("/users/:tab?").generate({}) == "/users"
    assert PathPattern("/files/*path").generate({"path": "a/b c"}) == "/files/a/b%20c"
    for pattern, params in [("/p/:name", {"name": "a/b é"}), ("/f/*path", {"path": "x/y"})]:
        compiled = PathPattern(pattern)
        assert compiled.match(compiled.generate(params)) == params
    with raises(KeyError):
        PathPattern("/contacts/:id").generate({})


def test_the_canonical_path_has_no_trailing_slash():
    assert canonical("/") == "/"
    assert canonical("/contacts/") == "/contacts"
    assert canonical("/contacts//3") == "/contacts/3"
    assert canonical("/contacts") == "/contacts"
