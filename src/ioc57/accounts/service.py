"""Users and tokens: create, change, authenticate. Every change is audited in the same transaction."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection

from ioc57.accounts.tables import ROLES, login_failures, tokens, users
from ioc57.core import audit
from ioc57.core.access import Principal
from ioc57.core.problems import Problem, field_error
from ioc57.core.security import hash_password, hash_token, new_token, verify_password
from ioc57.units.tables import units

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,59}$")
SCOPED_ROLES = ("officer", "system")
PUBLIC_USER_FIELDS = ("id", "username", "display_name", "email", "role", "disabled", "created_at")


def public_user(row: Any, unit_code: str | None = None) -> dict[str, Any]:
    item = {key: row._mapping[key] for key in PUBLIC_USER_FIELDS}
    item["created_at"] = item["created_at"].isoformat() if item["created_at"] else None
    item["unit"] = unit_code
    return item


def _users_query():
    return select(users, units.c.code.label("unit_code")).outerjoin(
        units, users.c.unit_id == units.c.id
    )


def get_user(conn: Connection, username: str) -> Any | None:
    return conn.execute(_users_query().where(users.c.username == username)).first()


def list_users(conn: Connection) -> list[dict[str, Any]]:
    rows = conn.execute(_users_query().order_by(users.c.username))
    return [public_user(r, r.unit_code) for r in rows]


def validate_role(role: str) -> str:
    if role not in ROLES:
        raise field_error("role", f"must be one of {', '.join(ROLES)}")
    return role


def create_user(
    conn: Connection,
    *,
    actor: str,
    username: str,
    role: str,
    password: str | None,
    unit_id: int | None = None,
    unit_code: str | None = None,
    display_name: str = "",
    email: str | None = None,
) -> dict[str, Any]:
    if not USERNAME.match(username or ""):
        raise field_error(
            "username", "2–60 characters: lower-case letters, digits, '.', '_' or '-'"
        )
    validate_role(role)
    if role in SCOPED_ROLES and unit_id is None:
        raise field_error("unit", f"a {role} needs a unit")
    if password is not None and len(password) < 8:
        raise field_error("password", "at least 8 characters")
    if get_user(conn, username) is not None:
        raise Problem(
            409, f"User '{username}' exists.", errors=[{"loc": ["username"], "msg": "taken"}]
        )
    values = {
        "username": username,
        "display_name": display_name or username,
        "email": email,
        "password_hash": hash_password(password) if password else None,
        "role": role,
        "unit_id": unit_id,
        "disabled": False,
        "created_at": audit.now(),
    }
    conn.execute(insert(users).values(**values))
    row = get_user(conn, username)
    after = public_user(row, unit_code)
    audit.record(
        conn, actor=actor, action="user.create", object_type="user", object_id=username, after=after
    )
    return after


def change_user(conn: Connection, *, actor: str, username: str, **changes: Any) -> dict[str, Any]:
    """Change role, unit, display name, disabled flag or password of a user."""
    row = get_user(conn, username)
    if row is None:
        raise Problem(404, f"No user '{username}'.")
    before = public_user(row, row.unit_code)
    values: dict[str, Any] = {}
    if "role" in changes and changes["role"] is not None:
        values["role"] = validate_role(changes["role"])
    if "unit_id" in changes:
        values["unit_id"] = changes["unit_id"]
    if changes.get("display_name") is not None:
        values["display_name"] = changes["display_name"]
    if changes.get("disabled") is not None:
        values["disabled"] = bool(changes["disabled"])
    if changes.get("password") is not None:
        if len(changes["password"]) < 8:
            raise field_error("password", "at least 8 characters")
        values["password_hash"] = hash_password(changes["password"])
    role = values.get("role", row.role)
    unit_id = values.get("unit_id", row.unit_id)
    if role in SCOPED_ROLES and unit_id is None:
        raise field_error("unit", f"a {role} needs a unit")
    if values:
        conn.execute(update(users).where(users.c.id == row.id).values(**values))
    new = get_user(conn, username)
    after = public_user(new, new.unit_code)
    audit.record(
        conn,
        actor=actor,
        action="user.change",
        object_type="user",
        object_id=username,
        before=before,
        after=after | ({"password": "changed"} if "password_hash" in values else {}),
    )
    return after


def principal_for(row: Any, via: str) -> Principal:
    return Principal(row.id, row.username, row.role, row.unit_id, row.unit_code, via)


def principal_by_id(conn: Connection, user_id: int) -> Principal | None:
    row = conn.execute(_users_query().where(users.c.id == user_id)).first()
    if row is None or row.disabled:
        return None
    return principal_for(row, "session")


# -- passwords and throttling ------------------------------------------------------------------


def recent_failures(conn: Connection, key: str, window_s: int) -> int:
    since = audit.now() - timedelta(seconds=window_s)
    query = (
        select(func.count())
        .select_from(login_failures)
        .where(login_failures.c.key == key, login_failures.c.at >= since)
    )
    return conn.execute(query).scalar_one()


def check_password(
    conn: Connection,
    username: str,
    password: str,
    *,
    address: str,
    max_failures: int,
    window_s: int,
) -> Principal | None:
    """The principal for a correct username and password, None when wrong; 429 when throttled.

    A failure is recorded in the caller's transaction, which must commit it.
    """
    key = f"{username.lower()}|{address}"
    if recent_failures(conn, key, window_s) >= max_failures:
        raise Problem(
            429,
            "Too many failed logins; wait and try again.",
            headers={"Retry-After": str(window_s)},
        )
    row = get_user(conn, username)
    ok = verify_password(row.password_hash if row is not None else None, password)
    if not ok or row is None or row.disabled:
        conn.execute(insert(login_failures).values(key=key, at=audit.now()))
        return None
    conn.execute(delete(login_failures).where(login_failures.c.key == key))
    return principal_for(row, "session")


# -- tokens ------------------------------------------------------------------------------------


def create_token(conn: Connection, *, actor: str, username: str, name: str = "") -> str:
    """Create a token for ``username`` and return it: the only time it is ever shown."""
    row = get_user(conn, username)
    if row is None:
        raise Problem(404, f"No user '{username}'.")
    token = new_token()
    conn.execute(
        insert(tokens).values(
            user_id=row.id,
            name=name or "",
            token_hash=hash_token(token),
            prefix=token[:12],
            created_at=audit.now(),
        )
    )
    audit.record(
        conn,
        actor=actor,
        action="token.create",
        object_type="user",
        object_id=username,
        after={"token": token[:12] + "…", "name": name},
    )
    return token


def principal_by_token(conn: Connection, token: str) -> Principal | None:
    query = (
        _users_query()
        .add_columns(tokens.c.id.label("token_id"))
        .join(tokens, tokens.c.user_id == users.c.id)
        .where(tokens.c.token_hash == hash_token(token), tokens.c.revoked_at.is_(None))
    )
    row = conn.execute(query).first()
    if row is None or row.disabled:
        return None
    return principal_for(row, "token")
