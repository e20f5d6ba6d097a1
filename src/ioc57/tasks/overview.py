"""The action programmes' panel of the overview page: the person's tasks by status today (an
officer's unit's, or the country's), the overdue first, each linked to its list."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, may
from ioc57.core.clock import today
from ioc57.core.i18n import N_
from ioc57.tasks import rollup
from ioc57.tasks.pages import summary_of
from ioc57.tasks.pagescope import scope_of
from ioc57.tasks.status import LABELS, STATUSES

# the overdue first: what a leader acts on
SHOWN = ("overdue", *(s for s in STATUSES if s != "overdue"))


def tasks_panel(conn: Connection, principal: Principal | None) -> dict[str, Any] | None:
    if principal is None or not may(principal, "tasks.read"):
        return None
    scope = scope_of(conn, principal, None, None)
    if scope.province is None:  # the country: counted in the database
        counts = rollup.country_totals(conn, today())
        simulated = rollup.simulated_in(conn)
    else:
        scoped = summary_of(conn, scope, difficulties_listed=0)
        counts, simulated = scoped.totals, scoped.simulated
    if not any(counts.values()):
        return None
    rows = [(LABELS[s], counts[s], f"/tasks/list?status={s}") for s in SHOWN]
    rows.append((N_("Every task"), sum(counts.values()), "/tasks"))
    return {"title": N_("Action programme tasks today"), "rows": rows, "simulated": simulated}
