"""Module-level components exercising what the compiler handles (see test_compile.py)."""

from lepta import component, signal
from lepta.html import (
    a,
    button,
    div,
    img,
    input,
    li,
    p,
    pre,
    script,
    section,
    span,
    td,
    textarea,
    tr,
    ul,
)
from lepta.svg import circle, svg


class Safe:
    def __init__(self, s):
        self.s = s

    def __html__(self):
        return self.s


@component
def Row(row, selected=False):
    return tr(
        td(row["id"], class_="col-md-1"),
        td(a(row["label"], class_="lbl", href=row["url"]), class_="col-md-4"),
        td(span(class_="remove", aria_hidden="true")),
        class_="danger" if selected else None,
        data_n=row["id"],
    )


@component
def Table(rows, selected_id):
    return div([Row(row=r, selected=r["id"] == selected_id) for r in rows], id="t")


@component
def Mixed(items, flag, count):
    value = signal(count)[0]
    label = p("kept as a value ", value)
    return div(
        {"x-data": "{open: false}"},
        "Value: ",
        value,
        "!",
        value,
        span("after", title=lambda: "dyn-title", hidden=flag, tabindex=3),
        [li(x, class_={"odd": x % 2 == 1, "first": i == 0}) for i, x in enumerate(items)],
        (li(x) for x in items if x > 1),
        [" ", b_or_i(flag)] if flag else None,
        "x" if flag else span("no"),
        label,
        Safe("<em>raw</em>"),
        lambda: ul(li("dyn")) if flag else None,
        img(src="/i.png", alt=""),
        input(type="checkbox", bind_checked=lambda: flag, on_change=lambda ev: None),
        svg(circle(cx=1, cy=2, r=3, stroke_width=1), viewBox="0 0 4 4"),
        script("var x = 1 < 2;"),
        textarea("\nkeep the newline"),
        pre(value),
        style={"color": "red", "margin": None},
        class_=["a", None, "b"],
    )


def b_or_i(flag):
    return span("bold") if flag else span("italic")


@component
def Urls(href):
    return div(a("bad", href=href), a("static bad", href="javascript:alert(1)"), a("ok", href="/x"))


@component
def WithChildren(title, children=()):
    return div(p(title), div(children, class_="body"))


@component
def UsesChildren():
    return WithChildren(span("one"), span("two"), title="T")


@component
def Branches(n):
    if n > 1:
        return ul([li(i) for i in range(n)])
    return p("one or none: ", n)


@component
def Splat(**attrs):
    return div("splat", **attrs)


def make_closure_component(suffix):
    @component
    def Closure():
        return p("closure " + suffix)

    return Closure


@component
def Recursive(depth):
    if depth == 0:
        return span("leaf")
    return div(Recursive(depth=depth - 1), button("b"))


@component
def TextJoins(items, flag, value):
    v = signal(value)[0]
    return p([x for x in items], v, "mid" if flag else v, "end", [v for _ in items], "tail", v)


@component
def PureLeaf(item):
    return li(item["title"], class_="leaf")


@component
def PureList(items):
    return ul([PureLeaf(item=i) for i in items])


class Theme:
    def __init__(self, name):
        self.name = name


@component
def Providing(name, children=()):
    from lepta.reactive import provide_context

    provide_context(Theme(name))
    return div(children)


@component
def ThemeReader():
    from lepta.reactive import use_context

    theme = use_context(Theme)
    return span(theme.name if theme else "none")


@component
def ContextApp():
    return div(Providing(ThemeReader(), name="dark"), ThemeReader())


@component
def JustReader():
    return div(ThemeReader())


@component
def Wrap(children=()):
    return div(children, class_="wrap")


@component
def Boom():
    raise KeyError("boom")


@component
def WrapsBoom():
    return div(Wrap(Boom()))


@component
def OddAttributes(value):
    return div(bind_foo="1", data_x=value)


ATTRS = {"id": "x", "data-role": "main"}


@component
def DictFirst(extra, label):
    return div(p(extra, "text"), span(label, class_="l"))


@component
def AttrsVariable():
    return div(div(ATTRS, "hi"))


def plural(n, word):
    return "%d %s%s" % (n, word, "" if n == 1 else "s")


def counted(n):
    return signal(n)[0]


@component
def UsesPureHelper(n):
    return p(plural(n, "item"))


@component
def UsesSignalHelper(n):
    return p(counted(n))


@component
def Items(items):
    return [li(x) for x in items]


@component
def Maybe(flag):
    return span("yes") if flag else None


@component
def PageOfPureParts(items, flag):
    return div(ul(Items(items=items)), Maybe(flag=flag))


@component
def DictChild(attrs, label):
    return div(attrs, label)


@component
def ParentOfDict(attrs):
    return section(DictChild(attrs=attrs, label="L"))


@component
def Guarded(data):
    try:
        return div(span(data["a"]), span(data["b"]))
    except KeyError:
        return div("missing")


class Widget:
    def __init__(self, label):
        self.label = label

    def render(self):
        return div(self.label)


@component
def Values(text, attr, url, cls, number):
    """Every place a value lands: text, attributes, a URL, a class, a number."""
    return div(
        span(text, title=attr, data_value=attr),
        a("link ", text, href=url),
        p(number, " ", attr, class_=cls),
        class_="values",
    )


@component
def Tree(node):
    """A component that uses itself."""
    return li(node["name"], ul([Tree(node=kid) for kid in node["kids"]]))


def item_rows(items):
    """A plain function of builder calls, with a closure: compiled for the components
    that call it."""

    def rows():
        return [
            li(span(item["label"], class_="title"), id="item-%d" % item["id"]) for item in items
        ]

    return ul(rows, class_="items")


def paragraph(first, text):
    """Its first argument may turn out to be a dict of attributes."""
    return p(first, text)


def label_of(item):
    """No builder call: nothing to compile."""
    return item["label"].upper()


@component
def UsesHelpers(items, first):
    return div(item_rows(items), paragraph(first, "tail"), span(label_of(items[0])))
