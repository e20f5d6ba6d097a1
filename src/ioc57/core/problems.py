"""RFC 7807 problem details: one exception type and the handlers that turn errors into answers.

API paths (``/api/``, ``/open311/``) answer ``application/problem+json`` with a list of field errors;
other paths get a friendly HTML page from the web layer, which registers its own renderer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NoReturn

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ioc57.core.messages import Message, entry

PROBLEM_JSON = "application/problem+json"

TITLES = {
    400: "Bad request",
    401: "Authentication required",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Payload too large",
    415: "Unsupported media type",
    422: "Invalid input",
    429: "Too many requests",
    500: "Internal server error",
    503: "Service unavailable",
}


class Problem(Exception):
    """An error with an HTTP status, a human sentence and, optionally, field-level errors.

    ``detail`` is English, or a declared ``Message`` (``core.messages``) filled from ``params``:
    then the body carries its ``code`` and ``params`` too, and a page shows it translated."""

    def __init__(
        self,
        status: int,
        detail: str | Message,
        *,
        errors: Sequence[dict[str, Any]] = (),
        headers: dict[str, str] | None = None,
        title: str | None = None,
        **params: Any,
    ) -> None:
        self.code: str | None = None
        self.params: dict[str, Any] = {}
        if isinstance(detail, Message):
            said = entry(detail, **params)
            self.code, self.params, detail = detail.code, said.get("params", {}), said["msg"]
        super().__init__(detail)
        self.status = status
        self.detail: str = str(detail)
        self.errors = list(errors)
        self.headers = headers or {}
        self.title = title or TITLES.get(status, "Error")


def field_error(field: str, msg: str | Message, **params: Any) -> Problem:
    """A 422 naming one query or body field; ``msg`` a declared ``Message`` (with ``params``) is
    translated on pages, a plain string is English only."""
    loc = field.split(".")
    said: dict[str, Any] = (
        entry(msg, loc, **params) if isinstance(msg, Message) else {"loc": loc, "msg": msg}
    )
    problem = Problem(422, f"{field}: {said['msg']}", errors=[said])
    problem.code, problem.params = said.get("code"), said.get("params", {})
    return problem


def problem_body(problem: Problem, instance: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": problem.title,
        "status": problem.status,
        "detail": problem.detail,
        "instance": instance,
    }
    if problem.code:
        body["code"] = problem.code
        if problem.params:
            body["params"] = problem.params
    if problem.errors:
        body["errors"] = problem.errors
    return body


def problem_response(problem: Problem, request: Request) -> JSONResponse:
    return JSONResponse(
        problem_body(problem, request.url.path),
        status_code=problem.status,
        media_type=PROBLEM_JSON,
        headers=problem.headers,
    )


def from_validation_error(exc: RequestValidationError) -> Problem:
    errors = []
    for err in exc.errors():
        loc = [str(part) for part in err.get("loc", ())]
        said = {"loc": loc, "msg": err.get("msg", "invalid"), "type": err.get("type")}
        said["code"] = err.get("type")
        if err.get("ctx"):
            said["params"] = {
                k: v if isinstance(v, str | int | float) else str(v) for k, v in err["ctx"].items()
            }
        errors.append(said)
    names = ", ".join(".".join(e["loc"][1:] or e["loc"]) for e in errors) or "input"
    return Problem(422, f"Invalid value for {names}", errors=errors)


def from_http_exception(exc: StarletteHTTPException) -> Problem:
    detail = exc.detail if isinstance(exc.detail, str) else TITLES.get(exc.status_code, "Error")
    return Problem(exc.status_code, detail, headers=dict(exc.headers or {}))


def exit_with(problem: Problem) -> NoReturn:
    """For commands: say what is wrong, naming the fields, and exit 2 (bad input)."""
    import sys

    import click

    fields = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in problem.errors)
    said = fields and fields not in problem.detail
    click.echo(f"error: {problem.detail}" + (f" ({fields})" if said else ""), err=True)
    sys.exit(2)
