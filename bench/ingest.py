"""How fast records pass the data gate, against a raw baseline, on fresh databases.

Generates ``--n`` realistic dossiers (hồ sơ) of province 82 for 2025 into an NDJSON file — received
in order through the year at the communes in force on the day (Tiền Giang's before 2025-07-01, the
merged Đồng Tháp's after), online, direct or by post, with due and finished times and the 766
flags — then measures three paths in the same run, each in its own child process on a fresh
database, so that the peaks of memory do not mix:

- ``file``: ``ioc57.ingest.fileimport.import_file`` in-process (what ``ioc57 import`` does);
- ``http``: a real ``ioc57 serve`` subprocess over loopback, NDJSON batches of 10,000 records per
  request with httpx (peak RSS of the server, read from /proc/PID/status before it exits);
- ``raw``: the same rows (id and JSON text) into a bare table, ``executemany`` on SQLite or
  ``COPY`` on PostgreSQL: no validation, no units, no rollups, no index;
- ``update`` (only when asked, ``--paths file,update,raw``): the file imported (not timed), then
  the same records again, each changed (one more supplement request, updated a day later), as a
  re-import that changes every record does: each record's stored version is read, compared,
  kept in ``record_versions`` and replaced, and its rollups moved. Its ratio is to the same raw
  insert;
- ``floor`` (only when asked, ``--paths file,floor,raw``): the gate's own writes and nothing
  else, on a fresh database with every index: each chunk's records and rollup cells, prepared
  beforehand and untimed, inserted and upserted as the gate does. No gate can be faster than its
  writes: ``ratio_to_floor`` of the file and HTTP paths says how much of their time is Python.

Prints one JSON line per path: path, n, seconds, records_per_s, ratio_to_raw, peak_rss_mb (and for
``update``: records updated and rejected, versions kept; for ``floor``: the rollup cells written
and the seconds of its three parts: records inserted, cells upserted, commits).
A path that stored fewer records than it was given stops the bench with an error.

Usage:
  .venv/bin/python bench/ingest.py --n 1000000
  .venv/bin/python bench/ingest.py --n 100000 --http-n 50000
  .venv/bin/python bench/ingest.py --n 100000 --paths file,update,raw
  .venv/bin/python bench/ingest.py --n 100000 --paths file,floor,raw
  .venv/bin/python bench/ingest.py --n 100000 --backend postgresql \\
      --database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres
  .venv/bin/python bench/ingest.py --n 100000 --backend postgresql --partitioned
(without --database-url, the postgresql backend starts a throw-away server as the tests do;
--partitioned makes the databases with ioc57 init --partition-by-province)
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
from common import Databases, start_server, stop_server

SOURCE = "bench82"
PER_REQUEST = 10_000
END = datetime(2025, 12, 31, 10, tzinfo=UTC)

# -- the data -----------------------------------------------------------------------------------


def communes(url: str) -> tuple[list[str], list[str]]:
    """Codes of province 82's communes before and since 2025-07-01."""
    from sqlalchemy import select

    from ioc57.core.db import make_engine
    from ioc57.units.tables import units

    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            select(units.c.code, units.c.valid_to).where(
                units.c.province_code == "82", units.c.level == "commune"
            )
        ).all()
    engine.dispose()
    before = sorted(code for code, valid_to in rows if valid_to is not None)
    since = sorted(code for code, valid_to in rows if valid_to is None)
    return before, since


