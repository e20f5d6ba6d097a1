"""Migration 0004 counts the simulated values already rolled up, own and below."""

from alembic import command
from sqlalchemy import text

from ioc57.core.db import make_engine
from ioc57.core.migrate import alembic_config

ROLLUP = (
    "INSERT INTO indicator_rollups (indicator, unit_id, year, scope, province_code, n, sum_value,"
    " sum_num, sum_den, pct_only, latest_value, latest_num, latest_den)"
    " VALUES ('online_dossiers', :unit, 2025, :scope, '82', :n, 0, 0, 0, 0, 0, 0, 0)"
)
VALUE = (
    "INSERT INTO indicator_values (indicator, unit_id, province_code, period, period_end, year,"
    " value, status, citation, simulated, entered_by, updated_at)"
    " VALUES ('online_dossiers', :unit, '82', :period, '2025-09-30', 2025, 1, 'approved',"
    " 'test', :simulated, 'test', '2025-10-01 00:00:00+00')"
)


def test_the_simulated_counts_are_filled_in_for_rollups_made_before_it(empty_db_url):
    engine = make_engine(empty_db_url)
    config = alembic_config(engine)
    command.upgrade(config, "0003")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO units (id, code, name, short_name, level, type, parent_id,"
                " province_code, search_name) VALUES"
                " (1, '82', 'Tỉnh Đồng Tháp', 'Đồng Tháp', 'province', 'Tỉnh', NULL, '82', 'dong thap'),"
                " (2, '28261', 'Phường Mỹ Tho', 'Mỹ Tho', 'commune', 'Phường', 1, '82', 'my tho'),"
                " (3, '28270', 'Phường Đạo Thạnh', 'Đạo Thạnh', 'commune', 'Phường', 1, '82', 'dao thanh')"
            )
        )
        for unit, period, simulated in (
            (2, "202509", True),
            (2, "202508", True),
            (3, "202509", False),
        ):
            conn.execute(text(VALUE), {"unit": unit, "period": period, "simulated": simulated})
        conn.execute(
            text(ROLLUP), [{"unit": 2, "scope": "own", "n": 2}, {"unit": 3, "scope": "own", "n": 1}]
        )
        conn.execute(text(ROLLUP), {"unit": 1, "scope": "below", "n": 3})

    command.upgrade(config, "0004")

    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT unit_id, scope, simulated FROM indicator_rollups ORDER BY unit_id")
        ).all()
    engine.dispose()
    assert [tuple(r) for r in rows] == [(1, "below", 2), (2, "own", 2), (3, "own", 0)]
