"""The notifier: sends each notification group when it is due, as Alertmanager's dispatcher does.

A group is due when its ``next_flush_at`` has come: ``groups.note_changes`` sets it (group wait
after its first change, at once for a change to a quiet group), and each flush sets it again while
the group holds alerting alerts (a group interval on, or its repeat interval after its last
notification, whichever comes first), as Alertmanager looks at each group every group interval.
A change soon after a notification waits for the group interval after it. A flush composes the group's alerts (alerting ones, and the
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
from sqlalchemy import insert, or_, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql import ColumnElement

from ioc57.alerts import deliver, tables
from ioc57.alerts.groups import group_labels
from ioc57.alerts.machine import ALERTING
from ioc57.alerts.matchers import all_match, parse
from ioc57.alerts.muting import Muting
from ioc57.alerts.notify_message import Alert, at_least, webhook_body
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


def due_groups(conn: Connection, now: datetime) -> list[str]:
    g = tables.groups
    query = select(g.c.key).where(g.c.next_flush_at <= now).order_by(g.c.next_flush_at)
    return list(conn.execute(query).scalars())


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
    if group is None or group.next_flush_at is None or stored_utc(group.next_flush_at) > r.now:
        return None  # flushed by another process since it was listed
    last = stored_utc(group.last_flush_at) if group.last_flush_at else None
    if last and r.now < last + r.group_interval:
        # a change soon after a notification waits for the group interval (Alertmanager's)
        _set(conn, group, next_flush_at=last + r.group_interval)
        return None
    rule = conn.execute(select(tables.rules).where(tables.rules.c.id == group.rule_id)).first()
    if rule is None:
        _set(conn, group, next_flush_at=None)
        return 0
    sent: dict[str, str] = orjson.loads(group.sent)
    everything = group_alerts(conn, group, rule)
    alerts = [a for a in everything if not r.muted(a.labels)]
    firing = {str(a.id): a.state for a in alerts if a.status == "firing"}
    news = {a.id for a in alerts if sent.get(str(a.id)) != a.state}
    repeat = bool(firing and last and r.now >= last + r.repeat_interval)
    made = _deliveries(group, rule, alerts, news, repeat, r) if (news or repeat) else []
    if made:
        conn.execute(insert(tables.deliveries), made)
    if news or repeat:
        last = r.now
    _set(
        conn,
        group,
        sent=orjson.dumps(firing).decode(),
        last_flush_at=last,
        next_flush_at=_next_look(everything, bool(firing), last, r),
    )
    return len(made)


def _next_look(everything: list[Alert], sent_any: bool, last: datetime | None, r: Round) -> Any:
    """When a group is looked at again: while it holds alerting alerts (muted ones too: their
    silence ends, their inhibitor resolves), every group interval, and when its repeat is due;
    a quiet group only when a change comes."""
    if not any(a.status == "firing" for a in everything):
        return None
    look = r.now + r.group_interval
    if sent_any and last is not None:
        look = min(look, last + r.repeat_interval)
    return look


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
        keys = due_groups(conn, now)
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

    PURGE_EVERY = timedelta(hours=1)

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.engine, self.settings = engine, settings
        self.periodic = Periodic("alerts-notify", settings.alerts_notify_s, self.run_once)
        self.purged_at: datetime | None = None

    def run_once(self, now: datetime | None = None) -> None:
        now = now or clock_now()
        flush_due(self.engine, self.settings, now)
        deliver.send_due(self.engine, self.settings, now)
        if self.purged_at is None or now - self.purged_at >= self.PURGE_EVERY:
            deliver.purge_sent(self.engine, now)
            self.purged_at = now

    def start(self) -> None:
        self.periodic.start()

    def stop(self) -> None:
        self.periodic.stop()
