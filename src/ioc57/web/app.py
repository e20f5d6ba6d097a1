"""The app factory: one FastAPI app with every module's API and pages."""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

import xstatic.pkg.leaflet as xleaflet
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

import ioc57
from ioc57 import modules
from ioc57.accounts import api as accounts_api
from ioc57.accounts import pages as accounts_pages
from ioc57.accounts import sessions as accounts_sessions
from ioc57.accounts.auth import authenticate
from ioc57.accounts.overview import accounts_panel
from ioc57.core.db import LOCKED, make_engine, unavailable
from ioc57.core.events import EventBus
from ioc57.core.i18n import N_
from ioc57.core.pages import LoginNeeded, login_redirect, render
from ioc57.core.problems import (
    Problem,
    from_http_exception,
    from_validation_error,
    problem_response,
)
from ioc57.core.settings import Settings, SettingsError, load_settings
from ioc57.indicators import api as indicators_api
from ioc57.indicators import downloads as indicators_downloads
from ioc57.indicators import entrypage as indicators_entry_page
from ioc57.indicators import pages as indicators_pages
from ioc57.indicators import reviewpage as indicators_review_page
from ioc57.indicators.overview import indicators_panel
from ioc57.ingest import api as ingest_api
from ioc57.ingest import importpage as ingest_import_page
from ioc57.ingest import pages as ingest_pages
from ioc57.ingest.gate import Gate
from ioc57.ingest.overview import gate_panel
from ioc57.ingest.sources import refusal as source_refusal
from ioc57.units import api as units_api
from ioc57.units import pages as units_pages
from ioc57.units.overview import units_panel
from ioc57.web import health, openapi, pages, stream
from ioc57.web.metrics import Metrics, MetricsMiddleware
from ioc57.web.security import SecurityHeadersMiddleware

HERE = Path(__file__).resolve().parent
PACKAGE = HERE.parent
TEMPLATE_DIRS = [
    HERE / "templates",
    PACKAGE / "units" / "templates",
    PACKAGE / "ingest" / "templates",
    PACKAGE / "indicators" / "templates",
]
API_PREFIXES = ("/api/", "/open311/")

# (path, message id) of the main navigation; later modules add theirs.
NAV = [
    ("/", N_("Overview")),
    ("/scorecard", N_("Scorecard")),
    ("/indicators", N_("Indicators")),
    ("/units", N_("Units")),
    ("/sources", N_("Data sources")),
]


def _wants_problem(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIXES) or "text/html" not in request.headers.get(
        "accept", ""
    )


def _error_response(request: Request, problem: Problem):
    if _wants_problem(request):
        return problem_response(problem, request)
    try:
        response = render(request, "error.html", status_code=problem.status, problem=problem)
    except DBAPIError:  # the page reads the session's user: without a database, answer plainly
        return problem_response(problem, request)
    for key, value in problem.headers.items():
        response.headers[key] = value
    return response


def database_unavailable(reason: str) -> Problem:
    """503 for a database that is locked, read-only or unreachable: the client may retry."""
    retry = 5 if reason == LOCKED else 30
    return Problem(
        503,
        f"The database is {reason} just now; try again in {retry} s.",
        headers={"Retry-After": str(retry)},
    )


@asynccontextmanager
async def _lifespan(app: FastAPI):
    for start in app.state.on_start:  # background work modules add (the pull scheduler)
        start()
    try:
        async with stream.running(app):
            yield
    finally:
        for stop in reversed(app.state.on_stop):
            stop()


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    settings = (settings or load_settings()).with_secret()
    if not settings.secret_key:
        raise SettingsError(f"no secret key: the folder of {settings.sqlite_path} does not exist")
    modules.load()
    engine = engine or make_engine(settings.database_url, busy_timeout_s=settings.db_busy_timeout_s)
    app = FastAPI(
        title="ioc57",
        version=ioc57.__version__,
        openapi_url="/api/v1/openapi.json",
        docs_url=None,  # Swagger UI loads its scripts from a CDN; the OpenAPI document is enough
        redoc_url=None,
        lifespan=_lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.bus = EventBus()
    app.state.gate = Gate(engine, app.state.bus)
    app.state.on_start, app.state.on_stop = [], []
    stream.attach(app)
    app.state.authenticate = authenticate
    app.state.refusals = [source_refusal]  # a disabled source's token is refused everywhere
    app.state.nav = list(NAV)
    app.state.overview_panels = [indicators_panel, units_panel, accounts_panel, gate_panel]
    app.state.metrics = Metrics()
    app.state.templates = Environment(
        loader=ChoiceLoader([FileSystemLoader(str(d)) for d in TEMPLATE_DIRS]),
        autoescape=select_autoescape(["html"]),
    )

    @app.exception_handler(Problem)
    async def on_problem(request: Request, exc: Problem):
        return _error_response(request, exc)

    @app.exception_handler(RequestValidationError)
    async def on_validation(request: Request, exc: RequestValidationError):
        return _error_response(request, from_validation_error(exc))

    @app.exception_handler(DBAPIError)
    async def on_database_error(request: Request, exc: DBAPIError):
        reason = unavailable(exc)
        if reason is None:  # a bug, not the database's state: stays a 500
            raise exc
        return _error_response(request, database_unavailable(reason))

    app.add_exception_handler(LoginNeeded, login_redirect)

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, exc: StarletteHTTPException):
        return _error_response(request, from_http_exception(exc))

    for router in (
        health.router,
        units_api.router,
        accounts_api.router,
        ingest_api.router,
        indicators_api.router,
        stream.router,
        accounts_pages.router,
        units_pages.router,
        ingest_pages.router,
        ingest_import_page.router,
        indicators_entry_page.router,  # before the pages: /indicators/entry is no indicator code
        indicators_review_page.router,
        indicators_downloads.router,
        indicators_pages.router,
        pages.router,
    ):
        app.include_router(router)
    openapi.install(app)  # every operation's error responses and real media types, documented

    app.mount("/static/vendor/leaflet", StaticFiles(directory=xleaflet.BASE_DIR), name="leaflet")
    charts = Path(settings.node_modules) / "chart.js" / "dist"
    if charts.is_dir():  # without it (no `npm ci` yet) pages still show every figure as a table
        app.mount("/static/vendor/chartjs", StaticFiles(directory=charts), name="chartjs")
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie="ioc57_session",
        max_age=accounts_sessions.MAX_AGE_S,
        same_site="lax",
        https_only=settings.secure_cookies,
    )
    app.add_middleware(MetricsMiddleware, metrics=app.state.metrics)
    app.add_middleware(SecurityHeadersMiddleware, secure=settings.secure_cookies)
    if settings.trusted_proxies:  # X-Forwarded-For is read only from these peers
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=list(settings.trusted_proxies))
    return app
