"""Users and tokens: create, change, authenticate. Every change is audited in the same transaction."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection

from ioc57.accounts import sessions
from ioc57.accounts.passwords import check_password_rule
from ioc57.accounts.tables import ROLES, login_failures, tokens, users
from ioc57.core import audit
from ioc57.core.access import Principal
from ioc57.core.clock import local_iso, now
from ioc57.core.problems import Problem, field_error
from ioc57.core.security import hash_password, hash_token, new_token, verify_password
from ioc57.units.tables import units

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,59}$")
SCOPED_ROLES = ("officer", "system")
PUBLIC_USER_FIELDS = ("id", "username", "display_name", "email", "role", "disabled", "created_at")


def public_user(row: Any, unit_code: str | None = None) -> dict[str, Any]:
    item = {key: row._mapping[key] for key in PUBLIC_USER_FIELDS}
    item["created_at"] = local_iso(item["created_at"])  # with its offset
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
    if password is not None:
        check_password_rule(password, username, display_name, email or "")
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
        "created_at": now(),
    }
    conn.execute(insert(users).values(**values))
    row = get_user(conn, username)
    after = public_user(row, unit_code)
    audit.record(
        conn, actor=actor, action="user.create", object_type="user", object_id=username, after=after
    )
    return after


def change_user(
    conn: Connection,
    *,
    actor: str,
    username: str,
    keep_session: str | None = None,
    **changes: Any,
) -> dict[str, Any]:
    """Change role, unit, display name, disabled flag or password of a user.

    A new password ends every session of the user but ``keep_session`` (the one making the
    change, when the user changes their own) and revokes all their tokens; disabling the user
    ends all their sessions and revokes all their tokens.
    """
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
        check_password_rule(
            changes["password"], username, values.get("display_name", row.display_name), row.email
        )
        values["password_hash"] = hash_password(changes["password"])
    role = values.get("role", row.role)
    unit_id = values.get("unit_id", row.unit_id)
    if role in SCOPED_ROLES and unit_id is None:
        raise field_error("unit", f"a {role} needs a unit")
    if values:
        conn.execute(update(users).where(users.c.id == row.id).values(**values))
    ended = {}
    if values.get("disabled") and not row.disabled:
        ended = end_credentials(conn, row.id, "user disabled")
    elif "password_hash" in values:
        ended = end_credentials(conn, row.id, "password changed", keep_session=keep_session)
    new = get_user(conn, username)
    assert new is not None  # changed above, in this transaction
    after = public_user(new, new.unit_code)
    audit.record(
        conn,
        actor=actor,
        action="user.change",
        object_type="user",
        object_id=username,
        before=before,
        after=after
        | ({"password": "changed"} if "password_hash" in values else {})
        | ({"ended": ended} if ended else {}),
    )
    return after


def end_credentials(
    conn: Connection, user_id: int, why: str, keep_session: str | None = None
) -> dict[str, int]:
    """End the user's sessions (but ``keep_session``) and revoke all their tokens."""
    ended = sessions.end_all(conn, user_id, why, keep=keep_session)
    revoked = conn.execute(
        update(tokens)
        .where(tokens.c.user_id == user_id, tokens.c.revoked_at.is_(None))
        .values(revoked_at=now())
    ).rowcount
    return {"sessions": ended, "tokens": revoked}


def principal_for(
    row: Any, via: str, session: str | None = None, token_id: int | None = None
) -> Principal:
    return Principal(
        row.id, row.username, row.role, row.unit_id, row.unit_code, via, session, token_id
    )


def principal_by_session(conn: Connection, sid: str) -> Principal | None:
    """The principal of a live session of an enabled user, else None."""
    session = sessions.live_row(conn, sid)
    if session is None:
        return None
    row = conn.execute(_users_query().where(users.c.id == session.user_id)).first()
    if row is None or row.disabled:
        return None
    return principal_for(row, "session", session=sid)


# -- passwords and throttling ------------------------------------------------------------------


def recent_failures(conn: Connection, key: str, window_s: int) -> int:
    since = now() - timedelta(seconds=window_s)
    query = (
        select(func.count())
        .select_from(login_failures)
        .where(login_failures.c.key == key, login_failures.c.at >= since)
    )
    return conn.execute(query).scalar_one()


def _wait_s(conn: Connection, key: str, limit: int, window_s: int) -> int:
    """Seconds until ``key`` has fewer than ``limit`` failures in the window (0: not throttled)."""
    since = now() - timedelta(seconds=window_s)
    counted = (login_failures.c.key == key, login_failures.c.at >= since)
    count = conn.execute(select(func.count()).select_from(login_failures).where(*counted))
    excess = count.scalar_one() - limit
    if excess < 0:
        return 0
    # the failure whose expiry brings the count under the limit
    at = conn.execute(
        select(login_failures.c.at)
        .where(*counted)
        .order_by(login_failures.c.at)
        .offset(excess)
        .limit(1)
    ).scalar_one()
    if at.tzinfo is None:  # SQLite gives naive UTC
        at = at.replace(tzinfo=since.tzinfo)
    return max(1, math.ceil((at + timedelta(seconds=window_s) - now()).total_seconds()))


