"""Browser helpers against a fake window: a clock, storage, events and observers.

Each test opens `with FakeWindow() as window:`, which the helpers then use as the
page's window, and runs the helpers under an owner it disposes at the end, checking
what was left behind. Callbacks from the window flush effects themselves, as in a
page; the tests count effect runs to show it.
"""

import json

from lepta.browser import (
    document_event_listener,
    request_animation_frame,
    set_interval,
    set_timeout,
    set_window,
    use_clipboard,
    use_debounce,
    use_document_visibility,
    use_element_size,
    use_intersection,
    use_interval,
    use_local_storage,
    use_location_hash,
    use_media_query,
    use_preferred_dark,
    use_session_storage,
    use_throttle,
    use_title,
    use_window_size,
    window_event_listener,
)
from lepta.dom import NodeRef
from lepta.reactive import Effect, Owner, flush, signal


# --- the fake window ----------------------------------------------------------------
class Event:
    def __init__(self, type, **fields):
        self.type = type
        for name in fields:
            setattr(self, name, fields[name])


class Target:
    """addEventListener / removeEventListener, and `dispatch` for the tests."""

    def __init__(self):
        self.listeners = {}  # type -> [function]

    def addEventListener(self, type, function):
        self.listeners.setdefault(type, []).append(function)

    def removeEventListener(self, type, function):
        functions = self.listeners.get(type, [])
        if function in functions:
            functions.remove(function)

    def dispatch(self, event):
        for function in list(self.listeners.get(event.type, [])):
            function(event)

    def listening(self, type=None):
        """How many listeners there are (of `type`, or of every type)."""
        if type is not None:
            return len(self.listeners.get(type, []))
        return sum(len(functions) for functions in self.listeners.values())


class Storage:
    """localStorage: strings by key; `writes` records setItem calls."""

    def __init__(self):
        self.items = {}
        self.writes = []

    def getItem(self, key):
        return self.items.get(key)

    def setItem(self, key, value):
        self.writes.append((key, value))
        self.items[key] = str(value)


class Console:
    def __init__(self):
        self.warnings = []

    def warn(self, text):
        self.warnings.append(text)


class JsArray:
    """What JavaScript hands over as an array: `.length` and indexing."""

    def __init__(self, items):
        self.items = items
        self.length = len(items)

    def __getitem__(self, i):
        return self.items[i]


class Observer:
    """ResizeObserver / IntersectionObserver: what is observed, and `report`."""

    made = None  # the class's observers, set per kind

    def __init__(self, callback, options=None):
        self.callback = callback
        self.options = options
        self.observed = []

    def observe(self, element):
        self.observed.append(element)

    def disconnect(self):
        self.observed = []

    def report(self, *entries):
        self.callback(JsArray(list(entries)), self)


class ObserverKind:
    """`window.ResizeObserver`: `.new(callback)` as both runtimes spell `new`."""

    def __init__(self):
        self.made = []

    def new(self, callback, options=None):
        observer = Observer(callback, options)
        self.made.append(observer)
        return observer


class Options:
    pass


class ObjectKind:
    def new(self):
        return Options()


class MediaList(Target):
    def __init__(self, query, matches):
        Target.__init__(self)
        self.media = query
        self.matches = matches

    def change(self, matches):
        self.matches = matches
        self.dispatch(Event("change", matches=matches))


class Promise:
    def __init__(self):
        self.callbacks = []

    def then(self, done, failed=None):
        self.callbacks.append((done, failed))

    def resolve(self):
        for done, _ in self.callbacks:
            done(None)

    def reject(self, error):
        for _, failed in self.callbacks:
            failed(error)


class Clipboard:
    def __init__(self):
        self.written = []
        self.promises = []

    def writeText(self, text):
        self.written.append(text)
        promise = Promise()
        self.promises.append(promise)
        return promise


class Navigator:
    def __init__(self, clipboard):
        if clipboard:
            self.clipboard = Clipboard()


class Document(Target):
    def __init__(self):
        Target.__init__(self)
        self.title = "Page"
        self.visibilityState = "visible"


class Location:
    def __init__(self):
        self.hash = ""


