"""Alert changes made by hand for the notifier's tests: a rule row, and an instance moved from one
state to another with its change noted in its group, in one transaction, as the evaluator does
(``groups.note_changes``). The notifier then runs as it runs in the app."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from datetime import datetime

import orjson
from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine

from ioc57.alerts import groups, tables
from ioc57.alerts.change import Change
from ioc57.alerts.machine import State


def make_rule(
    engine: Engine,
    name: str,
    now: datetime,
    *,
    severity: str = "critical",
    group_by: tuple[str, ...] = ("alertname",),
    title: str = "Độ mặn vượt ngưỡng",
) -> int:
    with engine.begin() as conn:
        return conn.execute(
            insert(tables.rules)
            .values(
                name=name,
                title=title,
                kind="threshold",
                figure="sensors.reading",
                params="{}",
                op=">",
                threshold=1.0,
                severity=severity,
                labels="{}",
                unit_ids="[]",
                group_by=orjson.dumps(list(group_by)).decode(),
                active=False,  # the evaluator leaves it alone: the tests move its alerts
                created_by="test",
                updated_at=now,
            )
            .returning(tables.rules.c.id)
        ).scalar_one()


def move(
    engine: Engine,
    rule_id: int,
    rule: str,
    series: Mapping[str, str],
    to: State,
    now: datetime,
    *,
    value: float = 2.5,
    severity: str = "critical",
    group_by: tuple[str, ...] = ("alertname",),
    group_wait_s: float = 30.0,
) -> int:
    """Move the instance of ``series`` to ``to`` and note the change in its group; its id."""
    labels = {"alertname": rule, "severity": severity, **series}
    fingerprint = hashlib.sha256(orjson.dumps(labels, option=orjson.OPT_SORT_KEYS)).hexdigest()
    i = tables.instances
    with engine.begin() as conn:
        row = conn.execute(
            select(i.c.id, i.c.state).where(i.c.rule_id == rule_id, i.c.fingerprint == fingerprint)
        ).first()
        times = {"state_since": now, "evaluated_at": now, "value": value, "threshold": 1.0}
        if to is State.FIRING:
            times |= {"started_at": now, "active_at": now, "last_true_at": now}
        if to is State.RESOLVED:
            times |= {"resolved_at": now}
        if row is None:
            alert_id = conn.execute(
                insert(i)
                .values(
                    rule_id=rule_id,
                    fingerprint=fingerprint,
                    labels=orjson.dumps(labels).decode(),
                    state=to.value,
                    **times,
                )
                .returning(i.c.id)
            ).scalar_one()
            before = State.NORMAL
        else:
            alert_id, before = row.id, State(row.state)
            conn.execute(update(i).where(i.c.id == alert_id).values(state=to.value, **times))
        change = Change(
            alert_id, rule_id, rule, severity, labels, group_by, None, before, to, now, value
        )
        groups.note_changes(conn, [change], now, group_wait_s)
    return alert_id


def verify(secret: str, headers: Mapping[str, str], body: bytes) -> bool:
    """Check a webhook's signature as a receiver would."""
    lower = {k.lower(): v for k, v in headers.items()}
    timestamp = lower["x-ioc57-timestamp"]
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(lower["x-ioc57-signature"], f"sha256={mac}")
