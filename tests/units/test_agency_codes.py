"""An agency never takes a code that any unit has held, at any level and in any period: the
meaning of a record dated back then must not depend on the order the rows are read in."""

from __future__ import annotations

import os
import subprocess
import sys

from sqlalchemy import select

from ioc57.units.tables import units

AGENCY = {"name": "Sở Khoa học và Công nghệ", "parent": "82", "type": "sở"}


def _former_codes(engine) -> dict[str, str]:
    """A code per level that a unit held only before the 2025 reorganisation."""
    current = select(units.c.code).where(units.c.valid_to.is_(None))
    query = (
        select(units.c.level, units.c.code)
        .where(units.c.valid_to.is_not(None), units.c.code.not_in(current))
        .order_by(units.c.level, units.c.code)
    )
    found: dict[str, str] = {}
    with engine.connect() as conn:
        for level, code in conn.execute(query):
            found.setdefault(level, code)
    return found


def test_a_code_a_unit_used_before_2025_is_refused_naming_the_code(client, api, engine):
    token = {"Authorization": f"Bearer {api.token('admin')}"}
    former = _former_codes(engine)
    assert {"province", "district", "commune"} <= set(former), former
    for code in ("815", *former.values()):
        r = client.post("/api/v1/units", json=AGENCY | {"code": code}, headers=token)
        assert r.status_code == 409, (code, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["errors"][0]["loc"] == ["code"]
    r = client.post("/api/v1/units", json=AGENCY | {"code": "SKHCN-82"}, headers=token)
    assert r.status_code == 201, r.text


def test_ioc57_agency_create_refuses_it_too(db_url):
    run = subprocess.run(
        [sys.executable, "-m", "ioc57", "agency", "create", "--parent", "82"]
        + ["--code", "815", "--name", "Sở Nội vụ"],
        env=os.environ | {"IOC57_DATABASE_URL": db_url},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2, run.stdout + run.stderr
    assert "815" in run.stderr and "Traceback" not in run.stderr
