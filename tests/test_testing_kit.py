"""lepta.testing, the kit for users' tests: pages in memory (queries, actions, counts),
server rendering hydrated strictly, the ASGI client, and the pytest plugin's fixtures."""

import os
import re
import textwrap
from pathlib import Path

import pytest

from lepta import For, Resource, RwSignal, Suspense, component, on_cleanup, signal
from lepta.dom import HydrationMismatch
from lepta.html import (
    a,
    button,
    div,
    form,
    h1,
    h2,
    h3,
    img,
    input,
    label,
    li,
    main,
    nav,
    ol,
    option,
    p,
    section,
    select,
    span,
    table,
    tbody,
    td,
    textarea,
    th,
    thead,
    tr,
    ul,
)
from lepta.server_fn import ServerError
from lepta.testing import (
    ActionError,
    ElementNotFound,
    MultipleElementsFound,
    QueryError,
    client,
    render,
    render_server,
)

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parent.parent


def runtime_cache():
    from lepta.build.runtimes import cache_dir

    return cache_dir()


@component
def Counter(initial: int = 0, step: int = 1):
    value, set_value = signal(initial)
    return div(
        button("Clear", on_click=lambda ev: set_value(0)),
        button("-%d" % step, on_click=lambda ev: set_value.update(lambda v: v - step)),
        span("Value: ", value, "!", data_testid="value"),
        button("+%d" % step, on_click=lambda ev: set_value.update(lambda v: v + step)),
    )


# ---------------------------------------------------------------------------- queries


IMPLICIT_ROLES = [
    (lambda: button("Save"), "button", "Save"),
    (lambda: input(type="submit", value="Send"), "button", "Send"),
    (lambda: a("Home", href="/"), "link", "Home"),
    (lambda: h2("Details"), "heading", "Details"),
    (lambda: input(type="email", aria_label="Email"), "textbox", "Email"),
    (lambda: input(aria_label="Plain"), "textbox", "Plain"),
    (lambda: textarea(aria_label="Notes"), "textbox", "Notes"),
    (lambda: input(type="checkbox", aria_label="Done"), "checkbox", "Done"),
    (lambda: input(type="radio", aria_label="Red"), "radio", "Red"),
    (lambda: input(type="search", aria_label="Find"), "searchbox", "Find"),
    (lambda: select(option("A"), aria_label="Pick"), "combobox", "Pick"),
    (lambda: select(option("A"), multiple=True, aria_label="Many"), "listbox", "Many"),
    (lambda: option("A"), "option", "A"),
    (lambda: ul(li("one")), "list", ""),
    (lambda: ol(li("one")), "listitem", ""),  # not named by its content (ARIA)
    (lambda: img(src="x.png", alt="Logo"), "img", "Logo"),
    (lambda: img(src="x.png", alt=""), "presentation", ""),
    (lambda: nav(a("Home", href="/"), aria_label="Main menu"), "navigation", "Main menu"),
    (lambda: main(p("hi")), "main", ""),
    (lambda: form(aria_label="Sign in"), "form", "Sign in"),
    (lambda: section(aria_label="News"), "region", "News"),
    (lambda: table(thead(tr(th("Name"))), tbody(tr(td("Ada")))), "table", ""),
    (lambda: table(tbody(tr(td("Ada"), td("36")))), "row", "Ada 36"),
    (lambda: table(tbody(tr(td("Ada")))), "cell", "Ada"),
    (lambda: table(thead(tr(th("Name")))), "columnheader", "Name"),
    (lambda: div("First", role="tab"), "tab", "First"),
    (lambda: p("Some text"), "paragraph", ""),
]


@pytest.mark.parametrize("view, role, name", IMPLICIT_ROLES)
def test_get_by_role_finds_an_element_by_its_implicit_or_explicit_role_and_name(view, role, name):
    page = render(view)
    found = page.get_by_role(role)
    assert found is page.get_by_role(role, name=name)


def test_a_link_needs_an_href_and_an_input_of_a_type_without_a_role_has_none():
    page = render(lambda: div(a("Anchor"), input(type="password", aria_label="Secret")))
    assert page.query_by_role("link") is None
    assert page.query_by_role("textbox") is None


