"""Components for test_shared_reads.py: views reading the same item more than once,
and runs with many values to check for letters to escape."""

from lepta import component
from lepta.html import a, b, div, p, span, td, tr


class Counting(dict):
    """A dict that counts the reads of each key."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reads = {}

    def __getitem__(self, key):
        self.reads[key] = self.reads.get(key, 0) + 1
        return super().__getitem__(key)


def bump(d):
    """Changes what the view reads next (an impure call)."""
    d["x"] = d["x"] + "!"
    return ""


def shout(s):
    """A pure module function."""
    return s + "!"


@component
def Cell(row, selected=False):
    return tr(
        td(row["id"], title=row["id"]),
        td(a(row["label"], href=f"/r/{row['id']}")),
        class_="on" if selected else None,
    )


@component
def Cells(rows, selected_id):
    return div([Cell(row=r, selected=r["id"] == selected_id) for r in rows])


@component
def Mutating(d):
    return div(d["x"], bump(d), d["x"], span(d["x"]))


@component
def PureBetween(d):
    return div(d["x"], shout(d["x"]), d["x"])


@component
def Branchy(d, flag):
    return div(span(d["x"]) if flag else "no", d["x"], p(d["y"]) if flag else None, d["y"])


@component
def ShortCircuit(d, flag):
    return div(flag and d["x"], d["x"], d["x"])


@component
def Loopy(d, items):
    return div(d["x"], [span(d["x"], bump(d), i) for i in items], d["x"])


@component
def Walrus(d):
    return div((x := d["x"]), d["x"], x)


@component
def Many(a1, a2, a3, a4, w):
    """One run with many values to check: text, attributes, f-string parts."""
    return div(
        p(a1, " ", a2, span(a3, title=w, id=f"x-{a4}"), a4, data_k=f"{a1}"),
        a(a2, href=w, title=f"{a3}{a4}"),
        class_="many",
    )


@component
def Rounds(items, flag):
    """Loops whose rounds end in the state they begin in, or not; branches ending in
    the same state, or not; text next to them."""
    return div(
        [span(i) if flag else a(i) for i in items],
        "t",
        [span(i) if flag else "x" for i in items],
        [i for i in items if i != 1],
        lambda: "d",
        ["u" if flag else i for i in items],
        p(span(items[0]) if flag else "v", items[0]) if items else "w",
        [span(i) for i in items],
        b("y"),
        [[Texty(v=i), b("x")] for i in items],
        "end",
    )


@component
def Texty(v):
    """Ends with dynamic text."""
    return lambda: v


@component
def SameSource(d, name):
    """Values of one source (a read, a name) as text, attribute and f-string part."""
    return div(
        p(d["x"], title=d["x"], id=f"i-{d['x']}"),
        span(name, title=name),
        a(d["x"], href=f"/u/{d['x']}"),
    )


@component
def EscapedLast(row, on):
    """A read used by a prop, then as text (its variable escaped in place), then not."""
    return tr(td(row["label"]), class_="on" if on else None)


@component
def EscapedRows(rows):
    return div(
        [EscapedLast(row=r, on=r["label"] == "<b>") for r in rows],
        [r["label"] for r in rows],
    )


@component
def Rebinds(x, y):
    """A name the view binds again between two uses in one run."""
    return div(p(x, title=x, id=f"i-{x}"), f"{(x := y) and ''}", p(x, title=x), span(x))
