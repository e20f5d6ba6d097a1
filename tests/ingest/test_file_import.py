"""File import: CSV, XLSX and NDJSON files through the gate, as streams, with their bad rows
reported in FILE.errors.csv; a second run changes nothing; a run killed half-way and run again
leaves exactly what one clean run leaves."""

from __future__ import annotations

import csv
import inspect
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from functools import partial

import orjson
import pytest
from sqlalchemy import func, select

from ioc57.core.access import LOCAL_ADMIN
from ioc57.core.clock import today
from ioc57.core.db import make_engine
from ioc57.ingest import fileimport
from ioc57.ingest.fileimport import ImportFailed, NdjsonReader
from ioc57.ingest.gate import CHUNK
from ioc57.ingest.rollups import read_rollups
from ioc57.ingest.sources import create_source
from ioc57.ingest.tables import batches, raw_payloads, records

from ..support import pg

pytestmark = pytest.mark.long  # minutes: scheduled first (tests/support/scheduling.py)

SOURCE = "files-82"
# these files are imported as ``ioc57 import`` imports them: by the local administrator
import_file = partial(fileimport.import_file, principal=LOCAL_ADMIN)
COUNTS = ("submitted", "accepted", "updated", "unchanged", "stale", "rejected")
COMMUNES = ("28261", "28249", "28273")  # communes of province 82 since 2025-07-01


def add_source(engine) -> None:
    with engine.begin() as conn:
        create_source(
            conn,
            actor="test",
            name=SOURCE,
            types=["dossier", "procedure"],
            units=["82"],
            today=today(),
        )


@pytest.fixture
def gate_db(engine):
    add_source(engine)
    return engine


def dossier(n: int, **changes) -> dict:
    received = datetime(2025, 7, 1, 1, tzinfo=UTC) + timedelta(minutes=7 * n)
    record = {
        "id": f"F-{n}",
        "procedure": "1.001234",
        "unit": COMMUNES[n % len(COMMUNES)],
        "channel": ("online", "direct", "postal")[n % 3],
        "received_at": received.isoformat(),
        "due_at": (received + timedelta(days=7)).isoformat(),
        "status": "finished" if n % 4 else "processing",
        "finished_at": (received + timedelta(days=3 + n % 6)).isoformat() if n % 4 else None,
        "digitized": n % 2 == 0,
        "synced_national": n % 5 != 0,
        "supplement_requests": n % 3,
        "updated_at": (received + timedelta(days=9)).isoformat(),
    }
    return record | changes


def counts(report) -> tuple:
    return tuple(report.counts[k] for k in COUNTS)


