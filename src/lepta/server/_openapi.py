"""An OpenAPI 3.1 document of the app's server functions, from their type hints.

Served at `/_lepta/openapi.json` in development (and in production with
`openapi = true`), so standard tools can show the API and fuzz its endpoints.
"""

from __future__ import annotations

from typing import Any

from ..server_fn import ServerFunction
from ..server_fn._local import shape_of

REF = "#/components/schemas/{model}"
ERROR = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "type": {"type": "string", "description": "module:Class of the error"},
                "message": {"type": "string"},
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": "string"},
                    "description": "each bad field (dotted) and why (422 only)",
                },
            },
            "required": ["type", "message"],
        }
    },
    "required": ["error"],
}


def openapi_document(title: str, functions: list[ServerFunction]) -> dict[str, Any]:
    """The document describing `functions`."""
    schemas: dict[str, Any] = {"Error": ERROR}
    paths: dict[str, Any] = {}
    for function in sorted(functions, key=lambda f: f.endpoint):
        paths[function.endpoint] = {function.method.lower(): _operation(function, schemas)}
    return {
        "openapi": "3.1.0",
        "info": {"title": "%s: server functions" % title, "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas},
    }


def _operation(function: ServerFunction, schemas: dict[str, Any]) -> dict[str, Any]:
    shape = shape_of(function)
    arguments = _schema(shape.arguments.model_json_schema(ref_template=REF), schemas)
    arguments.pop("title", None)
    if function.streaming:
        assert shape.chunk is not None
        chunk = _schema(shape.chunk.json_schema(ref_template=REF), schemas)
        success = {
            "description": "one JSON value per line, as they come",
            "content": {"application/x-ndjson": {"schema": chunk}},
        }
    else:
        result = _schema(shape.result.json_schema(ref_template=REF), schemas)
        success = {"description": "the result", "content": {"application/json": {"schema": result}}}
    error = {"content": {"application/json": {"schema": {"$ref": REF.format(model="Error")}}}}
    shown = error
    if function.method != "GET":
        # A form posted by a browser itself (URL-encoded, not asking for JSON) is answered
        # as a page is: a 303 back to its page, or that page again showing the error.
        shown = {"content": {**error["content"], "text/html": {"schema": {"type": "string"}}}}
    operation: dict[str, Any] = {
        "operationId": function.name,
        "summary": (function.doc or "").strip().split("\n")[0] or function.name,
        "responses": {
            "200": success,
            "403": {"description": "a request from another site", **error},
            "413": {"description": "the request is too large", **error},
            "422": {"description": "arguments that do not fit the hints", **shown},
            "500": {"description": "the server failed", **error},
            "default": {"description": "a ServerError raised by the function", **shown},
        },
    }
    if function.method == "GET":
        operation["parameters"] = [
            {
                "name": name,
                "in": "query",
                "required": name in arguments.get("required", []),
                "schema": schema,
            }
            for name, schema in arguments.get("properties", {}).items()
        ]
    else:
        operation["responses"]["303"] = {
            "description": "a form posted without JavaScript: back to its page, or to "
            "where the function redirected (Post/Redirect/Get)",
            "headers": {"Location": {"required": True, "schema": {"type": "string"}}},
        }
        operation["requestBody"] = {
            "required": True,
            "content": {
                "application/json": {"schema": arguments},
                "application/x-www-form-urlencoded": {"schema": arguments},
            },
        }
    return operation


def _schema(schema: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any]:
    """`schema` with its definitions moved into the shared `schemas`."""
    schemas.update(schema.pop("$defs", {}))
    return schema
