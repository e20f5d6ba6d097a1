"""``/api/v1/docs``: Swagger UI from the app's own files, under the Content Security Policy; a
checkout without ``npm ci`` still answers, with the way to the OpenAPI document."""

from __future__ import annotations

from fastapi.testclient import TestClient

from ioc57.web.app import create_app


def test_the_docs_page_loads_swagger_ui_from_the_app(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<script src="/static/vendor/swagger-ui/swagger-ui-bundle.js"' in page.text
    assert '<script src="/static/apidocs.js"' in page.text
    assert 'data-url="/api/v1/openapi.json"' in page.text
    assert "://" not in page.text  # nothing from another host
    policy = page.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "unsafe-eval" not in policy
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        r = client.get(f"/static/vendor/swagger-ui/{asset}")
        assert r.status_code == 200 and len(r.content) > 10_000, asset
    assert "SwaggerUIBundle" in client.get("/static/apidocs.js").text
    # the package's demo page and its initializer point at petstore.swagger.io: not served
    for other in ("index.html", "swagger-initializer.js", "swagger-ui.js", "../../../app.py"):
        assert client.get(f"/static/vendor/swagger-ui/{other}").status_code == 404, other


def test_without_the_browser_libraries_the_page_says_what_to_run(settings, engine, tmp_path):
    bare = create_app(settings.model_copy(update={"node_modules": str(tmp_path)}), engine)
    with TestClient(bare, base_url="http://testserver") as client:
        page = client.get("/api/v1/docs")
    assert page.status_code == 200
    assert "npm ci" in page.text and 'href="/api/v1/openapi.json"' in page.text
    assert "swagger-ui-bundle.js" not in page.text