class FakeWindow(Target):
    """A window with a clock moved by `advance(ms)`; the helpers' window while open."""

    def __init__(self, clipboard=True):
        Target.__init__(self)
        self.now = 0
        self.timers = {}  # id -> [due, function, every (None: a timeout)]
        self.frames = {}  # id -> function
        self.last_id = 0
        self.localStorage = Storage()
        self.sessionStorage = Storage()
        self.console = Console()
        self.document = Document()
        self.location = Location()
        self.navigator = Navigator(clipboard)
        self.innerWidth = 1024
        self.innerHeight = 768
        self.queries = {}  # query -> MediaList
        self.ResizeObserver = ObserverKind()
        self.IntersectionObserver = ObserverKind()
        self.Object = ObjectKind()
        self.previous = None

    def __enter__(self):
        self.previous = set_window(self)
        return self

    def __exit__(self, *exc):
        set_window(self.previous)

    # timers
    def _add(self, function, ms, every):
        self.last_id += 1
        self.timers[self.last_id] = [self.now + ms, function, every]
        return self.last_id

    def setTimeout(self, function, ms):
        return self._add(function, ms, None)

    def setInterval(self, function, ms):
        return self._add(function, ms, ms)

    def clearTimeout(self, id):
        self.timers.pop(id, None)

    clearInterval = clearTimeout

    def advance(self, ms):
        """Move the clock on by `ms`, firing the timers due on the way, in order."""
        end = self.now + ms
        while True:
            due = [(t[0], id) for id, t in self.timers.items() if t[0] <= end]
            if not due:
                break
            when, id = min(due)
            self.now = when
            timer = self.timers[id]
            if timer[2] is None:
                del self.timers[id]
            else:
                timer[0] = when + timer[2]
            timer[1]()
        self.now = end

    def requestAnimationFrame(self, function):
        self.last_id += 1
        self.frames[self.last_id] = function
        return self.last_id

    def cancelAnimationFrame(self, id):
        self.frames.pop(id, None)

    def frame(self, timestamp):
        frames = self.frames
        self.frames = {}
        for id in sorted(frames):
            frames[id](timestamp)

    # media queries
    def matchMedia(self, query):
        if query not in self.queries:
            self.queries[query] = MediaList(query, False)
        return self.queries[query]

    # storage written by another tab
    def other_tab_writes(self, key, text, storage=None):
        storage = storage or self.localStorage
        old = storage.items.get(key)
        if text is None:
            storage.items.pop(key, None)
        else:
            storage.items[key] = text
        self.dispatch(Event("storage", key=key, oldValue=old, newValue=text))

    def other_tab_clears(self):
        self.localStorage.items.clear()
        self.dispatch(Event("storage", key=None, oldValue=None, newValue=None))


def counting(runs, name, read):
    """An effect appending `name` to `runs` each time it runs, reading `read()`."""
    return Effect(lambda: (read(), runs.append(name)))


# --- storage ------------------------------------------------------------------------
def test_a_stored_value_replaces_the_default_at_the_first_flush():
    with FakeWindow() as window:
        window.localStorage.items["todos"] = '["milk"]'
        with Owner() as owner:
            todos = use_local_storage("todos", [])[0]
            assert todos() == []  # as the server rendered it
            flush()
            assert todos() == ["milk"]
        assert window.localStorage.writes == []  # loading writes nothing back
        owner.dispose()


def test_a_write_is_saved_as_json_at_the_next_flush():
    with FakeWindow() as window:
        with Owner() as owner:
            set_todos = use_local_storage("todos", [])[1]
            flush()
            assert window.localStorage.writes == []  # the default is not stored
            set_todos(["milk"])
            set_todos.update(lambda ts: ts + [{"title": "bread", "done": False}])
            flush()
            assert len(window.localStorage.writes) == 1  # two writes, one save
            saved = json.loads(window.localStorage.items["todos"])
            assert saved == ["milk", {"title": "bread", "done": False}]
            set_todos.mutate(lambda ts: ts.pop())  # in place, then notified
            flush()
            assert json.loads(window.localStorage.items["todos"]) == ["milk"]
        owner.dispose()


def test_a_value_written_before_the_first_flush_wins_over_the_stored_one():
    with FakeWindow() as window:
        window.localStorage.items["name"] = '"old"'
        with Owner() as owner:
            name, set_name = use_local_storage("name", "")
            set_name("new")
            flush()
            assert name() == "new"
            assert window.localStorage.items["name"] == '"new"'
        owner.dispose()


