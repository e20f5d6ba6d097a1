"""How a request is authenticated: a bearer token, else the session cookie."""

from __future__ import annotations

from fastapi import Request

from ioc57.accounts.service import principal_by_id, principal_by_token
from ioc57.core.access import Principal


def authenticate(request: Request) -> Principal | None:
    if "principal" in request.scope.get("state", {}):
        return request.state.principal
    principal = None
    header = request.headers.get("authorization", "")
    with request.app.state.engine.connect() as conn:
        if header.lower().startswith("bearer "):
            principal = principal_by_token(conn, header[7:].strip())
        elif "session" in request.scope and request.session.get("uid"):
            principal = principal_by_id(conn, int(request.session["uid"]))
            if principal is None:
                request.session.clear()
    request.state.principal = principal
    return principal
