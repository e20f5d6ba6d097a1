"""The OpenAPI document tells the truth about errors and media types, for every operation at once.

FastAPI documents a 200 (as JSON) and a 422 (as its own validation shape) per route. Our API answers
every error as ``application/problem+json`` with one shape (``ioc57.core.problems``), and some
operations answer CSV or an event stream. ``install`` post-processes the generated document once,
from what each route is, so that no router has to list its errors:

- ``Problem`` is one component schema; every error response refers to it;
- 401 and 403 where the route authenticates (it depends on ``optional_principal``);
- 404 and 422 where the route takes parameters (a path id that is not there, a value out of range);
- 400, 404, 409, 413, 415 and 422 where the route takes a body (POST, PUT, PATCH): a body names
  things (a user, a unit) that may not be there;
- 503 everywhere (the database is locked or cannot be written);
- the bearer scheme (``bearer``) on the routes that authenticate: required where the route
  depends on ``current_principal`` or ``require(...)``, optional (``{}`` beside it) where it reads
  the principal itself and answers anonymous callers too;
- the schema of every record type (``ingest.contract``), which the push paths refer to;
- a route that documents the content of a response itself (``responses={200: {"content": ...}}``,
  CSV or ``text/event-stream``) gets exactly those media types, not FastAPI's default JSON beside.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute

from ioc57.core.access import optional_principal
from ioc57.core.problems import PROBLEM_JSON, TITLES
from ioc57.ingest.contract import record_schemas

# a message's stable machine code (``core.messages``): dotted, lower-case, its module first
# (``ingest.unit_unknown``), or pydantic's error type (``missing``, ``literal_error``)
CODE_SCHEMA: dict[str, Any] = {
    "type": "string",
    "description": "The message's stable code: what a client should test, not the English "
    "`msg`/`detail`, which may be reworded.",
    "examples": ["ingest.unit_unknown", "literal_error"],
}
PARAMS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "The values that fill the message's `{name}` fields (a client that "
    "translates the message by its code fills them in its own language).",
    "additionalProperties": {"type": ["string", "number", "boolean", "null"]},
}
PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "RFC 7807 problem details, with the fields at fault in `errors`. `detail` and "
    "each error's `msg` are English; `code` and `params` say the same for a machine.",
    "type": "object",
    "required": ["type", "title", "status", "detail", "instance"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "code": CODE_SCHEMA,
        "params": PARAMS_SCHEMA,
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["loc", "msg"],
                "properties": {
                    "loc": {"type": "array", "items": {"type": ["string", "integer"]}},
                    "msg": {"type": "string"},
                    "type": {"type": ["string", "null"]},
                    "code": CODE_SCHEMA | {"type": ["string", "null"]},
                    "params": PARAMS_SCHEMA,
                },
            },
        },
    },
}
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
BEARER_SCHEME = {
    "type": "http",
    "scheme": "bearer",
    "description": (
        "A data source's token (`ioc57 source create`, or `POST /api/v1/sources`) or a "
        "person's API token. Pages use the session cookie instead, and their writes to the API "
        "an `X-CSRF-Token` header."
    ),
}
BODY_METHODS = {"post", "put", "patch"}
ALWAYS = (503,)
AUTHENTICATED = (401, 403)
WITH_PARAMETERS = (404, 422)
WITH_BODY = (400, 404, 409, 413, 415, 422)


def walk_routes(routes: list[BaseRoute]) -> Iterator[BaseRoute]:
    """Every route of the app, routers included into it flattened (FastAPI keeps them nested)."""
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from walk_routes(included.routes)
        else:
            yield route


def _authenticates(dependant: Dependant) -> bool:
    return any(
        dep.call is optional_principal or _authenticates(dep) for dep in dependant.dependencies
    )


def security(route: APIRoute) -> list[dict[str, list[str]]] | None:
    """The bearer scheme where ``route`` authenticates: required when a dependency of the route
    (``current_principal``, ``require(...)``) refuses anonymous callers, optional when the route
    reads the principal itself; None for a route that reads no principal."""
    direct = [dep for dep in route.dependant.dependencies if dep.call is optional_principal]
    if any(_authenticates(dep) for dep in route.dependant.dependencies):
        return [{"bearer": []}]
    return [{"bearer": []}, {}] if direct else None


def error_statuses(route: APIRoute, method: str, operation: dict) -> list[int]:
    statuses = set(ALWAYS)
    if _authenticates(route.dependant):
        statuses.update(AUTHENTICATED)
    if operation.get("parameters"):
        statuses.update(WITH_PARAMETERS)
    if method in BODY_METHODS:
        statuses.update(WITH_BODY)
    return sorted(statuses)


def _problem_response(status: int) -> dict:
    return {
        "description": TITLES.get(status, "Error"),
        "content": {PROBLEM_JSON: {"schema": PROBLEM_REF}},
    }


def document(app: FastAPI, schema: dict) -> dict:
    components = schema.setdefault("components", {})
    components.setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    components["schemas"].update(record_schemas()[1])
    components["securitySchemes"] = {"bearer": BEARER_SCHEME}
    for route in walk_routes(app.routes):
        if not isinstance(route, APIRoute) or not route.include_in_schema:
            continue
        for method in sorted(route.methods or ()):
            operation = schema["paths"].get(route.path_format, {}).get(method.lower())
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            for status, declared in (route.responses or {}).items():
                if isinstance(declared, dict) and "content" in declared:
                    responses[str(status)]["content"] = declared["content"]
            for status in error_statuses(route, method.lower(), operation):
                responses[str(status)] = _problem_response(status)
            needs = security(route)
            if needs is not None:
                operation["security"] = needs
    # FastAPI's own validation shapes are answered by none of our operations
    for name in ("HTTPValidationError", "ValidationError"):
        schema["components"]["schemas"].pop(name, None)
    return schema


def install(app: FastAPI) -> None:
    """Make ``app.openapi()`` return the documented error responses."""
    generate = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None or not getattr(app.state, "openapi_documented", False):
            app.openapi_schema = document(app, generate())
            app.state.openapi_documented = True
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way
