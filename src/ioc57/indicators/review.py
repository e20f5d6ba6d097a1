"""Approving or rejecting a submitted value: one path for the API and the review page; and who
may see a value that is not approved.

A leader or an admin reviews values within their scope; each decision is a row of the value's
history (``store.review``) and of the audit log. A value that is not approved (submitted,
rejected) is a draft: only those who report or review the unit's values see it, in the list and
in its history alike (``may_see_draft``); to anyone else it does not exist.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine

from ioc57.core import audit
from ioc57.core.access import Principal, authorize, may
from ioc57.core.events import Event, EventBus
from ioc57.core.problems import Problem
from ioc57.indicators import errors, store
from ioc57.indicators.tables import indicator_values
from ioc57.ingest.batches import kept_file
from ioc57.units.queries import scope_chain, unit_by_id
from ioc57.units.tables import units


def value_row(conn: Connection, value_id: int):
    row = conn.execute(select(indicator_values).where(indicator_values.c.id == value_id)).first()
    if row is None:
        raise Problem(404, errors.NO_VALUE, value_id=value_id)
    return row


def may_see_draft(conn: Connection, principal: Principal | None, unit_id: int) -> bool:
    """Whether ``principal`` may see the drafts (values not approved) of the unit ``unit_id``, and
    what the history of its values holds beyond what was approved: the officers, leaders and
    admins whose scope holds the unit (``observations.drafts``)."""
    if principal is None:
        return False
    return may(principal, "observations.drafts", scope_chain(conn, unit_by_id(conn, unit_id)))


def visible_value(conn: Connection, principal: Principal | None, value_id: int):
    """The value ``value_id``; 404 as for a missing one when it is a draft ``principal`` may not
    see (ids are sequential: a 403 would confirm that it exists)."""
    row = value_row(conn, value_id)
    if row.status != "approved" and not may_see_draft(conn, principal, row.unit_id):
        raise Problem(404, errors.NO_VALUE, value_id=value_id)
    return row


def approved_history(entries: list[dict]) -> list[dict]:
    """The history of an approved value as those who may not see its drafts see it: the entries
    that made an approved state (the state before it only when that was approved too), without
    the reviewers' and reporters' notes; submitted, changed and rejected drafts are left out."""
    out = []
    for entry in entries:
        new, old = entry.get("new") or {}, entry.get("old") or {}
        if new.get("status") != "approved":
            continue
        shown = {k: entry[k] for k in ("id", "value_id", "at", "actor", "action")} | {"new": new}
        shown["old"] = old if old.get("status") == "approved" else None
        shown["reason"] = None
        out.append(shown)
    return out


REVIEWED = "indicators.reviewed"  # a value approved or rejected: the scorecards' figures move


def decided(
    engine: Engine,
    bus: EventBus,
    principal: Principal,
    value_id: int,
    approve: bool,
    reason: str | None,
) -> dict:
    """``decide`` in a transaction of its own; once it is committed, an ``indicators.reviewed``
    event for the value's unit (and its ancestors), so that pages showing its figures read them
    again at once."""
    with engine.begin() as conn:
        result, chain = decide(conn, principal, value_id, approve, reason)
        indicator = value_row(conn, value_id).indicator
    data = {"value_id": value_id, "status": result["status"], "indicator": indicator}
    bus.publish(Event(REVIEWED, data, units=tuple(sorted(chain))))
    return result


def decide(
    conn: Connection, principal: Principal, value_id: int, approve: bool, reason: str | None
) -> tuple[dict, set[int]]:
    """Approve or reject a submitted value; its result, and the ids of its unit's chain."""
    row = value_row(conn, value_id)
    chain = scope_chain(conn, unit_by_id(conn, row.unit_id))
    authorize(principal, "observations.review", chain)
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
    return result, chain


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


def waiting_count(conn: Connection, principal: Principal) -> int | None:
    """The values waiting for this person's approval (the navigation's count); None for those
    who do not approve."""
    if not may(principal, "observations.review"):
        return None
    return len(waiting(conn, principal))


def sent_file(conn: Connection, principal: Principal, value_id: int) -> dict | None:
    """The file a value was sent with (the officer's evidence, or the filled template), for a
    reviewer whose scope holds its unit; None when none was kept."""
    row = value_row(conn, value_id)
    authorize(principal, "observations.review", scope_chain(conn, unit_by_id(conn, row.unit_id)))
    if row.source_id is None or row.record_id is None:
        return None
    return kept_file(conn, row.source_id, "observation", row.record_id)