def error_rows(path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# -- NDJSON ----------------------------------------------------------------------------------


def write_ndjson(path, items) -> None:
    with open(path, "wb") as out:
        for item in items:
            out.write(item if isinstance(item, bytes) else orjson.dumps(item))
            out.write(b"\n")


def test_an_ndjson_file_is_imported_and_its_bad_rows_are_reported(gate_db, tmp_path):
    path = tmp_path / "dossiers.ndjson"
    write_ndjson(
        path,
        [
            dossier(1),
            dossier(2, channel="fax"),
            b"{not json",
            dossier(3),
            dossier(4, unit="99999"),
            dossier(5),
        ],
    )
    errors = tmp_path / "dossiers.ndjson.errors.csv"
    report = import_file(gate_db, path, source=SOURCE, type_name="dossier", errors_path=errors)
    assert counts(report) == (6, 3, 0, 0, 0, 3)
    assert report.errors_path == errors
    rows = error_rows(errors)
    assert list(rows[0]) == ["index", "id", "field", "error", "row"]
    by_index = {r["index"]: r for r in rows}
    assert by_index["1"]["id"] == "F-2" and by_index["1"]["field"] == "channel"
    assert '"channel":"fax"' in by_index["1"]["row"]
    assert by_index["2"]["field"] == "" and "not JSON" in by_index["2"]["error"]
    assert by_index["4"]["field"] == "unit" and "99999" in by_index["4"]["error"]
    with gate_db.connect() as conn:
        batch = conn.execute(select(batches).where(batches.c.id == report.batch)).one()
        kept = conn.execute(select(func.count()).select_from(raw_payloads)).scalar_one()
    assert (batch.via, batch.filename, batch.submitted, batch.rejected) == (
        "file",
        "dossiers.ndjson",
        6,
        3,
    )
    assert batch.finished_at is not None and kept == 1


def test_a_second_run_of_the_same_file_changes_nothing(gate_db, tmp_path):
    path = tmp_path / "again.ndjson"
    write_ndjson(path, [dossier(n) for n in range(25)])
    first = import_file(gate_db, path, source=SOURCE, type_name="dossier")
    with gate_db.connect() as conn:
        before = read_rollups(conn)
    second = import_file(gate_db, path, source=SOURCE, type_name="dossier")
    assert counts(first) == (25, 25, 0, 0, 0, 0)
    assert counts(second) == (25, 0, 0, 25, 0, 0)
    with gate_db.connect() as conn:
        assert read_rollups(conn) == before


def test_the_reader_is_a_stream_not_a_whole_read(tmp_path):
    path = tmp_path / "big.ndjson"
    write_ndjson(path, [dossier(n) for n in range(5_000)])  # about 2 MB
    with path.open("rb") as handle:
        reader = NdjsonReader(handle)
        rows = reader.rows()
        assert inspect.isgenerator(rows)
        index, first = next(rows)
        assert (index, orjson.loads(first)["id"]) == (0, "F-0")
        assert reader.position < path.stat().st_size / 10


# -- CSV ---------------------------------------------------------------------------------------

CSV_HEADER = "id,procedure,unit,channel,received_at,due_at,finished_at,status,digitized,updated_at"


def test_a_csv_file_is_imported_with_empty_cells_as_absent_values(gate_db, tmp_path):
    path = tmp_path / "dossiers.csv"
    path.write_text(
        "\ufeff"  # Excel's byte-order mark
        + "\n".join(
            [
                CSV_HEADER,
                "C-1,1.001234,28261,online,2025-09-01T08:00:00+07:00,2025-09-10T17:00:00+07:00,"
                ",received,true,2025-09-01T08:00:00+07:00",
                "C-2,1.001234,28261,direct,yesterday,2025-09-10T17:00:00+07:00,,received,,"
                "2025-09-01T08:00:00+07:00",
                "C-3,1.001234,28249,postal,2025-09-02 08:00:00,2025-09-10 17:00:00,"
                "2025-09-05 10:00:00,finished,0,2025-09-05 10:00:00",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    errors = tmp_path / "dossiers.csv.errors.csv"
    report = import_file(gate_db, path, source=SOURCE, type_name="dossier", errors_path=errors)
    assert counts(report) == (3, 2, 0, 0, 0, 1)
    (row,) = error_rows(errors)
    assert (row["index"], row["id"], row["field"]) == ("1", "C-2", "received_at")
    with gate_db.connect() as conn:
        data = dict(conn.execute(select(records.c.record_id, records.c.data)).all())
    assert orjson.loads(data["C-1"])["digitized"] is True
    # a time without an offset is Việt Nam's: 08:00 at +07:00 is 01:00 UTC
    assert orjson.loads(data["C-3"])["received_at"].startswith("2025-09-02T01:00:00")
    again = import_file(gate_db, path, source=SOURCE, type_name="dossier", errors_path=errors)
    assert counts(again) == (3, 0, 0, 2, 0, 1)


def test_a_csv_that_stops_being_utf8_half_way_is_refused_with_the_place(gate_db, tmp_path):
    path = tmp_path / "broken.csv"
    good = "C-{n},1.001234,28261,online,2025-09-01T08:00:00+07:00,2025-09-10T17:00:00+07:00,,received,,"
    lines = [CSV_HEADER] + [good.format(n=n) + "2025-09-01T08:00:00+07:00" for n in range(300)]
    path.write_bytes("\n".join(lines).encode() + b"\nC-x,\xff\xfe broken\n")
    with pytest.raises(ImportFailed, match="cannot read the file after byte"):
        import_file(gate_db, path, source=SOURCE, type_name="dossier")
    with gate_db.connect() as conn:
        assert conn.execute(select(func.count()).select_from(records)).scalar_one() == 0


def test_a_worker_process_validates_the_chunks_after_the_first(gate_db, tmp_path):
    header = "id,name,unit,level,online,fee,payment_online,population_db,effective_date,full_content,changes"
    row = '1.{n:06d},Thủ tục {n},82,province,full,true,false,1,2025-07-01,true,"[{{""changed_date"": ""2025-08-01""}}]"'
    lines = [header] + [row.format(n=n) for n in range(12_000)]
    lines[10_500] = lines[10_500].replace("[{", "[{broken")  # a cell that must hold JSON
    lines[11_000] = lines[11_000].replace(",full,", ",always,")
    path = tmp_path / "procedures.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    errors = tmp_path / "procedures.csv.errors.csv"
    report = import_file(
        gate_db, path, source=SOURCE, type_name="procedure", errors_path=errors, workers=1
    )
    assert counts(report) == (12_000, 11_998, 0, 0, 0, 2)
    assert [(r["index"], r["field"]) for r in error_rows(errors)] == [
        ("10499", "changes"),
        ("10999", "online"),
    ]
    with gate_db.connect() as conn:
        before = read_rollups(conn)
        data = orjson.loads(
            conn.execute(
                select(records.c.data).where(records.c.record_id == "1.011000")
            ).scalar_one()
        )
    assert data["changes"] == [{"changed_date": "2025-08-01", "published_date": None}]
    again = import_file(gate_db, path, source=SOURCE, type_name="procedure", workers=0)
    assert counts(again) == (12_000, 0, 0, 11_998, 0, 2)
    with gate_db.connect() as conn:
        assert read_rollups(conn) == before


def test_a_file_is_written_a_chunk_a_transaction_and_a_request_in_one(gate_db, tmp_path):
    """A file: ``CHUNK`` rows a transaction, each announced when it commits, with a worker or
    without. The same rows as a request (an EPCIS capture document, a push) are written whole:
    one transaction, one announcement."""
    from ioc57.core.events import EventBus
    from ioc57.ingest.gate import Gate
    from ioc57.ingest.sources import as_source, get_row

    def heard_by(first: int, ingest) -> list[int]:
        heard = []
        bus = EventBus()
        bus.subscribe("ingest.batch", heard.append)
        # records of their own, below 100,000 (``dossier``'s times run 7 minutes apart from
        # July 2025: the later ones lie in the future)
        rows = [dossier(first + n) for n in range(2 * CHUNK + 1)]
        assert ingest(Gate(gate_db, bus), rows) == 2 * CHUNK + 1  # accepted
        return [e.data["changed"] for e in heard]

    def from_file(workers: int, gate: Gate, rows: list[dict]) -> int:
        path = tmp_path / f"dossiers-{workers}.ndjson"
        path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))
        report = import_file(
            gate_db, path, source=SOURCE, type_name="dossier", gate=gate, workers=workers
        )
        return report.counts["accepted"]

    def as_request(gate: Gate, rows: list[dict]) -> int:
        with gate_db.connect() as conn:
            source = as_source(conn, get_row(conn, SOURCE), today())
        rows_in = list(enumerate(rows))
        result = gate.ingest(source, "dossier", rows_in, principal=LOCAL_ADMIN, via="epcis")
        return result.accepted

    for workers in (0, 1):
        chunks = heard_by(workers * 6 * CHUNK, partial(from_file, workers))
        assert chunks == [CHUNK, CHUNK, 1], workers
    assert heard_by(3 * CHUNK, as_request) == [2 * CHUNK + 1]


def test_the_rollup_rows_a_worker_makes_equal_a_rebuild(gate_db, tmp_path):
    """The worker makes each chunk's rollup rows as if every record were new; the writer takes
    them for a chunk of new records only. Chunk two is all new; chunk five sends a record of
    chunk one again, changed; chunk seven one of its own twice: theirs are the writer's own."""
    from ioc57.ingest.rollups import rebuild
    from ioc57.ingest.unitcache import UnitCache

    rows = [dossier(n) for n in range(7 * CHUNK)]
    later = "2025-12-20T10:00:00+07:00"
    rows[4 * CHUNK + 1000] = dossier(5, channel="online", updated_at=later)  # stored in one
    rows[6 * CHUNK + 2000] = dossier(6 * CHUNK + 1500, digitized=False, updated_at=later)
    path = tmp_path / "dossiers.ndjson"
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))
    report = import_file(gate_db, path, source=SOURCE, type_name="dossier", workers=1)
    assert counts(report) == (7 * CHUNK, 7 * CHUNK - 2, 2, 0, 0, 0)
    with gate_db.connect() as conn:
        imported = read_rollups(conn)
        rebuild(conn, UnitCache(gate_db))
        assert read_rollups(conn) == imported


