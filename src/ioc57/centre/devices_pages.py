"""``/wall/connect`` (a wall display enters its device key) and ``/wall/devices`` (an admin issues
and revokes device keys). Both must be matched before ``/wall/{layout}``: this router comes first
in the centre's manifest."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import RedirectResponse

from ioc57.accounts import devices
from ioc57.centre import layouts
from ioc57.core.access import Principal, check_csrf
from ioc57.core.http import client_address
from ioc57.core.i18n import moment
from ioc57.core.pages import render, require_login
from ioc57.core.problems import Problem

router = APIRouter(include_in_schema=False)

Admin = Annotated[Principal, Depends(require_login("centre.devices"))]


def _wall(layout: str) -> str:
    """The address of the wall a device opens: its layout's, or the default."""
    return f"/wall/{layout}" if layout else "/wall"


def _connect_form(request: Request, status_code: int = 200, **context):
    request.state.principal = None  # the form is a display's, never a person's or a device's
    key = request.cookies.get(devices.COOKIE)
    connected, layout = None, ""
    if key:
        with request.app.state.engine.connect() as conn:
            connected = devices.principal_by_device(conn, key)
            if connected is not None and connected.token_id is not None:
                layout = devices.layout_of(conn, connected.token_id)
    response = render(
        request,
        "wall_connect.html",
        status_code=status_code,
        connected=connected.username.removeprefix("device:") if connected else None,
        wall=_wall(layout),
        **context,
    )
    if key and connected is None:  # revoked or unknown: forget it
        response.delete_cookie(devices.COOKIE, path="/")
    return response


@router.get("/wall/connect")
def connect_form(request: Request):
    return _connect_form(request, error=None)


@router.post("/wall/connect")
def connect_submit(
    request: Request, key: str = Form("", max_length=200), csrf_token: str = Form("")
):
    check_csrf(request, csrf_token)
    if not key.strip():  # nothing typed is no guess: not counted
        return _connect_form(request, 422, error="empty")
    settings = request.app.state.settings
    try:
        with request.app.state.engine.begin() as conn:
            principal = devices.check_key(
                conn,
                key,
                address=client_address(request),
                max_failures=settings.login_max_failures,
                window_s=settings.login_window_s,
            )
            layout = devices.layout_of(conn, principal.token_id or 0) if principal else ""
    except Problem as problem:
        if problem.status != 429:
            raise
        wait_s = int(problem.headers["Retry-After"])
        response = _connect_form(
            request, 429, error="throttled", retry_minutes=max(1, -(-wait_s // 60))
        )
        response.headers["Retry-After"] = str(wait_s)
        return response
    if principal is None:
        return _connect_form(request, 401, error="wrong")
    response = RedirectResponse(_wall(layout), status_code=303)
    response.set_cookie(
        devices.COOKIE,
        key.strip(),
        max_age=devices.COOKIE_MAX_AGE_S,
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
    )
    return response


def _devices_page(request: Request, status_code: int = 200, **context):
    with request.app.state.engine.connect() as conn:
        items = [devices.public(item) for item in devices.list_devices(conn)]
        named = [(item["name"], item["layout"].title) for item in layouts.every(conn)]
    base = {
        "devices": items,
        "layouts": named,  # offered in the form (any other name may still be typed)
        "moment": moment,
        "issued": None,
        "error": None,
        "form": {},
    }
    return render(request, "wall_devices.html", status_code=status_code, **(base | context))


@router.get("/wall/devices")
def devices_page(request: Request, _: Admin):
    return _devices_page(request)


@router.post("/wall/devices")
def devices_issue(
    request: Request,
    principal: Admin,
    name: str = Form("", max_length=100),
    unit: str = Form("", max_length=40),
    layout: str = Form("", max_length=60),
    csrf_token: str = Form(""),
):
    check_csrf(request, csrf_token)
    form = {"name": name, "unit": unit, "layout": layout}
    try:
        with request.app.state.engine.begin() as conn:
            item, key = devices.create_device(
                conn,
                actor=principal.username,
                name=name,
                unit_id=devices.unit_id_of(conn, unit),
                layout=layout,
                created_by=principal.id,
            )
    except Problem as problem:
        if problem.status != 422:
            raise
        field = problem.errors[0]["loc"][-1] if problem.errors else "name"
        return _devices_page(request, 422, error=field, form=form)
    connect = str(request.base_url).rstrip("/") + "/wall/connect"
    response = _devices_page(request, issued={"name": item["name"], "key": key, "connect": connect})
    response.headers["Cache-Control"] = "no-store"  # the key is shown this once
    return response


@router.post("/wall/devices/{device_id}/revoke")
def devices_revoke(
    request: Request,
    principal: Admin,
    device_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    csrf_token: str = Form(""),
):
    check_csrf(request, csrf_token)
    with request.app.state.engine.begin() as conn:
        devices.revoke_device(conn, actor=principal.username, device_id=device_id)
    return RedirectResponse("/wall/devices", status_code=303)
