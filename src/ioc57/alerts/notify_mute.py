"""Which alerts a notification leaves out: those silenced (a silence whose matchers all match, in
its window) and those inhibited (an alerting source alert that shares the ``equal`` labels), as
Alertmanager's. The notifier reads the silences and inhibitions once per round."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import orjson
from sqlalchemy import select
from sqlalchemy.engine import Connection

from ioc57.alerts import tables
from ioc57.alerts.matchers import Matcher, all_match, parse
from ioc57.core.clock import stored_utc


@dataclass(frozen=True)
class Silence:
    matchers: tuple[Matcher, ...]
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class Inhibition:
    source: tuple[Matcher, ...]
    target: tuple[Matcher, ...]
    equal: tuple[str, ...]


def load_silences(conn: Connection, now: datetime) -> list[Silence]:
    """The silences in force at ``now``."""
    t = tables.silences
    rows = conn.execute(select(t).where(t.c.starts_at <= now, t.c.ends_at > now))
    return [
        Silence(
            tuple(parse(orjson.loads(r.matchers))), stored_utc(r.starts_at), stored_utc(r.ends_at)
        )
        for r in rows
    ]


def load_inhibitions(conn: Connection) -> list[Inhibition]:
    return [
        Inhibition(
            tuple(parse(orjson.loads(r.source_matchers))),
            tuple(parse(orjson.loads(r.target_matchers))),
            tuple(orjson.loads(r.equal)),
        )
        for r in conn.execute(select(tables.inhibitions))
    ]


def silenced(labels: Mapping[str, str], silences: Sequence[Silence], now: datetime) -> bool:
    return any(s.starts_at <= now < s.ends_at and all_match(s.matchers, labels) for s in silences)


def inhibited(
    labels: Mapping[str, str],
    alerting: Sequence[Mapping[str, str]],
    inhibitions: Sequence[Inhibition],
) -> bool:
    """Whether an alerting alert (its labels among ``alerting``) mutes one with ``labels``."""
    for rule in inhibitions:
        if not all_match(rule.target, labels):
            continue
        for source in alerting:
            if source == labels or not all_match(rule.source, source):
                continue
            if all(source.get(name, "") == labels.get(name, "") for name in rule.equal):
                return True
    return False
