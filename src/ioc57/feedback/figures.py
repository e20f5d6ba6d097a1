"""The citizen reports' figures for alert rules: the reports past their deadline
(``feedback.late``) and the reports received today (``feedback.received``).

- ``feedback.late``: per agency that holds reports waiting on a step (``by``: ``agency``, the
  default; ``commune``, where a report was placed; or ``both``, a series per agency and commune),
  how many are past their deadline today (the last day of the step they wait on, in working days:
  ``deadlines``). Every agency (or commune) with a report waiting is a series, with 0 when none is
  late, so that an alert on it resolves when the last late one moves on; a report not yet
  forwarded has no agency and shows by commune only. Read from ``feedback_reports``, which the
  gate keeps current; its index on the deadline reads only the reports waiting.
- ``feedback.received``: per commune, the reports received today (a sudden rise: a flood, a
  broken main), from the gate's rollups.

Reports arriving re-evaluate both (``record_types``); a deadline passing with nothing arriving is
seen at the alerts' next scheduled evaluation. Every series is returned whatever the batch: each
is one grouped read.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import aliased

from ioc57.core.clock import today
from ioc57.core.figures import Sample
from ioc57.feedback.tables import reports
from ioc57.ingest.tables import rollups
from ioc57.units.tables import units

BY = ("agency", "commune", "both")
COLUMNS = {"agency": reports.c.agency_id, "commune": reports.c.unit_id}


def _by(params: Mapping[str, Any]) -> str:
    value = str(params.get("by") or "agency")
    if value not in BY:
        raise ValueError(f"by must be one of {', '.join(BY)}, not {value!r}")
    return value


def late_samples(
    conn: Connection, params: Mapping[str, Any], batch: int | None = None
) -> list[Sample]:
    """``feedback.late``: per agency (or commune, or both) with reports waiting, those late."""
    by = _by(params)
    keys = ["agency", "commune"] if by == "both" else [by]
    late = func.sum(case((reports.c.due_on < today(), 1), else_=0))
    counted = (
        select(*(COLUMNS[k].label(k) for k in keys), late.label("late"))
        .where(reports.c.due_on.is_not(None), *(COLUMNS[k].is_not(None) for k in keys))
        .group_by(*(COLUMNS[k] for k in keys))
        .subquery()
    )
    named = {k: aliased(units, name=f"{k}_unit") for k in keys}
    query = select(counted, *(named[k].c.code.label(f"{k}_code") for k in keys))
    for k in keys:
        query = query.join(named[k], named[k].c.id == counted.c[k])
    out = []
    for row in conn.execute(query.order_by(*(named[k].c.code for k in keys))).mappings():
        # the series belongs to its commune when it names one (a rule scoped to the commune, its
        # officers), else to the agency
        out.append(
            Sample(
                labels={k: row[f"{k}_code"] for k in keys},
                value=float(row["late"] or 0),
                unit_id=row[keys[-1]],
            )
        )
    return out


def received_samples(
    conn: Connection, params: Mapping[str, Any], batch: int | None = None
) -> list[Sample]:
    """``feedback.received``: per commune with reports received today, how many."""
    c = rollups.c
    counted = (
        select(c.unit_id, func.sum(c.count).label("received"))
        .where(c.metric == "feedback.received", c.day == today())
        .group_by(c.unit_id)
        .subquery()
    )
    query = (
        select(units.c.id, units.c.code, counted.c.received)
        .join(counted, counted.c.unit_id == units.c.id)
        .where(units.c.level.in_(("commune", "ward")))
        .order_by(units.c.code)
    )
    return [
        Sample(labels={"commune": r.code}, value=float(r.received), unit_id=r.id)
        for r in conn.execute(query)
    ]
