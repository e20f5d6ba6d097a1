"""What the alerts pages read: the alerts a person may see (an officer: those of its unit's
subtree; without a unit: all), each with its rule, its unit by name and whether a silence or an
inhibition mutes it (``muting``); one alert's transitions; the bell's count.

The pages show times as a person reads them (``dd/mm/yyyy HH:MM`` in Việt Nam's time); the rows
here keep them as the API gives them (ISO with the offset), so that the live script and the
templates read the same.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from ioc57.alerts.machine import ALERTING, State
from ioc57.alerts.muting import Muting
from ioc57.alerts.tables import instances, rules, transitions
from ioc57.core.access import Principal, may
from ioc57.core.clock import local_iso, now
from ioc57.units.queries import own_unit, subtree_ids
from ioc57.units.tables import units

# the states of the list a person opens first: what is (about to be) wrong now
OPEN = tuple(s.value for s in (State.FIRING, State.NODATA, State.ERROR, State.PENDING))
SEVERITIES = ("critical", "warning", "info")
_SEVERITY_RANK = case({s: i for i, s in enumerate(SEVERITIES)}, value=rules.c.severity, else_=9)
_STATE_RANK = case({s: i for i, s in enumerate(OPEN)}, value=instances.c.state, else_=9)


def seen_units(conn: Connection, principal: Principal) -> list[int] | None:
    """The units whose alerts ``principal`` sees: its unit's subtree, or None for everywhere."""
    if principal.unit_id is None:
        return None
    return subtree_ids(conn, own_unit(conn, principal), predecessors=True)


def _scoped(conn: Connection, principal: Principal) -> list[ColumnElement[bool]]:
    ids = seen_units(conn, principal)
    return [] if ids is None else [instances.c.unit_id.in_(ids)]


_COLUMNS = (
    instances,
    rules.c.name.label("rule"),
    rules.c.title.label("rule_title"),
    rules.c.severity,
    rules.c.simulated,
    rules.c.kind,
    rules.c.op,
    units.c.code.label("unit_code"),
    units.c.name.label("unit_name"),
)


def _shown(row: Any, muting: Muting) -> dict[str, Any]:
    labels = json.loads(row.labels)
    return {
        "id": row.id,
        "rule": row.rule,
        "rule_title": row.rule_title,
        "kind": row.kind,
        "op": row.op,
        "state": row.state,
        "severity": row.severity,
        "labels": labels,
        "unit": row.unit_code,
        "unit_name": row.unit_name,
        "value": row.value,
        "threshold": row.threshold,
        "observed_at": local_iso(row.observed_at),
        "state_since": local_iso(row.state_since),
        "started_at": local_iso(row.started_at),
        "resolved_at": local_iso(row.resolved_at),
        "acknowledged_by": row.acknowledged_by,
        "acknowledged_at": local_iso(row.acknowledged_at),
        "ack_note": row.ack_note,
        "silenced": muting.silenced(labels),
        "inhibited": muting.inhibited(labels),
        "simulated": row.simulated,
    }


def list_alerts(
    conn: Connection,
    principal: Principal,
    states: tuple[str, ...],
    severity: str | None,
    rule: str | None,
    limit: int,
    offset: int,
) -> tuple[list[dict[str, Any]], int]:
    """The alerts ``principal`` sees in ``states``: the most severe first, then the most recent."""
    where = [instances.c.state.in_(states), *_scoped(conn, principal)]
    if severity:
        where.append(rules.c.severity == severity)
    if rule:
        where.append(rules.c.name == rule)
    joined = instances.join(rules, rules.c.id == instances.c.rule_id).outerjoin(
        units, units.c.id == instances.c.unit_id
    )
    total = conn.execute(select(func.count()).select_from(joined).where(*where)).scalar_one()
    query = (
        select(*_COLUMNS)
        .select_from(joined)
        .where(*where)
        .order_by(_SEVERITY_RANK, _STATE_RANK, instances.c.state_since.desc(), instances.c.id)
        .limit(limit)
        .offset(offset)
    )
    muting = Muting.read(conn, now())
    return [_shown(row, muting) for row in conn.execute(query)], total


def alert_in_scope(conn: Connection, principal: Principal, alert_id: int) -> dict[str, Any] | None:
    """One alert, if ``principal`` may see it (None: no such alert, or outside its scope)."""
    joined = instances.join(rules, rules.c.id == instances.c.rule_id).outerjoin(
        units, units.c.id == instances.c.unit_id
    )
    query = select(*_COLUMNS).select_from(joined).where(instances.c.id == alert_id)
    row = conn.execute(query.where(*_scoped(conn, principal))).first()
    return None if row is None else _shown(row, Muting.read(conn, now()))


def alert_transitions(conn: Connection, alert_id: int, limit: int = 500) -> list[dict[str, Any]]:
    """Every state change of the alert, the latest first (who acknowledged, when)."""
    query = (
        select(transitions)
        .where(transitions.c.alert_id == alert_id)
        .order_by(transitions.c.id.desc())
        .limit(limit)
    )
    return [
        {
            "from": row.from_state,
            "to": row.to_state,
            "at": local_iso(row.at),
            "value": row.value,
            "reason": row.reason,
            "actor": row.actor,
        }
        for row in conn.execute(query)
    ]


def muted(labels: dict[str, str], muting: Muting) -> bool:
    return muting.silenced(labels) or muting.inhibited(labels)


def unacknowledged_count(conn: Connection, principal: Principal) -> int | None:
    """The bell: alerting alerts in the person's scope that no one acknowledged and no silence or
    inhibition mutes (as no notification tells of them); None for a person who may not read alerts (no bell)."""
    if not may(principal, "alerts.read"):
        return None
    where = [
        instances.c.state.in_([s.value for s in ALERTING]),
        instances.c.acknowledged_by.is_(None),
        *_scoped(conn, principal),
    ]
    rows = conn.execute(select(instances.c.labels).where(*where)).all()
    if not rows:
        return 0
    muting = Muting.read(conn, now())
    return sum(
        1 for labels in map(json.loads, (r.labels for r in rows)) if not muted(labels, muting)
    )


def counts_by_severity(conn: Connection, principal: Principal) -> dict[str, int]:
    """Alerting alerts in the person's scope by their rule's severity (the overview's panel)."""
    query = (
        select(rules.c.severity, func.count())
        .select_from(instances.join(rules, rules.c.id == instances.c.rule_id))
        .where(instances.c.state.in_([s.value for s in ALERTING]), *_scoped(conn, principal))
        .group_by(rules.c.severity)
    )
    return {row[0]: row[1] for row in conn.execute(query)}
