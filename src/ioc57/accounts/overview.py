"""The users and data-sources panel of the overview page."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from ioc57.accounts.tables import users
from ioc57.core.access import Principal, may
from ioc57.core.i18n import N_


def accounts_panel(conn: Connection, principal: Principal | None) -> dict | None:
    if not may(principal, "users.read"):
        return None
    by_role: dict[str, int] = dict(
        conn.execute(
            select(users.c.role, func.count())
            .where(users.c.disabled.is_(False))
            .group_by(users.c.role)
        ).all()
    )
    return {
        "title": N_("Users and data sources"),
        "rows": [
            (N_("Active users"), sum(by_role.values()), None),
            (N_("Leaders"), by_role.get("leader", 0), None),
            (N_("Operators"), by_role.get("operator", 0), None),
            (N_("Officers"), by_role.get("officer", 0), None),
        ],
    }
