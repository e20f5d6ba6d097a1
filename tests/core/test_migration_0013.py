"""Migration 0013 lays the rollups out for their key, keeping their rows, and undoes it on downgrade.

The rows of a database made before it are all there after; the second index is gone, a read as
the 766 index and the tiles make it (a metric, units, a span of days) is served by the primary
key, and on SQLite the table has no rowid (its rows live in the key's B-tree).
"""

from alembic import command
from sqlalchemy import inspect

from ioc57.core.db import make_engine
from ioc57.core.migrate import alembic_config

from ..support.cells import stored_cells, write_cells

ROWS = [
    ("dossier.received", 1, f"2026-11-0{d}", f"channel={c}", "82", d, 0.0)
    for d in range(1, 8)
    for c in ("online", "direct")
] + [("dossier.finished", 2, "2026-11-03", "on_time=yes", "82", 4, 10.5)]


READ = (
    "SELECT day, dims, count FROM rollups WHERE metric = 'dossier.received'"
    " AND unit_id IN (1, 3) AND day BETWEEN '2026-11-02' AND '2026-11-05'"
)


def plan(engine) -> str:
    """How the database reads what the 766 index reads, told not to scan the whole table."""
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + READ).all()
            return " ".join(str(r[-1]) for r in rows)
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        return " ".join(r[0] for r in conn.exec_driver_sql("EXPLAIN " + READ))


def table_sql(engine) -> str:
    with engine.connect() as conn:
        return conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'rollups'"
        ).scalar_one()


def test_the_rollups_keep_their_rows_and_are_read_by_their_key(empty_db_url):
    engine = make_engine(empty_db_url)
    config = alembic_config(engine)
    sqlite = engine.dialect.name == "sqlite"
    command.upgrade(config, "0012")
    write_cells(engine, ROWS)
    before = stored_cells(engine)
    assert len(before) == len(ROWS)

    command.upgrade(config, "0013")
    assert stored_cells(engine) == before
    assert inspect(engine).get_indexes("rollups") == []
    assert ("USING PRIMARY KEY" if sqlite else "pk_rollups") in plan(engine)
    if sqlite:
        assert "WITHOUT ROWID" in table_sql(engine)

    command.downgrade(config, "0012")
    assert stored_cells(engine) == before
    assert [i["name"] for i in inspect(engine).get_indexes("rollups")] == [
        "ix_rollups_unit_metric_day"
    ]
    if sqlite:
        assert "WITHOUT ROWID" not in table_sql(engine)
    command.upgrade(config, "head")
    assert stored_cells(engine) == before
    engine.dispose()
