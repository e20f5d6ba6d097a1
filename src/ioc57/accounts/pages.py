"""Login and logout pages."""

from __future__ import annotations

from urllib.parse import urlparse

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from ioc57.accounts import sessions
from ioc57.accounts.auth import SESSION_KEY
from ioc57.accounts.service import check_password
from ioc57.core import audit
from ioc57.core.access import check_csrf
from ioc57.core.http import client_address
from ioc57.core.pages import render
from ioc57.core.problems import Problem

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    if (
        not target
        or urlparse(target).netloc
        or not target.startswith("/")
        or target.startswith("//")
    ):
        return "/"
    return target


@router.get("/login")
def login_form(request: Request, next: str | None = None):
    return render(request, "login.html", next=_safe_next(next), error=None)


@router.post("/login")
def login_submit(
    request: Request,
    username: str = Form("", max_length=60),
    password: str = Form("", max_length=200),
    csrf_token: str = Form(""),
    next: str = Form("/"),
):
    check_csrf(request, csrf_token)
    settings = request.app.state.settings
    try:
        with request.app.state.engine.begin() as conn:
            principal = check_password(
                conn,
                username.strip(),
                password,
                address=client_address(request),
                max_failures=settings.login_max_failures,
                window_s=settings.login_window_s,
                max_failures_address=settings.login_max_failures_address,
                max_failures_user=settings.login_max_failures_user,
            )
            if principal is not None:
                previous = request.session.get(SESSION_KEY)
                if previous:  # a login over a live session replaces it
                    sessions.end(conn, sessions.session_id(previous), "replaced")
                secret = sessions.start(conn, principal.id)
                audit.record(
                    conn,
                    actor=principal.username,
                    action="user.login",
                    object_type="user",
                    object_id=principal.username,
                    address=client_address(request),
                )
    except Problem as problem:
        if problem.status != 429:
            raise
        wait_s = int(problem.headers["Retry-After"])
        response = render(
            request,
            "login.html",
            status_code=429,
            next=_safe_next(next),
            error="throttled",
            retry_minutes=max(1, -(-wait_s // 60)),
            username=username,
        )
        response.headers["Retry-After"] = str(wait_s)
        return response
    if principal is None:
        return render(
            request,
            "login.html",
            status_code=401,
            next=_safe_next(next),
            error="wrong",
            username=username,
        )
    # a new cookie (and CSRF token) at every login: a session fixed before it is worth nothing
    request.session.clear()
    request.session[SESSION_KEY] = secret
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request, csrf_token: str = Form("")):
    check_csrf(request, csrf_token)
    sid = request.session.get(SESSION_KEY)
    if sid:
        with request.app.state.engine.begin() as conn:
            sessions.end(conn, sessions.session_id(sid), "logout")
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
