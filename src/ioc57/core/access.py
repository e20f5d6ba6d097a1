"""Who may do what, decided in one place.

``POLICY`` names every protected action and the roles that may take it. A user with a unit is
confined to that unit's subtree for every action that concerns a unit: the endpoint passes the ids
of the target unit and its ancestors (``scope_chain``), and ``authorize`` checks that the user's
unit is among them. The web layer plugs in how a request is authenticated
(``app.state.authenticate``), so that modules at every layer can depend on this file alone.
"""

from __future__ import annotations

import secrets
from collections.abc import Collection
from dataclasses import dataclass

from fastapi import Depends, Request

from ioc57.core.problems import Problem
from ioc57.core.security import same

ALL = ("admin", "leader", "operator", "officer", "viewer", "system")

POLICY: dict[str, tuple[str, ...]] = {
    "units.create": ("admin", "officer"),
    "users.read": ("admin", "leader"),
    "users.write": ("admin",),
    "tokens.create": ("admin",),
    "tokens.create_own": ("admin", "leader", "operator", "officer", "viewer"),
    "tokens.manage": ("admin",),  # list and revoke anyone's tokens
    "tokens.manage_own": ALL,  # list and revoke one's own
    "audit.read": ("admin",),
    "stream.read": ALL,
    "sources.read": ("admin", "leader", "operator"),
    "sources.write": ("admin",),
    "ingest.read": ("admin", "leader", "operator", "system"),
    "ingest.push": ("admin", "system"),
    "rollups.read": ("admin", "leader", "operator", "officer", "viewer"),
    "observations.submit": ("admin", "leader", "officer"),
    "observations.review": ("admin", "leader"),
    "targets.write": ("admin", "leader"),
}

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


@dataclass(frozen=True)
class Principal:
    id: int
    username: str
    role: str
    unit_id: int | None
    unit_code: str | None
    via: str  # "session" or "token"
    session: str | None = None  # the id of the session row (a cookie's)
    token_id: int | None = None  # the id of the token (a bearer's)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def may(
    principal: Principal | None, action: str, scope_chain: Collection[int] | None = None
) -> bool:
    if principal is None or principal.role not in POLICY[action]:
        return False
    if scope_chain is not None and principal.unit_id is not None:
        return principal.unit_id in scope_chain
    return True


def authorize(
    principal: Principal | None, action: str, scope_chain: Collection[int] | None = None
) -> Principal:
    """Return the principal when it may take ``action`` (on the unit whose chain is given)."""
    if principal is None:
        raise Problem(401, "Log in or send a bearer token.", headers={"WWW-Authenticate": "Bearer"})
    if principal.role not in POLICY[action]:
        raise Problem(403, f"The role '{principal.role}' may not do '{action}'.")
    if not may(principal, action, scope_chain):
        raise Problem(
            403,
            "That unit is outside your scope.",
            errors=[{"loc": ["unit"], "msg": "outside your scope"}],
        )
    return principal


def optional_principal(request: Request) -> Principal | None:
    """The authenticated principal, or None; checks CSRF for cookie-borne unsafe requests."""
    principal = request.app.state.authenticate(request)
    cookie_write = (
        principal is not None
        and principal.via == "session"
        and request.method not in SAFE_METHODS
        and request.url.path.startswith("/api/")
    )
    if cookie_write:
        sent = request.headers.get("x-csrf-token", "")
        if not sent or not same(sent, csrf_token(request)):
            raise Problem(403, "Missing or wrong X-CSRF-Token header.")
    return principal


def current_principal(principal: Principal | None = Depends(optional_principal)) -> Principal:
    if principal is None:
        raise Problem(401, "Log in or send a bearer token.", headers={"WWW-Authenticate": "Bearer"})
    return principal


def require(action: str):
    """A dependency that lets through only principals whose role may take ``action``."""

    def dependency(principal: Principal | None = Depends(optional_principal)) -> Principal:
        return authorize(principal, action)

    return dependency


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use."""
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(24)
        request.session["csrf"] = token
    return token


def check_csrf(request: Request, sent: str | None) -> None:
    if not sent or not same(sent, csrf_token(request)):
        raise Problem(403, "The form has expired; reload the page and try again.")
