"""``/api/v1/users``, ``/api/v1/tokens``, ``/api/v1/audit``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, Field
from sqlalchemy.engine import Connection

from ioc57.accounts import service
from ioc57.accounts.tables import ROLES
from ioc57.core import audit
from ioc57.core.access import Principal, authorize, current_principal, may, require
from ioc57.core.clock import local_iso, today
from ioc57.core.http import Limit, Offset, read_conn, write_conn
from ioc57.core.problems import Problem, field_error
from ioc57.units.queries import unit_at

router = APIRouter(prefix="/api/v1", tags=["accounts"])


class UserIn(BaseModel):
    username: str = Field(min_length=2, max_length=60)
    role: str = Field(json_schema_extra={"enum": list(ROLES)})
    password: str | None = Field(default=None, min_length=8, max_length=200)
    unit: str | None = Field(default=None, max_length=40)
    display_name: str = Field(default="", max_length=200)
    email: str | None = Field(default=None, max_length=200)


class UserChange(BaseModel):
    role: str | None = None
    unit: str | None = Field(default=None, max_length=40)
    clear_unit: bool = False
    display_name: str | None = Field(default=None, max_length=200)
    disabled: bool | None = None
    password: str | None = Field(default=None, min_length=8, max_length=200)


def unit_id_for(conn: Connection, code: str | None) -> int | None:
    if code is None:
        return None
    row = unit_at(conn, code, today())
    if row is None:
        raise field_error("unit", f"no current unit has code {code!r}")
    return row.id


@router.get("/users")
def users_list(
    _: Annotated[Principal, Depends(require("users.read"))],
    conn: Annotated[Connection, Depends(read_conn)],
):
    items = service.list_users(conn)
    return {"items": items, "total": len(items)}


@router.post("/users", status_code=201)
def users_create(
    body: UserIn,
    principal: Annotated[Principal, Depends(require("users.write"))],
    conn: Annotated[Connection, Depends(write_conn)],
):
    return service.create_user(
        conn,
        actor=principal.username,
        username=body.username,
        role=body.role,
        password=body.password,
        unit_id=unit_id_for(conn, body.unit),
        unit_code=body.unit,
        display_name=body.display_name,
        email=body.email,
    )


@router.patch("/users/{username}")
def users_change(
    username: str,
    body: UserChange,
    principal: Annotated[Principal, Depends(require("users.write"))],
    conn: Annotated[Connection, Depends(write_conn)],
):
    changes = body.model_dump(exclude_unset=True, exclude={"unit", "clear_unit"})
    if body.unit is not None:
        changes["unit_id"] = unit_id_for(conn, body.unit)
    elif body.clear_unit:
        changes["unit_id"] = None
    # changing one's own password keeps the session that does it (every other one ends)
    own = principal.username == username
    return service.change_user(
        conn,
        actor=principal.username,
        username=username,
        keep_session=principal.session if own else None,
        **changes,
    )


class TokenIn(BaseModel):
    name: str = Field(default="", max_length=100)
    username: str | None = Field(default=None, max_length=60)


@router.post("/tokens", status_code=201)
def tokens_create(
    body: TokenIn,
    principal: Annotated[Principal, Depends(current_principal)],
    conn: Annotated[Connection, Depends(write_conn)],
):
    """A new token for yourself (or, for an admin, for any user); shown this once only."""
    target = body.username or principal.username
    action = "tokens.create_own" if target == principal.username else "tokens.create"
    authorize(principal, action)
    token = service.create_token(conn, actor=principal.username, username=target, name=body.name)
    return {"username": target, "name": body.name, "token": token}


@router.get("/tokens")
def tokens_list(
    principal: Annotated[Principal, Depends(current_principal)],
    conn: Annotated[Connection, Depends(read_conn)],
    username: Annotated[str | None, Query(max_length=60)] = None,
):
    """Your own tokens (an admin's: everyone's, or one user's), never their values."""
    if may(principal, "tokens.manage"):
        items = service.list_tokens(conn, username=username)
    else:
        authorize(principal, "tokens.manage_own")
        if username not in (None, principal.username):
            authorize(principal, "tokens.manage")
        items = service.list_tokens(conn, user_id=principal.id)
    return {"items": items, "total": len(items)}


@router.delete("/tokens/{token_id}")
def tokens_revoke(
    token_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    principal: Annotated[Principal, Depends(current_principal)],
    conn: Annotated[Connection, Depends(write_conn)],
):
    """Revoke a token (your own; an admin any): refused everywhere from now on."""
    item = service.get_token(conn, token_id)
    if not may(principal, "tokens.manage"):
        authorize(principal, "tokens.manage_own")
        if item is None or item["username"] != principal.username:
            item = None  # another user's token is not yours to know of
    if item is None:
        raise Problem(404, f"No token {token_id}.")
    return service.revoke_token(conn, actor=principal.username, token_id=token_id)


@router.get("/audit")
def audit_list(
    _: Annotated[Principal, Depends(require("audit.read"))],
    conn: Annotated[Connection, Depends(read_conn)],
    object_type: Annotated[str | None, Query(max_length=40)] = None,
    actor: Annotated[str | None, Query(max_length=60)] = None,
    limit: Limit = 100,
    offset: Offset = 0,
):
    items = audit.entries(conn, object_type=object_type, actor=actor, limit=limit, offset=offset)
    for item in items:
        item["at"] = local_iso(item["at"])  # SQLite gives it back without its offset
    return {"items": items}