def test_headings_are_found_by_level():
    page = render(lambda: div(h1("Title"), h2("Part"), h3("Section"), div("Aside", role="heading")))
    assert page.get_by_role("heading", level=1).text == "Title"
    assert page.get_by_role("heading", level=3).text == "Section"
    assert page.get_by_role("heading", level=2, name="Aside").text == "Aside"  # ARIA's default
    headings = page.get_all_by_role("heading")
    assert [h.text for h in headings] == ["Title", "Part", "Section", "Aside"]


ACCESSIBLE_NAMES = [
    ("aria-label", "button", lambda: button("x", aria_label="Close")),
    (
        "aria-labelledby",
        "button",
        lambda: div(span("Close", id="t"), button("x", aria_labelledby="t")),
    ),
    ("label for", "textbox", lambda: div(label("Close", for_="c"), input(id="c"))),
    ("wrapping label", "checkbox", lambda: label("Close ", input(type="checkbox"))),
    ("text content", "button", lambda: button(span("Cl"), "ose")),
    ("alt of an image inside", "button", lambda: button(img(src="x.png", alt="Close"))),
    ("alt", "img", lambda: img(src="x.png", alt="Close")),
    ("title", "checkbox", lambda: input(type="checkbox", title="Close")),
    ("placeholder", "textbox", lambda: input(placeholder="Close")),
]


@pytest.mark.parametrize("source, role, view", ACCESSIBLE_NAMES)
def test_the_accessible_name_comes_from_where_a_screen_reader_takes_it(source, role, view):
    page = render(view)
    assert page.get_by_role(role, name="Close") is page.get_by_role(role)


def test_aria_label_wins_over_content_and_labelledby_over_both():
    page = render(
        lambda: div(
            span("Remove item", id="r"),
            button("x", aria_label="Delete"),
            button("x", aria_label="Delete", aria_labelledby="r"),
        )
    )
    assert [b.attributes.get("aria-labelledby") for b in page.get_all_by_role("button")] == [
        None, "r",
    ]
    assert page.get_by_role("button", name="Delete").attributes.get("aria-labelledby") is None
    assert page.get_by_role("button", name="Remove item").attributes["aria-labelledby"] == "r"


def test_names_match_exactly_with_whitespace_collapsed_or_loosely_or_by_pattern_or_function():
    page = render(lambda: div(button("  Save   draft "), button("Save")))
    assert page.get_by_role("button", name="Save draft").text == "  Save   draft "
    assert len(page.get_all_by_role("button", name="save", exact=False)) == 2
    assert page.get_by_role("button", name=re.compile("dra")).text.strip() == "Save   draft"
    assert page.get_by_role("button", name=lambda name: name.endswith("ve")).text == "Save"


def test_hidden_elements_are_left_out_unless_asked_for():
    page = render(
        lambda: div(
            button("Shown"),
            button("Hidden attribute", hidden=True),
            div(button("Inside aria-hidden"), aria_hidden="true"),
            button("Not displayed", style="display: none"),
        )
    )
    assert [b.text for b in page.get_all_by_role("button")] == ["Shown"]
    assert len(page.get_all_by_role("button", hidden=True)) == 4


def test_checked_narrows_a_role_query():
    page = render(
        lambda: div(
            input(type="checkbox", aria_label="A", checked=True),
            input(type="checkbox", aria_label="B"),
        )
    )
    assert page.get_by_role("checkbox", checked=True).attributes["aria-label"] == "A"
    assert page.get_by_role("checkbox", checked=False).attributes["aria-label"] == "B"


def test_get_by_text_matches_an_element_s_own_text_across_markers():
    page = render(Counter)
    assert page.get_by_text("Value: 0!").tag == "span"
    assert page.get_by_text("value:", exact=False).tag == "span"
    assert page.get_by_text(re.compile(r"^\+\d$")).tag == "button"
    assert [el.text for el in page.get_all_by_text(re.compile("^[-+]"))] == ["-1", "+1"]


def test_get_by_text_does_not_join_text_split_over_elements_but_a_function_can():
    page = render(lambda: p("Hello ", span("world")))
    assert page.query_by_text("Hello world") is None
    assert page.get_by_text("Hello").tag == "p"
    assert page.get_by_text(lambda text: text.startswith("Hel")).tag == "p"


