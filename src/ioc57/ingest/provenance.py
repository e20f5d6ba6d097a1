"""Where records come from: a simulated source's are labelled "dữ liệu mô phỏng" wherever what
they add up to shows (pages, the API, the scorecard's computed indicators)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ioc57.ingest.tables import records, sources
from ioc57.units.tables import units


def simulated_records(conn: Connection, record_type: str, unit_ids: list[int]) -> bool:
    """Whether a simulated source sent records of ``record_type`` to these units' provinces. The
    simulated sources are few (none in a real deployment, which answers at once); their records
    are found by the index on (source, type)."""
    simulated = list(
        conn.execute(select(sources.c.id).where(sources.c.simulated.is_(True))).scalars()
    )
    if not simulated:
        return False
    codes = select(units.c.province_code).where(units.c.id.in_(unit_ids)).scalar_subquery()
    query = (
        select(records.c.id)
        .where(records.c.source_id.in_(simulated), records.c.type == record_type)
        .where(records.c.province_code.in_(codes))
        .limit(1)
    )
    return conn.execute(query).first() is not None
