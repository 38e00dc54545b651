"""Form fields and query strings as nested arguments, both ways.

An HTML form posts flat name=value pairs; names in brackets nest them, as in Rails,
PHP and Leptos' serde_qs:

    title=Milk                      {"title": "Milk"}
    todo[title]=Milk&todo[done]=on  {"todo": {"title": "Milk", "done": "on"}}
    tags[]=a&tags[]=b               {"tags": ["a", "b"]}  (so does tags=a&tags=b)
    items[0][n]=1&items[1][n]=2     {"items": [{"n": "1"}, {"n": "2"}]}

Values stay strings: the server converts them from the function's type hints.
Portable: the browser reads forms with it too (MicroPython has no urllib).
"""

from __future__ import annotations

from typing import Any

from ..reactive._errors import lepta_error_and


class FormError(lepta_error_and(ValueError)):  # type: ignore[misc]
    """Field names that contradict each other (`a=1&a[b]=2`)."""


def nest(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Nested arguments from flat (name, value) pairs."""
    data: dict[str, Any] = {}
    for name, value in pairs:
        keys = _keys(name)
        append = len(keys) > 1 and keys[-1] == ""  # name[]: one more item of a list
        if append:
            keys = keys[:-1]
        if "" in keys:
            raise FormError("%r: an empty [] may only end a field name" % name)
        target = data
        for key in keys[:-1]:
            child = target.setdefault(key, {})
            if not isinstance(child, dict):
                raise FormError("%r: %s is used both as a value and as a group" % (name, key))
            target = child
        if append:
            _put(target, keys[-1], [value], name)
        else:
            _put(target, keys[-1], value, name)
    return _lists(data)  # type: ignore[no-any-return]


def _keys(name: str) -> list[str]:
    """`a[b][]` -> ["a", "b", ""]; a name with no brackets is one key."""
    start = name.find("[")
    if start <= 0 or not name.endswith("]"):
        return [name]
    keys = [name[:start]]
    for part in name[start + 1 : -1].split("]["):
        if "[" in part or "]" in part:
            return [name]  # not the bracket form: the name as it is
        keys.append(part)
    return keys


def _put(target: dict[str, Any], key: str, value: Any, name: str) -> None:
    """Set `key` to `value` (a string, or a one-item list for `name[]`); a name given
    again makes a list of its values."""
    if key not in target:
        target[key] = value
        return
    existing = target[key]
    if isinstance(existing, dict):
        raise FormError("%r: %s is used both as a value and as a group" % (name, key))
    if not isinstance(existing, list):
        existing = target[key] = [existing]
    existing.extend(value if isinstance(value, list) else [value])


def _lists(value: Any) -> Any:
    """Groups whose keys are all indexes (0, 1, ...) become lists, in index order."""
    if isinstance(value, list):
        return [_lists(v) for v in value]
    if not isinstance(value, dict):
        return value
    nested = {k: _lists(v) for k, v in value.items()}
    if nested and all(k.isdigit() for k in nested):
        return [nested[k] for k in sorted(nested, key=int)]
    return nested


def flatten(data: dict[str, Any]) -> list[tuple[str, str]]:
    """The (name, value) pairs that `nest` reads back as `data`."""
    pairs: list[tuple[str, str]] = []
    for key, value in data.items():
        _flatten(key, value, pairs)
    return pairs


def _flatten(name: str, value: Any, pairs: list[tuple[str, str]]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten("%s[%s]" % (name, key), item, pairs)
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            _flatten("%s[%d]" % (name, i), item, pairs)
    elif value is None:
        return  # absent: the server's default applies
    elif value is True or value is False:
        pairs.append((name, "true" if value else "false"))
    else:
        pairs.append((name, str(value)))


def to_query(data: dict[str, Any]) -> str:
    """`data` as a query string: `a=1&b%5Bc%5D=x`."""
    return "&".join("%s=%s" % (quote(k), quote(v)) for k, v in flatten(data))


_SAFE = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def quote(text: str) -> str:
    """Percent-encode `text` (UTF-8) for a query string."""
    return "".join(chr(b) if b in _SAFE else "%%%02X" % b for b in text.encode("utf-8"))