def generate(path: Path, n: int, before: list[str], since: list[str], seed: int = 57) -> None:
    """Write ``n`` dossiers received in order through 2025 (the reorganisation on 1 July)."""
    rng = random.Random(seed)
    procedures = [f"1.{rng.randrange(1000, 13000):06d}" for _ in range(300)]
    start = datetime(2025, 1, 1, tzinfo=UTC).timestamp()
    span = datetime(2026, 1, 1, tzinfo=UTC).timestamp() - start
    switch = datetime(2025, 7, 1, tzinfo=UTC) - timedelta(hours=7)
    weights_before = [rng.random() + 0.2 for _ in before]
    weights_since = [rng.random() + 0.2 for _ in since]
    with path.open("wb") as out:
        for i in range(n):
            received = datetime.fromtimestamp(start + span * (i + rng.random()) / n, UTC)
            if received < switch:
                unit = rng.choices(before, weights_before)[0]
            else:
                unit = rng.choices(since, weights_since)[0]
            if rng.random() < 0.08:
                unit = "82"  # received at the province's public-service centre
            channel = rng.choices(("online", "direct", "postal"), (48, 48, 4))[0]
            due = received + timedelta(days=rng.choice((1, 3, 5, 7, 10, 15, 20, 30)))
            roll = rng.random()
            status = (
                "finished"
                if roll < 0.86
                else "processing"
                if roll < 0.94
                else rng.choice(("received", "supplement", "suspended", "returned", "cancelled"))
            )
            finished = None
            if status == "finished":
                late = rng.random() < 0.07
                spent = (due - received) * (rng.uniform(1.0, 1.6) if late else rng.uniform(0.1, 1))
                finished = received + spent
                if finished > END:  # not finished by the end of the year: still in hand
                    status, finished = "processing", None
            online = channel == "online"
            record = {
                "id": f"H82.25.{i:08d}",
                "procedure": rng.choice(procedures),
                "unit": unit,
                "channel": channel,
                "received_at": received.isoformat(timespec="seconds"),
                "due_at": due.isoformat(timespec="seconds"),
                "finished_at": finished.isoformat(timespec="seconds") if finished else None,
                "status": status,
                "suspended_days": rng.choices((0, 1, 3, 5), (90, 4, 4, 2))[0],
                "supplement_requests": rng.choices((0, 1, 2), (85, 12, 3))[0],
                "synced_national": rng.random() < 0.93,
                "paid_online": online and rng.random() < 0.4,
                "digitized": rng.random() < 0.7,
                "result_electronic": finished is not None and rng.random() < 0.6,
                "certified_copy_electronic": rng.random() < 0.05,
                "data_reused": rng.random() < 0.3,
                "synced_personal_store": finished is not None and rng.random() < 0.2,
                "population_data_used": rng.random() < 0.5,
                "complaint": rng.random() < 0.003,
                "updated_at": (finished or received).isoformat(timespec="seconds"),
            }
            out.write(orjson.dumps(record) + b"\n")


# -- databases ----------------------------------------------------------------------------------


# -- the paths, each run in a child process ----------------------------------------------------


def peak_rss_mb() -> float:
    """This process's peak RSS. VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss over
    ``execve``, so a child would report its parent's peak when that was higher."""
    return _vm_hwm_mb(os.getpid())


def _children() -> list[int]:
    pids = []
    for task in Path("/proc/self/task").iterdir():
        with contextlib.suppress(OSError):
            pids += [int(p) for p in (task / "children").read_text().split()]
    return pids


