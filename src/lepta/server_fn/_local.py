"""Running a server function on the server: arguments validated and converted from
its type hints (by pydantic), the result shaped as the JSON a browser would get.

Server-only: the browser bundle leaves this module out (the browser calls over HTTP).
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import AsyncIterator
from typing import Any

import pydantic

from ._errors import ValidationError
from ._function import ServerFunction


class Shape:
    """What a server function takes and gives, as pydantic sees it (made once)."""

    __slots__ = ("arguments", "chunk", "result")

    def __init__(self, function: ServerFunction) -> None:
        fn = function.fn
        assert fn is not None
        hints = typing.get_type_hints(fn, include_extras=True)
        fields: dict[str, Any] = {}
        for name, param in inspect.signature(fn).parameters.items():
            if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
                raise TypeError("a server function takes named parameters only, not *%s" % name)
            default = ... if param.default is param.empty else param.default
            fields[name] = (hints.get(name, Any), default)
        self.arguments: type[pydantic.BaseModel] = pydantic.create_model(
            "Arguments of %s" % function.name,
            __config__=pydantic.ConfigDict(extra="ignore"),
            **fields,
        )
        result = hints.get("return", Any)
        self.chunk: pydantic.TypeAdapter[Any] | None = None
        if function.streaming:  # AsyncIterator[T] / AsyncGenerator[T, None]: chunks of T
            items = typing.get_args(result)
            self.chunk = pydantic.TypeAdapter(items[0] if items else Any)
            result = Any
        self.result: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(result)


def shape_of(function: ServerFunction) -> Shape:
    """The function's Shape, made on first use and kept on it."""
    shape: Shape | None = function.shape
    if shape is None:
        shape = function.shape = Shape(function)
    return shape


def validate(function: ServerFunction, data: Any) -> dict[str, Any]:
    """The arguments in `data` (a dict), converted to the hinted types; ValidationError
    (naming each bad field and why) when they do not fit."""
    if not isinstance(data, dict):
        raise ValidationError(
            "the arguments of %s must be an object of named values" % function.name
        )
    try:
        model = shape_of(function).arguments.model_validate(data)
    except pydantic.ValidationError as exc:
        raise invalid(function, exc) from None
    return model.__dict__  # the fields, by name (the model is dropped)


def validate_json(function: ServerFunction, body: bytes) -> dict[str, Any]:
    """`validate` for a JSON body, parsed and checked in one step (pydantic's own
    parser: faster than json.loads first)."""
    if not body:
        return validate(function, {})
    try:
        model = shape_of(function).arguments.model_validate_json(body)
    except pydantic.ValidationError as exc:
        errors = exc.errors(include_url=False)
        if errors and errors[0]["type"] == "json_invalid":
            message = str(errors[0]["msg"])
            raise ValidationError(
                "the body is not valid JSON: %s" % message, fields={"(body)": message}
            ) from None
        raise invalid(function, exc) from None
    return model.__dict__


def invalid(function: ServerFunction, exc: pydantic.ValidationError) -> ValidationError:
    fields: dict[str, str] = {}
    for error in exc.errors(include_url=False):
        field = ".".join(str(part) for part in error["loc"]) or "(arguments)"
        fields.setdefault(field, error["msg"])
    listed = "; ".join("%s: %s" % item for item in fields.items())
    return ValidationError("invalid arguments for %s: %s" % (function.name, listed), fields=fields)


async def call_local(function: ServerFunction, arguments: dict[str, Any]) -> Any:
    """Run the function in-process; its result as the browser would receive it."""
    assert function.fn is not None
    result = await function.fn(**validate(function, arguments))
    return shape_of(function).result.dump_python(result, mode="json")


async def stream_local(function: ServerFunction, arguments: dict[str, Any]) -> AsyncIterator[Any]:
    """Run a streaming function in-process; each chunk as the browser would receive it."""
    assert function.fn is not None
    chunk = shape_of(function).chunk
    assert chunk is not None
    async for item in function.fn(**validate(function, arguments)):
        yield chunk.dump_python(item, mode="json")
