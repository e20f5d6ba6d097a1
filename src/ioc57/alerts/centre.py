"""What the alerts offer the operations centre: each alert firing in a person's scope as a concern
(the leader's home, the wall's alert feed, the daily brief), and the tile of the alerts firing now
by severity.

"Firing" is what the bell and the overview's panel count (``machine.ALERTING``: firing, and the
series without data or whose figure fails, which need someone as much); a concern's severity is its
rule's (critical 3, warning 2, information 1), since it began firing; an alert a silence or an
inhibition mutes (as no notification tells of it) stays on the list, to watch (1)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from ioc57.alerts import labels
from ioc57.alerts.machine import ALERTING, State
from ioc57.alerts.muting import Muting
from ioc57.alerts.pagereads import SEVERITIES, muted, seen_units
from ioc57.alerts.tables import instances, rules
from ioc57.core.access import Principal, may
from ioc57.core.clock import stored_utc
from ioc57.core.i18n import N_
from ioc57.modules import Concern
from ioc57.units.tables import units

SEVERITY = {"critical": 3, "warning": 2, "info": 1}
EVENTS = ("alerts.changed",)
SOURCE = N_("Alert rules on the modules' figures")
_ALERTING = [s.value for s in ALERTING]
_WHY = {
    # a threshold alert with its figure's value and limit when stored
    State.FIRING.value: N_("{value} is {op} the threshold {threshold}"),
    State.NODATA.value: N_("No recent data from its figure"),
    State.ERROR.value: N_("Its figure could not be read"),
}
_WHY_FIRING_BARE = N_("The rule's condition holds")


def _scoped(conn: Connection, principal: Principal) -> list[ColumnElement[bool]]:
    ids = seen_units(conn, principal)
    return [] if ids is None else [instances.c.unit_id.in_(ids)]


def _figure(value: float) -> float:
    return round(value, 2)


def _why(row: Any) -> tuple[str, dict[str, Any]]:
    if row.state != State.FIRING.value:
        return _WHY[row.state], {}
    if row.value is None or row.threshold is None:
        return _WHY_FIRING_BARE, {}
    args = {
        "value": _figure(row.value),
        "threshold": _figure(row.threshold),
        "op": labels.OPS.get(row.op, row.op),
    }
    return _WHY[row.state], args


def firing(conn: Connection, principal: Principal, now: datetime, limit: int) -> list[Concern]:
    """The alerts firing in ``principal``'s scope, the most severe then the newest first."""
    if not may(principal, "alerts.read"):
        return []
    query = (
        select(
            instances.c.id,
            instances.c.state,
            instances.c.value,
            instances.c.threshold,
            instances.c.started_at,
            instances.c.state_since,
            instances.c.labels,
            rules.c.name,
            rules.c.title,
            rules.c.severity,
            rules.c.op,
            rules.c.simulated,
            units.c.code.label("unit_code"),
            units.c.name.label("unit_name"),
        )
        .select_from(
            instances.join(rules, rules.c.id == instances.c.rule_id).outerjoin(
                units, units.c.id == instances.c.unit_id
            )
        )
        .where(instances.c.state.in_(_ALERTING), *_scoped(conn, principal))
    )
    found = []
    rows = conn.execute(query).all()
    muting = Muting.read(conn, now) if rows else None
    for row in rows:
        why, args = _why(row)
        quiet = muting is not None and muted(json.loads(row.labels), muting)
        found.append(
            Concern(
                key=f"alerts:alert:{row.id}",
                kind=N_("Alert firing"),
                title=row.title or row.name,
                why=why,
                args=args,
                since=stored_utc(row.started_at or row.state_since),
                severity=1 if quiet else SEVERITY.get(row.severity, 1),
                href=f"/alerts/{row.id}",
                owner=row.unit_name,
                unit_code=row.unit_code,
                simulated=bool(row.simulated),
                source=SOURCE,
            )
        )
    found.sort(key=lambda c: (c.severity, c.since), reverse=True)
    return found[:limit]


def firing_tile(conn: Connection, principal: Principal, now: datetime) -> dict[str, Any] | None:
    """The alerts firing now in ``principal``'s scope: their count, by severity in rows."""
    if not may(principal, "alerts.read"):
        return None
    scoped = _scoped(conn, principal)
    joined = instances.join(rules, rules.c.id == instances.c.rule_id)
    query = (
        select(rules.c.severity, rules.c.simulated, func.count())
        .select_from(joined)
        .where(instances.c.state.in_(_ALERTING), *scoped)
        .group_by(rules.c.severity, rules.c.simulated)
    )
    counts: dict[str, int] = {}
    simulated = False
    for severity, sim, count in conn.execute(query):
        counts[severity] = counts.get(severity, 0) + count
        simulated = simulated or bool(sim)
    # when the alerts in scope last changed state (a resolved one changes the count too)
    updated = conn.execute(
        select(func.max(instances.c.state_since)).select_from(instances).where(*scoped)
    ).scalar()
    total = sum(counts.values())
    status = "bad" if counts.get("critical") else "watch" if total else "ok"
    return {
        "value": total,
        "uom": "count",
        "caption": N_("now"),
        "trend": [],
        "delta": None,
        "good": "down",
        "status": status,
        "updated_at": stored_utc(updated) if updated is not None else now,
        "source": SOURCE,
        "simulated": simulated,
        "href": "/alerts",
        "rows": [
            {
                "label": labels.SEVERITIES[s],
                "value": counts.get(s, 0),
                "href": f"/alerts?severity={s}",
            }
            for s in SEVERITIES
        ],
    }