def child_file(url: str, path: Path) -> dict:
    """``import_file`` as ``ioc57 import`` calls it (a worker process validates for a big file);
    the peak RSS is this process's plus its worker's (sampled while it runs)."""
    import threading

    from ioc57.core.access import LOCAL_ADMIN
    from ioc57.core.db import make_engine
    from ioc57.ingest.fileimport import import_file

    workers: dict[int, float] = {}
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.2):
            for pid in _children():
                with contextlib.suppress(OSError, ValueError):
                    workers[pid] = max(workers.get(pid, 0.0), _vm_hwm_mb(pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    engine = make_engine(url)
    start = time.perf_counter()
    result = import_file(
        engine,
        path,
        source=SOURCE,
        type_name="dossier",
        principal=LOCAL_ADMIN,
        actor="bench",
        workers=None,
    )
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    engine.dispose()
    main_mb, worker_mb = peak_rss_mb(), max(workers.values(), default=0.0)
    return {
        "seconds": seconds,
        "peak_rss_mb": round(main_mb + worker_mb, 1),
        "rss_parts_mb": {"main": main_mb, "worker": worker_mb},
        "accepted": result.counts["accepted"],
        "rejected": result.counts["rejected"],
    }


def changed_copy(path: Path) -> Path:
    """The records of ``path``, each changed as a later version from its source would be."""
    changed = path.with_name(path.stem + ".changed.ndjson")
    if not changed.exists():
        with path.open("rb") as handle, changed.open("wb") as out:
            for line in handle:
                record = orjson.loads(line)
                record["supplement_requests"] += 1
                later = datetime.fromisoformat(record["updated_at"]) + timedelta(days=1)
                record["updated_at"] = later.isoformat(timespec="seconds")
                out.write(orjson.dumps(record) + b"\n")
    return changed


def child_update(url: str, path: Path) -> dict:
    """``path`` imported, then its changed copy imported and timed (what a source's correction
    of every record costs); the versions kept are counted."""
    from sqlalchemy import func, select

    from ioc57.core.access import LOCAL_ADMIN
    from ioc57.core.db import make_engine
    from ioc57.ingest.fileimport import import_file
    from ioc57.ingest.tables import record_versions

    engine = make_engine(url)
    options = dict(source=SOURCE, type_name="dossier", principal=LOCAL_ADMIN, actor="bench")
    import_file(engine, path, workers=None, **options)
    changed = changed_copy(path)
    start = time.perf_counter()
    result = import_file(engine, changed, workers=None, **options)
    seconds = time.perf_counter() - start
    with engine.connect() as conn:
        versions = conn.execute(select(func.count()).select_from(record_versions)).scalar_one()
    engine.dispose()
    return {
        "seconds": seconds,
        "peak_rss_mb": peak_rss_mb(),
        "updated": result.counts["updated"],
        "rejected": result.counts["rejected"],
        "versions_kept": versions,
    }


def child_raw(url: str, path: Path) -> dict:
    """The same rows into a bare table: read, take the id, insert (id, JSON text)."""
    start = time.perf_counter()
    if url.startswith("sqlite"):
        import sqlite3

        conn = sqlite3.connect(url.removeprefix("sqlite:///"))
        conn.execute("CREATE TABLE raw_dossiers (record_id TEXT, data TEXT)")
        with path.open("rb") as handle:
            batch = []
            for line in handle:
                batch.append((orjson.loads(line)["id"], line.decode()))
                if len(batch) == PER_REQUEST:
                    conn.executemany("INSERT INTO raw_dossiers VALUES (?, ?)", batch)
                    conn.commit()
                    batch = []
            conn.executemany("INSERT INTO raw_dossiers VALUES (?, ?)", batch)
            conn.commit()
        conn.close()
    else:
        import psycopg

        with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
            conn.execute("CREATE TABLE raw_dossiers (record_id TEXT, data TEXT)")
            conn.commit()

            def flush(batch: list) -> None:
                with conn.cursor() as cur, cur.copy("COPY raw_dossiers FROM STDIN") as copy:
                    for row in batch:
                        copy.write_row(row)
                conn.commit()

            with path.open("rb") as handle:
                batch = []
                for line in handle:
                    batch.append((orjson.loads(line)["id"], line.decode().rstrip("\n")))
                    if len(batch) == PER_REQUEST:
                        flush(batch)
                        batch = []
                flush(batch)
    return {"seconds": time.perf_counter() - start, "peak_rss_mb": peak_rss_mb()}


def child_floor(url: str, path: Path) -> dict:
    """The gate's own writes and nothing else: each chunk's records and rollup cells, as the
    gate writes them for these records, are prepared beforehand (validated, their contributions
    added up and sorted, untimed); then timed, chunk by chunk in a transaction each, the bulk
    insert of the records and the upsert of the cells (``BulkWriter.insert_records`` and
    ``upsert_cells``) into the real tables with their indexes. What the gate spends above this
    is Python's: validation, comparison, accumulation, the modules' projections, the raw log."""
    from ioc57.core.access import LOCAL_ADMIN
    from ioc57.core.clock import today
    from ioc57.core.db import make_engine
    from ioc57.core.events import EventBus
    from ioc57.ingest import sources
    from ioc57.ingest.bulk import BulkWriter, bulk_session
    from ioc57.ingest.gate import CHUNK, Gate
    from ioc57.ingest.parsing import ndjson_lines
    from ioc57.ingest.rollups import added, placer
    from ioc57.ingest.storage import inserted_row
    from ioc57.ingest.types import RECORD_TYPES

    engine = make_engine(url)
    gate = Gate(engine, EventBus())
    rtype = RECORD_TYPES["dossier"]
    with engine.connect() as conn:
        source = sources.as_source(conn, sources.get_row(conn, SOURCE), today())
    grant = gate.authorize(LOCAL_ADMIN, source, rtype.name)
    batch = gate.open_batch(source, rtype.name, "file", "bench")
    prepared = []
    with path.open("rb") as handle:
        lines = list(ndjson_lines(handle))  # (index, line), as the gate takes them
    with engine.connect() as conn:
        writer = BulkWriter(conn)
        for start in range(0, len(lines), CHUNK):
            rows = lines[start : start + CHUNK]
            candidates = gate.validate(source, rtype, rows, grant).candidates
            deltas = added(candidates, placer(gate.cache))
            inserts = [inserted_row(source, rtype, c, batch) for c in candidates]
            prepared.append((inserts, writer.cells(deltas)))
    cells = sum(len(c) for _i, c in prepared)
    parts = dict.fromkeys(("records_s", "cells_s", "commit_s"), 0.0)
    clock = time.perf_counter
    start = clock()
    with engine.connect() as conn, bulk_session(conn):
        writer = BulkWriter(conn)
        for inserts, rollup_rows in prepared:
            transaction = conn.begin()
            at = clock()
            writer.insert_records(inserts)
            parts["records_s"] += clock() - at
            at = clock()
            writer.upsert_cells(rollup_rows)
            parts["cells_s"] += clock() - at
            at = clock()
            transaction.commit()
            parts["commit_s"] += clock() - at
    seconds = clock() - start
    engine.dispose()
    return {
        "seconds": seconds,
        "peak_rss_mb": peak_rss_mb(),
        "rollup_cells": cells,
        "parts": {k: round(v, 2) for k, v in parts.items()},
    }


def _vm_hwm_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def run_http(url: str, path: Path, n: int, tmp: Path) -> dict:
    """Push ``n`` records in batches of 10,000 to a real ``ioc57 serve`` over loopback."""
    import httpx

    from ioc57.accounts.service import create_token
    from ioc57.core.db import make_engine

    engine = make_engine(url)
    with engine.begin() as conn:
        token = create_token(conn, actor="bench", username=f"src.{SOURCE}", name="bench")
    engine.dispose()
    env = os.environ | {"IOC57_DATABASE_URL": url, "IOC57_SECRET_KEY": "bench-secret-key-57"}
    base, server = start_server(env, tmp / "serve.log")
    try:
        headers = {
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/x-ndjson",
        }
        accepted = sent = 0
        with httpx.Client(base_url=base, headers=headers, timeout=300) as client:
            start = time.perf_counter()
            with path.open("rb") as handle:
                while sent < n:
                    lines = []
                    for line in handle:
                        lines.append(line)
                        if len(lines) == min(PER_REQUEST, n - sent):
                            break
                    if not lines:
                        break
                    r = client.post("/api/v1/ingest/dossier", content=b"".join(lines))
                    r.raise_for_status()
                    accepted += r.json()["accepted"]
                    sent += len(lines)
            seconds = time.perf_counter() - start
        peak = _vm_hwm_mb(server.pid)
    finally:
        stop_server(server)
    return {"seconds": seconds, "peak_rss_mb": peak, "accepted": accepted, "n": sent}


def in_child(path_name: str, url: str, data: Path) -> dict:
    """Run one path in a fresh interpreter; return what it printed as its last line."""
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            path_name,
            "--database-url",
            url,
            "--file",
            str(data),
        ],
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        raise RuntimeError(f"the {path_name} path failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    from ioc57 import modules

    modules.load()  # the record types, as ``ioc57 import`` and ``ioc57 serve`` load them
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--http-n", type=int, default=None, help="records for the HTTP path")
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument(
        "--database-url", default=None, help="postgresql: a server URL that may create databases"
    )
    parser.add_argument(
        "--partitioned",
        action="store_true",
        help="postgresql: the fact tables partitioned by province (ioc57 init --partition-by-province)",
    )
    parser.add_argument("--paths", default="file,http,raw")
    parser.add_argument("--keep", default=None, help="a directory to keep the files in")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--file", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        run = {
            "file": child_file,
            "raw": child_raw,
            "update": child_update,
            "floor": child_floor,
        }[args.child]
        print(json.dumps(run(args.database_url, Path(args.file))))
        return

    tmp = Path(args.keep or tempfile.mkdtemp(prefix="ioc57-bench-"))
    tmp.mkdir(parents=True, exist_ok=True)
    if args.partitioned and args.backend != "postgresql":
        parser.error("--partitioned needs --backend postgresql")
    dbs = Databases(
        args.backend, tmp, args.database_url, SOURCE, ["dossier"], by_province=args.partitioned
    )
    try:
        data = tmp / f"dossiers-{args.n}.ndjson"
        if not data.exists():
            before, since = communes(dbs.template_url)
            started = time.perf_counter()
            generate(data, args.n, before, since)
            print(
                f"# generated {args.n} dossiers in {time.perf_counter() - started:.1f} s "
                f"({data.stat().st_size / 1e6:.0f} MB): {data}",
                file=sys.stderr,
            )
        paths = args.paths.split(",")
        results = {}
        for name in ("raw", "floor", "file", "update", "http"):
            if name not in paths:
                continue
            url = dbs.fresh(name)
            if name == "http":
                http_n = min(args.http_n or args.n, args.n)
                measured = run_http(url, data, http_n, tmp)
            else:
                measured = in_child(name, url, data)
                measured.setdefault("n", args.n)
            results[name] = measured
        raw_rate = results["raw"]["n"] / results["raw"]["seconds"] if "raw" in results else None
        floor = results.get("floor")
        for name in ("file", "update", "http", "floor", "raw"):
            if name not in results:
                continue
            m = results[name]
            rate = m["n"] / m["seconds"]
            line = {
                "path": {
                    "file": "file import (ioc57.ingest.fileimport, in-process)",
                    "update": "file re-import changing every record (in-process)",
                    "floor": "the gate's writes alone (records and rollup cells prepared"
                    " beforehand, untimed)",
                    "http": f"HTTP push ({PER_REQUEST} per request, ioc57 serve over loopback)",
                    "raw": "raw baseline ("
                    + ("executemany" if args.backend == "sqlite" else "COPY")
                    + ", bare table)",
                }[name],
                "backend": args.backend + (" partitioned by province" if args.partitioned else ""),
                "n": m["n"],
                "seconds": round(m["seconds"], 2),
                "records_per_s": round(rate),
                "ratio_to_raw": round(rate / raw_rate, 3) if raw_rate else None,
                "peak_rss_mb": m["peak_rss_mb"],
            }
            if "accepted" in m and m["accepted"] != m["n"]:  # a rate of records not stored
                sys.exit(f"the {name} path stored {m['accepted']} of {m['n']} records: {m}")
            if floor and name in ("file", "http"):
                line["ratio_to_floor"] = round(rate / (floor["n"] / floor["seconds"]), 3)
            if name == "floor":
                line["rollup_cells"] = m["rollup_cells"]
                line["floor_parts_s"] = m["parts"]  # records inserted, cells upserted, commits
            if "rss_parts_mb" in m:
                line["peak_rss_parts_mb"] = m["rss_parts_mb"]
            if name == "update":
                line |= {k: m[k] for k in ("updated", "rejected", "versions_kept")}
            if name == "http" and m["n"] < args.n:
                line["note"] = f"fewer records on this path ({m['n']} of {args.n})"
            print(json.dumps(line), flush=True)
    finally:
        dbs.close()
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
