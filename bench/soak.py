"""Soak: a steady push load for minutes, with readers on the live stream and on the pages.

On a fresh database (SQLite in a temporary file; PostgreSQL on a throw-away server started as the
tests start it, or on ``--database-url``), a real ``ioc57 serve`` runs on loopback. A source pushes
``--rate`` records a second through ``POST /api/v1/ingest/{type}`` with its bearer token for
``--seconds``: the records of the project's own simulator (``ioc57.ingest.simulator``) for province
82 — new dossiers, the later steps of open ones (updates), citizen reports and salinity readings
— made every ``--tick`` seconds and sent in requests of at most ``--batch`` records, spread over the
tick, by ``--senders`` threads, from one simulator for the three types (it keeps the due steps of
each type apart, so that a tick costs the steps it takes, however large the backlog). At the
same time ``--streams`` clients read ``GET /api/v1/stream`` (as a leader's token) and ``--pagers``
clients, logged in as the leader, load ``/``, ``/scorecard``, ``/sources`` and ``/units/82`` in turn,
``--page-pause`` seconds apart.

It prints one JSON object per backend: what was sent and what answered (errors by status, with
samples and the minute they came in), push latency, the achieved rate, the server's RSS (from
/proc) at the start, every minute and at the end, page latency, stream events and the records they
announce against what was sent, the records in the gate's ``records`` table at the end against the
distinct records sent, the CPU of the server and of this load generator (one process: senders,
readers and generator), and the raw baseline measured in the same run after the server has
stopped: the same records (the first ``--raw-n``) inserted with plain SQL ``executemany`` into the
same ``records`` table of the same database, one transaction per request's worth of records.
``ratio_to_raw`` is the p50 push latency per record over the raw p50 time per record.

Every request goes to 127.0.0.1 and has a timeout; the run stops by itself and stops its servers.

Usage:
  .venv/bin/python bench/soak.py                       # 600 s at 1,000 records/s on SQLite
  .venv/bin/python bench/soak.py --seconds 30 --backend both
  .venv/bin/python bench/soak.py --backend postgresql [--database-url postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import queue
import resource
import secrets
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path

import httpx
import orjson
from common import ioc57, ms, percentile, start_server, stop_server
from freshness import Subscriber
from ingest import Databases

PROVINCE = "82"
TYPES = ("dossier", "feedback", "reading")
BEFORE = ("procedure", "station")  # sent once before the load: the readings need their stations
PAGES = ("/", "/scorecard", "/sources", f"/units/{PROVINCE}")
SOURCE = "soak"
LEADER = "soak.leader"
TIMEOUT = httpx.Timeout(60, connect=10)
SAMPLES = 10  # error samples kept


# -- the server, seen from /proc ----------------------------------------------------------------


def _status_mb(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process, from /proc/PID/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class RssSampler(threading.Thread):
    """The server's VmRSS once a second."""

    def __init__(self, pid: int, start: float) -> None:
        super().__init__(daemon=True)
        self.pid, self.start_at = pid, start
        self.samples: list[tuple[float, float]] = []
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(1.0):
            try:
                self.samples.append(
                    (time.perf_counter() - self.start_at, _status_mb(self.pid, "VmRSS"))
                )
            except OSError:
                return

    def at(self, second: float) -> float | None:
        """The sample nearest to ``second`` after the start."""
        if not self.samples:
            return None
        return min(self.samples, key=lambda s: abs(s[0] - second))[1]


# -- the load -----------------------------------------------------------------------------------


