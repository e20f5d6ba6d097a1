"""How a request is authenticated: a bearer token, else the session cookie, else a wall
display's device cookie (``ioc57_device``: read-only, refused on every unsafe method).

Both are looked up in the database on every request, so a revoked token, an ended session and a
disabled user are refused at once by every process. Modules add their own refusals to
``app.state.refusals`` (the data gate refuses the token of a disabled source): each is called with
a connection and the principal and returns why the principal is refused, or None.
"""

from __future__ import annotations

import contextlib

from fastapi import FastAPI, Request
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from ioc57.accounts import devices, sessions
from ioc57.accounts.service import (
    principal_by_session,
    principal_by_token,
    principal_by_token_id,
)
from ioc57.core.access import SAFE_METHODS, Principal
from ioc57.core.problems import Problem

SESSION_KEY = "sid"


def _refused(app: FastAPI, conn: Connection, principal: Principal) -> str | None:
    for refusal in getattr(app.state, "refusals", ()):
        why = refusal(conn, principal)
        if why:
            return why
    return None


def authenticate(request: Request) -> Principal | None:
    """The request's principal, None when anonymous; a 403 when a module refuses it."""
    if "principal" in request.scope.get("state", {}):
        return request.state.principal
    principal = None
    refused = None
    header = request.headers.get("authorization", "")
    with request.app.state.engine.connect() as conn:
        if header.lower().startswith("bearer "):
            principal = principal_by_token(conn, header[7:].strip())
        elif "session" in request.scope and (
            SESSION_KEY in request.session or "uid" in request.session
        ):
            sid = request.session.get(SESSION_KEY)
            principal = principal_by_session(conn, sessions.session_id(sid)) if sid else None
            if principal is None:  # ended, expired, or a cookie from before sessions were kept
                request.session.clear()
        if principal is None and request.cookies.get(devices.COOKIE):
            # revoked or unknown: anonymous (``/wall/connect`` clears the cookie)
            principal = devices.principal_by_device(conn, request.cookies[devices.COOKIE])
        if principal is not None:
            refused = _refused(request.app, conn, principal)
            if principal.via == "device" and refused is None:
                refused = _device_refusal(request)
                if refused is None:
                    _touch_device(request.app, principal, conn)
            if principal.session is not None and refused is None:
                _touch(request.app, principal.session, conn)
    # the error page that answers a refusal renders as for an anonymous visitor
    request.state.principal = None if refused else principal
    if refused:
        raise Problem(403, refused)
    return principal


def _touch(app: FastAPI, sid: str, conn: Connection) -> None:
    """Note that the session was seen: at most once a minute, and never at the cost of the
    request (a database busy with a long write is no reason to refuse a page)."""
    row = sessions.live_row(conn, sid)
    if row is not None and sessions.stale(row):
        with contextlib.suppress(SQLAlchemyError), app.state.engine.begin() as write:
            sessions.seen(write, sid)


def _device_refusal(request: Request) -> str | None:
    """A wall display only reads: every unsafe method is refused, whatever its role may do."""
    if request.method not in SAFE_METHODS:
        return "A wall display's device key only reads."
    return None


def _touch_device(app: FastAPI, principal: Principal, conn: Connection) -> None:
    """Note that the display was seen: at most once a minute, never at the cost of the request."""
    assert principal.token_id is not None  # a device principal carries its device's id
    if devices.stale(conn, principal.token_id):
        with contextlib.suppress(SQLAlchemyError), app.state.engine.begin() as write:
            devices.seen(write, principal.token_id)


def recheck(app: FastAPI, principal: Principal) -> str | None:
    """Why ``principal`` no longer counts (for an open stream), or None while it still does.

    Its session must be live or its token (or device key) unrevoked, its user enabled, with the
    same role and unit, and no module may refuse it.
    """
    with app.state.engine.connect() as conn:
        if principal.via == "device":
            assert principal.token_id is not None  # a device principal carries its device's id
            if devices.principal_by_device_id(conn, principal.token_id) is None:
                return "the device was revoked"
            return _refused(app, conn, principal)
        if principal.session is not None:
            now = principal_by_session(conn, principal.session)
        elif principal.token_id is not None:
            now = principal_by_token_id(conn, principal.token_id)
        else:
            now = None
        if now is None:
            return "the session has ended or the token was revoked"
        if (now.role, now.unit_id) != (principal.role, principal.unit_id):
            return "the user's role or unit has changed"
        return _refused(app, conn, now)