def test_get_by_label_finds_the_control_of_every_kind_of_label():
    page = render(
        lambda: form(
            label("Email", for_="email"),
            input(id="email", type="email"),
            label("Name ", input(id="name")),
            span("Phone", id="phone-label"),
            input(id="phone", aria_labelledby="phone-label"),
            input(id="city", aria_label="City"),
            label("Colour", select(option("Red"), id="colour")),
        )
    )
    labelled = ["Email", "Name", "Phone", "City", "Colour"]
    assert [page.get_by_label(text).id for text in labelled] == [
        "email", "name", "phone", "city", "colour",
    ]
    assert page.get_by_label("mail", exact=False).id == "email"


def test_a_label_that_labels_nothing_is_named_in_the_error():
    page = render(lambda: div(label("Email"), input(id="email")))
    with pytest.raises(ElementNotFound) as failure:
        page.get_by_label("Email")
    message = str(failure.value)
    assert message.startswith('Unable to find an element with the label "Email".')
    assert "no form control is associated with it" in message


def test_get_by_test_id_reads_data_testid():
    page = render(Counter)
    assert page.get_by_test_id("value").text == "Value: 0!"
    assert page.query_by_test_id("missing") is None
    assert page.query_all_by_test_id("missing") == []


def test_query_by_gives_none_get_all_a_list_and_both_refuse_several_for_one():
    page = render(Counter)
    assert page.query_by_role("checkbox") is None
    assert page.query_all_by_role("checkbox") == []
    assert [b.text for b in page.get_all_by_role("button")] == ["Clear", "-1", "+1"]
    with pytest.raises(MultipleElementsFound) as failure:
        page.query_by_role("button")
    assert str(failure.value) == (
        'Found 3 elements with the role "button":\n'
        "  <button>Clear</button>\n  <button>-1</button>\n  <button>+1</button>\n\n"
        "Use get_all_by_role() to get them all, or narrow the query (a name, `within(...)` "
        "a part of the page) to get one."
    )


def test_a_failed_get_says_what_was_searched_and_what_the_page_has():
    page = render(lambda: div(h1("Todos"), Counter()))
    with pytest.raises(ElementNotFound) as failure:
        page.get_by_role("button", name="Save")
    assert str(failure.value) == textwrap.dedent(
        """\
        Unable to find an element with the role "button" and the name "Save".

        Roles on the page (role: name):
          heading: "Todos" (level 1)
          button: "Clear"
          button: "-1"
          button: "+1"

        <body>
          <div>
            <h1>Todos</h1>
            <div>
              <button>Clear</button>
              <button>-1</button>
              <span data-testid="value">Value: 0!</span>
              <button>+1</button>
            </div>
          </div>
        </body>"""
    )


def test_failed_queries_list_the_texts_labels_and_test_ids_there_are():
    page = render(lambda: div(label("Name", input()), span("Hi", data_testid="greeting")))
    with pytest.raises(ElementNotFound, match=r'Texts on the page .*\n  "Name"\n  "Hi"'):
        page.get_by_text("Bye")
    with pytest.raises(ElementNotFound, match='Labels on the page:\n  <label> "Name"'):
        page.get_by_label("Age")
    with pytest.raises(ElementNotFound, match='Test ids on the page: "greeting"'):
        page.get_by_test_id("farewell")


def test_query_errors_are_assertion_errors_and_lepta_errors():
    from lepta import LeptaError

    assert issubclass(ElementNotFound, QueryError) and issubclass(QueryError, AssertionError)
    assert issubclass(QueryError, LeptaError) and issubclass(ActionError, AssertionError)


def test_within_searches_one_part_of_the_page():
    page = render(
        lambda: ul(
            li(span("Ada"), button("Remove"), data_testid="ada"),
            li(span("Grace"), button("Remove"), data_testid="grace"),
        )
    )
    row = page.get_by_test_id("grace")
    remove = page.within(row).get_by_role("button", name="Remove")
    assert remove.parent is row


# ---------------------------------------------------------------------------- actions


def test_click_runs_the_handler_and_its_effects_costing_one_text_change():
    page = render(Counter)
    with page.count() as ops:
        page.click(page.get_by_role("button", name="+1"))
    assert ops == {"set_text": 1}
    assert page.get_by_test_id("value").text == "Value: 1!"
    page.click(page.get_by_role("button", name="Clear"))
    assert page.text == "Clear-1Value: 0!+1"


def test_fill_sets_the_value_and_fires_input():
    @component
    def Greeter():
        name = RwSignal("")
        return div(label("Name", input(bind_value=name)), p("Hello, ", name, "!"))

    page = render(Greeter)
    with page.count() as ops:
        page.fill(page.get_by_label("Name"), "Ada")
    assert ops["set_text"] == 1
    assert page.get_by_label("Name").value == "Ada"
    assert page.get_by_text("Hello, Ada!").tag == "p"


