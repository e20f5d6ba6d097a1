"""The notifier: sends each notification group when it is due, as Alertmanager's dispatcher does.

A group is due when its ``next_flush_at`` has come (``groups.note_changes`` set it: group wait
after its first change, at once for a change after a flush) or, when it still holds alerting
alerts, ``repeat interval`` after its last notification. A change after a flush waits for the
group interval after that flush. A flush composes the group's alerts (alerting ones, and the
ones sent as alerting that are no longer), leaves out the silenced and inhibited ones, and makes
one delivery per channel whose matchers and minimum severity take some of them; it sends
nothing when nothing is new, resolved or due for repeat.

The flush is one transaction closed by a compare-and-set on the group's ``version``: when two
processes flush the same group, or a change is noted while it is composed, the loser rolls back
its deliveries (the change is sent by the next round). Deliveries are sent by ``deliver``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import and_, insert, or_, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql import ColumnElement

from ioc57.alerts import deliver, tables
from ioc57.alerts.groups import group_labels
from ioc57.alerts.machine import ALERTING
from ioc57.alerts.matchers import all_match, parse
from ioc57.alerts.notify_message import Alert, at_least, webhook_body
from ioc57.alerts.notify_mute import Muting
from ioc57.core.clock import now as clock_now
from ioc57.core.clock import stored_utc
from ioc57.core.periodic import Periodic
from ioc57.core.settings import Settings

log = logging.getLogger(__name__)
ALERTING_STATES = tuple(s.value for s in ALERTING)


@dataclass(frozen=True)
class Round:
    """What one round knows of the whole: the timings, the muting, the channels."""

    now: datetime
    group_interval: timedelta
    repeat_interval: timedelta
    base_url: str
    muting: Muting
    channels: list[Any]

    def muted(self, labels: Mapping[str, str]) -> bool:
        return self.muting.silenced(labels) or self.muting.inhibited(labels)


class LostRace(Exception):
    """The group changed while it was composed (another process, or a new change)."""


def due_groups(conn: Connection, now: datetime, repeat: timedelta) -> list[str]:
    g = tables.groups
    waiting = g.c.next_flush_at <= now
    repeat_due = and_(
        g.c.next_flush_at.is_(None), g.c.sent != "{}", g.c.last_flush_at <= now - repeat
    )
    return list(conn.execute(select(g.c.key).where(or_(waiting, repeat_due))).scalars())


def begin_round(conn: Connection, settings: Settings, now: datetime) -> Round:
    ch = tables.channels
    return Round(
        now=now,
        group_interval=timedelta(seconds=settings.alerts_group_interval_s),
        repeat_interval=timedelta(seconds=settings.alerts_repeat_interval_s),
        base_url=settings.url,
        muting=Muting.read(conn, now),
        channels=list(conn.execute(select(ch).where(ch.c.active.is_(True)).order_by(ch.c.id))),
    )


def _alert(row: Any, rule: Any) -> Alert:
    state = row.state if row.state in ALERTING_STATES else "resolved"
    starts = row.started_at or row.active_at or row.state_since
    return Alert(
        id=row.id,
        fingerprint=row.fingerprint,
        state=state,
        labels=orjson.loads(row.labels),
        title=rule.title,
        severity=rule.severity,
        value=row.value,
        threshold=row.threshold,
        starts_at=stored_utc(starts),
        ends_at=stored_utc(row.resolved_at or row.state_since),
    )


def group_alerts(conn: Connection, group: Any, rule: Any) -> list[Alert]:
    """The group's alerting alerts and those it sent as alerting that are no longer."""
    sent: dict[str, str] = orjson.loads(group.sent)
    i = tables.instances
    wanted: ColumnElement[bool] = i.c.state.in_(ALERTING_STATES)
    if sent:
        wanted = or_(wanted, i.c.id.in_([int(k) for k in sent]))
    rows = conn.execute(select(i).where(i.c.rule_id == rule.id, wanted).order_by(i.c.id))
    labels = orjson.loads(group.labels)
    group_by = orjson.loads(rule.group_by)
    return [
        _alert(row, rule)
        for row in rows
        if group_labels(orjson.loads(row.labels), group_by) == labels
    ]


