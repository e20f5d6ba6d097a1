"""The operations centre's demo: a wall display of the demo province, connected with a device key
printed for the person who runs ``ioc57 demo``, and the demo leader subscribed to the daily brief
when they have an email address. Loaded only by ``ioc57 demo``."""

from __future__ import annotations

from sqlalchemy import select

from ioc57.accounts.devices import create_device, unit_id_of
from ioc57.accounts.tables import devices, users
from ioc57.centre.layouts import DEFAULT
from ioc57.modules import Demo

WALL = "Màn hình tường phòng điều hành (demo)"
PROVINCE = "82"  # Đồng Tháp, the demo's province


def load_demo(demo: Demo) -> None:
    with demo.engine.begin() as conn:
        if conn.execute(select(devices.c.id).where(devices.c.name == WALL)).first() is not None:
            return  # a demo database loaded again keeps its display (its key was printed then)
        exists = conn.execute(select(users.c.id).where(users.c.username == "admin")).first()
        _, key = create_device(
            conn,
            actor="ioc57-demo",
            name=WALL,
            unit_id=unit_id_of(conn, PROVINCE),
            layout=DEFAULT,
            created_by=exists.id if exists else None,
        )
    demo.echo(
        f"the wall: /wall (a leader's login), or a wall display at /wall/connect with the key {key}"
    )
