"""Setting up a database: migrate, load the real units, create the first admin; and demo data."""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy.engine import Engine

from ioc57 import modules
from ioc57.accounts import service
from ioc57.core.migrate import migration_lock, upgrade
from ioc57.core.partitions import partition_by_province, partitioned_tables
from ioc57.core.security import new_password
from ioc57.units.load import load_units

SYSTEM_ACTOR = "ioc57-init"


@dataclass
class InitResult:
    migrated: bool
    units_loaded: int
    admin_created: bool
    admin_password: str | None
    seconds: float
    partitioned: tuple[str, ...] = ()  # the fact tables this run partitioned by province


def init_database(
    engine: Engine, admin_password: str | None = None, by_province: bool = False
) -> InitResult:
    """Create or migrate the schema, load units, create ``admin`` (with ``admin_password``, else a
    generated one); safe to run again and at once. With ``by_province`` (PostgreSQL), or on a
    database already partitioned, the fact tables not yet partitioned by province are."""
    start = time.perf_counter()
    migrated = upgrade(engine)

    with migration_lock(engine), engine.begin() as conn:
        loaded = load_units(conn)
        partitioned: list[str] = []
        if by_province or partitioned_tables(conn):
            modules.installed()  # their fact tables, on the metadata
            partitioned = partition_by_province(conn)
        created, password = False, None
        if service.get_user(conn, "admin") is None:
            password = admin_password or new_password()
            service.create_user(
                conn,
                actor=SYSTEM_ACTOR,
                username="admin",
                role="admin",
                password=password,
                display_name="Administrator",
            )
            created = True
    return InitResult(
        migrated, loaded, created, password, time.perf_counter() - start, tuple(partitioned)
    )
