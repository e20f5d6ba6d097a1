"""Every response carries the security headers: a CSP with no inline script, no framing, nosniff."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from ioc57.core.settings import load_settings
from ioc57.web.app import create_app

PATHS = [
    "/",
    "/login",
    "/units/82",
    "/scorecard",
    "/units/99999",  # a 404 page
    "/api/v1/units/82",
    "/api/v1/units/99999",  # a problem+json 404
    "/static/ioc57.css",
    "/static/vendor/leaflet/leaflet.js",
    "/healthz",
]


def directives(csp: str) -> dict[str, list[str]]:
    parsed = {}
    for part in csp.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


@pytest.mark.parametrize("path", PATHS)
def test_every_response_carries_the_security_headers(client, path):
    r = client.get(path)
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["referrer-policy"] in ("same-origin", "no-referrer", "strict-origin")
    csp = directives(r.headers["content-security-policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval'
    assert csp["img-src"] == ["'self'", "data:"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in csp.get("style-src", [])
    assert "strict-transport-security" not in r.headers  # not told it is behind HTTPS


def test_pages_have_no_inline_script(client):
    for path in ("/", "/login", "/units/82", "/scorecard", "/indicators"):
        html = client.get(path).text
        for tag in html.split("<script")[1:]:
            assert tag.lstrip().startswith("src=") and "</script>" in tag, (path, tag[:80])
        assert " onload=" not in html and " onclick=" not in html and " onerror=" not in html


def test_hsts_only_behind_https(db_url, engine):
    settings = load_settings(database_url=db_url, secret_key="k" * 32, secure_cookies=True)
    with TestClient(create_app(settings, engine), base_url="https://testserver") as secure:
        r = secure.get("/login")
    assert r.headers["strict-transport-security"].startswith("max-age=")
    assert int(r.headers["strict-transport-security"].split("=")[1].split(";")[0]) >= 15552000
