"""Silences and inhibitions, as Alertmanager's: which alerts are not to be sent (nor rung on the
bell) just now. An alert keeps its state; muting decides only whether a person is told.

- A silence mutes the alerts whose labels all its matchers match, from ``starts_at`` (possibly in
  the future: planned maintenance) until ``ends_at``, or until someone expires it.
- An inhibition mutes the alerts that match its ``target`` matchers while an alerting instance
  that matches its ``source`` matchers has the same values of the ``equal`` labels (a station
  without data mutes the thresholds of that station). An alert does not inhibit itself.

``silenced`` and ``inhibited`` are pure; the loaders read what they need from the tables.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import orjson
from sqlalchemy import select
from sqlalchemy.engine import Connection

from ioc57.alerts import tables
from ioc57.alerts.machine import ALERTING
from ioc57.alerts.matchers import Matcher, all_match, parse
from ioc57.core.clock import stored_utc

Labels = Mapping[str, str]


@dataclass(frozen=True)
class Silence:
    id: int
    matchers: tuple[Matcher, ...]
    starts_at: datetime
    ends_at: datetime

    def active(self, now: datetime) -> bool:
        return self.starts_at <= now < self.ends_at


@dataclass(frozen=True)
class Inhibition:
    name: str
    source: tuple[Matcher, ...]
    target: tuple[Matcher, ...]
    equal: tuple[str, ...]


def silenced(labels: Labels, silences: Iterable[Silence], now: datetime) -> Silence | None:
    """The first silence in force at ``now`` that mutes an alert of these labels, or None."""
    for silence in silences:
        if silence.active(now) and all_match(silence.matchers, labels):
            return silence
    return None


def inhibited(
    labels: Labels, alerting: Sequence[Labels], inhibitions: Iterable[Inhibition]
) -> Inhibition | None:
    """The first inhibition that mutes an alert of these labels, given the labels of the
    instances alerting now; None when none does."""
    for rule in inhibitions:
        if not all_match(rule.target, labels):
            continue
        for source in alerting:
            if source is labels or dict(source) == dict(labels):
                continue  # an alert does not inhibit itself
            if not all_match(rule.source, source):
                continue
            if all(source.get(name, "") == labels.get(name, "") for name in rule.equal):
                return rule
    return None


def silence_of(row: object) -> Silence:
    m = row._mapping  # type: ignore[attr-defined]
    return Silence(
        id=m["id"],
        matchers=tuple(parse(orjson.loads(m["matchers"]))),
        starts_at=stored_utc(m["starts_at"]),
        ends_at=stored_utc(m["ends_at"]),
    )


def inhibition_of(row: object) -> Inhibition:
    m = row._mapping  # type: ignore[attr-defined]
    return Inhibition(
        name=m["name"],
        source=tuple(parse(orjson.loads(m["source_matchers"]))),
        target=tuple(parse(orjson.loads(m["target_matchers"]))),
        equal=tuple(orjson.loads(m["equal"])),
    )


def active_silences(conn: Connection, now: datetime) -> list[Silence]:
    """The silences in force at ``now`` (not ended, not expired)."""
    s = tables.silences.c
    query = select(tables.silences).where(s.starts_at <= now, s.ends_at > now)
    return [silence_of(r) for r in conn.execute(query)]


def all_inhibitions(conn: Connection) -> list[Inhibition]:
    query = select(tables.inhibitions).order_by(tables.inhibitions.c.name)
    return [inhibition_of(r) for r in conn.execute(query)]


def alerting_labels(conn: Connection) -> list[dict[str, str]]:
    """The labels of every instance alerting now (firing, no data, error): the inhibitions'
    sources."""
    i = tables.instances.c
    query = select(i.labels).where(i.state.in_(sorted(s.value for s in ALERTING)))
    return [orjson.loads(labels) for labels in conn.execute(query).scalars()]


@dataclass(frozen=True)
class Muting:
    """What mutes alerts now, read once for a list or a notification."""

    silences: list[Silence]
    inhibitions: list[Inhibition]
    alerting: list[dict[str, str]]
    now: datetime

    @classmethod
    def read(cls, conn: Connection, now: datetime) -> Muting:
        inhibitions = all_inhibitions(conn)
        alerting = alerting_labels(conn) if inhibitions else []
        return cls(active_silences(conn, now), inhibitions, alerting, now)

    def silenced(self, labels: Labels) -> bool:
        return silenced(labels, self.silences, self.now) is not None

    def inhibited(self, labels: Labels) -> bool:
        return inhibited(labels, self.alerting, self.inhibitions) is not None
