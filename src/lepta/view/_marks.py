"""What the server's HTML and the hydrating DOM renderer must read alike: node kinds,
the text states that decide where a separator goes, and the comments that mark
ranges in the server's HTML.

    <!>                       separates two texts the browser would otherwise merge
    <!--s:ID--> ... <!--/s:ID-->   a Suspense's range
    <!--lepta-pending-->      a Suspense whose fallback the server sent for good
    <!--lepta-failed-->       a Suspense whose data failed (its fallback stays)
    <!--lepta-fallback-->     an ErrorBoundary showing its fallback
"""

# Node kinds, as the DOM's nodeType.
ELEMENT = 1
TEXT = 3
COMMENT = 8
DOCUMENT = 9

# What the previous child of an element left at the end: nothing textual, a static
# text, or a dynamic one (two texts in a row need a separator between them).
NOT_TEXT = 0
STATIC_TEXT = 1
DYNAMIC_TEXT = 2

SEPARATOR = "<!>"  # an empty comment: the browser's DOM has it as a comment node
PENDING = "lepta-pending"
FAILED = "lepta-failed"
FALLBACK = "lepta-fallback"


def suspense_open(sid: str) -> str:
    """The text of the comment that opens Suspense `sid`'s range."""
    return "s:" + sid


def suspense_close(sid: str) -> str:
    """The text of the comment that closes it."""
    return "/s:" + sid


def comment(text: str) -> str:
    """A mark as the server writes it."""
    return "<!--%s-->" % text
