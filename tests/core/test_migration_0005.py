"""Migration 0005 adds the sessions table to a database made before it, and takes it away again."""

from alembic import command
from sqlalchemy import inspect, text

from ioc57.core.db import make_engine
from ioc57.core.migrate import alembic_config

USER = (
    "INSERT INTO users (id, username, display_name, role, disabled, created_at)"
    " VALUES (1, 'admin', 'Administrator', 'admin', false, '2026-12-01 00:00:00+00')"
)
SESSION = (
    "INSERT INTO sessions (id, user_id, created_at, last_seen_at, expires_at)"
    " VALUES (:id, 1, '2026-12-01 00:00:00+00', '2026-12-01 00:00:00+00', '2026-12-01 12:00:00+00')"
)


def test_sessions_are_added_to_a_database_made_before_them_and_removed_on_downgrade(empty_db_url):
    engine = make_engine(empty_db_url)
    config = alembic_config(engine)
    command.upgrade(config, "0004")
    with engine.begin() as conn:
        conn.execute(text(USER))
    assert "sessions" not in inspect(engine).get_table_names()

    command.upgrade(config, "0005")
    with engine.begin() as conn:
        conn.execute(text(SESSION), {"id": "a" * 64})
        rows = conn.execute(text("SELECT user_id, ended_at, ended_why FROM sessions")).all()
    assert [tuple(r) for r in rows] == [(1, None, None)]
    assert "ix_sessions_user_id" in {i["name"] for i in inspect(engine).get_indexes("sessions")}

    command.downgrade(config, "0004")
    assert "sessions" not in inspect(engine).get_table_names()
    command.upgrade(config, "head")
    engine.dispose()
