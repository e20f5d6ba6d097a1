"""Notification channels (a webhook, or email addresses) and what was delivered over them: the
service the API and the pages call. Creating or deleting a channel and replaying a dead letter
are audited (``alerts.configure``).

A webhook's secret (its HMAC key) is made when none is given and shown once, in the answer to its
creation; it is never listed after.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from typing import Any, Literal

import orjson
from pydantic import BaseModel, Field
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection

from ioc57.alerts import tables
from ioc57.alerts.matchers import parse
from ioc57.core import audit
from ioc57.core.clock import local_iso
from ioc57.core.problems import Problem, field_error

SEVERITY = Literal["info", "warning", "critical"]
STATUSES = ("pending", "sent", "dead")
EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")


class MatcherIn(BaseModel):
    name: str = Field(min_length=1, max_length=64)
    op: Literal["=", "!=", "=~", "!~"] = "="
    value: str = Field(default="", max_length=500)


class ChannelIn(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    kind: Literal["webhook", "email"]
    target: str = Field(min_length=3, max_length=2000)  # the URL, or addresses (comma-separated)
    secret: str | None = Field(default=None, min_length=16, max_length=200)
    matchers: list[MatcherIn] = Field(default_factory=list, max_length=20)
    min_severity: SEVERITY = "info"
    active: bool = True


def _check_target(body: ChannelIn) -> str:
    target = body.target.strip()
    if body.kind == "webhook":
        if not re.match(r"^https?://[^\s/?#]+", target):
            raise field_error("target", "a webhook's target is an http:// or https:// URL")
        return target
    addresses = [a.strip() for a in target.split(",") if a.strip()]
    if not addresses or not all(EMAIL.match(a) for a in addresses):
        raise field_error("target", "email addresses, separated by commas")
    return ", ".join(addresses)


def public_channel(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "kind": row.kind,
        "target": row.target,
        "signed": bool(row.secret),
        "matchers": orjson.loads(row.matchers),
        "min_severity": row.min_severity,
        "active": bool(row.active),
        "created_by": row.created_by,
    }


def list_channels(conn: Connection) -> list[dict[str, Any]]:
    ch = tables.channels
    return [public_channel(r) for r in conn.execute(select(ch).order_by(ch.c.name))]


def create_channel(conn: Connection, *, actor: str, body: ChannelIn) -> dict[str, Any]:
    """Add a channel; a webhook's answer carries its ``secret``, the only time it is shown."""
    ch = tables.channels
    target = _check_target(body)
    try:
        matchers = [m.as_dict() for m in parse(m.model_dump() for m in body.matchers)]
    except ValueError as exc:
        raise field_error("matchers", str(exc)) from None
    if conn.execute(select(ch.c.id).where(ch.c.name == body.name)).first():
        raise Problem(
            409, f"A channel '{body.name}' exists.", errors=[{"loc": ["name"], "msg": "taken"}]
        )
    secret = None
    if body.kind == "webhook":
        secret = body.secret or secrets.token_urlsafe(32)
    new_id = conn.execute(
        insert(ch)
        .values(
            name=body.name,
            kind=body.kind,
            target=target,
            secret=secret,
            matchers=orjson.dumps(matchers).decode(),
            min_severity=body.min_severity,
            active=body.active,
            created_by=actor,
        )
        .returning(ch.c.id)
    ).scalar_one()
    item = public_channel(conn.execute(select(ch).where(ch.c.id == new_id)).one())
    audit.record(
        conn,
        actor=actor,
        action="alert_channel.create",
        object_type="alert_channel",
        object_id=str(new_id),
        after=item,
    )
    return item | ({"secret": secret} if secret else {})


def delete_channel(conn: Connection, *, actor: str, channel_id: int) -> None:
    ch = tables.channels
    row = conn.execute(select(ch).where(ch.c.id == channel_id)).first()
    if row is None:
        raise Problem(404, f"No channel {channel_id}.")
    conn.execute(delete(tables.deliveries).where(tables.deliveries.c.channel_id == channel_id))
    conn.execute(delete(ch).where(ch.c.id == channel_id))
    audit.record(
        conn,
        actor=actor,
        action="alert_channel.delete",
        object_type="alert_channel",
        object_id=str(channel_id),
        before=public_channel(row),
    )


def public_delivery(row: Any) -> dict[str, Any]:
    body = orjson.loads(row.payload)
    return {
        "id": row.id,
        "channel": row.channel,
        "channel_id": row.channel_id,
        "status": row.status,
        "attempts": row.attempts,
        "next_attempt_at": local_iso(row.next_attempt_at),
        "last_error": row.last_error,
        "created_at": local_iso(row.created_at),
        "sent_at": local_iso(row.sent_at),
        # what it says: firing or resolved, the group, how many alerts
        "notification": {
            "status": body.get("status"),
            "group_labels": body.get("groupLabels", {}),
            "alerts": len(body.get("alerts", [])),
        },
    }


def list_deliveries(
    conn: Connection, *, status: str | None = None, limit: int = 50, offset: int = 0
) -> dict[str, Any]:
    """Deliveries, the newest first (``status="dead"``: the dead letters)."""
    d, ch = tables.deliveries, tables.channels
    where = [d.c.status == status] if status else []
    query = (
        select(d, ch.c.name.label("channel"))
        .join(ch, ch.c.id == d.c.channel_id)
        .where(*where)
        .order_by(d.c.id.desc())
        .limit(limit)
        .offset(offset)
    )
    total = conn.execute(select(func.count()).select_from(d).where(*where)).scalar_one()
    return {"items": [public_delivery(r) for r in conn.execute(query)], "total": total}


def replay_delivery(
    conn: Connection, *, actor: str, delivery_id: int, now: datetime
) -> dict[str, Any]:
    """Put a dead letter back in line: sent again by the next round, its attempts counted anew."""
    d, ch = tables.deliveries, tables.channels
    query = select(d, ch.c.name.label("channel")).join(ch, ch.c.id == d.c.channel_id)
    row = conn.execute(query.where(d.c.id == delivery_id)).first()
    if row is None:
        raise Problem(404, f"No delivery {delivery_id}.")
    if row.status != "dead":
        raise Problem(
            409,
            f"Delivery {delivery_id} is {row.status}: only a dead letter is replayed.",
            errors=[{"loc": ["status"], "msg": f"is {row.status}, not dead"}],
        )
    conn.execute(
        update(d)
        .where(d.c.id == delivery_id, d.c.version == row.version)
        .values(status="pending", attempts=0, next_attempt_at=now, version=row.version + 1)
    )
    after = public_delivery(conn.execute(query.where(d.c.id == delivery_id)).one())
    audit.record(
        conn,
        actor=actor,
        action="alert_delivery.replay",
        object_type="alert_delivery",
        object_id=str(delivery_id),
        before={"status": row.status, "attempts": row.attempts, "last_error": row.last_error},
        after={"status": after["status"]},
    )
    return after