def test_check_and_uncheck_click_a_checkbox_only_when_its_state_differs():
    changes = []

    @component
    def Todo():
        done = RwSignal(False)
        return label(
            input(type="checkbox", bind_checked=done, on_input=lambda ev: changes.append(1)),
            lambda: "Done" if done() else "To do",
        )

    page = render(Todo)
    box = page.get_by_role("checkbox")
    page.check(box)
    page.check(box)
    assert box.checked and changes == [1]
    assert page.get_by_role("checkbox", name="Done") is box
    page.uncheck(box)
    assert not box.checked and page.get_by_text("To do").tag == "label"


def test_a_click_on_a_label_clicks_its_control_and_radios_keep_one_of_a_group_checked():
    page = render(
        lambda: form(
            label(input(type="radio", name="size", value="s"), "Small"),
            label(input(type="radio", name="size", value="l"), "Large"),
        )
    )
    page.click(page.get_by_text("Small"))
    assert page.get_by_role("radio", name="Small").checked
    page.check(page.get_by_role("radio", name="Large"))
    assert page.get_by_role("radio", checked=True) is page.get_by_role("radio", name="Large")
    with pytest.raises(ActionError, match="check another one of its group"):
        page.uncheck(page.get_by_role("radio", name="Large"))


def test_select_chooses_by_value_or_text_and_fires_change():
    @component
    def Picker():
        colour = RwSignal("r")
        return div(
            label(
                "Colour",
                select(option("Red", value="r"), option("Blue", value="b"), bind_value=colour),
            ),
            p("Chosen: ", colour),
        )

    page = render(Picker)
    page.select(page.get_by_label("Colour"), "b")
    assert page.get_by_text("Chosen: b")
    page.select(page.get_by_role("combobox"), "Red")
    assert page.get_by_text("Chosen: r")
    with pytest.raises(ActionError, match=r'no option with the value or text "Green".*"r" \(Red\)'):
        page.select(page.get_by_label("Colour"), "Green")


def test_press_sends_keydown_and_keyup_with_the_key():
    keys = []
    page = render(
        lambda: input(
            aria_label="Title",
            on_keydown=lambda ev: keys.append(("down", ev.key)),
            on_keyup=lambda ev: keys.append(("up", ev.key)),
        )
    )
    page.press(page.get_by_role("textbox"), "Escape")
    assert keys == [("down", "Escape"), ("up", "Escape")]


def test_enter_in_a_form_s_field_submits_it_and_a_submit_button_s_click_does_too():
    submitted = []

    def on_submit(ev):
        ev.prevent_default()
        submitted.append(ev.submitter.text if ev.submitter is not None else None)

    page = render(lambda: form(input(aria_label="Title"), button("Add"), on_submit=on_submit))
    page.press(page.get_by_role("textbox"), "Enter")
    page.click(page.get_by_role("button", name="Add"))
    assert submitted == ["Add", "Add"]


def test_actions_refuse_disabled_and_removed_elements_and_none():
    page = render(lambda: div(button("Save", disabled=True), Counter()))
    disabled = re.escape('<button disabled="">Save</button> is disabled')
    with pytest.raises(ActionError, match=disabled):
        page.click(page.get_by_role("button", name="Save"))
    with pytest.raises(ActionError, match="was given None"):
        page.click(page.query_by_role("button", name="Nope"))
    clear = page.get_by_role("button", name="Clear")
    page.unmount()
    with pytest.raises(ActionError, match="not in the page"):
        page.click(clear)


def test_fill_refuses_what_is_not_a_text_field():
    page = render(lambda: input(type="checkbox", aria_label="Done"))
    with pytest.raises(ActionError, match="use select\\(\\) for a <select>, check\\(\\)"):
        page.fill(page.get_by_role("checkbox"), "x")


def test_a_page_used_as_a_context_manager_is_unmounted_at_the_end():
    cleaned = []

    @component
    def Widget():
        on_cleanup(lambda: cleaned.append("widget"))
        return p("hi")

    with render(Widget) as page:
        assert page.get_by_text("hi")
    assert cleaned == ["widget"] and page.html() == ""


# ---------------------------------------------------------------------------- render_server


