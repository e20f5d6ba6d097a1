"""Security headers on every response: what a browser may run, load, frame, sniff and refer.

Scripts come only from the app's own files (no inline script, no ``eval``), so an injected
``<script>`` or ``onerror=`` does not run even if some text ever reached the page as HTML.
Styles come from the app's stylesheets; ``style`` attributes stay allowed because templates set
per-element colours (``style="--c: …"``) and that cannot run code. No page may be framed (the
admin forms cannot be clickjacked), forms post only to the app, and HSTS is sent only when the app
is told it is behind HTTPS (``IOC57_SECURE_COOKIES``).
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HSTS = "max-age=31536000"


def security_headers(secure: bool) -> dict[str, str]:
    headers = {
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "same-origin",
    }
    if secure:
        headers["Strict-Transport-Security"] = HSTS
    return headers


class SecurityHeadersMiddleware:
    """Adds :func:`security_headers` to every HTTP response that does not set them itself."""

    def __init__(self, app: ASGIApp, secure: bool = False) -> None:
        self.app = app
        self.headers = security_headers(secure)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