def test_stored_text_that_is_not_json_gives_the_default_and_warns_once():
    with FakeWindow() as window:
        window.localStorage.items["todos"] = "[not json"
        with Owner() as owner:
            todos = use_local_storage("todos", ["default"])[0]
            flush()
            assert todos() == ["default"]
            window.other_tab_writes("todos", "{also not json")
            assert todos() == ["default"]
            assert len(window.console.warnings) == 1
            assert "todos" in window.console.warnings[0]
            assert "not JSON" in window.console.warnings[0]
            assert window.localStorage.items["todos"] == "{also not json"  # left alone
        owner.dispose()


def test_another_tabs_change_sets_the_signal_and_the_page_follows():
    with FakeWindow() as window:
        runs = []
        with Owner() as owner:
            todos = use_local_storage("todos", [])[0]
            counting(runs, "reader", todos)
            flush()
            del runs[:]
            # The other tab's runtime spaces its JSON differently.
            window.other_tab_writes("todos", '[ {"title":"milk"} ]')
            assert runs == ["reader"]  # flushed by the event, no flush() here
            assert todos() == [{"title": "milk"}]
            # Not written back: the two tabs do not answer each other.
            assert window.localStorage.writes == []
            window.other_tab_writes("todos", '[{"title": "milk"}]')  # equal data
            assert runs == ["reader"]
            window.other_tab_writes("other", "[1]")  # another key
            assert runs == ["reader"]
            window.other_tab_clears()  # localStorage.clear() in the other tab
            assert todos() == []
            assert runs == ["reader", "reader"]
        owner.dispose()


class JsNull:
    """Pyodide's `null`: not None."""


def test_a_null_from_the_browser_counts_as_nothing_stored():
    with FakeWindow() as window:
        window.localStorage.getItem = lambda key: JsNull()
        with Owner() as owner:
            todos = use_local_storage("todos", ["default"])[0]
            flush()
            assert todos() == ["default"] and window.console.warnings == []
            window.dispatch(Event("storage", key=JsNull(), oldValue=None, newValue=None))
            assert todos() == ["default"]
        owner.dispose()


def test_session_storage_keeps_its_values_apart_from_local_storage():
    with FakeWindow() as window:
        window.sessionStorage.items["draft"] = '"hello"'
        window.localStorage.items["draft"] = '"other"'
        with Owner() as owner:
            draft, set_draft = use_session_storage("draft", "")
            flush()
            assert draft() == "hello"
            set_draft("hello, world")
            flush()
            assert window.sessionStorage.items["draft"] == '"hello, world"'
            assert window.localStorage.items["draft"] == '"other"'
            # A storage event about localStorage changes nothing here.
            window.other_tab_writes("draft", '"changed"')
            assert draft() == "hello, world"
        owner.dispose()


def test_storage_stops_listening_when_its_owner_is_disposed():
    with FakeWindow() as window:
        with Owner() as owner:
            use_local_storage("a", 1)
            use_session_storage("b", 2)
            flush()
            assert window.listening("storage") == 2
        owner.dispose()
        assert window.listening() == 0


# --- without a browser --------------------------------------------------------------
def every_helper():
    """Run every helper; returns what each gave."""
    calls = []
    ref = NodeRef()
    local = use_local_storage("k", "default")
    session = use_session_storage("k", 5)
    handles = [
        window_event_listener("resize", calls.append),
        document_event_listener("click", calls.append),
        set_timeout(lambda: calls.append("timeout"), 10),
        set_interval(lambda: calls.append("interval"), 10),
        request_animation_frame(calls.append),
    ]
    debounced = use_debounce(calls.append, 10)
    throttled = use_throttle(calls.append, 10)
    debounced("d")
    throttled("t")
    return {
        "calls": calls,
        "handles": handles,
        "local": local[0](),
        "session": session[0](),
        "interval": use_interval(10)(),
        "media": use_media_query("(min-width: 1px)")(),
        "dark": use_preferred_dark()(),
        "visibility": use_document_visibility()(),
        "size": [s() for s in use_window_size(640, 480)],
        "element": [s() for s in use_element_size(ref)],
        "intersecting": use_intersection(ref)(),
        "clipboard": use_clipboard().is_supported(),
        "title": use_title("Lepta")(),
        "hash": use_location_hash()(),
    }