def test_render_server_hydrates_the_server_html_so_the_page_works():
    page = render_server(lambda: Counter(initial=5))
    span_node = page.get_by_test_id("value")
    page.click(page.get_by_role("button", name="+1"))
    assert page.get_by_test_id("value") is span_node  # the server's node, adopted
    assert span_node.text == "Value: 6!"


def test_render_server_fails_on_a_hydration_mismatch():
    renders = []

    @component
    def Moody():
        renders.append(1)
        return div(p("server") if len(renders) == 1 else span("browser"))

    with pytest.raises(HydrationMismatch, match="Moody"):
        render_server(Moody)


def test_render_server_sends_the_data_of_resources_so_hydration_does_not_load_again():
    loads = []

    async def load_names(_):
        loads.append(1)
        return ["Ada", "Grace"]

    @component
    def Names():
        names = Resource(lambda: 0, load_names)
        return Suspense(
            fallback=p("Loading..."),
            children=ul(For(each=lambda: names() or [], key=lambda n: n, children=li)),
        )

    page = render_server(Names)
    assert [el.text for el in page.get_all_by_role("listitem")] == ["Ada", "Grace"]
    assert loads == [1]  # on the server only
    assert page.dom.find("script") is None
    assert render_server(Names, mode="string").get_by_text("Loading...").tag == "p"


async def test_render_server_works_inside_an_async_test_too():
    page = render_server(lambda: Counter(initial=2))
    assert page.get_by_text("Value: 2!")


def test_render_server_refuses_out_of_order_streaming():
    with pytest.raises(ValueError, match="needs a browser"):
        render_server(Counter, mode="out_of_order")


# ---------------------------------------------------------------------------- client

NOTES_DB = '''
"""Notes kept in SQLite at DATABASE_URL (a file beside the app by default)."""

import os
import sqlite3
from contextlib import asynccontextmanager


class Notes:
    def __init__(self, url):
        self.path = url[len("sqlite:///"):]
        self.url = url

    def run(self, sql, *args):
        with sqlite3.connect(self.path) as db:
            return db.execute(sql, args).fetchall()


@asynccontextmanager
async def setup():
    here = os.path.dirname(os.path.abspath(__file__))
    notes = Notes(os.environ.get("DATABASE_URL", "sqlite:///" + os.path.join(here, "notes.db")))
    notes.run("create table if not exists notes (text text)")
    yield [notes]
'''

NOTES_APP = '''
from kit_notes_db import Notes

from lepta import For, Resource, ServerError, Suspense, component, expect_context
from lepta.html import h1, li, main, p, ul
from lepta.server_fn import server


class EmptyNote(ServerError):
    """A note needs text."""


@server
async def add_note(text: str) -> int:
    if not text.strip():
        raise EmptyNote("a note needs text")
    notes = expect_context(Notes)
    notes.run("insert into notes values (?)", text)
    return notes.run("select count(*) from notes")[0][0]


@server(method="GET")
async def list_notes() -> list[str]:
    return [row[0] for row in expect_context(Notes).run("select text from notes")]


@server(method="GET")
async def database_url() -> str:
    return expect_context(Notes).url


@component
def App():
    notes = Resource(lambda: 0, lambda _: list_notes())
    return main(
        h1("Notes"),
        Suspense(
            fallback=p("Loading..."),
            children=ul(For(each=lambda: notes() or [], key=lambda n: n, children=li)),
        ),
    )
'''


@pytest.fixture(scope="module")
def notes_app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kit") / "notes"
    folder.mkdir()
    (folder / "kit_notes.py").write_text(NOTES_APP)
    (folder / "kit_notes_db.py").write_text(NOTES_DB)
    (folder / "pyproject.toml").write_text(
        '[tool.lepta]\napp = "kit_notes:App"\nsetup = "kit_notes_db:setup"\nssr = "async"\n'
    )
    return folder