def throttled_s(conn: Connection, key: str, limit: int, window_s: int) -> int:
    """Seconds before a failure counted under ``key`` stops throttling it (0: not throttled)."""
    return _wait_s(conn, key, limit, window_s)


def throttle_keys(username: str, address: str) -> dict[str, str]:
    """The counters a failed login adds to: this user from this address, the address across
    users (a spray of one password over many names), the user across addresses."""
    user = username.lower()
    return {"pair": f"u:{user}|a:{address}", "address": f"a:{address}", "user": f"u:{user}"}


def check_password(
    conn: Connection,
    username: str,
    password: str,
    *,
    address: str,
    max_failures: int,
    window_s: int,
    max_failures_address: int | None = None,
    max_failures_user: int | None = None,
) -> Principal | None:
    """The principal for a correct username and password, None when wrong; 429 when throttled.

    The 429 carries ``Retry-After``: the seconds until the login would be counted again. A failure is
    recorded in the caller's transaction, which must commit it.
    """
    keys = throttle_keys(username, address)
    limits = {"pair": max_failures, "address": max_failures_address, "user": max_failures_user}
    wait = max(
        _wait_s(conn, keys[name], limit, window_s)
        for name, limit in limits.items()
        if limit is not None
    )
    if wait:
        raise Problem(
            429,
            "Too many failed logins; wait and try again.",
            headers={"Retry-After": str(wait)},
        )
    row = get_user(conn, username)
    ok = verify_password(row.password_hash if row is not None else None, password)
    if not ok or row is None or row.disabled:
        at = now()
        conn.execute(insert(login_failures), [{"key": key, "at": at} for key in keys.values()])
        return None
    conn.execute(delete(login_failures).where(login_failures.c.key == keys["pair"]))
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
            created_at=now(),
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
    return _token_principal(conn, tokens.c.token_hash == hash_token(token))


def principal_by_token_id(conn: Connection, token_id: int) -> Principal | None:
    return _token_principal(conn, tokens.c.id == token_id)


def _token_principal(conn: Connection, which) -> Principal | None:
    """The principal of an unrevoked token of an enabled user, else None."""
    query = (
        _users_query()
        .add_columns(tokens.c.id.label("token_id"))
        .join(tokens, tokens.c.user_id == users.c.id)
        .where(which, tokens.c.revoked_at.is_(None))
    )
    row = conn.execute(query).first()
    if row is None or row.disabled:
        return None
    return principal_for(row, "token", token_id=row.token_id)


def _token_item(row: Any) -> dict[str, Any]:
    item = {
        "id": row.id,
        "username": row.username,
        "name": row.name,
        "prefix": row.prefix,
    }
    for key in ("created_at", "last_used_at", "revoked_at"):
        item[key] = local_iso(row._mapping[key])  # with its offset
    return item


def _tokens_query():
    return select(
        tokens.c.id,
        users.c.username,
        tokens.c.name,
        tokens.c.prefix,
        tokens.c.created_at,
        tokens.c.last_used_at,
        tokens.c.revoked_at,
    ).join(users, users.c.id == tokens.c.user_id)


def list_tokens(
    conn: Connection, *, user_id: int | None = None, username: str | None = None
) -> list[dict[str, Any]]:
    """Tokens (never their value), newest first: of one user, or all."""
    query = _tokens_query()
    if user_id is not None:
        query = query.where(tokens.c.user_id == user_id)
    if username is not None:
        query = query.where(users.c.username == username)
    return [_token_item(r) for r in conn.execute(query.order_by(tokens.c.id.desc()))]


def get_token(conn: Connection, token_id: int) -> dict[str, Any] | None:
    row = conn.execute(_tokens_query().where(tokens.c.id == token_id)).first()
    return _token_item(row) if row is not None else None


def revoke_token(conn: Connection, *, actor: str, token_id: int) -> dict[str, Any]:
    """Revoke a token: every request carrying it is refused from now on, in every process."""
    return revoke_row(conn, tokens, token_id, get_token, actor=actor, kind="token")


def revoke_row(
    conn: Connection,
    table: Any,
    row_id: int,
    read: Callable[[Connection, int], dict[str, Any] | None],
    *,
    actor: str,
    kind: str,
    shown: Callable[[dict[str, Any]], dict[str, Any]] = lambda item: item,
) -> dict[str, Any]:
    """Revoke the credential ``row_id`` of ``table`` (a token, a device key) once, audited as
    ``<kind>.revoke`` with ``shown`` of it before and after; 404 when there is none."""
    before = read(conn, row_id)
    if before is None:
        raise Problem(404, f"No {kind} {row_id}.")
    if before["revoked_at"] is None:
        conn.execute(
            update(table)
            .where(table.c.id == row_id, table.c.revoked_at.is_(None))
            .values(revoked_at=now())
        )
    after = read(conn, row_id)
    assert after is not None  # read above, in this transaction
    audit.record(
        conn,
        actor=actor,
        action=f"{kind}.revoke",
        object_type=kind,
        object_id=str(row_id),
        before=shown(before),
        after=shown(after),
    )
    return after
