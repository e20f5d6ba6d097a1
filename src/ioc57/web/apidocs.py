"""``/api/v1/docs``: the OpenAPI document in Swagger UI, served by the app itself (no CDN).

Swagger UI comes from the npm package ``swagger-ui-dist`` (pinned in package.json, installed by
``npm ci`` like Chart.js) and is mounted at ``/static/vendor/swagger-ui``; the page is started by
``/static/apidocs.js``, a file of ours, so that the Content-Security-Policy needs no inline script.
Swagger UI's validator badge, which would ask validator.swagger.io, is off: no request leaves the
app. Without ``npm ci`` the page says so and links the OpenAPI document.
"""

from __future__ import annotations

from html import escape

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

router = APIRouter(include_in_schema=False)

VENDOR = "/static/vendor/swagger-ui"
# the package's files this page loads; its others (a demo index.html and initializer that read
# petstore.swagger.io, source maps, the ES bundles) are not served
FILES = frozenset({"swagger-ui.css", "swagger-ui-bundle.js"})


class SwaggerFiles(StaticFiles):
    """``swagger-ui-dist``'s folder, of which only ``FILES`` are served."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        if path not in FILES:
            raise HTTPException(404)
        return await super().get_response(path, scope)


PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} API</title>
<link rel="icon" href="data:,">
{head}
</head>
<body>
{body}
</body>
</html>
"""


@router.get("/api/v1/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    """Swagger UI over ``/api/v1/openapi.json`` (``data-url``, read by apidocs.js)."""
    title = escape(request.app.title)
    openapi_url = escape(request.app.openapi_url or "")
    if not request.app.state.swagger_ui:
        body = (
            f"<h1>{title} API</h1><p>The interactive documentation needs the browser libraries: "
            "run <code>npm ci</code> (<code>make demo</code> does). The API's description is "
            f'<a href="{openapi_url}">{openapi_url}</a>.</p>'
        )
        return HTMLResponse(PAGE.format(title=title, head="", body=body))
    head = (
        f'<link rel="stylesheet" href="{VENDOR}/swagger-ui.css">\n'
        f'<script src="{VENDOR}/swagger-ui-bundle.js" defer></script>\n'
        '<script src="/static/apidocs.js" defer></script>'
    )
    body = f'<div id="swagger-ui" data-url="{openapi_url}"></div>'
    return HTMLResponse(PAGE.format(title=title, head=head, body=body))
