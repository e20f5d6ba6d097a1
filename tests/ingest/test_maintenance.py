"""``ioc57 rollups rebuild`` and ``ioc57 raw purge``."""

import os
import subprocess
import sys
from datetime import timedelta

from sqlalchemy import func, select, update

from ioc57.core.clock import now
from ioc57.ingest.rollups import read_rollups
from ioc57.ingest.tables import raw_payloads

from .records import dossier, finished


def ioc57(db_url, *args):
    env = os.environ | {"IOC57_DATABASE_URL": db_url}
    r = subprocess.run(
        [sys.executable, "-m", "ioc57", *args], env=env, capture_output=True, text=True, timeout=120
    )
    assert r.returncode == 0, r.stdout + r.stderr
    return r.stdout


def test_rebuild_from_the_command_line_gives_the_same_rollups(dvc, engine, db_url):
    dvc.push("dossier", [dossier(1), finished(2), dossier(3, unit="28249")])
    dvc.push("dossier", [finished(1)])
    with engine.connect() as conn:
        before = read_rollups(conn)
    assert "rebuilt from 3 records" in ioc57(db_url, "rollups", "rebuild")
    with engine.connect() as conn:
        assert read_rollups(conn) == before


def test_raw_payloads_older_than_the_retention_are_purged(dvc, engine, db_url):
    dvc.push("dossier", [dossier(1)])
    dvc.push("dossier", [dossier(2)])
    with engine.begin() as conn:
        first = conn.execute(select(func.min(raw_payloads.c.id))).scalar_one()
        conn.execute(
            update(raw_payloads)
            .where(raw_payloads.c.id == first)
            .values(received_at=now() - timedelta(days=100))
        )
    assert "purged: 1" in ioc57(db_url, "raw", "purge")
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(raw_payloads)).scalar_one() == 1