# -- XLSX --------------------------------------------------------------------------------------


def write_xlsx(path, header, rows) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("dossiers")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)


def test_an_xlsx_workbook_is_imported_from_its_first_sheet(gate_db, tmp_path):
    path = tmp_path / "dossiers.xlsx"
    header = ["id", "procedure", "unit", "channel", "received_at", "due_at", "status", "updated_at"]
    received = datetime(2025, 9, 1, 8, 0)  # a cell with a date and no offset: Việt Nam time
    due = datetime(2025, 9, 10, 17, 0)
    rows = [
        [f"X-{n}", "1.001234", "28261", "online", received, due, "received", received]
        for n in range(1, 4)
    ]
    rows.append(["X-4", "1.001234", 28261, "online", received, due, "lost", received])
    rows.append([None] * len(header))  # an empty row is skipped
    write_xlsx(path, header, rows)
    errors = tmp_path / "dossiers.xlsx.errors.csv"
    report = import_file(gate_db, path, source=SOURCE, type_name="dossier", errors_path=errors)
    assert counts(report) == (4, 3, 0, 0, 0, 1)
    (row,) = error_rows(errors)
    assert (row["id"], row["field"]) == ("X-4", "status")
    with gate_db.connect() as conn:
        data = orjson.loads(
            conn.execute(select(records.c.data).where(records.c.record_id == "X-1")).scalar_one()
        )
        raw = conn.execute(select(raw_payloads.c.content_type)).scalars().all()
    assert data["received_at"].startswith("2025-09-01T01:00:00")
    assert raw == ["application/x-ndjson; from=xlsx"]
    again = import_file(gate_db, path, source=SOURCE, type_name="dossier")
    assert counts(again) == (4, 0, 0, 3, 0, 1)


