"""The action programmes' panel of the overview page: the person's tasks by status today (an
officer's unit's, or the country's), the overdue first, each linked to its list."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, may
from ioc57.core.clock import today
from ioc57.core.i18n import N_
from ioc57.tasks import rollup
from ioc57.tasks.status import LABELS, STATUSES
from ioc57.units.queries import subtree_ids, unit_by_id

# the overdue first: what a leader acts on
SHOWN = ("overdue", *(s for s in STATUSES if s != "overdue"))


def tasks_panel(conn: Connection, principal: Principal | None) -> dict[str, Any] | None:
    if principal is None or not may(principal, "tasks.read"):
        return None
    if principal.unit_id is None:
        lines = rollup.national(conn, today())
        counts = {s: sum(line.counts[s] for line in lines) for s in STATUSES}
        simulated = rollup.simulated_in(conn)
    else:
        unit = unit_by_id(conn, principal.unit_id)
        scoped = rollup.summary(
            conn,
            province_code=unit.province_code,
            agency_ids=None if unit.level == "province" else subtree_ids(conn, unit),
            today=today(),
        )
        counts, simulated = scoped.totals, scoped.simulated
    if not any(counts.values()):
        return None
    rows = [(LABELS[s], counts[s], f"/tasks/list?status={s}") for s in SHOWN]
    rows.append((N_("Every task"), sum(counts.values()), "/tasks"))
    return {"title": N_("Action programme tasks today"), "rows": rows, "simulated": simulated}