def check_defaults(got):
    assert got["calls"] == []
    assert [h.active for h in got["handles"]] == [False] * 5
    assert got["local"] == "default" and got["session"] == 5
    assert got["interval"] == 0
    assert got["media"] is False and got["dark"] is False
    assert got["visibility"] == "visible"
    assert got["size"] == [640, 480]
    assert got["element"] == [0, 0]
    assert got["intersecting"] is False
    assert got["clipboard"] is False
    assert got["title"] == "Lepta"
    assert got["hash"] == ""


def test_without_a_window_every_helper_gives_its_default_and_does_nothing():
    previous = set_window(None)
    try:
        with Owner() as owner:
            got = every_helper()
            flush()
            check_defaults(got)
        owner.dispose()
    finally:
        set_window(previous)


def test_under_server_rendering_no_helper_touches_the_window():
    with FakeWindow() as window:
        window.localStorage.items["k"] = '"stored"'
        with Owner(server=True) as owner:
            got = every_helper()
            flush()
            check_defaults(got)
        owner.dispose()
        assert window.listening() == 0 and window.document.listening() == 0
        assert window.timers == {} and window.frames == {}
        assert window.queries == {} and window.ResizeObserver.made == []


# --- listeners ----------------------------------------------------------------------
def test_a_window_listener_runs_until_its_owner_is_disposed():
    with FakeWindow() as window:
        seen = []
        runs = []
        with Owner() as owner:
            key, set_key = signal("")
            window_event_listener("keydown", lambda ev: (seen.append(ev.key), set_key(ev.key)))
            counting(runs, "effect", key)
            flush()
            del runs[:]
            window.dispatch(Event("keydown", key="Escape"))
            assert seen == ["Escape"]
            assert runs == ["effect"]  # the listener's change flushed at once
        owner.dispose()
        window.dispatch(Event("keydown", key="Enter"))
        assert seen == ["Escape"]
        assert window.listening() == 0


def test_a_listener_handle_stops_it_early_and_stopping_twice_is_harmless():
    with FakeWindow() as window:
        seen = []
        with Owner() as owner:
            handle = window_event_listener("hashchange", seen.append)
            assert handle.active
            handle.stop()
            handle()
            assert not handle.active
            window.dispatch(Event("hashchange"))
            assert seen == []
            assert window.listening() == 0
        owner.dispose()


def test_a_document_listener_listens_on_the_document():
    with FakeWindow() as window:
        seen = []
        with Owner() as owner:
            document_event_listener("click", lambda ev: seen.append(ev.type))
            window.dispatch(Event("click"))
            window.document.dispatch(Event("click"))
            assert seen == ["click"]
        owner.dispose()
        assert window.document.listening() == 0


def test_a_listener_created_in_an_effect_is_removed_before_the_effect_runs_again():
    with FakeWindow() as window:
        with Owner() as owner:
            key, set_key = signal("resize")
            Effect(lambda: window_event_listener(key(), print))
            flush()
            assert window.listening("resize") == 1
            set_key("scroll")
            flush()
            assert window.listening("resize") == 0 and window.listening("scroll") == 1
        owner.dispose()


# --- timers -------------------------------------------------------------------------
def test_a_timeout_fires_once_after_its_delay():
    with FakeWindow() as window:
        order = []
        with Owner() as owner:
            handle = set_timeout(lambda: order.append("timeout"), 100)
            window.advance(99)
            assert order == [] and handle.active
            window.advance(1)
            assert order == ["timeout"] and not handle.active
            window.advance(1000)
            assert order == ["timeout"]
        owner.dispose()


def test_a_timeout_is_cleared_when_its_owner_is_disposed():
    with FakeWindow() as window:
        fired = []
        with Owner() as owner:
            set_timeout(lambda: fired.append(1), 100)
            early = set_timeout(lambda: fired.append(2), 100)
        early.stop()
        owner.dispose()
        assert window.timers == {}
        window.advance(200)
        assert fired == []


