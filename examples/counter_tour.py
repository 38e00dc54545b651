"""The counter of the design, rendered on the server, then hydrated and clicked.

    ./dev demo

No browser needed: the page is hydrated in lepta's in-memory DOM, which counts every
DOM operation, so you can see that a click changes exactly one text node.
"""

from lepta import component, flush, hydrate_body, render_to_string, signal
from lepta.html import button, div, span
from lepta.testing import MemoryDOM


@component
def Counter(initial: int = 0, step: int = 1):
    value, set_value = signal(initial)
    return div(
        button("Clear", on_click=lambda ev: set_value(0)),
        button(f"-{step}", on_click=lambda ev: set_value.update(lambda v: v - step)),
        span("Value: ", value, "!"),
        button(f"+{step}", on_click=lambda ev: set_value.update(lambda v: v + step)),
    )


def main() -> None:
    html = render_to_string(Counter)
    print("1. The server renders the page (the <!> comments let the client find its nodes):")
    print("   " + html)

    dom = MemoryDOM()
    dom.load_body(html)
    dom.reset_ops()
    hydrate_body(Counter, renderer=dom)
    created = sum(n for kind, n in dom.ops.items() if kind.startswith("create"))
    print("\n2. The client hydrates it: %d nodes created, handlers attached." % created)

    print("\n3. Clicks update exactly one text node each:")
    for label in ("+1", "+1", "-1", "Clear"):
        dom.reset_ops()
        dom.click(dom.find("button", text=label))
        flush()
        print("   %-6s -> %-12r DOM operations: %s" % (label, dom.find("span").text, dom.ops))


if __name__ == "__main__":
    main()
