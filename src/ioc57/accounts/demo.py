"""Demo users, one per role: loaded only by ``ioc57 demo``."""

from __future__ import annotations

from sqlalchemy.engine import Connection

from ioc57.accounts import service
from ioc57.modules import Demo
from ioc57.units.queries import unit_at

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