def _deliveries(
    group: Any, rule: Any, alerts: list[Alert], news: set[int], repeat: bool, r: Round
) -> list[dict[str, Any]]:
    out = []
    labels = orjson.loads(group.labels)
    for channel in r.channels:
        matchers = parse(orjson.loads(channel.matchers))
        taken = [
            a
            for a in alerts
            if at_least(a.severity, channel.min_severity) and all_match(matchers, a.labels)
        ]
        worth = any(a.id in news for a in taken) or (
            repeat and any(a.status == "firing" for a in taken)
        )
        if not worth:
            continue
        body = webhook_body(channel.name, rule.name, labels, taken, r.base_url)
        out.append(
            {
                "channel_id": channel.id,
                "group_key": group.key,
                "payload": orjson.dumps(body).decode(),
                "status": "pending",
                "attempts": 0,
                "next_attempt_at": r.now,
                "created_at": r.now,
                "version": 1,
            }
        )
    return out


def flush(conn: Connection, key: str, r: Round) -> int | None:
    """Flush one group in the caller's transaction: the number of deliveries made, None when it
    is not due (yet); ``LostRace`` when the group changed meanwhile (roll back)."""
    g = tables.groups
    group = conn.execute(select(g).where(g.c.key == key)).first()
    if group is None:
        return None
    last = stored_utc(group.last_flush_at) if group.last_flush_at else None
    waiting = stored_utc(group.next_flush_at) if group.next_flush_at else None
    repeat = bool(last and group.sent != "{}" and r.now >= last + r.repeat_interval)
    if not (waiting and waiting <= r.now) and not repeat:
        return None  # flushed by another process since it was listed
    if waiting and last and r.now < last + r.group_interval:
        # a change soon after a flush waits for the group interval (Alertmanager's)
        _set(conn, group, next_flush_at=last + r.group_interval)
        return None
    rule = conn.execute(select(tables.rules).where(tables.rules.c.id == group.rule_id)).first()
    if rule is None:
        return None
    sent: dict[str, str] = orjson.loads(group.sent)
    alerts = [a for a in group_alerts(conn, group, rule) if not r.muted(a.labels)]
    firing = {str(a.id): a.state for a in alerts if a.status == "firing"}
    news = {a.id for a in alerts if sent.get(str(a.id)) != a.state}
    made = _deliveries(group, rule, alerts, news, repeat, r) if (news or repeat) else []
    if made:
        conn.execute(insert(tables.deliveries), made)
    values: dict[str, Any] = {"next_flush_at": None, "sent": orjson.dumps(firing).decode()}
    if news or repeat:
        values["last_flush_at"] = r.now
    _set(conn, group, **values)
    return len(made)


def _set(conn: Connection, group: Any, **values: Any) -> None:
    g = tables.groups
    done = conn.execute(
        update(g)
        .where(g.c.key == group.key, g.c.version == group.version)
        .values(version=group.version + 1, **values)
    )
    if done.rowcount != 1:
        raise LostRace(group.key)


def flush_due(engine: Engine, settings: Settings, now: datetime | None = None) -> int:
    """Flush every due group, each in its own transaction: the deliveries made."""
    now = now or clock_now()
    with engine.connect() as conn:
        r = begin_round(conn, settings, now)
        keys = due_groups(conn, now, r.repeat_interval)
    made = 0
    for key in keys:
        try:
            with engine.begin() as conn:
                made += flush(conn, key, r) or 0
        except LostRace:
            log.debug("notify: group %s changed while it was flushed", key)
    return made


class Notifier:
    """Flushes the due groups and sends the due deliveries every ``alerts_notify_s`` seconds."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.engine, self.settings = engine, settings
        self.periodic = Periodic("alerts-notify", settings.alerts_notify_s, self.run_once)

    def run_once(self, now: datetime | None = None) -> None:
        flush_due(self.engine, self.settings, now)
        deliver.send_due(self.engine, self.settings, now)

    def start(self) -> None:
        self.periodic.start()

    def stop(self) -> None:
        self.periodic.stop()
