"""Rendering server-side pages: the common context every template gets, and the door of a page
that needs a logged-in person."""

from __future__ import annotations

from collections.abc import Callable
from math import ceil
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from ioc57.core.access import Principal, authorize, csrf_token, may, optional_principal
from ioc57.core.i18n import LANGUAGES, day, moment, number, translations
from ioc57.core.messages import translate
from ioc57.core.periods import spoken


class LoginNeeded(Exception):
    """A visitor who has not logged in asked for a page that needs it (see ``login_redirect``)."""

    def __init__(self, back: str) -> None:
        super().__init__(back)
        self.back = back


def require_login(action: str, back: str | None = None) -> Callable[..., Principal]:
    """A dependency for a page: the principal, who may take ``action`` (else 403). A visitor who has
    not logged in is sent to the login page, then back to ``back`` (default: the page asked for)."""

    def dependency(
        request: Request, principal: Principal | None = Depends(optional_principal)
    ) -> Principal:
        if principal is None:
            query = request.url.query
            raise LoginNeeded(back or request.url.path + (f"?{query}" if query else ""))
        return authorize(principal, action)

    return dependency


def login_redirect(exc: LoginNeeded) -> RedirectResponse:
    """The app's answer to ``LoginNeeded``: 303 to the login page, which comes back after."""
    return RedirectResponse(f"/login?next={quote(exc.back)}", status_code=303)


def page_lang(request: Request) -> str:
    lang = request.cookies.get("lang")
    return lang if lang in LANGUAGES else request.app.state.settings.default_lang


def _badges(request: Request, principal: Principal | None) -> dict[str, Any]:
    """The counts beside the navigation's entries for this person (``web.badges``), their
    labels and icons, and the events after which the page reads them again."""
    entries = getattr(request.app.state, "badges", None)
    if entries is None:
        return {"counts": {}, "labels": {}, "icons": {}, "events": []}
    return {
        "counts": entries.counts(request.app.state.engine, principal),
        "labels": entries.labels,
        "icons": entries.icons,
        "events": entries.events,
    }


def _nav(request: Request, principal: Principal | None) -> list[tuple[str, str]]:
    """The navigation's entries this person may open (an entry's action, ``Link.action``)."""
    actions = getattr(request.app.state, "nav_actions", {})
    return [
        (href, label)
        for href, label in request.app.state.nav
        if href not in actions or may(principal, actions[href])
    ]


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
        "may": lambda action: may(principal, action),  # what the policy lets the user do
        "csrf_token": csrf_token(request) if "session" in request.scope else "",
        "nav": _nav(request, principal),
        "badges": _badges(request, principal),
        "path": request.url.path,
        # every page may write figures, days, times, periods and messages as its language does
        "num": number(lang),
        "day": day,
        "moment": moment,
        "period_name": lambda code: spoken(code, lang),
        "said": lambda error: translate(lang, error),
    }
    html = request.app.state.templates.get_template(template).render(base | context)
    return HTMLResponse(html, status_code=status_code)


def link(path: str, **params: Any) -> str:
    """An address with those of ``params`` that have a value."""
    return f"{path}?{urlencode({k: v for k, v in params.items() if v})}"


def pager(request: Request, page: int, total: int, size: int) -> dict[str, Any]:
    """The page of a long list shown (``size`` rows a page), how many there are, and the
    addresses of the previous and next ones (``_pager.html`` shows them)."""
    pages = max(1, ceil(total / size))

    def href(n: int) -> str:
        return link(request.url.path, **(dict(request.query_params) | {"page": n}))

    return {
        "page": page,
        "pages": pages,
        "previous": href(page - 1) if page > 1 else None,
        "next": href(page + 1) if page < pages else None,
    }
