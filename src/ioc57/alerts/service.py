"""The alerts as people read and answer them: the list (filtered, scoped to a person's unit), one
alert with whether it is silenced or inhibited now, its transitions, and the acknowledgement with
a note (audited, a transition row with who did it). The API and the alerts pages call these.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Connection

from ioc57.alerts import tables
from ioc57.alerts.machine import ALERTING, State
from ioc57.alerts.muting import Muting
from ioc57.core import audit
from ioc57.core.access import Principal, authorize
from ioc57.core.clock import local_iso, now, today
from ioc57.core.problems import Problem, field_error
from ioc57.units.queries import scope_chain, subtree_ids, unit_at, unit_by_id
from ioc57.units.tables import units

READ, RESPOND = "alerts.read", "alerts.respond"
INST, R = tables.instances.c, tables.rules.c
STATES = tuple(s.value for s in State)
ACKNOWLEDGEABLE = ALERTING | {State.PENDING}

ROWS = (
    select(
        tables.instances,
        R.name.label("rule"),
        R.title.label("rule_title"),
        R.severity,
        R.simulated,
        units.c.code.label("unit_code"),
        units.c.name.label("unit_name"),
    )
    .join(tables.rules, R.id == INST.rule_id)
    .outerjoin(units, units.c.id == INST.unit_id)
)


def alert_view(row: Any, muting: Muting | None = None) -> dict[str, Any]:
    """One alert as the API shows it (times in Việt Nam's, with their offset)."""
    m = row._mapping
    labels = orjson.loads(m["labels"])
    return {
        "id": m["id"],
        "rule": m["rule"],
        "rule_title": m["rule_title"],
        "state": m["state"],
        "severity": m["severity"],
        "labels": labels,
        "unit": m["unit_code"],
        "unit_name": m["unit_name"],
        "value": m["value"],
        "threshold": m["threshold"],
        "observed_at": local_iso(m["observed_at"]),
        "state_since": local_iso(m["state_since"]),
        "active_at": local_iso(m["active_at"]),
        "started_at": local_iso(m["started_at"]),
        "resolved_at": local_iso(m["resolved_at"]),
        "evaluated_at": local_iso(m["evaluated_at"]),
        "acknowledged_by": m["acknowledged_by"],
        "acknowledged_at": local_iso(m["acknowledged_at"]),
        "ack_note": m["ack_note"],
        "silenced": muting.silenced(labels) if muting else False,
        "inhibited": muting.inhibited(labels) if muting else False,
        "simulated": m["simulated"],
    }


def _scope(conn: Connection, principal: Principal, unit: str | None) -> list[Any]:
    """Conditions for the alerts a person may list (of ``unit``'s subtree when given)."""
    where: list[Any] = []
    own = unit_by_id(conn, principal.unit_id) if principal.unit_id is not None else None
    if principal.unit_id is not None and own is None:
        raise Problem(403, "Your unit is not known.")
    if unit:
        row = unit_at(conn, unit, today())
        if row is None:
            raise field_error("unit", f"no current unit has code {unit!r}")
        authorize(principal, READ, scope_chain(conn, row))
        own = row
    if own is not None:
        where.append(INST.unit_id.in_(subtree_ids(conn, own, predecessors=True)))
    return where


def list_alerts(
    conn: Connection,
    principal: Principal,
    *,
    states: Sequence[str] = (),
    severity: str | None = None,
    rule: str | None = None,
    unit: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> dict[str, Any]:
    """The alerts a person may see, the most recently changed first: {items, total, limit,
    offset}. ``states`` empty: every state but normal."""
    authorize(principal, READ)
    where = _scope(conn, principal, unit)
    where.append(INST.state.in_(list(states)) if states else INST.state != State.NORMAL.value)
    if severity:
        where.append(R.severity == severity)
    if rule:
        where.append(R.name == rule)
    total = conn.execute(
        select(func.count()).select_from(ROWS.where(*where).subquery())
    ).scalar_one()
    rows = conn.execute(
        ROWS.where(*where)
        .order_by(INST.state_since.desc(), INST.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    muting = Muting.read(conn, now())
    items = [alert_view(r, muting) for r in rows]
    return {"items": items, "total": total, "limit": limit, "offset": offset}


def count_alerting(conn: Connection, principal: Principal) -> int:
    """How many alerts are alerting now (firing, no data, error) in a person's scope: the bell."""
    authorize(principal, READ)
    where = [*_scope(conn, principal, None), INST.state.in_(sorted(s.value for s in ALERTING))]
    return conn.execute(
        select(func.count()).select_from(ROWS.where(*where).subquery())
    ).scalar_one()


def alert_row(conn: Connection, principal: Principal, alert_id: int, action: str = READ) -> Any:
    """The alert, when the person may see it (404 otherwise, as if there were none)."""
    authorize(principal, action)
    row = conn.execute(ROWS.where(INST.id == alert_id)).first()
    missing = Problem(
        404,
        f"No alert has id {alert_id}.",
        errors=[{"loc": ["path", "alert_id"], "msg": "not found"}],
    )
    if row is None:
        raise missing
    if principal.unit_id is not None:
        if row.unit_id is None:
            raise missing
        if principal.unit_id not in scope_chain(conn, unit_by_id(conn, row.unit_id)):
            raise missing
    return row


def get_alert(conn: Connection, principal: Principal, alert_id: int) -> dict[str, Any]:
    return alert_view(alert_row(conn, principal, alert_id), Muting.read(conn, now()))


def alert_transitions(
    conn: Connection, principal: Principal, alert_id: int
) -> list[dict[str, Any]]:
    """Every state change of the alert, and its acknowledgements, oldest first."""
    alert_row(conn, principal, alert_id)
    t = tables.transitions.c
    query = select(tables.transitions).where(t.alert_id == alert_id).order_by(t.id)
    return [
        {
            "id": r.id,
            "from": r.from_state,
            "to": r.to_state,
            "at": local_iso(r.at),
            "value": r.value,
            "reason": r.reason,
            "actor": r.actor,
        }
        for r in conn.execute(query)
    ]


def acknowledge(
    conn: Connection,
    principal: Principal,
    alert_id: int,
    note: str,
    *,
    address: str | None = None,
) -> dict[str, Any]:
    """Acknowledge an alert with a note: who and when kept on it until its next episode, a
    transition row with the person, audited. Returns the alert as it is now."""
    row = alert_row(conn, principal, alert_id, RESPOND)
    if row.unit_id is not None:
        authorize(principal, RESPOND, scope_chain(conn, unit_by_id(conn, row.unit_id)))
    if State(row.state) not in ACKNOWLEDGEABLE:
        raise Problem(
            409,
            f"The alert is {row.state}: there is nothing to acknowledge.",
            errors=[{"loc": ["path", "alert_id"], "msg": f"state is {row.state}"}],
        )
    at = now()
    before = {"acknowledged_by": row.acknowledged_by, "ack_note": row.ack_note}
    conn.execute(
        update(tables.instances)
        .where(INST.id == alert_id)
        .values(
            acknowledged_by=principal.username,
            acknowledged_at=at,
            ack_note=note,
            version=INST.version + 1,
        )
    )
    conn.execute(
        insert(tables.transitions).values(
            alert_id=alert_id,
            from_state=row.state,
            to_state=row.state,
            at=at,
            value=row.value,
            reason="acknowledged",
            actor=principal.username,
        )
    )
    audit.record(
        conn,
        actor=principal.username,
        action="alert.acknowledge",
        object_type="alert",
        object_id=str(alert_id),
        before=before,
        after={"acknowledged_by": principal.username, "ack_note": note},
        address=address,
    )
    return get_alert(conn, principal, alert_id)