def test_the_client_calls_server_functions_by_name_or_object_with_a_database_of_its_own(
    notes_app,
):
    before = os.environ.get("DATABASE_URL")
    with client(notes_app) as app:
        url = app.call("kit_notes.database_url")
        assert url == app.database_url == os.environ["DATABASE_URL"]
        assert url.startswith("sqlite:///") and Path(url[10:]).parent != notes_app
        assert app.call("kit_notes.add_note", text="Buy milk") == 1
        import kit_notes  # importable now: the app's folder is on sys.path

        assert app.call(kit_notes.add_note, "Call Ada") == 2
        assert app.call(kit_notes.list_notes) == ["Buy milk", "Call Ada"]
        with pytest.raises(ServerError, match="a note needs text") as failure:
            app.call("kit_notes.add_note", text=" ")
        assert type(failure.value).__name__ == "EmptyNote"
    assert os.environ.get("DATABASE_URL") == before
    assert not Path(url[10:]).exists()  # the temporary database is gone
    with client(notes_app) as again:
        assert again.call("kit_notes.list_notes") == []  # a new database each time


def test_the_client_loads_pages_as_the_server_sends_them(notes_app):
    with client(notes_app) as app:
        app.call("kit_notes.add_note", text="Buy milk")
        page = app.page("/")
        assert page.response.status_code == 200
        assert page.get_by_role("heading", level=1).text == "Notes"
        assert page.get_by_role("listitem").text == "Buy milk"
        assert app.get("/_lepta/openapi.json").json()["paths"]


def test_the_client_names_the_functions_there_are_when_one_is_unknown(notes_app):
    with client(notes_app) as app, pytest.raises(LookupError, match=r"kit_notes\.add_note"):
        app.call("kit_notes.remove_note")
    with pytest.raises(RuntimeError, match="not open"):
        app.call("kit_notes.list_notes")


# ---------------------------------------------------------------------------- the plugin


def test_the_plugin_gives_lepta_client_and_unmounts_pages_after_each_test(pytester, notes_app):
    pytester.makepyfile(
        """
        import pytest
        from lepta import component, on_cleanup
        from lepta.html import p
        from lepta.testing import render

        cleaned = []

        @component
        def Widget():
            on_cleanup(lambda: cleaned.append("widget"))
            return p("hi")

        def test_render_a_widget():
            assert render(Widget).get_by_text("hi")

        def test_the_widget_was_unmounted():
            assert cleaned == ["widget"]

        @pytest.mark.lepta_app(%r)
        def test_a_server_function(lepta_client):
            assert lepta_client.call("kit_notes.add_note", text="x") == 1
            assert lepta_client.page("/").get_by_text("x").tag == "li"

        def test_no_app_folder(lepta_client):
            pass
        """
        % str(notes_app)
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3, errors=1)
    result.stdout.fnmatch_lines(["*lepta_client needs a Lepta app folder*"])


def test_the_lepta_app_setting_and_option_name_the_app(pytester, notes_app):
    pytester.makeini("[pytest]\nlepta_app = %s\n" % notes_app)
    pytester.makepyfile(
        """
        def test_a_server_function(lepta_client, lepta_app_dir):
            assert lepta_app_dir.name == "notes"
            assert lepta_client.call("kit_notes.list_notes") == []
        """
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)
    missing = pytester.runpytest("-p", "no:cacheprovider", "--lepta-app", str(ROOT / "nowhere"))
    missing.assert_outcomes(errors=1)


def test_lepta_page_is_the_served_app_hydrated_in_chromium_and_console_errors_fail(
    pytester, monkeypatch
):
    """In a pytest of its own: Playwright's browser keeps an event loop on its thread."""
    # pytester gives the run a HOME of its own: keep the runtimes already fetched.
    monkeypatch.setenv("LEPTA_CACHE", str(runtime_cache()))
    pytester.makepyfile(
        """
        import pytest
        from playwright.sync_api import expect

        pytestmark = pytest.mark.lepta_app(%r)

        def test_counter(lepta_page):
            assert lepta_page.get_attribute("html", "data-lepta-hydrated") is not None
            lepta_page.get_by_role("button", name="+1").click()
            lepta_page.get_by_role("button", name="+1").click()
            expect(lepta_page.get_by_text("Value: 2!")).to_be_visible()

        def test_a_console_error_fails(lepta_page):
            lepta_page.evaluate("console.error('something broke')")

        def test_an_expected_console_error_can_be_taken_out(lepta_page, lepta_console_errors):
            lepta_page.evaluate("console.error('expected')")
            lepta_page.wait_for_timeout(100)
            assert lepta_console_errors == ["expected"]
            lepta_console_errors.clear()
        """
        % str(ROOT / "examples" / "counter")
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", timeout=300)
    result.assert_outcomes(passed=3, errors=1)
    result.stdout.fnmatch_lines(["*the page logged errors to the console:*", "*something broke*"])
