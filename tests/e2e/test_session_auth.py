"""examples/session_auth in Chromium: accounts, sessions in signed cookies, protected
routes and the limit on failed logins, on both runtimes and without JavaScript."""

import itertools

import pytest

from lepta.testing import browser as lepta_browser
from lepta.testing.browser import AppServer

from .conftest import EXAMPLES, Visit, close_and_check

APP = EXAMPLES / "session_auth"
PASSWORD = "correct horse"
# Each runtime with JavaScript, and the MicroPython build with scripts turned off.
MODES = ["micropython", "pyodide", "no-javascript"]
_names = itertools.count(1)


@pytest.fixture(scope="module")
def servers():
    """One server per runtime for the module, each on a database of its own."""
    running = {}

    def url(runtime):
        if runtime not in running:
            running[runtime] = AppServer(APP, runtime)
            running[runtime].start()
        return running[runtime].url

    yield url
    for server in running.values():
        server.stop()


class Visitor:
    """One browser context (one cookie jar) on the app, with or without scripts;
    records console errors, and requests that leave the server."""

    def __init__(self, browser, base, scripts):
        self.visit = Visit(browser, base, scripts)
        self.base = base
        self.scripts = scripts
        self.page = self.visit.page()

    def open(self, path):
        response = self.page.goto(self.base + path)
        if self.scripts:
            lepta_browser.wait_hydrated(self.page)
            self.page.evaluate("window.stayed = true")  # gone if the page loads again
        return response

    def submit(self, form, then):
        """Submit `form` by its button and wait until the address is `then`."""
        self.page.click("%s button[type=submit]" % form)
        self.page.wait_for_url(self.base + then)

    def send(self, form, endpoint):
        """Submit `form` and wait for the server's answer: the server function's
        (with scripts), or the page it sent the browser to (without)."""
        button = "%s button[type=submit]" % form
        if self.scripts:
            with self.page.expect_response(lambda r: r.url.endswith("/_lepta/fn/" + endpoint)):
                self.page.click(button)
        else:
            with self.page.expect_navigation():
                self.page.click(button)

    def stayed(self):
        """Whether the page opened last is still the same document (no page load)."""
        return self.page.evaluate("window.stayed === true")

    def fill(self, form, **fields):
        for name, value in fields.items():
            self.page.fill("%s input[name=%s]" % (form, name), value)

    def sign_up(self, username, password=PASSWORD):
        self.open("/signup")
        self.fill("#signup", username=username, password=password,
                  password_confirmation=password)
        self.submit("#signup", then="/")
        self.page.wait_for_selector("#username:text('%s')" % username)

    def log_in(self, username, password=PASSWORD):
        self.fill("#login", username=username, password=password)
        self.send("#login", "auth.log_in")

    def log_out(self):
        self.submit("#logout", then="/login")
        self.page.wait_for_selector("#login")

    def add_todo(self, title):
        count = len(self.titles())
        self.fill("#add", title=title)
        self.send("#add", "todos.add_todo")
        self.page.wait_for_function(
            "n => document.querySelectorAll('#todos li').length === n", arg=count + 1
        )

    def titles(self):
        return [t.strip() for t in self.page.locator("#todos li .title").all_inner_texts()]

    def error(self, id):
        return self.page.inner_text(id)

    def expect_refused(self, *statuses):
        """The browser logs each refused request; check those were all that went
        wrong, and forget them."""
        unexpected = [
            e for e in self.visit.errors if not any("status of %d" % s in e for s in statuses)
        ]
        assert unexpected == []
        self.visit.errors.clear()


@pytest.fixture(params=MODES)
def mode(request):
    return request.param


@pytest.fixture
def base(servers, mode):
    return servers("micropython" if mode == "no-javascript" else mode)


@pytest.fixture
def visitor(browser, base, mode):
    opened = []

    def make():
        v = Visitor(browser, base, scripts=mode != "no-javascript")
        opened.append(v.visit)
        return v

    yield make
    close_and_check(opened)


def new_name():
    return "user%d" % next(_names)


def sign_up_elsewhere(browser, base, username):
    """An account made through the API, in a browser context of its own."""
    context = browser.new_context()
    try:
        response = context.request.post(
            base + "/_lepta/fn/auth.sign_up",
            data={"username": username, "password": PASSWORD, "password_confirmation": PASSWORD},
        )
        assert response.status == 200, response.text()
    finally:
        context.close()


def test_a_visitor_signs_up_logs_out_and_logs_in_again(visitor):
    v = visitor()
    name = new_name()
    v.sign_up(name)
    assert v.page.inner_text("h1") == "Your todos"
    assert v.page.inner_text("#user") == "Logged in as %s" % name
    assert v.page.title() == "Todos — Session auth"
    v.log_out()
    assert v.page.inner_text("h1") == "Log in"
    assert v.page.locator("#user").count() == 0
    v.log_in(name)
    v.page.wait_for_url(v.base + "/")
    v.page.wait_for_selector("#username:text('%s')" % name)
    if v.scripts:
        assert v.stayed()  # signed up, out and in again without loading a page


def test_the_session_is_an_http_only_cookie(visitor):
    v = visitor()
    v.sign_up(new_name())
    (cookie,) = [c for c in v.visit.context.cookies() if c["name"] == "lepta_session"]
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Lax"
    assert cookie["path"] == "/"
    assert cookie["expires"] > 0  # a max age, not a cookie for the browser's session only
    assert v.page.evaluate("document.cookie") == ""


