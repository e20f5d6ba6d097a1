"""``/api/v1/docs`` renders the API in Swagger UI from the app itself: no request leaves the
machine (the IOC runs on a closed network), no script or style breaks the Content Security Policy,
and an integrator finds each record type's push with its schema and the bearer scheme."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


def test_the_api_docs_render_locally(page, server):
    host = urlsplit(server).hostname
    assert host == "127.0.0.1"
    outside: list[str] = []
    errors: list[str] = []

    def only_local(route):
        if urlsplit(route.request.url).hostname != host:
            outside.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    page.context.route("**/*", only_local)
    page.add_init_script(WATCH)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto("/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("ioc57")
    dossier = page.locator("#operations-records-ingest_push_dossier")
    expect(dossier).to_contain_text("/api/v1/ingest/dossier")
    dossier.locator(".opblock-summary").click()
    expect(dossier.locator(".opblock-section-request-body")).to_contain_text("received_at")
    page.get_by_role("button", name="Authorize").first.click()
    expect(page.locator(".auth-container")).to_contain_text("bearer")
    assert outside == [], outside
    assert page.evaluate("window.__violations") == []
    assert errors == [], errors