class Pushes:
    """What the senders did: one entry per request, kept small."""

    def __init__(self, start: float, raw_n: int) -> None:
        self.start = start
        self.lock = threading.Lock()
        self.latency: list[float] = []  # per answered request (any status)
        self.latency_by_type: dict[str, list[float]] = defaultdict(list)
        self.per_record_ok: list[float] = []  # latency / records, 200 answers
        self.sent: Counter = Counter()  # records sent, by type
        self.requests = 0
        self.outcomes: Counter = Counter()  # accepted, updated, ... from the answers
        self.errors: Counter = Counter()  # by status or exception
        self.errors_by_minute: dict[int, Counter] = defaultdict(Counter)
        self.samples: list[dict] = []
        self.rejected_samples: list[dict] = []
        self.keys_ok: set[str] = set()
        self.keys_sent: set[str] = set()
        self.records_ok = 0
        self.late: list[float] = []  # how late each request left, against its schedule
        self.batches: dict[int, float] = {}  # batch id -> sent (perf_counter), for the stream
        self.by_minute: dict[int, Counter] = defaultdict(Counter)
        self.latency_by_minute: dict[int, list[float]] = defaultdict(list)
        self.raw_n = raw_n
        self.kept: list[tuple[str, list[dict]]] = []  # the first raw_n records, for the baseline
        self.kept_n = 0

    def add(self, rtype, records, due, sent, answered, status, answer, error) -> None:
        minute = int((sent - self.start) // 60)
        keys = [f"{rtype}:{r['id']}" for r in records]
        with self.lock:
            self.requests += 1
            self.sent[rtype] += len(records)
            self.keys_sent.update(keys)
            self.late.append(max(0.0, sent - due))
            self.by_minute[minute]["requests"] += 1
            self.by_minute[minute]["records"] += len(records)
            if answered is not None:
                self.latency.append(answered - sent)
                self.latency_by_type[rtype].append(answered - sent)
                self.latency_by_minute[minute].append(answered - sent)
            if status == 200:
                self.records_ok += len(records)
                self.keys_ok.update(keys)
                self.per_record_ok.append((answered - sent) / len(records))
                self.batches[answer["batch"]] = sent
                for key in ("accepted", "updated", "unchanged", "stale"):
                    self.outcomes[key] += answer.get(key, 0)
                rejected = answer.get("rejected") or []
                self.outcomes["rejected"] += answer.get("rejected_total", len(rejected))
                room = SAMPLES - len(self.rejected_samples)
                self.rejected_samples += [{"type": rtype} | r for r in rejected[: max(room, 0)]]
                if self.kept_n < self.raw_n:
                    self.kept.append((rtype, records))
                    self.kept_n += len(records)
                return
            label = str(status) if status is not None else error
            self.errors[label] += 1
            self.errors_by_minute[minute][label] += 1
            if len(self.samples) < SAMPLES:
                self.samples.append(
                    {
                        "at_s": round(sent - self.start, 1),
                        "type": rtype,
                        "records": len(records),
                        "status": status,
                        "seconds": round(answered - sent, 2) if answered else None,
                        "answer": (answer or error or "")[:300],
                    }
                )


def sender(base: str, token: str, work: queue.Queue, pushes: Pushes) -> None:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    with httpx.Client(base_url=base, headers=headers, timeout=TIMEOUT) as client:
        while (item := work.get()) is not None:
            due, rtype, records = item
            body = orjson.dumps(records)
            sent = time.perf_counter()
            status = answer = error = answered = None
            try:
                r = client.post(f"/api/v1/ingest/{rtype}", content=body)
                answered = time.perf_counter()
                status = r.status_code
                answer = r.json() if status == 200 else r.text
            except (httpx.HTTPError, ValueError) as exc:
                error = type(exc).__name__
                if isinstance(exc, ValueError):
                    answered, error = time.perf_counter(), f"bad answer: {exc}"
            pushes.add(rtype, records, due, sent, answered, status, answer, error)


def pace(
    sim,
    work: queue.Queue,
    start: float,
    seconds: float,
    rate: float,
    tick: float,
    batch: int,
):
    """Every ``tick``, the simulator's records for the tick, in requests spread over it; returns
    how late each tick's records were ready (a starved load generator shows here)."""
    n, late = 0, []
    while (tick_start := start + n * tick) < start + seconds:
        wait = tick_start - time.perf_counter()
        if wait > 0:
            time.sleep(wait)
        requests = [
            (rtype, records[i : i + batch])
            for rtype, records in sim.batch(rate * tick, datetime.now(UTC)).items()
            for i in range(0, len(records), batch)
        ]
        late.append(time.perf_counter() - tick_start)
        for k, (rtype, records) in enumerate(requests):
            due = tick_start + k * tick / len(requests)
            wait = due - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            work.put((due, rtype, records))
        n += 1
    return late


class PageReader(threading.Thread):
    """A leader in a browser: logs in, then loads the pages in turn until told to stop."""

    def __init__(self, base: str, password: str, pause: float, stop: threading.Event, offset: int):
        super().__init__(daemon=True)
        self.base, self.password, self.pause, self.stop = base, password, pause, stop
        self.offset = offset
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.status: Counter = Counter()
        self.samples: list[dict] = []

    def login(self, client: httpx.Client) -> None:
        page = client.get("/login")
        csrf = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        r = client.post(
            "/login",
            data={"username": LEADER, "password": self.password, "csrf_token": csrf, "next": "/"},
        )
        if r.status_code != 303:
            raise RuntimeError(f"login as {LEADER}: {r.status_code} {r.text[:300]}")

    def run(self) -> None:
        with httpx.Client(base_url=self.base, timeout=TIMEOUT) as client:
            try:
                self.login(client)
            except (RuntimeError, httpx.HTTPError, IndexError) as exc:
                self.status["login failed"] += 1
                self.samples.append({"path": "/login", "status": None, "answer": str(exc)[:300]})
                return
            i = self.offset
            while not self.stop.is_set():
                path = PAGES[i % len(PAGES)]
                i += 1
                started = time.perf_counter()
                try:
                    r = client.get(path)
                    status = r.status_code
                except httpx.HTTPError as exc:
                    status, r = type(exc).__name__, None
                self.latency[path].append(time.perf_counter() - started)
                self.status[str(status)] += 1
                if status != 200 and len(self.samples) < SAMPLES:
                    self.samples.append(
                        {"path": path, "status": status, "answer": r and r.text[:300]}
                    )
                self.stop.wait(self.pause)


# -- the raw baseline ---------------------------------------------------------------------------


def raw_baseline(url: str, kept: list[tuple[str, list[dict]]]) -> dict:
    """The same records into the same ``records`` table with plain SQL ``executemany`` (an upsert
    on the record's key, as an update replaces its row), one transaction per request's worth;
    ids prefixed ``raw-`` so that they do not meet the rows the gate wrote."""
    from sqlalchemy import select

    from ioc57.core.db import make_engine
    from ioc57.ingest.tables import sources
    from ioc57.units.tables import units

    engine = make_engine(url)
    with engine.connect() as conn:
        unit_ids = dict(conn.execute(select(units.c.code, units.c.id)).all())
        source_id = conn.execute(select(sources.c.id).where(sources.c.name == SOURCE)).scalar_one()
    mark = "?" if url.startswith("sqlite") else "%s"
    sql = (
        "INSERT INTO records (source_id, type, record_id, unit_id, agency_id, province_code,"
        " occurred_on, updated_at, hash, data, batch_id) VALUES (" + ", ".join([mark] * 11) + ")"
        " ON CONFLICT (source_id, type, record_id) DO UPDATE SET unit_id = excluded.unit_id,"
        " agency_id = excluded.agency_id, occurred_on = excluded.occurred_on,"
        " updated_at = excluded.updated_at, hash = excluded.hash, data = excluded.data,"
        " batch_id = excluded.batch_id"
    )
    when = {"dossier": "received_at", "feedback": "received_at", "reading": "observed_at"}
    dbapi = engine.raw_connection()
    per_batch, per_record, n = [], [], 0
    try:
        for rtype, records in kept:
            started = time.perf_counter()
            rows = []
            for r in records:
                text = orjson.dumps(r)
                rows.append(
                    (
                        source_id,
                        rtype,
                        "raw-" + r["id"],
                        unit_ids.get(r.get("unit")),
                        unit_ids.get(r.get("agency")),
                        PROVINCE,
                        datetime.fromisoformat(r[when[rtype]]).date(),
                        datetime.fromisoformat(r["updated_at"]),
                        hashlib.md5(text).hexdigest(),
                        text.decode(),
                        0,
                    )
                )
            cursor = dbapi.cursor()
            cursor.executemany(sql, rows)
            cursor.close()
            dbapi.commit()
            seconds = time.perf_counter() - started
            per_batch.append(seconds)
            per_record.append(seconds / len(records))
            n += len(records)
    finally:
        dbapi.close()
        engine.dispose()
    return {"n": n, "per_batch": per_batch, "per_record": per_record}


# -- one backend --------------------------------------------------------------------------------


def database_counts(url: str) -> dict:
    from sqlalchemy import func, select

    from ioc57.core.db import make_engine
    from ioc57.ingest.tables import batches, records, rejections

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            by_type = dict(
                conn.execute(select(records.c.type, func.count()).group_by(records.c.type)).all()
            )
            return {
                "records_by_type": by_type,
                "rejections": conn.execute(select(func.count()).select_from(rejections)).scalar(),
                "push_batches": conn.execute(
                    select(func.count()).select_from(batches).where(batches.c.via == "push")
                ).scalar(),
            }
    finally:
        engine.dispose()


def log_problems(path: Path) -> dict:
    tracebacks = server_errors = 0
    with path.open(errors="replace") as log:
        for line in log:
            if line.startswith("Traceback"):
                tracebacks += 1
            elif '" 5' in line and "HTTP/1.1" in line:
                server_errors += 1
    return {"tracebacks": tracebacks, "5xx_access_lines": server_errors}


def summary_ms(values: list[float]) -> dict:
    if not values:
        return {}
    return {
        "n": len(values),
        "p50_ms": ms(percentile(values, 50), 1),
        "p95_ms": ms(percentile(values, 95), 1),
        "max_ms": ms(max(values), 1),
    }


def soak(backend: str, args, tmp: Path) -> dict:
    dbs = Databases(backend, tmp, args.database_url)
    try:
        url = dbs.fresh("soak")
        env = {k: v for k, v in os.environ.items() if not k.startswith("IOC57_")}
        env |= {"IOC57_DATABASE_URL": url, "IOC57_SECRET_KEY": "soak-secret-key-57"}
        admin = ioc57(env, "token", "create", "--user", "admin").strip().splitlines()[-1]
        log_path = tmp / f"serve-{backend}.log"
        base, server = start_server(env, log_path)
        try:
            result = run_load(base, server, admin, args)
            rss_end = result.pop("_rss_end")
            peak = _status_mb(server.pid, "VmHWM")
        finally:
            stop_server(server)
        counts = database_counts(url)
        raw = raw_baseline(url, result.pop("_kept"))
    finally:
        dbs.close()

    problems = log_problems(log_path)
    if problems["tracebacks"] or problems["5xx_access_lines"]:
        kept_log = Path(tempfile.gettempdir()) / f"ioc57-soak-{backend}-{os.getpid()}.log"
        shutil.copy(log_path, kept_log)
        problems["log"] = str(kept_log)
    keys_ok = result.pop("_keys_ok")
    distinct = Counter(key.split(":", 1)[0] for key in keys_ok)
    in_db = counts["records_by_type"]
    push_p50_per_record = percentile(result.pop("_per_record_ok"), 50)
    raw_p50_per_record = percentile(raw["per_record"], 50)
    result["rss_mb"]["end"] = rss_end
    result["rss_mb"]["peak"] = peak
    result["server_log"] = problems
    result["database"] = {
        **counts,
        "distinct_records_sent_ok": dict(distinct),
        "equal": all(in_db.get(t, 0) == distinct.get(t, 0) for t in TYPES)
        and sum(in_db.values()) == len(keys_ok) + sum(in_db.get(t, 0) for t in BEFORE),
        "note": "records holds one row per (source, type, id): an update of an open dossier or "
        "report replaces its row, so the table should hold the distinct records sent; "
        "'procedure' and 'station' rows were sent before the load",
    }
    result["raw"] = {
        "what": "the same records (the first of the run) into the same records table with plain "
        "SQL executemany (INSERT ... ON CONFLICT DO UPDATE on the record key), one transaction "
        "per request's worth, same database, after the server stopped",
        "n": raw["n"],
        "per_batch": summary_ms(raw["per_batch"]),
        "p50_us_per_record": round(raw_p50_per_record * 1e6, 1),
        "records_per_s": round(raw["n"] / sum(raw["per_batch"])),
    }
    result["push"]["p50_us_per_record"] = round(push_p50_per_record * 1e6, 1)
    result["ratio_to_raw"] = round(push_p50_per_record / raw_p50_per_record, 1)
    result["ratio_to_raw_means"] = "p50 push latency per record / raw p50 time per record"
    return {"backend": backend} | result


def run_load(base: str, server, admin: str, args) -> dict:
    from ioc57.ingest.simulator import Simulator

    auth = {"Authorization": f"Bearer {admin}"}
    password = secrets.token_urlsafe(18)
    with httpx.Client(base_url=base, timeout=TIMEOUT) as client:
        r = client.post(
            "/api/v1/sources",
            json={"name": SOURCE, "types": [*BEFORE, *TYPES], "units": [PROVINCE]},
            headers=auth,
        )
        r.raise_for_status()
        source_token = r.json()["token"]
        r = client.post(
            "/api/v1/users",
            json={"username": LEADER, "role": "leader", "password": password},
            headers=auth,
        )
        r.raise_for_status()
        r = client.post("/api/v1/tokens", json={"username": LEADER}, headers=auth)
        r.raise_for_status()
        leader_token = r.json()["token"]
    sim_client = httpx.Client(
        base_url=base, headers={"Authorization": f"Bearer {source_token}"}, timeout=TIMEOUT
    )
    sim = Simulator(sim_client, PROVINCE, [*BEFORE, *TYPES], args.rate, seed=57)
    sim.load_units()
    if None in sim.begin(datetime.now(UTC)).values():
        raise SystemExit("the procedures were not accepted")

    subscribers = [
        Subscriber(f"{base}/api/v1/stream?types=ingest.batch", leader_token)
        for _ in range(args.streams)
    ]
    for sub in subscribers:
        sub.start()
    for sub in subscribers:
        sub.live.wait(10)
    stop_pages = threading.Event()
    pagers = [
        PageReader(base, password, args.page_pause, stop_pages, i) for i in range(args.pagers)
    ]
    for pager in pagers:
        pager.start()
    time.sleep(2)  # the readers settle: logged in, first pages loaded

    start = time.perf_counter()
    rss = RssSampler(server.pid, start)
    rss_start = _status_mb(server.pid, "VmRSS")
    server_cpu0, client_cpu0 = cpu_seconds(server.pid), own_cpu_seconds()
    load0 = os.getloadavg()
    rss.start()
    pushes = Pushes(start, args.raw_n)
    work: queue.Queue = queue.Queue()
    senders = [
        threading.Thread(target=sender, args=(base, source_token, work, pushes), daemon=True)
        for _ in range(args.senders)
    ]
    for thread in senders:
        thread.start()
    ticks_late = pace(sim, work, start, args.seconds, args.rate, args.tick, args.batch)
    paced = time.perf_counter() - start
    for _ in senders:
        work.put(None)
    for thread in senders:
        thread.join(timeout=120)
    elapsed = time.perf_counter() - start
    stop_pages.set()
    deadline = time.perf_counter() + 10
    while time.perf_counter() < deadline and any(
        len(s.arrived) < len(pushes.batches) for s in subscribers
    ):
        time.sleep(0.1)
    for pager in pagers:
        pager.join(timeout=70)
    rss.done.set()
    rss_end = _status_mb(server.pid, "VmRSS")
    server_cpu = cpu_seconds(server.pid) - server_cpu0
    client_cpu = own_cpu_seconds() - client_cpu0
    load1 = os.getloadavg()
    sim_client.close()

    records = sum(pushes.sent.values())
    minutes = sorted(pushes.by_minute)
    rss_minutes = {f"{m}": rss.at(60 * m) for m in range(1, int(elapsed // 60) + 1)}
    minute1 = rss_minutes.get("1")
    page_latency = defaultdict(list)
    page_status: Counter = Counter()
    for pager in pagers:
        for path, values in pager.latency.items():
            page_latency[path] += values
        page_status.update(pager.status)
    all_pages = [v for values in page_latency.values() for v in values]
    lags = [
        max(0.0, arrived - pushes.batches[b])
        for s in subscribers
        for b, arrived in s.arrived.items()
        if b in pushes.batches
    ]
    return {
        "seconds": round(elapsed, 1),
        "paced_seconds": round(paced, 1),
        "target_rate": args.rate,
        "push": {
            "requests": pushes.requests,
            "records_sent": records,
            "records_sent_by_type": dict(pushes.sent),
            "records_answered_200": pushes.records_ok,
            "outcomes": dict(pushes.outcomes),
            "outcomes_mean": "accepted: new records; updated: later steps of open dossiers and "
            "reports; unchanged: a repeated key (the simulator gives a reading the id "
            "station:metric:observed_at in ms, which can repeat when a late tick is caught up)",
            "errors": dict(pushes.errors),
            "errors_total": sum(pushes.errors.values()),
            "errors_by_minute": {
                f"{m}": dict(c) for m, c in sorted(pushes.errors_by_minute.items())
            },
            "error_samples": pushes.samples,
            "rejected_samples": pushes.rejected_samples,
            **summary_ms(pushes.latency),
            "by_type": {t: summary_ms(v) for t, v in sorted(pushes.latency_by_type.items())},
            "p95_ms_by_minute": {
                f"{m}": ms(percentile(pushes.latency_by_minute[m], 95), 1)
                for m in minutes
                if pushes.latency_by_minute[m]
            },
            "sent_late_p95_ms": ms(percentile(pushes.late, 95), 1) if pushes.late else None,
            "sent_late_max_ms": ms(max(pushes.late), 1) if pushes.late else None,
            "tick_ready_late_p95_ms": ms(percentile(ticks_late, 95), 1),
            "late_means": "how long after its planned time a request left (all senders busy, or "
            "the generator starved of CPU), and how late each tick's records were made",
            "records_per_request_mean": round(records / max(pushes.requests, 1), 1),
            "achieved_rate": round(records / elapsed, 1),
            "achieved_rate_200": round(pushes.records_ok / elapsed, 1),
        },
        "rss_mb": {
            "start": rss_start,
            "by_minute": rss_minutes,
            "change_end_vs_minute1_pct": round(100 * (rss_end - minute1) / minute1, 1)
            if minute1
            else None,
            "change_end_vs_start_pct": round(100 * (rss_end - rss_start) / rss_start, 1),
            "max_during_load": max((mb for _, mb in rss.samples), default=None),
            "min_during_load": min((mb for _, mb in rss.samples), default=None),
        },
        "_rss_end": rss_end,
        "pages": {
            "clients": args.pagers,
            "pause_s": args.page_pause,
            "loads": len(all_pages),
            "status": dict(page_status),
            **summary_ms(all_pages),
            "by_path": {p: summary_ms(v) for p, v in sorted(page_latency.items())},
            "error_samples": [s for pager in pagers for s in pager.samples][:SAMPLES],
        },
        "stream": {
            "clients": len(subscribers),
            "pushes_200": len(pushes.batches),
            "records_200": pushes.records_ok,
            "events": [s.events for s in subscribers],
            "batches_seen": [len(s.arrived) for s in subscribers],
            "records_announced": [s.records for s in subscribers],
            "gaps": [s.gaps for s in subscribers],
            "send_to_event": summary_ms(lags),
        },
        "cpu": {
            "server_s": round(server_cpu, 1),
            "server_cores": round(server_cpu / elapsed, 2),
            "load_generator_s": round(client_cpu, 1),
            "load_generator_cores": round(client_cpu / elapsed, 2),
            "load_generator_is": f"this process: {args.senders} senders, 1 simulator, "
            f"{args.streams} stream readers, {args.pagers} page readers",
            "loadavg_start": [round(x, 2) for x in load0],
            "loadavg_end": [round(x, 2) for x in load1],
            "cores": os.cpu_count(),
        },
        "_kept": pushes.kept,
        "_keys_ok": pushes.keys_ok,
        "_per_record_ok": pushes.per_record_ok,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--rate", type=float, default=1000, help="records per second")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="sqlite")
    parser.add_argument(
        "--database-url", default=None, help="postgresql: a server URL that may create databases"
    )
    parser.add_argument("--batch", type=int, default=100, help="records per request, at most")
    parser.add_argument("--tick", type=float, default=0.5, help="seconds of records made at once")
    parser.add_argument("--senders", type=int, default=8, help="threads sending the pushes")
    parser.add_argument("--streams", type=int, default=3, help="clients on /api/v1/stream")
    parser.add_argument("--pagers", type=int, default=2, help="leaders loading pages")
    parser.add_argument("--page-pause", type=float, default=1.0, help="seconds between pages")
    parser.add_argument("--raw-n", type=int, default=20_000, help="records for the raw baseline")
    args = parser.parse_args()
    if not 0 < args.seconds <= 3600 or not 0 < args.rate <= 5000:
        parser.error("--seconds within (0, 3600] and --rate within (0, 5000]")

    from ioc57 import modules

    modules.load()  # the modules' record types (sources name them) and their simulated records
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    for backend in backends:
        tmp = Path(tempfile.mkdtemp(prefix=f"ioc57-soak-{backend}-"))
        try:
            print(json.dumps(soak(backend, args, tmp), ensure_ascii=False), flush=True)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
