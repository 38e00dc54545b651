"""`lepta dev`: the app served while it is written.

    lepta dev APP_DIR [--port N] [--runtime R]

The app's files are watched; a change rebuilds what changed (the build cache), serves
the new code in place and reloads the open pages; a stylesheet change swaps the
stylesheet without a reload; an error shows in the page, over it, and here. The
pages follow the server on `/_lepta/dev/events` (Server-Sent Events, on the app's
own origin). None of this is in what `lepta build` and `lepta serve` make. See
docs/dev.md.
"""

from ._app import DevApp, DevError, DevState
from ._server import DevServer

__all__ = ["DevApp", "DevError", "DevServer", "DevState"]