def test_the_todos_are_only_for_visitors_logged_in(visitor):
    v = visitor()
    response = v.open("/")
    assert v.page.url == v.base + "/login"
    assert response.status == 200  # (after the server's 302)
    assert response.request.redirected_from.url == v.base + "/"
    assert v.page.inner_text("h1") == "Log in"


def test_a_visitor_logged_in_is_sent_from_the_login_page_to_the_todos(visitor):
    v = visitor()
    v.sign_up(new_name())
    v.open("/login")
    assert v.page.url == v.base + "/"
    assert v.page.inner_text("h1") == "Your todos"


def test_a_wrong_password_is_refused_with_a_message(visitor, browser, base):
    name = new_name()
    sign_up_elsewhere(browser, base, name)
    v = visitor()
    v.open("/login")
    v.log_in(name, "not the password")
    v.page.wait_for_selector("#login-error:text('Wrong username or password')")
    if v.scripts:
        assert v.page.url == v.base + "/login"
    else:  # the login page again, as the answer to the post
        assert v.page.url == v.base + "/_lepta/fn/auth.log_in"
    assert v.page.input_value("#login input[name=username]") == name  # kept for another go
    v.log_in(name)
    v.page.wait_for_url(v.base + "/")
    v.expect_refused(401)


def test_a_signup_with_a_taken_name_or_differing_passwords_is_refused(visitor, browser, base):
    name = new_name()
    sign_up_elsewhere(browser, base, name)
    v = visitor()
    v.open("/signup")
    v.fill("#signup", username=name, password=PASSWORD, password_confirmation=PASSWORD)
    v.send("#signup", "auth.sign_up")
    v.page.wait_for_selector("#signup-error:text('The username %s is taken')" % name)
    v.fill("#signup", username=new_name(), password=PASSWORD, password_confirmation="other")
    v.send("#signup", "auth.sign_up")
    v.page.wait_for_selector("#signup-error:text('The two passwords differ')")
    v.expect_refused(400)


def test_repeated_failed_logins_are_refused_with_a_429_for_a_while(visitor, browser, base):
    name = new_name()
    sign_up_elsewhere(browser, base, name)
    v = visitor()
    v.open("/login")
    for attempt in range(5):
        v.log_in(name, "guess %d" % attempt)
        v.page.wait_for_selector("#login-error:text('Wrong username or password')")
    v.log_in(name)  # the right password, too late
    v.page.wait_for_selector(
        "#login-error:text('Too many failed logins. Try again in 5 minutes.')"
    )
    assert v.page.inner_text("h1") == "Log in"
    v.expect_refused(401, 429)


def test_two_accounts_see_only_their_own_todos(visitor):
    ada, bob = visitor(), visitor()
    ada.sign_up(new_name())
    bob.sign_up(new_name())
    ada.add_todo("Ada's first")
    bob.add_todo("Bob's only")
    ada.add_todo("Ada's second")
    assert ada.titles() == ["Ada's first", "Ada's second"]
    assert bob.titles() == ["Bob's only"]
    bob.open("/")
    assert bob.titles() == ["Bob's only"]


def test_removing_another_accounts_todo_is_a_403(visitor):
    ada, bob = visitor(), visitor()
    ada.sign_up(new_name())
    ada.add_todo("Ada's")
    (todo,) = ada.page.request.get(ada.base + "/_lepta/fn/todos.list_todos").json()
    bob.sign_up(new_name())
    response = bob.page.request.post(
        bob.base + "/_lepta/fn/todos.delete_todo", data={"id": todo["id"]}
    )
    assert response.status == 403
    assert response.json()["error"]["message"] == "That todo is not yours"
    ada.open("/")
    assert ada.titles() == ["Ada's"]


def test_server_functions_called_without_a_session_answer_401(visitor):
    v = visitor()
    v.open("/login")
    request = v.page.request  # the page's own cookies: none yet
    listed = request.get(v.base + "/_lepta/fn/todos.list_todos")
    assert listed.status == 401
    assert listed.json()["error"]["message"] == "Log in first"
    added = request.post(v.base + "/_lepta/fn/todos.add_todo", data={"title": "sneaky"})
    assert added.status == 401


def test_a_tampered_session_cookie_is_no_session(visitor):
    v = visitor()
    v.sign_up(new_name())
    (cookie,) = [c for c in v.visit.context.cookies() if c["name"] == "lepta_session"]
    _, written, signature = cookie["value"].split(".")
    forged = "eyJ1c2VyX2lkIjoxfQ"  # {"user_id":1}: someone else's id
    v.visit.context.add_cookies([dict(cookie, value="%s.%s.%s" % (forged, written, signature))])
    v.open("/")
    assert v.page.url == v.base + "/login"


@pytest.fixture
def lone_base():
    """The address of a server of its own, on a database of its own, for a test that
    must start with no failed logins on record."""
    with AppServer(APP, "micropython") as server:
        yield server.url


def test_failed_logins_from_one_address_are_limited_across_accounts(browser, lone_base):
    """Twenty failures from one address, each on another account, and the address
    may not log in for a while, even to an account that has not failed."""
    name = new_name()
    sign_up_elsewhere(browser, lone_base, name)
    context = browser.new_context()
    try:
        login = lone_base + "/_lepta/fn/auth.log_in"
        for attempt in range(20):
            wrong = {"username": "nobody%d" % attempt, "password": "guess"}
            assert context.request.post(login, data=wrong).status == 401
        right = context.request.post(login, data={"username": name, "password": PASSWORD})
        assert right.status == 429
    finally:
        context.close()
