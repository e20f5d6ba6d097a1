"""The app factory: one FastAPI app with every installed module's API and pages
(``ioc57.modules``): their routers, templates, navigation, overview panels and subscribers."""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

import xstatic.pkg.leaflet as xleaflet
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

import ioc57
from ioc57 import modules
from ioc57.accounts import sessions as accounts_sessions
from ioc57.core.access import JSON_INTERFACES
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
from ioc57.core.refs import resolve
from ioc57.core.settings import Settings, SettingsError, load_settings
from ioc57.ingest.gate import Gate
from ioc57.web import apidocs, badges, favicon, health, openapi, pages, stream
from ioc57.web.metrics import Metrics, MetricsMiddleware
from ioc57.web.security import SecurityHeadersMiddleware

HERE = Path(__file__).resolve().parent
API_PREFIXES = (*JSON_INTERFACES, "/open311/")  # answered with problem JSON
HOME = modules.Link("/", N_("Overview"), 0)  # the modules' entries follow, by their order


def navigation(installed: tuple[modules.Module, ...]) -> list[tuple[str, str]]:
    """(path, message id) of the main navigation: the overview, then the modules' entries."""
    links = sorted([HOME, *(link for m in installed for link in m.nav)], key=lambda k: k.order)
    return [(link.path, link.label) for link in links]


def nav_actions(installed: tuple[modules.Module, ...]) -> dict[str, str]:
    """The entries of the navigation shown only to those who may take an action: path → action."""
    return {link.path: link.action for m in installed for link in m.nav if link.action}


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


def start_background(app: FastAPI) -> None:
    """Run the modules' background work (task reminders, ...) while ``app`` runs: ``ioc57 serve``
    asks for it; an app made for a test or a script runs none."""
    for start, stop in app.state.background:
        app.state.on_start.append(start)
        app.state.on_stop.append(stop)


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    settings = (settings or load_settings()).with_secret()
    if not settings.secret_key:
        raise SettingsError(f"no secret key: the folder of {settings.sqlite_path} does not exist")
    installed = modules.load()
    engine = engine or make_engine(settings.database_url, busy_timeout_s=settings.db_busy_timeout_s)
    app = FastAPI(
        title="ioc57",
        version=ioc57.__version__,
        openapi_url="/api/v1/openapi.json",
        docs_url=None,  # FastAPI's Swagger UI page loads its scripts from a CDN: ``web.apidocs``
        redoc_url=None,
        lifespan=_lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.bus = EventBus()
    app.state.gate = Gate(engine, app.state.bus)
    app.state.on_start, app.state.on_stop = [], []
    # (start, stop) of the modules' background work, which ``start_background`` runs with the app
    app.state.background = []
    stream.attach(app)
    app.state.refusals = []  # (conn, principal) -> why a principal's token is refused, or None
    app.state.nav = navigation(installed)
    app.state.nav_actions = nav_actions(installed)
    app.state.badges = badges.Badges([link for m in installed for link in m.nav])
    panels = sorted((p for m in installed for p in m.panels), key=lambda p: p.order)
    app.state.overview_panels = [resolve(panel.render) for panel in panels]
    app.state.metrics = Metrics()
    folders = [HERE / "templates", *(m.templates for m in installed if m.templates)]
    app.state.templates = Environment(
        loader=ChoiceLoader([FileSystemLoader(str(d)) for d in folders]),
        autoescape=select_autoescape(["html"]),
    )
    for module in installed:
        for event_type, handler in module.subscribers:
            app.state.bus.subscribe(event_type, handler)
        if module.install is not None:
            module.install(app)

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

    @app.exception_handler(LoginNeeded)
    async def on_login_needed(request: Request, exc: LoginNeeded) -> RedirectResponse:
        return login_redirect(exc)

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, exc: StarletteHTTPException):
        return _error_response(request, from_http_exception(exc))

    apis = [resolve(r) for m in installed for r in m.api]
    screens = [resolve(r) for m in installed for r in m.pages]
    routers = (health.router, favicon.router, apidocs.router, *apis, badges.router, stream.router)
    for router in (*routers, *screens, pages.router):
        app.include_router(router)  # the overview and the login page last
    openapi.install(app)  # every operation's error responses and real media types, documented

    app.mount("/static/vendor/leaflet", StaticFiles(directory=xleaflet.BASE_DIR), name="leaflet")
    # the browser libraries of the npm registry (without them, no `npm ci` yet, pages still show
    # every figure as a table and every place as a plain marker)
    app.state.swagger_ui = False
    for name, folder in (
        ("chartjs", "chart.js/dist"),
        ("markercluster", "leaflet.markercluster/dist"),
        ("swagger-ui", "swagger-ui-dist"),  # the interactive API docs (``web.apidocs``)
    ):
        vendor = Path(settings.node_modules) / folder
        if vendor.is_dir():
            files = apidocs.SwaggerFiles if name == "swagger-ui" else StaticFiles
            app.mount(f"/static/vendor/{name}", files(directory=vendor), name=name)
            app.state.swagger_ui |= name == "swagger-ui"
    for module in installed:
        if module.static is not None:
            path = f"/static/modules/{module.name}"
            app.mount(path, StaticFiles(directory=module.static), name=f"static-{module.name}")
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
