"""A person's subscription to the daily brief by email (their own scope), and the briefs sent to
them: what the brief page shows and the API writes, each write audited."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.engine import Connection

from ioc57.accounts.tables import users
from ioc57.centre.tables import brief_deliveries, brief_subscriptions
from ioc57.core import audit
from ioc57.core.access import Principal
from ioc57.core.clock import now
from ioc57.core.db import insert_once
from ioc57.core.problems import field_error

RECENT = 10


def email_of(conn: Connection, principal: Principal) -> str | None:
    found = conn.execute(select(users.c.email).where(users.c.id == principal.id)).scalar()
    return found or None


def subscribed(conn: Connection, principal: Principal) -> bool:
    query = select(brief_subscriptions.c.user_id).where(
        brief_subscriptions.c.user_id == principal.id
    )
    return conn.execute(query).first() is not None


def subscribe(conn: Connection, principal: Principal, address: str | None) -> dict[str, Any]:
    """Subscribe the person (422 naming ``email`` when they have no address to send it to)."""
    email = email_of(conn, principal)
    if email is None:
        raise field_error("email", "add an email address to your account to receive the brief")
    statement = insert_once(conn, brief_subscriptions, ["user_id"]).values(
        user_id=principal.id, created_at=now()
    )
    if conn.execute(statement.returning(brief_subscriptions.c.user_id)).first() is not None:
        audit.record(
            conn,
            actor=principal.username,
            action="centre.brief.subscribe",
            object_type="brief_subscription",
            object_id=str(principal.id),
            after={"email": email},
            address=address,
        )
    return {"subscribed": True, "email": email}


def unsubscribe(conn: Connection, principal: Principal, address: str | None) -> dict[str, Any]:
    where = brief_subscriptions.c.user_id == principal.id
    if conn.execute(delete(brief_subscriptions).where(where)).rowcount:
        audit.record(
            conn,
            actor=principal.username,
            action="centre.brief.unsubscribe",
            object_type="brief_subscription",
            object_id=str(principal.id),
            address=address,
        )
    return {"subscribed": False, "email": email_of(conn, principal)}


def recent(conn: Connection, principal: Principal) -> list[Any]:
    """The person's latest briefs sent (or refused), newest first."""
    d = brief_deliveries.c
    query = (
        select(d.day, d.sent_at, d.error)
        .where(d.user_id == principal.id)
        .order_by(d.day.desc())
        .limit(RECENT)
    )
    return list(conn.execute(query))