def test_an_interval_ticks_until_stopped_and_its_changes_reach_effects():
    with FakeWindow() as window:
        runs = []
        with Owner() as owner:
            count, set_count = signal(0)
            set_interval(lambda: set_count.update(lambda n: n + 1), 10)
            counting(runs, "effect", count)
            flush()
            del runs[:]
            window.advance(35)
            assert count() == 3
            assert runs == ["effect"] * 3  # each tick flushed
        owner.dispose()
        assert window.timers == {}


def test_use_interval_counts_up_from_zero():
    with FakeWindow() as window:
        with Owner() as owner:
            seconds = use_interval(1000)
            assert seconds() == 0
            window.advance(2500)
            assert seconds() == 2
        owner.dispose()
        assert window.timers == {}


def test_an_animation_frame_gets_the_timestamp_and_is_cancelled_with_its_owner():
    with FakeWindow() as window:
        stamps = []
        with Owner() as owner:
            handle = request_animation_frame(stamps.append)
            request_animation_frame(stamps.append)
            handle.stop()
            window.frame(16.5)
            assert stamps == [16.5]
            request_animation_frame(stamps.append)
        owner.dispose()
        assert window.frames == {}


def test_a_debounced_function_runs_once_the_calls_pause_with_the_last_arguments():
    with FakeWindow() as window:
        calls = []
        with Owner() as owner:
            search = use_debounce(lambda text, page=1: calls.append((text, page)), 300)
            search("l")
            window.advance(200)
            search("le", page=2)
            window.advance(200)
            search("lep")
            assert calls == [] and search.pending
            window.advance(300)
            assert calls == [("lep", 1)] and not search.pending
            search("lepta")
            search.cancel()
            window.advance(1000)
            assert calls == [("lep", 1)]
            search("waiting")
        owner.dispose()
        assert window.timers == {}


def test_a_throttled_function_runs_at_once_then_at_most_once_per_wait():
    with FakeWindow() as window:
        calls = []
        with Owner() as owner:
            moved = use_throttle(calls.append, 100)
            moved(1)
            assert calls == [1]  # the first call runs at once
            moved(2)
            window.advance(50)
            moved(3)
            assert calls == [1]
            window.advance(50)
            assert calls == [1, 3]  # the last call of the wait, when it is over
            window.advance(100)
            moved(4)  # a quiet wait went by: at once again
            assert calls == [1, 3, 4]
            moved(5)
        owner.dispose()
        assert window.timers == {}
        window.advance(1000)
        assert calls == [1, 3, 4]


def test_an_exception_in_a_timer_does_not_stop_the_other_timers():
    with FakeWindow() as window:
        order = []

        def fail():
            order.append("fail")
            raise ValueError("from a timer")

        with Owner() as owner:
            set_timeout(fail, 10)
            set_timeout(lambda: order.append("next"), 20)
            window.advance(30)  # the first one's exception goes to the console
            assert order == ["fail", "next"]
        owner.dispose()


# --- media queries, visibility, size, title -----------------------------------------
def test_a_media_query_signal_follows_the_query():
    with FakeWindow() as window:
        runs = []
        with Owner() as owner:
            window.matchMedia("(min-width: 800px)").matches = True
            wide = use_media_query("(min-width: 800px)")
            dark = use_preferred_dark()
            counting(runs, "wide", wide)
            assert wide() is False  # until the first flush
            flush()
            assert wide() is True and dark() is False
            window.queries["(prefers-color-scheme: dark)"].change(True)
            assert dark() is True
            window.queries["(min-width: 800px)"].change(False)
            assert wide() is False
            assert runs == ["wide", "wide"]  # the first run saw True already
        owner.dispose()
        assert [q.listening() for q in window.queries.values()] == [0, 0]


def test_document_visibility_follows_the_document():
    with FakeWindow() as window:
        with Owner() as owner:
            window.document.visibilityState = "hidden"
            visibility = use_document_visibility()
            assert visibility() == "visible"
            flush()
            assert visibility() == "hidden"
            window.document.visibilityState = "visible"
            window.document.dispatch(Event("visibilitychange"))
            assert visibility() == "visible"
        owner.dispose()
        assert window.document.listening() == 0


def test_the_window_size_follows_resizes_and_notifies_only_what_changed():
    with FakeWindow() as window:
        runs = []
        with Owner() as owner:
            width, height = use_window_size()
            counting(runs, "width", width)
            counting(runs, "height", height)
            flush()
            assert (width(), height()) == (1024, 768)
            del runs[:]
            window.innerWidth = 500
            window.dispatch(Event("resize"))
            assert (width(), height()) == (500, 768)
            assert runs == ["width"]
        owner.dispose()
        assert window.listening() == 0


