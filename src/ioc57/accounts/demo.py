"""Demo users, one per role: loaded only by ``ioc57 demo``."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ioc57.accounts import service
from ioc57.accounts.tables import users
from ioc57.modules import Demo
from ioc57.units.queries import unit_at
from ioc57.units.tables import units

DEMO_USERS = [
    ("lanhdao", "leader", None, "Lãnh đạo tỉnh (demo)"),
    ("vanhanh", "operator", None, "Cán bộ vận hành IOC (demo)"),
    ("canbo.skhcn", "officer", "SKHCN-82", "Cán bộ Sở KH&CN (demo)"),
    ("canbo.mytho", "officer", "28261", "Cán bộ phường Mỹ Tho (demo)"),
    ("xem", "viewer", None, "Người xem (demo)"),
]


def load_demo_users(conn: Connection, password: str, today, users=DEMO_USERS) -> list[str]:
    """The ``users`` (user name, role, unit code, display name) not made yet; their names."""
    created = []
    for username, role, unit_code, name in users:
        if service.get_user(conn, username) is not None:
            continue
        unit = unit_at(conn, unit_code, today) if unit_code else None
        service.create_user(
            conn,
            actor="ioc57-demo",
            username=username,
            role=role,
            password=password,
            unit_id=unit.id if unit else None,
            unit_code=unit_code,
            display_name=name,
        )
        created.append(username)
    return created


def load_demo(demo: Demo) -> None:
    with demo.engine.begin() as conn:
        added = load_demo_users(conn, demo.password, demo.today)
    names = ", ".join(username for username, *_ in DEMO_USERS)
    demo.echo(f"demo users added: {len(added)}; their password is {demo.password}: {names}")


ROLE_ORDER = ("admin", "leader", "operator", "officer", "viewer")


def demo_logins(conn: Connection) -> list[tuple[str, str, str]]:
    """Who may log in (the people, not the sources' ``system`` users), the broadest role first:
    (user name, role, unit as "name (code)", or "all units" for a role not held to one)."""
    found = conn.execute(
        select(users.c.username, users.c.role, units.c.name, units.c.code)
        .outerjoin(units, users.c.unit_id == units.c.id)
        .where(users.c.role.in_(ROLE_ORDER), users.c.disabled.is_(False))
    ).all()
    rows = sorted(found, key=lambda r: (ROLE_ORDER.index(r.role), r.username))
    return [(r.username, r.role, f"{r.name} ({r.code})" if r.code else "all units") for r in rows]
