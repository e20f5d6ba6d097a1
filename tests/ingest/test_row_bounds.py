"""Every time, date, count, text and list of a record lies within a bound, and a row that fails
anywhere on its way is rejected alone: the good rows of the same request are kept, on every path."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import orjson
import pytest
from sqlalchemy import select

from ioc57.core.access import LOCAL_ADMIN, authorize_write
from ioc57.core.clock import today
from ioc57.ingest.sources import as_source, get_row
from ioc57.ingest.tables import batches
from ioc57.ingest.types import RECORD_TYPES
from ioc57.ingest.types.base import RecordType

from .records import dossier, feedback, finished, observation, procedure, reading

YEAR_ONE = "0001-01-01T00:00:00+07:00"
LAST_HOUR = "9999-12-31T23:00:00+07:00"
LONG_AGO = "1900-06-01T08:00:00+07:00"


# (record type, record, the field its error names)
OUT_OF_BOUNDS = [
    ("dossier", dossier(101, received_at=YEAR_ONE), "received_at"),
    ("dossier", finished(102, received_at=YEAR_ONE), "received_at"),
    ("dossier", dossier(103, due_at=LAST_HOUR, suspended_days=5), "due_at"),
    ("dossier", dossier(104, due_at="2045-09-10T17:00:00+07:00"), "due_at"),
    ("dossier", finished(105, finished_at=LAST_HOUR), "finished_at"),
    ("dossier", dossier(106, received_at=LONG_AGO), "received_at"),
    ("dossier", dossier(107, updated_at=YEAR_ONE), "updated_at"),
    ("dossier", dossier(108, suspended_days=10**12), "suspended_days"),
    ("procedure", procedure(11, effective_date="0001-01-01"), "effective_date"),
    ("procedure", procedure(12, published_date="9999-12-31"), "published_date"),
    ("procedure", procedure(13, changes=[{"changed_date": "1800-01-01"}]), "changed_date"),
    ("procedure", procedure(14, name="x" * 2_000_000), "name"),
    ("procedure", procedure(15, changes=[{"changed_date": "2025-08-01"}] * 50_000), "changes"),
    ("procedure", procedure(16, name=""), "name"),
    ("feedback", feedback(21, received_at=YEAR_ONE), "received_at"),
    ("feedback", feedback(22, answered_at=LAST_HOUR), "answered_at"),
    ("feedback", feedback(23, published_at=LONG_AGO), "published_at"),
    ("feedback", feedback(24, text="x" * 30_000), "text"),
    ("reading", reading(31, observed_at=YEAR_ONE), "observed_at"),
    ("reading", reading(32, observed_at=LAST_HOUR), "observed_at"),
    ("observation", observation(period="0001"), "period"),
    ("observation", observation(source="x" * 5_000), "source"),
]
GOOD = {
    "dossier": dossier(1),
    "procedure": procedure(1),
    "feedback": feedback(1),
    "reading": reading(1),
    "observation": observation(),
}


def _unfinished(engine) -> list[int]:
    with engine.connect() as conn:
        query = select(batches.c.id).where(batches.c.finished_at.is_(None))
        return list(conn.execute(query).scalars())


@pytest.mark.parametrize("record_type", sorted(GOOD))
def test_a_push_keeps_its_good_rows_and_names_the_field_of_each_bad_one(
    record_type, everything, engine
):
    bad = [(record, field) for t, record, field in OUT_OF_BOUNDS if t == record_type]
    body = [GOOD[record_type], *(record for record, _ in bad)]
    began = time.process_time()
    answer = everything.push(record_type, body)  # 200, never a 500
    assert time.process_time() - began < 10
    assert answer["submitted"] == len(body)
    assert answer["accepted"] == 1, answer
    assert len(answer["rejected"]) == len(bad), answer["rejected"]
    for rejected, (_, field) in zip(answer["rejected"], bad, strict=True):
        named = [loc for err in rejected["errors"] for loc in err["loc"]]
        assert field in named, (field, rejected)
    assert _unfinished(engine) == []


def test_a_dossier_far_in_time_costs_no_more_than_any_other(everything):
    """A finished dossier received in 1990 and finished today is counted, and quickly."""
    old = finished(
        201,
        received_at="1990-01-02T08:00:00+07:00",
        due_at="1999-12-31T17:00:00+07:00",
        suspended_days=10_000,
    )
    began = time.process_time()
    answer = everything.push("dossier", [old])
    assert time.process_time() - began < 2
    assert answer["accepted"] == 1, answer


def test_a_row_that_fails_where_no_check_foresaw_is_rejected_alone(client, api, engine, app):
    """The gate's one place for a row: an exception from a record type's rollup contributions
    (here a record type whose contributions divide by zero) rejects that row, not the chunk."""
    r = client.post(
        "/api/v1/sources",
        json={"name": "tram-82", "types": ["reading"], "units": ["82"]},
        headers={"Authorization": f"Bearer {api.token('admin')}"},
    )
    assert r.status_code == 201, r.text
    base = RECORD_TYPES["reading"]

    def contributions(data):
        yield from base.contributions(data)
        yield ("reading.ratio", data["observed_at"], "", 1, 1 / (data["value"] - 1))

    fragile = RecordType("reading", base.model, base.as_of, contributions, unit_required=False)
    with engine.connect() as conn:
        source = as_source(conn, get_row(conn, "tram-82"), today())
    rows = [(0, reading(1, value=2.0)), (1, reading(2, value=1.0)), (2, reading(3, value=3.0))]
    rows.append((3, reading(4, station=2**70)))  # not even JSON can hold it as it came
    grant = authorize_write(LOCAL_ADMIN, fragile.write_action, own_source=False)
    candidates, rejected, _ = app.state.gate.validate(source, fragile, rows, grant)
    assert [c.index for c in candidates] == [0, 2]
    assert [r["index"] for r in rejected] == [1, 3]
    assert rejected[0]["errors"][0]["msg"] == "cannot be processed: ZeroDivisionError"
    assert rejected[1]["errors"][0]["loc"] == ["station"]


def test_ioc57_import_of_the_same_bad_rows_exits_cleanly_every_time(
    client, api, db_url, tmp_path, engine
):
    r = client.post(
        "/api/v1/sources",
        json={"name": "dvc-82", "types": ["dossier"], "units": ["82"]},
        headers={"Authorization": f"Bearer {api.token('admin')}"},
    )
    assert r.status_code == 201, r.text
    rows = [dossier(1), dossier(2, received_at=YEAR_ONE)]
    rows.append(dossier(3, due_at=LAST_HOUR, suspended_days=5))
    path = tmp_path / "hoso.ndjson"
    path.write_bytes(b"\n".join(orjson.dumps(row) for row in rows) + b"\n")
    env = os.environ | {"IOC57_DATABASE_URL": db_url}
    command = [sys.executable, "-m", "ioc57", "import", str(path), "--type", "dossier"]
    command += ["--source", "dvc-82", "--quiet"]
    for accepted, unchanged in ((1, 0), (0, 1)):
        run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stdout + run.stderr
        assert "Traceback" not in run.stderr
        assert f"accepted: {accepted}" in run.stdout and f"unchanged: {unchanged}" in run.stdout
        assert "rejected: 2" in run.stdout
        report = (tmp_path / "hoso.ndjson.errors.csv").read_text(encoding="utf-8")
        assert "HS-2,received_at," in report and "HS-3,due_at," in report
    assert _unfinished(engine) == []
