"""The Decision 766 panel of the overview page: this month's total of the person's unit (or of the
first province whose dossiers came through the gate), linked to its full panel."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, may
from ioc57.core.clock import today
from ioc57.core.i18n import N_
from ioc57.services.index import index_of, parse_window, target
from ioc57.services.pages import first_unit


def index_panel(conn: Connection, principal: Principal | None) -> dict[str, Any] | None:
    if principal is None or not may(principal, "services.read"):
        return None
    code = first_unit(conn, principal)
    goal = target(conn, code, today()) if code else None
    if goal is None:
        return None
    month = f"{today():%Y%m}"
    result = index_of(conn, goal, parse_window(month), today())
    href = f"/services?unit={goal.code}&period={month}"
    return {
        "title": N_("Decision 766 index, this month"),
        "rows": [(goal.name, result["total"], href)],
    }