def test_the_location_hash_follows_hash_changes():
    with FakeWindow() as window:
        runs = []
        with Owner() as owner:
            window.location.hash = "#/active"
            location_hash = use_location_hash()
            counting(runs, "hash", location_hash)
            assert location_hash() == ""  # as on the server, which never sees it
            flush()
            assert location_hash() == "#/active"
            window.location.hash = "#/completed"
            window.dispatch(Event("hashchange"))
            assert location_hash() == "#/completed"
            window.dispatch(Event("hashchange"))  # no change: nothing notified
            assert runs == ["hash", "hash"]
        owner.dispose()
        assert window.listening() == 0


def test_use_title_reads_and_sets_the_documents_title():
    with FakeWindow() as window:
        with Owner() as owner:
            title = use_title()
            flush()
            assert title() == "Page"
            title.set("Inbox (3)")
            flush()
            assert window.document.title == "Inbox (3)"
        owner.dispose()


def test_a_title_set_before_the_first_flush_is_the_pages():
    with FakeWindow() as window:
        with Owner() as owner:
            title = use_title()
            title.set("Draft")
            flush()
            assert window.document.title == "Draft"
        owner.dispose()


# --- observers ----------------------------------------------------------------------
class Rect:
    def __init__(self, width, height):
        self.width = width
        self.height = height


class Entry:
    def __init__(self, width=0, height=0, intersecting=False):
        self.contentRect = Rect(width, height)
        self.isIntersecting = intersecting


def test_an_element_size_follows_the_element_of_its_ref():
    with FakeWindow() as window:
        runs = []
        with Owner() as owner:
            ref = NodeRef()
            width, height = use_element_size(ref)
            counting(runs, "height", height)
            flush()
            observer = window.ResizeObserver.made[0]
            assert observer.observed == []  # no element yet
            ref.load("the element")
            flush()
            assert observer.observed == ["the element"]
            observer.report(Entry(120, 40))
            assert (width(), height()) == (120, 40)
            observer.report(Entry(100, 40))
            assert runs == ["height", "height"]
            ref.load("another element")
            flush()
            assert observer.observed == ["another element"]
        owner.dispose()
        assert observer.observed == []


def test_an_intersection_signal_follows_the_observer_and_passes_its_options():
    with FakeWindow() as window:
        with Owner() as owner:
            ref = NodeRef()
            ref.load("sentinel")
            near = use_intersection(ref, root_margin="200px")
            plain = use_intersection(ref)
            flush()
            first, second = window.IntersectionObserver.made
            assert first.options.rootMargin == "200px" and second.options is None
            assert first.observed == ["sentinel"]
            first.report(Entry(intersecting=True))
            assert near() is True and plain() is False
            first.report(Entry(intersecting=False))
            assert near() is False
        owner.dispose()
        assert first.observed == [] and second.observed == []


# --- clipboard ----------------------------------------------------------------------
def test_the_clipboard_copies_and_its_text_follows_once_written():
    with FakeWindow() as window:
        with Owner() as owner:
            clipboard = use_clipboard()
            assert clipboard.is_supported() is False  # as on the server, until the flush
            flush()
            assert clipboard.is_supported() is True
            clipboard.copy("https://example.com")
            assert window.navigator.clipboard.written == ["https://example.com"]
            assert clipboard.text() == ""
            window.navigator.clipboard.promises[0].resolve()
            assert clipboard.text() == "https://example.com"
            clipboard.copy("refused")
            window.navigator.clipboard.promises[1].reject("NotAllowedError")
            assert clipboard.text() == "https://example.com"
            assert len(window.console.warnings) == 1
            clipboard.copy("late")
        owner.dispose()
        window.navigator.clipboard.promises[2].resolve()  # after disposal: ignored


def test_without_a_clipboard_copy_does_nothing():
    with FakeWindow(clipboard=False):
        with Owner() as owner:
            clipboard = use_clipboard()
            flush()
            assert clipboard.is_supported() is False
            clipboard.copy("text")
            assert clipboard.text() == ""
        owner.dispose()
