"""Records entered by people (API, XLSX template, page) go through the gate as a built-in source.

The source ``nhap-lieu`` stands for people entering data; the gate writes their records with the
person as principal, so the access policy confines an officer to their unit and the units under it
and approves on arrival only the values of those who may review them. It may send every record
type that people write (``RecordType.entered``, of the installed modules): it is made on first use,
and a type installed since it was made (a database older than the module) is added to it then.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from ioc57.core.clock import today
from ioc57.ingest.batches import Source
from ioc57.ingest.sources import as_source, change_source, create_source, get_row
from ioc57.ingest.types import RECORD_TYPES
from ioc57.units.queries import valid_at
from ioc57.units.tables import units

ENTRY_SOURCE = "nhap-lieu"
ACTOR = "ioc57"


def entered_types() -> list[str]:
    """The record types people write, of the installed modules."""
    return sorted(name for name, rtype in RECORD_TYPES.items() if rtype.entered)


def _create(conn: Connection, types: list[str]) -> None:
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
                actor=ACTOR,
                name=ENTRY_SOURCE,
                types=types,
                units=provinces,
                today=today(),
                title="Nhập liệu trực tiếp",
            )
    except IntegrityError:  # created at the same moment by another request
        pass


def _entry_row(conn: Connection) -> Any:
    types = entered_types()
    row = get_row(conn, ENTRY_SOURCE)
    if row is not None and set(types) <= set(row.types):
        return row
    if row is None:
        _create(conn, types)
    else:  # a type installed since the source was made
        added = sorted(set(row.types) | set(types))
        change_source(conn, actor=ACTOR, name=ENTRY_SOURCE, today=today(), types=added)
    conn.commit()
    return get_row(conn, ENTRY_SOURCE)


def entry_source(conn: Connection) -> Source:
    return as_source(conn, _entry_row(conn), today())
