"""``/open311/v2``: citizen reports through Open311 GeoReport v2, in XML and JSON.

    GET  discovery.{xml|json}                 the endpoint, its formats, how to get a key
    GET  services.{xml|json}                  the categories of reports
    GET  services/{service_code}.{xml|json}   a category's attributes
    POST requests.{xml|json}                  file a report (api_key; form-encoded)
    GET  requests.{xml|json}                  reports, by the specification's filters
    GET  requests/{service_request_id}.{xml|json}
    GET  tokens/{token}.{xml|json}            the report a token (its tracking code) follows

Reading is public and shows what the public pages show (``requests``); filing needs an app's
key (``keys``) and counts against the app's rate limit (not its address's: an app's server files
for many citizens from one address). A filed report gets its id and its token: the citizen's
tracking code, which the app shows its citizen to follow the report and rate its answer on the
public pages. Errors are the specification's (``formats``), never this API's problem documents.
The interface is described by its specification, not by the OpenAPI document of ``/api/v1``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from sqlalchemy import select
from starlette.datastructures import FormData, UploadFile

from ioc57.core.clock import today
from ioc57.core.i18n import LANGUAGES
from ioc57.core.problems import Problem
from ioc57.feedback import queries
from ioc57.feedback.categories import categories
from ioc57.feedback.intake import file_report
from ioc57.feedback.open311 import filing, keys, listing, services
from ioc57.feedback.open311.formats import Open311Error, answer, error_answer, format_of
from ioc57.feedback.open311.requests import notice, service_requests
from ioc57.feedback.ratelimit import window
from ioc57.feedback.tables import reports
from ioc57.feedback.tracking import normal

PREFIX = "/open311/v2"
BODY_MAX = 64 * 1024  # a description of 4,000 characters and its attributes fit many times
router = APIRouter(prefix=PREFIX, tags=["open311"], include_in_schema=False)


def lang_of(request: Request) -> str:
    """The language of names and notes: the first of ``Accept-Language`` spoken here."""
    first = request.headers.get("accept-language", "").split(",")[0].split("-")[0].strip()
    return first if first in LANGUAGES else request.app.state.settings.default_lang


def base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def from_problem(problem: Problem) -> Open311Error:
    """The gate's refusal of a report (422 naming a field) as a request that cannot be filled."""
    return Open311Error(
        400 if problem.status == 422 else problem.status, problem.detail, problem.headers
    )


def respond(response_format: str, make: Callable[[], tuple[str, Any]]) -> Response:
    """Answer what ``make()`` gives (its XML root and its value), or its error, in the format the
    path ends with."""
    try:
        fmt = format_of(response_format)
    except Open311Error as error:
        return error_answer("json", error)
    try:
        root, value = make()
    except Open311Error as error:
        return error_answer(fmt, error)
    except Problem as problem:
        return error_answer(fmt, from_problem(problem))
    return answer(fmt, root, value)


@router.get("/discovery.{response_format}")
def discovery_get(response_format: str, request: Request) -> Response:
    url = base_url(request) + PREFIX
    return respond(
        response_format, lambda: ("discovery", services.discovery(url, lang_of(request)))
    )


def _jurisdiction(request: Request) -> str | None:
    """The province ``jurisdiction_id`` names, if given (404 for no current province)."""
    if not request.query_params.get("jurisdiction_id", "").strip():
        return None
    with request.app.state.engine.connect() as conn:
        return listing.jurisdiction(conn, request.query_params, today())


@router.get("/services.{response_format}")
def services_get(response_format: str, request: Request) -> Response:
    def make() -> tuple[str, Any]:
        _jurisdiction(request)
        return "services", services.service_list(lang_of(request))

    return respond(response_format, make)


@router.get("/services/{service_code}.{response_format}")
def service_definition_get(service_code: str, response_format: str, request: Request) -> Response:
    def make() -> tuple[str, Any]:
        _jurisdiction(request)
        kind = categories().get(service_code)
        if kind is None:
            raise Open311Error(404, f"service_code {service_code[:40]!r} was not found.")
        return "service_definition", services.definition(kind)

    return respond(response_format, make)


