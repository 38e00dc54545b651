"""Components written in each way users reach the builders: through a module alias
(`h.div`, `html.div`), the module's dotted name (`lepta.html.div`), and by name;
with dict attributes, keyword props, conditional expressions and comprehensions of
child components (see test_styles.py)."""

import lepta.html
import lepta.html as html
from lepta import component, signal
from lepta import html as h
from lepta import svg as s
from lepta.html import li


@component
def Row(row, selected=False):
    return h.tr(
        h.td(row["id"], class_="col-md-1"),
        h.td(h.a(row["label"], class_="lbl", href=row["url"]), class_="col-md-4"),
        h.td(h.span(class_="remove", aria_hidden="true")),
        class_="danger" if selected else None,
        data_n=row["id"],
    )


@component
def Table(rows, selected_id):
    return h.table(
        h.tbody([Row(row=r, selected=r["id"] == selected_id) for r in rows], id="t")
    )


@component
def Values(text, attr, url, cls, number):
    """Every place a value lands, as components.Values, through `import lepta.html as html`."""
    return html.div(
        html.span(text, title=attr, data_value=attr),
        html.a("link ", text, href=url),
        html.p(number, " ", attr, class_=cls),
        class_="values",
    )


@component
def Leaf(item, note="-"):
    return lepta.html.li(item["title"], " ", note, class_="leaf")


@component
def Mixed(items, flag, title):
    """Dict attributes, keyword props, a conditional, a comprehension of components,
    SVG through its own alias, and a builder imported by name beside the alias."""
    return h.section(
        {"data-role": "list", "aria-label": title},
        h.h2(title),
        h.ul([Leaf(item=i, note="n%d" % n) for n, i in enumerate(items)], class_="items"),
        h.p("some") if flag else h.em("none"),
        h.ul(li("by name"), h.li("by alias")),
        s.svg(s.circle(cx=1, cy=2, r=3), viewBox="0 0 4 4"),
        class_={"on": flag, "off": not flag},
    )


@component
def WithSignal(n):
    value = signal(n)[0]
    return h.p("Value: ", value)


@component
def Shadowed(h):
    """`h` is a parameter here: `h.upper()` is a method call, not a builder."""
    return html.p(h.upper())


class NotAModule:
    div = html.div


helpers = NotAModule()


@component
def ThroughAnObject(text):
    """A builder reached through an object that is not a module: left as written."""
    return helpers.div(text)
