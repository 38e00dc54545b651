"""Small Lepta apps written into a folder, for the server and build tests."""

import textwrap

COUNTER = '''
from lepta import component, signal
from lepta.html import button, div, span


@component
def App():
    value, set_value = signal(0)
    return div(button("+1", on_click=lambda ev: set_value(value() + 1)), span(value))
'''


def make_app(folder, source=COUNTER, runtime="micropython", name="counter_app"):
    folder.mkdir(exist_ok=True)
    (folder / ("%s.py" % name)).write_text(textwrap.dedent(source))
    (folder / "pyproject.toml").write_text(
        '[tool.lepta]\napp = "%s:App"\nruntime = "%s"\ntitle = "A <test>"\n' % (name, runtime)
    )
    return folder


def settings(folder, extra):
    """The app's pyproject.toml with `extra` lines under [tool.lepta] (or after), in
    place of the ones a previous call added."""
    path = folder / "pyproject.toml"
    base = path.read_text().split("\n#extra\n")[0]
    path.write_text(base + "\n#extra\n" + extra)
