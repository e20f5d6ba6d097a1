"""The key figures the citizen reports offer the leader's home and the wall:

- ``feedback.open``: the reports still waiting on someone in the person's scope, with those past
  their deadline and those whose deadline is near as rows (from the index of status and deadline);
- ``feedback.on_time``: the share of this month's answers given within the category's deadline,
  month by month as its trend (from the gate's monthly rollups, ``stats``), for the person's unit,
  or every province with reports for a person without one.

Both are updated when a batch of reports last went through the gate (a step taken at the desk goes
through it too)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, may
from ioc57.core.clock import stored_utc
from ioc57.core.i18n import N_
from ioc57.core.pages import link
from ioc57.feedback import stats
from ioc57.feedback.access import READ, in_scope
from ioc57.feedback.centre import SOURCE, local_day
from ioc57.feedback.panel_data import provinces_with_reports
from ioc57.feedback.queries import by_deadline
from ioc57.feedback.tables import reports
from ioc57.ingest.provenance import simulated_records
from ioc57.ingest.tables import batches
from ioc57.units.queries import unit_at, unit_by_id

ON_TIME_SOURCE = N_("Citizen reports (the gate's monthly rollups)")


def updated_at(conn: Connection, now: datetime) -> datetime:
    """When reports last changed: the last batch of ``feedback`` records through the gate."""
    at = conn.execute(select(func.max(batches.c.started_at)).where(batches.c.type == "feedback"))
    found = at.scalar()
    return stored_utc(found) if found is not None else now


def _units(conn: Connection, principal: Principal, today: date) -> list[Any]:
    """The units whose figures the tile adds up: the person's own, else each province."""
    if principal.unit_id is not None:
        row = unit_by_id(conn, principal.unit_id)
        return [row] if row is not None else []
    return [unit_at(conn, p.code, today) for p in provinces_with_reports(conn, today)]


def _simulated(conn: Connection, units: list[Any]) -> bool:
    return bool(units) and simulated_records(conn, "feedback", [u.id for u in units])


def open_tile(conn: Connection, principal: Principal, now: datetime) -> dict[str, Any] | None:
    if not may(principal, READ):
        return None
    today = local_day(now)
    scope = in_scope(conn, principal)
    counts = stats.open_counts(conn, scope, today)
    near_query = by_deadline(
        select(func.count()).select_from(reports).where(reports.c.status.in_(stats.OPEN)),
        "near",
        today,
    )
    near = int(conn.execute(near_query if scope is None else near_query.where(scope)).scalar_one())
    status = "bad" if counts["late"] else "watch" if near else "ok"
    units = _units(conn, principal, today)
    return {
        "value": counts["open"],
        "uom": "count",
        "caption": N_("now"),
        "trend": [],
        "delta": None,
        "good": "down",
        "status": status,
        "updated_at": updated_at(conn, now),
        "source": SOURCE,
        "simulated": _simulated(conn, units),
        "href": "/feedback",
        "rows": [
            {
                "label": N_("Past deadline now"),
                "value": counts["late"],
                "href": link("/feedback", flag="late"),
            },
            {
                "label": N_("Deadline near"),
                "value": near,
                "href": link("/feedback", flag="near"),
            },
        ],
        "unit": units[0].name if principal.unit_id is not None and units else None,
    }


def _percent(rate: float | None) -> float | None:
    return None if rate is None else round(100 * rate, 1)


def _months(conn: Connection, units: list[Any], today: date) -> dict[str, stats.Totals]:
    """The figures month by month of the last 12 months (``YYYYMM``) of ``units`` together (an
    agency's rollups hold the reports it answers, as a commune's hold those placed in it)."""
    start, _ = stats.last_months(today)
    by_month: dict[str, stats.Totals] = {}
    for unit in units:
        for month, totals in stats.by_month(conn, unit.id, start, today).items():
            by_month.setdefault(month, stats.Totals())
            by_month[month] += totals
    return by_month


def on_time_tile(conn: Connection, principal: Principal, now: datetime) -> dict[str, Any] | None:
    if not may(principal, READ):
        return None
    today = local_day(now)
    units = _units(conn, principal, today)
    if not units:
        return None
    by_month = _months(conn, units, today)
    months = sorted(by_month)
    rates = [_percent(by_month[m].on_time_rate) for m in months]
    value = rates[-1]
    before = rates[-2] if len(rates) > 1 else None
    own = principal.unit_id is not None
    href = link("/feedback/panel", unit=units[0].code) if own else "/feedback/panel"
    return {
        "value": value,
        "uom": "percent",
        "caption": N_("this month"),
        "trend": [
            [f"{m[:4]}-{m[4:]}-01", rate]
            for m, rate in zip(months, rates, strict=True)
            if rate is not None
        ],
        "delta": None if value is None or before is None else round(value - before, 1),
        "good": "up",
        "status": None,
        "updated_at": updated_at(conn, now),
        "source": ON_TIME_SOURCE,
        "simulated": _simulated(conn, units),
        "href": href,
        "unit": units[0].name if own else None,
        "rows": [
            {
                "label": N_("Answered this month"),
                "value": by_month[months[-1]].answered,
                "href": href,
            }
        ],
    }
