"""Product traceability's panel of the overview page: the person's products and lots traced (an
officer's unit's, else the country's), the events of the last 30 days and the certificates about
to expire, each linked to the traceability page."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, may
from ioc57.core.clock import today
from ioc57.core.i18n import N_
from ioc57.traceability.activity import events_per_day
from ioc57.traceability.views import certificates_due, figures
from ioc57.traceability.viewscope import READ, scope_of


def traceability_panel(conn: Connection, principal: Principal | None) -> dict[str, Any] | None:
    if principal is None or not may(principal, READ):
        return None
    scope = scope_of(conn, principal, None)
    day = today()
    found = figures(conn, scope, day)
    if not (found.total.products or found.total.lots):
        return None
    events = sum(d["events"] for d in events_per_day(conn, scope, day))
    due = certificates_due(conn, scope, day)
    rows = [
        (N_("Products traced"), found.total.products_traced, "/traceability#by-category"),
        (N_("Lots traced"), found.total.lots_traced, "/traceability#by-place"),
        (N_("Events in the last 30 days"), events, "/traceability#per-day-title"),
        (
            N_("Certificates ending within 60 days"),
            due["expiring_total"],
            "/traceability#certificates",
        ),
    ]
    return {"title": N_("Product traceability"), "rows": rows, "simulated": found.simulated}
