"""The page of an address that shows nothing."""

from lepta import component
from lepta.html import h1, p, section
from lepta.meta import Title


@component
def NotFound():
    return section(
        Title("Not Found"),
        h1("Not Found"),
        p("Nothing lives at this address."),
        class_="not-found",
    )
