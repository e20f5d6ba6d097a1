"""Sending the deliveries the notifier made: a webhook's POST, signed, or an email through SMTP.

A due delivery (pending, its ``next_attempt_at`` come) is claimed by compare-and-set on its
``version``, which also moves its next attempt a lease ahead: two processes send it once, and one
that dies while sending leaves it to be sent again after the lease. A webhook answered 2xx, or a
mail the SMTP server took, is sent; anything else is tried again after a backoff that doubles
(capped at 5 minutes), and after ``IOC57_WEBHOOK_MAX_ATTEMPTS`` attempts the delivery is dead: a
dead letter that ``channels.replay_delivery`` puts back in line.

A webhook's body is signed as Stripe and GitHub do, so the receiver knows it came from this IOC
and was not replayed long after: ``X-IOC57-Timestamp`` (Unix seconds) and ``X-IOC57-Signature:
sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" with the channel's secret>``.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from datetime import datetime, timedelta
from typing import Any

import httpx
import orjson
from sqlalchemy import delete, select, update
from sqlalchemy.engine import Connection, Engine

from ioc57.alerts import tables
from ioc57.alerts.notify_message import email_message
from ioc57.core import mail
from ioc57.core.clock import now as clock_now
from ioc57.core.settings import Settings

log = logging.getLogger(__name__)
BACKOFF_BASE_S = 2.0
BACKOFF_CAP_S = 300.0
LEASE_MARGIN_S = 30.0  # beyond the sending timeout, before another process may try again
BATCH = 100  # deliveries sent per round at most
KEEP_SENT = timedelta(days=30)  # sent deliveries are kept this long; dead letters until replayed
SIGNATURE, TIMESTAMP = "X-IOC57-Signature", "X-IOC57-Timestamp"


def backoff(attempts: int) -> timedelta:
    """How long after its ``attempts``-th failed attempt a delivery is tried again."""
    return timedelta(seconds=min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2 ** max(0, attempts - 1)))


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def post_webhook(url: str, secret: str | None, body: bytes, at: datetime, timeout: float) -> None:
    """POST the body; an exception (``DeliveryFailed``) says why it was not taken."""
    timestamp = int(at.timestamp())
    headers = {"Content-Type": "application/json", TIMESTAMP: str(timestamp)}
    if secret:
        headers[SIGNATURE] = sign(secret, timestamp, body)
    try:
        answer = httpx.post(url, content=body, headers=headers, timeout=timeout)
    except httpx.HTTPError as exc:
        raise DeliveryFailed(f"{type(exc).__name__}: {exc}") from exc
    if not answer.is_success:
        raise DeliveryFailed(f"HTTP {answer.status_code}")


def send_email(settings: Settings, to: list[str], body: dict[str, Any]) -> None:
    try:
        mail.send(settings, email_message(body, settings.smtp_from, to))
    except mail.NotSent as exc:
        raise DeliveryFailed(str(exc)) from exc


class DeliveryFailed(Exception):
    """A delivery was not taken by its receiver (the reason is kept as its ``last_error``)."""


def _claim(conn: Connection, row: Any, now: datetime, lease: timedelta) -> bool:
    d = tables.deliveries
    done = conn.execute(
        update(d)
        .where(d.c.id == row.id, d.c.version == row.version, d.c.status == "pending")
        .values(version=row.version + 1, next_attempt_at=now + lease)
    )
    return done.rowcount == 1


def _finish(conn: Connection, row: Any, now: datetime, error: str | None, max_attempts: int) -> str:
    d = tables.deliveries
    attempts = row.attempts + 1
    values: dict[str, Any] = {"attempts": attempts, "version": row.version + 2}
    if error is None:
        values |= {"status": "sent", "sent_at": now, "next_attempt_at": None}
    elif attempts >= max_attempts:
        values |= {"status": "dead", "last_error": error[:1000], "next_attempt_at": None}
    else:
        values |= {"last_error": error[:1000], "next_attempt_at": now + backoff(attempts)}
    conn.execute(update(d).where(d.c.id == row.id, d.c.version == row.version + 1).values(values))
    return str(values.get("status", "pending"))


def send_one(settings: Settings, delivery: Any, channel: Any, now: datetime) -> str | None:
    """Send one delivery over its channel: None when it was taken, else why not."""
    try:
        if channel.kind == "webhook":
            body = delivery.payload.encode()
            post_webhook(channel.target, channel.secret, body, now, settings.webhook_timeout_s)
        else:
            to = [a.strip() for a in channel.target.split(",") if a.strip()]
            send_email(settings, to, orjson.loads(delivery.payload))
    except DeliveryFailed as exc:
        return str(exc)
    return None


def send_due(engine: Engine, settings: Settings, now: datetime | None = None) -> dict[str, int]:
    """Send the due deliveries: how many were sent, failed (to be tried again) and died."""
    now = now or clock_now()
    d, ch = tables.deliveries, tables.channels
    lease = timedelta(seconds=settings.webhook_timeout_s + LEASE_MARGIN_S)
    with engine.connect() as conn:
        due = conn.execute(
            select(d, ch.c.kind, ch.c.target, ch.c.secret)
            .join(ch, ch.c.id == d.c.channel_id)
            .where(d.c.status == "pending", d.c.next_attempt_at <= now)
            .order_by(d.c.next_attempt_at, d.c.id)
            .limit(BATCH)
        ).all()
    counts = {"sent": 0, "pending": 0, "dead": 0}
    for row in due:
        with engine.begin() as conn:
            if not _claim(conn, row, now, lease):
                continue  # another process took it
        error = send_one(settings, row, row, now)
        if error:
            log.warning("alerts: delivery %s not taken: %s", row.id, error)
        with engine.begin() as conn:
            counts[_finish(conn, row, now, error, settings.webhook_max_attempts)] += 1
    return counts


def purge_sent(engine: Engine, now: datetime) -> int:
    """Forget the deliveries sent more than ``KEEP_SENT`` ago (dead letters stay): how many."""
    d = tables.deliveries
    with engine.begin() as conn:
        done = conn.execute(delete(d).where(d.c.status == "sent", d.c.sent_at < now - KEEP_SENT))
    return done.rowcount