def test_a_file_that_is_not_what_it_says_is_refused(gate_db, tmp_path):
    fake = tmp_path / "fake.xlsx"
    fake.write_text("id,unit\n1,82\n")
    with pytest.raises(ImportFailed, match="not an XLSX"):
        import_file(gate_db, fake, source=SOURCE, type_name="dossier")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 but not a workbook")
    with pytest.raises(ImportFailed, match="cannot read the XLSX workbook"):
        import_file(gate_db, broken, source=SOURCE, type_name="dossier")
    with gate_db.connect() as conn:  # no batch was opened for the files it could not read
        assert conn.execute(select(func.count()).select_from(batches)).scalar_one() == 0
    unknown = tmp_path / "dossiers.txt"
    unknown.write_text("{}\n")
    with pytest.raises(ImportFailed, match="extension"):
        import_file(gate_db, unknown, source=SOURCE, type_name="dossier")
    assert (
        counts(import_file(gate_db, unknown, source=SOURCE, type_name="dossier", fmt="ndjson"))[-1]
        == 1
    )
    with pytest.raises(ImportFailed, match="no source"):
        import_file(gate_db, unknown, source="nobody", type_name="dossier", fmt="ndjson")
    with pytest.raises(ImportFailed, match="may not send"):
        import_file(gate_db, unknown, source=SOURCE, type_name="reading", fmt="ndjson")


# -- the command -------------------------------------------------------------------------------


