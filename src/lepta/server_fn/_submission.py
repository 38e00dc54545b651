"""A form posted without JavaScript that failed: what the page shows again."""

from __future__ import annotations

from typing import Any

# The hidden field of an ActionForm naming the page it is on.
PAGE_FIELD = "__lepta_page"


class FormSubmission:
    """Provided as context while the server renders the page a failed form came from:
    the endpoint it posted to, the values typed, and the error. A ServerAction on
    that endpoint starts from it, so the page shows the error and the values."""

    __slots__ = ("endpoint", "error", "values")

    def __init__(self, endpoint: str, values: dict[str, Any], error: Exception) -> None:
        self.endpoint = endpoint
        self.values = values
        self.error = error
