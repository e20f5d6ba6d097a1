"""The scorecard's panel of the overview page: the catalogue, what awaits approval, and for one
who reports for a unit, their unit's figures: still to report, waiting, sent back."""

from __future__ import annotations

from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, may
from ioc57.core.clock import today
from ioc57.core.i18n import N_
from ioc57.indicators.catalogue import catalogue
from ioc57.indicators.due import due_list
from ioc57.indicators.review import waiting

REPORT = "/indicators/report"


def _own_unit(conn: Connection, principal: Principal) -> list[tuple[str, int, str]]:
    """The due list of the person's unit, counted (a unit's few dozen values: cheap)."""
    due = due_list(conn, principal.unit_id, today()) if principal.unit_id else []
    status = [d.stored.status if d.stored else None for d in due]
    return [
        (N_("Figures your unit still has to report"), status.count(None), REPORT),
        (N_("Your unit's figures awaiting approval"), status.count("submitted"), REPORT),
        (N_("Your unit's figures sent back"), status.count("rejected"), REPORT),
    ]


def indicators_panel(conn: Connection, principal: Principal | None) -> dict:
    # the overview is read often: nothing here counts the values table (millions of rows)
    # (the navigation links the scorecard, which opens on the person's own unit)
    rows = []
    if may(principal, "observations.submit") and principal.unit_id:
        rows += _own_unit(conn, principal)
    rows.append((N_("Indicators in the catalogue"), len(catalogue().indicators), "/indicators"))
    if may(principal, "observations.review"):
        rows.append(
            (N_("Values awaiting approval"), len(waiting(conn, principal)), "/indicators/review")
        )
    return {"title": N_("Resolution 57 scorecard"), "rows": rows}
