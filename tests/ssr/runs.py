"""Components for test_runs.py: values of every kind in every place, text next to
dynamic text, inlined components, f-strings and choices between constants."""

from lepta import component
from lepta.html import a, div, em, li, p, span, ul

from . import components as c

LABEL = "global"


@component
def Kinds(v, w):
    kept = em(v, title=w)  # a builder call kept as a value: a template
    return div(
        p(v),
        p(v, w),
        span("t", v, "u", w),
        a("x", title=w, href=w, data_n=w),
        kept,
        [kept, v],
        class_="kinds",
    )


@component
def Dynamic(v):
    return span(lambda: v)


@component
def ThenText(v):
    """Ends with dynamic text."""
    return lambda: v


@component
def AfterDynamic(v, w, flag):
    return p(
        lambda: v,
        w,
        "tail",
        ThenText(v=v),
        w,
        w,
        v if flag else w,
        ThenText(v=v),
        "x",
        w,
        Dynamic(v=v),
    )


@component
def UsesGlobal(n):
    return span(LABEL, n)


@component
def ShadowsGlobal(LABEL):
    return div(UsesGlobal(n=1), LABEL)


@component
def Defaults(first, second="B", *, third="C"):
    """A docstring, defaults, a keyword-only prop and a parameter given a new value."""
    first = first + "!"
    joined = first + second
    return span(first, second, third, joined)


@component
def UsesDefaults(items):
    return ul([li(Defaults(first=i)) for i in items], Defaults(first="x", third="T"))


@component
def CrossModule(items):
    return ul([c.PureLeaf(item=i) for i in items])


@component
def Linked(n, name, scheme):
    item = f"/item?id={n}"
    unsafe = f"{scheme}:alert(1)"
    return div(
        a(n, href=item),
        a(name, href=item, title=item),
        item,
        a("u", href=unsafe),
        a("f", href=f"/u/{name}", id=f"n-{n}", title=f"{n:03d} {name!r}"),
        span(f"{n} items", f"{name}", f"{name}{name}", f"<{name}>"),
    )


@component
def LinkList(rows):
    return div([Linked(n=r["n"], name=r["name"], scheme=r["scheme"]) for r in rows])


@component
def WithLambda(x):
    return span(lambda: x)


@component
def UsesWithLambda(xs):
    return div([WithLambda(x=x) for x in xs])


@component
def Choices(x, y):
    cell = span("kept", class_="a" if x else ("b" if y else None))
    return div(
        cell,
        span(class_="a" if x else ("b" if y else None), title="t" if y else "u", hidden=x),
    )


@component
def Cells(items):
    return ul([li(x, title="t") for x in items])


@component
def WideCells(rows):
    """Four values a row: checked for letters to escape all at once (see _emit)."""
    return ul([li(w, p(x), y, span(z)) for w, x, y, z in rows])


@component
def Flagged(item, on=False):
    return li(item["name"], class_="on" if on else None)


@component
def FlaggedList(items, chosen):
    return ul([Flagged(item=i, on=i["id"] == chosen) for i in items])


@component
def LabelledCells(items, n):
    label = f"<{n}>"
    return div(p(n), ul([li(x, span(label)) for x in items]), p([em(label) for _ in items]))
