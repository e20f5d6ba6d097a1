"""Which alerts a notification leaves out, read once per round: those silenced (a silence whose
matchers all match, in its window) and those inhibited (an alerting source alert that shares the
``equal`` labels), as Alertmanager's.

Interim: the evaluator's part brings ``alerts.muting.Muting`` with the same interface
(``Muting.read(conn, now)``, ``.silenced(labels)``, ``.inhibited(labels)``); the notifier takes
it, and this file goes, once both are merged."""

from __future__ import annotations

from collections.abc import Mapping
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
class Inhibition:
    source: tuple[Matcher, ...]
    target: tuple[Matcher, ...]
    equal: tuple[str, ...]


@dataclass(frozen=True)
class Muting:
    silences: list[tuple[tuple[Matcher, ...], datetime, datetime]]
    inhibitions: list[Inhibition]
    alerting: list[dict[str, str]]
    now: datetime

    @classmethod
    def read(cls, conn: Connection, now: datetime) -> Muting:
        s, h, i = tables.silences, tables.inhibitions, tables.instances
        silences = [
            (tuple(parse(orjson.loads(r.matchers))), stored_utc(r.starts_at), stored_utc(r.ends_at))
            for r in conn.execute(select(s).where(s.c.starts_at <= now, s.c.ends_at > now))
        ]
        inhibitions = [
            Inhibition(
                tuple(parse(orjson.loads(r.source_matchers))),
                tuple(parse(orjson.loads(r.target_matchers))),
                tuple(orjson.loads(r.equal)),
            )
            for r in conn.execute(select(h))
        ]
        alerting = []
        if inhibitions:
            states = sorted(state.value for state in ALERTING)
            rows = conn.execute(select(i.c.labels).where(i.c.state.in_(states))).scalars()
            alerting = [orjson.loads(r) for r in rows]
        return cls(silences, inhibitions, alerting, now)

    def silenced(self, labels: Labels) -> bool:
        return any(
            start <= self.now < end and all_match(matchers, labels)
            for matchers, start, end in self.silences
        )

    def inhibited(self, labels: Labels) -> bool:
        for rule in self.inhibitions:
            if not all_match(rule.target, labels):
                continue
            for source in self.alerting:
                if source == dict(labels) or not all_match(rule.source, source):
                    continue
                if all(source.get(name, "") == labels.get(name, "") for name in rule.equal):
                    return True
        return False
