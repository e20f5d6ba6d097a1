"""The citizen reports' panel of the overview page: the last 12 months of the person's unit (or of
the first province with reports) — received, answered on time, citizens satisfied — and the
reports open and past their deadline now, each linked to the IOC panel or the queue."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, may
from ioc57.core.clock import today
from ioc57.core.i18n import N_
from ioc57.feedback import panel_data, stats
from ioc57.feedback.access import READ
from ioc57.units.queries import unit_at


def _percent(rate: float | None) -> int | None:
    """A rate as a whole percentage (the overview is a glance; the panel gives a decimal)."""
    return None if rate is None else round(100 * rate)


def feedback_panel(conn: Connection, principal: Principal | None) -> dict[str, Any] | None:
    if principal is None or not may(principal, READ):
        return None
    day = today()
    code = panel_data.first_unit(conn, principal)
    row = unit_at(conn, code, day) if code else None
    if row is None:
        return None
    start, end = stats.last_months(day)
    figures = panel_data.figures(conn, row, start, end, (), day)
    totals, open_now = figures["totals"], figures["now"]
    href = f"/feedback/panel?unit={row.code}"
    return {
        "title": N_("Citizen reports, last 12 months"),
        "rows": [
            (N_("Reports received"), totals["received"], href),
            (N_("Answered on time, %"), _percent(totals["on_time_rate"]), href),
            (N_("Citizens satisfied, %"), _percent(totals["satisfaction_rate"]), href),
            (N_("Open now"), open_now["open"], panel_data.queue_link(row)),
            (N_("Past deadline now"), open_now["late"], panel_data.queue_link(row, late=True)),
        ],
        "simulated": figures["simulated"]["count"] > 0,
    }
