"""Wall displays' device keys: read-only credentials an admin issues and revokes.

A wall display is not a person: it logs in with a device key (``/wall/connect`` sets it as the
``ioc57_device`` cookie) and reads as a viewer, confined to the device's unit (none: the whole
country). Only the key's SHA-256 is stored, the key itself is shown once at issue; its prefix names
it in lists. A revoked key is refused at once by every process (each request reads its row), and an
open event stream of the display ends at its next re-check.
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection

from ioc57.accounts.service import revoke_row, throttled_s
from ioc57.accounts.tables import devices, login_failures, users
from ioc57.core import audit
from ioc57.core.access import Principal
from ioc57.core.clock import now, today
from ioc57.core.problems import Problem, field_error
from ioc57.core.security import hash_token
from ioc57.units.queries import unit_at
from ioc57.units.tables import units

KEY_PREFIX = "ioc57d_"
COOKIE = "ioc57_device"
COOKIE_MAX_AGE_S = 400 * 24 * 3600  # the longest a browser keeps a cookie
SEEN_EVERY_S = 60  # last_seen_at is written at most this often
LAYOUT = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")  # as centre.layouts names them


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(24)


def _query():
    return select(
        devices,
        units.c.code.label("unit_code"),
        units.c.name.label("unit_name"),
        users.c.username.label("created_by_name"),
    ).select_from(
        devices.outerjoin(units, devices.c.unit_id == units.c.id).outerjoin(
            users, devices.c.created_by == users.c.id
        )
    )


def _item(row: Any) -> dict[str, Any]:
    item = {
        "id": row.id,
        "name": row.name,
        "unit": row.unit_code,
        "unit_name": row.unit_name,
        "layout": row.layout or None,
        "prefix": row.prefix,
        "created_by": row.created_by_name,
    }
    for key in ("created_at", "last_seen_at", "revoked_at"):
        value = row._mapping[key]
        if value is not None and value.tzinfo is None:  # SQLite gives naive UTC
            value = value.replace(tzinfo=now().tzinfo)
        item[key] = value
    return item


def public(item: dict[str, Any]) -> dict[str, Any]:
    """The item for JSON: times as ISO 8601 with their offset."""
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in item.items()}


def list_devices(conn: Connection) -> list[dict[str, Any]]:
    """Every device (never its key), newest first."""
    return [_item(r) for r in conn.execute(_query().order_by(devices.c.id.desc()))]


def get_device(conn: Connection, device_id: int) -> dict[str, Any] | None:
    row = conn.execute(_query().where(devices.c.id == device_id)).first()
    return _item(row) if row is not None else None


def unit_id_of(conn: Connection, code: str | None) -> int | None:
    """The id of the current unit ``code`` names (None for none: the whole country)."""
    code = (code or "").strip()
    if not code:
        return None
    row = unit_at(conn, code, today())
    if row is None:
        raise field_error("unit", f"no current unit has code {code!r}")
    return row.id


def create_device(
    conn: Connection,
    *,
    actor: str,
    name: str,
    unit_id: int | None = None,
    layout: str = "",
    created_by: int | None = None,
) -> tuple[dict[str, Any], str]:
    """Issue a device key; return the device and the key, the only time it is ever shown."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise field_error("name", "1–100 characters")
    layout = (layout or "").strip()
    if layout and not LAYOUT.match(layout):
        raise field_error("layout", "lower-case letters, digits or '-'")
    key = new_key()
    result = conn.execute(
        insert(devices).values(
            name=name,
            unit_id=unit_id,
            layout=layout,
            token_hash=hash_token(key),
            prefix=key[:12],
            created_by=created_by or None,
            created_at=now(),
        )
    )
    assert result.inserted_primary_key is not None
    device_id = result.inserted_primary_key[0]
    item = get_device(conn, device_id)
    assert item is not None  # inserted above, in this transaction
    audit.record(
        conn,
        actor=actor,
        action="device.create",
        object_type="device",
        object_id=str(device_id),
        after=public(item),
    )
    return item, key


def revoke_device(conn: Connection, *, actor: str, device_id: int) -> dict[str, Any]:
    """Revoke a device key: the display reads nothing more, in every process."""
    return revoke_row(
        conn, devices, device_id, get_device, actor=actor, kind="device", shown=public
    )


def _principal(conn: Connection, which) -> Principal | None:
    """The read-only principal of an unrevoked device, else None."""
    row = conn.execute(
        select(devices.c.id, devices.c.name, devices.c.unit_id, units.c.code.label("unit_code"))
        .select_from(devices.outerjoin(units, devices.c.unit_id == units.c.id))
        .where(which, devices.c.revoked_at.is_(None))
    ).first()
    if row is None:
        return None
    return Principal(
        id=0,
        username=f"device:{row.name}",
        role="viewer",
        unit_id=row.unit_id,
        unit_code=row.unit_code,
        via="device",
        token_id=row.id,
    )


def principal_by_device(conn: Connection, secret: str) -> Principal | None:
    if not secret.startswith(KEY_PREFIX):
        return None
    return _principal(conn, devices.c.token_hash == hash_token(secret))


def principal_by_device_id(conn: Connection, device_id: int) -> Principal | None:
    return _principal(conn, devices.c.id == device_id)


def layout_of(conn: Connection, device_id: int) -> str:
    return conn.execute(select(devices.c.layout).where(devices.c.id == device_id)).scalar() or ""


def stale(conn: Connection, device_id: int) -> bool:
    """Whether the device's ``last_seen_at`` is old enough (or unset) to be written again."""
    last = conn.execute(select(devices.c.last_seen_at).where(devices.c.id == device_id)).scalar()
    if last is None:
        return True
    if last.tzinfo is None:  # SQLite gives naive UTC
        last = last.replace(tzinfo=now().tzinfo)
    return now() - last > timedelta(seconds=SEEN_EVERY_S)


def seen(conn: Connection, device_id: int) -> None:
    conn.execute(update(devices).where(devices.c.id == device_id).values(last_seen_at=now()))


def throttle_key(address: str) -> str:
    """The login_failures counter of wrong device keys typed from one address."""
    return f"device|a:{address}"


def check_key(
    conn: Connection, secret: str, *, address: str, max_failures: int, window_s: int
) -> Principal | None:
    """The device's principal for a right key, None when wrong; 429 when throttled.

    Wrong keys are counted per address like failed logins (``login_failures``); a failure is
    recorded in the caller's transaction, which must commit it.
    """
    key = throttle_key(address)
    wait = throttled_s(conn, key, max_failures, window_s)
    if wait:
        raise Problem(
            429, "Too many wrong keys; wait and try again.", headers={"Retry-After": str(wait)}
        )
    principal = principal_by_device(conn, secret.strip())
    if principal is None:
        conn.execute(insert(login_failures).values(key=key, at=now()))
        return None
    conn.execute(delete(login_failures).where(login_failures.c.key == key))
    return principal