def _file(request: Request, form: FormData) -> dict[str, Any]:
    """File the report a form describes, for the app whose key it carries."""
    app = request.app
    key = form.get("api_key") or request.query_params.get("api_key") or ""
    with app.state.engine.begin() as conn:
        name = keys.app_for(conn, key) if isinstance(key, str) else None
    if name is None:
        raise Open311Error(403, "Missing or invalid api_key: ask the IOC's administrator for one.")
    per_hour = app.state.settings.feedback_intake_per_hour
    # per app (an app's server files for many citizens, from one address)
    wait = math.ceil(window(app.state, "open311", per_hour).take(name))
    if wait > 0:
        raise Open311Error(
            429, f"Too many reports: try again in {wait} s.", {"Retry-After": str(wait)}
        )
    with app.state.engine.connect() as conn:
        fields = filing.report_fields(app.state.gate, conn, form, today())
    filed = file_report(app.state.gate, fields, "open311", f"open311:{name}")
    lang = lang_of(request)
    return {
        "service_request_id": filed.record_id,
        "token": filed.tracking,
        "service_notice": notice(categories()[fields["category"]], lang),
        "account_id": None,
    }


async def read_form(request: Request) -> FormData:
    """The POST's form (``application/x-www-form-urlencoded``, UTF-8, as the specification says),
    at most ``BODY_MAX`` bytes."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind not in ("", "application/x-www-form-urlencoded"):
        raise Open311Error(400, "Send the request as application/x-www-form-urlencoded.")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > BODY_MAX:
            raise Open311Error(413, f"The request is larger than {BODY_MAX // 1024} KB.")
    try:
        pairs: list[tuple[str, str | UploadFile]] = list(
            parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=200)
        )
    except (UnicodeDecodeError, ValueError):
        raise Open311Error(400, "The form is not UTF-8 or has too many fields.") from None
    return FormData(pairs)


@router.post("/requests.{response_format}")
async def requests_post(response_format: str, request: Request) -> Response:
    try:
        fmt = format_of(response_format)
    except Open311Error as error:
        return error_answer("json", error)
    try:
        form = await read_form(request)
        created = await run_in_threadpool(_file, request, form)
    except Open311Error as error:
        return error_answer(fmt, error)
    except Problem as problem:
        return error_answer(fmt, from_problem(problem))
    return answer(fmt, "service_requests", [created])


@router.get("/requests.{response_format}")
def requests_get(response_format: str, request: Request) -> Response:
    def make() -> tuple[str, Any]:
        with request.app.state.engine.connect() as conn:
            query = listing.requests_query(conn, request.query_params, today())
            found = service_requests(conn, query, base_url(request), lang_of(request))
        return "service_requests", found

    return respond(response_format, make)


@router.get("/requests/{service_request_id}.{response_format}")
def request_get(service_request_id: str, response_format: str, request: Request) -> Response:
    def make() -> tuple[str, Any]:
        query = queries.REPORT_ROWS.where(reports.c.record_id == service_request_id[:200])
        province = _jurisdiction(request)
        if province is not None:
            query = query.where(reports.c.province_code == province)
        with request.app.state.engine.connect() as conn:
            found = service_requests(conn, query, base_url(request), lang_of(request))
        if not found:
            raise Open311Error(404, f"service_request_id {service_request_id[:40]!r} not found.")
        return "service_requests", found

    return respond(response_format, make)


@router.get("/tokens/{token}.{response_format}")
def token_get(token: str, response_format: str, request: Request) -> Response:
    def make() -> tuple[str, Any]:
        code = normal(token[:40])
        query = select(reports.c.record_id).where(reports.c.tracking == code)
        province = _jurisdiction(request)
        if province is not None:
            query = query.where(reports.c.province_code == province)
        with request.app.state.engine.connect() as conn:
            found = conn.execute(query).scalar()
        if not code or found is None:
            raise Open311Error(404, "token not found.")
        return "service_requests", [{"service_request_id": found, "token": code}]

    return respond(response_format, make)