def ioc57(db_url, *args, **kwargs):
    env = os.environ | {"IOC57_DATABASE_URL": db_url}
    return subprocess.Popen(
        [sys.executable, "-m", "ioc57", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def run(db_url, *args):
    process = ioc57(db_url, *args)
    out, err = process.communicate(timeout=300)
    return process.returncode, out, err


def test_the_command_prints_the_counts_last_and_writes_the_errors_file(gate_db, db_url, tmp_path):
    path = tmp_path / "push.ndjson"
    write_ndjson(path, [dossier(1), dossier(2, status="lost"), dossier(3)])
    code, out, err = run(db_url, "import", str(path), "--type", "dossier", "--source", SOURCE)
    assert code == 0, err
    assert out.splitlines()[-6:] == [
        "submitted: 3",
        "accepted: 2",
        "updated: 0",
        "unchanged: 0",
        "stale: 0",
        "rejected: 1",
    ]
    (row,) = error_rows(tmp_path / "push.ndjson.errors.csv")
    assert (row["index"], row["id"], row["field"]) == ("1", "F-2", "status")


def test_the_command_exits_2_on_an_unknown_source_type_or_file(gate_db, db_url, tmp_path):
    path = tmp_path / "push.ndjson"
    write_ndjson(path, [dossier(1)])
    for args, said in [
        ((str(path), "--type", "dossier", "--source", "nobody"), "no source"),
        ((str(path), "--type", "nothing", "--source", SOURCE), "unknown record type"),
        ((str(tmp_path / "missing.ndjson"), "--type", "dossier", "--source", SOURCE), "cannot"),
    ]:
        code, _, err = run(db_url, "import", *args)
        assert code == 2 and said in err, err


# -- killed half-way, run again ------------------------------------------------------------------


@pytest.fixture
def fresh_db_url(backend, request, tmp_path):
    """A second database like ``db_url``'s, for a clean run to compare with."""
    if backend == "sqlite":
        path = tmp_path / "clean.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    admin_url = request.getfixturevalue("pg_admin_url")
    name = f"ioc57_clean_{os.getpid()}_{int(time.time() * 1000) % 10**8}"
    yield pg.create_database(admin_url, name, template=request.getfixturevalue("pg_template"))
    pg.drop_database(admin_url, name)


def children(pid: int) -> list[int]:
    """The processes ``pid`` started (its validation worker), as Linux lists them."""
    found = []
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as handle:
            found += [int(p) for p in handle.read().split()]
    return found


def stored(url):
    """The records (less their ids, batches and nothing else) and the rollups of a database."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                select(
                    records.c.type,
                    records.c.record_id,
                    records.c.unit_id,
                    records.c.agency_id,
                    records.c.province_code,
                    records.c.occurred_on,
                    records.c.updated_at,
                    records.c.hash,
                    records.c.data,
                )
            ).all()
            return sorted(tuple(r) for r in rows), read_rollups(conn)
    finally:
        engine.dispose()


def test_an_import_killed_half_way_and_run_again_equals_one_clean_run(
    gate_db, db_url, fresh_db_url, tmp_path
):
    path = tmp_path / "big.ndjson"
    write_ndjson(path, [dossier(n) for n in range(60_000)])
    args = (
        "import",
        str(path),
        "--type",
        "dossier",
        "--source",
        SOURCE,
        "--quiet",
        "--workers",
        "1",
    )

    process = ioc57(db_url, *args)
    deadline = time.monotonic() + 240
    committed = None
    while time.monotonic() < deadline and process.poll() is None:
        with gate_db.connect() as conn:
            committed = conn.execute(select(batches.c.submitted, batches.c.finished_at)).first()
        if committed is not None and committed.submitted > 0:
            break
        time.sleep(0.05)
    workers = children(process.pid)  # the worker process that validates chunks
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    gone = time.monotonic() + 10
    while any(os.path.exists(f"/proc/{pid}") for pid in workers) and time.monotonic() < gone:
        time.sleep(0.1)
    assert not [pid for pid in workers if os.path.exists(f"/proc/{pid}")], "a worker outlived it"
    assert committed is not None and committed.submitted > 0, "no chunk committed in time"
    assert committed.finished_at is None, "the import finished before it could be killed"
    assert workers, "no worker process validated the chunks (--workers 1)"
    with gate_db.connect() as conn:
        kept = conn.execute(select(func.count()).select_from(records)).scalar_one()
    assert 0 < kept < 60_000

    code, out, err = run(db_url, *args)
    assert code == 0, err
    lines = dict(line.split(": ") for line in out.splitlines()[-6:])
    assert int(lines["unchanged"]) == kept and int(lines["accepted"]) == 60_000 - kept

    engine = make_engine(fresh_db_url)
    add_source(engine)
    engine.dispose()
    code, _, err = run(fresh_db_url, *args)
    assert code == 0, err

    assert stored(db_url) == stored(fresh_db_url)
