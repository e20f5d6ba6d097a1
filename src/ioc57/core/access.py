"""Who may do what, decided in one place.

``POLICY`` names every protected action and the roles that may take it: the few of the platform
below, and those each module declares in its manifest (``define``, called by ``modules.load``). A user with a unit is
confined to that unit's subtree for every action that concerns a unit: the endpoint passes the ids
of the target unit and its ancestors (``scope_chain``), and ``authorize`` checks that the user's
unit is among them. The web layer plugs in how a request is authenticated
(``app.state.authenticate``), so that modules at every layer can depend on this file alone.

Writing records (``authorize_write``) is decided here too, for every path that writes them (the
push API, the observations API, the import and entry pages, ``ioc57 import``, pulls, the demo):
once per record type — may this principal write it at all, and are its values approved on
arrival — and once per record, by its unit (``WriteGrant.unit_error``).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any, TypeGuard

from fastapi import Depends, Request

from ioc57.core.i18n import N_
from ioc57.core.messages import Message, entry, message
from ioc57.core.problems import Problem
from ioc57.core.security import same

LOGIN_NEEDED = message("access.login_needed", N_("Log in or send a bearer token."))
ROLE_REFUSED = message("access.role_refused", N_("The role '{role}' may not do '{action}'."))
OUT_OF_SCOPE = message("access.out_of_scope", N_("That unit is outside your scope."))
UNIT_OUT_OF_SCOPE = message("access.unit_out_of_scope", N_("outside your scope"))
CODE_OUT_OF_SCOPE = message("access.code_out_of_scope", N_("{code} is outside your scope"))
FORM_EXPIRED = message(
    "access.form_expired", N_("The form has expired; reload the page and try again.")
)
DEVICE_READS = message("access.device_reads", N_("A wall display's device key only reads."))
OWN_SOURCE_ONLY = message(
    "access.own_source_only", N_("A data source's token writes only as its own source.")
)

ALL = ("admin", "leader", "operator", "officer", "viewer", "system")

POLICY: dict[str, tuple[str, ...]] = {
    "audit.read": ("admin",),
    "stream.read": ALL,
}


def define(actions: Mapping[str, tuple[str, ...]]) -> None:
    """Add a module's actions to the policy. An action belongs to one module: defining it again
    with other roles is a mistake, refused at start-up."""
    for action, roles in actions.items():
        unknown = set(roles) - set(ALL)
        if unknown:
            raise ValueError(f"{action}: no role {', '.join(sorted(unknown))}")
        if POLICY.get(action, tuple(roles)) != tuple(roles):
            raise ValueError(f"the action {action!r} is defined twice")
        POLICY[action] = tuple(roles)


SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


@dataclass(frozen=True)
class Principal:
    id: int
    username: str
    role: str
    unit_id: int | None
    unit_code: str | None
    # "session", "token", "source" (a source's own system user), "cli", or "device" (a wall
    # display's read-only key: refused on every unsafe method, never writes records)
    via: str
    session: str | None = None  # the id of the session row (a cookie's)
    token_id: int | None = None  # the id of the token (a bearer's), or of the device (a display's)

    @property
    def is_source(self) -> bool:
        """A data source's own system user: it reads and writes only as its source."""
        return self.role == "system"


# who runs ``ioc57 import`` and the other commands: the administrator of the machine, who holds
# the database itself (no user row: id 0 is never a user's)
LOCAL_ADMIN = Principal(0, "cli", "admin", None, None, "cli")


def may(
    principal: Principal | None, action: str, scope_chain: Collection[int] | None = None
) -> TypeGuard[Principal]:
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
        raise Problem(401, LOGIN_NEEDED, headers={"WWW-Authenticate": "Bearer"})
    if principal.role not in POLICY[action]:
        raise Problem(403, ROLE_REFUSED, role=principal.role, action=action)
    if not may(principal, action, scope_chain):
        raise Problem(403, OUT_OF_SCOPE, errors=[entry(UNIT_OUT_OF_SCOPE, ["unit"])])
    return principal


# the paths of the interfaces that take JSON from systems and scripts (a bearer token; a browser's
# session writes there only with its CSRF header): the REST API and EPCIS 2.0's
JSON_INTERFACES = ("/api/", "/epcis/")


def optional_principal(request: Request) -> Principal | None:
    """The authenticated principal, or None; checks CSRF for cookie-borne unsafe requests."""
    principal: Principal | None = request.app.state.authenticate(request)
    cookie_write = (
        principal is not None
        and principal.via == "session"
        and request.method not in SAFE_METHODS
        and request.url.path.startswith(JSON_INTERFACES)
    )
    if cookie_write:
        sent = request.headers.get("x-csrf-token", "")
        if not sent or not same(sent, csrf_token(request)):
            raise Problem(403, "Missing or wrong X-CSRF-Token header.")
    return principal


def current_principal(principal: Principal | None = Depends(optional_principal)) -> Principal:
    if principal is None:
        raise Problem(401, LOGIN_NEEDED, headers={"WWW-Authenticate": "Bearer"})
    return principal


def require(action: str) -> Callable[..., Principal]:
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
        raise Problem(403, FORM_EXPIRED)


# -- writing records ---------------------------------------------------------------------------


class Refused(Problem):
    """A write the policy refuses as a whole (403): nothing of it is stored."""

    def __init__(self, detail: Message, field: str = "record_type", **params: Any) -> None:
        super().__init__(403, detail, errors=[entry(detail, [field], **params)], **params)


@dataclass(frozen=True)
class WriteGrant:
    """What ``authorize_write`` allows a principal writing records of one type.

    ``approve``: the values of a type that needs a review are approved on arrival. ``scope``: the
    unit every record's unit must lie under (the writer's own unit); None when the writer has no
    unit of its own (a national user, or a source, which the gate confines to its own units).
    """

    principal: Principal
    approve: bool
    scope: int | None

    def unit_error(
        self, field: str, code: str, scope_chain: Collection[int]
    ) -> dict[str, Any] | None:
        """The row error when the unit ``code`` (whose scope chain is given) is outside the
        writer's scope; None when the record may be written."""
        if self.scope is None or self.scope in scope_chain:
            return None
        return entry(CODE_OUT_OF_SCOPE, [field], code=code)


def authorize_write(
    principal: Principal | None,
    action: str,
    *,
    own_source: bool,
    trusted: bool = False,
    review: str | None = None,
) -> WriteGrant:
    """Decide whether ``principal`` may write records whose type needs ``action``.

    A source's own system user (``own_source``) writes what the source was given (its record types
    and units, checked by the gate) and nothing else: a system token never writes for another
    source. A person needs ``action`` and is confined to their unit. The values of a type that
    needs a ``review`` action are approved on arrival when the person may take it (a leader, an
    admin), or when they come from a ``trusted`` source's own system user; otherwise they wait for
    a review. Raises ``Refused`` (or a 401 Problem for no principal).
    """
    if principal is None:
        raise Problem(401, LOGIN_NEEDED, headers={"WWW-Authenticate": "Bearer"})
    if principal.via == "device":
        raise Refused(DEVICE_READS, "device")
    if principal.is_source:
        if not own_source:
            raise Refused(OWN_SOURCE_ONLY, "source")
        return WriteGrant(principal, approve=review is not None and trusted, scope=None)
    if principal.role not in POLICY[action]:
        raise Refused(ROLE_REFUSED, role=principal.role, action=action)
    approve = review is not None and principal.role in POLICY[review]
    return WriteGrant(principal, approve=approve, scope=principal.unit_id)
