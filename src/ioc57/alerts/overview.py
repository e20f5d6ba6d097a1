"""The alerts' panel of the overview page: the alerts firing (or without data, or in error) in
the person's scope, by severity, each linked to its list; nothing when all is quiet."""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.engine import Connection

from ioc57.alerts import labels, pagereads
from ioc57.alerts.tables import rules
from ioc57.core.access import Principal, may
from ioc57.core.i18n import N_


def alerts_panel(conn: Connection, principal: Principal | None) -> dict[str, Any] | None:
    if principal is None or not may(principal, "alerts.read"):
        return None
    counts = pagereads.counts_by_severity(conn, principal)
    if not any(counts.values()):
        return None
    rows: list[tuple[str, int | None, str | None]] = [
        (labels.SEVERITIES[s], counts.get(s, 0), f"/alerts?severity={s}")
        for s in pagereads.SEVERITIES
    ]
    rows.append(
        (N_("Not acknowledged"), pagereads.unacknowledged_count(conn, principal), "/alerts")
    )
    simulated = conn.execute(select(exists().where(rules.c.simulated.is_(True)))).scalar()
    return {"title": N_("Alerts firing now"), "rows": rows, "simulated": bool(simulated)}
