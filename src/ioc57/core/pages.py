"""Rendering server-side pages: the common context every template gets."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from ioc57.core.access import csrf_token
from ioc57.core.i18n import LANGUAGES, translations


def page_lang(request: Request) -> str:
    lang = request.cookies.get("lang")
    return lang if lang in LANGUAGES else request.app.state.settings.default_lang


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    lang = page_lang(request)
    trans = translations(lang)
    principal = request.app.state.authenticate(request) if "session" in request.scope else None
    base = {
        "request": request,
        "lang": lang,
        "_": trans.gettext,
        "ngettext": trans.ngettext,
        "user": principal,
        "csrf_token": csrf_token(request) if "session" in request.scope else "",
        "nav": request.app.state.nav,
        "path": request.url.path,
    }
    html = request.app.state.templates.get_template(template).render(base | context)
    return HTMLResponse(html, status_code=status_code)
