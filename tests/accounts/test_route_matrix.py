"""Every route of the app, API and pages, against every role: the rules of ``route_rules.py``.

The routes are enumerated from the app itself (and the OpenAPI document is checked to hold no
operation beyond them), so a new route without a rule fails here, and so does a rule whose route
is gone. Each route is then called as each role with minimal valid input, on a database that
holds data, and the outcome's class must be the one the rule (through ``POLICY``) gives.

API calls carry the role's bearer token; page calls the role's session cookie and CSRF token, as
a browser would (a data source's token, which cannot log in, carries its bearer token to both).
"""

from __future__ import annotations

import itertools
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from starlette.routing import Mount

from ioc57.core.access import JSON_INTERFACES

from ..support.http import auth, login
from ..web.seed import seed, walk_routes
from .route_rules import ALLOWED, DENIED, LOGIN, ROLES, RULES

pytestmark = pytest.mark.long  # minutes: scheduled first (tests/support/scheduling.py)

SERVER_ERROR = "server error"


def app_routes(app) -> set[tuple[str, str]]:
    found = set()
    for route in walk_routes(app.routes):
        if isinstance(route, Mount):
            assert route.path.startswith("/static"), f"a mount that is no static files: {route}"
            continue
        for method in route.methods - {"HEAD"}:
            found.add((method, route.path))
    return found


def outcome(response) -> str:
    if response.status_code >= 500:
        return SERVER_ERROR
    if response.status_code == 401:
        return LOGIN
    redirect = response.status_code in (301, 302, 303, 307, 308)
    if redirect and urlsplit(response.headers.get("location", "")).path == "/login":
        return LOGIN
    if response.status_code == 403:
        return DENIED
    return ALLOWED


def csrf_of(client: TestClient) -> str:
    page = client.get("/login")
    return page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


class Caller:
    """One role's browser (session and CSRF token) and its bearer token, if any."""

    def __init__(self, app, data, role: str) -> None:
        self.app, self.data, self.role = app, data, role
        self.client, self.csrf = self.fresh()
        if role == "anonymous":
            self.bearer = {}
        elif role == "system":  # a data source's token: the system role as it is used
            self.bearer = auth(data.source_token)
        else:
            self.bearer = auth(data.tokens[role])

    def fresh(self) -> tuple[TestClient, str]:
        client = TestClient(self.app, base_url="http://testserver", raise_server_exceptions=False)
        if self.role in ("anonymous", "system"):
            return client, csrf_of(client)
        username = self.data.usernames[self.role]
        return client, login(client, username, self.data.passwords[self.role])

    def call(self, method: str, path: str, inputs: dict, template: bytes):
        client, csrf = self.client, self.csrf
        if (method, path) in (("POST", "/login"), ("POST", "/logout")):
            client, csrf = self.fresh()  # they change the session: not the one the others use
        url = path.format(**inputs.get("path", {}))
        api = path.startswith(JSON_INTERFACES)  # a bearer token
        headers = dict(self.bearer) if api or self.role == "system" else {}
        kwargs: dict = {"params": inputs.get("params"), "headers": headers}
        if "json" in inputs:
            kwargs["json"] = inputs["json"]
        if "form" in inputs or method == "POST" and not api:
            form = inputs.get("form", {})
            if form == "login":
                viewer = self.data.usernames["viewer"]
                form = {"username": viewer, "password": self.data.passwords["viewer"], "next": "/"}
            kwargs["data"] = {**form, "csrf_token": csrf}
        if inputs.get("files") == "template":
            kwargs["files"] = {"file": ("template.csv", template, "text/csv")}
        elif "files" in inputs:
            kwargs["files"] = inputs["files"]
        return client.request(method, url, follow_redirects=False, **kwargs)


@pytest.fixture
def world(app):
    with TestClient(app, base_url="http://testserver") as client:
        data = seed(app, client)
        r = client.get(
            "/indicators/template.csv",
            params={"unit": "82", "period": "2024"},
            headers=auth(data.tokens["admin"]),
        )
        assert r.status_code == 200, r.text
        yield client, data, r.content


def test_every_route_has_a_rule_and_every_rule_a_route(app):
    routes = app_routes(app)
    documented = {
        (method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        for method in operations
    }
    assert documented <= routes, documented - routes
    assert sorted(routes - set(RULES)) == [], "routes with no rule in route_rules.py"
    assert sorted(set(RULES) - routes) == [], "rules for routes that are gone"


def test_every_role_against_every_route(world):
    client, data, template = world
    callers = {role: Caller(client.app, data, role) for role in ROLES}
    numbers = itertools.count(1)
    wrong = {}
    for (method, path), rule in sorted(RULES.items(), key=lambda item: item[0][0] == "POST"):
        for role in ROLES:
            inputs = rule.call(data, next(numbers))
            response = callers[role].call(method, path, inputs, template)
            got, expected = outcome(response), rule.expected(role)
            if got != expected:
                wrong[f"{method} {path} as {role}"] = (
                    f"expected {expected}, got {response.status_code} "
                    f"{response.headers.get('location', '')} {response.text[:160]!r}"
                )
    assert wrong == {}, "\n".join(f"{k}: {v}" for k, v in wrong.items())
