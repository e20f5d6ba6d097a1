"""The migrations build exactly the tables the code declares, and two processes may start at once."""

import os
import subprocess
import sys

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select

from ioc57.accounts.tables import users
from ioc57.core.db import make_engine
from ioc57.core.migrate import head_revision, upgrade
from ioc57.schema import all_tables
from ioc57.units.tables import units


def test_the_migrated_schema_matches_the_tables_in_code(empty_db_url):
    engine = make_engine(empty_db_url)
    upgrade(engine)
    with engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), all_tables()
        )
    engine.dispose()
    assert diff == []


def test_two_processes_initialising_one_database_at_once_do_not_race(empty_db_url):
    env = os.environ | {
        "IOC57_DATABASE_URL": empty_db_url,
        "IOC57_ADMIN_PASSWORD": "race-password-57",
    }
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "ioc57", "init"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=180) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert sum("admin user created" in out for out, _ in outputs) == 1
    assert sorted("units loaded: 0" in out for out, _ in outputs) == [False, True]
    engine = make_engine(empty_db_url)
    with engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == head_revision()
        assert conn.execute(select(func.count()).select_from(units)).scalar_one() == 14149
        assert conn.execute(select(func.count()).select_from(users)).scalar_one() == 1
    engine.dispose()
