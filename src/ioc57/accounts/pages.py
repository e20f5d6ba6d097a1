"""Login and logout pages."""

from __future__ import annotations

from urllib.parse import urlparse

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

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
            )
            if principal is not None:
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
        return render(
            request,
            "login.html",
            status_code=429,
            next=_safe_next(next),
            error="throttled",
            username=username,
        )
    if principal is None:
        return render(
            request,
            "login.html",
            status_code=401,
            next=_safe_next(next),
            error="wrong",
            username=username,
        )
    request.session.clear()
    request.session["uid"] = principal.id
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request, csrf_token: str = Form("")):
    check_csrf(request, csrf_token)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
