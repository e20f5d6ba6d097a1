"""Values entered by people (API, XLSX template, page) go through the gate as a built-in source.

The source ``nhap-lieu`` stands for people entering data; the gate writes their values with the
person as principal, so the access policy confines an officer to their unit and the units under it
and approves on arrival only the values of those who may review them.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from ioc57.core.clock import today
from ioc57.ingest.batches import Source
from ioc57.ingest.sources import as_source, create_source, get_row
from ioc57.units.queries import valid_at
from ioc57.units.tables import units

ENTRY_SOURCE = "nhap-lieu"


def _entry_row(conn: Connection):
    row = get_row(conn, ENTRY_SOURCE)
    if row is not None:
        return row
    provinces = [
        r.code
        for r in conn.execute(
            select(units.c.code)
            .where(units.c.level == "province", valid_at(today()))
            .order_by(units.c.code)
        )
    ]
    try:
        with conn.begin_nested():
            create_source(
                conn,
                actor="ioc57",
                name=ENTRY_SOURCE,
                types=["observation"],
                units=provinces,
                today=today(),
                title="Nhập liệu trực tiếp",
            )
    except IntegrityError:  # created at the same moment by another request
        pass
    conn.commit()
    return get_row(conn, ENTRY_SOURCE)


def entry_source(conn: Connection) -> Source:
    return as_source(conn, _entry_row(conn), today())
