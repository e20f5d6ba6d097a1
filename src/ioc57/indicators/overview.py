"""The scorecard's panel of the overview page: the catalogue, what awaits approval."""

from __future__ import annotations

from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, may
from ioc57.core.i18n import N_
from ioc57.indicators.catalogue import catalogue
from ioc57.indicators.review import waiting


def indicators_panel(conn: Connection, principal: Principal | None) -> dict:
    # the overview is read often: nothing here counts the values table (millions of rows)
    # (the navigation links the scorecard, which opens on the person's own unit)
    rows = [(N_("Indicators in the catalogue"), len(catalogue().indicators), "/indicators")]
    if may(principal, "observations.review"):
        rows.append(
            (N_("Values awaiting approval"), len(waiting(conn, principal)), "/indicators/review")
        )
    return {"title": N_("Resolution 57 scorecard"), "rows": rows}
