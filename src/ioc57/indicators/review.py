"""Approving or rejecting a submitted value: one path for the API and the review page.

A leader or an admin reviews values within their scope; each decision is a row of the value's
history (``store.review``) and of the audit log.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ioc57.core import audit
from ioc57.core.access import Principal, authorize, may
from ioc57.core.problems import Problem
from ioc57.indicators import store
from ioc57.indicators.tables import indicator_values
from ioc57.units.queries import scope_chain, unit_by_id
from ioc57.units.tables import units


def value_row(conn: Connection, value_id: int):
    row = conn.execute(select(indicator_values).where(indicator_values.c.id == value_id)).first()
    if row is None:
        raise Problem(404, f"No value {value_id}.")
    return row


def decide(
    conn: Connection, principal: Principal, value_id: int, approve: bool, reason: str | None
) -> dict:
    row = value_row(conn, value_id)
    authorize(principal, "observations.review", scope_chain(conn, unit_by_id(conn, row.unit_id)))
    result = store.review(conn, value_id, actor=principal.username, approve=approve, reason=reason)
    audit.record(
        conn,
        actor=principal.username,
        action="observation." + ("approve" if approve else "reject"),
        object_type="indicator_value",
        object_id=str(value_id),
        before={"status": row.status},
        after={"status": result["status"], "reason": reason},
    )
    return result


def waiting(conn: Connection, principal: Principal, limit: int = 500) -> list[dict]:
    """Submitted values this person may review, oldest first.

    Reads through the index on ``status`` (submitted values are few among millions of approved
    ones) and works out the scope of each unit once.
    """
    query = (
        select(indicator_values, units.c.code.label("unit_code"), units.c.name.label("unit_name"))
        .join(units, units.c.id == indicator_values.c.unit_id)
        .where(indicator_values.c.status == "submitted")
        .order_by(indicator_values.c.updated_at, indicator_values.c.id)
    )
    out, allowed = [], {}
    for r in conn.execute(query):
        if r.unit_id not in allowed:
            chain = scope_chain(conn, unit_by_id(conn, r.unit_id))
            allowed[r.unit_id] = may(principal, "observations.review", chain)
        if not allowed[r.unit_id]:
            continue
        out.append(dict(r._mapping))
        if len(out) >= limit:
            break
    return out
