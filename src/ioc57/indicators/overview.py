"""The scorecard's panel of the overview page: the catalogue, approved values, what awaits approval."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, may
from ioc57.core.i18n import N_
from ioc57.indicators.catalogue import catalogue
from ioc57.indicators.review import waiting
from ioc57.indicators.tables import indicator_values


def indicators_panel(conn: Connection, principal: Principal | None) -> dict:
    approved = conn.execute(
        select(func.count())
        .select_from(indicator_values)
        .where(indicator_values.c.status == "approved")
    ).scalar_one()
    mine = f"/scorecard?unit={principal.unit_code}" if principal and principal.unit_code else None
    rows = [
        (N_("Indicators in the catalogue"), len(catalogue().indicators), "/indicators"),
        (N_("Approved values"), approved, mine or "/scorecard"),
    ]
    if may(principal, "observations.review"):
        rows.append(
            (N_("Values awaiting approval"), len(waiting(conn, principal)), "/indicators/review")
        )
    return {"title": N_("Resolution 57 scorecard"), "rows": rows}
