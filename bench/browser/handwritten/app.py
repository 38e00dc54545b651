"""The benchmark app in Python, written directly against the `js` bridge.

The practical limit for Python in the browser: what a careful programmer gets without a
framework. Portable: runs unchanged on MicroPython 1.27 and Pyodide. Rows are cloned from
a <template> (one FFI call per row for the structure), the cells are reached with
firstChild / nextSibling, one listener on the tbody handles the clicks on every row, and
each row keeps its <tr> and its label node so later updates touch only what changes.
"""

import js

try:
    from pyodide.ffi import create_proxy
except ImportError:  # MicroPython hands Python callables to JavaScript as they are

    def create_proxy(fn):
        return fn


ADJECTIVES = (
    "big", "small", "quick", "lazy", "shiny", "quiet", "brave", "clumsy", "fancy", "gentle",
    "happy", "jolly", "mighty", "nimble", "odd", "proud", "silly", "tidy", "witty", "zesty",
    "ancient", "bitter", "calm", "eager", "fuzzy",
)  # fmt: skip
COLOURS = (
    "red", "orange", "yellow", "green", "blue", "indigo", "violet", "cyan", "magenta",
    "amber", "teal", "olive", "maroon", "navy", "ivory",
)  # fmt: skip
NOUNS = (
    "table", "lamp", "kettle", "rabbit", "falcon", "guitar", "pencil", "rocket", "turtle",
    "window", "garden", "river", "castle", "bicycle", "lantern", "pepper", "violin", "wagon",
    "anchor", "meadow",
)  # fmt: skip


class Row:
    __slots__ = ("id", "label", "lbl", "tr")

    def __init__(self, id, label, tr, lbl):
        self.id = id
        self.label = label
        self.tr = tr
        self.lbl = lbl


class App:
    def __init__(self):
        document = js.document
        self.document = document
        self.tbody = document.getElementById("tbody")
        self.template = document.getElementById("row").content.firstChild
        self.rows = []
        self.by_id = {}
        self.selected = None
        self.next_id = 1
        self.seed = 1  # the same small generator as the JavaScript version
        self.listeners = []  # keeps the Pyodide proxies alive
        actions = (
            ("run", self.run),
            ("runlots", self.runlots),
            ("add", self.add),
            ("update", self.update),
            ("clear", self.clear),
            ("swaprows", self.swap),
        )
        for name, action in actions:
            self.listen(document.getElementById(name), action)
        self.listen(self.tbody, self.on_row_click)

    def listen(self, element, action):
        def handler(event):
            action(event)

        proxy = create_proxy(handler)
        self.listeners.append(proxy)
        element.addEventListener("click", proxy)

    def build(self, count):
        fragment = self.document.createDocumentFragment()
        template = self.template
        by_id = self.by_id
        made = []
        seed = self.seed
        next_id = self.next_id
        for _ in range(count):
            seed = (seed * 75 + 74) % 65537
            adjective = ADJECTIVES[seed % 25]
            seed = (seed * 75 + 74) % 65537
            colour = COLOURS[seed % 15]
            seed = (seed * 75 + 74) % 65537
            label = adjective + " " + colour + " " + NOUNS[seed % 20]
            tr = template.cloneNode(True)
            cell = tr.firstChild
            cell.textContent = next_id
            lbl = cell.nextSibling.firstChild
            lbl.textContent = label
            fragment.appendChild(tr)
            row = Row(next_id, label, tr, lbl)
            by_id[next_id] = row
            made.append(row)
            next_id += 1
        self.seed = seed
        self.next_id = next_id
        self.tbody.appendChild(fragment)
        return made

    def clear(self, event=None):
        self.tbody.textContent = ""
        self.rows = []
        self.by_id = {}
        self.selected = None

    def run(self, event):
        self.clear()
        self.rows = self.build(1000)

    def runlots(self, event):
        self.clear()
        self.rows = self.build(10000)

    def add(self, event):
        self.rows.extend(self.build(1000))

    def update(self, event):
        rows = self.rows
        for i in range(0, len(rows), 10):
            row = rows[i]
            row.label += " !!!"
            row.lbl.textContent = row.label

    def swap(self, event):
        rows = self.rows
        if len(rows) < 999:
            return
        a = rows[1]
        b = rows[998]
        tbody = self.tbody
        after = b.tr.nextSibling
        tbody.insertBefore(b.tr, a.tr)
        tbody.insertBefore(a.tr, after)
        rows[1] = b
        rows[998] = a

    def select(self, row):
        if self.selected is not None:
            self.selected.tr.className = ""
        row.tr.className = "danger"
        self.selected = row

    def remove(self, row):
        self.rows.remove(row)
        del self.by_id[row.id]
        row.tr.remove()
        if self.selected is row:
            self.selected = None

    def on_row_click(self, event):
        link = event.target.closest("a")
        if not link:  # null (None, or Pyodide's jsnull, both false)
            return
        tr = link.parentNode.parentNode
        row = self.by_id.get(int(tr.firstChild.textContent))
        if row is None:
            return
        if link.className == "lbl":
            self.select(row)
        else:
            self.remove(row)


app = App()
